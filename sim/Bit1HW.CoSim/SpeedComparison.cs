using System.Diagnostics;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>Simulator and Verilator speed on one program (<see cref="SpeedComparison.Measure"/>); cycles per second in
/// process CPU time. <see cref="SimCyclesPerSecond"/> is the cycle-by-cycle path, <see cref="FastCyclesPerSecond"/> the fast one.</summary>
public sealed record SpeedResult(HardwareConfig Config, Workload Shape, long Cycles, long LaneOps,
    double SimCyclesPerSecond, double VerilatorCyclesPerSecond, double VerilatorBuildSeconds, bool BuildWasCached,
    double SimLoadSeconds, double VerilatorLoadSeconds, double FastCyclesPerSecond)
{
    public double Ratio => SimCyclesPerSecond / VerilatorCyclesPerSecond;
    public double FastRatio => FastCyclesPerSecond / VerilatorCyclesPerSecond;
}

/// <summary>
/// The C# simulator (its fast path and its cycle-by-cycle path) and the Verilator model of the same
/// RTL on the same program, measured in one run: each runs the loaded program repeatedly, timed in
/// process CPU time (all are single-threaded and the machine may be shared), best of the
/// repetitions. Loading memories is timed separately.
/// </summary>
public static class SpeedComparison
{
    /// <summary>
    /// The benchmark workloads of <c>bench sim</c> and <c>bench cosim</c>: the default PE shape
    /// (16 lanes × 4 rows, memories enlarged to hold the layer) and a 16-row × 256-lane array.
    /// </summary>
    public static IReadOnlyList<(HardwareConfig Config, Workload Shape)> StandardCases { get; } =
    [
        (new HardwareConfig { WeightDepth = 8192, ActDepth = 2048, OutDepth = 2048, InstrDepth = 8192 }, new Workload(16, 256, 2048)),
        (new HardwareConfig { Lanes = 256, Rows = 16, WeightDepth = 2048, ActDepth = 256, OutDepth = 512, InstrDepth = 4096, MaxK = 4096 },
            new Workload(16, 512, 4096)),
    ];

    /// <summary>A seeded random ternary layer (seed 12345) compiled for the configuration.</summary>
    public static ProgramImage CompileRandomLayer(HardwareConfig cfg, Workload shape)
    {
        cfg.Validate();
        var rng = new SplitMix64(12345);
        var w = new sbyte[shape.OutFeatures * shape.InFeatures];
        var x = new sbyte[shape.Tokens * shape.InFeatures];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-1, 2);
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next(-128, 128);
        return LayerCompiler.Compile(new Layer(shape, w, x), cfg).Image;
    }

    /// <summary>
    /// Measures one configuration. Build messages go to <paramref name="progress"/> as they happen,
    /// and each phase (simulator timing, Verilator build with its output, Verilator timing) to <paramref name="status"/>.
    /// </summary>
    public static SpeedResult Measure(HardwareConfig cfg, Workload shape, int reps, bool coldBuild, TextWriter? progress,
        IProgress<ProgressUpdate>? status = null)
    {
        ProgramImage image = CompileRandomLayer(cfg, shape);

        status?.Report(new ProgressUpdate($"bench: {cfg.Tag}: timing the C# simulator ({reps} repetitions)"));
        var sw = Stopwatch.StartNew();
        Engine engine = Simulator.Load(image);
        double simLoad = sw.Elapsed.TotalSeconds;
        long simCycles = Simulator.Execute(engine, image); // warm-up (JIT)
        double simBest = BestSecondsPerRun(reps, () => Simulator.Execute(engine, image));
        double fastBest = FastSecondsPerRun(image, reps);

        string? tmpCache = coldBuild ? Directory.CreateTempSubdirectory("bit1hw-bench-").FullName : null;
        try
        {
            var sources = DesignUnderTest.Verilog(cfg, HdlGen.RtlGenerator.Generate(cfg));
            sw.Restart();
            var log = new NoticingWriter(progress);
            string lib = VerilatorBuilder.Build(cfg, sources, trace: false, log, tmpCache, status);
            double build = sw.Elapsed.TotalSeconds;
            bool cached = !log.Written;
            status?.Report(new ProgressUpdate($"bench: {cfg.Tag}: timing the Verilator model ({reps} repetitions)"));
            using var rtl = new VerilatorModel(lib, cfg);
            sw.Restart();
            HostScript script = CoSimulation.ScriptFor(image);
            for (int c = 0; c < script.StartCycle; c++) rtl.Step(script.Cycles[c]);
            double rtlLoad = sw.Elapsed.TotalSeconds;
            long rtlCycles = RunRtl(rtl);
            if (rtlCycles != simCycles || simCycles != image.PredictedCycles)
                throw new InvalidOperationException($"cycle counts differ: sim {simCycles}, verilator {rtlCycles}, predicted {image.PredictedCycles}");
            double rtlBest = BestSecondsPerRun(reps, () => RunRtl(rtl));
            long laneOps = LaneOps(image);
            return new SpeedResult(cfg, shape, simCycles, laneOps, simCycles / simBest, rtlCycles / rtlBest, build, cached, simLoad, rtlLoad,
                simCycles / fastBest);
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

    /// <summary>
    /// Process CPU seconds per run of the loaded image on the fast path (best of the repetitions);
    /// throws unless it runs the predicted cycles.
    /// </summary>
    public static double FastSecondsPerRun(ProgramImage image, int reps)
    {
        Sim.Fast.FastEngine engine = Simulator.LoadFast(image);
        long limit = image.PredictedCycles * 2 + 1000;
        long cycles = engine.Run(limit);
        if (cycles != image.PredictedCycles)
            throw new InvalidOperationException($"the fast path ran {cycles} cycles, predicted {image.PredictedCycles}");
        return BestSecondsPerRun(reps, () => engine.Run(limit));
    }

    /// <summary>
    /// Process CPU seconds per call of <paramref name="run"/>, best of <paramref name="reps"/>
    /// repetitions of at least 0.25 s each, after 0.5 s of untimed warm-up so that tiered JIT has
    /// promoted the hot loop (a single warm-up run left it at tier 0 and read 7× slow). CPU time,
    /// not wall time: the runs are single-threaded and the machine may be shared.
    /// </summary>
    public static double BestSecondsPerRun(int reps, Func<long> run)
    {
        TimeSpan warm0 = Process.GetCurrentProcess().TotalProcessorTime;
        while ((Process.GetCurrentProcess().TotalProcessorTime - warm0).TotalSeconds < 0.5) run();
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

    /// <summary>Passes lines on as they are written and remembers whether anything was (a build happened).</summary>
    private sealed class NoticingWriter(TextWriter? inner) : TextWriter
    {
        public bool Written { get; private set; }
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value)
        {
            Written = true;
            inner?.Write(value);
        }
        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            Written = true;
            inner?.Write(value);
        }
    }
}
