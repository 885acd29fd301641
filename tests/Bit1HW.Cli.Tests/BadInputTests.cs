using Bit1HW.Core.IO;

namespace Bit1HW.Cli.Tests;

/// <summary>Each bad input is one line on stderr naming what is wrong, exit 2, and no output file.</summary>
public class BadInputTests
{
    private static void AssertRejected(CliHarness h, string outPath, string[] args, params string[] fragments)
    {
        var (code, stdout, stderr) = h.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        foreach (string f in fragments) Assert.Contains(f, stderr);
        Assert.False(File.Exists(outPath), $"{outPath} was written despite the error");
        Assert.Empty(Directory.GetFiles(h.Dir, ".*.tmp"));
    }

    private static string[] BitLinear(string input, string output, params string[] more) => ["bitlinear", "--in", input, "--out", output, .. more];

    private static string GoodLayer(CliHarness h) =>
        h.WriteLayer("good.safetensors", [1f, -1f, 0.5f, 0f, 2f, -2f], [2, 3], [0.1f, 0.2f, -0.3f], [1, 3]);

    [Fact]
    public void A_missing_input_file_is_named()
    {
        using var h = new CliHarness();
        string missing = h.PathOf("nope.safetensors"), o = h.PathOf("o.safetensors");
        AssertRejected(h, o, BitLinear(missing, o), missing, "file not found");
        AssertRejected(h, o, ["quantize", "--in", missing, "--out", o], "file not found");
    }

    [Theory]
    [InlineData(5, "at least 8 needed")]
    [InlineData(12, "runs past the end")]
    [InlineData(-4, "run past the")]
    public void A_truncated_file_is_rejected(int keep, string problem)
    {
        using var h = new CliHarness();
        byte[] bytes = File.ReadAllBytes(GoodLayer(h));
        string cut = h.PathOf("cut.safetensors"), o = h.PathOf("o.safetensors");
        File.WriteAllBytes(cut, bytes[..(keep > 0 ? keep : bytes.Length + keep)]);
        AssertRejected(h, o, BitLinear(cut, o), cut, problem);
    }

    [Fact]
    public void A_corrupt_header_is_rejected()
    {
        using var h = new CliHarness();
        byte[] bytes = File.ReadAllBytes(GoodLayer(h));
        bytes[8] = (byte)'#';
        string bad = h.PathOf("bad.safetensors"), o = h.PathOf("o.safetensors");
        File.WriteAllBytes(bad, bytes);
        AssertRejected(h, o, BitLinear(bad, o), "not valid JSON");
    }

    [Fact]
    public void Wrong_tensor_names_are_rejected_listing_what_the_file_has()
    {
        using var h = new CliHarness();
        string f = h.WriteLayer("names.safetensors", [1f], [1, 1], [1f], [1, 1], weightName: "weights");
        string o = h.PathOf("o.safetensors");
        AssertRejected(h, o, BitLinear(f, o), "tensor 'weight': not found", "'weights'");
        AssertRejected(h, o, ["quantize", "--in", f, "--out", o, "--tensor", "w"], "tensor 'w': not found");
    }

    [Theory]
    [InlineData(true, float.NaN, "tensor 'weight'", "element [1, 2]")]
    [InlineData(true, float.PositiveInfinity, "tensor 'weight'", "is Infinity")]
    [InlineData(false, float.NegativeInfinity, "tensor 'input'", "element [1, 2] (flat index 5) is -Infinity")]
    public void Nan_or_infinity_is_rejected_naming_tensor_and_index(bool inWeight, float bad, string tensor, string where)
    {
        using var h = new CliHarness();
        float[] w = [1, 2, 3, 4, 5, 6], x = [1, 2, 3, 4, 5, 6];
        (inWeight ? w : x)[5] = bad;
        string f = h.WriteLayer("nan.safetensors", w, [2, 3], x, [2, 3]), o = h.PathOf("o.safetensors");
        AssertRejected(h, o, BitLinear(f, o), tensor, where);
        if (inWeight) AssertRejected(h, o, ["quantize", "--in", f, "--out", o], tensor, "element [1, 2]");
    }

    [Fact]
    public void Shapes_that_disagree_are_rejected()
    {
        using var h = new CliHarness();
        string o = h.PathOf("o.safetensors");
        string f = h.WriteLayer("k.safetensors", [1, 2, 3, 4, 5, 6], [2, 3], [1, 2, 3, 4], [1, 4]);
        AssertRejected(h, o, BitLinear(f, o), "tensor 'input'", "has 4 columns but 'weight' [2, 3] needs 3");
        string g = h.WriteLayer("3d.safetensors", [1, 2, 3, 4], [1, 2, 2], [1, 2], [1, 2]);
        AssertRejected(h, o, BitLinear(g, o), "tensor 'weight'", "shape [1, 2, 2] is not 2-D");
    }

    [Fact]
    public void K_equal_to_zero_is_rejected()
    {
        using var h = new CliHarness();
        string o = h.PathOf("o.safetensors");
        string f = h.WriteLayer("k0.safetensors", [], [2, 0], [], [1, 0]);
        AssertRejected(h, o, BitLinear(f, o), "tensor 'weight'", "K) = 0");
        AssertRejected(h, o, ["make-layer", "--out", o, "--out-features", "2", "--in-features", "0"], "--in-features", "0 must be at least 1");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("9")]
    [InlineData("0")]
    public void Activation_bits_outside_2_to_8_are_rejected(string bits)
    {
        using var h = new CliHarness();
        string o = h.PathOf("o.safetensors");
        AssertRejected(h, o, BitLinear(GoodLayer(h), o, "--act-bits", bits), "--act-bits", $"{bits} is outside the supported range 2..8");
    }

    [Fact]
    public void An_unknown_method_or_a_bad_zero_fraction_is_rejected()
    {
        using var h = new CliHarness();
        string o = h.PathOf("o.safetensors");
        AssertRejected(h, o, BitLinear(GoodLayer(h), o, "--method", "mean"), "--method", "'mean'");
        AssertRejected(h, o, ["make-layer", "--out", o, "--out-features", "2", "--in-features", "2", "--zero-fraction", "1.5"], "--zero-fraction");
    }

    [Fact]
    public void An_integer_tensor_where_floats_are_expected_is_rejected()
    {
        using var h = new CliHarness();
        string f = h.PathOf("int.safetensors"), o = h.PathOf("o.safetensors");
        new SafeTensorsFile().Add(SafeTensor.FromInt32s("weight", [1, 1], [1])).Add(SafeTensor.FromSingles("input", [1, 1], [1f])).Write(f);
        AssertRejected(h, o, BitLinear(f, o), "tensor 'weight'", "dtype I32");
    }

    [Fact]
    public void A_failed_run_leaves_an_existing_output_untouched()
    {
        using var h = new CliHarness();
        string o = h.PathOf("o.safetensors");
        File.WriteAllText(o, "previous");
        var r = h.Run(BitLinear(h.PathOf("missing.safetensors"), o));
        Assert.Equal(2, r.Exit);
        Assert.Equal("previous", File.ReadAllText(o));
    }
}
