using Bit1HW.Core;
using BenchmarkDotNet.Attributes;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.Benchmarks;

/// <summary>
/// Cycle-accurate simulator throughput: one run of a compiled ternary layer, loaded once (busy
/// cycles only), on the cycle-by-cycle path (<see cref="RunLayer"/>) and the fast path
/// (<see cref="RunLayerFast"/>). Lane-operations per second = tiles · rows · lanes / time; see docs/performance.md.
/// Run: dotnet run -c Release --project tests/Bit1HW.Benchmarks -- --filter '*SimulatorBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    [Params("l16_r4", "l256_r16")]
    public string Shape { get; set; } = "l16_r4";

    private ProgramImage _image = null!;
    private Engine _engine = null!;
    private Sim.Fast.FastEngine _fast = null!;

    [GlobalSetup]
    public void Setup()
    {
        (HardwareConfig c, Workload w) = Shape == "l16_r4"
            ? (new HardwareConfig { WeightDepth = 8192, ActDepth = 2048, OutDepth = 2048, InstrDepth = 8192 }, new Workload(16, 256, 2048))
            : (new HardwareConfig { Lanes = 256, Rows = 16, WeightDepth = 2048, ActDepth = 256, OutDepth = 512, InstrDepth = 4096, MaxK = 4096 },
               new Workload(16, 512, 4096));
        var rng = new SplitMix64(12345);
        var weights = new sbyte[w.OutFeatures * w.InFeatures];
        var acts = new sbyte[w.Tokens * w.InFeatures];
        for (int i = 0; i < weights.Length; i++) weights[i] = (sbyte)rng.Next(-1, 2);
        for (int i = 0; i < acts.Length; i++) acts[i] = (sbyte)rng.Next(-128, 128);
        _image = LayerCompiler.Compile(new Layer(w, weights, acts), c.Validate()).Image;
        _engine = Simulator.Load(_image);
        _fast = Simulator.LoadFast(_image);
    }

    /// <summary>Returns the busy cycles of one run, edge by edge.</summary>
    [Benchmark]
    public long RunLayer() => Simulator.Execute(_engine, _image);

    /// <summary>Returns the busy cycles of one run, an instruction at a time.</summary>
    [Benchmark]
    public long RunLayerFast() => _fast.Run(long.MaxValue);
}
