using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Tests;

/// <summary>
/// Random instruction streams ending in HALT: pointer settings anywhere in the memories, MACs that
/// wrap the pointers and (with a small memory's RepeatBits) the repeat counter, NOP/MAC counts of 0,
/// undefined opcodes, CLR and OUT at any distance from the tiles in flight.
/// </summary>
internal static class RandomPrograms
{
    /// <param name="clear">Whether the stream may contain CLR (without, the accumulators run on from reset across runs).</param>
    public static uint[] Generate(SplitMix64 rng, HardwareConfig c, bool clear = true)
    {
        var words = new List<uint>();
        int n = rng.Next(1, 40);
        for (int i = 0; i < n; i++)
        {
            uint word = rng.Next(8) switch
            {
                0 => new Instruction(Opcode.SetW, (uint)rng.Next(c.WeightDepth)).Encode(),
                1 => new Instruction(Opcode.SetA, (uint)rng.Next(c.ActDepth)).Encode(),
                2 or 3 => new Instruction(Opcode.Mac, (uint)(rng.Next(8) == 0 ? rng.Next(0, 40) : rng.Next(1, 12))).Encode(),
                4 => clear ? new Instruction(Opcode.Clr, 0).Encode() : new Instruction(Opcode.Nop, 1).Encode(),
                5 => new Instruction(Opcode.Out, (uint)rng.Next(c.OutDepth)).Encode(),
                6 => new Instruction(Opcode.Nop, (uint)(rng.Next(8) == 0 ? rng.Next(0, 34) : rng.Next(1, 4))).Encode(),
                _ => rng.Next(4) == 0 ? ((uint)rng.Next(6, 15) << Isa.OperandBits) | (uint)rng.Next(1 << 20) : new Instruction(Opcode.Mac, 1).Encode(),
            };
            words.Add(word);
        }
        words.Add(new Instruction(Opcode.Halt, 0).Encode());
        return [.. words];
    }
}
