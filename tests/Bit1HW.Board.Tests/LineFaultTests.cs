using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Board;
using Xunit.Abstractions;

namespace Bit1HW.Board.Tests;

/// <summary>
/// Faults injected on the simulated serial line, each once, during a whole layer run: the driver
/// must notice (an error reply, a missing, short or damaged reply), retry, and still return the
/// reference result bit for bit with the predicted cycle count, so no damaged frame reached the
/// engine. The bridge's own STATUS counts the frames it rejected.
/// </summary>
public class LineFaultTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, int> Faults => new()
    {
        // fault, the retry reason the driver must report ("" = no retry), frames the board must have rejected
        { "flipped payload bit", "board: BadCrc", 1 },
        { "flipped crc bit", "board: BadCrc", 1 },
        { "flipped command bit", "board: UnknownCommand", 1 },
        { "flipped count bit", "board: BadCount", 1 },
        { "dropped request byte", "board: Timeout", 1 },
        { "dropped reply byte", "reply", 0 },
        { "garbage with a sync byte before a frame", "no reply", 1 },
        { "garbage without a sync byte between frames", "", 0 },
    };

    internal static FaultyLink Inject(string fault, FaultyLink link) => fault switch
    {
        "flipped payload bit" => link.OnFrame(UartCommand.WriteWmem, f => FaultyLink.FlipBit(f, 9, 2)),
        "flipped crc bit" => link.OnFrame(UartCommand.Start, f => FaultyLink.FlipBit(f, f.Length - 1, 0)),
        "flipped command bit" => link.OnFrame(UartCommand.WriteWmem, f => FaultyLink.FlipBit(f, 2, 6)),
        "flipped count bit" => link.OnFrame(UartCommand.WriteAmem, f => FaultyLink.FlipBit(f, 5, 7)),
        "dropped request byte" => link.OnFrame(UartCommand.WriteImem, f => FaultyLink.Drop(f, 10)),
        "dropped reply byte" => link.DropIncoming(3),
        "garbage with a sync byte before a frame" => link.OnFrame(UartCommand.WriteAmem, f => FaultyLink.Prepend([0x00, 0xB1, 0x55, 0x13, 0xFF], f)),
        "garbage without a sync byte between frames" => link.OnFrame(UartCommand.ReadOmem, f => FaultyLink.Prepend([0x00, 0x42, 0xFF, 0x1B], f)),
        _ => throw new ArgumentException(fault, nameof(fault)),
    };

    [ToolTheory("verilator")]
    [MemberData(nameof(Faults))]
    public void A_line_fault_is_detected_and_retried_and_the_result_stays_bit_exact(string fault, string reason, int rejected)
    {
        var r = Run(fault, BridgeFaults.None);
        Assert.True(r.Fired, $"{fault}: the fault never fired");
        Assert.Equal(r.Expected, r.Acc);
        Assert.Equal(r.PredictedCycles, r.Cycles);
        Assert.Equal(rejected, r.Rejected);
        if (reason.Length == 0) Assert.Equal(0, r.Stats.Retries);
        else Assert.Contains(r.Stats.RetryReasons.Keys, k => k.StartsWith(reason, StringComparison.Ordinal));
    }

    [ToolFact("verilator")]
    public void A_bridge_that_ignores_the_crc_lets_a_flipped_bit_into_the_weights_and_the_check_catches_it()
    {
        var r = Run("flipped payload bit", BridgeFaults.IgnoreCrc);
        Assert.True(r.Fired);
        Assert.Equal(0, r.Stats.Retries);
        Assert.NotEqual(r.Expected, r.Acc);
    }

    internal sealed record Outcome(bool Fired, int[] Expected, int[] Acc, long PredictedCycles, long Cycles, int Rejected, LinkStats Stats);

    internal Outcome Run(string fault, BridgeFaults bridge)
    {
        var layer = TestBoard.Layer(11, 3, 12, 40);
        var image = TestBoard.Compile(layer);
        var link = Inject(fault, new FaultyLink(SimulatedSerialLine.Start(TestBoard.Config, TestBoard.FastLink, faults: bridge)));
        using var session = BoardSession.Open(link, TestBoard.FastLink);
        BoardRun run = session.Run(image);
        BoardStatus status = session.Client.ReadStatus();
        output.WriteLine($"{fault} [{bridge}]: {session.Client.Stats}; board rejected {status.Rejected}; link time {run.LinkTime.TotalMilliseconds:F2} ms");
        return new Outcome(link.Fired, TestBoard.Reference(layer), run.Acc, image.PredictedCycles, run.Cycles, status.Rejected, session.Client.Stats);
    }
}
