using System.Diagnostics;
using Bit1HW.Core;

namespace Bit1HW.HdlGen.Synth;

public enum SynthTarget { Ice40Up5k, Xc7 }

/// <summary>One resource of the reference part and how many of it the part has.</summary>
public sealed record DeviceResource(string Name, int Available);

/// <summary>
/// What the flow knows about a target: the reference part the percentages refer to, the yosys
/// synthesis command and the part's capacities. Both commands flatten the design, so `stat`
/// counts every cell exactly once (synth_ice40 flattens by default; synth_xilinx only with
/// -flatten, and its hierarchical `stat` lists each module and then the hierarchy total, which
/// the first version of this flow added up, doubling every figure). synth_ice40 gets -dsp so
/// multipliers map to SB_MAC16 as a hardware designer would map them; synth_xilinx runs without
/// -abc9 (docs/hardware.md, "FPGA flow", gives the measurements behind that choice).
/// </summary>
public static class SynthTargets
{
    public static SynthTarget Parse(string s) => s switch
    {
        "ice40-up5k" => SynthTarget.Ice40Up5k,
        "xc7" => SynthTarget.Xc7,
        _ => throw new UserInputException("--target", $"'{s}' is not a supported target (ice40-up5k, xc7)"),
    };

    public static string Name(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => "ice40-up5k",
        SynthTarget.Xc7 => "xc7",
        _ => throw new UnreachableException(),
    };

    public static string Part(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => "iCE40UP5K-SG48 (iCEBreaker)",
        SynthTarget.Xc7 => "XC7A35T (Arty A7-35T)",
        _ => throw new UnreachableException(),
    };

    public static string YosysSynth(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => "synth_ice40 -dsp",
        SynthTarget.Xc7 => "synth_xilinx -flatten",
        _ => throw new UnreachableException(),
    };

    /// <summary>The cells that fill a flip-flop's place after synthesis (for the planted fault in the tests).</summary>
    internal static string FlipFlopSelection(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => "t:SB_DFF*",
        SynthTarget.Xc7 => "t:FD*E",
        _ => throw new UnreachableException(),
    };

    /// <summary>Resource names used by <see cref="Capacity"/> and the report.</summary>
    public const string Luts = "LUTs", Ffs = "FFs", LogicCells = "logic cells", Brams = "block RAM", Sprams = "SPRAM", Dsps = "DSP";

    /// <summary>
    /// The reference part's capacities. iCE40 UP5K: 5280 logic cells (one LUT4, one carry and one
    /// FF each), 30 SB_RAM40_4K, 4 SB_SPRAM256KA, 8 SB_MAC16. XC7A35T: 20800 LUTs (logic, inverters,
    /// LUT-RAM and shift registers all take LUTs), 41600 FFs, 100 RAMB18 (50 RAMB36, each counted
    /// as two), 90 DSP48E1.
    /// </summary>
    public static IReadOnlyList<DeviceResource> Capacity(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k =>
        [
            new(LogicCells, 5280), new(Luts, 5280), new(Ffs, 5280), new(Brams, 30), new(Sprams, 4), new(Dsps, 8),
        ],
        SynthTarget.Xc7 => [new(Luts, 20800), new(Ffs, 41600), new(Brams, 100), new(Dsps, 90)],
        _ => throw new UnreachableException(),
    };
}
