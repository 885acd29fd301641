using Bit1HW.Model.Decoding;

namespace Bit1HW.Model.Tests;

public class DecoderTests
{
    private static List<float[]> Logits(BitNetWeights w, ITernaryLinearBackend b, int[] prompt, int maxNew, double temperature = 0, ulong seed = 1)
    {
        var all = new List<float[]>();
        DecodeRun.Run(w, b, prompt, maxNew, temperature, seed, l => all.Add((float[])l.Clone()));
        return all;
    }

    private static void AssertBitIdentical(List<float[]> a, List<float[]> b, string what)
    {
        Assert.Equal(a.Count, b.Count);
        for (int s = 0; s < a.Count; s++)
            for (int i = 0; i < a[s].Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(a[s][i]) == BitConverter.SingleToInt32Bits(b[s][i]),
                    $"{what}: step {s} logit {i}: {a[s][i]:R} vs {b[s][i]:R}");
    }

    [Fact]
    public void The_three_ternary_formats_of_one_seeded_model_give_bit_identical_logits()
    {
        var c = TinyModels.Config();
        var tq2 = Logits(TinyModels.Load(TinyModels.Gguf(c, 5, ModelFormat.GgufTq2)), new ReferenceBackend(), [3, 1, 4, 1, 5], 4);
        var tq1 = Logits(TinyModels.Load(TinyModels.Gguf(c, 5, ModelFormat.GgufTq1)), new ReferenceBackend(), [3, 1, 4, 1, 5], 4);
        var i2s = Logits(TinyModels.Load(TinyModels.Gguf(c, 5, ModelFormat.GgufI2s)), new ReferenceBackend(), [3, 1, 4, 1, 5], 4);
        AssertBitIdentical(tq2, tq1, "TQ2_0 vs TQ1_0");
        AssertBitIdentical(tq2, i2s, "TQ2_0 vs I2_S");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Reference_scalar_and_Core_backends_give_bit_identical_logits(bool tied, bool silu)
    {
        var act = silu ? HiddenAct.Silu : HiddenAct.Relu2;
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(tied, act), 9, ModelFormat.GgufTq2));
        var reference = Logits(w, new ReferenceBackend(), [7, 8, 9], 3);
        AssertBitIdentical(reference, Logits(w, new ScalarBackend(), [7, 8, 9], 3), "reference vs scalar");
        AssertBitIdentical(reference, Logits(w, new CoreBackend(), [7, 8, 9], 3), "reference vs Core BitLinear");
    }

    [Fact]
    public void Untied_models_use_their_own_output_matrix()
    {
        var c = TinyModels.Config(tied: false);
        var w = TinyModels.Load(TinyModels.Gguf(c, 9, ModelFormat.GgufTq2));
        Assert.NotNull(w.Output);
        Assert.Same(w.Output, w.LmHead);
        var tied = w with { Output = null };
        Assert.NotEqual(Logits(w, new ReferenceBackend(), [1], 1)[0], Logits(tied, new ReferenceBackend(), [1], 1)[0]);
    }

    [Fact]
    public void The_kv_cache_makes_later_logits_depend_on_earlier_tokens()
    {
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(), 9, ModelFormat.GgufTq2));
        var a = Logits(w, new ReferenceBackend(), [1, 2, 5], 1)[2];
        var b = Logits(w, new ReferenceBackend(), [3, 2, 5], 1)[2];
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Rope_pairs_element_i_with_i_plus_half_the_head_NEOX_style()
    {
        // head dim 4, θ = 10000, position 1: pair (0, 2) turns by 1 rad, pair (1, 3) by 10000^(-1/2) = 0.01 rad.
        var x = new float[] { 1, 0, 0, 0, 0, 1, 0, 0 };
        Bit1hwNumerics.Rope(x, heads: 2, headDim: 4, pos: 1, theta: 10000f);
        Assert.Equal((float)Math.Cos(1), x[0]);
        Assert.Equal(0f, x[1]);
        Assert.Equal((float)Math.Sin(1), x[2]);
        Assert.Equal((float)Math.Cos(0.01), x[5]);
        Assert.Equal((float)Math.Sin(0.01), x[7]);
        Assert.Equal(0f, x[6]);
    }

    [Fact]
    public void Rope_at_position_0_is_the_identity()
    {
        var x = new float[] { 0.5f, -1, 2, 3 };
        Bit1hwNumerics.Rope(x, 1, 4, 0, 500000f);
        Assert.Equal(new float[] { 0.5f, -1, 2, 3 }, x);
    }

    [Fact]
    public void Squared_relu_and_silu_gates_match_hand_values()
    {
        var h = new float[3];
        Bit1hwNumerics.GatedAct([-2f, 0.5f, 3f], [5f, 4f, 2f], HiddenAct.Relu2, h);
        Assert.Equal(new float[] { 0f, 1f, 18f }, h);
        Bit1hwNumerics.GatedAct([0f, 0f, 0f], [5f, 4f, 2f], HiddenAct.Silu, h);
        Assert.Equal(new float[] { 0f, 0f, 0f }, h);
    }

    [Fact]
    public void Greedy_sampling_takes_the_lowest_index_of_the_maximum()
    {
        Assert.Equal(1, new Sampler(0, 1).Next([0f, 3f, 1f, 3f]));
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_follows_the_seed()
    {
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(), 9, ModelFormat.GgufTq2));
        var a = DecodeRun.Run(w, new ReferenceBackend(), [1, 2], 12, 30.0, 42).Generated;
        var b = DecodeRun.Run(w, new ReferenceBackend(), [1, 2], 12, 30.0, 42).Generated;
        var c = DecodeRun.Run(w, new ReferenceBackend(), [1, 2], 12, 30.0, 43).Generated;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
