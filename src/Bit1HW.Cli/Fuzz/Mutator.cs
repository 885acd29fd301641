using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Model;

namespace Bit1HW.Cli.Fuzz;

/// <summary>
/// Seeded mutations of a valid file, the kind a damaged download, a bad disk or a careless edit
/// produces: bit flips, random and boundary bytes, boundary integers written over 4 or 8 bytes,
/// truncation, deleted, duplicated and inserted chunks; for text formats also boundary numbers in
/// place of a number, duplicated or deleted lines (a repeated JSON key), and inserted JSON
/// punctuation, comments, NUL and invalid UTF-8. One to three mutations are stacked per case.
/// Positions fall in the header (<see cref="FuzzSeedFile.HotEnd"/>) three times in four, where
/// most of the structure is.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xC0, 0xFE, (byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)',', (byte)':', (byte)'\n', (byte)'-', (byte)'9'];

    private static readonly ulong[] InterestingInts =
    [
        0, 1, 2, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
        0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFE,
    ];

    private static readonly string[] InterestingNumbers =
    [
        "0", "-1", "1", "2", "3", "-0", "1.5", "1e9", "1e308", "1e999", "-1e999", "2147483647", "2147483648",
        "4294967296", "9223372036854775807", "9223372036854775808", "99999999999999999999", "1000000000", "65536", "0x10", "NaN",
    ];

    private static readonly string[] InterestingTokens =
    [
        ",", "}", "{", "]", "[", "\"", ":", "null", "true", "/* comment */", "// comment\n", "\0", "\\u0000", "\\ud800",
        "\n", "-", "1e999", "\"lanes\": 1, ", "\"shape\": [1], ", " ", "\t", ";", "#", "HALT\n", ".word 0xffffffff\n", "MAC 0\n",
    ];

    public static (byte[] Bytes, string Description) Mutate(FuzzSeedFile seed, SplitMix64 rng)
    {
        byte[] b = seed.Bytes;
        var what = new List<string>();
        int n = 1 + (int)(rng.NextUInt64() % 3);
        for (int k = 0; k < n; k++)
        {
            int hotEnd = Math.Min(seed.HotEnd, b.Length);
            (b, string d) = seed.IsText && rng.NextUInt64() % 2 == 0 ? MutateText(b, rng) : MutateBytes(b, hotEnd, rng);
            what.Add(d);
        }
        return (b, string.Join("; ", what));
    }

    private static int Below(SplitMix64 rng, int n) => n <= 0 ? 0 : (int)(rng.NextUInt64() % (ulong)n);

    private static int Position(byte[] b, int hotEnd, SplitMix64 rng) =>
        hotEnd > 0 && rng.NextUInt64() % 4 != 0 ? Below(rng, hotEnd) : Below(rng, b.Length);

    private static (byte[], string) MutateBytes(byte[] src, int hotEnd, SplitMix64 rng)
    {
        if (src.Length == 0) return ([(byte)rng.NextUInt64()], "insert into empty");
        var b = (byte[])src.Clone();
        int at = Position(b, hotEnd, rng);
        string I(string s) => string.Create(CultureInfo.InvariantCulture, $"{s}@{at}");
        switch (rng.NextUInt64() % 9)
        {
            case 0:
                int bit = Below(rng, 8);
                b[at] ^= (byte)(1 << bit);
                return (b, I($"flip bit {bit}"));
            case 1:
                b[at] = (byte)rng.NextUInt64();
                return (b, I($"byte 0x{b[at]:x2}"));
            case 2:
                b[at] = InterestingBytes[Below(rng, InterestingBytes.Length)];
                return (b, I($"byte 0x{b[at]:x2}"));
            case 3:
                ulong v = InterestingInts[Below(rng, InterestingInts.Length)];
                int width = rng.NextUInt64() % 2 == 0 ? 4 : 8;
                if (at + width > b.Length) at = Math.Max(0, b.Length - width);
                if (b.Length < width) return (b[..0], "truncate to 0");
                if (width == 4) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), (uint)v);
                else BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
                return (b, I($"u{8 * width} 0x{(width == 4 ? (uint)v : v):x}"));
            case 4:
                return (b[..at], I("truncate"));
            case 5:
                int del = 1 + Below(rng, Math.Min(64, b.Length - at));
                return ([.. b[..at], .. b[(at + del)..]], I($"delete {del}"));
            case 6:
                int len = 1 + Below(rng, Math.Min(64, b.Length - at));
                int to = Below(rng, b.Length + 1);
                byte[] chunk = b[at..(at + len)];
                return ([.. b[..to], .. chunk, .. b[to..]], I($"copy {len} to {to}"));
            case 7:
                var ins = new byte[1 + Below(rng, 8)];
                for (int i = 0; i < ins.Length; i++) ins[i] = (byte)rng.NextUInt64();
                return ([.. b[..at], .. ins, .. b[at..]], I($"insert {ins.Length} random"));
            default:
                b[at] = (byte)(b[at] + (rng.NextUInt64() % 2 == 0 ? 1 : -1));
                return (b, I("byte ±1"));
        }
    }

    private static (byte[], string) MutateText(byte[] src, SplitMix64 rng)
    {
        string text = Encoding.Latin1.GetString(src);
        int at = Below(rng, text.Length + 1);
        string result, what;
        switch (rng.NextUInt64() % 4)
        {
            case 0:
                (result, what) = ReplaceNumber(text, rng);
                break;
            case 1:
                (result, what) = EditLine(text, rng);
                break;
            case 2:
                string tok = InterestingTokens[Below(rng, InterestingTokens.Length)];
                result = text[..at] + tok + text[at..];
                what = string.Create(CultureInfo.InvariantCulture, $"insert {Escape(tok)}@{at}");
                break;
            default:
                byte[] bad = [0xFF, 0xC3, 0x28, 0xE2, 0x82, 0xED, 0xA0, 0x80, 0xF8];
                byte x = bad[Below(rng, bad.Length)];
                result = text[..at] + (char)x + text[at..];
                what = string.Create(CultureInfo.InvariantCulture, $"insert byte 0x{x:x2}@{at}");
                break;
        }
        return (Encoding.Latin1.GetBytes(result), what);
    }

    private static (string, string) ReplaceNumber(string text, SplitMix64 rng)
    {
        var runs = new List<(int Start, int End)>();
        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i])) continue;
            int j = i;
            while (j < text.Length && (char.IsAsciiDigit(text[j]) || text[j] is '.' or 'e' or 'E' or '-' or '+' or 'x')) j++;
            runs.Add((i, j));
            i = j;
        }
        if (runs.Count == 0) return (text, "no number to replace");
        var (s, e) = runs[Below(rng, runs.Count)];
        string num = InterestingNumbers[Below(rng, InterestingNumbers.Length)];
        return (text[..s] + num + text[e..], string.Create(CultureInfo.InvariantCulture, $"number {text[s..e]} -> {num}@{s}"));
    }

    private static (string, string) EditLine(string text, SplitMix64 rng)
    {
        var lines = text.Split('\n').ToList();
        int i = Below(rng, lines.Count);
        if (rng.NextUInt64() % 2 == 0)
        {
            lines.Insert(i, lines[i]);
            return (string.Join('\n', lines), string.Create(CultureInfo.InvariantCulture, $"duplicate line {i + 1}"));
        }
        lines.RemoveAt(i);
        return (string.Join('\n', lines), string.Create(CultureInfo.InvariantCulture, $"delete line {i + 1}"));
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => c < ' ' ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : c.ToString()));
}
