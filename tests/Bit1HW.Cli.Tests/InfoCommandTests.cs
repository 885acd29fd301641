namespace Bit1HW.Cli.Tests;

public class InfoCommandTests
{
    [Fact]
    public void Info_prints_the_timing_numbers_of_the_contract()
    {
        using var h = new CliHarness();
        string cfg = h.PathOf("cfg.json");
        File.WriteAllText(cfg, "{ \"lanes\": 7, \"pipeEvery\": 2, \"weightDepth\": 8, \"actDepth\": 32, \"maxK\": 64 }");
        var r = h.Run("info", "--config", cfg);
        Assert.True(r.Exit == 0, r.Err);
        // 7 lanes: 3 tree levels, registers after levels 2 and 3, plus the term register.
        Assert.Contains("pe latency       3 cycles (lane-term register + 3 adder-tree levels, pipeEvery 2)", r.Out);
        Assert.Contains("fetch            2 cycles before instruction 0", r.Out);
        Assert.Contains("repeat counter   6 bits (NOP/MAC n <= 63)", r.Out);   // actDepth 32: 5 address bits + 1
    }
}
