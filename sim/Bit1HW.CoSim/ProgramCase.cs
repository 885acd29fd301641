using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.CoSim;

/// <summary>
/// A raw instruction program and the memory contents it runs on, for a campaign case that is not a
/// compiled layer: both models get the same host stimulus and are compared on every port, every
/// cycle (there is no software reference for an arbitrary program). Every memory is written to its
/// full depth, so no read ever meets undefined contents, and after the run every output-buffer word
/// an OUT wrote is read back, row by row. <see cref="StartPulses"/> are cycles (counted from the
/// start pulse) at which start is raised again while the engine is busy, which the contract says
/// is ignored.
/// </summary>
public sealed record ProgramCase(HardwareConfig Config, IReadOnlyList<uint> Instructions, IReadOnlyList<uint[]> WeightWords,
    IReadOnlyList<uint[]> ActivationWords, IReadOnlyList<int> StartPulses)
{
    /// <summary>Index of the first HALT: the program's end (words after it are never executed).</summary>
    public int HaltIndex { get; } = Instructions.ToList().FindIndex(w => Isa.OpcodeOf(w) == Opcode.Halt) is var i and >= 0 ? i
        : throw new ArgumentException("a program case needs a HALT", nameof(Instructions));

    /// <summary>N = FetchCycles + Σ cycles of the executed words (docs/hardware.md, "End").</summary>
    public long PredictedCycles => Config.FetchCycles + Instructions.Take(HaltIndex + 1).Sum(Config.InstructionCycles);

    /// <summary>Every (word, row) of the output buffer an executed OUT writes, in ascending order.</summary>
    public IReadOnlyList<(int Word, int Row)> Reads =>
        Instructions.Take(HaltIndex + 1).Where(w => Isa.OpcodeOf(w) == Opcode.Out)
            .Select(w => (int)(Isa.OperandOf(w) & (uint)(Config.OutDepth - 1))).Distinct().Order()
            .SelectMany(word => Enumerable.Range(0, Config.Rows).Select(row => (word, row))).ToList();

    public string Describe() => $"program of {HaltIndex + 1} words, {PredictedCycles} cycles";

    internal HostScript Script() => HostScript.Build(Config, Instructions, WeightWords, ActivationWords, PredictedCycles, Reads, startPulses: StartPulses);
}

/// <summary>
/// Seeded random programs of every instruction, legal in the sense of the contract (docs/hardware.md:
/// every word has a defined behaviour), not only the ones the compiler emits: NOP and MAC counts of
/// 0, 1, 2^RepeatBits - 1 and beyond 2^RepeatBits, pointers set near the top of a memory so that a
/// MAC wraps them, operands beyond the memory depths, undefined opcodes (and SETS/LOAD, no-ops in a host-fed engine), OUT before any CLR, CLR
/// anywhere and HALT with an operand. Memories hold random codes (the unused ternary code 10
/// included), rows of all -1 or all +1, and activation words of -2^(b-1) in every lane.
/// </summary>
public static class RandomPrograms
{
    /// <summary>A case of the given program kind (<see cref="CaseKind.RandomProgram"/>, <see cref="CaseKind.ProgramFromReset"/>, <see cref="CaseKind.ProgramFillsImem"/>).</summary>
    public static ProgramCase Make(HardwareConfig cfg, SplitMix64 rng, CaseKind kind)
    {
        uint[] program = kind switch
        {
            CaseKind.RandomProgram => Program(cfg, rng, rng.Next(6, 40), clear: true),
            CaseKind.ProgramFromReset => FromReset(cfg, rng),
            CaseKind.ProgramFillsImem => FillsImem(cfg, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a program kind"),
        };
        var weights = Enumerable.Range(0, cfg.WeightDepth).Select(_ => WeightWord(cfg, rng)).ToList();
        var acts = Enumerable.Range(0, cfg.ActDepth).Select(_ => ActivationWord(cfg, rng)).ToList();
        var draft = new ProgramCase(cfg, program, weights, acts, []);
        long n = draft.PredictedCycles;
        int[] pulses = n > 2 && rng.Next(2) == 0 ? [(int)Math.Min(int.MaxValue, 1 + rng.NextInt64(0, n - 1))] : [];
        return draft with { StartPulses = pulses };
    }

    /// <summary>Never CLRs: OUT first (the accumulators' reset value), a MAC from the reset pointers, its sum after the pipeline drains.</summary>
    private static uint[] FromReset(HardwareConfig cfg, SplitMix64 rng)
    {
        var head = new List<uint>
        {
            Encode(Opcode.Out, (uint)rng.Next(cfg.OutDepth)),
            Encode(Opcode.Mac, (uint)rng.Next(1, 4)),
            Encode(Opcode.Nop, (uint)cfg.PeLatencyCycles + 2),
            Encode(Opcode.Out, (uint)rng.Next(cfg.OutDepth)),
        };
        return [.. head, .. Program(cfg, rng, rng.Next(4, 30), clear: false)];
    }

    /// <summary>Exactly instrDepth words, HALT in the last: the fetch address runs through every imem word.</summary>
    private static uint[] FillsImem(HardwareConfig cfg, SplitMix64 rng)
    {
        var words = new List<uint>(cfg.InstrDepth);
        while (words.Count < cfg.InstrDepth - 1)
            words.Add(rng.Next(4) == 0 ? Encode(Opcode.Mac, (uint)rng.Next(1, 3)) : Instruction(cfg, rng, clear: true, shortOnly: true));
        words.Add(Encode(Opcode.Halt, 0));
        return [.. words];
    }

    /// <summary><paramref name="count"/> random instructions and a HALT; long counts share a cycle budget.</summary>
    private static uint[] Program(HardwareConfig cfg, SplitMix64 rng, int count, bool clear)
    {
        int length = Math.Min(count, cfg.InstrDepth - 1);
        long budget = 3L << cfg.RepeatBits;
        var words = new List<uint>(length + 1);
        for (int i = 0; i < length; i++)
        {
            uint w = Instruction(cfg, rng, clear, shortOnly: budget <= 0);
            budget -= cfg.InstructionCycles(w);
            words.Add(w);
        }
        words.Add(Encode(Opcode.Halt, rng.Next(8) == 0 ? (uint)rng.Next(1, 1 << 20) : 0));
        return [.. words];
    }

    private static uint Instruction(HardwareConfig cfg, SplitMix64 rng, bool clear, bool shortOnly) => rng.Next(16) switch
    {
        0 or 1 => Encode(Opcode.SetW, Address(cfg.WeightDepth, rng)),
        2 or 3 => Encode(Opcode.SetA, Address(cfg.ActDepth, rng)),
        >= 4 and <= 7 => Encode(Opcode.Mac, Count(cfg, rng, shortOnly, maxShort: 8)),
        8 or 9 => clear ? Encode(Opcode.Clr, 0) : Encode(Opcode.Nop, 1),
        10 or 11 => Encode(Opcode.Out, Address(cfg.OutDepth, rng)),
        12 or 13 => Encode(Opcode.Nop, Count(cfg, rng, shortOnly, maxShort: 4)),
        14 => (uint)rng.Next(6, 15) << Isa.OperandBits | (uint)rng.NextInt64(0, 1L << Isa.OperandBits), // 0x6..0xE: SETS and LOAD (no-ops in a host-fed engine) or undefined, each a one-cycle no-op
        _ => Encode(Opcode.Nop, 1),
    };

    /// <summary>An address operand: anywhere, 0, the top word, near the top (a following MAC wraps) or beyond the depth.</summary>
    private static uint Address(int depth, SplitMix64 rng) => rng.Next(6) switch
    {
        0 => 0,
        1 => (uint)depth - 1,
        2 => (uint)(depth - rng.Next(1, Math.Min(depth, 4) + 1)),
        3 => (uint)(depth + rng.Next(depth)),
        _ => (uint)rng.Next(depth),
    };

    /// <summary>A NOP/MAC count: mostly short; sometimes long enough to cross a memory, 0 or 2^RepeatBits (one idle cycle), 2^RepeatBits - 1, or past 2^RepeatBits (taken modulo).</summary>
    private static uint Count(HardwareConfig cfg, SplitMix64 rng, bool shortOnly, int maxShort)
    {
        uint modulus = 1u << cfg.RepeatBits;
        if (shortOnly) return (uint)rng.Next(1, 3);
        return rng.Next(12) switch
        {
            0 => (uint)rng.Next(maxShort + 1, (int)modulus),
            1 => rng.Next(2) == 0 ? 0 : modulus,
            2 => modulus + (uint)rng.Next(1, 6),
            3 when rng.Next(4) == 0 => modulus - 1,
            _ => (uint)rng.Next(1, maxShort + 1),
        };
    }

    private static uint Encode(Opcode op, uint operand) => new Instruction(op, operand).Encode();

    /// <summary>A weight word: all -1, all +1, all the unused code 10 (ternary), or random fields.</summary>
    private static uint[] WeightWord(HardwareConfig cfg, SplitMix64 rng)
    {
        int fields = cfg.Rows * cfg.Lanes, bits = cfg.WeightBits, pattern = rng.Next(8);
        var word = new MemoryImage(cfg.WeightWordBits, 1, 1);
        for (int i = 0; i < fields; i++)
        {
            uint v = (cfg.Pe, pattern) switch
            {
                (PeKind.Ternary, 0) => TernaryCode.MinusOne,
                (PeKind.Ternary, 1) => TernaryCode.PlusOne,
                (PeKind.Ternary, 2) => 0b10,
                (PeKind.Ternary, _) => (uint)rng.Next(4),
                (PeKind.Mac, 0) => 0x80,
                (PeKind.Mac, 1) => 0x7F,
                _ => (uint)rng.Next(256),
            };
            word.SetBits(0, i * bits, bits, v);
        }
        return word.Word(0).ToArray();
    }

    /// <summary>An activation word: -2^(b-1) in every lane, 2^(b-1)-1 in every lane, or lanes drawn with the extremes favoured.</summary>
    private static uint[] ActivationWord(HardwareConfig cfg, SplitMix64 rng)
    {
        int lo = BitNetQuant.QMin(cfg.ActBits), hi = BitNetQuant.QMax(cfg.ActBits), pattern = rng.Next(8);
        var word = new MemoryImage(cfg.ActWordBits, 1, 1);
        uint mask = (1u << cfg.ActBits) - 1;
        for (int j = 0; j < cfg.Lanes; j++)
        {
            int a = pattern switch
            {
                0 or 1 => lo,
                2 => hi,
                _ => rng.Next(4) switch { 0 => lo, 1 => hi, _ => rng.Next(lo, hi + 1) },
            };
            word.SetBits(0, j * cfg.ActBits, cfg.ActBits, (uint)a & mask);
        }
        return word.Word(0).ToArray();
    }
}
