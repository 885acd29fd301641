using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core.Text;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw bench cosim</c>: the C# simulator's fast and cycle-by-cycle paths vs the Verilator
/// model of the same RTL on the same program, in one run (docs/performance.md). The configurations and workloads are those of <c>bench sim</c>.
/// </summary>
internal static class BenchCosimCommand
{
    public static Command Create()
    {
        var reps = Flags.Count("--repeat", "Timed repetitions per configuration (best is reported)", 3);
        var cold = new Option<bool>("--cold") { Description = "Build the Verilator model in an empty cache to measure the build time" };
        var small = new Option<bool>("--default-only") { Description = "Only the default configuration (the 16×256-lane build takes minutes)" };
        var json = Flags.Json("the measurements");
        var quiet = Flags.Quiet();
        var cmd = new Command("cosim", "Compare the C# simulator's fast and cycle-by-cycle paths with Verilator (cycles/s) on the same RTL and workload.")
            { reps, cold, small, json, quiet }
            .WithExamples("bit1hw bench cosim --cold", "bit1hw bench cosim --default-only --json");
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int n = parse.GetValue(reps);
            var cases = SpeedComparison.StandardCases.Take(parse.GetValue(small) ? 1 : int.MaxValue);
            var results = new List<SpeedResult>();
            using (var status = Flags.Status(parse, parse.GetValue(quiet)))
                foreach (var (cfg, shape) in cases) results.Add(SpeedComparison.Measure(cfg, shape, n, parse.GetValue(cold), status.Log, status));
            if (parse.GetValue(json))
            {
                CliJson.Write(o, new
                {
                    repeat = n,
                    results = results.Select(r => new
                    {
                        tag = r.Config.Tag, cycles = r.Cycles, laneOps = r.LaneOps,
                        fastCyclesPerSecond = r.FastCyclesPerSecond, simCyclesPerSecond = r.SimCyclesPerSecond,
                        verilatorCyclesPerSecond = r.VerilatorCyclesPerSecond, fastRatio = r.FastRatio, ratio = r.Ratio,
                        fastLaneOpsPerSecond = r.LaneOps * r.FastCyclesPerSecond / r.Cycles,
                        simLaneOpsPerSecond = r.LaneOps * r.SimCyclesPerSecond / r.Cycles,
                        verilatorBuildSeconds = r.BuildWasCached ? (double?)null : r.VerilatorBuildSeconds, buildWasCached = r.BuildWasCached,
                        simLoadSeconds = r.SimLoadSeconds, verilatorLoadSeconds = r.VerilatorLoadSeconds,
                    }),
                });
                return 0;
            }
            o.Write(Table.FormatHeader());
            var inv = CultureInfo.InvariantCulture;
            foreach (SpeedResult r in results)
                o.Write(Table.FormatRow(r.Config.Tag, r.Cycles.ToString(inv), r.FastCyclesPerSecond.ToString("E3", inv),
                    r.SimCyclesPerSecond.ToString("E3", inv), r.VerilatorCyclesPerSecond.ToString("E3", inv),
                    r.FastRatio.ToString("F1", inv), r.Ratio.ToString("F1", inv),
                    (r.LaneOps * r.FastCyclesPerSecond / r.Cycles).ToString("E3", inv),
                    r.BuildWasCached ? "cached" : string.Create(inv, $"{r.VerilatorBuildSeconds:F1} s")));
            return 0;
        });
        return cmd;
    }

    private static readonly TextTable Table = new(new TextColumn("config", Width: 24), new TextColumn("cycles", AlignRight: true, Width: 11),
        new TextColumn("fast cycles/s", AlignRight: true, Width: 14), new TextColumn("cycle cycles/s", AlignRight: true, Width: 15),
        new TextColumn("verilator cycles/s", AlignRight: true, Width: 19), new TextColumn("fast/V", AlignRight: true, Width: 7),
        new TextColumn("cycle/V", AlignRight: true, Width: 8), new TextColumn("fast lane-ops/s", AlignRight: true, Width: 16),
        new TextColumn("verilator build", Width: 16)) { Separator = " " };
}
