using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Tests;

public sealed class SafetensorsModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_packed_HF_layout_puts_output_row_q_times_rows_over_4_plus_p_in_bits_2q_of_byte_row_p()
    {
        // 8 output rows, 1 column: byte row 0 holds rows 0, 2, 4, 6; byte row 1 holds rows 1, 3, 5, 7.
        // Byte 0 = fields (2, 1, 0, 2) → rows 0, 2, 4, 6 = +1, 0, −1, +1: 2 | 1<<2 | 0<<4 | 2<<6 = 134.
        // Byte 1 = fields (0, 0, 1, 1) → rows 1, 3, 5, 7 = −1, −1, 0, 0: 0 | 0 | 1<<4 | 1<<6 = 80.
        var codes = SafetensorsModel.HfToCodes([134, 80], 8, 1, "t");
        Assert.Equal(new sbyte[] { 1, -1, 0, -1, -1, 0, 1, 0 }, TernaryMatrix.FromPacked(codes, 8, 1, 1f).ToValues());
        var e = Assert.Throws<UserInputException>(() => SafetensorsModel.HfToCodes([3, 0], 8, 1, "t"));
        Assert.Contains("byte 0: 2-bit field value 3 is not ternary", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Both_safetensors_variants_load_the_seeded_trits(bool packed)
    {
        var c = TinyModels.Config(tied: false);
        string dir = Path.Combine(_dir, packed ? "p" : "l");
        SafetensorsModel.Write(c, 4, packed, dir);
        var w = ModelFile.Load(dir);
        Assert.Equal(packed ? "safetensors-packed" : "safetensors", w.Format);
        Assert.Equal(c, w.Config);
        var down = w.Layers[1].Down;
        Assert.Equal(SyntheticModel.Trits(4, "blk.1.ffn_down.weight", 256, 512), down.ToValues());
        Assert.All(w.Ternary, m => Assert.NotNull(m.RowPairs)); // the decoder's GEMV streams row pairs, as for GGUF files
        float beta = SyntheticModel.Scale(512);
        if (packed)
            Assert.Equal(1f / (1f / beta), down.Scale);          // weight_scale stores 1/β; the decoder divides it back
        else
        {
            // latent weights ±β rounded to bf16: the AbsMean scale is that value times the non-zero fraction
            float b16 = Formats.Float16.BFloat16ToSingle(Formats.Float16.SingleToBFloat16(beta));
            var t = down.ToValues();
            float want = (float)(t.Count(v => v != 0) * (double)b16 / t.Length);
            Assert.Equal(want, down.Scale);
        }
        Assert.NotNull(w.Output);
    }

    [Fact]
    public void A_missing_projection_is_named_and_a_wrong_shape_is_reported()
    {
        var c = TinyModels.Config();
        SafetensorsModel.Write(c, 4, false, _dir);
        string file = Path.Combine(_dir, SafetensorsModel.WeightsFile);
        var f = SafeTensorsFile.Read(file);
        var g = new SafeTensorsFile();
        foreach (var t in f.Tensors.Where(t => t.Name != "model.layers.1.mlp.up_proj.weight")) g.Add(t);
        g.Write(file);
        var e = Assert.Throws<UserInputException>(() => ModelFile.Load(_dir));
        Assert.Contains("model.layers.1.mlp.up_proj.weight", e.Message);

        File.WriteAllText(Path.Combine(_dir, SafetensorsModel.ConfigFile), (c with { IntermediateSize = 256 }).ToJson());
        var e2 = Assert.Throws<UserInputException>(() => ModelFile.Load(_dir));
        Assert.Contains("does not match", e2.Message);
    }
}
