using Bit1HW.Sim;
using Bit1HW.Core.Hardware;

namespace Bit1HW.CoSim.Tests;

public class LockstepTests
{
    // A model that is busy for `runCycles` edges after start and reports pc = cycles since start;
    // `faultCycle` makes it report a wrong dbg_pc on that edge.
    private sealed class CountingModel(string name, int runCycles, int faultCycle = -1) : ITopModel
    {
        private int _cycle, _sinceStart = -1;
        public string Name => name;
        public TopOutputs Step(in TopInputs i)
        {
            int c = _cycle++;
            if (i.Start && _sinceStart < 0) _sinceStart = 0;
            else if (_sinceStart >= 0) _sinceStart++;
            bool busy = _sinceStart >= 0 && _sinceStart < runCycles;
            uint pc = (uint)Math.Max(0, _sinceStart) + (c == faultCycle ? 1u : 0u);
            return new TopOutputs(busy, _sinceStart >= runCycles, (int)i.HostRAddr * 10 + (int)i.HostRRow, pc, false);
        }
        public void Dispose() { }
    }

    private static HostScript Script(long predicted) => HostScript.Build(HardwareConfig.Default,
        [0xF000_0000u], [new uint[] { 1, 2 }], [new uint[] { 3 }], predicted, [(5, 1), (7, 3)]);

    [Fact]
    public void Script_loads_every_memory_then_starts_then_reads()
    {
        var s = Script(predicted: 10);
        Assert.Equal(HostScript.ResetCycles, s.Cycles.TakeWhile(c => c.Rst).Count());
        var writes = s.Cycles.Where(c => c.HostWe).ToList();
        Assert.Equal(new[] { 0, 1, 2 }, writes.Select(w => w.HostSel));
        Assert.Equal(0xF000_0000u, writes[0].HostWData![0]);
        Assert.Equal(4, writes[1].HostWData!.Length);          // default config: 128-bit host port
        Assert.Equal(new uint[] { 1, 2, 0, 0 }, writes[1].HostWData);
        Assert.True(s.Cycles[s.StartCycle].Start);
        Assert.Equal(s.StartCycle + 1 + 10 + HostScript.RunSlackCycles, s.Reads[0].Cycle);
    }

    [Fact]
    public void Agreeing_models_report_busy_cycles_and_read_values()
    {
        var r = Lockstep.Run(Script(10), [new CountingModel("a", 10), new CountingModel("b", 10)]);
        Assert.Null(r.FirstMismatch);
        Assert.All(r.Runs, run => Assert.Equal(10, run.BusyCycles));
        Assert.Equal(new[] { 51, 73 }, r.Runs[1].ReadValues);
    }

    [Fact]
    public void First_disagreement_names_the_cycle_the_port_and_both_values()
    {
        var s = Script(10);
        int fault = s.StartCycle + 4;
        var r = Lockstep.Run(s, [new CountingModel("sim", 10), new CountingModel("rtl", 10, faultCycle: fault)]);
        Assert.NotNull(r.FirstMismatch);
        Assert.Equal(fault, r.FirstMismatch!.Cycle);
        Assert.Equal("dbg_pc", r.FirstMismatch.Port);
        Assert.Equal("4", r.FirstMismatch.ValueA);
        Assert.Equal("5", r.FirstMismatch.ValueB);
        Assert.Equal(fault + 1, r.CyclesRun);
    }

    [Fact]
    public void A_model_that_runs_one_cycle_longer_is_caught_on_the_busy_port()
    {
        var s = Script(10);
        var r = Lockstep.Run(s, [new CountingModel("sim", 10), new CountingModel("rtl", 11)]);
        Assert.Equal("busy", r.FirstMismatch!.Port);
        Assert.Equal(s.StartCycle + 10, r.FirstMismatch.Cycle);
    }
}
