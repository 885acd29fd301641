using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler.Tests;

public class ScheduleTimelineTests
{
    private static readonly uint[] Program =
    [
        new Instruction(Opcode.SetW, 0).Encode(), new Instruction(Opcode.SetA, 0).Encode(), new Instruction(Opcode.Clr, 0).Encode(),
        new Instruction(Opcode.Mac, 3).Encode(), new Instruction(Opcode.Nop, 2).Encode(), new Instruction(Opcode.Out, 0).Encode(),
        new Instruction(Opcode.Halt, 0).Encode(),
    ];

    [Fact]
    public void Instruction_zero_starts_after_the_two_fetch_cycles_and_each_follows_the_last_without_a_gap()
    {
        var t = ScheduleTimeline.Of(Program, HardwareConfig.Default);
        Assert.Equal([2L, 3, 4, 5, 8, 10, 11], t.Select(s => s.StartCycle));
        Assert.Equal(12, ScheduleTimeline.BusyCycles(t, HardwareConfig.Default));
        Assert.Equal(3, t.Sum(s => s.Tiles));
    }

    [Fact]
    public void Utilization_counts_mac_cycles_per_window_including_a_short_last_window()
    {
        var t = ScheduleTimeline.Of(Program, HardwareConfig.Default);   // MAC on cycles 5, 6, 7 of 12
        Assert.Equal([0.0, 0.0, 0.5, 1.0, 0.0, 0.0], ScheduleTimeline.Utilization(t, HardwareConfig.Default, 2));   // windows 0-1, 2-3, 4-5, 6-7, 8-9, 10-11
        Assert.Equal([3.0 / 12], ScheduleTimeline.Utilization(t, HardwareConfig.Default, 100));
    }

    [Fact]
    public void The_annotated_listing_gives_each_line_its_start_cycle_and_still_assembles_to_the_same_words()
    {
        string text = Assembler.DisassembleWithCycles(Program, HardwareConfig.Default);
        Assert.Contains("MAC 3           ; cycle 5 +3\n", text);
        Assert.Contains("HALT            ; cycle 11 +1\n", text);
        Assert.StartsWith("; 7 instructions, 12 busy cycles", text);
        Assert.Equal(Program, Assembler.Assemble(text));
    }
}
