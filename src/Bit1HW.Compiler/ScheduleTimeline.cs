using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler;

/// <summary>One instruction of a program on the busy-cycle axis: it executes from <see cref="StartCycle"/> for <see cref="Cycles"/> cycles.</summary>
public readonly record struct ScheduledInstruction(int Index, uint Word, long StartCycle, long Cycles)
{
    public Opcode Opcode => Isa.OpcodeOf(Word);
    /// <summary>PE tiles this instruction streams into the array (a MAC's operand; 0 for anything else).</summary>
    public long Tiles => Opcode == Opcode.Mac ? Isa.OperandOf(Word) : 0;
}

/// <summary>
/// When each instruction of a program runs, from the timing rules of docs/hardware.md: busy cycle
/// 0 fetches instruction 0, which executes from cycle 1; each instruction lasts
/// <see cref="Isa.Cycles"/> and the next follows with no gap; HALT is the last. The durations depend
/// on the words alone, so this needs no simulation. Words after the HALT never run and are omitted.
/// </summary>
public static class ScheduleTimeline
{
    public static List<ScheduledInstruction> Of(ReadOnlySpan<uint> words)
    {
        var result = new List<ScheduledInstruction>(words.Length);
        long cycle = 1;
        for (int i = 0; i < words.Length; i++)
        {
            long n = Isa.Cycles(words[i]);
            result.Add(new ScheduledInstruction(i, words[i], cycle, n));
            cycle += n;
            if (Isa.OpcodeOf(words[i]) == Opcode.Halt) break;
        }
        return result;
    }

    /// <summary>Busy cycles of the program: the fetch cycle plus every executed instruction's cycles.</summary>
    public static long BusyCycles(IReadOnlyList<ScheduledInstruction> timeline) =>
        timeline.Count == 0 ? 1 : timeline[^1].StartCycle + timeline[^1].Cycles;

    /// <summary>
    /// The fraction of cycles in each window of <paramref name="windowCycles"/> busy cycles in which
    /// a tile enters the PE array (one per MAC cycle): the array's utilization over time.
    /// </summary>
    public static double[] Utilization(IReadOnlyList<ScheduledInstruction> timeline, long windowCycles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowCycles, 1);
        long busy = BusyCycles(timeline);
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
