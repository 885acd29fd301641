using System.Globalization;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Reporting;
using Bit1HW.HdlGen.Synth;
using ScottPlot;

namespace Bit1HW.Flows.Explore;

/// <summary>
/// front.png: every configuration within the budget as a marker at (predicted LUTs, projected
/// tokens/s), its shape the engine kind (host-fed ternary, host-fed MAC, streaming), its colour the
/// J/token bin it falls in (four bins spaced evenly on a log scale); the Pareto front as a black staircase through ringed markers; each
/// synthesized point's measured LUTs as a cross (red when its measured use exceeds the budget)
/// joined to its prediction by a dashed line; the
/// budget's LUTs as a dashed vertical line. Tokens/s is on a log axis when it spans more than a decade.
/// </summary>
public static class ExploreChart
{
    public const int WidthPixels = 1400, HeightPixels = 760;

    private static readonly string[] BinColors = ["#1a9850", "#91cf60", "#fc8d59", "#d73027"];   // low J/token green, high red

    private enum Kind { Ternary, Mac, Streaming }

    private static Kind KindOf(HardwareConfig c) => c.IsStreaming ? Kind.Streaming : c.Pe == PeKind.Mac ? Kind.Mac : Kind.Ternary;

    private static MarkerShape Shape(Kind k) => k switch
    {
        Kind.Ternary => MarkerShape.FilledCircle,
        Kind.Mac => MarkerShape.FilledSquare,
        Kind.Streaming => MarkerShape.FilledTriangleUp,
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>Squares and triangles larger than circles and drawn first: where kinds share a point, both stay visible.</summary>
    private static float MarkerSize(Kind k) => k == Kind.Ternary ? 8 : 13;

    private static string KindLabel(Kind k) => k switch
    {
        Kind.Ternary => "host-fed, ternary PEs",
        Kind.Mac => "host-fed, INT8 MAC PEs",
        Kind.Streaming => "streaming (AXI), ternary PEs",
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    public static Plot Build(ExploreResult r)
    {
        var kept = r.Points.Where(p => p.Projection is not null).ToList();
        Plot plot = ChartFile.NewPlot();
        if (kept.Count == 0)
        {
            plot.Title($"explore: no configuration of the space fits the budget ({r.Request.Budget})");
            return plot;
        }
        double minT = kept.Min(p => p.Projection!.TokensPerSecond), maxT = kept.Max(p => p.Projection!.TokensPerSecond);
        bool log = maxT > 10 * minT;
        double Y(double tokensPerSecond) => log ? Math.Log10(tokensPerSecond) : tokensPerSecond;
        double[] bounds = Bins(kept.Min(p => p.Projection!.JoulesPerToken), kept.Max(p => p.Projection!.JoulesPerToken));

        foreach (var group in kept.GroupBy(p => (KindOf(p.Config), Bin(bounds, p.Projection!.JoulesPerToken))).OrderByDescending(g => MarkerSize(g.Key.Item1)).ThenByDescending(g => g.Key.Item2).ThenBy(g => g.Key.Item1))
        {
            var s = plot.Add.ScatterPoints(group.Select(p => (double)p.Predicted.Luts).ToArray(), group.Select(p => Y(p.Projection!.TokensPerSecond)).ToArray());
            s.MarkerShape = Shape(group.Key.Item1);
            s.MarkerSize = MarkerSize(group.Key.Item1);
            s.Color = Color.FromHex(BinColors[group.Key.Item2]).WithAlpha(210);
        }
        var front = kept.Where(p => p.OnFront).OrderBy(p => p.Predicted.Luts).ToList();
        var stairs = plot.Add.Scatter(front.Select(p => (double)p.Predicted.Luts).ToArray(), front.Select(p => Y(p.Projection!.TokensPerSecond)).ToArray());
        stairs.ConnectStyle = ConnectStyle.StepHorizontal;
        stairs.Color = Colors.Black;
        stairs.LineWidth = 2;
        stairs.MarkerShape = MarkerShape.OpenCircle;
        stairs.MarkerSize = 17;
        stairs.MarkerLineWidth = 2;
        foreach (ExplorePoint p in kept.Where(p => p.Measured is not null))
        {
            double y = Y(p.Projection!.TokensPerSecond);
            var link = plot.Add.Line(p.Predicted.Luts, y, p.Measured!.Design.Luts, y);
            link.LinePattern = LinePattern.Dashed;
            link.Color = Colors.Black;
            var cross = plot.Add.ScatterPoints(new[] { (double)p.Measured.Design.Luts }, new[] { y });
            cross.MarkerShape = MarkerShape.Eks;
            cross.MarkerSize = 16;
            cross.MarkerLineWidth = 2.5f;
            cross.Color = p.MeasuredExceeds(r.Request.Budget) is null ? Colors.Black : Colors.Red;
        }
        var budget = plot.Add.VerticalLine(r.Request.Budget.Luts, 1.5f, Colors.Gray, LinePattern.Dashed);
        budget.LabelText = $"LUT budget {r.Request.Budget.Luts.ToString(CultureInfo.InvariantCulture)}";
        budget.LabelOppositeAxis = true;   // at the top: at the bottom the label covers the x axis's tick labels
        Legend(plot, kept, bounds, r.Request.Budget);
        Axes(plot, r, kept, log, minT, maxT);
        return plot;
    }

    private static int Bin(double[] bounds, double joules) => Math.Min(bounds.Length - 2, Math.Max(0, Array.FindLastIndex(bounds, b => b <= joules)));

    /// <summary>
    /// Bounds of the J/token colour bins: four bins evenly spaced on a log scale from the lowest to the
    /// highest value (energies of different engine kinds differ by factors, not by steps), or one bin
    /// when all are within 1 % of each other.
    /// </summary>
    internal static double[] Bins(double min, double max)
    {
        if (max <= min * 1.01) return [min, max];
        double lo = Math.Log(min), step = (Math.Log(max) - lo) / 4;
        return [min, Math.Exp(lo + step), Math.Exp(lo + 2 * step), Math.Exp(lo + 3 * step), max];
    }

    private static void Legend(Plot plot, List<ExplorePoint> kept, double[] bounds, ExploreBudget budget)
    {
        foreach (Kind k in kept.Select(p => KindOf(p.Config)).Distinct().Order())
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = KindLabel(k), MarkerShape = Shape(k), MarkerSize = MarkerSize(k), MarkerFillColor = Colors.DimGray, MarkerLineColor = Colors.DimGray });
        var used = kept.Select(p => Bin(bounds, p.Projection!.JoulesPerToken)).ToHashSet();
        for (int b = 0; b < bounds.Length - 1; b++)
            if (used.Contains(b)) plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"J/token {Energy(bounds[b])} to {Energy(bounds[b + 1])}", MarkerShape = MarkerShape.FilledCircle, MarkerSize = 9,
                MarkerFillColor = Color.FromHex(BinColors[b]), MarkerLineColor = Color.FromHex(BinColors[b]),
            });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Pareto front (fewer LUTs, more tokens/s)", LineColor = Colors.Black, LineWidth = 2, MarkerShape = MarkerShape.OpenCircle, MarkerSize = 12, MarkerLineColor = Colors.Black });
        if (kept.Any(p => p.Measured is not null))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "synthesized: LUTs measured by yosys", MarkerShape = MarkerShape.Eks, MarkerSize = 12, MarkerLineColor = Colors.Black, MarkerFillColor = Colors.Black });
        if (kept.Any(p => p.MeasuredExceeds(budget) is not null))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "synthesized: measured use exceeds the budget", MarkerShape = MarkerShape.Eks, MarkerSize = 12, MarkerLineColor = Colors.Red, MarkerFillColor = Colors.Red });
        plot.ShowLegend(Edge.Right);   // beside the axes, so it never hides a point
        plot.Legend.FontSize = 12;
    }

    private static void Axes(Plot plot, ExploreResult r, List<ExplorePoint> kept, bool log, double minT, double maxT)
    {
        ExploreRequest q = r.Request;
        if (log) ChartFile.LogAxis(plot.Axes.Left, minT, maxT, v => v.ToString("G3", CultureInfo.InvariantCulture));
        else plot.Axes.SetLimitsY(0, maxT * 1.1);
        double maxX = Math.Max(q.Budget.Luts, kept.Max(p => Math.Max(p.Predicted.Luts, p.Measured?.Design.Luts ?? 0)));
        plot.Axes.SetLimitsX(0, maxX * 1.05);
        plot.XLabel($"LUTs predicted by the resource model ({(q.Target == SynthTarget.Ice40Up5k ? "iCE40 SB_LUT4" : "7-series LUT units")})");
        plot.YLabel($"tokens/s at {q.Memory.ClockMhz.ToString("0.###", CultureInfo.InvariantCulture)} MHz{(log ? " (log scale)" : "")}");
        string memory = q.Memory.BandwidthGbs is { } gbs ? $"weights from a {gbs.ToString("0.###", CultureInfo.InvariantCulture)} GB/s memory" : "the host writes one word per cycle";
        // Three short lines: the title is centred over the axes, which the legend beside them narrows.
        plot.Title($"{q.Model.Name} on {SynthTargets.Name(q.Target)}: {r.Points.Count} configurations, {kept.Count} within the budget, {r.Front.Count()} on the front\n" +
            $"tokens/s from the compiler's cycles (no simulation), {memory}\n" +
            $"J/token at {q.Node.Name}; budget {q.Budget.ToString().Replace(",", ", ", StringComparison.Ordinal)}");
        plot.Axes.Title.Label.FontSize = 14;
    }

    /// <summary>Joules as text in J, mJ or µJ, three significant digits.</summary>
    public static string Energy(double joules)
    {
        (double Scale, string Unit)[] units = [(1, "J"), (1e-3, "mJ"), (1e-6, "µJ"), (1e-9, "nJ")];
        foreach (var (scale, unit) in units)
            if (joules >= scale * 0.9995) return (joules / scale).ToString("G3", CultureInfo.InvariantCulture) + " " + unit;
        return joules.ToString("G3", CultureInfo.InvariantCulture) + " J";
    }
}
