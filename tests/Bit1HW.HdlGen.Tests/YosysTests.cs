using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.HdlGen.Tests;

/// <summary>Real synthesis of small configurations: block RAM inference and no multipliers in the ternary PE.</summary>
public class YosysTests
{
    private static CellCounts Synth(GeneratedDir g, string synth, SynthTarget target, string top)
    {
        string script = $"read_verilog -sv {string.Join(' ', g.Verilog)}\nhierarchy -top {top}\nproc\nflatten\nopt_clean\n" +
            "tee -q -o coarse.txt stat\n" + $"{synth} -top {top}\ntee -q -o stat.txt stat\n";
        File.WriteAllText(Path.Combine(g.Path, "t.ys"), script);
        var r = Tools.Run("yosys", g.Path, "-q", "-s", "t.ys");
        Assert.True(r.ExitCode == 0, $"{g.Config.Tag}: yosys exit {r.ExitCode}\n{r.Stderr}{r.Stdout}");
        int muls = SynthFlow.Count(File.ReadAllText(Path.Combine(g.Path, "coarse.txt")), target, 0).Multipliers;
        return SynthFlow.Count(File.ReadAllText(Path.Combine(g.Path, "stat.txt")), target, muls);
    }

    [ToolFact("yosys")]
    public void Ice40_maps_all_four_memories_to_block_ram_and_the_ternary_engine_uses_no_multiplier()
    {
        using var g = new GeneratedDir(Configs.Small(4, 1) with { WeightDepth = 256, ActDepth = 256, OutDepth = 256, InstrDepth = 256 });
        var c = Synth(g, "synth_ice40 -dsp", SynthTarget.Ice40Up5k, Engine.TopModule(g.Config));
        Assert.True(c.Brams >= 4, $"expected at least one SB_RAM40_4K per memory, got {c.Brams}");
        Assert.Equal(0, c.Dsps);
        Assert.Equal(0, c.Multipliers);
        Assert.True(c.Luts > 0);
    }

    [ToolFact("yosys")]
    public void Ice40_imem_wmem_and_amem_have_no_read_first_bypass_and_omem_keeps_it()
    {
        // yosys emulates read-first behaviour on SB_RAM40_4K with a register of the write data and
        // address and a multiplexer per data bit; no_rw_check leaves only the inverter of the
        // active-low write mask. omem must stay read-first, which also shows this count can fail.
        using var g = new GeneratedDir(Configs.Small(4, 1) with { WeightDepth = 256, ActDepth = 256, OutDepth = 256, InstrDepth = 256 });
        foreach (string mem in new[] { "imem", "wmem", "amem" })
        {
            var c = Synth(g, "synth_ice40", SynthTarget.Ice40Up5k, Gen.RamGenerator.ModuleName(g.Config, mem));
            Assert.True(c.Brams >= 1 && c.Ffs == 0 && c.Luts <= 1, $"{mem}: {c}");
        }
        var omem = Synth(g, "synth_ice40", SynthTarget.Ice40Up5k, Gen.RamGenerator.ModuleName(g.Config, "omem"));
        Assert.True(omem.Brams >= 1 && omem.Ffs > 0 && omem.Luts > g.Config.AccBits, $"omem: {omem}");
    }

    [ToolFact("yosys")]
    public void The_mac_variant_does_use_multipliers_so_the_check_above_can_fail()
    {
        using var g = new GeneratedDir(Configs.Small(2, 1, pe: PeKind.Mac));
        var c = Synth(g, "synth_ice40 -dsp", SynthTarget.Ice40Up5k, Engine.ArrayModule(g.Config));
        Assert.Equal(2, c.Multipliers);
        Assert.True(c.Dsps > 0, "SB_MAC16 expected for INT8 multipliers with -dsp");
    }

    [ToolFact("yosys")]
    public void Xilinx_abc9_flow_maps_memories_to_ramb_and_the_ternary_engine_to_no_dsp()
    {
        using var g = new GeneratedDir(Configs.Small(4, 1) with { WeightDepth = 512, ActDepth = 512, OutDepth = 512, InstrDepth = 512 });
        var c = Synth(g, "synth_xilinx -abc9", SynthTarget.Xc7, Engine.TopModule(g.Config));
        Assert.True(c.Brams >= 1, $"expected RAMB18E1/RAMB36E1 cells, got {c.Brams}");
        Assert.Equal(0, c.Dsps);
        Assert.Equal(0, c.Multipliers);
    }

    [Fact]
    public void Nextpnr_report_fmax_is_the_slowest_clock()
    {
        string json = "{\"fmax\": {\"a\": {\"achieved\": 30.5, \"constraint\": 12}, \"b\": {\"achieved\": 25.25, \"constraint\": 12}}}";
        Assert.Equal(25.25, SynthFlow.ParseFmax(json));
    }
}

public class ToolRunnerTests
{
    [Fact]
    public void A_missing_tool_is_an_external_tool_error_naming_it_and_make_setup()
    {
        var e = Assert.Throws<Core.ExternalToolException>(() => ToolRunner.Require("bit1hw-no-such-tool"));
        Assert.Equal("bit1hw-no-such-tool", e.Tool);
        Assert.Contains("make setup", e.Message);
    }
}
