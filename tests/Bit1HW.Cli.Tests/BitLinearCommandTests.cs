using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Cli.Tests;

public class BitLinearCommandTests
{
    [Fact]
    public void Bitlinear_writes_every_intermediate_and_the_accumulator_is_the_dot_product_of_what_it_wrote()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors"), outPath = h.PathOf("out.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "5", "--in-features", "67", "--tokens", "3", "--seed", "11").Exit);
        var (code, stdout, stderr) = h.Run("bitlinear", "--in", layer, "--out", outPath, "--act-bits", "6");
        Assert.True(code == 0, stderr);
        Assert.Contains("output [3, 5]", stdout);
        Assert.Matches(@"SQNR vs float64 -?\d+\.\d\d dB", stdout);

        var f = SafeTensorsFile.Read(outPath);
        Assert.Equal(new long[] { 3, 5 }, f.Get("output").Shape);
        Assert.Equal(SafeTensorDType.I32, f.Get("acc").DType);
        Assert.Equal(new long[] { 3, 67 }, f.Get("input_q").Shape);
        Assert.Equal(new long[] { 3 }, f.Get("input_scale").Shape);
        Assert.Equal(new long[] { 5, 67 }, f.Get("weight_q").Shape);
        Assert.Equal(new long[] { 1 }, f.Get("weight_scale").Shape);
        Assert.Equal("6", f.Metadata["act_bits"]);
        sbyte[] xq = f.Get("input_q").ToSBytes("o"), wq = f.Get("weight_q").ToSBytes("o");
        int[] acc = f.Get("acc").ToInt32s("o");
        float[] y = f.Get("output").ToSingles("o"), s = f.Get("input_scale").ToSingles("o");
        float beta = f.Get("weight_scale").ToSingles("o")[0];
        Assert.All(xq, v => Assert.InRange(v, -32, 31));
        Assert.All(wq, v => Assert.InRange(v, -1, 1));
        for (int t = 0; t < 3; t++)
            for (int o = 0; o < 5; o++)
            {
                long a = 0;
                for (int k = 0; k < 67; k++) a += (long)wq[o * 67 + k] * xq[t * 67 + k];
                Assert.Equal(a, acc[t * 5 + o]);
                Assert.Equal((float)a / s[t] * beta, y[t * 5 + o]);
            }
    }

    [Fact]
    public void Make_layer_with_the_same_seed_writes_identical_bytes_and_prints_the_seed()
    {
        using var h = new CliHarness();
        string[] a = ["make-layer", "--out-features", "4", "--in-features", "9", "--tokens", "2", "--seed", "5", "--zero-fraction", "0.5"];
        var r1 = h.Run([.. a, "--out", h.PathOf("a.safetensors")]);
        h.Run([.. a, "--out", h.PathOf("b.safetensors")]);
        Assert.Contains("seed 5", r1.Out);
        Assert.Equal(File.ReadAllBytes(h.PathOf("a.safetensors")), File.ReadAllBytes(h.PathOf("b.safetensors")));
        var other = h.Run("make-layer", "--out-features", "4", "--in-features", "9", "--tokens", "2", "--seed", "6", "--out", h.PathOf("c.safetensors"));
        Assert.Equal(0, other.Exit);
        Assert.NotEqual(File.ReadAllBytes(h.PathOf("a.safetensors")), File.ReadAllBytes(h.PathOf("c.safetensors")));
    }

    [Fact]
    public void Zero_fraction_one_makes_every_weight_zero()
    {
        using var h = new CliHarness();
        h.Run("make-layer", "--out", h.PathOf("z.safetensors"), "--out-features", "3", "--in-features", "4", "--zero-fraction", "1");
        Assert.All(SafeTensorsFile.Read(h.PathOf("z.safetensors")).Get("weight").ToSingles("z"), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Quantize_writes_packed_codes_that_decode_to_weight_q()
    {
        using var h = new CliHarness();
        // mean|W| = 1: W / beta = W → ternary 1, -1, 0, 0, 1, 0 | -1, 0, 1, 1, 0, -1
        string layer = h.WriteLayer("w.safetensors", [2f, -1f, 0.5f, -0.4f, 1f, 0f, -3f, 0.2f, 1f, 1.4f, 0.3f, -1.2f], [2, 6], [1f], [1, 1]);
        var r = h.Run("quantize", "--in", layer, "--out", h.PathOf("q.safetensors"));
        Assert.True(r.Exit == 0, r.Err);
        var f = SafeTensorsFile.Read(h.PathOf("q.safetensors"));
        sbyte[] expected = [1, -1, 0, 0, 1, 0, -1, 0, 1, 1, 0, -1];
        Assert.Equal(expected, f.Get("weight_q").ToSBytes("q"));
        Assert.Equal(new[] { 1f }, f.Get("weight_scale").ToSingles("q"));
        Assert.Equal(new long[] { 2, 2 }, f.Get("weight_packed").Shape);
        // row 0: 01 11 00 00 | 01 00 → 0b00_00_11_01, 0b0000_00_01; row 1: 11 00 01 01 | 00 11 → 0b01_01_00_11, 0b0000_11_00
        Assert.Equal(new byte[] { 0b00_00_11_01, 0b01, 0b01_01_00_11, 0b11_00 }, f.Get("weight_packed").Data);
        Assert.Contains("-1:3 0:5 +1:4", r.Out);
    }

    [Fact]
    public void Quantize_honours_tensor_and_median_method()
    {
        using var h = new CliHarness();
        string layer = h.WriteLayer("w.safetensors", [4f, -1f, 3f, -2f], [1, 4], [1f], [1, 1], weightName: "proj");
        var r = h.Run("quantize", "--in", layer, "--tensor", "proj", "--method", "median", "--out", h.PathOf("q.safetensors"));
        Assert.True(r.Exit == 0, r.Err);
        var f = SafeTensorsFile.Read(h.PathOf("q.safetensors"));
        Assert.Equal(new[] { 2f }, f.Get("weight_scale").ToSingles("q"));
        Assert.Equal(new sbyte[] { 1, 0, 1, -1 }, f.Get("weight_q").ToSBytes("q"));
    }

    [Fact]
    public void Bitlinear_output_is_byte_identical_across_runs()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        h.Run("make-layer", "--out", layer, "--out-features", "300", "--in-features", "1000", "--tokens", "3", "--seed", "3");
        Assert.Equal(0, h.Run("bitlinear", "--in", layer, "--out", h.PathOf("a.safetensors")).Exit);
        Assert.Equal(0, h.Run("bitlinear", "--in", layer, "--out", h.PathOf("b.safetensors")).Exit);
        Assert.Equal(File.ReadAllBytes(h.PathOf("a.safetensors")), File.ReadAllBytes(h.PathOf("b.safetensors")));
    }

    [Fact]
    public void Bfloat16_weights_are_widened_exactly_and_give_the_same_result_as_their_float32_values()
    {
        using var h = new CliHarness();
        // Every value below is exactly representable in bfloat16, so both files hold the same numbers.
        float[] w = [0.5f, -1.25f, 2f, 0f, -0.375f, 1f], x = [1f, -2f, 0.75f];
        string f32 = h.WriteLayer("f32.safetensors", w, [2, 3], x, [1, 3]);
        string bf16 = h.PathOf("bf16.safetensors");
        new SafeTensorsFile()
            .Add(SafeTensor.FromSinglesAs("weight", [2, 3], w, SafeTensorDType.BF16))
            .Add(SafeTensor.FromSinglesAs("input", [1, 3], x, SafeTensorDType.F16))
            .Write(bf16);
        Assert.Equal(0, h.Run("bitlinear", "--in", f32, "--out", h.PathOf("a.safetensors")).Exit);
        Assert.Equal(0, h.Run("bitlinear", "--in", bf16, "--out", h.PathOf("b.safetensors")).Exit);
        Assert.Equal(File.ReadAllBytes(h.PathOf("a.safetensors")), File.ReadAllBytes(h.PathOf("b.safetensors")));
    }
}
