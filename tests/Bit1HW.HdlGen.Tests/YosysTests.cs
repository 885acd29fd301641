using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;
using Bit1HW.Core.Tools;

namespace Bit1HW.HdlGen.Tests;

/// <summary>Real synthesis of the engine top (no board wrapper): block RAM inference and no multipliers in the ternary PE.</summary>
public class YosysTests
{
    private static SynthReport Synth(HardwareConfig cfg, SynthTarget target, string? top = null)
    {
        var d = SynthDesign.FromConfig(cfg.Validate()) with { Top = top ?? RtlGenerator.TopModule(cfg) };
        string dir = Directory.CreateTempSubdirectory("bit1hw-yosys-").FullName;
        try
        {
            return SynthFlow.Run(d, new SynthOptions(target) { PlaceAndRoute = false }, dir, _ => { });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [ToolFact("yosys")]
    public void Ice40_maps_all_four_memories_to_block_ram_and_the_ternary_engine_uses_no_multiplier()
    {
        var r = Synth(Configs.Small(4, 1) with { WeightDepth = 256, ActDepth = 256, OutDepth = 256, InstrDepth = 256 }, SynthTarget.Ice40Up5k);
        Assert.True(r.Design.Brams >= 4, $"expected at least one SB_RAM40_4K per memory, got {r.Design.Brams}");
        Assert.Equal((0, 0), (r.Design.Dsps, r.Design.Multipliers));
        Assert.True(r.Design.Luts > 0);
    }

    [ToolFact("yosys")]
    public void Ice40_imem_wmem_and_amem_have_no_read_first_bypass_and_omem_keeps_it()
    {
        // yosys emulates read-first behaviour on SB_RAM40_4K with a register of the write data and
        // address and a multiplexer per data bit; no_rw_check leaves only the inverter of the
        // active-low write mask. omem must stay read-first, which also shows this count can fail.
        var cfg = Configs.Small(4, 1) with { WeightDepth = 256, ActDepth = 256, OutDepth = 256, InstrDepth = 256 };
        foreach (string mem in new[] { "imem", "wmem", "amem" })
        {
            var c = Synth(cfg, SynthTarget.Ice40Up5k, Gen.RamGenerator.ModuleName(cfg, mem)).Design;
            Assert.True(c.Brams >= 1 && c.Ffs == 0 && c.Luts <= 1, $"{mem}: {c.Luts} LUTs, {c.Ffs} FFs, {c.Brams} block RAMs");
        }
        var omem = Synth(cfg, SynthTarget.Ice40Up5k, Gen.RamGenerator.ModuleName(cfg, "omem")).Design;
        Assert.True(omem.Brams >= 1 && omem.Ffs > 0 && omem.Luts > cfg.AccBits, $"omem: {omem.Luts} LUTs, {omem.Ffs} FFs");
    }

    [ToolFact("yosys")]
    public void Xilinx_maps_memories_to_ramb_and_the_ternary_engine_to_no_dsp()
    {
        var r = Synth(Configs.Small(4, 1) with { WeightDepth = 512, ActDepth = 512, OutDepth = 512, InstrDepth = 512 }, SynthTarget.Xc7);
        Assert.True(r.Design.Brams >= 1, $"expected RAMB18E1/RAMB36E1 cells, got {r.Design.Brams}");
        Assert.Equal((0, 0), (r.Design.Dsps, r.Design.Multipliers));
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
