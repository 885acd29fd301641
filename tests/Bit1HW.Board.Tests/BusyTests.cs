using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Board;
using Xunit.Abstractions;

namespace Bit1HW.Board.Tests;

/// <summary>
/// Traffic while the engine runs: a long program (the layer's, after 220 NOPs of 127 cycles) keeps
/// the engine busy for about 28,000 cycles while the host sends a write, noise and a damaged frame.
/// The bridge must refuse the write with BUSY, drop the rest, and leave the engine's memories as they
/// were: the run and a second run of the same program give the reference result.
/// </summary>
public class BusyTests(ITestOutputHelper output)
{
    private const int PrefixNops = 220;

    private static ProgramImage WithNopPrefix(ProgramImage image)
    {
        var nop = new Instruction(Opcode.Nop, 127).Encode();
        uint[] program = [.. Enumerable.Repeat(nop, PrefixNops), .. image.Instructions];
        return new ProgramImage(image.Config, program, image.Weights, image.Activations, image.Workload,
            image.OutputWord, image.OutputRow, image.PredictedCycles + PrefixNops * 127L);
    }

    [ToolFact("verilator")]
    public void Writes_noise_and_damaged_frames_while_busy_are_refused_and_leave_the_engine_state_intact()
    {
        var r = Scenario(BridgeFaults.None);
        Assert.True(r.Refused, "the write while busy was not refused with BUSY");
        Assert.True(r.Expected.SequenceEqual(r.First), "first run differs from the reference");
        Assert.True(r.Expected.SequenceEqual(r.Second), "second run differs from the reference");
        Assert.Equal(r.Predicted, r.Cycles);
    }

    [ToolFact("verilator")]
    public void A_bridge_that_writes_while_busy_corrupts_the_run_and_the_check_catches_it()
    {
        var r = Scenario(BridgeFaults.WriteWhileBusy);
        Assert.False(r.Refused);
        Assert.False(r.Expected.SequenceEqual(r.First) && r.Expected.SequenceEqual(r.Second));
    }

    [ToolFact("verilator")]
    public void A_start_whose_reply_is_lost_is_acknowledged_on_retry_without_running_again()
    {
        var (status, predicted, retries) = LostStartReply(BridgeFaults.None);
        Assert.True(retries >= 1);
        Assert.True(!status.Busy && status.Done, $"after the retried START the engine is {(status.Busy ? "busy again" : "not done")}");
        Assert.Equal(predicted, status.Cycles);
    }

    [ToolFact("verilator")]
    public void A_bridge_that_runs_a_retransmitted_start_again_is_caught_busy()
    {
        var (status, _, _) = LostStartReply(BridgeFaults.RestartOnRetransmittedStart);
        Assert.True(status.Busy);
    }

    /// <summary>Loads the long program and drops the last byte of START's reply: the driver waits for it until its
    /// deadline, lets the line go quiet and retries START with the same SEQ about 50,000 cycles later, after the
    /// 28,000-cycle run has ended; then it reads STATUS.</summary>
    private (BoardStatus Status, long Predicted, int Retries) LostStartReply(BridgeFaults faults)
    {
        var image = WithNopPrefix(TestBoard.Compile(TestBoard.Layer(5, 2, 4, 16)));
        var link = new FaultyLink(SimulatedSerialLine.Start(TestBoard.Config, TestBoard.FastLink, faults: faults));
        using var session = BoardSession.Open(link, TestBoard.FastLink);
        BoardClient c = session.Client;
        c.Write(UartCommand.WriteImem, 0, InstructionBytes(image.Instructions));
        link.DropIncoming(6);
        c.Start();
        BoardStatus status = c.ReadStatus();
        output.WriteLine($"[{faults}] {c.Stats}; status after the retried START: {status}");
        return (status, image.PredictedCycles, c.Stats.Retries);
    }

    private sealed record Result(bool Refused, int[] Expected, int[] First, int[] Second, long Predicted, long Cycles);

    private Result Scenario(BridgeFaults faults)
    {
        var layer = TestBoard.Layer(5, 2, 4, 16);
        var image = WithNopPrefix(TestBoard.Compile(layer));
        var line = SimulatedSerialLine.Start(TestBoard.Config, TestBoard.FastLink, faults: faults);
        using var session = BoardSession.Open(line, TestBoard.FastLink);
        BoardClient c = session.Client;
        c.Write(UartCommand.WriteImem, 0, InstructionBytes(image.Instructions));
        c.Write(UartCommand.WriteWmem, 0, BoardSession.WordBytes(image.Weights, UartProtocol.WordBytes(c.Config, UartCommand.WriteWmem)));
        c.Write(UartCommand.WriteAmem, 0, BoardSession.WordBytes(image.Activations, UartProtocol.WordBytes(c.Config, UartCommand.WriteAmem)));
        c.Start();
        bool refused = false;
        try
        {
            c.Write(UartCommand.WriteWmem, 0, [0xFF, 0xFF, 0xFF, 0xFF, 0x55, 0x55, 0x55, 0x55]);
        }
        catch (BoardBusyException)
        {
            refused = true;
        }
        line.Write([0x00, 0xFF, 0x42]);
        line.Write([0xB1, 0x00, 0x11, 0x00, 0x00, 0x01, 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x00]);
        int[] first = ReadWhenDone(c, image, out long cycles);
        c.Start();
        int[] second = ReadWhenDone(c, image, out _);
        output.WriteLine($"[{faults}] refused {refused}; {c.Stats}; board rejected {c.ReadStatus().Rejected}");
        return new Result(refused, TestBoard.Reference(layer), first, second, image.PredictedCycles, cycles);
    }

    private static int[] ReadWhenDone(BoardClient c, ProgramImage image, out long cycles)
    {
        BoardStatus s;
        do s = c.ReadStatus(); while (s.Busy || !s.Done);
        cycles = s.Cycles;
        int[] rows = c.ReadOutputs(0, image.OutputWord.Max() + 1);
        return image.OutputWord.Select((w, i) => rows[w * c.Config.Rows + image.OutputRow[i]]).ToArray();
    }

    internal static byte[] InstructionBytes(uint[] program) =>
        program.SelectMany(BitConverter.GetBytes).ToArray();
}
