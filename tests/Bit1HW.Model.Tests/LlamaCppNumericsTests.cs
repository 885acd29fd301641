using Bit1HW.Core.Numerics;
using Bit1HW.Core;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Model.Tests;

/// <summary>
/// The pieces of the llama.cpp numerics mode that can be pinned by hand. Its agreement with llama.cpp
/// itself is tested against the real library in tests/Bit1HW.LlamaCpp.Tests.
/// </summary>
public class LlamaCppNumericsTests
{
    [Fact]
    public void Q8_K_scales_each_block_by_its_signed_extreme_and_rounds_ties_to_even()
    {
        var x = new float[512];
        // The block max is x[1] = −127/64 (x[2] has the same magnitude but comes later): iscale = 64 exactly.
        float[] head = [0.5f, -127f / 64, 127f / 64, -3f / 64, 2.5f / 64, 3.5f / 64, -2.5f / 64];
        head.CopyTo(x, 0);
        var q = new sbyte[512];
        var d = new float[2];
        LlamaCppNumerics.QuantizeQ8K(x, q, d);
        Assert.Equal(1f / 64, d[0]);
        Assert.Equal([32, -127, 127, -3, 2, 4, -2], q.Take(7).Select(v => (int)v));
        Assert.Equal(0f, d[1]);                                              // an all-zero block
        Assert.All(q.Skip(256), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Hsum8_adds_the_lanes_in_ggmls_tree_order()
    {
        // ((x4 + x0) + (x6 + x2)) + (...): 2^24 + 1 rounds to 2^24 before the second 1 arrives.
        // Adding x4 + x6 first would give 2^24 + 2 exactly.
        float[] lanes = [16777216f, 0, 0, 0, 1, 0, 1, 0];
        Assert.Equal(16777216f, LlamaCppNumerics.Hsum8(lanes));
    }

    [Fact]
    public void DotF16_keeps_32_lanes_and_adds_the_tail_in_float64()
    {
        var a = new float[33];
        var b = new float[33];
        a[0] = 16777216f; b[0] = 1;
        a[16] = 1; b[16] = 1;                  // lane 16 meets lane 0 in the first pairwise step: 2^24 + 1 rounds to 2^24
        a[32] = 2; b[32] = 1;                  // the tail after the last whole block of 32, added in float64
        // Every term summed in float64 would be 2^24 + 3, which rounds to 2^24 + 4.
        Assert.Equal(16777218f, LlamaCppNumerics.DotF16(a, b));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(-1f)]
    [InlineData(-0.3125f)]
    [InlineData(10.5f)]
    [InlineData(-87.5f)]
    [InlineData(88f)]
    public void ExpF_is_within_two_ulp_of_e_to_the_x(float x)
    {
        float got = LlamaCppNumerics.ExpF(x);
        double exact = Math.Exp(x);
        double ulp = Math.Abs(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((float)exact) + 1) - (float)exact);
        Assert.True(Math.Abs(got - exact) <= 2 * ulp, $"ExpF({x}) = {got:R}, e^x = {exact:R}");
    }

    [Fact]
    public void ExpF_of_minus_infinity_is_zero_as_masked_attention_needs()
    {
        Assert.Equal(0f, LlamaCppNumerics.ExpF(float.NegativeInfinity));
        Assert.Equal(0f, LlamaCppNumerics.ExpF(-200f));
        Assert.Equal(1f, LlamaCppNumerics.ExpF(0f));
    }

    private static List<float[]> Logits(BitNetWeights w, ITernaryLinearBackend b, int[] prompt, int maxNew, DecoderNumerics n)
    {
        var all = new List<float[]>();
        DecodeRun.Run(w, b, prompt, maxNew, 0, 1, l => all.Add((float[])l.Clone()), n);
        return all;
    }

    [Fact]
    public void The_three_ternary_formats_give_bit_identical_llama_cpp_numerics_logits()
    {
        var c = TinyModels.Config(act: HiddenAct.Silu);
        var tq2 = Logits(TinyModels.Load(TinyModels.Gguf(c, 5, ModelFormat.GgufTq2)), new ReferenceBackend(), [3, 1, 4], 3, DecoderNumerics.LlamaCpp);
        foreach (var f in new[] { ModelFormat.GgufTq1, ModelFormat.GgufI2s })
        {
            var other = Logits(TinyModels.Load(TinyModels.Gguf(c, 5, f)), new ReferenceBackend(), [3, 1, 4], 3, DecoderNumerics.LlamaCpp);
            for (int s = 0; s < tq2.Count; s++) Assert.Equal(tq2[s], other[s]);
        }
    }

    [Fact]
    public void The_llama_cpp_numerics_change_the_logits_but_not_their_shape()
    {
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(act: HiddenAct.Silu), 5, ModelFormat.GgufTq2));
        var own = Logits(w, new ReferenceBackend(), [3, 1, 4], 3, DecoderNumerics.Bit1hw);
        var llama = Logits(w, new ReferenceBackend(), [3, 1, 4], 3, DecoderNumerics.LlamaCpp);
        for (int s = 0; s < own.Count; s++)
        {
            Assert.NotEqual(own[s], llama[s]);
            double maxDiff = own[s].Zip(llama[s], (a, b) => Math.Abs(a - b)).Max();
            Assert.InRange(maxDiff, 1e-3, 5.0);
        }
    }

    /// <summary>The reference, except one accumulator of one projection is off by one.</summary>
    private sealed class OffByOneBackend : ITernaryLinearBackend
    {
        private readonly ReferenceBackend _inner = new();
        public string Name => "off-by-one";
        public long? Cycles => null;

        public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
        {
            _inner.MatVec(w, xq, acc, site);
            if (site is { Layer: 1, Projection: "ffn_up" }) acc[3]++;
        }
    }

    [Fact]
    public void A_backend_whose_block_sum_disagrees_with_the_codes_is_caught()
    {
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(act: HiddenAct.Silu), 5, ModelFormat.GgufTq2));
        var e = Assert.Throws<BackendMismatchException>(() => Logits(w, new OffByOneBackend(), [3], 1, DecoderNumerics.LlamaCpp));
        Assert.Contains("layer 1 ffn_up at position 0: row 3 block 0", e.Message);
    }

    [Fact]
    public void A_model_whose_rows_are_not_whole_256_blocks_is_refused_in_llama_cpp_numerics()
    {
        var c = TinyModels.Config() with { HiddenSize = 384, NumHeads = 6, NumKvHeads = 3 };
        var w = TinyModels.Load(TinyModels.Gguf(c, 1, ModelFormat.GgufI2s));
        var e = Assert.Throws<UserInputException>(() => Logits(w, new ReferenceBackend(), [3], 1, DecoderNumerics.LlamaCpp));
        Assert.Contains("384 columns: llama.cpp numerics quantize activations in blocks of 256", e.Message);
    }
}
