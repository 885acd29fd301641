using Bit1HW.Core.Numerics;

namespace Bit1HW.Core.Tests;

public class FloatReferenceTests
{
    [Fact]
    public void Gemm_is_input_times_weight_transposed_in_tokens_by_out_layout()
    {
        // W = [[1, 2], [3, 4], [0, -1]] (out 3, K 2); x = [[1, 1], [2, -1]] (2 tokens)
        double[] y = FloatReference.Gemm([1, 2, 3, 4, 0, -1], [1, 1, 2, -1], 3, 2, 2);
        Assert.Equal(new double[] { 3, 7, -1, 0, 2, 1 }, y);
    }

    [Fact]
    public void Sqnr_is_signal_energy_over_error_energy_in_decibels()
    {
        Assert.Equal(double.PositiveInfinity, FloatReference.SqnrDecibels([3, 7], [3f, 7f]));
        // signal 9 + 49 = 58, noise 1 → 10·log10(58)
        Assert.Equal(17.634279935629372, FloatReference.SqnrDecibels([3, 7], [3f, 6f]), 12);
    }
}
