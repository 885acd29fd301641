using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw bench sim</c>: simulator throughput on a generated ternary layer, for the default PE
/// shape (16 lanes × 4 rows) and a 16-row × 256-lane array (memories enlarged to hold the layer).
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
            o.WriteLine("config                      cycles   tiles    lane-ops      cycles/s     lane-ops/s");
            Measure(o, n, new HardwareConfig { WeightDepth = 8192, ActDepth = 2048, OutDepth = 2048, InstrDepth = 8192 }, new Workload(16, 256, 2048));
            Measure(o, n, new HardwareConfig { Lanes = 256, Rows = 16, WeightDepth = 2048, ActDepth = 256, OutDepth = 512, InstrDepth = 4096, MaxK = 4096 },
                new Workload(16, 512, 4096));
            return 0;
        });
        return new Command("bench", "Speed benchmarks.") { sim, BenchCosimCommand.Create(), BenchDecodeCommand.Decode() };
    }

    private static void Measure(TextWriter o, int reps, HardwareConfig config, Workload shape)
    {
        config.Validate();
        var rng = new Random(12345);
        var w = new sbyte[shape.OutFeatures * shape.InFeatures];
        var x = new sbyte[shape.Tokens * shape.InFeatures];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-1, 2);
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next(-128, 128);
        ProgramImage image = LayerCompiler.Compile(new Layer(shape, w, x), config).Image;
        Engine engine = Simulator.Load(image);
        Simulator.Execute(engine, image);   // warm-up (JIT)
        double best = double.MaxValue;
        long cycles = 0, totalRuns = 1;
        for (int r = 0; r < reps; r++)
        {
            // Process CPU time, not wall time: the machine is shared, and a run is single-threaded.
            TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            int runs = 0;
            TimeSpan spent;
            do
            {
                cycles = Simulator.Execute(engine, image);
                runs++;
                spent = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            } while (spent.TotalSeconds < 0.25);
            best = Math.Min(best, spent.TotalSeconds / runs);
            totalRuns += runs;
        }
        long tiles = engine.Activity.MacTiles / totalRuns;
        long laneOps = tiles * config.Rows * config.Lanes;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{config.Tag,-24} {cycles,9} {tiles,7} {laneOps,11} {cycles / best,13:E3} {laneOps / best,14:E3}"));
    }
}
