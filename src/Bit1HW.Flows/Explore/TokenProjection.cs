using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Technology;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Explore;

/// <summary>
/// What an exploration assumes about the engine's clock and the memory its weights come from
/// (docs/explore.md, "Assumptions"). <see cref="BandwidthGbs"/> null means no memory limit beyond the
/// engine's own host port (one host word per cycle).
/// </summary>
public sealed record ExploreMemory(double ClockMhz, double? BandwidthGbs, double LatencyNs)
{
    /// <summary>
    /// UP5K: 48 MHz (the 12 MHz oscillator × 4 in the PLL; every UP5K design placed in docs/hardware.md
    /// "Results" reaches 49.95 MHz or more) and no external limit: the host writes one word per cycle.
    /// xc7: 100 MHz (the Arty's oscillator; there is no open 7-series timing here) and 1.6 GB/s, one
    /// 16-bit DDR3-800 part, the memory of mid-size Artix-7 boards. First beat after 120 ns on both.
    /// </summary>
    public static ExploreMemory Default(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => new(48, null, 120),
        SynthTarget.Xc7 => new(100, 1.6, 120),
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    public double ClockHz => ClockMhz * 1e6;

    public ExploreMemory Validate()
    {
        new MemorySystem(ClockHz, (BandwidthGbs ?? 1) * 1e9, LatencyNs).Validate();
        return this;
    }
}

/// <summary>What limits a point's tokens/s: the engine's cycles at the clock, or the memory's bandwidth.</summary>
public enum ProjectionBound { Engine, Memory }

/// <summary>
/// One configuration's cost of a generated token: busy cycles (compute, and stalls of a streaming
/// engine), host-port cycles, the bytes of weights read from memory, tokens/s at the clock (limited
/// by the memory's bandwidth when one is assumed: <see cref="Bound"/>) and the energy.
/// </summary>
public sealed record TokenProjection(long ComputeCycles, long StallCycles, long HostCycles, long BytesPerToken, double TokensPerSecond,
    ProjectionBound Bound, double JoulesPerToken)
{
    public long CyclesPerToken => ComputeCycles + StallCycles + HostCycles;
}

/// <summary>
/// Projects a model's decode on one configuration from the compiler alone, without simulation.
/// Streaming engines: <see cref="StreamEstimator"/> (the estimate command; stalls under the
/// memory's timing). Host-fed engines: every projection cut by <see cref="ChunkPlanner"/>, each
/// distinct chunk shape scheduled once (<see cref="LayerCompiler.ScheduleOnly"/>); its busy cycles
/// are the compiler's static count (fetch + Σ instruction cycles, what the verifier checks against
/// the simulator) and its host cycles one per weight word, program word and activation word
/// written, the start pulse and every output row read back. Tokens/s is the clock over the cycles,
/// except that the weight words take bytes ÷ bandwidth instead of one cycle each when the memory is
/// slower than that (the writes come before each chunk's run, so nothing overlaps them; the
/// bound is then "memory"). Energy, the estimate's accounting: the weight
/// bytes read from DRAM, each weight bit written into wmem and read once (the largest tabulated
/// SRAM, an upper bound), one INT8 addition per weight, and for MAC engines an INT8 multiply too.
/// </summary>
public static class TokenProjector
{
    public static TokenProjection Project(ModelShape model, HardwareConfig config, ExploreMemory memory, TechnologyNode node)
    {
        if (config.IsStreaming)
        {
            // Without an assumed bandwidth the memory keeps up with the AXI port (one beat per cycle).
            double bandwidth = memory.BandwidthGbs * 1e9 ?? memory.ClockHz * config.Stream!.AxiDataBits / 8.0;
            var ms = new MemorySystem(memory.ClockHz, bandwidth, memory.LatencyNs);
            StreamEstimate e = StreamEstimator.Estimate(model, config, ms, node);
            return new TokenProjection(e.ComputeCyclesPerToken, e.StallCyclesPerToken, e.HostCyclesPerToken, e.BytesPerToken,
                e.TokensPerSecond, e.BandwidthBound ? ProjectionBound.Memory : ProjectionBound.Engine, e.JoulesPerToken);
        }
        var (compute, host, bits) = HostFedCycles(model, config);
        long bytes = (bits + 7) / 8, weightWords = bits / config.WeightWordBits;
        // The host writes each chunk's weights before its run: at one word per cycle, or slower when the memory cannot keep up.
        double writeSeconds = weightWords / memory.ClockHz;
        double linkSeconds = memory.BandwidthGbs is { } gbs ? bytes / (gbs * 1e9) : 0;
        double seconds = (compute + host - weightWords) / memory.ClockHz + Math.Max(writeSeconds, linkSeconds);
        double pj = bytes * 8.0 * node.Dram.PicojoulesPerBit + 2.0 * bits * node.LargestSram.PicojoulesPerBit
            + model.WeightsPerToken * (node.Int8AddPicojoules + (config.Pe == PeKind.Mac ? node.IntPicojoules(ArithmeticOp.Mul, 8) : 0));
        return new TokenProjection(compute, 0, host, bytes, 1 / seconds, linkSeconds > writeSeconds ? ProjectionBound.Memory : ProjectionBound.Engine, pj * 1e-12);
    }

    /// <summary>Busy cycles, host-port cycles and weight bits of one token on a host-fed engine; a chunk that does not fit is a <see cref="UserInputException"/>.</summary>
    public static (long Compute, long Host, long WeightBits) HostFedCycles(ModelShape model, HardwareConfig config)
    {
        var planner = new ChunkPlanner(config);
        var runs = new Dictionary<(int, int), (long Busy, long Host, long Bits)>();
        long compute = 0, host = 0, bits = 0;
        foreach (Projection proj in model.Projections)
        foreach (Chunk chunk in planner.Plan(proj.OutFeatures, proj.InFeatures))
        {
            if (!runs.TryGetValue((chunk.Rows, chunk.Cols), out var run))
                runs[(chunk.Rows, chunk.Cols)] = run = HostFedRun(chunk, config);
            compute += run.Busy;
            host += run.Host;
            bits += run.Bits;
        }
        return (checked(compute * model.Layers), checked(host * model.Layers), checked(bits * model.Layers));
    }

    /// <summary>The compiler's static busy cycles of a program: fetch, then every instruction's cycles.</summary>
    public static long StaticCycles(ReadOnlySpan<uint> program, HardwareConfig config)
    {
        long cycles = config.FetchCycles;
        foreach (uint w in program) cycles += config.InstructionCycles(w);
        return cycles;
    }

    private static (long, long, long) HostFedRun(Chunk chunk, HardwareConfig config)
    {
        MemoryLayout layout = MemoryLayout.For(new Workload(1, chunk.Rows, chunk.Cols), config);
        uint[] program = LayerCompiler.ScheduleOnly(layout, config);
        if (program.Length > config.InstrDepth)
            throw new UserInputException("instrDepth", $"a {chunk.Rows}×{chunk.Cols} chunk needs {program.Length} instructions, more than {config.InstrDepth}");
        if (layout.WeightWords > config.WeightDepth)
            throw new UserInputException("weightDepth", $"a {chunk.Rows}×{chunk.Cols} chunk needs {layout.WeightWords} weight words, more than {config.WeightDepth}");
        long host = StreamEstimator.HostPortEdges(program.Length, layout.ActWords, chunk.Rows) + layout.WeightWords;
        return (StaticCycles(program, config), host, (long)layout.WeightWords * config.WeightWordBits);
    }
}
