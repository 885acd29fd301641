using Bit1HW.Core;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;
using Bit1HW.Model.Gguf;
using Xunit.Abstractions;

namespace Bit1HW.LlamaCpp.Tests;

/// <summary>
/// bit1hw's files and decoder next to llama.cpp itself (LLamaSharp 0.30.0's AVX2 build): which files
/// load, whether greedy tokens agree, and how close the logits are in each numerics mode
/// (docs/model.md, "llama.cpp as a peer"; docs/numerics.md, section 9).
/// </summary>
public sealed class LlamaCppPeerTests(ITestOutputHelper output) : IDisposable
{
    private readonly PeerModels.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The bound on |Δlogit| that llama.cpp numerics must meet against llama.cpp (measured: 0).</summary>
    private const double LlamaCppBound = 1e-2;

    private static ModelConfig Model(string name) => name == "small" ? PeerModels.Small() : PeerModels.Tiny();

    private static ModelFormat Format(string f) => SyntheticModel.ParseFormat(f);

    [Fact]
    public void This_llama_cpp_build_knows_the_bitnet_architecture_and_both_ternary_types()
    {
        var c = PeerModels.Tiny();
        var tokens = PeerModels.Tokens(6, c.VocabSize, 1);
        var tq1 = PeerModels.LlamaCppLogits(PeerModels.Write(_dir, c, 4, ModelFormat.GgufTq1), tokens);
        var tq2 = PeerModels.LlamaCppLogits(PeerModels.Write(_dir, c, 4, ModelFormat.GgufTq2), tokens);
        Assert.Equal(c.VocabSize, tq2[0].Length);
        for (int s = 0; s < tokens.Length; s++) Assert.Equal(tq2[s], tq1[s]);
    }

    [Theory]
    [InlineData("silu", "gguf-tq2", null, "spm", true, null)]
    [InlineData("silu", "gguf-tq1", null, "spm", true, null)]
    [InlineData("silu", "gguf-tq2", null, "none", true, null)]
    [InlineData("silu", "gguf-i2s", null, "spm", true, "of type 36")]
    [InlineData("relu2", "gguf-tq2", null, "spm", true, "unknown model architecture: 'bitnet-b1.58'")]
    [InlineData("relu2", "gguf-tq1", "bitnet-25", "spm", true, "unknown model architecture: 'bitnet-25'")]
    [InlineData("silu", "gguf-tq2", null, "spm", false, "wrong number of tensors")]
    public void Every_GGUF_file_bit1hw_writes_loads_in_llama_cpp_or_is_refused_with_llama_cpps_reason(
        string act, string format, string? arch, string tokenizer, bool tied, string? refusal)
    {
        var c = PeerModels.Tiny(act == "silu" ? HiddenAct.Silu : HiddenAct.Relu2, tied);
        string path = PeerModels.Write(_dir, c, 2, Format(format), arch, GgufVocabulary.ParseKind(tokenizer));
        if (refusal is null)
        {
            using var s = LlamaCppSession.Open(path, threads: 2, contextSize: 64);
            Assert.Equal(c.VocabSize, s.Step(5).Length);
            return;
        }
        var e = Assert.Throws<UserInputException>(() => LlamaCppSession.Open(path, threads: 2, contextSize: 64));
        output.WriteLine(e.Message);
        Assert.Contains("llama.cpp refused the file", e.Message);
        Assert.Contains(refusal, e.Message);
    }

    [Fact]
    public void The_placeholder_vocabulary_lets_llama_cpp_turn_text_into_tokens_and_back_as_llama_cli_does()
    {
        string path = PeerModels.Write(_dir, PeerModels.Tiny(), 2, ModelFormat.GgufTq2);
        using var s = LlamaCppSession.Open(path, threads: 2, contextSize: 64);
        Assert.Equal((1, 2, 13), s.SpecialTokens);                       // <s>, </s>, <0x0A>
        int[] ids = s.Tokenize("Hi, BitNet!\n");
        output.WriteLine(string.Join(' ', ids));
        Assert.Equal(1, ids[0]);
        Assert.All(ids, id => Assert.InRange(id, 0, 299));
        Assert.Equal("Hi, BitNet!\n", s.Detokenize(ids.Skip(1)).TrimStart(' '));
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("small")]
    public void Silu_models_give_bit1hws_greedy_tokens_in_llama_cpp_and_logits_within_the_documented_bound(string model)
    {
        var c = Model(model);
        string path = PeerModels.Write(_dir, c, 7, ModelFormat.GgufTq2);
        int[] prompt = PeerModels.Tokens(4, c.VocabSize, 3);
        var mine = DecodeRun.Run(ModelFile.Load(path), new ReferenceBackend(2), prompt, 12, 0, 1).Generated;
        Assert.Equal(mine, PeerModels.LlamaCppGreedy(path, prompt, 12));

        var tokens = PeerModels.Tokens(24, c.VocabSize, 11);
        var agreement = PeerModels.Compare(PeerModels.Bit1hwLogits(path, tokens, DecoderNumerics.Bit1hw), PeerModels.LlamaCppLogits(path, tokens));
        output.WriteLine($"{model}, bit1hw numerics vs llama.cpp: {agreement}");
        Assert.Equal(0, agreement.ArgmaxMismatches);
        Assert.True(agreement.MaxAbsDiff <= 3.0, $"{model}: {agreement}");
        Assert.True(agreement.MinCorrelation >= 0.998, $"{model}: {agreement}");
    }

    [Theory]
    [InlineData("tiny", "gguf-tq2")]
    [InlineData("tiny", "gguf-tq1")]
    [InlineData("small", "gguf-tq2")]
    [InlineData("small", "gguf-tq1")]
    public void In_llama_cpp_numerics_the_logits_match_llama_cpps_to_within_float_rounding(string model, string format)
    {
        var c = Model(model);
        string path = PeerModels.Write(_dir, c, 7, Format(format));
        var tokens = PeerModels.Tokens(24, c.VocabSize, 11);
        var agreement = PeerModels.Compare(PeerModels.Bit1hwLogits(path, tokens, DecoderNumerics.LlamaCpp), PeerModels.LlamaCppLogits(path, tokens));
        output.WriteLine($"{model} {format}, llama.cpp numerics vs llama.cpp: {agreement}");
        Assert.True(agreement.MaxAbsDiff < LlamaCppBound, $"{model} {format}: {agreement}");
    }

    [Theory]
    [InlineData("default numerics")]
    [InlineData("fp32 probabilities")]
    [InlineData("fp32 queries")]
    public void The_llama_cpp_bound_catches_numerics_that_are_not_llama_cpps(string variant)
    {
        var c = PeerModels.Small();
        string path = PeerModels.Write(_dir, c, 7, ModelFormat.GgufTq2);
        var tokens = PeerModels.Tokens(24, c.VocabSize, 11);
        var mine = variant switch
        {
            "default numerics" => PeerModels.Bit1hwLogits(path, tokens, DecoderNumerics.Bit1hw),
            "fp32 probabilities" => PeerModels.Bit1hwLogits(path, tokens, DecoderNumerics.LlamaCpp, LlamaCppDecoder.Fault.ProbabilitiesInF32),
            _ => PeerModels.Bit1hwLogits(path, tokens, DecoderNumerics.LlamaCpp, LlamaCppDecoder.Fault.QueryInF32),
        };
        var agreement = PeerModels.Compare(mine, PeerModels.LlamaCppLogits(path, tokens));
        output.WriteLine($"{variant}: {agreement}");
        Assert.True(agreement.MaxAbsDiff >= LlamaCppBound, $"{variant} went unnoticed: {agreement}");
    }
}
