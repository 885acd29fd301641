using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.HdlGen.Tests;

/// <summary>The ice40-up5k RTL variant: where the memory words go, the shipped iCEBreaker configuration,
/// lint and Icarus runs with the cell models, and yosys keeping its own SPRAM and SB_MAC16 cells.
/// (Port-level equivalence with the simulator is co-simulated in Bit1HW.CoSim.Tests/Ice40VariantTests.)</summary>
public class Ice40VariantTests
{
    private static readonly RtlVariant Spram = new(RtlTarget.Ice40Up5k);
    private static readonly RtlVariant SpramMac16 = new(RtlTarget.Ice40Up5k, AccumulatorKind.Mac16);

    private static int BlockRams(HardwareConfig cfg) => MemoryPlan.For(cfg, RtlTarget.Ice40Up5k).Sum(p => p.Ice40BlockRams);
    private static int Sprams(HardwareConfig cfg) => MemoryPlan.For(cfg, RtlTarget.Ice40Up5k).Sum(p => p.Sprams);

    [Fact]
    public void The_icebreaker_configuration_fills_30_block_rams_and_4_sprams_with_112_ternary_lanes()
    {
        HardwareConfig cfg = RtlVariant.IceBreaker.Validate();
        Assert.Equal(112, cfg.Lanes * cfg.Rows);
        Assert.Equal((30, 4), (BlockRams(cfg), Sprams(cfg)));
        var plan = MemoryPlan.For(cfg, RtlTarget.Ice40Up5k).ToDictionary(p => p.Memory);
        Assert.Equal((2, 0), (plan["imem"].Sprams, plan["imem"].Ice40BlockRams));
        Assert.Equal((2, 12), (plan["wmem"].Sprams, plan["wmem"].Ice40BlockRams));
        Assert.Equal((0, 8), (plan["amem"].Sprams, plan["amem"].Ice40BlockRams));
        Assert.Equal((0, 10), (plan["omem"].Sprams, plan["omem"].Ice40BlockRams));
    }

    [Fact]
    public void One_more_row_or_lane_than_the_icebreaker_configuration_needs_more_than_30_block_rams()
    {
        HardwareConfig cfg = RtlVariant.IceBreaker;
        Assert.True(BlockRams(cfg with { Rows = 8 }) > 30, $"8 rows: {BlockRams(cfg with { Rows = 8 })}");
        Assert.True(BlockRams(cfg with { Lanes = 17 }) > 30, $"17 lanes: {BlockRams(cfg with { Lanes = 17 })}");
    }

    [Fact]
    public void The_shipped_icebreaker_json_is_the_configuration_ice40_up5k_defaults_to()
    {
        var file = HardwareConfig.Load(Path.Combine(Repo.Root, "docs", "examples", "icebreaker.json"));
        Assert.Equal(RtlVariant.IceBreaker, file);
        Assert.Equal(RtlVariant.IceBreaker, RtlVariant.DefaultConfig(RtlTarget.Ice40Up5k));
        Assert.Equal(HardwareConfig.Default, RtlVariant.DefaultConfig(RtlTarget.Generic));
    }

    [Fact]
    public void Sprams_are_used_only_while_the_memories_need_more_than_30_block_rams()
    {
        HardwareConfig bench = Configs.Small(16, 1);
        Assert.Equal(0, Sprams(bench));
        // The default configuration needs 31 block RAMs (wmem 512 x 128 alone takes 16): one SPRAM under wmem.
        Assert.Equal(31, MemoryPlan.For(HardwareConfig.Default, RtlTarget.Generic).Sum(p => p.Ice40BlockRams));
        Assert.Equal((1, 29), (MemoryPlan.Of(HardwareConfig.Default, RtlTarget.Ice40Up5k, "wmem").Sprams, BlockRams(HardwareConfig.Default)));
        // 16384 instructions cannot be block RAM (128 of them): two SPRAMs hold imem.
        Assert.Equal(2, MemoryPlan.Of(DeepImem(3, 2), RtlTarget.Ice40Up5k, "imem").Sprams);
    }

    /// <summary>A small configuration whose 16384-word imem only fits SPRAM.</summary>
    private static HardwareConfig DeepImem(int lanes, int rows) => Configs.Small(lanes, rows) with { InstrDepth = 16384 };

    [Fact]
    public void Block_ram_count_follows_the_widest_sb_ram40_4k_mode_for_the_depth()
    {
        Assert.Equal(14, MemoryPlan.Ice40BlockRams(256, 224));    // 256 x 16
        Assert.Equal(16, MemoryPlan.Ice40BlockRams(512, 128));    // 512 x 8
        Assert.Equal(8, MemoryPlan.Ice40BlockRams(1024, 32));     // 1024 x 4
        Assert.Equal(32, MemoryPlan.Ice40BlockRams(4096, 32));    // 2048 x 2, two deep
        Assert.Equal(0, MemoryPlan.Ice40BlockRams(256, 0));
    }

    [Fact]
    public void The_generic_target_uses_no_spram_and_omem_never_does()
    {
        Assert.All(MemoryPlan.For(HardwareConfig.Default, RtlTarget.Generic), p => Assert.Equal(0, p.Sprams));
        Assert.DoesNotContain(RtlGenerator.Generate(HardwareConfig.Default), f => f.SimulationModel);
        foreach (var cfg in new[] { HardwareConfig.Default, RtlVariant.IceBreaker, Configs.Small(3, 5) })
            Assert.Equal(0, MemoryPlan.Of(cfg, RtlTarget.Ice40Up5k, "omem").Sprams);
    }

    [Fact]
    public void Mac16_accumulators_on_the_generic_target_are_a_user_error_naming_the_option()
    {
        var e = Assert.Throws<UserInputException>(() => RtlGenerator.Generate(HardwareConfig.Default, new RtlVariant(RtlTarget.Generic, AccumulatorKind.Mac16)));
        Assert.Contains("--accumulators", e.Message);
    }

    [Fact]
    public void The_variant_writes_only_the_cell_models_it_instantiates_and_synthesis_reads_none()
    {
        Assert.DoesNotContain(RtlGenerator.Generate(Configs.Small(3, 2), Spram), f => f.SimulationModel);
        var spram = RtlGenerator.Generate(HardwareConfig.Default, Spram);
        Assert.Equal(["sim-models/SB_SPRAM256KA.v"], spram.Where(f => f.SimulationModel).Select(f => f.RelativePath));
        var both = RtlGenerator.Generate(RtlVariant.IceBreaker, SpramMac16);
        Assert.Equal(["sim-models/SB_MAC16.v", "sim-models/SB_SPRAM256KA.v"], both.Where(f => f.SimulationModel).Select(f => f.RelativePath));
        Assert.DoesNotContain(RtlGenerator.VerilogFiles(both), f => f.StartsWith("sim-models/", StringComparison.Ordinal));
        Assert.Equal(RtlVariant.IceBreaker.Rows, both.Where(f => !f.SimulationModel).Sum(f => CountOf(f.Text, "SB_MAC16 #(")));
        Assert.Equal(4, both.Where(f => !f.SimulationModel).Sum(f => CountOf(f.Text, "SB_SPRAM256KA spram_")));
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    public static TheoryData<int, int, string> VariantConfigs => new()
    {
        { 3, 2, "fabric" }, { 7, 3, "mac16" }, { 16, 4, "fabric" },
    };

    [ToolTheory("verilator")]
    [MemberData(nameof(VariantConfigs))]
    public void Verilator_lint_all_is_clean_on_the_variant_with_its_cell_models(int lanes, int rows, string accumulators)
    {
        var variant = accumulators == "mac16" ? SpramMac16 : Spram;
        using var g = new GeneratedDir(DeepImem(lanes, rows), variant: variant);
        var r = Tools.Run("verilator", g.Path, ["--lint-only", "-Wall", "--top-module", RtlGenerator.BoardModule(g.Config), .. g.SimulationVerilog]);
        Assert.True(r.ExitCode == 0 && (r.Stderr + r.Stdout).Trim().Length == 0, $"{g.Config.Tag} ({variant}): verilator exit {r.ExitCode}\n{r.Stderr}{r.Stdout}");
    }

    [ToolTheory("iverilog", "vvp")]
    [MemberData(nameof(VariantConfigs))]
    public void Icarus_runs_the_board_self_test_on_the_variant_and_it_passes(int lanes, int rows, string accumulators)
    {
        var variant = accumulators == "mac16" ? SpramMac16 : Spram;
        using var g = new GeneratedDir(DeepImem(lanes, rows), variant: variant);
        File.WriteAllText(Path.Combine(g.Path, "tb.v"), LintTests.BoardBench(RtlGenerator.BoardModule(g.Config)));
        var c = Tools.Run("iverilog", g.Path, ["-g2012", "-o", "sim.vvp", "-s", "tb", "tb.v", .. g.SimulationVerilog]);
        Assert.True(c.ExitCode == 0, $"{g.Config.Tag} ({variant}): iverilog exit {c.ExitCode}\n{c.Stderr}{c.Stdout}");
        Assert.Contains("pass_n=0 fail_n=1", Tools.Run("vvp", g.Path, ["-n", "sim.vvp"]).Stdout);
    }

    [ToolFact("yosys")]
    public void Yosys_keeps_the_sprams_and_one_sb_mac16_per_row_as_cells()
    {
        var cfg = DeepImem(3, 2);
        string dir = Directory.CreateTempSubdirectory("bit1hw-yosys-").FullName;
        try
        {
            var opt = new SynthOptions(SynthTarget.Ice40Up5k) { PlaceAndRoute = false, Accumulators = AccumulatorKind.Mac16 };
            SynthReport r = SynthFlow.Run(cfg, opt, dir, _ => { });
            Assert.Equal(Sprams(cfg), r.Design.Sprams);
            Assert.Equal(cfg.Rows, r.Design.Dsps);
            Assert.Equal(cfg.Rows, r.Array.Dsps);
            Assert.Equal(0, r.Design.Multipliers);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
