using System.Text.Json;
using Bit1HW.Core.IO;

namespace Bit1HW.Cli.Tests;

public class SimCommandTests
{
    private static void WriteConfig(string path, string json) => File.WriteAllText(path, json);

    [Theory]
    [InlineData("{}", 4, 32, 100)]
    [InlineData("{ \"lanes\": 7, \"rows\": 3, \"actBits\": 4, \"pipeEvery\": 1, \"instrDepth\": 1024, \"maxK\": 512 }", 3, 65, 63)]
    [InlineData("{ \"lanes\": 5, \"rows\": 2, \"pe\": \"mac\", \"pipeEvery\": 3, \"instrDepth\": 1024, \"maxK\": 640 }", 2, 7, 65)]
    public void Sim_outputs_equal_bitlinear_bit_for_bit(string config, int tokens, int outF, int inF)
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors"), cfg = h.PathOf("cfg.json");
        WriteConfig(cfg, config);
        int actBits = JsonDocument.Parse(config).RootElement.TryGetProperty("actBits", out var b) ? b.GetInt32() : 8;
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", $"{outF}", "--in-features", $"{inF}", "--tokens", $"{tokens}", "--seed", "5").Exit);
        var bl = h.Run("bitlinear", "--in", layer, "--out", h.PathOf("bl.safetensors"), "--act-bits", $"{actBits}");
        Assert.True(bl.Exit == 0, bl.Err);
        var sim = h.Run("sim", "--config", cfg, "--in", layer, "--out", h.PathOf("sim.safetensors"), "--report", h.PathOf("r.json"), "--quiet");
        Assert.True(sim.Exit == 0, sim.Err);
        Assert.Equal("", sim.Err);

        var expected = SafeTensorsFile.Read(h.PathOf("bl.safetensors"));
        var actual = SafeTensorsFile.Read(h.PathOf("sim.safetensors"));
        Assert.Equal(expected.Get("acc").ToInt32s("bl"), actual.Get("acc").ToInt32s("sim"));
        float[] ye = expected.Get("output").ToSingles("bl"), ya = actual.Get("output").ToSingles("sim");
        Assert.Equal(ye.Select(BitConverter.SingleToInt32Bits), ya.Select(BitConverter.SingleToInt32Bits));

        using var report = JsonDocument.Parse(File.ReadAllText(h.PathOf("r.json")));
        Assert.Equal(report.RootElement.GetProperty("predictedCycles").GetInt64(), report.RootElement.GetProperty("cycles").GetInt64());
    }

    [Fact]
    public void The_fast_path_and_the_cycle_by_cycle_path_write_the_same_files()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "33", "--in-features", "300", "--tokens", "3", "--seed", "4").Exit);
        Assert.Equal(0, h.Run("sim", "--in", layer, "--out", h.PathOf("f.safetensors"), "--report", h.PathOf("f.json"), "--quiet").Exit);
        Assert.Equal(0, h.Run("sim", "--in", layer, "--out", h.PathOf("c.safetensors"), "--report", h.PathOf("c.json"), "--quiet", "--cycle-by-cycle").Exit);
        Assert.Equal(File.ReadAllBytes(h.PathOf("c.safetensors")), File.ReadAllBytes(h.PathOf("f.safetensors")));
        Assert.Equal(File.ReadAllText(h.PathOf("c.json")), File.ReadAllText(h.PathOf("f.json")));
    }

    [Fact]
    public void Compile_writes_assembly_and_an_image_that_sim_runs_to_the_same_acc()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "9", "--in-features", "40", "--tokens", "2", "--seed", "3").Exit);
        var c = h.Run("compile", "--in", layer, "--asm", h.PathOf("p.s"), "--image", h.PathOf("p.b1img"));
        Assert.True(c.Exit == 0, c.Err);
        Assert.Contains("verified; predicted", c.Out);
        Assert.Matches(@"\nHALT +; cycle \d+ \+1\n$", File.ReadAllText(h.PathOf("p.s")));
        Assert.Equal(0, h.Run("sim", "--image", h.PathOf("p.b1img"), "--out", h.PathOf("a.safetensors"), "--quiet").Exit);
        Assert.Equal(0, h.Run("sim", "--in", layer, "--out", h.PathOf("b.safetensors"), "--quiet").Exit);
        Assert.Equal(SafeTensorsFile.Read(h.PathOf("b.safetensors")).Get("acc").ToInt32s("b"),
            SafeTensorsFile.Read(h.PathOf("a.safetensors")).Get("acc").ToInt32s("a"));
    }

    [Fact]
    public void A_layer_too_big_for_the_memories_exits_2_and_writes_nothing()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "8", "--in-features", "4096", "--tokens", "1", "--seed", "3").Exit);
        var r = h.Run("sim", "--in", layer, "--out", h.PathOf("o.safetensors"), "--report", h.PathOf("r.json"), "--quiet");
        Assert.Equal(2, r.Exit);
        Assert.Contains("maxK", r.Err);
        Assert.False(File.Exists(h.PathOf("o.safetensors")));
        Assert.False(File.Exists(h.PathOf("r.json")));
    }

    [Fact]
    public void A_truncated_image_exits_2()
    {
        using var h = new CliHarness();
        File.WriteAllBytes(h.PathOf("bad.b1img"), "B1HWIMG1\x10"u8.ToArray());
        var r = h.Run("sim", "--image", h.PathOf("bad.b1img"), "--out", h.PathOf("o.safetensors"));
        Assert.Equal(2, r.Exit);
        Assert.Contains("truncated program image", r.Err);
    }

    private const string StreamConfig = "{ \"lanes\": 16, \"rows\": 4, \"weightDepth\": 64, \"stream\": { \"axiDataBits\": 128, \"burstBeats\": 4, \"maxOutstanding\": 2 } }";

    [Fact]
    public void Sim_streams_a_layer_from_external_memory_and_reports_the_stalls_of_the_memory_it_was_given()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors"), cfg = h.PathOf("s.json");
        WriteConfig(cfg, StreamConfig);
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "20", "--in-features", "100", "--tokens", "2", "--seed", "6").Exit);
        var fast = h.Run("sim", "--config", cfg, "--in", layer, "--out", h.PathOf("a.safetensors"), "--quiet", "--memory-latency", "40");
        Assert.True(fast.Exit == 0, fast.Err);
        Assert.Contains("stall cycles", fast.Out);
        Assert.Contains("first beat 40 cycles", fast.Out);
        var cycle = h.Run("sim", "--config", cfg, "--in", layer, "--out", h.PathOf("b.safetensors"), "--quiet", "--memory-latency", "40", "--cycle-by-cycle");
        Assert.Equal(fast.Out.Replace("a.safetensors", "b.safetensors"), cycle.Out);
        var random = h.Run("sim", "--config", cfg, "--in", layer, "--out", h.PathOf("c.safetensors"), "--quiet", "--backpressure", "99", "--memory-rate", "1/2");
        Assert.True(random.Exit == 0, random.Err);
        Assert.Contains("seed 99", random.Out);
        Assert.Equal(File.ReadAllBytes(h.PathOf("a.safetensors")), File.ReadAllBytes(h.PathOf("c.safetensors")));
    }

    [Theory]
    [InlineData("{}", "--memory-latency", "5", "--memory-latency: needs a streaming config")]
    [InlineData(StreamConfig, "--memory-rate", "3/2", "--memory-latency/--memory-rate: beats per cycle")]
    [InlineData(StreamConfig, "--memory-rate", "half", "--memory-rate: 'half' is not NUM/DEN")]
    [InlineData(StreamConfig, "--memory-latency", "0", "first-beat latency")]
    public void Bad_memory_flags_are_one_line_errors(string config, string flag, string value, string message)
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors"), cfg = h.PathOf("s.json");
        WriteConfig(cfg, config);
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "4", "--in-features", "16", "--tokens", "1", "--seed", "6").Exit);
        var r = h.Run("sim", "--config", cfg, "--in", layer, "--out", h.PathOf("x.safetensors"), "--quiet", flag, value);
        Assert.Equal(2, r.Exit);
        Assert.Contains(message, r.Err);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(h.PathOf("x.safetensors")));
    }
}
