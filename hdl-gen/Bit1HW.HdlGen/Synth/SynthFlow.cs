using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Tools;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.HdlGen.Synth;

/// <summary>
/// How to run the flow. <see cref="Seeds"/> nextpnr runs (seeds 1..N) give the median Fmax;
/// <see cref="TargetMhz"/> is the frequency nextpnr is asked for, set above what the design
/// reaches so the timing-driven placer and router work on the real critical path (the board's
/// own clock is <see cref="SynthFlow.BoardClockMhz"/>).
/// </summary>
public sealed record SynthOptions(SynthTarget Target)
{
    public bool PlaceAndRoute { get; init; } = true;
    public int Seeds { get; init; } = 3;
    public double TargetMhz { get; init; } = 100;
    /// <summary>Accumulators of the generated engine: SB_MAC16 needs the ice40-up5k target.</summary>
    public AccumulatorKind Accumulators { get; init; } = AccumulatorKind.Fabric;
    public string PcfPath { get; init; } = "";
    /// <summary>nextpnr also writes each seed's placed design as pnr_seedN.asc (for a bitstream: <c>bit1hw board build</c>).</summary>
    public bool WriteAsc { get; init; }
    internal SynthFaults Faults { get; init; }
    /// <summary>When set, yosys and nextpnr print their whole progress and each line comes here as it is printed (the logs are the same either way).</summary>
    public Action<string>? ToolOutput { get; init; }

    public const int MaxSeeds = 25;

    /// <summary>The RTL the flow synthesizes: the target-aware iCE40 UP5K variant (SPRAM, optional
    /// SB_MAC16 accumulators) on ice40-up5k, generic RTL on xc7.</summary>
    public RtlVariant Variant => new(Target == SynthTarget.Ice40Up5k ? RtlTarget.Ice40Up5k : RtlTarget.Generic, Accumulators);

    public SynthOptions Validate()
    {
        if (Seeds is < 1 or > MaxSeeds) throw new UserInputException("--seeds", $"{Seeds} is outside 1..{MaxSeeds}");
        if (!(TargetMhz is > 0 and <= 1000)) throw new UserInputException("--target-mhz", $"{TargetMhz.ToString(CultureInfo.InvariantCulture)} is outside (0, 1000]");
        Variant.Validate();
        return this;
    }
}

/// <summary>How much of one resource of the reference part a design uses, and who counted it.</summary>
public sealed record DeviceUse(string Resource, int Used, int Available, string Source)
{
    public double Percent => Math.Round(100.0 * Used / Available, 1);
}

/// <summary>
/// What <c>bit1hw synth</c> measures: the placed design (for an engine, the board wrapper with
/// the whole engine) and the PE array alone, which gives the LUTs per lane without memories and
/// control; the use of the reference part; on iCE40 the place-and-route results.
/// </summary>
public sealed record SynthReport(SynthTarget Target, string Tag, string Yosys, int LanesTotal, CellCounts Design, CellCounts Array,
    IReadOnlyList<DeviceUse> Device, PlaceRoute? Pnr, string Note)
{
    public double LutsPerLane => Math.Round((double)Array.Luts / LanesTotal, 2);
    public double? FmaxMhz => Pnr?.Median?.FmaxMhz;
}

/// <summary>
/// The FPGA flow: yosys synthesizes the design and the array (<see cref="YosysRun"/>); on iCE40,
/// when the cells fit the UP5K, nextpnr-ice40 places and routes the design once per seed
/// (<see cref="NextpnrRun"/>). There is no open place-and-route for 7-series here, so xc7 gives
/// yosys cell counts only, against the XC7A35T.
/// </summary>
public static class SynthFlow
{
    /// <summary>The iCEBreaker's oscillator, which the board wrapper runs from.</summary>
    public const double BoardClockMhz = 12;

    public static SynthReport Run(HardwareConfig cfg, SynthOptions opt, string workDir, Action<string> progress) =>
        Run(SynthDesign.FromConfig(cfg.Validate(), opt.Validate().Variant), opt, workDir, progress);

    public static SynthReport Run(SynthDesign d, SynthOptions opt, string workDir, Action<string> progress)
    {
        opt.Validate();
        bool pnr = opt.Target == SynthTarget.Ice40Up5k && opt.PlaceAndRoute;
        ToolRunner.Require("yosys");
        if (pnr) ToolRunner.Require("nextpnr-ice40");
        Directory.CreateDirectory(workDir);
        int steps = 1 + (pnr ? opt.Seeds : 0);
        string synth = SynthTargets.YosysSynth(opt.Target);
        progress($"synth: [1/{steps}] yosys {synth} on {d.Top} and {d.Array} (log: {Path.Combine(workDir, "yosys.log")})");
        var y = YosysRun.Run(d, opt.Target, workDir, opt.Faults, opt.ToolOutput);
        progress($"synth: yosys: {y.Design.Luts} LUTs, {y.Design.Ffs} FFs, {y.Design.Brams} block RAM, {y.Design.Dsps} DSP; check passed");
        PlaceRoute? placed = null;
        string note;
        if (opt.Target == SynthTarget.Xc7) note = "no open 7-series place-and-route: yosys counts only";
        else if (!opt.PlaceAndRoute) note = "--yosys-only: not placed";
        else if (Overflow(opt.Target, y.Design) is { } over) note = $"not placed: does not fit the {SynthTargets.Part(opt.Target)} ({over})";
        else
        {
            placed = NextpnrRun.Run(workDir, opt.PcfPath, opt.Seeds, opt.TargetMhz, y.Design, progress, 2, steps, opt.ToolOutput, opt.WriteAsc);
            note = placed.Failure ?? TimingNote(placed);
        }
        return new SynthReport(opt.Target, d.Tag, y.Version, d.LanesTotal, y.Design, y.Array, Device(opt.Target, y.Design, placed), placed, note);
    }

    private static string TimingNote(PlaceRoute p)
    {
        double f = p.Median!.FmaxMhz;
        string target = f >= p.TargetMhz
            ? $"the {NextpnrRun.Num(p.TargetMhz)} MHz target was met, so Fmax may be higher: rerun with a higher --target-mhz"
            : $"measured against a {NextpnrRun.Num(p.TargetMhz)} MHz target, above what the design reaches";
        string board = f >= BoardClockMhz ? "meets" : "does NOT meet";
        return $"median of {p.Seeds.Count} nextpnr seeds; {target}; {board} the board's {NextpnrRun.Num(BoardClockMhz)} MHz clock";
    }

    /// <summary>The first resource yosys's cells exceed on the part, or null when they fit.</summary>
    internal static string? Overflow(SynthTarget t, CellCounts c)
    {
        foreach (var u in Device(t, c, null))
            if (u.Used > u.Available) return $"{u.Resource}: {u.Used} of {u.Available}";
        return null;
    }

    internal static IReadOnlyList<DeviceUse> Device(SynthTarget t, CellCounts c, PlaceRoute? p)
    {
        string ys = "yosys";
        var list = new List<DeviceUse>();
        foreach (var r in SynthTargets.Capacity(t))
        {
            int? used = r.Name switch
            {
                SynthTargets.LogicCells => p?.LogicCells,
                SynthTargets.Luts => c.Luts,
                SynthTargets.Ffs => c.Ffs,
                SynthTargets.Brams => c.Brams,
                SynthTargets.Sprams => c.Sprams,
                SynthTargets.Dsps => c.Dsps,
                _ => throw new System.Diagnostics.UnreachableException(r.Name),
            };
            if (used is { } u) list.Add(new DeviceUse(r.Name, u, r.Available, r.Name == SynthTargets.LogicCells ? "nextpnr ICESTORM_LC" : ys));
        }
        return list;
    }
}
