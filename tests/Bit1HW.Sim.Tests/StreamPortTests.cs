using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Tests;

/// <summary>The streaming ports and instructions at the edges of the contract: host-fed engines, SETW, restarts.</summary>
public class StreamPortTests
{
    [Fact]
    public void A_host_fed_engine_runs_SETS_and_LOAD_as_one_cycle_no_ops_and_shows_no_streaming_outputs()
    {
        HardwareConfig c = TestLayers.Config(16, 2, 8, 1, PeKind.Ternary);
        uint[] prog = Assembler.Assemble("SETS 5\nLOAD 3\nNOP 4\nHALT\n");
        var e = new Engine(c);
        e.Step(new TopInputs(Rst: true));
        for (int i = 0; i < prog.Length; i++) e.Step(new TopInputs(HostWe: true, HostSel: 0, HostAddr: (uint)i, HostWData: [prog[i]]));
        var outputs = new List<TopOutputs> { e.Step(new TopInputs(Start: true, ArReady: true)) };
        while (e.Busy) outputs.Add(e.Step(new TopInputs(ArReady: true)));
        Assert.Equal(2 + 1 + 1 + 4 + 1, outputs.Count - 1);
        Assert.All(outputs, o => Assert.Equal(new TopOutputs(o.Busy, o.Done, o.HostRData, o.DbgPc, o.DbgAccEn), o));
    }

    [Fact]
    public void SETW_is_a_no_op_on_a_streaming_engine_which_reads_the_ring_in_stream_order()
    {
        HardwareConfig c = StreamImages.Config(16, 4, 128, 4, 2, WeightPacking.TwoBit, 16);
        Layer layer = TestLayers.Make(new SplitMix64(21), new Workload(1, 4, 64), c, 0);
        ProgramImage image = StreamImages.Image(c, layer);
        // A SETW 7 in place of the SETA 0 (SETA 0 is what reset left anyway): the sums do not move.
        uint[] prog = (uint[])image.Instructions.Clone();
        int seta = Array.FindIndex(prog, w => Isa.OpcodeOf(w) == Opcode.SetA);
        prog[seta] = ((uint)Opcode.SetW << Isa.OperandBits) | 7;
        var withSetw = new ProgramImage(c, prog, image.Weights, image.Activations, image.Workload, image.OutputWord, image.OutputRow,
            image.PredictedCycles, image.External, image.WeightBase);
        SimResult r = Simulator.Run(withSetw, MemoryModel.Default, SimPath.CycleByCycle);
        Assert.Equal(-1, TestLayers.FirstDifference(TestLayers.Reference(layer), r.Acc));
        Assert.Equal(r.Acc, Simulator.Run(withSetw).Acc);
    }

    [Fact]
    public void A_second_start_restarts_the_stream_and_clears_axi_error()
    {
        HardwareConfig c = StreamImages.Config(16, 4, 128, 4, 2, WeightPacking.TwoBit, 16);
        Layer layer = TestLayers.Make(new SplitMix64(22), new Workload(1, 8, 64), c, 0);
        ProgramImage image = StreamImages.Image(c, layer, bytes => bytes[..^16]);   // the last beat comes back DECERR
        var e = new Engine(c);
        e.Step(new TopInputs(Rst: true));
        for (int i = 0; i < image.Instructions.Length; i++)
            e.Step(new TopInputs(HostWe: true, HostSel: 0, HostAddr: (uint)i, HostWData: [image.Instructions[i]]));
        for (int w = 0; w < image.Activations.WrittenWords; w++)
            e.Step(new TopInputs(HostWe: true, HostSel: 2, HostAddr: (uint)w, HostWData: image.Activations.Word(w).ToArray()));
        var slave = new MemorySlave(c, image.External!, MemoryModel.Nominal(new MemoryTiming(7)));
        var idle = new TopInputs(WeightBase: image.WeightBase);
        (long Cycles, bool ErrorAtStart, bool ErrorAtEnd, long Received) Run()
        {
            Step(idle with { Start = true });
            bool atStart = e.Outputs.AxiError;
            long cycles = 0;
            while (e.Busy) { Step(idle); cycles++; }
            return (cycles, atStart, e.Outputs.AxiError, e.StreamWordsReceived);
        }
        void Step(in TopInputs input)
        {
            TopOutputs before = e.Outputs;
            e.Step(slave.Drive(input));
            slave.Clock(before);
        }
        var first = Run();
        var second = Run();
        Assert.Equal((false, true), (first.ErrorAtStart, first.ErrorAtEnd));
        Assert.Equal(first, second);
    }
}
