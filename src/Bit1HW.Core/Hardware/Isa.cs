using System.Globalization;

namespace Bit1HW.Core.Hardware;

/// <summary>Controller opcodes: bits [31:28] of an instruction word (docs/hardware.md, "Instruction set").</summary>
public enum Opcode : byte
{
    Nop = 0x0,
    SetW = 0x1,
    SetA = 0x2,
    Mac = 0x3,
    Clr = 0x4,
    Out = 0x5,
    /// <summary>Streaming engines: stream pointer := operand (in bursts).</summary>
    SetS = 0x6,
    /// <summary>Streaming engines: queue operand bursts for the stream engine.</summary>
    Load = 0x7,
    Halt = 0xF,
}

/// <summary>
/// One 32-bit instruction: opcode in [31:28], a 28-bit unsigned operand in [27:0]. Every
/// instruction's duration is a function of its word and the configuration's repeat-counter width
/// (<see cref="Isa.Cycles"/>), so the total cycle count of a program is known before it runs.
/// </summary>
public readonly record struct Instruction(Opcode Op, uint Operand)
{
    public uint Encode() => ((uint)Op << Isa.OperandBits) | (Operand & Isa.OperandMask);
    public override string ToString() => Isa.Disassemble(Encode());
}

/// <summary>The instruction encoding and timing (docs/hardware.md, "Instruction set"), shared by the compiler, the simulator and the generator.</summary>
public static class Isa
{
    public const int OperandBits = 28;
    public const uint OperandMask = (1u << OperandBits) - 1;
    public const uint MaxOperand = OperandMask;

    public static Opcode OpcodeOf(uint word) => (Opcode)(word >> OperandBits);
    public static uint OperandOf(uint word) => word & OperandMask;

    public static bool IsDefined(Opcode op) => op is Opcode.Nop or Opcode.SetW or Opcode.SetA
        or Opcode.Mac or Opcode.Clr or Opcode.Out or Opcode.SetS or Opcode.Load or Opcode.Halt;

    /// <summary>The repeat count the hardware uses for NOP n / MAC n: n modulo 2^repeatBits.</summary>
    public static uint RepeatCount(uint word, int repeatBits) =>
        repeatBits is < 1 or > OperandBits ? throw new ArgumentOutOfRangeException(nameof(repeatBits), repeatBits, "1..28")
        : OperandOf(word) & ((1u << repeatBits) - 1);

    /// <summary>
    /// Cycles the hardware spends on any 32-bit word: NOP n and MAC n take max(1, n mod 2^repeatBits)
    /// cycles; every other word (including undefined opcodes, which execute as a one-cycle no-op)
    /// takes one. The schedule verifier rejects NOP/MAC counts of 0 or ≥ 2^repeatBits and undefined
    /// opcodes. <see cref="HardwareConfig.InstructionCycles"/> supplies the configuration's RepeatBits.
    /// </summary>
    public static long Cycles(uint word, int repeatBits) => OpcodeOf(word) switch
    {
        Opcode.Nop or Opcode.Mac => Math.Max(1u, RepeatCount(word, repeatBits)),
        _ => 1,
    };

    public static string Mnemonic(Opcode op) => op switch
    {
        Opcode.Nop => "NOP",
        Opcode.SetW => "SETW",
        Opcode.SetA => "SETA",
        Opcode.Mac => "MAC",
        Opcode.Clr => "CLR",
        Opcode.Out => "OUT",
        Opcode.SetS => "SETS",
        Opcode.Load => "LOAD",
        Opcode.Halt => "HALT",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "undefined opcode"),
    };

    public static bool HasOperand(Opcode op) => op is Opcode.Nop or Opcode.SetW or Opcode.SetA or Opcode.Mac or Opcode.Out
        or Opcode.SetS or Opcode.Load;

    /// <summary>One line of assembly, e.g. <c>MAC 16</c>; undefined opcodes print as <c>.word 0x...</c>.</summary>
    public static string Disassemble(uint word)
    {
        Opcode op = OpcodeOf(word);
        if (!IsDefined(op)) return string.Create(CultureInfo.InvariantCulture, $".word 0x{word:x8}");
        if (!HasOperand(op))
            return OperandOf(word) == 0 ? Mnemonic(op) : string.Create(CultureInfo.InvariantCulture, $".word 0x{word:x8}");
        return string.Create(CultureInfo.InvariantCulture, $"{Mnemonic(op)} {OperandOf(word)}");
    }
}
