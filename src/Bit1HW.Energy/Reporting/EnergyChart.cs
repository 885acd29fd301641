using System.Globalization;
using Bit1HW.Energy.Analytic;
using ScottPlot;

namespace Bit1HW.Energy.Reporting;

/// <summary>
/// The analytic energy chart: energy per token for each model (evenly spaced, smallest first, each
/// named on the x axis with its weight count) on a logarithmic energy axis that spans only the data's
/// decades. For each node it draws four lines, BitNet b1.58 in blue and FP16 in orange: the
/// arithmetic alone (dotted, open markers) and the whole token as the report's parts table counts it
/// (solid, filled markers): arithmetic, register writes, KV-cache traffic and every linear weight
/// read once from on-chip SRAM (1.58-bit ternary against 16-bit weights). The solid pair is the honest
/// comparison: at 7 nm the weight reads alone cost over a hundred times the BitNet arithmetic, so
/// the ratio the arithmetic suggests shrinks; the subtitle states both ratios. The data are the
/// analytic results, so the chart and the tables always agree.
/// </summary>
public static class EnergyChart
{
    public const int WidthPixels = 1100, HeightPixels = 720;

    private static readonly Color BitNetColor = Color.FromHex("#1f5fa8"), Fp16Color = Color.FromHex("#d9730d");
    private static readonly MarkerShape[] NodeMarkers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp];
    private static readonly MarkerShape[] NodeOpenMarkers = [MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp];

    private sealed record Series(string Name, Color Color, bool Total, Func<AnalyticResult, double> Picojoules);

    private static readonly Series[] AllSeries =
    [
        new("FP16: whole token (arithmetic, registers, KV cache, FP16 weights from SRAM)", Fp16Color, true, r => r.Parts(bitnet: false).TotalPicojoules),
        new("BitNet: whole token (arithmetic, registers, KV cache, 1.58-bit weights from SRAM)", BitNetColor, true, r => r.Parts(bitnet: true).TotalPicojoules),
        new("FP16: arithmetic only", Fp16Color, false, r => r.Fp16PicojoulesPerToken),
        new("BitNet: arithmetic only", BitNetColor, false, r => r.BitNetPicojoulesPerToken),
    ];

    public static Plot Build(IReadOnlyList<AnalyticResult> results)
    {
        var models = results.Select(r => r.Model).DistinctBy(m => m.Id).OrderBy(m => m.TotalWeights).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
        var nodes = results.Select(r => r.Node.Name).Distinct().ToList();
        Plot plot = ChartFile.NewPlot();
        double min = double.MaxValue, max = 0;
        for (int n = 0; n < nodes.Count; n++)
            foreach (Series s in AllSeries)
            {
                var points = models.Select((m, i) => (X: (double)i, Y: s.Picojoules(results.Single(r => r.Model.Id == m.Id && r.Node.Name == nodes[n])))).ToList();
                min = Math.Min(min, points.Min(p => p.Y));
                max = Math.Max(max, points.Max(p => p.Y));
                var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => Math.Log10(p.Y)).ToArray());
                line.Color = s.Color;
                line.LineWidth = s.Total ? 2.5f : 1.5f;
                line.LinePattern = s.Total ? LinePattern.Solid : LinePattern.Dotted;
                line.MarkerShape = (s.Total ? NodeMarkers : NodeOpenMarkers)[n % NodeMarkers.Length];
                line.MarkerSize = 10 - 3 * (n % 2);   // alternate sizes, so a point hidden under another node's stays visible
                line.LegendText = nodes.Count > 1 ? $"{s.Name}, {nodes[n]}" : s.Name;
            }
        ChartFile.LogAxis(plot.Axes.Left, min, max * 100, ChartFile.DecadeEnergy);   // two empty decades on top hold the legend
        ModelAxis(plot, models);
        AnalyticResult first = results[0];
        plot.Title($"Energy per token, BitNet b1.58 vs FP16 ({first.SequenceTokens}-token sequence, lm_head {(first.IncludesLmHead ? "included" : "excluded")})\n"
            + Ratios(results) + SharedSramNote(results));
        plot.Axes.Title.Label.FontSize = 15;
        plot.YLabel("energy per token (log scale)");
        // Inside the axes, top left, where every series is far below the top decade: a legend below the
        // axes is clipped by ScottPlot once two nodes give it eight entries.
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Legend.FontSize = 12;

        return plot;
    }

    /// <summary>Models at 0, 1, 2, … named with their weight count, labels slanted so they never overlap.</summary>
    private static void ModelAxis(Plot plot, IReadOnlyList<Models.ModelArchitecture> models)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < models.Count; i++)
            ticks.AddMajor(i, $"{models[i].Label} ({Units.Count(models[i].TotalWeights)})");
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 150;
        plot.Axes.Left.MinimumSize = 140;   // room for the first slanted model name
        plot.Axes.Bottom.Min = -0.5;
        plot.Axes.Bottom.Max = models.Count - 0.5;
        plot.XLabel("model (weights), smallest first");
    }

    /// <summary>"FP16 / BitNet per token: arithmetic alone 21.5x to 53.1x, whole token with SRAM 8x to 10x" over every model and node.</summary>
    private static string Ratios(IReadOnlyList<AnalyticResult> results)
    {
        var arithmetic = results.Select(r => AllSeries[2].Picojoules(r) / AllSeries[3].Picojoules(r)).ToList();
        var total = results.Select(r => AllSeries[0].Picojoules(r) / AllSeries[1].Picojoules(r)).ToList();
        return $"FP16 / BitNet per token: arithmetic alone {Range(arithmetic)}, whole token with weights from SRAM {Range(total)}";
    }

    /// <summary>When every node prices SRAM alike (the shipped 7 nm table reuses the 45 nm figures), the solid lines of the nodes nearly coincide: say why.</summary>
    private static string SharedSramNote(IReadOnlyList<AnalyticResult> results)
    {
        var nodes = results.Select(r => r.Node).DistinctBy(n => n.Name).ToList();
        return nodes.Count > 1 && nodes.Select(n => n.LargestSram.PicojoulesPer64Bits).Distinct().Count() == 1
            ? $"\nthe nodes' solid lines nearly coincide: memory traffic dominates, and {(nodes.Count == 2 ? "both" : $"all {nodes.Count}")} node tables price SRAM at {nodes[0].LargestSram.PicojoulesPer64Bits.ToString(CultureInfo.InvariantCulture)} pJ / 64 bit"
            : "";
    }

    private static string Range(List<double> ratios)
    {
        string lo = ratios.Min().ToString("0.#", CultureInfo.InvariantCulture), hi = ratios.Max().ToString("0.#", CultureInfo.InvariantCulture);
        return lo == hi ? lo + "x" : $"{lo}x to {hi}x";
    }
}
