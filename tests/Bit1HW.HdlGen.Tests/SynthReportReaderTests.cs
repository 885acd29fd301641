using Bit1HW.Core;
using Bit1HW.HdlGen.Synth;
using Xunit.Abstractions;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// report.json read back (a synthesis sweep's cache): writing the report read back gives the same
/// bytes, for random reports of both targets with and without place and route, and a file that is
/// not a whole report is rejected naming the field.
/// </summary>
public class SynthReportReaderTests(ITestOutputHelper output)
{
    private static readonly string[] Ice40Cells = ["SB_CARRY", "SB_DFF", "SB_DFFE", "SB_LUT4", "SB_MAC16", "SB_RAM40_4K", "SB_SPRAM256KA", "SB_IO"];
    private static readonly string[] Xc7Cells = ["CARRY4", "DSP48E1", "FDRE", "INV", "LUT3", "LUT6", "RAM32M", "RAMB36E1", "SRLC32E", "MUXF7"];

    private static SynthReport Random(SplitMix64 rng)
    {
        SynthTarget t = rng.NextBool() ? SynthTarget.Ice40Up5k : SynthTarget.Xc7;
        CellCounts Counts() => new(t, (t == SynthTarget.Xc7 ? Xc7Cells : Ice40Cells).Where(_ => rng.NextBool())
            .Select(c => new CellTypeCount(c, rng.Next(0, 5000))).OrderBy(c => c.Type, StringComparer.Ordinal).ToList(), rng.Next(0, 9));
        CellCounts design = Counts();
        PlaceRoute? pnr = null;
        if (t == SynthTarget.Ice40Up5k && rng.NextBool())
        {
            var seeds = Enumerable.Range(1, rng.Next(0, 4)).Select(s => new SeedResult(s, Math.Round(10 + 90 * rng.NextDouble(), 2),
                rng.NextBool() ? null : new CriticalPath($"a.b_{s}.Q", "c.I0", 10.0 / 3, 0.1 + 0.2, 1e-3))).ToList();
            pnr = new PlaceRoute(rng.NextBool() ? 100 : 62.5, seeds, seeds.Count == 0 ? null : rng.Next(1, 5280),
                seeds.Count == 0 ? "nextpnr-ice40 exit 1: ERROR: \"quoted\" \\ and ünïcode" : null);
        }
        return new SynthReport(t, $"l{rng.Next(1, 64)}_r2_a8_p1_ternary", "Yosys 0.23 (git sha1 7ce5011c24b)", rng.Next(1, 4096),
            design, Counts(), SynthFlow.Device(t, design, pnr), pnr, rng.NextBool() ? "" : "median of 3 nextpnr seeds; line\nbreak");
    }

    [Fact]
    public void Writing_a_report_read_back_gives_the_same_bytes()
    {
        var rng = TestSeed.Rng(1515, output);
        for (int i = 0; i < 200; i++)
        {
            string json = SynthReportWriter.Json(Random(rng));
            SynthReport back = SynthReportReader.Parse(json, "report.json");
            Assert.Equal(json, SynthReportWriter.Json(back));
        }
    }

    [Fact]
    public void The_fields_read_back_are_the_measured_ones()
    {
        var rng = TestSeed.Rng(1516, output);
        for (int i = 0; i < 50; i++)
        {
            SynthReport r = Random(rng), back = SynthReportReader.Parse(SynthReportWriter.Json(r), "report.json");
            Assert.Equal(r.Design.Cells, back.Design.Cells);
            Assert.Equal(r.Array.Multipliers, back.Array.Multipliers);
            Assert.Equal(r.FmaxMhz, back.FmaxMhz);
            Assert.Equal(r.Pnr?.Seeds, back.Pnr?.Seeds);
            Assert.Equal(r.Pnr?.Failure, back.Pnr?.Failure);
            Assert.Equal(r.Note, back.Note);
        }
    }

    [Fact]
    public void A_half_written_report_is_rejected_naming_the_file()
    {
        string json = SynthReportWriter.Json(Random(new SplitMix64(7)));
        var e = Assert.Throws<UserInputException>(() => SynthReportReader.Parse(json[..(json.Length / 2)], "cache/k/report.json"));
        Assert.StartsWith("cache/k/report.json: ", e.Message);
    }

    [Theory]
    [InlineData("\"lanesTotal\": ", "\"lanesTotal\": \"x\", \"was\": ", "field 'lanesTotal'")]
    [InlineData("\"target\": \"", "\"target\": \"arty-", "field 'target'")]
    [InlineData("\"cells\": {", "\"cells\": 3, \"cellz\": {", "field 'design.cells'")]
    public void A_report_with_a_bad_field_names_it(string find, string replace, string field)
    {
        string json = SynthReportWriter.Json(Random(new SplitMix64(8)));
        int at = json.IndexOf(find, StringComparison.Ordinal);
        string bad = json[..at] + replace + json[(at + find.Length)..];
        var e = Assert.Throws<UserInputException>(() => SynthReportReader.Parse(bad, "r.json"));
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void The_recipe_follows_the_constraint_files_contents_not_its_path()
    {
        string dir = Directory.CreateTempSubdirectory("bit1hw-recipe-").FullName;
        try
        {
            string a = Path.Combine(dir, "a.pcf"), b = Path.Combine(dir, "b.pcf");
            File.WriteAllText(a, "set_io clk 35\n");
            File.WriteAllText(b, "set_io clk 35\n");
            var d = SynthDesign.FromConfig(new Core.Hardware.HardwareConfig { Lanes = 3, Rows = 1 }.Validate());
            string Recipe(string pcf) => SynthRecipe.Describe(d, new SynthOptions(SynthTarget.Ice40Up5k) { PcfPath = pcf });
            Assert.Equal(Recipe(a), Recipe(b));
            File.WriteAllText(b, "set_io clk 36\n");
            Assert.NotEqual(Recipe(a), Recipe(b));
            // Not placed: the constraints play no part.
            Assert.Equal(SynthRecipe.Describe(d, new SynthOptions(SynthTarget.Ice40Up5k) { PcfPath = a, PlaceAndRoute = false }),
                SynthRecipe.Describe(d, new SynthOptions(SynthTarget.Ice40Up5k) { PcfPath = b, PlaceAndRoute = false }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
