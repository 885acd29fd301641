using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Text;
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
            o.Write(Table.FormatHeader());
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
        var inv = CultureInfo.InvariantCulture;
        foreach (var (path, best) in new[] { ("fast", fast), ("cycle", cycle) })
            o.Write(Table.FormatRow(config.Tag, path, cycles.ToString(inv), tiles.ToString(inv), laneOps.ToString(inv),
                (cycles / best).ToString("E3", inv), (laneOps / best).ToString("E3", inv)));
    }

    private static readonly TextTable Table = new(new TextColumn("config", Width: 24), new TextColumn("path", Width: 5),
        new TextColumn("cycles", AlignRight: true, Width: 9),
        new TextColumn("tiles", AlignRight: true, Width: 7), new TextColumn("lane-ops", AlignRight: true, Width: 11),
        new TextColumn("cycles/s", AlignRight: true, Width: 13), new TextColumn("lane-ops/s", AlignRight: true, Width: 14)) { Separator = " " };
}
