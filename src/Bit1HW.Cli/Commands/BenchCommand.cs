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
        var reps = Flags.Count("--repeat", "Timed repetitions per configuration (best is reported)", 5);
        var json = Flags.Json("the measurements");
        var quiet = Flags.Quiet();
        var sim = new Command("sim", "Measure cycle-accurate simulator speed (cycles/s, lane-operations/s).") { reps, json, quiet }
            .WithExamples("bit1hw bench sim", "bit1hw bench sim --repeat 3 --json");
        sim.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int n = parse.GetValue(reps);
            var rows = new List<SimSpeed>();
            using (var status = Flags.Status(parse, parse.GetValue(quiet)))
            {
                foreach (var (config, shape) in SpeedComparison.StandardCases)
                {
                    status.Stage($"bench sim: {config.Tag}: {n} timed repetitions");
                    rows.AddRange(Measure(n, config, shape));
                }
            }
            if (parse.GetValue(json)) CliJson.Write(o, new { repeat = n, results = rows });
            else
            {
                o.Write(Table.FormatHeader());
                foreach (SimSpeed r in rows) o.Write(Row(r));
            }
            return 0;
        });
        return new Command("bench", "Speed benchmarks: simulator paths, simulator vs Verilator, decoder, decode on the simulated engine, weight streaming.")
            { sim, BenchCosimCommand.Create(), BenchDecodeCommand.Decode(), BenchDecodeSimCommand.Create(), BenchStreamCommand.Create() };
    }

    private sealed record SimSpeed(string Tag, string Path, long Cycles, long Tiles, long LaneOps, double CyclesPerSecond, double LaneOpsPerSecond);

    private static IEnumerable<SimSpeed> Measure(int reps, HardwareConfig config, Workload shape)
    {
        ProgramImage image = SpeedComparison.CompileRandomLayer(config, shape);
        Engine engine = Simulator.Load(image);
        long cycles = Simulator.Execute(engine, image);   // warm-up (JIT); counters now hold one run
        long tiles = engine.Activity.MacTiles;
        long laneOps = tiles * config.Rows * config.Lanes;
        double fast = SpeedComparison.FastSecondsPerRun(image, reps);
        double cycle = SpeedComparison.BestSecondsPerRun(reps, () => Simulator.Execute(engine, image));
        return [new(config.Tag, "fast", cycles, tiles, laneOps, cycles / fast, laneOps / fast),
                new(config.Tag, "cycle", cycles, tiles, laneOps, cycles / cycle, laneOps / cycle)];
    }

    private static string Row(SimSpeed r)
    {
        var inv = CultureInfo.InvariantCulture;
        return Table.FormatRow(r.Tag, r.Path, r.Cycles.ToString(inv), r.Tiles.ToString(inv), r.LaneOps.ToString(inv),
            r.CyclesPerSecond.ToString("E3", inv), r.LaneOpsPerSecond.ToString("E3", inv));
    }

    private static readonly TextTable Table = new(new TextColumn("config", Width: 24), new TextColumn("path", Width: 5),
        new TextColumn("cycles", AlignRight: true, Width: 9),
        new TextColumn("tiles", AlignRight: true, Width: 7), new TextColumn("lane-ops", AlignRight: true, Width: 11),
        new TextColumn("cycles/s", AlignRight: true, Width: 13), new TextColumn("lane-ops/s", AlignRight: true, Width: 14)) { Separator = " " };
}
