using System.Globalization;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Reporting;
using ScottPlot;

namespace Bit1HW.Flows;

/// <summary>
/// A picture of a compiled program (<c>bit1hw compile --schedule</c>): above, which instruction runs
/// when, one lane per opcode with a bar over each instruction's busy cycles; below, on the same
/// cycle axis, the PE array's utilization (the share of cycles in which a tile enters the array)
/// per window of cycles. Bars shorter than about a pixel are drawn a pixel wide so that single
/// cycles stay visible in long runs. Both come from <see cref="ScheduleTimeline"/>, the timing rules of the
/// contract, so the picture shows the schedule the verifier accepted, not a simulation.
/// </summary>
public static class ScheduleChart
{
    public const int WidthPixels = 1200, HeightPixels = 560;

    /// <summary>About this many utilization windows across the run.</summary>
    private const int Windows = 200;

    private static readonly (Opcode Op, string Color)[] Lanes =
    [
        (Opcode.Halt, "#555555"), (Opcode.Out, "#2e8b57"), (Opcode.Clr, "#b22222"), (Opcode.Nop, "#aaaaaa"),
        (Opcode.SetA, "#8a5cb8"), (Opcode.SetW, "#d9730d"), (Opcode.Mac, "#1f5fa8"),
    ];

    /// <summary>Lane y of the first opcode; utilization is drawn from 0 (0 %) to 2 (100 %) below the lanes.</summary>
    private const double FirstLane = 3, UtilizationHeight = 2;

    public static Plot Build(ProgramImage image)
    {
        var timeline = ScheduleTimeline.Of(image.Instructions, image.Config);
        long busy = ScheduleTimeline.BusyCycles(timeline, image.Config);
        Plot plot = ChartFile.NewPlot();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        double minBar = busy / 1000.0;   // about one pixel: a one-cycle instruction in a long run stays visible
        for (int lane = 0; lane < Lanes.Length; lane++)
        {
            var (op, color) = Lanes[lane];
            double y = FirstLane + lane;
            ticks.AddMajor(y, Isa.Mnemonic(op));
            var bars = timeline.Where(s => s.Opcode == op).Select(s => new Bar
            {
                Position = y, ValueBase = s.StartCycle, Value = s.StartCycle + Math.Max(s.Cycles, minBar), Size = 0.7,
                FillColor = Color.FromHex(color), LineWidth = 0,
            }).ToList();
            if (bars.Count > 0) plot.Add.Bars(bars).Horizontal = true;
        }
        long window = Math.Max(1, (busy + Windows - 1) / Windows);
        double[] share = ScheduleTimeline.Utilization(timeline, image.Config, window);
        double[] xs = [.. Enumerable.Range(0, share.Length + 1).Select(w => (double)Math.Min(busy, w * window))];
        double[] ys = [.. share.Select(u => u * UtilizationHeight), share.Length > 0 ? share[^1] * UtilizationHeight : 0];
        var line = plot.Add.Scatter(xs, ys);
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.MarkerSize = 0;
        line.LineWidth = 1.5f;
        line.Color = Color.FromHex("#1f5fa8");
        line.FillY = true;
        line.FillYColor = Color.FromHex("#1f5fa8").WithAlpha(60);
        foreach (int percent in new[] { 0, 50, 100 })
            ticks.AddMajor(percent / 100.0 * UtilizationHeight, $"{percent}%");
        plot.Axes.Left.TickGenerator = ticks;
        plot.Add.HorizontalLine(FirstLane - 0.6, 1, Colors.Gray, LinePattern.Dashed);
        plot.Axes.SetLimits(-0.01 * busy, 1.01 * busy, -0.2, FirstLane + Lanes.Length - 0.4);   // room for the first and last one-cycle bars
        long tiles = timeline.Sum(s => s.Tiles);
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"Schedule of {image.Config.Tag}: {image.Workload.Tokens} tokens x {image.Workload.OutFeatures} x {image.Workload.InFeatures}, " +
            $"{timeline.Count} instructions in {busy} busy cycles\n" +
            $"PE array utilization {100.0 * tiles / busy:F1}% ({tiles} tiles); below: share of cycles issuing a tile, per {window}-cycle window"));
        plot.Axes.Title.Label.FontSize = 15;
        plot.XLabel($"busy cycle (0..{image.Config.FetchCycles - 1} fetch)");
        plot.YLabel("instruction lanes / PE utilization");
        return plot;
    }
}
