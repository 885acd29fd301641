using Bit1HW.Core;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Core.Tests;

/// <summary>Cases worked out by hand from docs/numerics.md.</summary>
public class BitLinearHandTests
{
    [Fact]
    public void Activation_ties_round_half_to_even_through_the_full_formula()
    {
        // max|x| = 127, so s = 127 / 127 = 1 exactly and Xq = round(x).
        float[] x = [0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 3.5f, -1.5f, 127f, -127f, -0f];
        var q = QuantizedActivations.Quantize(x, 1, x.Length, 8);
        Assert.Equal(1f, q.Scales[0]);
        Assert.Equal(new sbyte[] { 0, 2, 2, 0, -2, 4, -2, 127, -127, 0 }, q.Data);
    }

    [Fact]
    public void Minus_zero_and_minus_half_quantize_to_integer_zero_and_contribute_nothing()
    {
        var q = QuantizedActivations.Quantize([-0f, -0.5f, 127f], 1, 3, 8);
        var w = TernaryMatrix.FromTernary([1, -1, 0], 1, 3, 1f);
        var acc = new int[1];
        BitLinear.Accumulate(w, q, acc);
        Assert.Equal(0, acc[0]);
        var y = new float[1];
        BitLinear.Dequantize(acc, q.Scales, w.Scale, 1, y);
        Assert.Equal(0, BitConverter.SingleToInt32Bits(y[0])); // +0.0: (float)0 / s · beta
    }

    [Fact]
    public void Weight_ties_at_half_beta_go_to_zero_and_large_weights_clamp()
    {
        // mean|W| = (1 + 1 + 0.5 + 0.5 + 3 + 0 + 1.5 + 0.5) / 8 = 1, so W / beta = W.
        float[] w = [1f, -1f, 0.5f, -0.5f, 3f, 0f, 1.5f, -0.5f];
        var m = TernaryMatrix.Quantize(w, 2, 4, WeightScaleMethod.AbsMean);
        Assert.Equal(1f, m.Scale);
        Assert.Equal(new sbyte[] { 1, -1, 0, 0, 1, 0, 1, 0 }, m.ToValues()); // 1.5 → 2 → clamp 1
    }

    [Fact]
    public void Median_scale_is_the_lower_median_of_the_absolute_values()
    {
        var m = TernaryMatrix.Quantize([4f, -1f, 3f, -2f], 1, 4, WeightScaleMethod.Median);
        Assert.Equal(2f, m.Scale); // |W| sorted 1 2 3 4 → lower median 2
        Assert.Equal(new sbyte[] { 1, 0, 1, -1 }, m.ToValues()); // 2, -0.5, 1.5, -1 → 1, -0, 2→1, -1
    }

    [Fact]
    public void An_all_zero_weight_tensor_uses_the_scale_floor_and_gives_zero_output()
    {
        var m = TernaryMatrix.Quantize(new float[6], 2, 3, WeightScaleMethod.AbsMean);
        Assert.Equal(1e-5f, m.Scale);
        Assert.All(m.ToValues(), v => Assert.Equal(0, v));
        Assert.Equal(new byte[] { 0, 0 }, m.Packed);
    }

    [Fact]
    public void An_all_zero_token_uses_the_absmax_floor()
    {
        var q = QuantizedActivations.Quantize([0f, 0f, 0f, 1f, -2f, 0.5f], 2, 3, 8);
        Assert.Equal(127f / 1e-5f, q.Scales[0]);
        Assert.Equal(new sbyte[] { 0, 0, 0 }, q.Data[..3]);
        Assert.Equal(63.5f, q.Scales[1]);                         // 127 / 2
        Assert.Equal(new sbyte[] { 64, -127, 32 }, q.Data[3..]);  // 63.5 → 64 (even), -127, 31.75 → 32
    }

    [Fact]
    public void Four_bit_activations_clamp_to_seven()
    {
        var q = QuantizedActivations.Quantize([1f, -1f, 0.5f, 0.0714f], 1, 4, 4);
        Assert.Equal(7f, q.Scales[0]);
        Assert.Equal(new sbyte[] { 7, -7, 4, 0 }, q.Data); // 3.5 → 4, 0.4998 → 0
    }

    [Fact]
    public void Dequantization_divides_by_the_token_scale_then_multiplies_by_beta()
    {
        var w = TernaryMatrix.FromTernary([1, 1, -1, 0, 1, 1], 2, 3, 0.5f);
        var x = new QuantizedActivations(2, 3, 8, [3, 4, 5, -128, 127, -1], [2f, 4f]);
        var (acc, y) = BitLinear.Forward(w, x);
        // token 0: row 0 = 3 + 4 - 5 = 2, row 1 = 0 + 4 + 5 = 9; token 1: row 0 = -128 + 127 + 1 = 0, row 1 = 127 - 1 = 126
        Assert.Equal(new[] { 2, 9, 0, 126 }, acc);
        Assert.Equal(new[] { 0.5f, 2.25f, 0f, 15.75f }, y);
    }

    [Fact]
    public void Packed_rows_decode_to_the_same_matrix()
    {
        sbyte[] v = [1, -1, 0, 1, -1, /* row 2 */ 0, 0, 1, 1, -1];
        var m = TernaryMatrix.FromTernary(v, 2, 5, 1f);
        Assert.Equal(2, m.RowStrideBytes);
        // row 0: codes 01 11 00 01 | 11 → 0b01_00_11_01, 0b11; row 1: 00 00 01 01 | 11 → 0b01_01_00_00, 0b11
        Assert.Equal(new byte[] { 0b01_00_11_01, 0b11, 0b01_01_00_00, 0b11 }, m.Packed);
        Assert.Equal(v, TernaryMatrix.FromPacked(m.Packed, 2, 5, 1f).ToValues());
    }

    [Fact]
    public void Shapes_that_disagree_are_rejected()
    {
        var w = TernaryMatrix.FromTernary([1, 0], 1, 2, 1f);
        var x = new QuantizedActivations(1, 3, 8, [1, 2, 3], [1f]);
        Assert.Throws<ArgumentException>(() => BitLinear.Accumulate(w, x, new int[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TernaryMatrix.FromTernary([], 1, 0, 1f));
    }

    [Theory]
    [InlineData(8, 16_777_215L)]
    [InlineData(4, 268_435_455L)]
    [InlineData(2, 1_073_741_823L)]
    public void The_int32_limit_on_K_is_the_largest_K_with_K_times_two_to_b_minus_1_in_range(int bits, long maxK)
    {
        Assert.Equal(maxK, BitLinear.MaxK(bits));
        Assert.True(maxK << (bits - 1) <= int.MaxValue);
        Assert.True((maxK + 1) << (bits - 1) > int.MaxValue);
    }
}

public class TernaryMatrixLayoutTests
{
    [Fact]
    public void A_matrix_large_enough_to_be_built_in_parallel_equals_the_scalar_definition_row_by_row()
    {
        const int seed = 31, rows = 1100, cols = 1001; // > 2^20 elements: the parallel path
        var rng = new SplitMix64(seed);
        var w = new float[rows * cols];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() - 0.5);
        var m = TernaryMatrix.Quantize(w, rows, cols, WeightScaleMethod.AbsMean);
        var t = new sbyte[w.Length];
        BitNetQuant.TernarizeWeights(w, m.Scale, t);
        Assert.Equal(t, m.ToValues());
        for (int o = 0; o < rows; o += 99)
            Assert.Equal(TernaryCode.Pack(t.AsSpan(o * cols, cols)), m.Packed.AsSpan(o * m.RowStrideBytes, m.RowStrideBytes).ToArray());
    }
}
