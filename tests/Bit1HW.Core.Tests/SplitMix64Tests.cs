namespace Bit1HW.Core.Tests;

public class SplitMix64Tests
{
    [Fact]
    public void The_sequence_is_the_published_SplitMix64_one_so_no_runtime_can_change_it()
    {
        // Reference values of SplitMix64 (Vigna's splitmix64.c) from state 0.
        var rng = new SplitMix64(0UL);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, rng.NextUInt64());
    }

    [Fact]
    public void Int_ranges_include_both_ends_of_the_closed_interval_and_never_leave_it()
    {
        var rng = new SplitMix64(3);
        var seen = new HashSet<int>();
        for (int i = 0; i < 2000; i++)
        {
            int v = rng.Next(-2, 3);
            Assert.InRange(v, -2, 2);
            seen.Add(v);
        }
        Assert.Equal(5, seen.Count);
        Assert.Equal(int.MinValue, new SplitMix64(1).Next(int.MinValue, int.MinValue + 1));
        long wide = new SplitMix64(2).NextInt64(long.MinValue, long.MaxValue);
        Assert.NotEqual(long.MaxValue, wide);
    }

    [Fact]
    public void Negative_int_seeds_are_distinct_from_their_unsigned_reinterpretation_of_zero()
    {
        Assert.NotEqual(new SplitMix64(-1).NextUInt64(), new SplitMix64(0).NextUInt64());
        Assert.Equal(new SplitMix64(-1).NextUInt64(), new SplitMix64(ulong.MaxValue).NextUInt64());
    }

    [Fact]
    public void Gaussian_draws_have_mean_zero_and_variance_one()
    {
        var rng = new SplitMix64(11);
        const int n = 200_000;
        double sum = 0, squares = 0;
        for (int i = 0; i < n; i++)
        {
            double g = rng.NextGaussian();
            sum += g;
            squares += g * g;
        }
        // Standard errors: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032; five of them as the bound.
        Assert.InRange(sum / n, -0.011, 0.011);
        Assert.InRange(squares / n - (sum / n) * (sum / n), 0.984, 1.016);
    }
}
