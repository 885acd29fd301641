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
        Assert.Contains("22 cases (8 directed), 0 mismatches", r.Out);
        Assert.Contains("coverage l16_r4_a8_p1_ternary (measured on the C# simulator's registers: 22 cases", r.Out);
        Assert.Contains("widest value 20 bits (the top bit needed)", r.Out);
    }

    [Fact]
    public void Verify_rejects_zero_cases()
    {
        using var h = new CliHarness();
        Assert.Equal(2, h.Run("verify", "--random", "0", "--seed", "1").Exit);
    }

    // The odd-lane, 4-bit configuration of the CI campaign and of MutationTests (shared Verilator cache entries).
    private const string OddConfig = """{ "lanes": 3, "rows": 1, "actBits": 4, "pipeEvery": 8, "weightDepth": 256, "actDepth": 64, "outDepth": 64, "instrDepth": 512, "maxK": 192 }""";

    [ToolFact("verilator")]
    public void Verify_writes_the_coverage_json_and_kills_a_named_mutant()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("odd.json"), OddConfig);
        var r = h.Run("verify", "--config", "odd.json", "--random", "9", "--seed", "20261122", "--coverage", "out/coverage.json", "--mutant", "acc-reset-1");
        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Contains("  killed   acc-reset-1: ", r.Out);
        Assert.Contains("mutation score: 1/1 mutants killed (100.0 %) (seed 20261122)", r.Out);
        string json = File.ReadAllText(h.PathOf("out/coverage.json"));
        Assert.Contains("\"config\": \"l3_r1_a4_p8_ternary\"", json);
        Assert.Contains("\"topBitNeeded\": true", json);
        Assert.DoesNotContain(Directory.GetFiles(h.PathOf("out")), f => Path.GetFileName(f).StartsWith('.'));
    }

    [Fact]
    public void Verify_names_the_known_mutants_when_given_an_unknown_one()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("odd.json"), OddConfig);
        var r = h.Run("verify", "--config", "odd.json", "--random", "9", "--seed", "1", "--mutant", "acc-narrower-2", "--coverage", "c.json");
        Assert.Equal(2, r.Exit);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains("--mutant: 'acc-narrower-2' is not in the mutant library", r.Err);
        Assert.Contains("acc-narrower-1", r.Err);
        Assert.False(File.Exists(h.PathOf("c.json")));
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
        // Each configuration's 8 directed cases and its share of the 8 random ones, up to the campaign's stop after 10 failures.
        int cases = xml.Descendants("testcase").Count();
        Assert.Equal(cases.ToString(System.Globalization.CultureInfo.InvariantCulture), xml.Attribute("tests")!.Value);
        Assert.Contains($"{cases} cases (", r.Out);
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
