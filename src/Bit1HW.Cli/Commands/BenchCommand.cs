using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw bench sim</c>: simulator throughput on a generated ternary layer, for the default PE
/// shape (16 lanes × 4 rows) and a 16-row × 256-lane array (memories enlarged to hold the layer),
/// on both paths: the fast one (an instruction at a time) and the cycle-by-cycle one.
/// The program is loaded once and rerun; each figure is the best of the repetitions in process CPU
/// time (the machine is shared), counting busy cycles only (docs/performance.md).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var reps = new Option<int>("--repeat") { Description = "Timed repetitions per configuration (best is reported)", DefaultValueFactory = _ => 5 };
        var sim = new Command("sim", "Measure cycle-accurate simulator speed (cycles/s, lane-operations/s).\n\nExample:\n  bit1hw bench sim") { reps };
        sim.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int n = Math.Max(1, parse.GetValue(reps));
            o.WriteLine("config                   path       cycles   tiles    lane-ops      cycles/s     lane-ops/s");
            foreach (var (config, shape) in SpeedComparison.StandardCases) Measure(o, n, config, shape);
            return 0;
        });
        return new Command("bench", "Speed benchmarks.") { sim, BenchCosimCommand.Create(), BenchDecodeCommand.Decode(), BenchDecodeSimCommand.Create() };
    }

    private static void Measure(TextWriter o, int reps, HardwareConfig config, Workload shape)
    {
        ProgramImage image = SpeedComparison.CompileRandomLayer(config, shape);
        Engine engine = Simulator.Load(image);
        long cycles = Simulator.Execute(engine, image);   // warm-up (JIT); counters now hold one run
        long tiles = engine.Activity.MacTiles;
        long laneOps = tiles * config.Rows * config.Lanes;
        double fast = SpeedComparison.FastSecondsPerRun(image, reps);
        double cycle = SpeedComparison.BestSecondsPerRun(reps, () => Simulator.Execute(engine, image));
        foreach (var (path, best) in new[] { ("fast", fast), ("cycle", cycle) })
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{config.Tag,-24} {path,-6} {cycles,9} {tiles,7} {laneOps,11} {cycles / best,13:E3} {laneOps / best,14:E3}"));
    }
}
