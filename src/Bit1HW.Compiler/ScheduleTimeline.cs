using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler;

/// <summary>
/// One instruction of a program on the busy-cycle axis: it executes from <see cref="StartCycle"/> for
/// <see cref="Cycles"/> cycles and streams <see cref="Tiles"/> tiles into the PE array (a MAC's
/// count as the repeat counter takes it; 0 for anything else).
/// </summary>
public readonly record struct ScheduledInstruction(int Index, uint Word, long StartCycle, long Cycles, long Tiles)
{
    public Opcode Opcode => Isa.OpcodeOf(Word);
}

/// <summary>
/// When each instruction of a program runs, from the timing rules of docs/hardware.md: busy cycles
/// 0 .. FetchCycles - 1 fetch, instruction 0 executes from cycle FetchCycles; each instruction lasts
/// <see cref="HardwareConfig.InstructionCycles"/> and the next follows with no gap; HALT is the
/// last. The durations depend on the words alone, so this needs no simulation. Words after the
/// HALT never run and are omitted.
/// </summary>
public static class ScheduleTimeline
{
    public static List<ScheduledInstruction> Of(ReadOnlySpan<uint> words, HardwareConfig config)
    {
        var result = new List<ScheduledInstruction>(words.Length);
        long cycle = config.FetchCycles;
        for (int i = 0; i < words.Length; i++)
        {
            long n = config.InstructionCycles(words[i]);
            long tiles = Isa.OpcodeOf(words[i]) == Opcode.Mac ? Isa.RepeatCount(words[i], config.RepeatBits) : 0;
            result.Add(new ScheduledInstruction(i, words[i], cycle, n, tiles));
            cycle += n;
            if (Isa.OpcodeOf(words[i]) == Opcode.Halt) break;
        }
        return result;
    }

    /// <summary>Busy cycles of the program: the fetch cycles plus every executed instruction's cycles.</summary>
    public static long BusyCycles(IReadOnlyList<ScheduledInstruction> timeline, HardwareConfig config) =>
        timeline.Count == 0 ? config.FetchCycles : timeline[^1].StartCycle + timeline[^1].Cycles;

    /// <summary>
    /// The fraction of cycles in each window of <paramref name="windowCycles"/> busy cycles in which
    /// a tile enters the PE array (one per MAC cycle): the array's utilization over time.
    /// </summary>
    public static double[] Utilization(IReadOnlyList<ScheduledInstruction> timeline, HardwareConfig config, long windowCycles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowCycles, 1);
        long busy = BusyCycles(timeline, config);
        var tiles = new long[(busy + windowCycles - 1) / windowCycles];
        foreach (var s in timeline.Where(s => s.Tiles > 0))
            for (long c = s.StartCycle; c < s.StartCycle + s.Tiles;)
            {
                long window = c / windowCycles, end = Math.Min(s.StartCycle + s.Tiles, (window + 1) * windowCycles);
                tiles[window] += end - c;
                c = end;
            }
        return [.. tiles.Select((t, w) => (double)t / Math.Min(windowCycles, busy - w * windowCycles))];
    }
}
