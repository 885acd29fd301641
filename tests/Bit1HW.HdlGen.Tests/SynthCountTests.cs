using Bit1HW.HdlGen.Synth;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// How the flow reads yosys `stat -json` and classifies cells, without running yosys. The
/// fixtures have the shape yosys 0.23 writes.
/// </summary>
public class SynthCountTests
{
    // Two modules kept as a hierarchy: the top (3 LUT3, 1 FDRE and one instance of sub) and sub
    // (100 LUT2, 50 FDRE); "design" is the hierarchy total. The first flow summed every line.
    private const string HierarchicalStat = """
        {
           "creator": "Yosys 0.23 (git sha1 7ce5011c24b)",
           "invocation": "stat -json ",
           "modules": {
              "\\sub": { "num_cells": 150, "num_cells_by_type": { "FDRE": 50, "LUT2": 100 } },
              "\\top": { "num_cells": 5, "num_cells_by_type": { "FDRE": 1, "LUT3": 3, "sub": 1 } }
           },
              "design": { "num_cells": 154, "num_cells_by_type": { "FDRE": 51, "LUT2": 100, "LUT3": 3 } }
        }
        """;

    [Fact]
    public void A_hierarchical_stat_is_counted_once_from_its_hierarchy_total()
    {
        var c = CellCounts.FromStatJson(HierarchicalStat, SynthTarget.Xc7, 0);
        Assert.Equal(103, c.Luts);
        Assert.Equal(51, c.Ffs);
        Assert.Equal(154, c.Total);
    }

    [Fact]
    public void Xc7_inverters_lut_ram_and_shift_registers_take_luts_and_a_ramb36_is_two_ramb18()
    {
        var c = Counts(SynthTarget.Xc7, ("LUT2", 10), ("LUT6", 5), ("INV", 3), ("RAM32M", 2), ("RAM64X1D", 1), ("SRLC32E", 1),
            ("MUXF7", 2), ("CARRY4", 4), ("RAMB36E1", 1), ("RAMB18E1", 1), ("DSP48E1", 2), ("FDRE", 7), ("FDSE", 1));
        Assert.Equal(10 + 5 + 3 + 2 * 4 + 2 + 1, c.Luts);
        Assert.Equal(3, c.Brams);
        Assert.Equal(2, c.Dsps);
        Assert.Equal(8, c.Ffs);
        Assert.Equal(2, c.CellsOf(CellKind.WideMux));
        Assert.Equal(4, c.Units(CellKind.Carry));
    }

    [Fact]
    public void Ice40_counts_every_flip_flop_and_block_ram_variant()
    {
        var c = Counts(SynthTarget.Ice40Up5k, ("SB_LUT4", 40), ("SB_CARRY", 9), ("SB_DFF", 3), ("SB_DFFESR", 2), ("SB_DFFNSS", 1),
            ("SB_RAM40_4K", 2), ("SB_RAM40_4KNR", 1), ("SB_SPRAM256KA", 4), ("SB_MAC16", 8), ("SB_IO", 3), ("SB_GB", 1));
        Assert.Equal(40, c.Luts);
        Assert.Equal(6, c.Ffs);
        Assert.Equal(3, c.Brams);
        Assert.Equal(4, c.Sprams);
        Assert.Equal(8, c.Dsps);
        Assert.Equal(4, c.CellsOf(CellKind.Io));
    }

    [Theory]
    [InlineData(SynthTarget.Xc7)]
    [InlineData(SynthTarget.Ice40Up5k)]
    internal void Every_cell_falls_in_exactly_one_kind_and_unknown_types_are_other(SynthTarget target)
    {
        var c = Counts(target, ("LUT4", 2), ("SB_LUT4", 3), ("INV", 1), ("FDCE", 1), ("SB_DFFE", 1), ("SB_HFOSC", 1), ("XORCY", 2));
        Assert.Equal(c.Total, Enum.GetValues<CellKind>().Sum(c.CellsOf));
        Assert.True(c.CellsOf(CellKind.Other) >= 3, "SB_HFOSC and XORCY are not counted as logic on either target");
    }

    [Fact]
    public void The_coarse_multiplier_count_adds_mul_and_macc_cells()
    {
        const string coarse = """{ "design": { "num_cells_by_type": { "$add": 4, "$mul": 3, "$macc": 1, "$dff": 2 } } }""";
        Assert.Equal(4, CellCounts.MultipliersInCoarseStat(coarse));
    }

    [Fact]
    public void A_design_over_the_ice40_capacity_is_not_placed_and_the_resource_is_named()
    {
        var c = Counts(SynthTarget.Ice40Up5k, ("SB_LUT4", 700), ("SB_MAC16", 16), ("SB_RAM40_4K", 20));
        Assert.Equal("DSP: 16 of 8", SynthFlow.Overflow(SynthTarget.Ice40Up5k, c));
        Assert.Null(SynthFlow.Overflow(SynthTarget.Ice40Up5k, Counts(SynthTarget.Ice40Up5k, ("SB_MAC16", 8), ("SB_RAM40_4K", 30))));
    }

    [Fact]
    public void Device_use_states_the_xc7_reference_part_capacities()
    {
        var c = Counts(SynthTarget.Xc7, ("LUT6", 2080), ("FDRE", 416), ("RAMB36E1", 5), ("DSP48E1", 9));
        var d = SynthFlow.Device(SynthTarget.Xc7, c, null).ToDictionary(u => u.Resource);
        Assert.Equal((2080, 20800, 10.0), (d["LUTs"].Used, d["LUTs"].Available, d["LUTs"].Percent));
        Assert.Equal((416, 41600, 1.0), (d["FFs"].Used, d["FFs"].Available, d["FFs"].Percent));
        Assert.Equal((10, 100), (d["block RAM"].Used, d["block RAM"].Available));
        Assert.Equal((9, 90), (d["DSP"].Used, d["DSP"].Available));
        Assert.Equal("XC7A35T (Arty A7-35T)", SynthTargets.Part(SynthTarget.Xc7));
    }

    internal static CellCounts Counts(SynthTarget t, params (string Type, int Count)[] cells) =>
        new(t, cells.Select(c => new CellTypeCount(c.Type, c.Count)).OrderBy(c => c.Type, StringComparer.Ordinal).ToList(), 0);
}
