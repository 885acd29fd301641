using System.Text.Json;
using System.Text.RegularExpressions;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Xunit.Abstractions;

namespace Bit1HW.HdlGen.Tests;

public class LintTests(ITestOutputHelper output)
{
    public static TheoryData<int, int, int, int, string> LintConfigs => new()
    {
        // lanes, rows, actBits, pipeEvery, pe: odd and power-of-two lanes, both activation widths,
        // several pipeEvery values, both PE kinds.
        { 1, 1, 8, 1, "ternary" },
        { 3, 2, 4, 1, "ternary" },
        { 7, 3, 8, 2, "ternary" },
        { 33, 2, 4, 3, "ternary" },
        { 16, 4, 8, 2, "ternary" },
        { 64, 1, 8, 64, "ternary" },
        { 7, 2, 8, 2, "mac" },
        { 3, 1, 4, 1, "mac" },
    };

    private static HardwareConfig Cfg(int lanes, int rows, int actBits, int pipeEvery, string pe) =>
        Configs.Small(lanes, rows, actBits, pipeEvery, pe == "mac" ? PeKind.Mac : PeKind.Ternary);

    [ToolTheory("verilator")]
    [MemberData(nameof(LintConfigs))]
    public void Verilator_lint_all_is_clean_without_waivers(int lanes, int rows, int actBits, int pipeEvery, string pe)
    {
        using var g = new GeneratedDir(Cfg(lanes, rows, actBits, pipeEvery, pe));
        Assert.DoesNotContain(g.Files, f => f.Text.Contains("lint_off", StringComparison.Ordinal));
        var r = Tools.Run("verilator", g.Path, ["--lint-only", "-Wall", "--top-module", RtlGenerator.BoardModule(g.Config), .. g.Verilog]);
        Assert.True(r.ExitCode == 0 && r.Stderr.Trim().Length == 0 && r.Stdout.Trim().Length == 0,
            $"{g.Config.Tag}: verilator exit {r.ExitCode}\n{r.Stderr}{r.Stdout}");
    }

    [ToolTheory("verilator")]
    [InlineData("default")]
    [InlineData("large")]
    public void Checked_in_rtl_out_lints_clean_with_the_engine_top_as_root(string name)
    {
        string dir = Path.Combine(Repo.Root, "rtl-out", name);
        var files = Directory.GetFiles(dir, "*.v").Select(Path.GetFileName).Where(f => !f!.StartsWith("bit1hw_board_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        string top = Path.GetFileNameWithoutExtension(files.Single(f => f!.StartsWith("bit1hw_top_", StringComparison.Ordinal)))!;
        var r = Tools.Run("verilator", dir, ["--lint-only", "-Wall", "--top-module", top, .. files!]);
        Assert.True(r.ExitCode == 0 && (r.Stderr + r.Stdout).Trim().Length == 0, $"{name}: verilator exit {r.ExitCode}\n{r.Stderr}");
    }

    [Fact]
    public void Randomized_configs_generate_one_file_per_module_wired_as_the_manifest_says_with_the_contract_port_widths()
    {
        int seed = TestSeed.Seed(20261122, output);
        var rng = new SplitMix64(seed);
        for (int i = 0; i < 40; i++)
        {
            var cfg = Configs.Small(rng.Next(1, 80), rng.Next(1, 5), rng.Next(2, 9), rng.Next(1, 8), rng.Next(2) == 0 ? PeKind.Mac : PeKind.Ternary);
            string where = $"seed {seed}, case {i}, {cfg.Tag}";
            var files = RtlGenerator.Generate(cfg);
            Assert.True(files.SequenceEqual(RtlGenerator.Generate(cfg)), $"{where}: a second generation differs");
            using JsonDocument manifest = JsonDocument.Parse(files.Single(f => f.RelativePath == "manifest.json").Text);
            JsonElement root = manifest.RootElement;
            var modules = root.GetProperty("modules").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
            Assert.True(files.Count == modules.Count + 1, $"{where}: {files.Count} files for {modules.Count} modules and the manifest");
            foreach (var (name, module) in modules)
            {
                string text = files.Single(f => f.RelativePath == $"{name}.v").Text;
                Assert.True(Regex.Matches(text, $@"^module {name}\b", RegexOptions.Multiline).Count == 1 && text.TrimEnd().EndsWith("endmodule", StringComparison.Ordinal),
                    $"{where}: {name}.v does not define exactly module {name}");
                foreach (JsonElement inst in module.GetProperty("instances").EnumerateArray())
                    Assert.True(modules.ContainsKey(inst.GetProperty("module").GetString()!), $"{where}: {name} instantiates a module that is not generated");
            }
            Assert.Equal(cfg.Rows, modules[RtlGenerator.ArrayModule(cfg)].GetProperty("instances").GetArrayLength());
            var widths = root.GetProperty("ports").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("width").GetInt32());
            var contract = new Dictionary<string, int>
            {
                ["clk"] = 1, ["rst"] = 1, ["start"] = 1, ["busy"] = 1, ["done"] = 1, ["host_we"] = 1, ["host_sel"] = 2,
                ["host_addr"] = cfg.HostAddrBits, ["host_wdata"] = cfg.HostDataBits, ["host_raddr"] = cfg.OutAddrBits,
                ["host_rrow"] = cfg.RowSelectBits, ["host_rdata"] = cfg.AccBits, ["dbg_pc"] = cfg.InstrAddrBits, ["dbg_acc_en"] = 1,
            };
            Assert.True(contract.OrderBy(p => p.Key).SequenceEqual(widths.OrderBy(p => p.Key)),
                $"{where}: top ports {string.Join(", ", widths)} differ from docs/hardware.md's {string.Join(", ", contract)}");
            JsonElement derived = root.GetProperty("derived");
            Assert.Equal([cfg.PeLatencyCycles, cfg.PeTermBits, cfg.PeOutBits, cfg.AccBits],
                new[] { "peLatencyCycles", "peTermBits", "peOutBits", "accBits" }.Select(k => derived.GetProperty(k).GetInt32()));
        }
    }

    [ToolFact("verilator")]
    public void Randomized_odd_configs_lint_clean()
    {
        int seed = TestSeed.Get(7);
        var rng = new SplitMix64(seed);
        for (int i = 0; i < 3; i++)
        {
            var cfg = Configs.Small(2 * rng.Next(0, 40) + 1, rng.Next(1, 4), rng.Next(2) == 0 ? 4 : 8, rng.Next(1, 5));
            using var g = new GeneratedDir(cfg);
            var r = Tools.Run("verilator", g.Path, ["--lint-only", "-Wall", "--top-module", RtlGenerator.BoardModule(cfg), .. g.Verilog]);
            Assert.True(r.ExitCode == 0 && (r.Stderr + r.Stdout).Trim().Length == 0,
                $"seed {seed}, case {i}, {cfg.Tag}: verilator exit {r.ExitCode}\n{r.Stderr}");
        }
    }

    [ToolTheory("iverilog", "vvp")]
    [InlineData(1, 1, 8, 1, "ternary")]
    [InlineData(7, 3, 4, 2, "ternary")]
    [InlineData(33, 2, 8, 3, "ternary")]
    [InlineData(5, 2, 8, 1, "mac")]
    public void Iverilog_compiles_it_and_the_board_self_test_passes(int lanes, int rows, int actBits, int pipeEvery, string pe)
    {
        using var g = new GeneratedDir(Cfg(lanes, rows, actBits, pipeEvery, pe));
        string board = RtlGenerator.BoardModule(g.Config);
        File.WriteAllText(Path.Combine(g.Path, "tb.v"), BoardBench(board));
        var c = Tools.Run("iverilog", g.Path, ["-g2012", "-Wall", "-o", "sim.vvp", "-s", "tb", "tb.v", .. g.Verilog]);
        Assert.True(c.ExitCode == 0, $"{g.Config.Tag}: iverilog exit {c.ExitCode}\n{c.Stderr}{c.Stdout}");
        var r = Tools.Run("vvp", g.Path, ["-n", "sim.vvp"]);
        Assert.Contains("pass_n=0 fail_n=1", r.Stdout);
    }

    [ToolFact("iverilog", "vvp")]
    public void Board_self_test_fails_when_the_weight_decode_is_flipped()
    {
        using var g = new GeneratedDir(Configs.Small(7, 1), GeneratorFaults.FlipWeightDecode);
        File.WriteAllText(Path.Combine(g.Path, "tb.v"), BoardBench(RtlGenerator.BoardModule(g.Config)));
        Assert.Equal(0, Tools.Run("iverilog", g.Path, ["-g2012", "-o", "sim.vvp", "-s", "tb", "tb.v", .. g.Verilog]).ExitCode);
        Assert.Contains("pass_n=1 fail_n=0", Tools.Run("vvp", g.Path, ["-n", "sim.vvp"]).Stdout);
    }

    /// <summary>Runs the board wrapper for 300 cycles and prints its LEDs.</summary>
    internal static string BoardBench(string board) =>
        "module tb;\n" +
        "    reg clk = 1'b0;\n" +
        "    wire pass_n, fail_n;\n" +
        $"    {board} dut (.clk(clk), .btn_n(1'b1), .led_pass_n(pass_n), .led_fail_n(fail_n));\n" +
        "    always #5 clk = ~clk;\n" +
        "    initial begin\n" +
        "        #3000;\n" +
        "        $display(\"pass_n=%b fail_n=%b\", pass_n, fail_n);\n" +
        "        $finish;\n" +
        "    end\n" +
        "endmodule\n";
}
