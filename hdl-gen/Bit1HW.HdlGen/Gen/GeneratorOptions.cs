using System.Diagnostics;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// Deliberate bugs the generator can inject, for tests only: a cross-check (co-simulation against
/// the C# simulator) must be shown to catch each of them. Never exposed on the command line.
/// </summary>
[Flags]
public enum GeneratorFaults
{
    None = 0,
    /// <summary>The ternary lane decodes 01 as -1 and 11 as +1.</summary>
    FlipWeightDecode = 1,
    /// <summary>The PE drops its first pipeline register (data and valid): latency L - 1.</summary>
    DropPipelineRegister = 2,
    /// <summary>NOP n and MAC n (n ≥ 1) last n + 1 cycles.</summary>
    RepeatCounterOffByOne = 4,
    /// <summary>Streaming: after a cycle without ARREADY, ARVALID drops for a cycle (an AXI handshake violation).</summary>
    StreamArvalidNotHeld = 8,
    /// <summary>Streaming: while waiting for ARREADY, ARADDR moves on by one burst (an unstable AR payload).</summary>
    StreamAddressUnstable = 16,
    /// <summary>Streaming: ARLEN asks for burstBeats + 1 beats.</summary>
    StreamBurstLengthOffByOne = 32,
    /// <summary>Streaming: a MAC with no word in the ring does not stall (it reads a stale ring word).</summary>
    StreamStallMissesStarvedMac = 64,
    /// <summary>Streaming: the PE pipeline and the accumulators keep running in a stall cycle.</summary>
    StreamPipelineNotFrozen = 128,
    /// <summary>SB_MAC16 accumulators only: CLR clears the accumulator at the end of its own cycle
    /// instead of the cycle before, dropping the tile that lands in the CLR cycle.</summary>
    LateAccumulatorClear = 256,
    /// <summary>SPRAM memories only: the SPRAMs always get the write address (a one-port RAM wired like the
    /// write side of a two-port one), so the engine reads the word the host last wrote.</summary>
    SpramWriteAddressOnly = 512,
}

/// <summary>
/// What the generated Verilog is written for. <see cref="Generic"/>: every memory is an inferred RAM
/// (block RAM on iCE40 and 7-series). <see cref="Ice40Up5k"/>: the same engine, with the memory words
/// that save the most block RAM held in explicit SB_SPRAM256KA instances (<see cref="MemoryPlan"/>).
/// No target changes the behaviour at the top's ports.
/// </summary>
public enum RtlTarget { Generic, Ice40Up5k }

/// <summary>How each row's accumulator is built: LUTs and carry chains in the fabric, or one iCE40 SB_MAC16
/// used as a 32-bit accumulator (ice40-up5k only; the UP5K has 8).</summary>
public enum AccumulatorKind { Fabric, Mac16 }

/// <summary>The RTL variant of one configuration: target and accumulators. Invisible at the ports.</summary>
public sealed record RtlVariant(RtlTarget Target = RtlTarget.Generic, AccumulatorKind Accumulators = AccumulatorKind.Fabric)
{
    public static RtlVariant Generic { get; } = new();

    /// <summary>
    /// The iCEBreaker configuration (docs/examples/icebreaker.json): 16 lanes × 7 rows = 112 ternary
    /// lanes, the most the UP5K's memories can feed. Each cycle reads a 224-bit weight word, a
    /// 128-bit activation word and (for OUT) writes a 147-bit output word, and every memory is read
    /// whole in one cycle, so block RAMs (16 bits wide at 256 words) and SPRAMs (16 bits) are counted
    /// by width: imem in two SPRAMs (16384 × 32, which no block RAM set of 30 could hold), wmem's low
    /// 32 bits in the other two and its other 192 bits in 12 block RAMs, amem in 8, omem in 10: 30 of 30.
    /// Eight rows (a 256-bit weight word) or 17 lanes would need more than the 480 + 64 bits of
    /// memory width the part has.
    /// </summary>
    public static HardwareConfig IceBreaker { get; } = new()
    {
        Lanes = 16, Rows = 7, ActBits = 8, PipeEvery = 1, Pe = PeKind.Ternary,
        WeightDepth = 256, ActDepth = 256, OutDepth = 256, InstrDepth = 16384, MaxK = 4096,
    };

    /// <summary>The configuration a target uses when none is given: <see cref="IceBreaker"/> on ice40-up5k.</summary>
    public static HardwareConfig DefaultConfig(RtlTarget t) => t == RtlTarget.Ice40Up5k ? IceBreaker : HardwareConfig.Default;

    public static RtlTarget ParseTarget(string s, string flag = "--target") => s switch
    {
        "generic" => RtlTarget.Generic,
        "ice40-up5k" => RtlTarget.Ice40Up5k,
        _ => throw new UserInputException(flag, $"'{s}' is not an RTL target (generic, ice40-up5k)"),
    };

    public static AccumulatorKind ParseAccumulators(string s, string flag = "--accumulators") => s switch
    {
        "fabric" => AccumulatorKind.Fabric,
        "mac16" => AccumulatorKind.Mac16,
        _ => throw new UserInputException(flag, $"'{s}' is not an accumulator kind (fabric, mac16)"),
    };

    public static string Name(RtlTarget t) => t switch
    {
        RtlTarget.Generic => "generic",
        RtlTarget.Ice40Up5k => "ice40-up5k",
        _ => throw new UnreachableException(),
    };

    public static string Name(AccumulatorKind a) => a switch
    {
        AccumulatorKind.Fabric => "fabric",
        AccumulatorKind.Mac16 => "mac16",
        _ => throw new UnreachableException(),
    };

    /// <summary>e.g. <c>generic</c>, <c>ice40-up5k</c>, <c>ice40-up5k, mac16 accumulators</c>.</summary>
    public override string ToString() =>
        Name(Target) + (Accumulators == AccumulatorKind.Fabric ? "" : $", {Name(Accumulators)} accumulators");

    /// <summary>SB_MAC16 exists only on iCE40: a user error otherwise.</summary>
    public RtlVariant Validate()
    {
        if (Accumulators == AccumulatorKind.Mac16 && Target != RtlTarget.Ice40Up5k)
            throw new UserInputException("--accumulators", $"mac16 needs the ice40-up5k target (SB_MAC16 is an iCE40 cell), not {Name(Target)}");
        return this;
    }
}

/// <summary>Options of <see cref="RtlGenerator.Generate(Core.Hardware.HardwareConfig, GeneratorOptions)"/>: the RTL
/// variant and, for tests, deliberate faults.</summary>
public sealed record GeneratorOptions(GeneratorFaults Faults = GeneratorFaults.None)
{
    public static GeneratorOptions Default { get; } = new();
    public RtlVariant Variant { get; init; } = RtlVariant.Generic;
    public bool Has(GeneratorFaults f) => (Faults & f) != 0;
    internal bool Mac16 => Variant.Accumulators == AccumulatorKind.Mac16;
}
