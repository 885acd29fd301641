using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw bench cosim</c>: the C# simulator's fast and cycle-by-cycle paths vs the Verilator
/// model of the same RTL on the same program, in one run (docs/performance.md). The configurations and workloads are those of <c>bench sim</c>.
/// </summary>
internal static class BenchCosimCommand
{
    public static Command Create()
    {
        var reps = new Option<int>("--repeat") { Description = "Timed repetitions per configuration (best is reported)", DefaultValueFactory = _ => 3 };
        var cold = new Option<bool>("--cold") { Description = "Build the Verilator model in an empty cache to measure the build time" };
        var small = new Option<bool>("--default-only") { Description = "Only the default configuration (the 16×256-lane build takes minutes)" };
        var cmd = new Command("cosim", "Compare the C# simulator's fast and cycle-by-cycle paths with Verilator (cycles/s) on the same RTL and workload.\n\nExample:\n  bit1hw bench cosim --cold")
        { reps, cold, small };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var err = parse.InvocationConfiguration.Error;
            int n = Math.Max(1, parse.GetValue(reps));
            var cases = SpeedComparison.StandardCases.Take(parse.GetValue(small) ? 1 : int.MaxValue);
            o.WriteLine("config                       cycles  fast cycles/s  cycle cycles/s  verilator cycles/s  fast/V  cycle/V  fast lane-ops/s  verilator build");
            foreach (var (cfg, shape) in cases)
            {
                SpeedResult r = SpeedComparison.Measure(cfg, shape, n, parse.GetValue(cold), err);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{cfg.Tag,-24} {r.Cycles,11} {r.FastCyclesPerSecond,14:E3} {r.SimCyclesPerSecond,15:E3} {r.VerilatorCyclesPerSecond,19:E3} {r.FastRatio,7:F1} {r.Ratio,8:F1} {r.LaneOps * r.FastCyclesPerSecond / r.Cycles,16:E3}  {(r.BuildWasCached ? "cached" : $"{r.VerilatorBuildSeconds:F1} s")}"));
            }
            return 0;
        });
        return cmd;
    }
}
