using Bit1HW.Core;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Tests;

/// <summary>What the GGUF writer tells llama.cpp and bitnet.cpp, and the files of theirs the reader accepts.</summary>
public class GgufInteropTests
{
    private static HiddenAct Act(string s) => s == "silu" ? HiddenAct.Silu : HiddenAct.Relu2;

    private static GgufFile Header(byte[] bytes) => GgufReader.Read(new MemoryStream(bytes), "m.gguf");

    private static byte[] Write(ModelConfig c, string? arch = null, TokenizerKind tokenizer = TokenizerKind.Spm)
    {
        var ms = new MemoryStream();
        SyntheticModel.WriteGguf(c, 3, ModelFormat.GgufTq2, ms, arch, tokenizer);
        return ms.ToArray();
    }

    [Fact]
    public void A_silu_model_is_written_as_mainline_llama_cpps_bitnet_with_its_activation_and_quantization_version()
    {
        var f = Header(Write(TinyModels.Config(act: HiddenAct.Silu)));
        Assert.Equal("bitnet", f.Get("general.architecture")!.Value);
        Assert.Equal("silu", f.Get("bitnet.hidden_activation")!.Value);
        Assert.Equal(2u, f.Get("general.quantization_version")!.Value);
        Assert.Equal(256u, f.Get("bitnet.embedding_length")!.Value);
        Assert.Null(f.Get("bit1hw.hidden_act"));
    }

    [Theory]
    [InlineData(null, "bitnet-b1.58")]
    [InlineData("bitnet-25", "bitnet-25")]
    public void A_relu2_model_is_written_under_a_bitnet_cpp_name_whose_keys_carry_that_prefix(string? requested, string expected)
    {
        var f = Header(Write(TinyModels.Config(act: HiddenAct.Relu2), requested));
        Assert.Equal(expected, f.Get("general.architecture")!.Value);
        Assert.Equal(4u, f.Get($"{expected}.attention.head_count")!.Value);
        Assert.Equal("relu2", f.Get($"{expected}.hidden_activation")!.Value);
        Assert.Null(f.Get("bitnet.attention.head_count"));
        Assert.Equal(HiddenAct.Relu2, TinyModels.Load(Write(TinyModels.Config(act: HiddenAct.Relu2), requested)).Config.Act);
    }

    [Theory]
    [InlineData("relu2", "bitnet", "would run as a different model")]
    [InlineData("silu", "bitnet-b1.58", "would run as a different model")]
    [InlineData("silu", "llama", "is not one of bitnet, bitnet-b1.58, bitnet-25")]
    public void An_architecture_name_whose_graph_builds_another_activation_is_refused_and_nothing_is_written(string activation, string arch, string message)
    {
        var act = Act(activation);
        string path = Path.Combine(Path.GetTempPath(), $"bit1hw-arch-{Guid.NewGuid():N}.gguf");
        var e = Assert.Throws<UserInputException>(() => SyntheticModel.WriteGguf(TinyModels.Config(act: act), 1, ModelFormat.GgufTq2, path, arch));
        Assert.StartsWith("--arch", e.Message);
        Assert.Contains(message, e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void The_placeholder_vocabulary_has_control_byte_and_normal_tokens_where_llama_cpp_looks_for_them()
    {
        var c = TinyModels.Config(act: HiddenAct.Silu) with { VocabSize = 300 };
        var f = Header(Write(c));
        Assert.Equal("llama", f.Get("tokenizer.ggml.model")!.Value);
        var tokens = ((GgufArray)f.Get("tokenizer.ggml.tokens")!.Value).Items;
        var types = ((GgufArray)f.Get("tokenizer.ggml.token_type")!.Value).Items;
        var scores = ((GgufArray)f.Get("tokenizer.ggml.scores")!.Value).Items;
        Assert.Equal(300, tokens.Count);
        Assert.Equal(["<unk>", "<s>", "</s>", "<0x00>"], tokens.Take(4));
        Assert.Equal(("<0x0A>", 6), (tokens[13], types[13]));
        Assert.Equal(("<0xFF>", 6), (tokens[258], types[258]));
        Assert.Equal(("\u2581", 1, 0f), (tokens[259], types[259], scores[259]));
        Assert.Equal(("\u2581w260", 1, -1f), (tokens[260], types[260], scores[260]));
        Assert.Equal(("\u2581w299", 1, -40f), (tokens[299], types[299], scores[299]));
        Assert.Equal([2, 3, 3], types.Take(3));
        Assert.Equal(1u, f.Get("tokenizer.ggml.bos_token_id")!.Value);
        Assert.Equal(2u, f.Get("tokenizer.ggml.eos_token_id")!.Value);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public void Tokenizer_none_writes_only_the_model_key_and_a_two_token_vocabulary_needs_it()
    {
        var f = Header(Write(TinyModels.Config(act: HiddenAct.Silu), tokenizer: TokenizerKind.None));
        Assert.Equal("none", f.Get("tokenizer.ggml.model")!.Value);
        Assert.Null(f.Get("tokenizer.ggml.tokens"));
        var e = Assert.Throws<UserInputException>(() => Write(TinyModels.Config(act: HiddenAct.Silu) with { VocabSize = 2 }));
        Assert.Contains("--tokenizer none", e.Message);
    }

    private static List<KeyValuePair<string, GgufValue>> Rename(List<KeyValuePair<string, GgufValue>> m, Func<string, string?> key) =>
        [.. m.Where(kv => key(kv.Key) is not null).Select(kv => new KeyValuePair<string, GgufValue>(key(kv.Key)!, kv.Value))];

    private static BitNetWeights LoadWithMetadata(ModelConfig c, Func<List<KeyValuePair<string, GgufValue>>, List<KeyValuePair<string, GgufValue>>> edit)
    {
        var ms = new MemoryStream();
        GgufWriter.Write(ms, 3, edit(GgufLayout.Metadata(c, GgmlType.TQ2_0, 1)), SyntheticModel.Tensors(c, 1, GgmlType.TQ2_0));
        return TinyModels.Load(ms.ToArray());
    }

    [Theory]
    [InlineData("bitnet", "silu")]
    [InlineData("bitnet-b1.58", "relu2")]
    [InlineData("bitnet-25", "relu2")]
    public void Without_an_activation_key_a_file_is_read_with_the_activation_its_architecture_builds(string arch, string activation)
    {
        var expected = Act(activation);
        var c = TinyModels.Config(act: expected);
        string written = GgufArchitecture.For(expected).Name;
        var w = LoadWithMetadata(c, m => Rename(m, k =>
            k.EndsWith(".hidden_activation", StringComparison.Ordinal) ? null
            : k.StartsWith(written + ".", StringComparison.Ordinal) ? arch + k[written.Length..] : k)
            .Select(kv => kv.Key == "general.architecture" ? new KeyValuePair<string, GgufValue>(kv.Key, GgufValue.Of(arch)) : kv).ToList());
        Assert.Equal(expected, w.Config.Act);
        Assert.Equal(c.HiddenSize, w.Config.HiddenSize);
    }

    [Fact]
    public void A_file_of_an_earlier_bit1hw_keeps_its_declared_relu2_under_the_bitnet_name()
    {
        // Earlier versions wrote relu2 models as "bitnet" plus bit1hw.hidden_act; bit1hw still decodes them as written.
        var c = TinyModels.Config(act: HiddenAct.Relu2);
        var w = LoadWithMetadata(c, m => [.. Rename(m, k => k.EndsWith(".hidden_activation", StringComparison.Ordinal) ? null
                : k.StartsWith("bitnet-b1.58.", StringComparison.Ordinal) ? "bitnet" + k["bitnet-b1.58".Length..] : k)
            .Select(kv => kv.Key == "general.architecture" ? new KeyValuePair<string, GgufValue>(kv.Key, GgufValue.Of("bitnet")) : kv),
            new("bit1hw.hidden_act", GgufValue.Of("relu2"))]);
        Assert.Equal(HiddenAct.Relu2, w.Config.Act);
    }

    [Fact]
    public void Inspect_warns_about_a_relu2_file_labelled_bitnet_and_not_about_a_written_one()
    {
        var c = TinyModels.Config(act: HiddenAct.Relu2);
        var ms = new MemoryStream();
        // As earlier bit1hw versions wrote relu2 models: "bitnet" plus bit1hw.hidden_act.
        GgufWriter.Write(ms, 3, [.. GgufLayout.Metadata(c, GgmlType.TQ2_0, 1).Select(kv => kv.Key == "general.architecture" ? new(kv.Key, GgufValue.Of("bitnet")) : kv),
            new("bit1hw.hidden_act", GgufValue.Of("relu2"))], SyntheticModel.Tensors(c, 1, GgmlType.TQ2_0));
        Assert.Contains("makes mainline llama.cpp and bitnet.cpp build a silu FFN, but this model is relu2", GgufLayout.RuntimeMismatch(Header(ms.ToArray())));
        Assert.Null(GgufLayout.RuntimeMismatch(Header(Write(c))));
        Assert.Null(GgufLayout.RuntimeMismatch(Header(Write(TinyModels.Config(act: HiddenAct.Silu)))));
    }

    [Fact]
    public void An_unknown_architecture_is_refused_with_the_supported_names()
    {
        var e = Assert.Throws<UserInputException>(() => LoadWithMetadata(TinyModels.Config(act: HiddenAct.Silu), m =>
            [.. m.Select(kv => kv.Key == "general.architecture" ? new KeyValuePair<string, GgufValue>(kv.Key, GgufValue.Of("llama")) : kv)]));
        Assert.Contains("general.architecture is 'llama'; supported: bitnet, bitnet-b1.58, bitnet-25", e.Message);
    }

    [Fact]
    public void A_hand_written_ARM_I2_S_tensor_decodes_to_hand_computed_weights()
    {
        // ARM layout: groups of 64 weights in 16 bytes; weight 64·g + 16·k + p sits at bits 6 − 2k of byte 16·g + p.
        var b = new byte[128 / 4 + 32];
        Array.Fill(b, (byte)0x55, 0, 32);
        b[0] = 0b10_01_00_01;        // weights 0, 16, 32, 48 = +1, 0, −1, 0
        b[17] = 0b01_01_01_00;       // group 1, p = 1: weight 64 + 1 + 48 = 113 = −1
        BitConverter.GetBytes(0.5f).CopyTo(b, 32);
        var w = new sbyte[128];
        Assert.Equal(0.5f, TernaryBlocks.DecodeI2s(b, w, "t", 0, I2sLayout.Arm));
        var expected = new sbyte[128];
        expected[0] = 1; expected[32] = -1; expected[113] = -1;
        Assert.Equal(expected, w);
        Assert.Equal(b, TernaryBlocks.EncodeI2s(expected, 0.5f, I2sLayout.Arm));
    }

    [Fact]
    public void An_ARM_I2_S_file_loads_with_the_arm_layout_and_not_with_the_x86_one()
    {
        var c = TinyModels.Config();
        var bytes = TinyModels.Gguf(c, 9, GgmlType.I2_S, t => [.. t.Select(x => !x.Name.EndsWith("attn_q.weight", StringComparison.Ordinal) ? x
            : x with { WriteData = s => s.Write(TernaryBlocks.EncodeI2s(SyntheticModel.Trits(9, x.Name, 256, 256), SyntheticModel.Scale(256), I2sLayout.Arm)) })]);
        var arm = GgufModelLoader.Load(new MemoryStream(bytes), "arm.gguf", I2sLayout.Arm);
        Assert.Equal(SyntheticModel.Trits(9, "blk.0.attn_q.weight", 256, 256), arm.Layers[0].Q.ToValues());
        var x86 = GgufModelLoader.Load(new MemoryStream(bytes), "arm.gguf", I2sLayout.X86);
        Assert.NotEqual(SyntheticModel.Trits(9, "blk.0.attn_q.weight", 256, 256), x86.Layers[0].Q.ToValues());
    }

    [Theory]
    [InlineData(1, 64)]
    [InlineData(2, 192)]
    [InlineData(3, 2560)]
    public void Random_trits_round_trip_through_the_ARM_I2_S_layout(int seed, int n)
    {
        var rng = new SplitMix64(seed);
        var w = new sbyte[n];
        for (int i = 0; i < n; i++) w[i] = (sbyte)(rng.Next(3) - 1);
        w[0] = -1; w[n - 1] = 1;
        var got = new sbyte[n];
        Assert.Equal(0.75f, TernaryBlocks.DecodeI2s(TernaryBlocks.EncodeI2s(w, 0.75f, I2sLayout.Arm), got, "t", 0, I2sLayout.Arm));
        Assert.True(w.SequenceEqual(got), $"ARM I2_S seed {seed}");
    }

    [Fact]
    public void An_I2_S_tensor_of_whole_ARM_groups_but_not_x86_groups_names_the_x86_group_size()
    {
        var e = Assert.Throws<UserInputException>(() => TernaryBlocks.DecodeI2s(new byte[64 / 4 + 32], new sbyte[64], "blk.0.attn_q.weight", 0, I2sLayout.X86));
        Assert.Contains("not a multiple of the X86 I2_S group size 128", e.Message);
    }
}
