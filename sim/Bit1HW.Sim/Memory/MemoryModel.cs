using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>
/// The external memory a <see cref="MemorySlave"/> imitates: the stated <see cref="MemoryTiming"/>
/// (docs/hardware.md, "Memory timing model"), optionally with seeded random backpressure: in each
/// cycle, independently, arready is withheld with probability <see cref="ArReadyGapPercent"/> % and
/// a due beat is held back (rvalid = 0) with probability <see cref="RValidGapPercent"/> %. With no
/// gaps the slave is the model exactly, and the compiler's prediction holds cycle for cycle.
/// </summary>
public sealed record MemoryModel(MemoryTiming Timing, int ArReadyGapPercent = 0, int RValidGapPercent = 0, ulong Seed = 0)
{
    /// <summary>What <c>Simulator.Run</c> uses for a streaming image unless told otherwise: first beat 24 cycles after the address, one beat per cycle.</summary>
    public static MemoryModel Default { get; } = Nominal(new MemoryTiming(24));

    /// <summary>Exactly the stated model.</summary>
    public static MemoryModel Nominal(MemoryTiming timing) => new(timing.Validate());

    /// <summary>A memory slower than <paramref name="timing"/>: first beat 2·L + 5 cycles after the address, half the beat rate.</summary>
    public static MemoryModel Slower(MemoryTiming timing)
    {
        timing.Validate();
        return new(new MemoryTiming(Math.Min(2 * timing.FirstBeatLatencyCycles + 5, 1_000_000),
            timing.BeatsPerCycleNum, Math.Min(2 * timing.BeatsPerCycleDen, 1_000_000)).Validate());
    }

    /// <summary><paramref name="timing"/> with 30 % arready gaps and 30 % rvalid gaps drawn from <paramref name="seed"/>.</summary>
    public static MemoryModel RandomBackpressure(MemoryTiming timing, ulong seed) => new(timing.Validate(), 30, 30, seed);

    public bool HasBackpressure => ArReadyGapPercent > 0 || RValidGapPercent > 0;

    /// <summary>Checks the fields; a bad one is a <see cref="UserInputException"/> naming it.</summary>
    public MemoryModel Validate(string source = "memory model")
    {
        Timing.Validate(source);
        if (ArReadyGapPercent is < 0 or > 90)
            throw new UserInputException($"{source}: arready gaps", $"{ArReadyGapPercent} % is outside 0..90");
        if (RValidGapPercent is < 0 or > 90)
            throw new UserInputException($"{source}: rvalid gaps", $"{RValidGapPercent} % is outside 0..90");
        return this;
    }

    /// <summary>One line for logs and failure messages, the seed included when it matters.</summary>
    public override string ToString()
    {
        string timing = string.Create(CultureInfo.InvariantCulture,
            $"first beat {Timing.FirstBeatLatencyCycles} cycles, {Timing.BeatsPerCycleNum}/{Timing.BeatsPerCycleDen} beats per cycle");
        return HasBackpressure
            ? string.Create(CultureInfo.InvariantCulture,
                $"{timing}, random backpressure (seed {Seed}: arready gaps {ArReadyGapPercent} %, rvalid gaps {RValidGapPercent} %)")
            : timing;
    }
}
