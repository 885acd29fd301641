using Bit1HW.Core.Hardware;
using Bit1HW.Sim;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

public class StreamCoSimTests(ITestOutputHelper output)
{
    [ToolTheory("verilator")]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_streaming_layer_agrees_three_ways_under_every_memory_model(int config)
    {
        int seed = TestSeed.Seed(20261130, output);
        var log = new TestWriter(output);
        HardwareConfig cfg = StreamCampaign.Configs()[config];
        DesignUnderTest design = DesignUnderTest.Build(cfg, log);
        foreach (MemoryModel memory in StreamCampaign.Memories(seed))
        {
            var (layer, image) = Campaign.MakeCase(cfg, Campaign.CaseSeed(seed, config, 0), CaseKind.Random);
            using var sim = design.NewSimulator();
            using var rtl = design.NewVerilator();
            CaseReport r = CoSimulation.RunCase(layer, image, [sim, rtl], memory);
            output.WriteLine($"{cfg.Tag} t={layer.Shape.Tokens} out={layer.Shape.OutFeatures} in={layer.Shape.InFeatures}: {r.Describe()}");
            Assert.True(r.Agrees, $"seed {seed}, {cfg.Tag}: {r.Describe()}");
        }
    }
}
