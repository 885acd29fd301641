using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler.Tests;

public class VerifierTests
{
    // lanes 16 / pipeEvery 1 → L = 5, so the drain before the last OUT needs NOPs; RepeatBits 10.
    private static readonly HardwareConfig C = new HardwareConfig { Lanes = 16, Rows = 2, PipeEvery = 1, MaxK = 2048 }.Validate();

    private static CompiledLayer Compiled(int tokens = 2, int outF = 3, int inF = 40)
    {
        var w = new sbyte[outF * inF];
        var x = new sbyte[tokens * inF];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)(i % 3 - 1);
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)(i % 100);
        return LayerCompiler.Compile(new Layer(new Workload(tokens, outF, inF), w, x), C);
    }

    private static ScheduleException Reject(CompiledLayer l, uint[] words, long? predicted = null)
    {
        ProgramImage p = l.Image;
        long n = 2;
        foreach (uint w in words) n += p.Config.InstructionCycles(w);
        var img = new ProgramImage(p.Config, words, p.Weights, p.Activations, p.Workload, p.OutputWord, p.OutputRow, predicted ?? n);
        return Assert.Throws<ScheduleException>(() => ScheduleVerifier.Verify(img, l.Layout));
    }

    private static int IndexOf(uint[] words, Opcode op, int nth = 0) =>
        Enumerable.Range(0, words.Length).Where(i => Isa.OpcodeOf(words[i]) == op).ElementAt(nth);

    [Fact]
    public void An_out_one_cycle_too_early_is_rejected_with_its_index_and_cycle()
    {
        CompiledLayer l = Compiled();
        uint[] words = (uint[])l.Image.Instructions.Clone();
        int nop = IndexOf(words, Opcode.Nop, 0);
        uint n = Isa.OperandOf(words[nop]);
        Assert.True(n >= 1);
        var list = words.ToList();
        if (n == 1) list.RemoveAt(nop); else list[nop] = new Instruction(Opcode.Nop, n - 1).Encode();
        var e = Reject(l, [.. list]);
        Assert.Equal(nop + (n == 1 ? 0 : 1), e.InstructionIndex);
        Assert.Contains("t + 2 + L", e.Message);
        Assert.Contains($"at cycle {e.Cycle}", e.Message);
    }

    [Fact]
    public void A_missing_clr_is_rejected_as_a_double_count()
    {
        CompiledLayer l = Compiled();
        var list = l.Image.Instructions.ToList();
        list[IndexOf([.. list], Opcode.Clr, 1)] = new Instruction(Opcode.Nop, 1).Encode();   // same timing, no clear
        var e = Reject(l, [.. list]);
        Assert.Contains("missing or late CLR", e.Message);
    }

    [Fact]
    public void A_clr_that_drops_live_tiles_is_rejected()
    {
        CompiledLayer l = Compiled();
        var list = l.Image.Instructions.ToList();
        list.Insert(IndexOf([.. list], Opcode.Out, 0), new Instruction(Opcode.Clr, 0).Encode());   // clears group 0's landed tiles
        var e = Reject(l, [.. list]);
        Assert.Contains("missing from the accumulators", e.Message);
    }

    [Theory]
    [InlineData(0x8000_0000u, "undefined opcode 0x8")]
    [InlineData(0x3000_0000u, "MAC 0 is not allowed")]
    [InlineData(0x0000_0000u, "NOP 0 is not allowed")]
    [InlineData(0x3000_0400u, "MAC 1024 does not fit the 10-bit repeat counter (at most 1023; the hardware would run 1024 mod 1024)")]
    [InlineData(0x0000_0401u, "NOP 1025 does not fit the 10-bit repeat counter")]
    [InlineData(0x1000_0200u, "weight address 512 outside")]
    [InlineData(0x5000_0080u, "output address 128 outside")]
    [InlineData(0xF000_0000u, "HALT before the end")]
    public void A_bad_word_is_rejected_with_its_index(uint bad, string problem)
    {
        CompiledLayer l = Compiled();
        uint[] words = (uint[])l.Image.Instructions.Clone();
        words[1] = bad;
        var e = Reject(l, words);
        Assert.Equal(1, e.InstructionIndex);
        Assert.Equal(3, e.Cycle);   // cycles 0 and 1 fetch, instruction 0 executes in cycle 2
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_program_without_halt_or_with_a_wrong_prediction_is_rejected()
    {
        CompiledLayer l = Compiled();
        ProgramImage p = l.Image;
        var noHalt = new ProgramImage(p.Config, p.Instructions[..^1], p.Weights, p.Activations, p.Workload, p.OutputWord, p.OutputRow, p.PredictedCycles);
        Assert.Contains("missing HALT", Assert.Throws<UserInputException>(() => ScheduleVerifier.Verify(noHalt, l.Layout)).Message);
        var wrong = new ProgramImage(p.Config, p.Instructions, p.Weights, p.Activations, p.Workload, p.OutputWord, p.OutputRow, p.PredictedCycles + 1);
        Assert.Contains("predicted cycles", Assert.Throws<UserInputException>(() => ScheduleVerifier.Verify(wrong, l.Layout)).Message);
    }

    [Fact]
    public void A_mac_past_the_loaded_weights_is_rejected()
    {
        CompiledLayer l = Compiled();
        var list = l.Image.Instructions.ToList();
        int mac = IndexOf([.. list], Opcode.Mac, 0);
        list[mac] = new Instruction(Opcode.Mac, 100).Encode();
        var e = Reject(l, [.. list]);
        Assert.Equal(mac, e.InstructionIndex);
        Assert.Contains("only", e.Message);
    }
}
