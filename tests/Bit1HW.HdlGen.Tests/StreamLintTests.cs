using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.HdlGen.Tests;

public class StreamLintTests
{
    [ToolTheory("verilator")]
    [MemberData(nameof(StreamConfigs.Names), MemberType = typeof(StreamConfigs))]
    public void Streaming_engines_lint_clean_with_verilator_wall_and_no_waivers(string name)
    {
        using var g = new GeneratedDir(StreamConfigs.ByName[name]);
        Assert.DoesNotContain(g.Files, f => f.Text.Contains("lint_off", StringComparison.Ordinal));
        // The AXI4-Lite wrapper is the root: it instantiates the engine, so every module is linted.
        var r = Tools.Run("verilator", g.Path, ["--lint-only", "-Wall", "--top-module", RtlGenerator.AxilModule(g.Config), .. g.Verilog]);
        Assert.True(r.ExitCode == 0 && (r.Stderr + r.Stdout).Trim().Length == 0, $"{name} ({g.Config.Tag}): verilator exit {r.ExitCode}\n{r.Stderr}{r.Stdout}");
    }
}
