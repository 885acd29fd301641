using Bit1HW.Core.Hardware;

namespace Bit1HW.Flows.Tests;

public class StreamBenchTests
{
    // docs/performance.md: the 2560 × 6912 projection on the 16 × 16 engine behind a 512-bit port, a beat per cycle.
    [Fact]
    public void The_2560_by_6912_projection_streams_at_over_ninety_percent_of_the_port_and_exactly_as_predicted()
    {
        StreamBenchResult r = StreamBench.Run(StreamBench.StandardConfigs[0], StreamBench.DefaultShape, new MemoryTiming(24), 20261130);
        Assert.True(r.OutputsMatch);
        Assert.True(r.PredictionExact, $"simulated {r.Cycles} ({r.StallCycles} stalls), predicted {r.Predicted.Cycles} ({r.Predicted.StallCycles})");
        Assert.Equal(69_634, r.Cycles);
        Assert.Equal(2560L * 6912 / 4, r.WeightBytes);
        Assert.True(r.PortEfficiency >= 0.90, $"{r.PortEfficiency:P1} of the port's peak");
    }
}
