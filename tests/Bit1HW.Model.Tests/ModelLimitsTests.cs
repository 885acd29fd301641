using Bit1HW.Core;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Tests;

/// <summary>Model shapes are bounded (docs/model.md, "Limits"): a careless config is one line, not hours or gigabytes (issue 13).</summary>
public sealed class ModelLimitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-limits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Config(int hidden = 256, int inter = 256, int layers = 1, int heads = 2, int vocab = 32, int positions = 64, string extra = "") =>
        $$"""{"hidden_size": {{hidden}}, "intermediate_size": {{inter}}, "num_hidden_layers": {{layers}}, "num_attention_heads": {{heads}}, "num_key_value_heads": 1, "vocab_size": {{vocab}}, "max_position_embeddings": {{positions}}{{extra}}}""";

    private static string ErrorOf(string json) => Assert.Throws<UserInputException>(() => ModelConfig.Parse(json, "c.json")).Message;

    [Theory]
    [InlineData("hidden_size", 1_000_000_000, "c.json: hidden_size: 1000000000 is outside 1..65536")]
    [InlineData("intermediate_size", 1_000_000_000, "c.json: intermediate_size: 1000000000 is outside 1..262144")]
    [InlineData("num_hidden_layers", 1_000_000_000, "c.json: num_hidden_layers: 1000000000 is outside 1..1024")]
    [InlineData("vocab_size", 1_000_000_000, "c.json: vocab_size: 1000000000 is outside 1..2097152")]
    [InlineData("max_position_embeddings", int.MaxValue, "c.json: max_position_embeddings: 2147483647 is outside 1..16777216")]
    public void A_dimension_past_its_limit_is_rejected_naming_the_field(string field, int value, string message)
    {
        string json = field switch
        {
            "hidden_size" => Config(hidden: value),
            "intermediate_size" => Config(inter: value),
            "num_hidden_layers" => Config(layers: value),
            "vocab_size" => Config(vocab: value),
            _ => Config(positions: value),
        };
        Assert.StartsWith(message, ErrorOf(json));
    }

    [Fact]
    public void A_matrix_or_a_model_past_the_size_limits_is_rejected()
    {
        Assert.Contains("hidden_size: gives an attention projection of 1090584576 elements, more than the 1073741824",
            ErrorOf(Config(hidden: 33_024, heads: 2)));
        Assert.Contains("parameters, more than the 17179869184 supported",
            ErrorOf(Config(hidden: 8192, inter: 28672, layers: 80, heads: 64, vocab: 32000)));
    }

    [Fact]
    public void The_published_2b4t_shape_is_within_the_limits()
    {
        var c = ModelConfig.Load(RepoPaths.Of("docs", "examples", "models", "bitnet-2b4t-shape.json"));
        Assert.Equal(2560, c.HiddenSize);
        Assert.InRange(c.Parameters, 2_000_000_000, 3_000_000_000);
    }

    [Theory]
    [InlineData(", \"vocab_size\": 64", "c.json: field 'vocab_size': appears twice in one object")]
    [InlineData(" /* four layers? */", "c.json: not valid JSON: line 1")]
    public void A_repeated_key_or_a_comment_in_config_json_is_rejected(string extra, string message) =>
        Assert.StartsWith(message, ErrorOf(Config(extra: extra)));

    [Fact]
    public void A_safetensors_model_too_large_to_hold_in_memory_is_refused_and_nothing_is_written()
    {
        var c = ModelConfig.Parse(Config(hidden: 4096, inter: 16384, layers: 1, heads: 32, vocab: 262_144), "c.json");
        string dir = Path.Combine(_dir, "big");
        var e = Assert.Throws<UserInputException>(() => ModelFile.WriteSynthetic(c, 1, ModelFormat.Safetensors, dir));
        Assert.Contains("bytes of tensors; at most 2147483591 are written", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("gguf-tq2")]
    [InlineData("gguf-tq1")]
    [InlineData("gguf-i2s")]
    public void Writing_a_projection_a_block_of_rows_at_a_time_gives_the_bytes_of_the_whole_matrix(string formatName)
    {
        ModelFormat format = SyntheticModel.ParseFormat(formatName);
        // ffn_down is [rows 256, cols 8192]: 128 rows per 1 Mi-trit chunk, so two chunks.
        var c = ModelConfig.Parse(Config(inter: 8192), "c.json");
        byte[] file = TinyModels.Gguf(c, 9, format);
        GgufFile f = GgufReader.Read(new MemoryStream(file), "t.gguf");
        GgufTensorInfo t = f.Find(GgufLayout.Blk(0, "ffn_down"))!;
        sbyte[] trits = SyntheticModel.Trits(9, t.Name, 256, 8192);
        float scale = SyntheticModel.Scale(8192);
        byte[] whole = format switch
        {
            ModelFormat.GgufTq2 => TernaryBlocks.EncodeTq2(trits, scale),
            ModelFormat.GgufTq1 => TernaryBlocks.EncodeTq1(trits, scale),
            _ => TernaryBlocks.EncodeI2s(trits, scale),
        };
        Assert.Equal(whole, file.AsSpan((int)(f.DataOffset + t.Offset), (int)t.ByteSize).ToArray());
    }
}
