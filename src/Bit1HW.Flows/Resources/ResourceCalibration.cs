using System.Diagnostics;
using Bit1HW.Core;
using Bit1HW.HdlGen.Synth;
using MathNet.Numerics.LinearAlgebra;

namespace Bit1HW.Flows.Resources;

/// <summary>
/// One fitted resource: which structural counts (<see cref="ResourceFeatures"/>) it is a linear
/// combination of, and which count is added with coefficient 1 instead of being fitted
/// (<c>lutRamLuts</c>: LUT-RAM cells are LUTs yosys counts directly).
/// </summary>
public sealed record FitSpec(string Resource, IReadOnlyList<string> Features, string? Offset = null);

/// <summary>
/// Fits the resource model's coefficients by (relative) least squares to the "fit" rows of a calibration file
/// (docs/resource-model.md, "Calibration"). The held-out rows are never read here. Coefficients are
/// rounded to 4 decimals, so the JSON is byte-stable and the fit reproduces it exactly.
/// </summary>
public static class ResourceCalibration
{
    /// <summary>What each resource is fitted on, per target. xc7 has no SB_MAC16 accumulators, so there
    /// fabricAccBits equals outWordBits and only the latter is used; only xc7 has streaming engines.</summary>
    public static IReadOnlyList<FitSpec> Specs(SynthTarget target) => target switch
    {
        SynthTarget.Ice40Up5k =>
        [
            new("luts", ["ternaryTermBits", "ternaryAdderBits", "macAdderBits", "macLanes", "macTermBits", "fabricAccBits", "outWordBits", "hostDataBits", "addressBits", "one"]),
            new("ffs", ["pipeRegisterBits", "fabricAccBits", "outWordBits", "macLanes", "hostDataBits", "addressBits", "one"]),
            new("carry", ["ternaryAdderBits", "macAdderBits", "macLanes", "fabricAccBits", "addressBits", "one"]),
        ],
        SynthTarget.Xc7 =>
        [
            new("luts", ["ternaryTermBits", "ternaryAdderBits", "macAdderBits", "outWordBits", "hostDataBits", "addressBits",
                "streamWordBits", "streamBeatBits", "streamHostBits", "base3Weights", "stallEnableBits", "streaming", "one"], Offset: "lutRamLuts"),
            new("ffs", ["pipeRegisterBits", "outWordBits", "macLanes", "macAdderBits", "hostDataBits", "addressBits", "lutRamReadBits", "streamBeatBits", "streaming", "one"]),
            new("carry", ["ternaryAdderBits", "macAdderBits", "outWordBits", "addressBits", "base3Weights", "streaming", "one"]),
        ],
        _ => throw new UnreachableException(),
    };

    public static ResourceCoefficients Fit(SynthTarget target, IReadOnlyList<CalibrationPoint> points, string yosys)
    {
        var fit = points.Where(p => !p.HeldOut).ToList();
        var fitted = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var spec in Specs(target))
        {
            if (fit.Count < spec.Features.Count)
                throw new UserInputException("--calibrate", $"{spec.Resource}: {fit.Count} fit points for {spec.Features.Count} coefficients");
            var rows = fit.Select(p => ResourceModel.Counts(p.Config, target, p.Variant(target))).ToList();
            // Relative least squares: each point's row is divided by its measured count, so a 6000-LUT
            // streaming engine does not outweigh a 300-LUT one (the model is judged by percent error).
            var weight = fit.Select(p => 1 / Math.Max(1, Measured(p.Measured, spec.Resource))).ToList();
            var x = Matrix<double>.Build.Dense(fit.Count, spec.Features.Count, (i, j) => rows[i][spec.Features[j]] * weight[i]);
            if (x.Rank() < spec.Features.Count)
                throw new UserInputException("--calibrate", $"{spec.Resource}: the fit points do not determine [{string.Join(", ", spec.Features)}] " +
                    $"(rank {x.Rank()}); add points that vary them (docs/resource-model/points.tsv)");
            var y = Vector<double>.Build.Dense(fit.Count, i => (Measured(fit[i].Measured, spec.Resource) - (spec.Offset is { } o ? rows[i][o] : 0)) * weight[i]);
            var beta = x.QR().Solve(y);
            fitted[spec.Resource] = spec.Features.Select((f, j) => (f, Math.Round(beta[j], 4))).ToDictionary(t => t.f, t => t.Item2);
        }
        var (ratio, offset) = Packing(fit);
        return new ResourceCoefficients(target, yosys, fit.Count, fitted) { LogicCellsPerMaxLutFf = ratio, LogicCellsOffset = offset };
    }

    /// <summary>
    /// nextpnr-ice40 packs a LUT4, a carry and a flip-flop into one logic cell, so a design needs at
    /// least max(LUT4, FF) of them, times a packing loss, plus cells every design places whatever its
    /// size (carry-only and constant cells): logic cells = ratio · max(LUT4, FF) + offset, by relative
    /// least squares on the placed fit points (a ratio alone was 12-15 % under on 300-LUT engines).
    /// Null when no fit point was placed; the ratio alone when only one was.
    /// </summary>
    internal static (double? Ratio, double? Offset) Packing(IReadOnlyList<CalibrationPoint> fit)
    {
        var placed = fit.Where(p => p.Measured.LogicCells is not null).ToList();
        if (placed.Count == 0) return (null, null);
        double X(CalibrationPoint p) => Math.Max(p.Measured.Luts, p.Measured.Ffs);
        if (placed.Count == 1) return (Math.Round(placed[0].Measured.LogicCells!.Value / X(placed[0]), 4), 0);
        var x = Matrix<double>.Build.Dense(placed.Count, 2, (i, j) => (j == 0 ? X(placed[i]) : 1) / placed[i].Measured.LogicCells!.Value);
        var beta = x.QR().Solve(Vector<double>.Build.Dense(placed.Count, 1));
        return (Math.Round(beta[0], 4), Math.Round(beta[1], 2));
    }

    public static double Measured(MeasuredResources m, string resource) => resource switch
    {
        "luts" => m.Luts,
        "ffs" => m.Ffs,
        "carry" => m.Carry,
        _ => throw new UnreachableException(resource),
    };
}
