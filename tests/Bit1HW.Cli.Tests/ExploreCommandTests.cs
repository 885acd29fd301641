using System.Text.Json;
using Bit1HW.Core;

namespace Bit1HW.Cli.Tests;

public class ExploreCommandTests
{
    private static string Repo(string relative) => RepoPaths.Of(relative);

    private static readonly string TinyModel = Repo("docs/examples/models/tiny.json");

    /// <summary>8 small host-fed configurations: the tiny model explores in well under a second.</summary>
    private const string SmallSpace =
        """{ "lanes": [4, 8], "rows": [1, 2], "pipeEvery": [1], "pe": ["ternary", "mac"], "weightDepth": [64], "actDepth": [64], "outDepth": [64], "instrDepth": [256] }""";

    private static string[] Explore(CliHarness h, string target, string outName, params string[] extra)
    {
        File.WriteAllText(h.PathOf("space.json"), SmallSpace);
        return ["explore", "--model", TinyModel, "--target", target, "--space", h.PathOf("space.json"), "--out", h.PathOf(outName), .. extra];
    }

    [Fact]
    public void Explore_without_synthesis_writes_the_tables_and_the_chart_and_reruns_byte_for_byte()
    {
        using var h = new CliHarness();
        var (exit, stdout, stderr) = h.Run(Explore(h, "ice40-up5k", "a", "--synthesize", "0"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("explore tiny on ice40-up5k: 8 configurations", stdout);
        Assert.Contains("on the Pareto front", stdout);
        string[] csv = File.ReadAllLines(h.PathOf("a/points.csv"));
        Assert.Equal(9, csv.Length);
        string[] front = File.ReadAllLines(h.PathOf("a/front.csv"));
        Assert.Equal(csv[0], front[0]);
        Assert.InRange(front.Length, 2, 9);
        Assert.All(front[1..], row => Assert.Contains(row, csv));
        byte[] png = File.ReadAllBytes(h.PathOf("a/front.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.False(Directory.Exists(h.PathOf("a/sweep")), "nothing synthesized, no sweep directory");

        var again = h.Run(Explore(h, "ice40-up5k", "b", "--synthesize", "0", "--json"));
        Assert.Equal(0, again.Exit);
        Assert.Equal(File.ReadAllText(h.PathOf("a/points.json")), File.ReadAllText(h.PathOf("b/points.json")));
        Assert.Equal(File.ReadAllText(h.PathOf("a/points.csv")), File.ReadAllText(h.PathOf("b/points.csv")));
        Assert.Equal(File.ReadAllText(h.PathOf("b/points.json")), again.Out);   // --json: exactly points.json on stdout
        using var doc = JsonDocument.Parse(again.Out);
        Assert.Equal(8, doc.RootElement.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public void Explore_shows_its_stages_on_stderr_and_nothing_with_quiet()
    {
        using var h = new CliHarness();
        var (exit, _, stderr) = h.RunWith(["BIT1HW_PROGRESS=lines"], Explore(h, "ice40-up5k", "a", "--synthesize", "0"));
        Assert.Equal(0, exit);
        Assert.Contains("explore: [1/3] 8 configurations", stderr);
        Assert.Contains("explore: [2/3]", stderr);
        Assert.Contains("explore: [3/3]", stderr);
        var quiet = h.RunWith(["BIT1HW_PROGRESS=lines"], Explore(h, "ice40-up5k", "b", "--synthesize", "0", "--quiet"));
        Assert.Equal(0, quiet.Exit);
        Assert.Equal("", quiet.Err);
    }

    [Theory]
    [InlineData(new[] { "--budget", "luts=lots" }, "--budget: 'luts=lots'")]
    [InlineData(new[] { "--budget", "gates=5" }, "--budget: 'gates=5'")]
    [InlineData(new[] { "--bandwidth-gbs", "0" }, "--bandwidth-gbs")]
    [InlineData(new[] { "--clock-mhz", "-5" }, "--clock-mhz")]
    [InlineData(new[] { "--node", "3nm" }, "3nm")]
    public void A_bad_flag_is_one_line_with_exit_2_and_nothing_written(string[] flag, string message)
    {
        using var h = new CliHarness();
        var (exit, stdout, stderr) = h.Run([.. Explore(h, "xc7", "out", "--synthesize", "0"), .. flag]);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(h.PathOf("out")));
    }

    [Fact]
    public void A_bad_target_model_or_space_is_one_line_with_exit_2()
    {
        using var h = new CliHarness();
        foreach (var (args, message) in new[]
        {
            (new[] { "explore", "--model", TinyModel, "--target", "asic-3nm", "--out", h.PathOf("o") }, "--target: 'asic-3nm'"),
            (new[] { "explore", "--model", "no-such-model", "--target", "xc7", "--out", h.PathOf("o") }, "no-such-model"),
            (new[] { "explore", "--model", TinyModel, "--target", "xc7", "--space", h.PathOf("missing.json"), "--out", h.PathOf("o") }, "missing.json"),
        })
        {
            var (exit, stdout, stderr) = h.Run(args);
            Assert.True(exit == ExitCodes.BadInput, stderr);
            Assert.Equal("", stdout);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
            Assert.Contains(message, stderr);
            Assert.False(Directory.Exists(h.PathOf("o")));
        }
    }

    [ToolFact("yosys")]
    public void Explore_synthesizes_one_point_near_the_front_and_reports_its_measured_luts_beside_the_prediction()
    {
        using var h = new CliHarness();
        var (exit, stdout, stderr) = h.Run(Explore(h, "xc7", "a", "--synthesize", "1", "--bandwidth-gbs", "1"));
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(h.PathOf("a/points.json")));
        Assert.Equal(1, doc.RootElement.GetProperty("synthesized").GetInt32());
        JsonElement p = doc.RootElement.GetProperty("points").EnumerateArray().Single(e => e.GetProperty("synthesized").GetBoolean());
        Assert.True(p.GetProperty("onFront").GetBoolean(), "one point: the front's smallest");
        int measured = p.GetProperty("measLuts").GetInt32(), predicted = p.GetProperty("predLuts").GetInt32();
        Assert.InRange(measured, 50, 5000);
        Assert.Equal(Math.Round(100.0 * (predicted - measured) / measured, 2), p.GetProperty("lutErrorPercent").GetDouble());
        Assert.Contains("measured LUTs", stdout);
        Assert.True(Directory.Exists(h.PathOf("a/sweep")));
    }
}
