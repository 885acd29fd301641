using System.Runtime.CompilerServices;
namespace Bit1HW.Core.Numerics;

/// <summary>How the per-tensor weight scale beta is taken: mean |W| (BitNet b1.58) or the lower median |W| (docs/numerics.md).</summary>
public enum WeightScaleMethod { AbsMean, Median }

/// <summary>
/// The BitNet b1.58 quantization contract, bit for bit (docs/numerics.md). All scale arithmetic is
/// float32 in the order written there; rounding is round-half-to-even (torch.round). Inputs must be
/// finite: callers check with <see cref="RequireFinite"/> so the error names the tensor.
/// </summary>
public static class BitNetQuant
{
    public const float ScaleEpsilon = 1e-5f;

    /// <summary>beta = max(mean(|W|), 1e-5) with the mean summed in float64 in index order and
    /// rounded once to float32; or the lower median of |W| (as torch.median) for <see cref="WeightScaleMethod.Median"/>.</summary>
    public static float WeightScale(ReadOnlySpan<float> w, WeightScaleMethod method)
    {
        if (w.Length == 0) throw new ArgumentException("empty weight tensor", nameof(w));
        float stat;
        if (method == WeightScaleMethod.AbsMean)
        {
            double sum = 0;
            foreach (float x in w) sum += Math.Abs((double)x);
            stat = (float)(sum / w.Length);
        }
        else
        {
            var abs = new float[w.Length];
            for (int i = 0; i < abs.Length; i++) abs[i] = MathF.Abs(w[i]);
            Array.Sort(abs);
            stat = abs[(abs.Length - 1) / 2];
        }
        return MathF.Max(stat, ScaleEpsilon);
    }

    /// <summary>Wt = clamp(round(W / beta), -1, 1), float32 division.</summary>
    public static void TernarizeWeights(ReadOnlySpan<float> w, float beta, Span<sbyte> wt)
    {
        if (wt.Length != w.Length) throw new ArgumentException("length mismatch", nameof(wt));
        for (int i = 0; i < w.Length; i++)
        {
            // Branch-free clamp (min/max instructions): random weights make a sign test mispredict half the time.
            float r = MathF.Round(w[i] / beta, MidpointRounding.ToEven);
            wt[i] = (sbyte)(int)MathF.Max(-1f, MathF.Min(1f, r));
        }
    }

    public static int QMax(int actBits) => (1 << (actBits - 1)) - 1;
    public static int QMin(int actBits) => -(1 << (actBits - 1));

    /// <summary>Per-token scale s = Qp / max(max|x|, 1e-5), float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float ActivationScale(ReadOnlySpan<float> row, int actBits)
    {
        RequireActBits(actBits);
        float maxAbs = 0f;
        foreach (float x in row) maxAbs = MathF.Max(maxAbs, MathF.Abs(x));
        return QMax(actBits) / MathF.Max(maxAbs, ScaleEpsilon);
    }

    /// <summary>Xq = clamp(round(x · s), -2^(b-1), 2^(b-1)-1), float32 product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeActivations(ReadOnlySpan<float> row, float scale, int actBits, Span<sbyte> q)
    {
        RequireActBits(actBits);
        if (q.Length != row.Length) throw new ArgumentException("length mismatch", nameof(q));
        float lo = QMin(actBits), hi = QMax(actBits);
        for (int i = 0; i < row.Length; i++)
        {
            float r = MathF.Round(row[i] * scale, MidpointRounding.ToEven);
            q[i] = (sbyte)Math.Clamp(r, lo, hi);
        }
    }

    /// <summary>y = (float)acc / s · beta, float32, in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dequantize(int acc, float actScale, float weightScale) => (float)acc / actScale * weightScale;

    public static void RequireActBits(int actBits)
    {
        if (actBits is < 2 or > 8)
            throw new UserInputException("--act-bits", $"{actBits} is outside the supported range 2..8");
    }

    /// <summary>Throws a <see cref="UserInputException"/> naming the tensor and flat index of the first NaN or infinity.</summary>
    public static void RequireFinite(ReadOnlySpan<float> values, string tensorName)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new UserInputException($"tensor '{tensorName}'", $"element {i} is {values[i]}; NaN and infinity are not accepted");
    }
}
