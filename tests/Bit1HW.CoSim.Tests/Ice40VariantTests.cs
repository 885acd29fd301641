using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.Sim;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

// The ice40-up5k RTL (memory words in SB_SPRAM256KA, optionally SB_MAC16 accumulators) must be
// invisible at the ports: the unchanged C# simulator and the reference agree with it on every port,
// every cycle, under Verilator with the generated cell models. Each variant-specific fault must be caught.
public class Ice40VariantTests(ITestOutputHelper output)
{
    private const int Seed = 20261130;
    private static readonly RtlVariant Spram = new(RtlTarget.Ice40Up5k);
    private static readonly RtlVariant SpramMac16 = new(RtlTarget.Ice40Up5k, AccumulatorKind.Mac16);

    // The default configuration needs one SPRAM (under wmem, beside its block RAMs), the iCEBreaker one
    // all four (two for imem, two under wmem); the odd campaign configuration fits the block RAMs, so it
    // checks the SB_MAC16 accumulators alone.
    public static TheoryData<string, string> Designs() => new()
    {
        { "default", "fabric" }, { "icebreaker", "fabric" }, { "icebreaker", "mac16" }, { "odd", "mac16" },
    };

    private static HardwareConfig Config(string name) => name switch
    {
        "default" => HardwareConfig.Default,
        "odd" => FaultInjectionTests.OddConfig,
        "icebreaker" => RtlVariant.IceBreaker,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private CampaignResult RunWith(HardwareConfig cfg, RtlVariant variant, GeneratorFaults rtl, int cases)
    {
        var log = new TestWriter(output);
        var design = DesignUnderTest.Build(cfg, log, rtl, SimFault.None, variant: variant);
        var r = Campaign.Run(Seed, cases, [design], log, maxFailures: 1);
        foreach (var f in r.Failures) output.WriteLine("caught: " + Campaign.Describe(f));
        return r;
    }

    [ToolTheory("verilator")]
    [MemberData(nameof(Designs))]
    public void Ice40_up5k_rtl_agrees_with_the_simulator_on_every_port_every_cycle(string config, string accumulators)
    {
        HardwareConfig cfg = Config(config);
        RtlVariant variant = accumulators == "mac16" ? SpramMac16 : Spram;
        Assert.Equal(config == "odd" ? 0 : 1, Math.Sign(MemoryPlan.For(cfg, RtlTarget.Ice40Up5k).Sum(p => p.Sprams)));
        var r = RunWith(cfg, variant, GeneratorFaults.None, cases: 14);
        Assert.Equal(14, r.Cases - r.DirectedCases);   // the random cases, after the configuration's directed ones
        Assert.True(r.Passed, string.Join("\n", r.Failures.Select(Campaign.Describe)));
    }

    [ToolFact("verilator")]
    public void An_spram_that_always_gets_the_write_address_is_caught()
    {
        var r = RunWith(HardwareConfig.Default, Spram, GeneratorFaults.SpramWriteAddressOnly, cases: 14);
        Assert.False(r.Passed, "SPRAM address fault was not caught");
    }

    [ToolFact("verilator")]
    public void A_mac16_accumulator_cleared_one_cycle_late_is_caught()
    {
        var r = RunWith(FaultInjectionTests.OddConfig, SpramMac16, GeneratorFaults.LateAccumulatorClear, cases: 14);
        Assert.False(r.Passed, "late SB_MAC16 clear was not caught");
    }
}
