using Bit1HW.Core;
using Bit1HW.Core.Hardware;
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

    [Fact]
    public void Random_programs_round_trip_through_the_disassembler()
    {
        int seed = TestSeed.Seed(4242, output);
        var rng = new SplitMix64(seed);
        Opcode[] ops = [Opcode.Nop, Opcode.SetW, Opcode.SetA, Opcode.Mac, Opcode.Clr, Opcode.Out];
        for (int trial = 0; trial < 200; trial++)
        {
            var words = new List<uint>();
            int n = rng.Next(0, 30);
            for (int i = 0; i < n; i++)
            {
                Opcode op = ops[rng.Next(ops.Length)];
                uint operand = !Isa.HasOperand(op) ? 0 : (uint)rng.Next(op is Opcode.Nop or Opcode.Mac ? 1 : 0, (int)Isa.MaxOperand) ;
                if (rng.Next(10) == 0 && Isa.HasOperand(op)) operand = Isa.MaxOperand;
                words.Add(new Instruction(op, operand).Encode());
            }
            if (rng.Next(5) == 0) words.Add(0x8123_4567u);   // undefined: printed as .word
            words.Add(0xF000_0000u);
            string text = Assembler.Disassemble(words.ToArray());
            Assert.True(words.SequenceEqual(Assembler.Assemble(text)), $"seed {seed} trial {trial}:\n{text}");
        }
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
