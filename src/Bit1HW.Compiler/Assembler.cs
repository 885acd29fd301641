using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;

namespace Bit1HW.Compiler;

/// <summary>
/// Text assembly for the controller ISA (docs/hardware.md, "Instruction set"): one instruction per
/// line, <c>MNEMONIC [operand]</c>, case-insensitive, operands decimal or 0x-hex; <c>;</c> or
/// <c>#</c> starts a comment. <c>.word 0x...</c> emits a raw word (the disassembler prints words it
/// cannot name that way, so every program round-trips). Errors name the source and line.
/// </summary>
public static class Assembler
{
    /// <summary>Limit for an assembly file: 2^20 instructions (the largest instruction memory) with comments fit easily.</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>Assembles a <c>.s</c> file (strict UTF-8, at most <see cref="MaxFileBytes"/>); errors name the file and line.</summary>
    public static uint[] AssembleFile(string path) => Assemble(InputFile.ReadText(path, MaxFileBytes, "assembly file"), path);

    /// <summary>The words as <c>$readmemh</c> text: one 8-digit hex word per line.</summary>
    public static string ToHex(ReadOnlySpan<uint> words)
    {
        var sb = new StringBuilder();
        foreach (uint w in words) sb.Append(w.ToString("x8", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    public static uint[] Assemble(string text, string source = "assembly")
    {
        var words = new List<uint>();
        int lastLine = 0;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = StripComment(lines[i]).Trim();
            if (line.Length == 0) continue;
            words.Add(AssembleLine(line, $"{source}:{i + 1}"));
            lastLine = i + 1;
        }
        if (words.Count == 0 || Isa.OpcodeOf(words[^1]) != Opcode.Halt)
            throw new UserInputException(lastLine == 0 ? source : $"{source}:{lastLine}",
                "missing HALT: a program must end with HALT");
        return words.ToArray();
    }

    public static string Disassemble(ReadOnlySpan<uint> words)
    {
        var sb = new StringBuilder();
        foreach (uint w in words) sb.Append(Line(w)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// One word as assembly. NOP 0 and MAC 0 run (as one-cycle no-ops) but the assembler refuses
    /// them as mnemonics, so they print as <c>.word</c> and the listing still assembles to the same words.
    /// </summary>
    private static string Line(uint word) =>
        Isa.OpcodeOf(word) is Opcode.Nop or Opcode.Mac && Isa.OperandOf(word) == 0
            ? string.Create(CultureInfo.InvariantCulture, $".word 0x{word:x8}")
            : Isa.Disassemble(word);

    /// <summary>
    /// The program as assembly with each line's timing as a comment the assembler ignores: the busy
    /// cycle it starts in and its duration on <paramref name="config"/>'s engine
    /// (<see cref="ScheduleTimeline"/>; the first cycles fetch). A header comment says how to read
    /// them; assembling the text gives back the same words.
    /// </summary>
    public static string DisassembleWithCycles(ReadOnlySpan<uint> words, HardwareConfig config)
    {
        var timeline = ScheduleTimeline.Of(words, config);
        var sb = new StringBuilder();
        sb.Append(string.Create(CultureInfo.InvariantCulture,
            $"; {words.Length} instructions, {ScheduleTimeline.BusyCycles(timeline, config)} busy cycles; cycles 0..{config.FetchCycles - 1} fetch the first instruction\n"));
        sb.Append("; each line: the busy cycle it starts in, +its duration in cycles\n");
        for (int i = 0; i < words.Length; i++)
        {
            string text = Line(words[i]);
            if (i < timeline.Count)
                text = string.Create(CultureInfo.InvariantCulture, $"{text,-16}; cycle {timeline[i].StartCycle} +{timeline[i].Cycles}");
            else text += " ; after HALT: never executed";
            sb.Append(text).Append('\n');
        }
        return sb.ToString();
    }

    private static string StripComment(string line)
    {
        int cut = line.IndexOfAny([';', '#']);
        return cut < 0 ? line : line[..cut];
    }

    private static uint AssembleLine(string line, string where)
    {
        string[] parts = line.Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        string name = parts[0].ToUpperInvariant();
        if (name == ".WORD")
        {
            if (parts.Length != 2) throw new UserInputException(where, ".word takes exactly one value");
            return (uint)ParseNumber(parts[1], uint.MaxValue, where);
        }
        Opcode op = name switch
        {
            "NOP" => Opcode.Nop,
            "SETW" => Opcode.SetW,
            "SETA" => Opcode.SetA,
            "MAC" => Opcode.Mac,
            "CLR" => Opcode.Clr,
            "OUT" => Opcode.Out,
            "SETS" => Opcode.SetS,
            "LOAD" => Opcode.Load,
            "HALT" => Opcode.Halt,
            _ => throw new UserInputException(where, $"unknown mnemonic '{parts[0]}' (NOP, SETW, SETA, MAC, CLR, OUT, SETS, LOAD, HALT, .word)"),
        };
        if (!Isa.HasOperand(op))
        {
            if (parts.Length != 1) throw new UserInputException(where, $"{name} takes no operand");
            return new Instruction(op, 0).Encode();
        }
        if (parts.Length != 2) throw new UserInputException(where, $"{name} takes exactly one operand");
        uint operand = (uint)ParseNumber(parts[1], Isa.MaxOperand, where);
        if (operand == 0 && op is Opcode.Nop or Opcode.Mac or Opcode.Load)
            throw new UserInputException(where, $"{name} 0 is not allowed (a count must be at least 1)");
        return new Instruction(op, operand).Encode();
    }

    private static ulong ParseNumber(string token, ulong max, string where)
    {
        bool hex = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        bool ok = hex
            ? ulong.TryParse(token.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong v)
            : ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok) throw new UserInputException(where, $"operand '{token}' is not an unsigned number");
        if (v > max) throw new UserInputException(where, $"operand {token} is out of range 0..{max}");
        return v;
    }
}
