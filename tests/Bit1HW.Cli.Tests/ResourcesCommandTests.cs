using System.Text.Json;
using Bit1HW.Core;

namespace Bit1HW.Cli.Tests;

/// <summary><c>bit1hw resources</c> (docs/resource-model.md): the prediction as text and JSON, the error table, bad input.</summary>
public class ResourcesCommandTests
{
    [Fact]
    public void The_json_prediction_has_every_resource_and_the_parts_use()
    {
        var (code, stdout, stderr) = Bit1hw.Run(["resources", "--target", "ice40-up5k", "--config", RepoPaths.Of("docs", "examples", "bench.json"),
            "--lanes", "8", "--max-k", "128", "--pe", "mac", "--json"]);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("ice40-up5k", r.GetProperty("target").GetString());
        Assert.Equal(8, r.GetProperty("dsps").GetInt32());   // one SB_MAC16 per MAC lane
        Assert.True(r.GetProperty("luts").GetInt32() > 0);
        Assert.True(r.GetProperty("logicCells").GetInt32() >= r.GetProperty("luts").GetInt32());
        var device = r.GetProperty("device").EnumerateArray().Select(d => d.GetProperty("resource").GetString()).ToList();
        Assert.Equal(["logic cells", "LUTs", "FFs", "block RAM", "SPRAM", "DSP"], device);
    }

    [Fact]
    public void The_text_prediction_says_it_is_a_prediction_and_gives_the_xc7_use()
    {
        var (code, stdout, _) = Bit1hw.Run(["resources", "--target", "xc7", "--config", RepoPaths.Of("docs", "examples", "bench.json")]);
        Assert.Equal(0, code);
        Assert.Contains("predicted by the resource model", stdout);
        Assert.Matches(@"\n  LUTs +\d+ of 20800 ", stdout);
        Assert.Matches(@"\n  block RAM +0 of 100 ", stdout);   // 16-word memories become LUT-RAM
    }

    [Fact]
    public void Check_prints_the_error_table_of_a_calibration_file()
    {
        var (code, stdout, _) = Bit1hw.Run(["resources", "--target", "xc7", "--check", RepoPaths.Of("docs", "resource-model", "xc7.csv")]);
        Assert.Equal(0, code);
        Assert.StartsWith("| point | set |", stdout);
        Assert.Contains("\nheld-out: ", stdout);
    }

    [Fact]
    public void Calibrate_writes_exactly_the_shipped_coefficients_from_the_shipped_data()
    {
        string outPath = Path.Combine(Path.GetTempPath(), $"bit1hw-resources-{Guid.NewGuid():N}.json");
        try
        {
            string dir = RepoPaths.Of("docs", "resource-model");
            var (code, stdout, _) = Bit1hw.Run(["resources", "--target", "ice40-up5k", "--calibrate", Path.Combine(dir, "ice40.csv"), "--out", outPath]);
            Assert.Equal(0, code);
            Assert.Equal(File.ReadAllText(Path.Combine(dir, "ice40.json")), File.ReadAllText(outPath));
            Assert.Contains("\nheld-out: ", stdout);
        }
        finally
        {
            File.Delete(outPath);
        }
    }

    [Theory]
    [InlineData(new[] { "resources", "--target", "ecp5" }, "--target")]
    [InlineData(new[] { "resources", "--target", "xc7", "--accumulators", "mac16" }, "--accumulators")]
    [InlineData(new[] { "resources", "--target", "xc7", "--lanes", "0" }, "config: field 'lanes'")]
    [InlineData(new[] { "resources", "--target", "xc7", "--check", "no-such.csv" }, "no-such.csv")]
    [InlineData(new[] { "resources", "--target", "xc7", "--calibrate", "no-such.csv" }, "--out")]
    public void Bad_input_is_one_line_and_exit_2(string[] args, string subject)
    {
        var (code, stdout, stderr) = Bit1hw.Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"bit1hw: error: {subject}", stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }
}
