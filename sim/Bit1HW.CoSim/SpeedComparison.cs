using System.Diagnostics;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

internal sealed record SpeedResult(HardwareConfig Config, Workload Shape, long Cycles, long LaneOps,
    double SimCyclesPerSecond, double VerilatorCyclesPerSecond, double VerilatorBuildSeconds, bool BuildWasCached,
    double SimLoadSeconds, double VerilatorLoadSeconds)
{
    public double Ratio => SimCyclesPerSecond / VerilatorCyclesPerSecond;
}

/// <summary>
/// The C# simulator and the Verilator model of the same RTL on the same program, measured in one
/// run: each runs the loaded program repeatedly, timed in process CPU time (both are single-threaded
/// and the machine may be shared), best of the repetitions. Loading memories is timed separately.
/// </summary>
internal static class SpeedComparison
{
    public static SpeedResult Measure(HardwareConfig cfg, Workload shape, int reps, bool coldBuild, TextWriter? progress)
    {
        cfg.Validate();
        var rng = new Random(12345);
        var w = new sbyte[shape.OutFeatures * shape.InFeatures];
        var x = new sbyte[shape.Tokens * shape.InFeatures];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-1, 2);
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next(-128, 128);
        ProgramImage image = LayerCompiler.Compile(new Layer(shape, w, x), cfg).Image;

        var sw = Stopwatch.StartNew();
        Engine engine = Simulator.Load(image);
        double simLoad = sw.Elapsed.TotalSeconds;
        long simCycles = Simulator.Execute(engine, image); // warm-up (JIT)
        double simBest = Best(reps, () => Simulator.Execute(engine, image));

        string? tmpCache = coldBuild ? Directory.CreateTempSubdirectory("bit1hw-bench-").FullName : null;
        try
        {
            var sources = DesignUnderTest.Verilog(cfg, HdlGen.Gen.GeneratorFaults.None);
            sw.Restart();
            var log = new StringWriter();
            string lib = VerilatorBuilder.Build(cfg, sources, trace: false, log, tmpCache);
            double build = sw.Elapsed.TotalSeconds;
            bool cached = log.ToString().Length == 0;
            progress?.Write(log.ToString());
            using var rtl = new VerilatorModel(lib, cfg);
            sw.Restart();
            HostScript script = CoSimulation.ScriptFor(image);
            for (int c = 0; c < script.StartCycle; c++) rtl.Step(script.Cycles[c]);
            double rtlLoad = sw.Elapsed.TotalSeconds;
            long rtlCycles = RunRtl(rtl);
            if (rtlCycles != simCycles || simCycles != image.PredictedCycles)
                throw new InvalidOperationException($"cycle counts differ: sim {simCycles}, verilator {rtlCycles}, predicted {image.PredictedCycles}");
            double rtlBest = Best(reps, () => RunRtl(rtl));
            long laneOps = LaneOps(image);
            return new SpeedResult(cfg, shape, simCycles, laneOps, simCycles / simBest, rtlCycles / rtlBest, build, cached, simLoad, rtlLoad);
        }
        finally
        {
            if (tmpCache is not null) Directory.Delete(tmpCache, recursive: true);
        }
    }

    private static long RunRtl(VerilatorModel rtl)
    {
        // The start edge gives the first busy cycle; the native loop clocks the other N - 1 busy
        // cycles and the edge on which busy falls, so it returns exactly N.
        rtl.Step(new TopInputs(Start: true));
        return (long)rtl.RunUntilIdle(ulong.MaxValue);
    }

    /// <summary>Lane operations of the program: MAC tiles × rows × lanes (one ternary add per lane per row).</summary>
    private static long LaneOps(ProgramImage image)
    {
        long tiles = 0;
        foreach (uint word in image.Instructions)
            if (Isa.OpcodeOf(word) == Opcode.Mac) tiles += Isa.OperandOf(word);
        return tiles * image.Config.Rows * image.Config.Lanes;
    }

    private static double Best(int reps, Func<long> run)
    {
        double best = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            int runs = 0;
            TimeSpan spent;
            do
            {
                run();
                runs++;
                spent = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            } while (spent.TotalSeconds < 0.25);
            best = Math.Min(best, spent.TotalSeconds / runs);
        }
        return best;
    }
}
