using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Bit1HW.Compiler.Tests;

public class AssemblerTests(ITestOutputHelper output)
{
    [Fact]
    public void Assembly_encodes_opcode_in_the_top_nibble_and_operand_below()
    {
        uint[] w = Assembler.Assemble("setw 5 ; comment\n  SETA 0x10\nMAC 3\n# whole-line comment\nCLR\nOUT 2\nNOP 268435455\nHALT\n");
        Assert.Equal([0x1000_0005u, 0x2000_0010u, 0x3000_0003u, 0x4000_0000u, 0x5000_0002u, 0x0FFF_FFFFu, 0xF000_0000u], w);
    }

    /// <summary>
    /// Any 32-bit words followed by HALT (named instructions, NOP 0 and MAC 0, undefined opcodes as
    /// .word) assemble back to the same words from the plain listing and from the cycle-annotated one.
    /// </summary>
    [Fact]
    public void Any_program_round_trips_through_the_disassembler_with_or_without_cycle_annotations()
    {
        Properties.Check(FsCheck.Fluent.Prop.ForAll(FsCheck.Fluent.ArbMap.Default.ArbFor<uint[]>(), body =>
        {
            uint[] words = [.. body, 0xF000_0000u];
            return Assembler.Assemble(Assembler.Disassemble(words)).SequenceEqual(words)
                && Assembler.Assemble(Assembler.DisassembleWithCycles(words, HardwareConfig.Default)).SequenceEqual(words);
        }), 4242, output, cases: 500);
    }

    /// <summary>Well-formed instructions, with operands up to the 28-bit maximum, disassemble to their mnemonics, never to .word.</summary>
    [Fact]
    public void Encoded_instructions_disassemble_to_mnemonics_and_back()
    {
        Opcode[] ops = [Opcode.Nop, Opcode.SetW, Opcode.SetA, Opcode.Mac, Opcode.Clr, Opcode.Out];
        var instruction = FsCheck.Fluent.ArbMap.Default.ArbFor<(byte, uint)>().Convert(
            t => Encode(ops[t.Item1 % ops.Length], t.Item2),
            w => ((byte)Array.IndexOf(ops, Isa.OpcodeOf(w)), Isa.OperandOf(w)));
        Properties.Check(FsCheck.Fluent.Prop.ForAll(FsCheck.Fluent.Arb.Array(instruction), body =>
        {
            uint[] words = [.. body, 0xF000_0000u];
            string text = Assembler.Disassemble(words);
            return !text.Contains(".word", StringComparison.Ordinal) && Assembler.Assemble(text).SequenceEqual(words);
        }), 4243, output);
    }

    private static uint Encode(Opcode op, uint operand)
    {
        if (!Isa.HasOperand(op)) return new Instruction(op, 0).Encode();
        uint o = operand % (Isa.MaxOperand + 1);
        return new Instruction(op, op is Opcode.Nop or Opcode.Mac ? Math.Max(1, o) : o).Encode();
    }

    [Theory]
    [InlineData("CLR\nFOO 3\nHALT", "assembly:2", "unknown mnemonic 'FOO'")]
    [InlineData("NOP 0\nHALT", "assembly:1", "NOP 0 is not allowed")]
    [InlineData("CLR\n\nMAC 0\nHALT", "assembly:3", "MAC 0 is not allowed")]
    [InlineData("SETW 268435456\nHALT", "assembly:1", "out of range 0..268435455")]
    [InlineData("SETW -1\nHALT", "assembly:1", "not an unsigned number")]
    [InlineData("MAC\nHALT", "assembly:1", "exactly one operand")]
    [InlineData("CLR 1\nHALT", "assembly:1", "takes no operand")]
    [InlineData("CLR\nMAC 4\n", "assembly:2", "missing HALT")]
    [InlineData("", "assembly", "missing HALT")]
    public void Bad_assembly_is_rejected_with_its_line(string text, string where, string problem)
    {
        var e = Assert.Throws<UserInputException>(() => Assembler.Assemble(text));
        Assert.Equal(where, e.Subject);
        Assert.Contains(problem, e.Problem);
    }
}
