using Bit1HW.Core;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Tests;

public class ModelLoaderTests
{
    [Theory]
    [InlineData("gguf-tq2")]
    [InlineData("gguf-tq1")]
    [InlineData("gguf-i2s")]
    public void A_written_model_loads_back_with_the_seeded_trits_and_scales(string format)
    {
        var c = TinyModels.Config();
        var w = TinyModels.Load(TinyModels.Gguf(c, 11, SyntheticModel.ParseFormat(format)));
        Assert.Equal(format, w.Format);
        Assert.Equal(c, w.Config);
        var q = w.Layers[1].Q;
        Assert.Equal(SyntheticModel.Trits(11, "blk.1.attn_q.weight", 256, 256), q.ToValues());
        Assert.Equal(SyntheticModel.Scale(256), q.Scale);
        var down = w.Layers[0].Down;
        Assert.Equal((256, 512), (down.Rows, down.Cols));
        Assert.Equal(SyntheticModel.Trits(11, "blk.0.ffn_down.weight", 256, 512), down.ToValues());
        Assert.Equal(SyntheticModel.NormWeights(11, "blk.0.ffn_sub_norm.weight", 512), w.Layers[0].FfnSubNorm);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var bytes = TinyModels.Gguf(TinyModels.Config(), 1, GgmlType.TQ2_0, t => t.Where(x => x.Name != "blk.1.ffn_up.weight").ToList());
        var e = Assert.Throws<UserInputException>(() => TinyModels.Load(bytes));
        Assert.Contains("tensor 'blk.1.ffn_up.weight': missing", e.Message);
    }

    [Fact]
    public void A_shape_that_disagrees_with_the_metadata_is_named()
    {
        var bytes = TinyModels.Gguf(TinyModels.Config(), 1, GgmlType.TQ2_0, t =>
            t.Select(x => x.Name == "blk.0.attn_k.weight" ? x with { Dims = [256, 256], WriteData = s => s.Write(new byte[256 * 66]) } : x).ToList());
        var e = Assert.Throws<UserInputException>(() => TinyModels.Load(bytes));
        Assert.Contains("tensor 'blk.0.attn_k.weight': shape [256, 256] does not match [256, 128]", e.Message);
    }

    private static GgufTensorSource ScaleTensor(string name, float value, long length = 1) =>
        new(name, [length], GgmlType.F32, s => { for (long i = 0; i < length; i++) s.Write(BitConverter.GetBytes(value)); });

    [Fact]
    public void A_llama_cpp_scale_tensor_multiplies_the_projection_scale()
    {
        var c = TinyModels.Config();
        var bytes = TinyModels.Gguf(c, 1, GgmlType.TQ2_0, t => [.. t, ScaleTensor("blk.0.attn_q.scale", 2.5f)]);
        var w = TinyModels.Load(bytes);
        Assert.Equal(SyntheticModel.Scale(256) * 2.5f, w.Layers[0].Q.Scale);
        Assert.Equal(SyntheticModel.Scale(256), w.Layers[1].Q.Scale);
        Assert.Equal(SyntheticModel.Trits(1, "blk.0.attn_q.weight", 256, 256), w.Layers[0].Q.ToValues());
    }

    [Theory]
    [InlineData("blk.0.attn_norm.scale")]
    [InlineData("blk.2.attn_q.scale")]
    [InlineData("output.scale")]
    public void A_scale_tensor_that_belongs_to_no_projection_is_rejected_by_name(string name)
    {
        var bytes = TinyModels.Gguf(TinyModels.Config(), 1, GgmlType.TQ2_0, t => [.. t, ScaleTensor(name, 1f)]);
        var e = Assert.Throws<UserInputException>(() => TinyModels.Load(bytes));
        Assert.Contains($"tensor '{name}'", e.Message);
    }

    [Fact]
    public void A_scale_tensor_of_two_values_is_rejected_by_shape()
    {
        var bytes = TinyModels.Gguf(TinyModels.Config(), 1, GgmlType.TQ2_0, t => [.. t, ScaleTensor("blk.1.ffn_down.scale", 1f, 2)]);
        var e = Assert.Throws<UserInputException>(() => TinyModels.Load(bytes));
        Assert.Contains("tensor 'blk.1.ffn_down.scale': shape [2]", e.Message);
    }

    [Fact]
    public void A_non_finite_scale_tensor_is_rejected()
    {
        var bytes = TinyModels.Gguf(TinyModels.Config(), 1, GgmlType.TQ2_0, t => [.. t, ScaleTensor("blk.1.ffn_up.scale", float.PositiveInfinity)]);
        var e = Assert.Throws<UserInputException>(() => TinyModels.Load(bytes));
        Assert.Contains("tensor 'blk.1.ffn_up.scale'", e.Message);
    }

    [Fact]
    public void A_projection_stored_as_F32_is_rejected()
    {
        var bytes = TinyModels.Gguf(TinyModels.Config(), 1, GgmlType.TQ2_0, t =>
            t.Select(x => x.Name == "blk.0.attn_v.weight" ? x with { Type = GgmlType.F32, WriteData = s => s.Write(new byte[256 * 128 * 4]) } : x).ToList());
        Assert.Contains("is not a ternary type", Assert.Throws<UserInputException>(() => TinyModels.Load(bytes)).Message);
    }

    [Fact]
    public void Two_TQ2_0_blocks_with_different_scales_name_the_tensor_and_the_scale_offset()
    {
        var c = TinyModels.Config();
        byte[] data = TernaryBlocks.EncodeTq2(SyntheticModel.Trits(1, "blk.0.attn_q.weight", 256, 256), 0.5f);
        data[3 * 66 + 64] ^= 1; // block 3's fp16 scale
        var bytes = TinyModels.Gguf(c, 1, GgmlType.TQ2_0, t =>
            t.Select(x => x.Name == "blk.0.attn_q.weight" ? x with { WriteData = s => s.Write(data) } : x).ToList());
        var f = GgufReader.Read(new MemoryStream(bytes), "tiny.gguf");
        long scaleAt = f.DataOffset + f.Find("blk.0.attn_q.weight")!.Offset + 3 * 66 + 64;
        var e = Assert.Throws<UserInputException>(() => TinyModels.Load(bytes));
        Assert.Contains("tensor 'blk.0.attn_q.weight'", e.Message);
        Assert.Contains($"byte offset {scaleAt}: block 3 scale", e.Message);
    }

    [Fact]
    public void A_NaN_norm_weight_is_rejected_by_name()
    {
        var bytes = TinyModels.Gguf(TinyModels.Config(), 1, GgmlType.TQ2_0, t =>
            t.Select(x => x.Name == "output_norm.weight" ? x with { WriteData = s => { var b = new byte[1024]; BitConverter.GetBytes(float.NaN).CopyTo(b, 8); s.Write(b); } } : x).ToList());
        var e = Assert.Throws<UserInputException>(() => TinyModels.Load(bytes));
        Assert.Contains("tensor 'output_norm.weight'", e.Message);
        Assert.Contains("element 2", e.Message);
    }

    [Fact]
    public void A_hidden_size_that_TQ_blocks_cannot_hold_is_refused_before_writing()
    {
        var c = TinyModels.Config() with { HiddenSize = 384, NumHeads = 4 };
        var e = Assert.Throws<UserInputException>(() => TinyModels.Gguf(c, 1, ModelFormat.GgufTq2));
        Assert.Contains("hidden_size", e.Message);
        Assert.Contains("multiple of 256", e.Message);
        TinyModels.Gguf(c, 1, ModelFormat.GgufI2s); // 384 = 3 · 128 fits I2_S
    }

    [Fact]
    public void A_config_json_field_of_the_wrong_type_is_named()
    {
        var e = Assert.Throws<UserInputException>(() => ModelConfig.Parse("""{"hidden_size": "big", "intermediate_size": 1, "num_hidden_layers": 1, "num_attention_heads": 1, "vocab_size": 2}""", "cfg.json"));
        Assert.Contains("cfg.json: hidden_size", e.Message);
        var e2 = Assert.Throws<UserInputException>(() => ModelConfig.Parse("""{"hidden_size": 256, "intermediate_size": 1, "num_hidden_layers": 1, "num_attention_heads": 3, "vocab_size": 2}""", "cfg.json"));
        Assert.Contains("num_attention_heads", e2.Message);
    }
}
