using System.Text.Json.Serialization;

namespace Bit1HW.Core.Hardware;

/// <summary>How weight words are stored in external memory (docs/hardware.md, "External memory image").</summary>
public enum WeightPacking
{
    /// <summary>The wmem word itself: one 2-bit TernaryCode per weight.</summary>
    [JsonStringEnumMemberName("2bit")] TwoBit,
    /// <summary>Five weights per byte in base 3 (TQ1_0's density, 1.6 bits per weight).</summary>
    [JsonStringEnumMemberName("base3")] Base3,
}

/// <summary>
/// The AXI4 weight stream of a streaming engine (docs/hardware.md, "Weight streaming over AXI"): with
/// it, wmem is a ring buffer filled from external memory through an AXI4 read master.
/// </summary>
public sealed record StreamConfig
{
    /// <summary>AXI read data width: bits per beat.</summary>
    public int AxiDataBits { get; init; } = 128;
    /// <summary>AXI byte-address width.</summary>
    public int AxiAddrBits { get; init; } = 40;
    /// <summary>Beats per INCR burst (arlen = BurstBeats - 1).</summary>
    public int BurstBeats { get; init; } = 16;
    /// <summary>Bursts in flight at once (address issued, last beat not yet received).</summary>
    public int MaxOutstanding { get; init; } = 4;
    public WeightPacking Packing { get; init; } = WeightPacking.TwoBit;

    /// <summary>Bytes of one burst: BurstBeats · AxiDataBits / 8.</summary>
    [JsonIgnore] public int BurstBytes => BurstBeats * AxiDataBits / 8;
}

/// <summary>
/// The stated model of external memory under which the compiler predicts a streaming run's stall
/// cycles exactly (docs/hardware.md, "Memory timing model"): the first beat of a burst comes
/// <see cref="FirstBeatLatencyCycles"/> after its address handshake (or later, behind earlier beats),
/// and beats follow at <see cref="BeatsPerCycleNum"/> / <see cref="BeatsPerCycleDen"/> beats per cycle.
/// </summary>
public sealed record MemoryTiming(int FirstBeatLatencyCycles, int BeatsPerCycleNum = 1, int BeatsPerCycleDen = 1)
{
    /// <summary>Checks the fields; a bad one is a <see cref="UserInputException"/> naming it.</summary>
    public MemoryTiming Validate(string source = "memory timing")
    {
        if (FirstBeatLatencyCycles is < 1 or > 1_000_000)
            throw new UserInputException($"{source}: first-beat latency", $"{FirstBeatLatencyCycles} cycles is outside 1..1000000");
        if (BeatsPerCycleDen is < 1 or > 1_000_000 || BeatsPerCycleNum < 1 || BeatsPerCycleNum > BeatsPerCycleDen)
            throw new UserInputException($"{source}: beats per cycle",
                $"{BeatsPerCycleNum}/{BeatsPerCycleDen} must be a ratio in (0, 1] with a denominator of at most 1000000");
        return this;
    }
}
