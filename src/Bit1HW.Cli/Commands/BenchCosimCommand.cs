using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Text;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw bench cosim</c>: C# simulator vs Verilator model of the same RTL on the same program,
/// in one run (docs/performance.md). The configurations and workloads are those of <c>bench sim</c>.
/// </summary>
internal static class BenchCosimCommand
{
    public static Command Create()
    {
        var reps = new Option<int>("--repeat") { Description = "Timed repetitions per configuration (best is reported)", DefaultValueFactory = _ => 3 };
        var cold = new Option<bool>("--cold") { Description = "Build the Verilator model in an empty cache to measure the build time" };
        var small = new Option<bool>("--default-only") { Description = "Only the default configuration (the 16×256-lane build takes minutes)" };
        var cmd = new Command("cosim", "Compare C# simulator and Verilator speed (cycles/s) on the same RTL and workload.\n\nExample:\n  bit1hw bench cosim --cold")
        { reps, cold, small };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var err = parse.InvocationConfiguration.Error;
            int n = Math.Max(1, parse.GetValue(reps));
            var cases = SpeedComparison.StandardCases.Take(parse.GetValue(small) ? 1 : int.MaxValue);
            o.Write(Table.FormatHeader());
            foreach (var (cfg, shape) in cases)
            {
                SpeedResult r = SpeedComparison.Measure(cfg, shape, n, parse.GetValue(cold), err);
                var inv = CultureInfo.InvariantCulture;
                o.Write(Table.FormatRow(cfg.Tag, r.Cycles.ToString(inv), r.SimCyclesPerSecond.ToString("E3", inv),
                    r.VerilatorCyclesPerSecond.ToString("E3", inv), r.Ratio.ToString("F1", inv),
                    (r.LaneOps * r.SimCyclesPerSecond / r.Cycles).ToString("E3", inv),
                    r.BuildWasCached ? "cached" : string.Create(inv, $"{r.VerilatorBuildSeconds:F1} s")));
            }
            return 0;
        });
        return cmd;
    }

    private static readonly TextTable Table = new(new TextColumn("config", Width: 24), new TextColumn("cycles", AlignRight: true, Width: 11),
        new TextColumn("sim cycles/s", AlignRight: true, Width: 14), new TextColumn("verilator cycles/s", AlignRight: true, Width: 19),
        new TextColumn("ratio", AlignRight: true, Width: 6), new TextColumn("sim lane-ops/s", AlignRight: true, Width: 15),
        new TextColumn("verilator build", Width: 16)) { Separator = " " };
}
