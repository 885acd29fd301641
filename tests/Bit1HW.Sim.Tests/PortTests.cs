using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Sim.Tests;

public class PortTests
{
    private static uint[] Program(string asm) => Assembler.Assemble(asm);

    /// <summary>Resets, loads imem and one wmem/amem word through the host port, and pulses start.</summary>
    private static Engine Boot(HardwareConfig c, uint[] program, uint[] weightWord, uint[] actWord, SimFault fault = SimFault.None)
    {
        var e = new Engine(c, fault);
        e.Step(new TopInputs(Rst: true));
        for (int i = 0; i < program.Length; i++)
            e.Step(new TopInputs(HostWe: true, HostSel: 0, HostAddr: (uint)i, HostWData: [program[i]]));
        e.Step(new TopInputs(HostWe: true, HostSel: 1, HostAddr: 0, HostWData: weightWord));
        e.Step(new TopInputs(HostWe: true, HostSel: 2, HostAddr: 0, HostWData: actWord));
        TopOutputs after = e.Step(new TopInputs(Start: true));
        Assert.True(after.Busy);
        return e;
    }

    /// <summary>Busy-cycle index (0 and 1 = fetch) of every cycle with dbg_acc_en = 1, and the busy cycle count.</summary>
    private static (List<int> AccEn, int Busy) Trace(Engine e, int extra)
    {
        var accEn = new List<int>();
        int cycle = 0, busy = 1;
        for (; cycle < 200 && (e.Busy || extra-- > 0); cycle++)
        {
            if (e.Outputs.DbgAccEn) accEn.Add(cycle);
            TopOutputs o = e.Step(new TopInputs());
            if (o.Busy) busy++;
        }
        return (accEn, busy);
    }

    // The numbers below are written from docs/hardware.md, "Timing": busy cycles 0 and 1 fetch
    // (FetchCycles = 2), instruction 0 executes from busy cycle 2, N = 2 + Σ cycles.

    [Theory]
    [InlineData(16, 2)]
    [InlineData(16, 1)]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(256, 2)]
    [InlineData(5, 64)]
    public void A_tile_read_in_cycle_t_is_added_exactly_in_cycle_t_plus_1_plus_L(int lanes, int pipeEvery)
    {
        HardwareConfig c = TestLayers.Config(lanes, 2, 8, pipeEvery, PeKind.Ternary);
        int latency = 1 + (Widths.CeilLog2(lanes) + pipeEvery - 1) / pipeEvery;   // the term register + the tree's
        Assert.Equal(latency, c.PeLatencyCycles);
        // Instruction 3 (MAC 1) executes in busy cycle 5: cycles 0, 1 fetch, instructions 0..2 take cycles 2..4.
        uint[] prog = Program("SETW 0\nSETA 0\nCLR\nMAC 1\nNOP 20\nHALT\n");
        Engine e = Boot(c, prog, new uint[MemoryImage.LimbCount(c.WeightWordBits)], new uint[MemoryImage.LimbCount(c.ActWordBits)]);
        var (accEn, busy) = Trace(e, 0);
        Assert.Equal([5 + 1 + latency], accEn);
        Assert.Equal(2 + 1 + 1 + 1 + 1 + 20 + 1, busy);
    }

    [Fact]
    public void The_latency_fault_moves_dbg_acc_en_by_one_cycle()
    {
        HardwareConfig c = TestLayers.Config(16, 2, 8, 2, PeKind.Ternary);
        uint[] prog = Program("SETW 0\nSETA 0\nCLR\nMAC 1\nNOP 20\nHALT\n");
        Engine e = Boot(c, prog, new uint[2], new uint[4], SimFault.ExtraPipelineRegister);
        Assert.Equal([5 + 2 + c.PeLatencyCycles], Trace(e, 0).AccEn);
    }

    [Fact]
    public void Dbg_pc_is_0_in_both_fetch_cycles_and_each_instruction_holds_it_for_its_cycles()
    {
        HardwareConfig c = TestLayers.Config(2, 2, 8, 1, PeKind.Ternary);
        Engine e = Boot(c, Program("NOP 3\nCLR\nNOP 2\nHALT"), [0], [0]);
        var pcs = new List<uint> { e.Outputs.DbgPc };
        while (e.Busy) pcs.Add(e.Step(new TopInputs()).DbgPc);
        // busy cycles 0..8 (N = 2 + 3 + 1 + 2 + 1 = 9), then the first idle cycle keeps HALT's index.
        Assert.Equal([0u, 0, 0, 0, 0, 1, 2, 2, 3, 3], pcs);
        Assert.True(e.Done);
    }

    [Fact]
    public void Nop_and_mac_counts_wrap_modulo_2_to_the_repeat_bits_and_a_zero_count_mac_reads_nothing()
    {
        // weightDepth = actDepth = 8: RepeatBits = 3 + 1 = 4, counts are used modulo 16.
        HardwareConfig c = new HardwareConfig { Lanes = 2, Rows = 1, WeightDepth = 8, ActDepth = 8, OutDepth = 4, InstrDepth = 16, MaxK = 16 }.Validate();
        Assert.Equal(4, c.RepeatBits);
        // MAC 16 (count 0): one cycle, no tile, no pointer move. MAC 17 (count 1): one tile.
        // NOP 16: one cycle; NOP 20: four. OUT executes in busy cycle 10 ≥ 4 + 2 + L (L = 2).
        Engine e = Boot(c, Program("CLR\nMAC 16\nMAC 17\nNOP 16\nNOP 20\nOUT 0\nHALT"), [0b0101], [3u | 4u << 8]);
        var (accEn, busy) = Trace(e, 2);
        Assert.Equal(2 + 1 + 1 + 1 + 1 + 4 + 1 + 1, busy);
        Assert.Equal([4 + 1 + 2], accEn);   // only MAC 17's tile, read in cycle 4
        Assert.Equal(1u, e.WeightPointer);
        Assert.Equal(1u, e.ActivationPointer);
        e.Step(new TopInputs(HostRAddr: 0, HostRRow: 0));
        Assert.Equal(7, e.Outputs.HostRData);
    }

    [Fact]
    public void Out_stores_the_accumulators_and_the_host_reads_them_one_cycle_later()
    {
        // lanes 2, rows 2: weights row0 = (+1, -1), row1 = (-1, 0); activations (5, -128).
        HardwareConfig c = TestLayers.Config(2, 2, 8, 1, PeKind.Ternary);
        uint w = 0b01 | 0b11u << 2 | 0b11u << 4 | 0b00u << 6;
        uint a = 5u | 0x80u << 8;   // -128 in 8 bits
        Engine e = Boot(c, Program("CLR\nMAC 1\nNOP 3\nOUT 7\nHALT"), [w], [a]);
        Trace(e, 2);
        Assert.True(e.Done);
        Assert.False(e.Busy);
        e.Step(new TopInputs(HostRAddr: 7, HostRRow: 0));
        Assert.Equal(5 + 128, e.Outputs.HostRData);
        TopOutputs o = e.Step(new TopInputs(HostRAddr: 7, HostRRow: 1));
        Assert.Equal(-5, o.HostRData);
    }

    [Fact]
    public void Start_while_busy_is_ignored_and_done_stays_until_the_next_start()
    {
        HardwareConfig c = TestLayers.Config(2, 2, 8, 1, PeKind.Ternary);
        Engine e = Boot(c, Program("NOP 5\nHALT"), [0], [0]);
        for (int i = 0; i < 3; i++) Assert.True(e.Step(new TopInputs(Start: true)).Busy);
        int busyCycles = 4;   // two fetch cycles + 2 cycles of NOP 5 so far
        while (e.Step(new TopInputs()).Busy) busyCycles++;
        Assert.Equal(2 + 5 + 1, busyCycles);
        Assert.Equal(1u, e.Outputs.DbgPc);   // keeps HALT's index
        for (int i = 0; i < 3; i++) Assert.True(e.Step(new TopInputs()).Done);
        TopOutputs restarted = e.Step(new TopInputs(Start: true));
        Assert.True(restarted.Busy);
        Assert.False(restarted.Done);
        Assert.Equal(0u, restarted.DbgPc);
    }

    [Fact]
    public void Clr_in_the_landing_cycle_keeps_only_the_landing_tile()
    {
        // L = 2 (lanes 2: the term register and level 1): MAC issued in cycle 3 lands in cycle 6; CLR executes in cycle 6.
        HardwareConfig c = TestLayers.Config(2, 1, 8, 1, PeKind.Ternary);
        Engine e = Boot(c, Program("CLR\nMAC 1\nNOP 2\nCLR\nNOP 2\nOUT 0\nHALT"), [0b0101], [3u | 4u << 8]);
        Trace(e, 2);
        e.Step(new TopInputs(HostRAddr: 0, HostRRow: 0));
        Assert.Equal(7, e.Outputs.HostRData);
    }

    [Theory]
    [InlineData(0x8000_0000u, 1, "undefined opcode 0x8")]
    [InlineData(0x3000_0000u, 1, "MAC 0")]
    [InlineData(0x0000_0000u, 1, "NOP 0")]
    [InlineData(0x3000_2000u, 1, "MAC 8192: the count is at least 2^RepeatBits = 8192")]   // weightDepth 4096: RepeatBits 13
    public void A_corrupt_instruction_stream_is_rejected_naming_the_instruction(uint bad, int index, string problem)
    {
        HardwareConfig c = TestLayers.Config(16, 4, 8, 2, PeKind.Ternary);
        ProgramImage good = LayerCompiler.Compile(TestLayers.Make(new SplitMix64(1), new Workload(1, 4, 16), c, 0), c).Image;
        uint[] words = (uint[])good.Instructions.Clone();
        words[index] = bad;
        var e = Assert.Throws<UserInputException>(() => Simulator.Run(WithProgram(good, words)));
        Assert.Contains($"instruction {index}", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_program_without_halt_is_rejected()
    {
        HardwareConfig c = TestLayers.Config(16, 4, 8, 2, PeKind.Ternary);
        ProgramImage good = LayerCompiler.Compile(TestLayers.Make(new SplitMix64(1), new Workload(1, 4, 16), c, 0), c).Image;
        uint[] words = good.Instructions[..^1];
        var e = Assert.Throws<UserInputException>(() => Simulator.Run(WithProgram(good, words)));
        Assert.Contains("missing HALT", e.Message);
    }

    internal static ProgramImage WithProgram(ProgramImage p, uint[] words) =>
        new(p.Config, words, p.Weights, p.Activations, p.Workload, p.OutputWord, p.OutputRow, p.PredictedCycles);
}

public class ImageShapeTests
{
    [Fact]
    public void An_image_whose_memories_disagree_with_its_config_is_rejected()
    {
        HardwareConfig c = TestLayers.Config(16, 4, 8, 2, PeKind.Ternary);
        ProgramImage good = LayerCompiler.Compile(TestLayers.Make(new SplitMix64(1), new Workload(1, 4, 16), c, 0), c).Image;
        HardwareConfig other = c with { Rows = 2 };
        var e = Assert.Throws<UserInputException>(() => new ProgramImage(other, good.Instructions, good.Weights, good.Activations,
            good.Workload, good.OutputWord, good.OutputRow, good.PredictedCycles));
        Assert.Contains("weights", e.Message);
        Assert.Contains("the config has 4096 × 64", e.Message);
    }
}
