using Bit1HW.Core.Hardware;
using Bit1HW.Sim;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

public class StreamCoSimTests(ITestOutputHelper output)
{
    // The CI campaign of streaming engines: three configurations (two words per beat, a word over four
    // beats at the smallest ring, base3) × four memories (the timing model, a slower one, a fractional
    // rate, random backpressure) × twenty seeded layers, every one three ways with the protocol checker on.
    [ToolFact("verilator")]
    public void Fixed_seed_streaming_campaign_over_three_configurations_and_four_memories_finds_no_mismatch()
    {
        int seed = TestSeed.Seed(20261130, output);
        var log = new TestWriter(output);
        var designs = StreamCampaign.Configs().Select(c => DesignUnderTest.Build(c, log)).ToList();
        CampaignResult r = StreamCampaign.Run(seed, 20, designs, log);
        output.WriteLine($"{r.Cases} cases, {r.CyclesCompared} cycles compared, {r.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(3 * 4 * 20, r.Cases);
        Assert.True(r.Passed, string.Join("\n", r.Failures.Select(Campaign.Describe)));
    }

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
