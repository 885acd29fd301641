namespace Bit1HW.Cli.Tests;

public class CosimCommandTests
{
    /// <summary>docs/examples/stream-small.json: 128-bit beats, 4-beat bursts, 2 in flight, a 64-word ring.</summary>
    private static string StreamConfig(CliHarness h)
    {
        string path = h.PathOf("stream.json");
        File.WriteAllText(path, """
            { "lanes": 16, "rows": 4, "weightDepth": 64, "actDepth": 128, "outDepth": 128, "instrDepth": 256, "maxK": 2048,
              "stream": { "axiDataBits": 128, "axiAddrBits": 32, "burstBeats": 4, "maxOutstanding": 2, "packing": "2bit" } }
            """);
        return path;
    }

    [ToolFact("verilator")]
    public void Cosim_reports_three_way_agreement_and_the_predicted_cycles()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "9", "--in-features", "37", "--tokens", "2", "--seed", "3").Exit);
        var r = h.Run("cosim", "--in", layer);
        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Contains("three-way agreement: reference = simulator = verilator", r.Out);
        // The compiler's prediction is printed and both models report the same busy count.
        string predicted = r.Out.Split('\n').Single(l => l.TrimStart().StartsWith("predicted cycles")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Contains($"sim                {predicted} busy cycles", r.Out);
        Assert.Contains($"verilator          {predicted} busy cycles", r.Out);
    }

    [ToolFact("verilator")]
    public void Cosim_of_a_streaming_config_under_backpressure_agrees_and_counts_the_same_stalls_on_both_models()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "9", "--in-features", "37", "--tokens", "2", "--seed", "3").Exit);
        string config = StreamConfig(h);
        var r = h.Run("cosim", "--in", layer, "--config", config, "--memory", "backpressure", "--memory-seed", "5", "--latency", "6");
        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Contains("random backpressure (seed 5", r.Out);
        Assert.Contains("AXI protocol       checked", r.Out);
        string Busy(string model) => r.Out.Split('\n').Single(l => l.StartsWith($"  {model} ", StringComparison.Ordinal)).Trim()[model.Length..].Trim();
        Assert.Equal(Busy("sim"), Busy("verilator"));
        Assert.Matches(@"^\d+ busy cycles, [1-9]\d* stalls$", Busy("sim"));
    }

    [Fact]
    public void Cosim_of_a_streaming_config_with_a_zero_latency_is_bad_input_naming_the_flag()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "9", "--in-features", "37", "--tokens", "2", "--seed", "3").Exit);
        string config = StreamConfig(h);
        var r = h.Run("cosim", "--in", layer, "--config", config, "--latency", "0");
        Assert.Equal(2, r.Exit);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains("--latency", r.Err);
    }

    [Fact]
    public void Cosim_of_a_missing_file_is_bad_input()
    {
        using var h = new CliHarness();
        var r = h.Run("cosim", "--in", h.PathOf("nope.safetensors"));
        Assert.Equal(2, r.Exit);
        Assert.Contains("nope.safetensors", r.Err);
    }

    [ToolFact("verilator")]
    public void Verify_prints_the_seed_first_and_passes_a_small_campaign()
    {
        using var h = new CliHarness();
        var r = h.Run("verify", "--random", "14", "--seed", "11", "--configs", "1");
        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.StartsWith("seed 11\n", r.Out);
        Assert.Contains("14 cases, 0 mismatches", r.Out);
    }

    [Fact]
    public void Verify_rejects_zero_cases()
    {
        using var h = new CliHarness();
        Assert.Equal(2, h.Run("verify", "--random", "0", "--seed", "1").Exit);
    }

    [ToolFact("verilator")]
    public void Verify_writes_junit_with_each_planted_mismatch_and_its_replay_line_reproduces_it_with_waveforms()
    {
        using var h = new CliHarness();
        string junit = h.PathOf("verify.xml");
        var r = h.Run("verify", "--random", "8", "--seed", "11", "--configs", "2", "--plant", "DropOddTreeElement", "--junit", junit);
        Assert.True(r.Exit == 1, r.Out + r.Err);
        var xml = System.Xml.Linq.XDocument.Load(junit).Root!;
        Assert.Equal(2, xml.Elements("testsuite").Count());
        Assert.Equal(8, xml.Descendants("testcase").Count());
        var failures = xml.Descendants("failure").ToList();
        Assert.NotEmpty(failures);
        Assert.Equal(failures.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), xml.Attribute("failures")!.Value);
        Assert.Contains($"{failures.Count} mismatches", r.Out);
        Assert.All(failures, f => Assert.Contains("mismatch", f.Attribute("message")!.Value));

        // The replay line printed for the first failure runs that case alone and writes both waveforms.
        string replay = r.Out.Split('\n').First(l => l.TrimStart().StartsWith("replay: ", StringComparison.Ordinal)).Trim()["replay: bit1hw ".Length..];
        Assert.Contains(failures[0].Value.Split('\n')[1]["replay: bit1hw ".Length..], replay);
        var one = h.Run([.. replay.Split(' '), "--vcd", h.PathOf("case")]);
        Assert.True(one.Exit == 1, one.Out + one.Err);
        Assert.Contains("MISMATCH: port mismatch", one.Out);
        Assert.True(File.Exists(h.PathOf("case/sim.vcd")) && File.Exists(h.PathOf("case/rtl.vcd")));

        // Without the planted fault the same case agrees: the failure came from the fault.
        var clean = h.Run([.. replay.Replace("--plant DropOddTreeElement ", "", StringComparison.Ordinal).Split(' '), "--vcd", h.PathOf("clean")]);
        Assert.True(clean.Exit == 0, clean.Out + clean.Err);
    }
}
