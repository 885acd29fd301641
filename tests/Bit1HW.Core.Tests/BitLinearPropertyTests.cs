using Bit1HW.Core;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Core.Tests;

/// <summary>
/// The fast integer path against a direct evaluation written here from docs/numerics.md: float64
/// sums, long accumulators, Math.Round on doubles. Seeds are in the rows; failures name seed, K and index.
/// </summary>
public class BitLinearPropertyTests
{
    public static TheoryData<int, int> Cases()
    {
        var d = new TheoryData<int, int>();
        int seed = 100;
        foreach (int k in new[] { 1, 3, 7, 63, 65, 256, 2560 })
            d.Add(seed++, k);
        return d;
    }

    /// <summary>Random activation in [lo, hi] inclusive, with the two extremes drawn one time in eight each.</summary>
    private static sbyte Activation(SplitMix64 rng, int bits)
    {
        int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
        return rng.Next(8) switch { 0 => (sbyte)lo, 1 => (sbyte)hi, _ => (sbyte)rng.Next(lo, hi + 1) };
    }

    private static long[] ReferenceAcc(sbyte[] w, sbyte[] x, int rows, int k, int tokens)
    {
        var acc = new long[tokens * rows];
        for (int t = 0; t < tokens; t++)
            for (int o = 0; o < rows; o++)
            {
                long s = 0;
                for (int i = 0; i < k; i++) s += (long)w[o * k + i] * x[t * k + i];
                acc[t * rows + o] = s;
            }
        return acc;
    }

    /// <summary>Index of the first difference, or -1. Kept separate so a test can show it catches a fault.</summary>
    private static int FirstDifference(long[] expected, int[] actual)
    {
        for (int i = 0; i < expected.Length; i++) if (expected[i] != actual[i]) return i;
        return expected.Length == actual.Length ? -1 : expected.Length;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Integer_accumulation_matches_a_long_dot_product_on_both_kernels(int seed, int k)
    {
        var rng = new SplitMix64(seed);
        for (int trial = 0; trial < 6; trial++)
        {
            int rows = rng.Next(1, 10), tokens = rng.Next(1, 5), bits = trial % 2 == 0 ? 8 : rng.Next(2, 9);
            int weightPattern = trial % 3; // 0: random, 1: all +1 or -1 in whole rows, 2: mostly zero
            var w = new sbyte[rows * k];
            for (int i = 0; i < w.Length; i++)
                w[i] = weightPattern switch
                {
                    0 => (sbyte)rng.Next(-1, 2),
                    1 => (sbyte)((i / k) % 2 == 0 ? 1 : -1),
                    _ => (sbyte)(rng.Next(10) == 0 ? rng.Next(-1, 2) : 0),
                };
            var x = new sbyte[tokens * k];
            for (int i = 0; i < x.Length; i++) x[i] = Activation(rng, bits);
            var m = TernaryMatrix.FromTernary(w, rows, k, 1f);
            var q = new QuantizedActivations(tokens, k, bits, x, new float[tokens]);
            long[] expected = ReferenceAcc(w, x, rows, k, tokens);
            foreach (bool simd in new[] { true, false })
            {
                var acc = new int[tokens * rows];
                BitLinear.Accumulate(m, q, acc, simd);
                int bad = FirstDifference(expected, acc);
                Assert.True(bad < 0, $"seed {seed} K={k} trial {trial} rows={rows} tokens={tokens} b={bits} simd={simd}: first difference at {bad}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_layer_matches_the_formula_evaluated_independently(int seed, int k)
    {
        var rng = new SplitMix64(seed);
        int rows = rng.Next(1, 12), tokens = rng.Next(1, 4), bits = seed % 2 == 0 ? 8 : 4;
        var w = new float[rows * k];
        for (int i = 0; i < w.Length; i++) w[i] = rng.Next(5) == 0 ? 0f : (float)(rng.NextDouble() * 2 - 1) * 0.05f;
        var x = new float[tokens * k];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 8 - 4);

        // Independent evaluation of docs/numerics.md.
        double absSum = 0;
        foreach (float v in w) absSum += Math.Abs((double)v);
        float beta = Math.Max((float)(absSum / w.Length), 1e-5f);
        var wt = w.Select(v => (long)Math.Clamp(Math.Round((double)(v / beta), MidpointRounding.ToEven), -1, 1)).ToArray();
        int qmax = (1 << (bits - 1)) - 1;
        var scales = new float[tokens];
        var xq = new long[tokens * k];
        for (int t = 0; t < tokens; t++)
        {
            float maxAbs = 0;
            for (int i = 0; i < k; i++) maxAbs = Math.Max(maxAbs, Math.Abs(x[t * k + i]));
            scales[t] = qmax / Math.Max(maxAbs, 1e-5f);
            for (int i = 0; i < k; i++)
                xq[t * k + i] = (long)Math.Clamp(Math.Round((double)(x[t * k + i] * scales[t]), MidpointRounding.ToEven), -qmax - 1, qmax);
        }

        var m = TernaryMatrix.Quantize(w, rows, k, WeightScaleMethod.AbsMean);
        var q = QuantizedActivations.Quantize(x, tokens, k, bits);
        var (acc, y) = BitLinear.Forward(m, q);
        Assert.Equal(BitConverter.SingleToInt32Bits(beta), BitConverter.SingleToInt32Bits(m.Scale));
        Assert.Equal(wt.Select(v => (sbyte)v), m.ToValues());
        Assert.Equal(scales, q.Scales);
        Assert.Equal(xq.Select(v => (sbyte)v), q.Data);
        for (int t = 0; t < tokens; t++)
            for (int o = 0; o < rows; o++)
            {
                long a = 0;
                for (int i = 0; i < k; i++) a += wt[o * k + i] * xq[t * k + i];
                float expectedY = (float)a / scales[t] * beta;
                int idx = t * rows + o;
                Assert.True(a == acc[idx] && BitConverter.SingleToInt32Bits(expectedY) == BitConverter.SingleToInt32Bits(y[idx]),
                    $"seed {seed} K={k} [t={t}, o={o}]: acc {acc[idx]} vs {a}, y {y[idx]:R} vs {expectedY:R}");
            }
    }

    [Fact]
    public void The_difference_finder_catches_a_single_flipped_accumulator()
    {
        long[] expected = [5, -7, 9];
        Assert.Equal(-1, FirstDifference(expected, [5, -7, 9]));
        Assert.Equal(1, FirstDifference(expected, [5, -6, 9]));
        Assert.Equal(2, FirstDifference(expected, [5, -7, 9 ^ (1 << 30)]));
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(8, 65)]
    [InlineData(8, 2560)]
    [InlineData(8, 6912)]
    [InlineData(4, 7)]
    [InlineData(4, 2560)]
    public void Accumulator_extremes_are_exact(int bits, int k)
    {
        long most = (long)k << (bits - 1);
        var x = new QuantizedActivations(1, k, bits, Enumerable.Repeat((sbyte)-(1 << (bits - 1)), k).ToArray(), [1f]);
        var plus = TernaryMatrix.FromTernary(Enumerable.Repeat((sbyte)1, k).ToArray(), 1, k, 1f);
        var minus = TernaryMatrix.FromTernary(Enumerable.Repeat((sbyte)-1, k).ToArray(), 1, k, 1f);
        foreach (bool simd in new[] { true, false })
        {
            var acc = new int[1];
            BitLinear.Accumulate(plus, x, acc, simd);
            Assert.Equal(-most, acc[0]);      // all +1 weights, all activations -2^(b-1)
            BitLinear.Accumulate(minus, x, acc, simd);
            Assert.Equal(most, acc[0]);       // mixed-sign extreme: -1 × -2^(b-1) per term
        }
    }

    [Fact]
    public void At_the_largest_K_the_sum_still_lands_exactly_on_two_to_the_31_minus_128()
    {
        int k = (int)BitLinear.MaxK(8); // 16 777 215; the SIMD path's Σ(w+1)·x wraps past int32 and must come back
        var x = new QuantizedActivations(1, k, 8, Enumerable.Repeat((sbyte)-128, k).ToArray(), [1f]);
        var minus = TernaryMatrix.FromTernary(Enumerable.Repeat((sbyte)-1, k).ToArray(), 1, k, 1f);
        var acc = new int[1];
        BitLinear.Accumulate(minus, x, acc, useSimd: true);
        Assert.Equal(2_147_483_520, acc[0]);
        var plus = TernaryMatrix.FromTernary(Enumerable.Repeat((sbyte)1, k).ToArray(), 1, k, 1f);
        BitLinear.Accumulate(plus, x, acc, useSimd: true);
        Assert.Equal(-2_147_483_520, acc[0]);
    }

    [Fact]
    public void Large_layers_split_across_threads_give_the_same_integers()
    {
        const int seed = 77, rows = 300, k = 1000, tokens = 3;
        var rng = new SplitMix64(seed);
        var w = new sbyte[rows * k];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-1, 2);
        var x = new sbyte[tokens * k];
        for (int i = 0; i < x.Length; i++) x[i] = Activation(rng, 8);
        var acc = new int[tokens * rows];
        BitLinear.Accumulate(TernaryMatrix.FromTernary(w, rows, k, 1f), new QuantizedActivations(tokens, k, 8, x, new float[tokens]), acc);
        Assert.Equal(-1, FirstDifference(ReferenceAcc(w, x, rows, k, tokens), acc));
    }
}
