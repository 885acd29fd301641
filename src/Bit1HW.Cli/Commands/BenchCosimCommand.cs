using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core.Hardware;

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
            var cases = new List<(HardwareConfig, Workload)>
            {
                (new HardwareConfig { WeightDepth = 8192, ActDepth = 2048, OutDepth = 2048, InstrDepth = 8192 }, new Workload(16, 256, 2048)),
            };
            if (!parse.GetValue(small))
                cases.Add((new HardwareConfig { Lanes = 256, Rows = 16, WeightDepth = 2048, ActDepth = 256, OutDepth = 512, InstrDepth = 4096, MaxK = 4096 },
                    new Workload(16, 512, 4096)));
            o.WriteLine("config                       cycles   sim cycles/s  verilator cycles/s  ratio  sim lane-ops/s  verilator build");
            foreach (var (cfg, shape) in cases)
            {
                SpeedResult r = SpeedComparison.Measure(cfg, shape, n, parse.GetValue(cold), err);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{cfg.Tag,-24} {r.Cycles,11} {r.SimCyclesPerSecond,14:E3} {r.VerilatorCyclesPerSecond,19:E3} {r.Ratio,6:F1} {r.LaneOps * r.SimCyclesPerSecond / r.Cycles,15:E3}  {(r.BuildWasCached ? "cached" : $"{r.VerilatorBuildSeconds:F1} s")}"));
            }
            return 0;
        });
        return cmd;
    }
}
