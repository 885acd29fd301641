using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.Sim;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

public class CampaignTests(ITestOutputHelper output)
{
    // The CI campaign: a fixed seed (override with BIT1HW_SEED to explore), a few hundred random cases
    // and every directed case over six configurations. It must find zero mismatches, and its coverage
    // must show on every configuration: the accumulator's top bit toggled and needed, both maxK bounds
    // reached, every accumulator and PE-output bit toggled, every imem/wmem/amem word reached with a
    // carry into the top address bit, and the wmem/amem pointers wrapped.
    [ToolFact("verilator")]
    public void Fixed_seed_campaign_over_six_configurations_finds_no_mismatch_and_reaches_the_accumulator_bounds_and_memory_depths()
    {
        int seed = TestSeed.Seed(20261122, output);
        var log = new TestWriter(output);
        var designs = CaseGenerator.Configs(seed, 6).Select(c => DesignUnderTest.Build(c, log)).ToList();
        CampaignResult r = Campaign.Run(seed, 300, designs, log);
        output.WriteLine($"{r.Cases} cases, {r.CyclesCompared} cycles compared, {r.Elapsed.TotalSeconds:F1} s");
        foreach (var line in r.Coverage.SelectMany(CoverageText.Lines)) output.WriteLine(line);
        Assert.Equal(300 + 6 * DirectedCases.Kinds.Count, r.Cases);
        Assert.Equal(6 * DirectedCases.Kinds.Count, r.DirectedCases);
        Assert.True(r.Passed, string.Join("\n", r.Failures.Select(Campaign.Describe)));
        Assert.All(r.Coverage, c =>
        {
            Assert.True(c.TopBitToggled, $"{c.Config}: the accumulator's top bit never toggled");
            Assert.True(c.Accumulator.PositiveBoundReached && c.Accumulator.NegativeBoundReached, $"{c.Config}: a maxK bound was not reached");
            Assert.True(c.TopBitNeeded, $"{c.Config}: no accumulator value needed the top bit");
            Assert.Empty(c.Accumulator.Untoggled);
            Assert.Empty(c.PeOutput.Untoggled);
            foreach (MemoryCoverage m in c.Memories.Where(m => m.Memory != "omem"))
            {
                Assert.True(m.Distinct == m.Depth, $"{c.Config}: {m.Memory} reached {m.Distinct} of {m.Depth} words");
                Assert.True(m.CarryIntoTopBit, $"{c.Config}: no {m.Memory} increment carried into the top address bit");
                Assert.True(m.Memory == "imem" || m.Wrapped == true, $"{c.Config}: the {m.Memory} pointer never wrapped");
            }
        });
    }

    [Fact]
    public void Campaign_configurations_cover_odd_sizes_both_activation_widths_and_the_mac_baseline()
    {
        var cfgs = CaseGenerator.Configs(20261122, 6);
        Assert.Equal(HardwareConfig.Default, cfgs[0]);
        Assert.Contains(cfgs, c => c.Lanes % 2 == 1);
        Assert.Contains(cfgs, c => c.Rows % 2 == 1);
        Assert.Contains(cfgs, c => c.ActBits == 4);
        Assert.Contains(cfgs, c => c.Pe == PeKind.Mac);
        Assert.Equal(6, cfgs.Select(c => c.Tag).Distinct().Count());
    }

    [Fact]
    public void Core_reference_and_scalar_sum_agree_on_campaign_layers()
    {
        var cfg = CaseGenerator.Configs(20261122, 6)[2];
        foreach (CaseKind kind in Campaign.RandomKinds.Where(k => k < CaseKind.RandomProgram))
        {
            var (layer, _) = Campaign.MakeCase(cfg, 99, kind);
            Assert.Equal(Reference.Scalar(layer), Reference.Accumulators(layer, cfg));
        }
    }

    [Fact]
    public void Extreme_cases_reach_the_accumulator_bounds()
    {
        var cfg = HardwareConfig.Default;
        var (layer, _) = Campaign.MakeCase(cfg, 7, CaseKind.MinusOneTimesMinActivation);
        long[] acc = Reference.Scalar(layer);
        Assert.All(acc, a => Assert.Equal((long)layer.Shape.InFeatures << (cfg.ActBits - 1), a));
        (layer, _) = Campaign.MakeCase(cfg, 7, CaseKind.PlusOneTimesMinActivation);
        Assert.All(Reference.Scalar(layer), a => Assert.Equal(-((long)layer.Shape.InFeatures << (cfg.ActBits - 1)), a));
    }
}

// A cross-check that cannot fail is worth nothing: each deliberate bug, in the generated RTL or in
// the simulator, must make a small campaign on the default design report a mismatch.
public class FaultInjectionTests(ITestOutputHelper output)
{
    private const int Seed = 4242;

    // Odd lanes, so the adder tree has an element that passes a level unchanged (DropOddTreeElement
    // cannot show on a power-of-two tree). Taken from the CI campaign's configurations, so its
    // Verilator model is shared with that test through the cache.
    internal static HardwareConfig OddConfig =>
        CaseGenerator.Configs(20261122, 6).First(c => c.Lanes % 2 == 1 && c.Lanes > 2 && c.Pe == PeKind.Ternary);

    private CampaignResult RunWith(GeneratorFaults rtl, SimFault sim, HardwareConfig? cfg = null)
    {
        var log = new TestWriter(output);
        var design = DesignUnderTest.Build(cfg ?? HardwareConfig.Default, log, rtl, sim);
        var r = Campaign.Run(Seed, 14, [design], log, maxFailures: 1);
        foreach (var f in r.Failures) output.WriteLine("caught: " + Campaign.Describe(f));
        return r;
    }

    [ToolTheory("verilator")]
    [InlineData(GeneratorFaults.FlipWeightDecode, "mismatch")]
    [InlineData(GeneratorFaults.DropPipelineRegister, "dbg_acc_en")]
    [InlineData(GeneratorFaults.RepeatCounterOffByOne, "port mismatch")]
    internal void Rtl_fault_is_caught(GeneratorFaults fault, string evidence)
    {
        var r = RunWith(fault, SimFault.None);
        Assert.False(r.Passed, $"RTL fault {fault} was not caught");
        Assert.Contains(evidence, r.Failures[0].What);
    }

    [ToolTheory("verilator")]
    [InlineData(SimFault.ExtraPipelineRegister)]
    [InlineData(SimFault.DropOddTreeElement)]
    [InlineData(SimFault.ClrIgnoresLandingTile)]
    internal void Simulator_fault_is_caught(SimFault fault)
    {
        var r = RunWith(GeneratorFaults.None, fault, OddConfig);
        Assert.False(r.Passed, $"simulator fault {fault} was not caught on {OddConfig.Tag}");
    }

    [ToolFact("verilator")]
    public void Without_faults_the_same_small_campaign_passes()
    {
        Assert.True(RunWith(GeneratorFaults.None, SimFault.None).Passed);
        Assert.True(RunWith(GeneratorFaults.None, SimFault.None, OddConfig).Passed);
    }
}

public class CampaignOrderTests
{
    [Fact]
    public void Case_numbers_locate_their_configuration_and_case_in_run_order()
    {
        // 10 cases over 3 configurations: shares 4, 3, 3.
        Assert.Equal([4, 3, 3], Enumerable.Range(0, 3).Select(d => Campaign.Share(10, 3, d)));
        Assert.Equal((0, 0), Campaign.Locate(10, 3, 0, directed: false));
        Assert.Equal((0, 3), Campaign.Locate(10, 3, 3, directed: false));
        Assert.Equal((1, 0), Campaign.Locate(10, 3, 4, directed: false));
        Assert.Equal((2, 2), Campaign.Locate(10, 3, 9, directed: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Campaign.Locate(10, 3, 10, directed: false));
        // With directed cases each configuration numbers its 8 directed cases first (Plan's index).
        Assert.Equal(10 + 3 * 8, Campaign.TotalCases(10, 3));
        Assert.Equal((0, 11), Campaign.Locate(10, 3, 11));
        Assert.Equal((1, 0), Campaign.Locate(10, 3, 12));
        Assert.Equal((2, 8 + 2), Campaign.Locate(10, 3, 33));
        Assert.Equal(("d7", CaseKind.ProgramFillsImem), Pick(Campaign.Plan(5, 0, 7)));
        Assert.Equal(("0", Campaign.KindOf(0)), Pick(Campaign.Plan(5, 0, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Campaign.Locate(10, 3, 34));
    }

    [Fact]
    public void A_64_bit_seed_below_2_to_the_32_gives_the_same_cases_and_configurations_as_the_int_seed()
    {
        foreach (int seed in new[] { 0, 11, 20261122, int.MaxValue })
        {
            Assert.Equal(Campaign.CaseSeed(seed, 3, 17), Campaign.CaseSeed((ulong)seed, 3, 17));
            Assert.Equal(CaseGenerator.Configs(seed, 4), CaseGenerator.Configs((ulong)seed, 4));
        }
        Assert.NotEqual(Campaign.CaseSeed(5UL, 0, 0), Campaign.CaseSeed(5UL | (1UL << 40), 0, 0));
    }

    private static (string, CaseKind) Pick((string Name, int CaseSeed, CaseKind Kind) p) => (p.Name, p.Kind);

    [ToolFact("verilator")]
    public void Each_design_is_built_only_when_its_cases_are_about_to_run()
    {
        var cfgs = CaseGenerator.Configs(20261122, 2);
        var events = new List<string>();
        CampaignResult r = Campaign.Run(20261122UL, 4, 2, d =>
        {
            events.Add($"build {d}");
            return DesignUnderTest.Build(cfgs[d]);
        }, TextWriter.Null, onCase: c => events.Add($"case {c.Number} of {c.Config}"), directed: false);
        Assert.True(r.Passed);
        Assert.Equal(["build 0", "case 0 of 0", "case 1 of 0", "build 1", "case 2 of 1", "case 3 of 1"], events);
    }
}
