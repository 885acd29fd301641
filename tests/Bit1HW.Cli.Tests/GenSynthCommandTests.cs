using System.Text.Json;
using Bit1HW.Core;

namespace Bit1HW.Cli.Tests;

public class GenSynthCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Bit1hw.Run(args);

    private static string TempOut() => Path.Combine(Path.GetTempPath(), "bit1hw-gen-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("--lanes", "0", "lanes")]
    [InlineData("--act-bits", "9", "actBits")]
    [InlineData("--pipe-every", "0", "pipeEvery")]
    [InlineData("--pe", "fp16", "--pe")]
    [InlineData("--max-k", "999999", "maxK")]
    public void Gen_rejects_a_bad_config_with_exit_2_and_writes_nothing(string flag, string value, string field)
    {
        string dir = TempOut();
        var (code, _, err) = Run("gen", flag, value, "--out", dir);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(field, err);
        Assert.Single(err.Trim().Split('\n'), l => l.StartsWith("bit1hw: error", StringComparison.Ordinal));
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData("--target", "ecp5", "--target")]
    [InlineData("--lanes", "0", "lanes")]
    [InlineData("--seeds", "0", "--seeds")]
    [InlineData("--seeds", "26", "--seeds")]
    [InlineData("--seeds", "three", "--seeds")]
    [InlineData("--target-mhz", "0", "--target-mhz")]
    [InlineData("--target-mhz", "-12", "--target-mhz")]
    public void Synth_rejects_bad_input_with_exit_2_before_writing_anything(string flag, string value, string subject)
    {
        string dir = TempOut();
        string[] args = flag == "--target" ? ["synth", "--target", value, "--out", dir] : ["synth", "--target", "ice40-up5k", flag, value, "--out", dir];
        var (code, stdout, err) = Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(subject, err);
        Assert.DoesNotContain("synth: [", stdout + err); // no tool started
        Assert.False(Directory.Exists(dir));
    }

    [ToolFact("yosys")]
    public void Synth_json_prints_exactly_report_json_on_stdout_and_progress_on_stderr()
    {
        string dir = TempOut();
        try
        {
            Directory.CreateDirectory(dir);
            string cfg = Path.Combine(dir, "tiny.json");
            File.WriteAllText(cfg, """{ "lanes": 2, "rows": 1, "weightDepth": 16, "actDepth": 16, "outDepth": 16, "instrDepth": 32, "maxK": 32 }""");
            var (code, stdout, err) = Run("synth", "--target", "ice40-up5k", "--config", cfg, "--yosys-only", "--json", "--out", Path.Combine(dir, "out"));
            Assert.True(code == 0, err);
            Assert.Equal(File.ReadAllText(Path.Combine(dir, "out", "report.json")), stdout);
            using var doc = JsonDocument.Parse(stdout);
            Assert.Equal("iCE40UP5K-SG48 (iCEBreaker)", doc.RootElement.GetProperty("part").GetString());
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("fmaxMhz").ValueKind);
            Assert.StartsWith("synth: [1/1] yosys synth_ice40 -dsp on bit1hw_board_l2_r1", err);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [ToolFact("yosys")]
    public void On_a_terminal_synth_shows_yosys_output_as_it_runs_and_stdout_is_still_the_report()
    {
        using var h = new CliHarness();
        string cfg = h.PathOf("tiny.json");
        File.WriteAllText(cfg, """{ "lanes": 2, "rows": 1, "weightDepth": 16, "actDepth": 16, "outDepth": 16, "instrDepth": 32, "maxK": 32 }""");
        var (code, stdout, err) = h.RunWith(["BIT1HW_PROGRESS=live"], "synth", "--target", "ice40-up5k", "--config", cfg, "--yosys-only", "--json", "--out", h.PathOf("out"));
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllText(h.PathOf("out/report.json")), stdout);
        Assert.Contains("synth: [1/1] yosys synth_ice40 -dsp", err);
        Assert.Matches(@"synth: \[1/1\] yosys [^\u001b]*  [0-9.]* ?Executing ", err);   // a line of yosys's own output, streamed into the live line
    }

    [Fact]
    public void Gen_writes_verilog_and_a_manifest_whose_top_ports_are_the_documented_ones()
    {
        string dir = TempOut();
        try
        {
            var (code, _, err) = Run("gen", "--lanes", "7", "--rows", "3", "--act-bits", "4", "--max-k", "100", "--out", dir);
            Assert.True(code == 0, err);
            Assert.True(File.Exists(Path.Combine(dir, "bit1hw_top_l7_r3_a4_p1_ternary.v")));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
            var ports = doc.RootElement.GetProperty("ports").EnumerateArray()
                .Select(p => $"{p.GetProperty("name").GetString()}:{p.GetProperty("dir").GetString()}:{p.GetProperty("width").GetInt32()}").ToArray();
            // docs/hardware.md "Top-level ports" for lanes 7, rows 3, actBits 4, maxK 100 and default depths:
            // HostDataBits = max(32, 3·7·2, 7·4) = 42; HostAddrBits = 9 (weightDepth 512); AccBits: 100·8 = 800 → 10 + 1 = 11.
            Assert.Equal(new[]
            {
                "clk:in:1", "rst:in:1", "start:in:1", "busy:out:1", "done:out:1", "host_we:in:1", "host_sel:in:2",
                "host_addr:in:9", "host_wdata:in:42", "host_raddr:in:7", "host_rrow:in:2", "host_rdata:out:11",
                "dbg_pc:out:8", "dbg_acc_en:out:1",
            }, ports);
            // 7 lanes: D = 3 tree levels, default pipeEvery 1 → L = 1 + ceil(3 / 1) = 4.
            Assert.Equal(4, doc.RootElement.GetProperty("derived").GetProperty("peLatencyCycles").GetInt32());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("gen", "--accumulators", "mac16")]
    [InlineData("gen", "--target", "ecp5")]
    [InlineData("gen", "--accumulators", "dsp48")]
    [InlineData("synth", "--accumulators", "mac16")]
    public void An_rtl_variant_the_target_cannot_build_is_exit_2_naming_the_option_and_nothing_is_written(string command, string flag, string value)
    {
        string dir = TempOut();
        // mac16 needs ice40-up5k: gen's default target is generic, and synth is asked for xc7.
        string[] args = command == "synth" ? ["synth", "--target", "xc7", flag, value, "--out", dir] : ["gen", flag, value, "--out", dir];
        var (code, stdout, err) = Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(flag, err);
        Assert.Single(err.Trim().Split('\n'), l => l.StartsWith("bit1hw: error", StringComparison.Ordinal));
        Assert.DoesNotContain("synth: [", stdout + err);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Gen_for_ice40_up5k_without_a_config_writes_the_icebreaker_engine_with_its_spram_model()
    {
        string dir = TempOut();
        try
        {
            var (code, stdout, err) = Run("gen", "--target", "ice40-up5k", "--accumulators", "mac16", "--out", dir);
            Assert.True(code == 0, err);
            Assert.Contains("gen: l16_r7_a8_p1_ternary (ice40-up5k, mac16 accumulators)", stdout);
            Assert.Contains("gen: wmem: bits [31:0] in 2 SB_SPRAM256KA, [223:32] in block RAM", stdout);
            Assert.True(File.Exists(Path.Combine(dir, "sim-models", "SB_SPRAM256KA.v")));
            Assert.True(File.Exists(Path.Combine(dir, "sim-models", "SB_MAC16.v")));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
            Assert.Equal("ice40-up5k", doc.RootElement.GetProperty("target").GetString());
            Assert.Equal(4, doc.RootElement.GetProperty("memories").EnumerateArray().Sum(m => m.GetProperty("sprams").GetInt32()));
            Assert.Equal(30, doc.RootElement.GetProperty("memories").EnumerateArray().Sum(m => m.GetProperty("ice40BlockRams").GetInt32()));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
