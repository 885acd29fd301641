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
}
