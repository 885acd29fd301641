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
}

/// <summary>Options of <see cref="RtlGenerator.Generate(Core.Hardware.HardwareConfig, GeneratorOptions)"/>: only test faults so far.</summary>
public sealed record GeneratorOptions(GeneratorFaults Faults = GeneratorFaults.None)
{
    public static GeneratorOptions Default { get; } = new();
    public bool Has(GeneratorFaults f) => (Faults & f) != 0;
}
