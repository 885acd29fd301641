using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Bit1HW.Core.Numerics;

/// <summary>
/// The reference BitLinear (docs/numerics.md): acc[t, o] = Σ_k Wt[o, k] · Xq[t, k] exactly in int32,
/// then y[t, o] = (float)acc[t, o] / s[t] · beta. Layouts are row-major: acc and y are [tokens, out].
/// <para>The GEMM is the decoder's reference backend, so it is fast: output rows are split across
/// threads, and on AVX2 each 32-element step is one <c>vpmaddubsw</c> of the unsigned offset weight
/// (w + 1 ∈ {0, 1, 2}) with the signed activations, widened by <c>vpmaddwd</c>; Σ (w + 1)·x − Σ x is
/// Σ w·x. The intermediate sums may exceed int32 when K is near the limit, but two's-complement
/// wrap-around is exact modulo 2^32 and the true result fits, so the result is exact. Without AVX2 a
/// scalar loop computes the same integers.</para>
/// </summary>
public static class BitLinear
{
    /// <summary>Largest K for which every ternary dot product of b-bit activations fits int32:
    /// K · 2^(b-1) ≤ 2^31 − 1 (16 777 215 for b = 8).</summary>
    public static long MaxK(int actBits)
    {
        BitNetQuant.RequireActBits(actBits);
        return int.MaxValue >> (actBits - 1);
    }

    public static void Accumulate(TernaryMatrix w, QuantizedActivations x, Span<int> acc) =>
        Accumulate(w, x, acc, useSimd: Avx2.IsSupported);

    internal static unsafe void Accumulate(TernaryMatrix w, QuantizedActivations x, Span<int> acc, bool useSimd)
    {
        CheckShapes(w, x, acc.Length);
        useSimd &= Avx2.IsSupported;
        int rows = w.Rows, tokens = x.Tokens;
        int vectorCols = useSimd ? x.Cols / 32 * 32 : 0;
        var prefixSums = new int[tokens];
        for (int t = 0; t < tokens; t++)
        {
            int s = 0;
            ReadOnlySpan<sbyte> row = x.Data.AsSpan(t * x.Cols, vectorCols);
            foreach (sbyte v in row) s += v;
            prefixSums[t] = s;
        }
        long work = (long)rows * x.Cols * tokens;
        int blockRows = work < (1 << 18) ? rows : Math.Max(1, Math.Min(64, rows / (4 * Environment.ProcessorCount)));
        int blocks = (rows + blockRows - 1) / blockRows;
        fixed (int* accPtr = acc)
        {
            nint accAddress = (nint)accPtr;
            void RunBlock(int b)
            {
                int first = b * blockRows, last = Math.Min(rows, first + blockRows);
                if (useSimd) RowsAvx2(w, x, prefixSums, vectorCols, first, last, (int*)accAddress);
                else RowsScalar(w, x, first, last, (int*)accAddress);
            }
            if (blocks == 1) RunBlock(0);
            else Parallel.For(0, blocks, RunBlock);
        }
    }

    private static void CheckShapes(TernaryMatrix w, QuantizedActivations x, int accLength)
    {
        if (w.Cols != x.Cols)
            throw new ArgumentException($"weights have K = {w.Cols} columns but activations have {x.Cols}");
        if (x.Cols > MaxK(x.ActBits))
            throw new ArgumentException($"K = {x.Cols} exceeds {MaxK(x.ActBits)}, the int32-exact limit for {x.ActBits}-bit activations");
        if (accLength != checked(x.Tokens * w.Rows))
            throw new ArgumentException($"accumulator has {accLength} elements, {x.Tokens * w.Rows} expected ([tokens, out])");
    }

    private static unsafe void RowsScalar(TernaryMatrix w, QuantizedActivations x, int first, int last, int* acc)
    {
        int cols = x.Cols, stride = w.ComputeStride, rows = w.Rows;
        fixed (byte* wBase = w.OffsetWeights)
        fixed (sbyte* xBase = x.Data)
        {
            for (int o = first; o < last; o++)
            {
                byte* wr = wBase + (long)o * stride;
                for (int t = 0; t < x.Tokens; t++)
                {
                    sbyte* xr = xBase + (long)t * cols;
                    int sum = 0;
                    for (int k = 0; k < cols; k++) sum += (wr[k] - 1) * xr[k];
                    acc[(long)t * rows + o] = sum;
                }
            }
        }
    }

    private static unsafe void RowsAvx2(TernaryMatrix w, QuantizedActivations x, int[] prefixSums, int vectorCols, int first, int last, int* acc)
    {
        int cols = x.Cols, stride = w.ComputeStride, rows = w.Rows;
        Vector256<short> ones = Vector256.Create((short)1);
        fixed (byte* wBase = w.OffsetWeights)
        fixed (sbyte* xBase = x.Data)
        {
            for (int o = first; o < last; o++)
            {
                byte* wr = wBase + (long)o * stride;
                for (int t = 0; t < x.Tokens; t++)
                {
                    sbyte* xr = xBase + (long)t * cols;
                    Vector256<int> lanes = Vector256<int>.Zero;
                    int k = 0;
                    // Each vpmaddubsw lane is a pair sum in [-512, 508]; 32 of them stay inside int16.
                    while (k < vectorCols)
                    {
                        int blockEnd = Math.Min(vectorCols, k + 32 * 32);
                        Vector256<short> pairs = Vector256<short>.Zero;
                        for (; k < blockEnd; k += 32)
                            pairs = Avx2.Add(pairs, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(wr + k), Avx.LoadVector256(xr + k)));
                        lanes = Avx2.Add(lanes, Avx2.MultiplyAddAdjacent(pairs, ones));
                    }
                    int sum = Vector256.Sum(lanes) - prefixSums[t];
                    for (; k < cols; k++) sum += (wr[k] - 1) * xr[k];
                    acc[(long)t * rows + o] = sum;
                }
            }
        }
    }

    /// <summary>y[t, o] = (float)acc[t, o] / s[t] · beta, float32, in that order. (float)acc is exact
    /// only for |acc| &lt; 2^24; beyond, the int→float rounding (to nearest even) is part of the contract.</summary>
    public static void Dequantize(ReadOnlySpan<int> acc, ReadOnlySpan<float> actScales, float weightScale, int outFeatures, Span<float> output)
    {
        if (acc.Length != output.Length || acc.Length != checked(actScales.Length * outFeatures))
            throw new ArgumentException($"acc {acc.Length}, output {output.Length}, {actScales.Length} tokens × {outFeatures} outputs disagree");
        for (int t = 0; t < actScales.Length; t++)
        {
            float s = actScales[t];
            for (int o = 0; o < outFeatures; o++)
            {
                int i = t * outFeatures + o;
                output[i] = BitNetQuant.Dequantize(acc[i], s, weightScale);
            }
        }
    }

    /// <summary>Accumulate then dequantize: returns acc and y, both [tokens, out].</summary>
    public static (int[] Acc, float[] Output) Forward(TernaryMatrix w, QuantizedActivations x)
    {
        var acc = new int[checked(x.Tokens * w.Rows)];
        Accumulate(w, x, acc);
        var y = new float[acc.Length];
        Dequantize(acc, x.Scales, w.Scale, w.Rows, y);
        return (acc, y);
    }
}
