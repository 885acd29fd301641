namespace Bit1HW.Flows.Tests;

public class SyntheticLayerTests
{
    [Fact]
    public void A_seed_gives_the_same_layer_every_time_and_another_seed_another()
    {
        var a = SyntheticLayer.Generate(5, 7, 2, seed: 7, zeroFraction: 0.3);
        var b = SyntheticLayer.Generate(5, 7, 2, seed: 7, zeroFraction: 0.3);
        var c = SyntheticLayer.Generate(5, 7, 2, seed: 8, zeroFraction: 0.3);
        Assert.Equal(a.Weight, b.Weight);
        Assert.Equal(a.Input, b.Input);
        Assert.NotEqual(a.Weight, c.Weight);
    }

    [Fact]
    public void The_values_are_pinned_so_a_changed_generator_or_draw_order_is_noticed()
    {
        // make-layer --seed 7: weight [2, 3] ~ N(0, 1/sqrt(3)), then input [1, 3] ~ N(0, 1). A change
        // here changes every make-layer file; update the docs' figures with it.
        var l = SyntheticLayer.Generate(2, 3, 1, seed: 7);
        Assert.Equal(Pinned.Weight, l.Weight.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Pinned.Input, l.Input.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void The_zero_fraction_zeroes_about_that_share_of_the_weights_and_no_input()
    {
        var l = SyntheticLayer.Generate(200, 100, 3, seed: 1, zeroFraction: 0.25);
        double zeros = l.Weight.Count(w => w == 0) / (double)l.Weight.Length;
        Assert.InRange(zeros, 0.24, 0.26);
        Assert.DoesNotContain(0f, l.Input);
        double sigma = Math.Sqrt(l.Weight.Where(w => w != 0).Average(w => (double)w * w));
        Assert.InRange(sigma, 0.095, 0.105);   // 1/sqrt(100)
    }

    private static class Pinned
    {
        public static readonly int[] Weight = [-1127912378, -1109886469, 1057065889, 1037464828, -1103829138, -1083291639];
        public static readonly int[] Input = [-1094692210, -1073678280, -1081801044];
    }
}
