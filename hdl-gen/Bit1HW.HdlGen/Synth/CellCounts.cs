using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bit1HW.HdlGen.Synth;

/// <summary>What a mapped cell is. Every cell type falls in exactly one kind; unknown types are <see cref="Other"/>.</summary>
public enum CellKind { Lut, Inverter, LutRam, ShiftRegister, Carry, WideMux, FlipFlop, BlockRam, Spram, Dsp, Io, Other }

/// <summary>One cell type in a synthesized netlist and how many instances it has.</summary>
public sealed record CellTypeCount(string Type, int Count);

/// <summary>
/// The cells of one synthesized (flattened) module, by type, with the resource figures derived
/// from them. <see cref="Luts"/> is what the part's LUT capacity is compared with: on 7-series
/// the logic LUTs plus inverters (an INV is a LUT1) plus the LUTs of LUT-RAM and shift-register
/// cells (a RAM32M occupies four); on iCE40 the SB_LUT4 cells. <see cref="Brams"/> counts
/// SB_RAM40_4K on iCE40 and RAMB18 units on 7-series (a RAMB36E1 is two).
/// <see cref="Multipliers"/> counts `$mul`/`$macc` before technology mapping.
/// </summary>
public sealed record CellCounts(SynthTarget Target, IReadOnlyList<CellTypeCount> Cells, int Multipliers)
{
    public int Total => Cells.Sum(c => c.Count);

    /// <summary>Resource units of one kind: LUTs for the LUT kinds, RAMB18 units for 7-series block RAM, else cells.</summary>
    public int Units(CellKind kind) =>
        Cells.Select(c => (c.Count, Class: CellClasses.Classify(Target, c.Type))).Where(x => x.Class.Kind == kind).Sum(x => x.Count * x.Class.Units);

    /// <summary>How many cells are of one kind.</summary>
    public int CellsOf(CellKind kind) => Cells.Where(c => CellClasses.Classify(Target, c.Type).Kind == kind).Sum(c => c.Count);

    public int Luts => Units(CellKind.Lut) + Units(CellKind.Inverter) + Units(CellKind.LutRam) + Units(CellKind.ShiftRegister);
    public int Ffs => Units(CellKind.FlipFlop);
    public int Brams => Units(CellKind.BlockRam);
    public int Sprams => Units(CellKind.Spram);
    public int Dsps => Units(CellKind.Dsp);

    public static CellCounts Empty(SynthTarget target) => new(target, [], 0);

    /// <summary>
    /// Reads yosys `stat -json`. The "design" entry is the hierarchy total (each cell once); it is
    /// the only entry read, so a design that kept its hierarchy is not counted twice either.
    /// </summary>
    public static CellCounts FromStatJson(string json, SynthTarget target, int multipliers)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("design", out var design) || !design.TryGetProperty("num_cells_by_type", out var byType))
            throw new InvalidOperationException("yosys stat -json output has no design.num_cells_by_type");
        var cells = byType.EnumerateObject()
            .Select(p => new CellTypeCount(p.Name.TrimStart('\\'), p.Value.GetInt32()))
            .OrderBy(c => c.Type, StringComparer.Ordinal).ToList();
        return new CellCounts(target, cells, multipliers);
    }

    /// <summary>`$mul` and `$macc` cells in a coarse (not yet mapped) `stat -json`.</summary>
    public static int MultipliersInCoarseStat(string json)
    {
        var coarse = FromStatJson(json, SynthTarget.Ice40Up5k, 0);
        return coarse.Cells.Where(c => c.Type is "$mul" or "$macc").Sum(c => c.Count);
    }
}

/// <summary>A cell's kind and how many resource units (LUTs, RAMB18s, cells) one instance takes.</summary>
public readonly record struct CellClass(CellKind Kind, int Units);

/// <summary>The cell libraries of yosys 0.23's synth_ice40 and synth_xilinx, by kind.</summary>
public static partial class CellClasses
{
    public static CellClass Classify(SynthTarget target, string type) => target switch
    {
        SynthTarget.Ice40Up5k => Ice40(type),
        SynthTarget.Xc7 => Xc7(type),
        _ => throw new UnreachableException(),
    };

    private static CellClass Ice40(string type) => type switch
    {
        "SB_LUT4" => new(CellKind.Lut, 1),
        "SB_CARRY" => new(CellKind.Carry, 1),
        "SB_SPRAM256KA" => new(CellKind.Spram, 1),
        "SB_MAC16" => new(CellKind.Dsp, 1),
        "SB_IO" or "SB_GB" or "SB_GB_IO" or "SB_IO_OD" or "SB_IO_I3C" => new(CellKind.Io, 1),
        _ when type.StartsWith("SB_DFF", StringComparison.Ordinal) => new(CellKind.FlipFlop, 1),
        _ when type.StartsWith("SB_RAM40_4K", StringComparison.Ordinal) => new(CellKind.BlockRam, 1),
        _ => new(CellKind.Other, 1),
    };

    // LUT-RAM sizes in LUTs per UG474 (7 Series CLB): a 32- or 64-deep single-port bit is one LUT,
    // dual-port two, the quad-port RAM32M/RAM64M four; 128 deep doubles, 256 deep quadruples.
    private static CellClass Xc7(string type) => type switch
    {
        "INV" => new(CellKind.Inverter, 1),
        "RAM32X1S" or "RAM64X1S" => new(CellKind.LutRam, 1),
        "RAM32X1D" or "RAM64X1D" or "RAM128X1S" => new(CellKind.LutRam, 2),
        "RAM32M" or "RAM64M" or "RAM128X1D" or "RAM256X1S" => new(CellKind.LutRam, 4),
        "SRL16E" or "SRLC16E" or "SRLC32E" => new(CellKind.ShiftRegister, 1),
        "CARRY4" => new(CellKind.Carry, 1),
        "MUXF7" or "MUXF8" => new(CellKind.WideMux, 1),
        "FDRE" or "FDSE" or "FDCE" or "FDPE" or "LDCE" or "LDPE" => new(CellKind.FlipFlop, 1),
        "RAMB18E1" => new(CellKind.BlockRam, 1),
        "RAMB36E1" => new(CellKind.BlockRam, 2),
        "DSP48E1" => new(CellKind.Dsp, 1),
        "IBUF" or "OBUF" or "IOBUF" or "OBUFT" or "IBUFG" or "BUFG" or "BUFGCTRL" or "BUFH" => new(CellKind.Io, 1),
        _ when Lut6().IsMatch(type) => new(CellKind.Lut, 1),
        _ => new(CellKind.Other, 1),
    };

    [GeneratedRegex("^LUT[1-6]$")]
    private static partial Regex Lut6();
}
