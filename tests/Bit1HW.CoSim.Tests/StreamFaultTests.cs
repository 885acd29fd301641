using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.Sim;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

public class StreamFaultTests(ITestOutputHelper output)
{
    private const int Seed = 20261130;

    private static (Layer, ProgramImage) Case(HardwareConfig cfg) => Campaign.MakeCase(cfg, Campaign.CaseSeed(Seed, 0, 1), CaseKind.Random);

    /// <summary>Arready withheld in most cycles, so the address waits for the handshake again and again.</summary>
    private static MemoryModel Backpressure => new MemoryModel(new MemoryTiming(4), ArReadyGapPercent: 60, RValidGapPercent: 10, Seed: 7);

    [ToolTheory("verilator")]
    [InlineData(GeneratorFaults.StreamArvalidNotHeld, "ARVALID fell before ARREADY")]
    [InlineData(GeneratorFaults.StreamAddressUnstable, "the AR payload changed while waiting for ARREADY")]
    [InlineData(GeneratorFaults.StreamBurstLengthOffByOne, "ARLEN = ")]
    public void The_protocol_checker_alone_catches_a_planted_AXI_master_fault(GeneratorFaults fault, string rule)
    {
        HardwareConfig cfg = StreamCampaign.Configs()[0];
        DesignUnderTest design = DesignUnderTest.Build(cfg, new TestWriter(output), rtlFaults: fault);
        var (layer, image) = Case(cfg);
        // The RTL alone (no simulator to compare ports with) drives the slave: only the checker can see the fault.
        using var rtl = design.NewVerilator();
        CaseReport r = CoSimulation.RunCase(layer, image, [rtl], Backpressure);
        output.WriteLine(r.Describe());
        Assert.NotNull(r.Lockstep.Protocol);
        Assert.Contains(rule, r.Lockstep.Protocol!.Rule);
        Assert.Equal("verilator", r.Lockstep.Protocol.Model);
    }

    [ToolTheory("verilator")]
    [InlineData(GeneratorFaults.StreamStallMissesStarvedMac, "dbg_stall")]
    [InlineData(GeneratorFaults.StreamPipelineNotFrozen, "dbg_acc_en")]
    public void The_port_comparison_catches_a_planted_stall_fault(GeneratorFaults fault, string port)
    {
        HardwareConfig cfg = StreamCampaign.Configs()[0];
        DesignUnderTest design = DesignUnderTest.Build(cfg, new TestWriter(output), rtlFaults: fault);
        var (layer, image) = Case(cfg);
        using var sim = design.NewSimulator();
        using var rtl = design.NewVerilator();
        CaseReport r = CoSimulation.RunCase(layer, image, [sim, rtl], MemoryModel.Slower(new MemoryTiming(6)));
        output.WriteLine(r.Describe());
        Assert.False(r.Agrees);
        Assert.Equal(port, r.Lockstep.FirstMismatch?.Port);
    }

    [Fact]
    public void The_checker_reports_a_beat_that_no_burst_asked_for()
    {
        var checker = new AxiProtocolChecker(StreamCampaign.Configs()[0], "slave under test");
        var master = new TopOutputs(Busy: true, Done: false, HostRData: 0, DbgPc: 0, DbgAccEn: false, RReady: true, ArLen: 3, ArSize: 4, ArBurst: 1);
        checker.Cycle(master, new TopInputs { ArReady = true });
        checker.Cycle(master, new TopInputs { RValid = true, RData = new uint[4] });
        Assert.Equal(1, checker.Violation?.Cycle);
        Assert.Contains("no outstanding burst", checker.Violation!.Rule);
    }

    [Theory]
    [InlineData(2, true)]   // RLAST on the third beat of a four-beat burst
    [InlineData(3, false)]  // no RLAST on the fourth
    public void The_checker_reports_RLAST_anywhere_but_the_last_beat(int beat, bool rlast)
    {
        var checker = new AxiProtocolChecker(StreamCampaign.Configs()[0], "slave under test");
        var idle = new TopOutputs(Busy: true, Done: false, HostRData: 0, DbgPc: 0, DbgAccEn: false, RReady: true, ArLen: 3, ArSize: 4, ArBurst: 1);
        checker.Cycle(idle with { ArValid = true, ArAddr = 0x1000 }, new TopInputs { ArReady = true });
        for (int b = 0; b < 4; b++)
            checker.Cycle(idle, new TopInputs { RValid = true, RData = new uint[4], RLast = b == beat ? rlast : b == 3 });
        Assert.Equal(1 + beat, checker.Violation?.Cycle);
        Assert.Contains($"on beat {beat} of a 4-beat burst", checker.Violation!.Rule);
    }

    [Fact]
    public void The_checker_accepts_a_well_formed_run_of_two_bursts()
    {
        var checker = new AxiProtocolChecker(StreamCampaign.Configs()[0], "slave under test");
        var idle = new TopOutputs(Busy: true, Done: false, HostRData: 0, DbgPc: 0, DbgAccEn: false, RReady: true, ArLen: 3, ArSize: 4, ArBurst: 1);
        checker.Cycle(idle with { ArValid = true, ArAddr = 0x40 }, new TopInputs { ArReady = false });
        checker.Cycle(idle with { ArValid = true, ArAddr = 0x40 }, new TopInputs { ArReady = true });
        checker.Cycle(idle with { ArValid = true, ArAddr = 0x80 }, new TopInputs { ArReady = true });
        int beat = 0;
        for (int c = 0; c < 9; c++)
        {
            bool valid = c != 5; // one cycle without a beat
            checker.Cycle(idle, new TopInputs { RValid = valid, RData = new uint[4], RLast = valid && beat % 4 == 3 });
            if (valid) beat++;
        }
        Assert.Equal(8, beat);
        Assert.Null(checker.Violation);
    }
}
