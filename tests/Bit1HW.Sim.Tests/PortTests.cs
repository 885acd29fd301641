using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

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

    /// <summary>Busy-cycle index (0 = fetch) of every cycle with dbg_acc_en = 1, and the busy cycle count.</summary>
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

    [Theory]
    [InlineData(16, 2)]
    [InlineData(16, 1)]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(256, 2)]
    public void A_tile_read_in_cycle_t_is_added_exactly_in_cycle_t_plus_1_plus_L(int lanes, int pipeEvery)
    {
        HardwareConfig c = TestLayers.Config(lanes, 2, 8, pipeEvery, PeKind.Ternary);
        // Instruction 3 (MAC 1) executes in busy cycle 4: cycle 0 fetches, instructions 0..2 take cycles 1..3.
        uint[] prog = Program("SETW 0\nSETA 0\nCLR\nMAC 1\nNOP 20\nHALT\n");
        Engine e = Boot(c, prog, new uint[MemoryImage.LimbCount(c.WeightWordBits)], new uint[MemoryImage.LimbCount(c.ActWordBits)]);
        var (accEn, busy) = Trace(e, 0);
        Assert.Equal([4 + 1 + c.PeLatencyCycles], accEn);
        Assert.Equal(1 + 1 + 1 + 1 + 1 + 20 + 1, busy);
    }

    [Fact]
    public void The_latency_fault_moves_dbg_acc_en_by_one_cycle()
    {
        HardwareConfig c = TestLayers.Config(16, 2, 8, 2, PeKind.Ternary);
        uint[] prog = Program("SETW 0\nSETA 0\nCLR\nMAC 1\nNOP 20\nHALT\n");
        Engine e = Boot(c, prog, new uint[2], new uint[4], SimFault.ExtraPipelineRegister);
        Assert.Equal([4 + 2 + c.PeLatencyCycles], Trace(e, 0).AccEn);
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
        int busyCycles = 4;   // fetch + 3 cycles of NOP 5 so far
        while (e.Step(new TopInputs()).Busy) busyCycles++;
        Assert.Equal(1 + 5 + 1, busyCycles);
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
        // L = 1 (lanes 2, pipeEvery 1): MAC issued in cycle 2 lands in cycle 4; CLR executes in cycle 4.
        HardwareConfig c = TestLayers.Config(2, 1, 8, 1, PeKind.Ternary);
        Engine e = Boot(c, Program("CLR\nMAC 1\nNOP 1\nCLR\nNOP 2\nOUT 0\nHALT"), [0b0101], [3u | 4u << 8]);
        Trace(e, 2);
        e.Step(new TopInputs(HostRAddr: 0, HostRRow: 0));
        Assert.Equal(7, e.Outputs.HostRData);
    }

    [Theory]
    [InlineData(0x7000_0000u, 1, "undefined opcode 0x7")]
    [InlineData(0x3000_0000u, 1, "MAC 0")]
    [InlineData(0x0000_0000u, 1, "NOP 0")]
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
