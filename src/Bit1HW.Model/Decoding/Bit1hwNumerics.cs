using System.Runtime.CompilerServices;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// The non-linear parts of the decoder, shared by every backend (docs/model.md, "Decoder numerics").
/// Each function fixes its arithmetic order so that the same inputs always give the same bits.
/// </summary>
internal static class Bit1hwNumerics
{
    public const int ActBits = 8;

    /// <summary>y = x · r · g with r = 1/√(Σx²/n + eps); Σx² and r in float64 (index order), x·r rounded to float32, then · g in float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float eps, Span<float> y)
    {
        double ss = 0;
        foreach (float v in x) ss += (double)v * v;
        double r = 1.0 / Math.Sqrt(ss / x.Length + eps);
        for (int i = 0; i < x.Length; i++) y[i] = (float)(x[i] * r) * g[i];
    }

    /// <summary>Per-token absmax activation quantization to int8 (<see cref="BitNetQuant"/>); returns the scale s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Quantize(ReadOnlySpan<float> x, Span<sbyte> xq)
    {
        float s = BitNetQuant.ActivationScale(x, ActBits);
        BitNetQuant.QuantizeActivations(x, s, ActBits, xq);
        return s;
    }

    /// <summary>y[r] = (float)acc[r] / s · β (<see cref="BitNetQuant.Dequantize"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dequantize(ReadOnlySpan<int> acc, float actScale, float weightScale, Span<float> y)
    {
        for (int r = 0; r < acc.Length; r++) y[r] = BitNetQuant.Dequantize(acc[r], actScale, weightScale);
    }

    /// <summary>
    /// Rotary embedding with NEOX pairing (llama.cpp's rope type for the bitnet architecture, and HF's
    /// rotate_half): in each head, element i pairs with i + d/2 and turns by pos·θ^(−2i/d); the angle,
    /// cos and sin in float64, rounded to float32, the rotation itself in float32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rope(Span<float> x, int heads, int headDim, int pos, float theta)
    {
        int half = headDim / 2;
        for (int i = 0; i < half; i++)
        {
            double angle = pos * Math.Pow(theta, -2.0 * i / headDim);
            float c = (float)Math.Cos(angle), s = (float)Math.Sin(angle);
            for (int h = 0; h < heads; h++)
            {
                int a = h * headDim + i, b = a + half;
                float xa = x[a], xb = x[b];
                x[a] = xa * c - xb * s;
                x[b] = xa * s + xb * c;
            }
        }
    }

    /// <summary>Sequential float32 dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>In-place softmax: subtract the max, MathF.Exp, sequential float32 sum, divide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softmax(Span<float> x)
    {
        float m = float.NegativeInfinity;
        foreach (float v in x) m = MathF.Max(m, v);
        float sum = 0;
        for (int i = 0; i < x.Length; i++) { x[i] = MathF.Exp(x[i] - m); sum += x[i]; }
        for (int i = 0; i < x.Length; i++) x[i] /= sum;
    }

    /// <summary>h = act(gate) · up: relu2 is max(g, 0)² (BitNet b1.58), silu is g/(1 + e^−g) (SwiGLU); float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GatedAct(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, HiddenAct act, Span<float> h)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i];
            float a = act == HiddenAct.Relu2 ? (g > 0 ? g * g : 0f) : g / (1f + MathF.Exp(-g));
            h[i] = a * up[i];
        }
    }
}
