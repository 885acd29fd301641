using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.Flows;

/// <summary>
/// One measured streaming run (<c>bit1hw bench stream</c>, docs/performance.md): the projection's
/// weight bytes (the stream words its MACs read × StreamWordBits / 8) per busy cycle, against the
/// AXI port's peak (axiDataBits / 8 bytes per cycle); and the simulated cycles against the
/// compiler's prediction under the same memory timing.
/// </summary>
public sealed record StreamBenchResult(HardwareConfig Config, Workload Shape, MemoryTiming Timing, long Cycles, long StallCycles,
    StreamPrediction Predicted, long WeightBytes, bool OutputsMatch)
{
    public double PortBytesPerCycle => Config.Stream!.AxiDataBits / 8.0;
    public double WeightBytesPerCycle => (double)WeightBytes / Cycles;
    public double PortEfficiency => WeightBytesPerCycle / PortBytesPerCycle;
    public bool PredictionExact => Predicted.Cycles == Cycles && Predicted.StallCycles == StallCycles;
}

public static class StreamBench
{
    /// <summary>The projection: BitNet b1.58 2B-4T's FFN down projection, [2560, 6912].</summary>
    public static Workload DefaultShape { get; } = new(1, 2560, 6912);

    /// <summary>
    /// Engines that keep up with a 512-bit port: 16 × 16 lanes (2bit: one 512-bit word per tile, a
    /// beat per cycle), 20 × 16 (base3: 320 weights in 64 bytes) and a 16-row × 256-lane array whose
    /// 8192-bit words take 16 beats each (the PE array idles most cycles; the port is the limit).
    /// </summary>
    public static IReadOnlyList<HardwareConfig> StandardConfigs { get; } =
    [
        Port512(16, 16, 512, WeightPacking.TwoBit),
        Port512(16, 20, 512, WeightPacking.Base3),
        Port512(256, 16, 256, WeightPacking.TwoBit),
    ];

    private static HardwareConfig Port512(int lanes, int rows, int actDepth, WeightPacking packing) => new HardwareConfig
    {
        Lanes = lanes, Rows = rows, WeightDepth = 512, ActDepth = actDepth, OutDepth = 512, InstrDepth = 4096, MaxK = 8192,
        Stream = new StreamConfig { AxiDataBits = 512, AxiAddrBits = 40, BurstBeats = 16, MaxOutstanding = 4, Packing = packing },
    }.Validate();

    /// <summary>Compiles a seeded random ternary layer of <paramref name="shape"/>, simulates it against the nominal memory and predicts it.</summary>
    public static StreamBenchResult Run(HardwareConfig config, Workload shape, MemoryTiming timing, ulong seed)
    {
        if (!config.IsStreaming) throw new UserInputException("--config", "the hardware config has no 'stream' object (bench stream measures weight streaming)");
        var rng = new SplitMix64(seed);
        var w = new sbyte[checked(shape.OutFeatures * shape.InFeatures)];
        var x = new sbyte[checked(shape.Tokens * shape.InFeatures)];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)(rng.Next(3) - 1);
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next(-128, 128);
        CompiledLayer compiled = LayerCompiler.Compile(new Layer(shape, w, x), config);
        ProgramImage image = compiled.Image;
        SimResult sim = Simulator.Run(image, MemoryModel.Nominal(timing));
        StreamPrediction predicted = StallPredictor.Predict(config, image.Instructions, timing);
        long weightBytes = WeightStream.Words(compiled.Layout) * config.StreamWordBits / 8;
        return new StreamBenchResult(config, shape, timing, sim.Cycles, sim.Activity.StallCycles, predicted, weightBytes,
            Reference(w, x, shape).AsSpan().SequenceEqual(sim.Acc));
    }

    private static int[] Reference(sbyte[] w, sbyte[] x, Workload s)
    {
        var acc = new int[s.Tokens * s.OutFeatures];
        for (int t = 0; t < s.Tokens; t++)
        for (int o = 0; o < s.OutFeatures; o++)
        {
            int sum = 0;
            ReadOnlySpan<sbyte> row = w.AsSpan(o * s.InFeatures, s.InFeatures), xs = x.AsSpan(t * s.InFeatures, s.InFeatures);
            for (int i = 0; i < row.Length; i++) sum += row[i] * xs[i];
            acc[t * s.OutFeatures + o] = sum;
        }
        return acc;
    }
}
