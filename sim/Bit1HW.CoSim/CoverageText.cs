using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bit1HW.CoSim;

/// <summary>The coverage report as `verify` prints it and as JSON (`verify --coverage FILE`); both byte-stable.</summary>
public static class CoverageText
{
    /// <summary>A few lines per configuration; a WARNING line for every accumulator bit that never toggled.</summary>
    public static IEnumerable<string> Lines(CoverageReport c)
    {
        yield return Inv($"coverage {c.Config} (measured on the C# simulator's registers: {c.Cases} cases, {c.Cycles} cycles)");
        yield return "  " + Register("accumulator", c.Accumulator, "maxK");
        yield return "  " + Register("PE output", c.PeOutput, "lanes");
        foreach (MemoryCoverage m in c.Memories)
            yield return Inv($"  {m.Memory} {m.Access}: {(m.Highest < 0 ? "none" : $"{m.Lowest}..{m.Highest}")}, {m.Distinct}/{m.Depth} words")
                + (m.CarryIntoTopBit is { } carry ? $"; carry into the top address bit {YesNo(carry)}, wrapped {YesNo(m.Wrapped == true)}" : "");
        yield return "  opcodes: " + string.Join("; ", c.Opcodes.Select(o =>
            Inv($"{o.Opcode} ×{o.Executed} operands {o.MinOperand}..{o.MaxOperand}{(o.Extremes.Count > 0 ? " (" + string.Join(", ", o.Extremes) + ")" : "")}")));
        if (!c.TopBitNeeded)
            yield return Inv($"  WARNING: no accumulator value needed the top bit on {c.Config}: one {c.Accumulator.WidthBits - 1} bits wide would have held them all");
        foreach (int bit in c.Accumulator.Untoggled.Reverse())
            yield return Inv($"  WARNING: accumulator bit {bit}{(bit == c.Accumulator.WidthBits - 1 ? " (the top bit)" : "")} never toggled on {c.Config}");
    }

    private static string Register(string name, RegisterCoverage r, string bound) =>
        Inv($"{name} {r.WidthBits} bits: {r.Min}..{r.Max}, max |value| {100 * r.MaxAbsFractionOfRange:F1} % of the range; ")
        + Inv($"{bound} bounds {r.NegativeBound} {Reached(r.NegativeBoundReached)}, {r.PositiveBound} {Reached(r.PositiveBoundReached)}; ")
        + Inv($"bits toggled {r.Toggled.Count}/{r.WidthBits}{(r.Untoggled.Count > 0 ? $" (never: {string.Join(" ", r.Untoggled)})" : "")}; ")
        + Inv($"widest value {r.WidestValueBits} bits{(r.WidestValueBits == r.WidthBits ? " (the top bit needed)" : "")}");

    private static string Reached(bool b) => b ? "reached" : "NOT reached";

    private static string YesNo(bool b) => b ? "yes" : "no";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private sealed record Document(ulong Seed, string MeasuredOn, IReadOnlyList<CoverageReport> Configs);

    /// <summary>The JSON file: the seed, where coverage was measured, and every configuration's report (camelCase, "\n" line ends).</summary>
    public static string Json(ulong seed, IReadOnlyList<CoverageReport> reports) =>
        JsonSerializer.Serialize(new Document(seed, "C# simulator registers", reports), Options).ReplaceLineEndings("\n") + "\n";
}
