using MathNet.Numerics.LinearAlgebra;

namespace Bit1HW.Core.Numerics;

/// <summary>
/// The unquantized float64 layer y = X · Wᵀ (MathNet.Numerics) and the signal-to-quantization-noise
/// ratio of a quantized output against it. Used only to report how close BitLinear gets; not part of
/// the bit-exact contract.
/// </summary>
public static class FloatReference
{
    /// <summary>y[t, o] = Σ_k W[o, k] · x[t, k] in float64; W is [outFeatures, K], x is [tokens, K], y is [tokens, outFeatures].</summary>
    public static double[] Gemm(ReadOnlySpan<float> weights, ReadOnlySpan<float> input, int outFeatures, int k, int tokens)
    {
        // Row-major W [out, K] has the memory layout of column-major Wᵀ [K, out]; likewise x → xᵀ [K, tokens].
        // (Wᵀ)ᵀ · xᵀ = W · xᵀ = yᵀ [out, tokens], whose column-major array is y row-major [tokens, out].
        // This orientation is MathNet's fastest path for a short, wide product.
        var wT = Matrix<double>.Build.Dense(k, outFeatures, ToDoubles(weights));
        var xT = Matrix<double>.Build.Dense(k, tokens, ToDoubles(input));
        return wT.TransposeThisAndMultiply(xT).ToColumnMajorArray();
    }

    /// <summary>10·log10(Σ ref² / Σ (ref − y)²) in dB; +∞ when y equals the reference exactly.</summary>
    public static double SqnrDecibels(ReadOnlySpan<double> reference, ReadOnlySpan<float> actual)
    {
        if (reference.Length != actual.Length) throw new ArgumentException("length mismatch", nameof(actual));
        var r = Vector<double>.Build.Dense(reference.ToArray());
        var a = Vector<double>.Build.Dense(ToDoubles(actual));
        double signal = r.DotProduct(r);
        double noise = (r - a).DotProduct(r - a);
        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    private static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++) d[i] = values[i];
        return d;
    }
}
