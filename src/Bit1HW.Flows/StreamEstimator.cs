using System.Globalization;
using System.Numerics;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Flows;

/// <summary>
/// The memory a streaming engine is attached to: the engine's clock, the memory's sustained bandwidth
/// and its first-beat latency. <see cref="Timing"/> turns them into the documented
/// <see cref="MemoryTiming"/>: beats per cycle = bandwidth ÷ (clock × beat bytes), capped at one beat
/// per cycle (the AXI port's peak), as a fraction with a denominator of at most 10^6; the latency
/// rounded up to whole cycles.
/// </summary>
public sealed record MemorySystem(double ClockHz, double BandwidthBytesPerSecond, double LatencyNanoseconds)
{
    public MemorySystem Validate()
    {
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
            throw new UserInputException("--clock-mhz", $"{Num(ClockHz / 1e6)} MHz: the clock must be a positive frequency");
        if (!(BandwidthBytesPerSecond > 0) || double.IsInfinity(BandwidthBytesPerSecond))
            throw new UserInputException("--bandwidth-gbs", $"{Num(BandwidthBytesPerSecond / 1e9)} GB/s: the memory bandwidth must be positive");
        if (!(LatencyNanoseconds >= 0) || LatencyNanoseconds > 1e6)
            throw new UserInputException("--latency-ns", $"{Num(LatencyNanoseconds)} ns is outside 0..1000000");
        return this;
    }

    public MemoryTiming Timing(HardwareConfig config)
    {
        double beatBytes = config.Stream!.AxiDataBits / 8.0;
        double rate = Math.Min(1.0, BandwidthBytesPerSecond / (ClockHz * beatBytes));
        const int den = 1_000_000;
        int num = (int)Math.Max(1, Math.Round(rate * den));
        int g = (int)BigInteger.GreatestCommonDivisor(num, den);
        int latency = (int)Math.Max(1, Math.Ceiling(LatencyNanoseconds * 1e-9 * ClockHz - 1e-9));
        return new MemoryTiming(latency, num / g, den / g).Validate("--latency-ns / --bandwidth-gbs");
    }

    private static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>One projection of every block, summed over its chunks (one engine run each).</summary>
public sealed record ProjectionEstimate(Projection Projection, int Runs, long ComputeCycles, long StallCycles, long HostCycles, long StreamBytes)
{
    public long Cycles => ComputeCycles + StallCycles + HostCycles;
}

/// <summary>
/// Cycles, tokens/s, the roofline and the energy of one generated token (docs/performance.md,
/// "Estimate"). Cycles per token = Σ over blocks and projections of each run's busy cycles (compute:
/// N_static, and stalls: S as <see cref="StallPredictor"/> predicts them) plus its host-port edges.
/// </summary>
public sealed record StreamEstimate(ModelShape Model, HardwareConfig Config, MemorySystem Memory, MemoryTiming Timing, TechnologyNode Node,
    IReadOnlyList<ProjectionEstimate> Projections, long ExternalBytes)
{
    private long Sum(Func<ProjectionEstimate, long> f) => checked(Projections.Sum(f) * Model.Layers);
    public long ComputeCyclesPerToken => Sum(p => p.ComputeCycles);
    public long StallCyclesPerToken => Sum(p => p.StallCycles);
    public long HostCyclesPerToken => Sum(p => p.HostCycles);
    public long CyclesPerToken => ComputeCyclesPerToken + StallCyclesPerToken + HostCyclesPerToken;
    public long BytesPerToken => Sum(p => p.StreamBytes);
    public double TokensPerSecond => Memory.ClockHz / CyclesPerToken;

    /// <summary>Weights per cycle the PE array consumes at peak (rows × lanes) and the memory delivers (bytes per cycle ÷ bytes per weight).</summary>
    public double ComputeWeightsPerCycle => Config.Rows * Config.Lanes;
    public double MemoryBytesPerCycle => (double)Timing.BeatsPerCycleNum / Timing.BeatsPerCycleDen * Config.Stream!.AxiDataBits / 8;
    public double MemoryWeightsPerCycle => MemoryBytesPerCycle * 8 * Config.Rows * Config.Lanes / Config.StreamWordBits;
    public bool BandwidthBound => MemoryWeightsPerCycle < ComputeWeightsPerCycle;
    /// <summary>The roofline's tokens/s: every weight at the lower of the two rates, nothing else.</summary>
    public double RooflineTokensPerSecond => Memory.ClockHz * Math.Min(MemoryWeightsPerCycle, ComputeWeightsPerCycle) / Model.WeightsPerToken;
    /// <summary>Weight bytes streamed per busy cycle ÷ the memory's bytes per cycle.</summary>
    public double StreamEfficiency => BytesPerToken / ((double)(ComputeCyclesPerToken + StallCyclesPerToken) * MemoryBytesPerCycle);

    /// <summary>DRAM reads of the stream (padding included), priced at the node's DRAM entry.</summary>
    public double DramPicojoulesPerToken => BytesPerToken * 8.0 * Node.Dram.PicojoulesPerBit;
    /// <summary>Each stream bit written into the ring and read out once, at the largest tabulated SRAM (an upper bound).</summary>
    public double RingPicojoulesPerToken => 2.0 * BytesPerToken * 8 * Node.LargestSram.PicojoulesPerBit;
    /// <summary>One INT8 addition per weight (docs/energy.md's analytic accounting).</summary>
    public double ArithmeticPicojoulesPerToken => Model.WeightsPerToken * Node.Int8AddPicojoules;
    public double JoulesPerToken => (DramPicojoulesPerToken + RingPicojoulesPerToken + ArithmeticPicojoulesPerToken) * 1e-12;
}

/// <summary>
/// Estimates a model's decode speed on a streaming engine without simulating it: each projection is
/// cut by <see cref="ChunkPlanner"/>, each distinct chunk shape scheduled once by the compiler
/// (<see cref="LayerCompiler.ScheduleOnly"/>) and its stalls predicted by
/// <see cref="StallPredictor"/> under the memory's <see cref="MemoryTiming"/>; every chunk's stream
/// is laid out in one <see cref="StreamAddressSpace"/>, so a model that does not fit the AXI address
/// space is a one-line error. Exact per run against the cycle-accurate simulator under the same
/// timing; a 2B model takes well under a second (a handful of distinct shapes).
/// </summary>
public static class StreamEstimator
{
    public static StreamEstimate Estimate(ModelShape model, HardwareConfig config, MemorySystem memory, TechnologyNode node)
    {
        memory.Validate();
        config.Validate();
        if (!config.IsStreaming)
            throw new UserInputException("--config", "the hardware config has no 'stream' object: the estimate is for an engine that streams its weights (docs/hardware.md)");
        MemoryTiming timing = memory.Timing(config);
        var planner = new ChunkPlanner(config);
        var space = new StreamAddressSpace(config);
        var runs = new Dictionary<(int Rows, int Cols), (StreamPrediction P, long Host, long Bytes)>();
        var perProjection = new List<ProjectionEstimate>();
        for (int layer = 0; layer < model.Layers; layer++)
        foreach (Projection proj in model.Projections)
        {
            long compute = 0, stall = 0, host = 0, bytes = 0;
            IReadOnlyList<Chunk> chunks = planner.Plan(proj.OutFeatures, proj.InFeatures);
            foreach (Chunk chunk in chunks)
            {
                if (!runs.TryGetValue((chunk.Rows, chunk.Cols), out var run))
                    runs[(chunk.Rows, chunk.Cols)] = run = PredictRun(chunk, config, timing);
                space.Add($"--model {model.Name}: block {layer} {proj.Name}", run.Bytes / config.Stream!.BurstBytes);
                compute += run.P.StaticCycles;
                stall += run.P.StallCycles;
                host += run.Host;
                bytes += run.Bytes;
            }
            if (layer == 0) perProjection.Add(new ProjectionEstimate(proj, chunks.Count, compute, stall, host, bytes));
        }
        return new StreamEstimate(model, config, memory, timing, node, perProjection, space.Bytes);
    }

    /// <summary>
    /// The host-port edges of one streaming run outside its busy cycles: every program and activation
    /// word written, the start pulse, every output row read back and the read's one-cycle latency.
    /// The decoder's streaming backend counts the same.
    /// </summary>
    public static long HostPortEdges(int programWords, int activationWords, int outputRows) => programWords + activationWords + 1L + outputRows + 1;

    /// <summary>One engine run of a one-token chunk: its prediction, its host-port edges and its stream bytes.</summary>
    private static (StreamPrediction, long, long) PredictRun(Chunk chunk, HardwareConfig config, MemoryTiming timing)
    {
        MemoryLayout layout = MemoryLayout.For(new Workload(1, chunk.Rows, chunk.Cols), config);
        uint[] program = LayerCompiler.ScheduleOnly(layout, config);
        if (program.Length > config.InstrDepth)
            throw new UserInputException("--config", $"a {chunk.Rows}×{chunk.Cols} chunk needs {program.Length} instructions; raise instrDepth ({config.InstrDepth})");
        StreamPrediction p = StallPredictor.Predict(config, program, timing);
        long host = HostPortEdges(program.Length, layout.ActWords, chunk.Rows);
        return (p, host, WeightStream.Bytes(layout, config));
    }
}
