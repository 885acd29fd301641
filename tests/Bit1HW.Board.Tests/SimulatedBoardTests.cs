using Bit1HW.Core.Hardware;
using Xunit.Abstractions;

namespace Bit1HW.Board.Tests;

public class SimulatedBoardTests(ITestOutputHelper output)
{
    [ToolFact("verilator")]
    public void A_small_layer_run_over_the_simulated_uart_is_bit_identical_to_the_reference()
    {
        using var session = BoardSession.Open(SimulatedSerialLine.Start(TestBoard.Config, TestBoard.FastLink), TestBoard.FastLink);
        var layer = TestBoard.Layer(7, 4, 16, 40);
        var image = TestBoard.Compile(layer);
        BoardRun run = session.Run(image);
        output.WriteLine($"{session.Client.Stats}; {run.Cycles} cycles; link time {run.LinkTime.TotalMilliseconds:F2} ms");
        Assert.Equal(TestBoard.Reference(layer), run.Acc);
        Assert.Equal(image.PredictedCycles, run.Cycles);
        Assert.Equal(0, session.Client.Stats.Retries);
        Assert.Equal(TestBoard.Config, session.Config);
    }

    /// <summary>The iCEBreaker's real rate, 104 clock cycles per bit: the link time is what the board's UART takes,
    /// at least the bytes' time on the line (10 bits each at 12 MHz / 104).</summary>
    [ToolFact("verilator")]
    public void A_layer_run_at_the_real_115200_baud_timing_is_bit_identical_and_takes_the_line_time_of_its_bytes()
    {
        using var session = BoardSession.Open(SimulatedSerialLine.Start(TestBoard.Config, TestBoard.SlowLink), TestBoard.SlowLink);
        var layer = TestBoard.Layer(3, 2, 5, 33);
        var image = TestBoard.Compile(layer);
        LinkStats before = Snapshot(session.Client.Stats);
        BoardRun run = session.Run(image);
        LinkStats s = session.Client.Stats;
        long bytes = s.BytesSent - before.BytesSent + s.BytesReceived - before.BytesReceived;
        double lineSeconds = bytes * TestBoard.SlowLink.SecondsPerByte;
        output.WriteLine($"{s}; link {run.LinkTime.TotalMilliseconds:F2} ms for {bytes} bytes ({lineSeconds * 1e3:F2} ms on the line)");
        Assert.Equal(TestBoard.Reference(layer), run.Acc);
        Assert.Equal(image.PredictedCycles, run.Cycles);
        Assert.Equal(0, s.Retries);
        Assert.InRange(run.LinkTime.TotalSeconds, lineSeconds, lineSeconds * 1.5 + 0.01);
    }

    private static LinkStats Snapshot(LinkStats s) => new() { BytesSent = s.BytesSent, BytesReceived = s.BytesReceived };
}
