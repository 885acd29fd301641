using System.Globalization;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Resources;

/// <summary>One calibration point, predicted against measured.</summary>
public sealed record PointError(CalibrationPoint Point, ResourceEstimate Predicted)
{
    public MeasuredResources Measured => Point.Measured;

    /// <summary>(predicted - measured) / measured, in percent.</summary>
    public double LutErrorPercent => Percent(Predicted.Luts, Measured.Luts);
    public double FfErrorPercent => Percent(Predicted.Ffs, Measured.Ffs);
    /// <summary>Null unless the point was placed (iCE40 points marked "place").</summary>
    public double? LogicCellErrorPercent => Measured.LogicCells is { } m && Predicted.LogicCells is { } p ? Percent(p, m) : null;
    public bool MemoriesAndDspsExact =>
        Predicted.Brams == Measured.Brams && Predicted.Sprams == Measured.Sprams && Predicted.Dsps == Measured.Dsps;

    private static double Percent(int predicted, int measured) => measured == 0 ? 0 : 100.0 * (predicted - measured) / measured;
}

/// <summary>
/// The model's error on every point of a calibration file, and the markdown table docs/resource-model.md
/// shows (`bit1hw resources --target T --check FILE`).
/// </summary>
public static class ResourceErrors
{
    public static IReadOnlyList<PointError> Of(IReadOnlyList<CalibrationPoint> points, SynthTarget target, ResourceCoefficients coefficients) =>
        Of(points, target, coefficients, MemoryRuleFault.None);

    internal static IReadOnlyList<PointError> Of(IReadOnlyList<CalibrationPoint> points, SynthTarget target, ResourceCoefficients coefficients,
        MemoryRuleFault fault) =>
        points.Select(p => new PointError(p, ResourceModel.Predict(p.Config,
            new SynthOptions(target) { Accumulators = p.Accumulators }, coefficients, fault))).ToList();

    public static string Markdown(IReadOnlyList<PointError> errors)
    {
        var w = new StringWriter { NewLine = "\n" };
        w.WriteLine("| point | set | configuration | LUTs predicted / measured (error) | FFs predicted / measured (error) | carry | block RAM | SPRAM | DSP | logic cells (placed) |");
        w.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var e in errors)
        {
            var (p, m) = (e.Predicted, e.Measured);
            string acc = e.Point.Accumulators == HdlGen.Gen.AccumulatorKind.Mac16 ? ", mac16" : "";
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {e.Point.Name} | {(e.Point.HeldOut ? "held-out" : "fit")} | {e.Point.Config.Tag}{acc} | {p.Luts} / {m.Luts} ({e.LutErrorPercent:+0.0;-0.0;0.0} %) | " +
                $"{p.Ffs} / {m.Ffs} ({e.FfErrorPercent:+0.0;-0.0;0.0} %) | {p.Carry} / {m.Carry} | {p.Brams} / {m.Brams} | {p.Sprams} / {m.Sprams} | {p.Dsps} / {m.Dsps} | {LogicCells(e)} |"));
        }
        foreach (bool heldOut in new[] { false, true })
        {
            var set = errors.Where(e => e.Point.HeldOut == heldOut).ToList();
            if (set.Count == 0) continue;
            var placed = set.Where(e => e.LogicCellErrorPercent is not null).ToList();
            string logicCells = placed.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                $", logic cells at most {placed.Max(e => Math.Abs(e.LogicCellErrorPercent!.Value)):0.0} % off on the {placed.Count} placed");
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n{(heldOut ? "held-out" : "fit")}: {set.Count} points, LUT error at most {set.Max(e => Math.Abs(e.LutErrorPercent)):0.0} % " +
                $"(mean |error| {set.Average(e => Math.Abs(e.LutErrorPercent)):0.0} %), FF error at most {set.Max(e => Math.Abs(e.FfErrorPercent)):0.0} %, " +
                $"block RAM, SPRAM and DSP exact on {set.Count(e => e.MemoriesAndDspsExact)} of {set.Count}{logicCells}"));
        }
        return w.ToString();
    }

    private static string LogicCells(PointError e) => e.Measured.LogicCells is { } m
        ? string.Create(CultureInfo.InvariantCulture, $"{e.Predicted.LogicCells} / {m} ({e.LogicCellErrorPercent:+0.0;-0.0;0.0} %)")
        : e.Predicted.LogicCells is { } p ? $"{p} / not placed" : "";
}
