using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Bit1HW.Cli.Terminal;
using Bit1HW.Core;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// The flags several commands share, made in one place so they mean and parse the same everywhere
/// (README, "Flags"): <c>--seed</c> (an unsigned 64-bit integer, decimal or 0x hex), counts (a
/// value below the minimum is a parse error, exit 2), <c>--json</c>, <c>--quiet</c> and <c>--vcd</c>.
/// </summary>
internal static class Flags
{
    /// <summary>A required path flag: empty or blank is a user error naming the flag.</summary>
    public static string Path(string? value, string flag) =>
        string.IsNullOrWhiteSpace(value) ? throw new UserInputException(flag, "is required") : value;

    /// <summary>A number for a summary line, invariant culture.</summary>
    public static string F(double x, string format = "G6") => x.ToString(format, CultureInfo.InvariantCulture);

    /// <summary><c>--seed</c> with a default: an unsigned 64-bit integer, decimal or 0x hex.</summary>
    public static Option<ulong> Seed(string description, ulong defaultValue) => new("--seed")
    {
        Description = $"{description} (unsigned 64-bit, decimal or 0x hex)",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseSeed(r) ?? 0,
    };

    /// <summary><c>--seed</c> without a default (the command picks one and prints it).</summary>
    public static Option<ulong?> OptionalSeed(string description) => new("--seed")
    {
        Description = $"{description} (unsigned 64-bit, decimal or 0x hex)",
        CustomParser = ParseSeed,
    };

    private static ulong? ParseSeed(ArgumentResult r)
    {
        string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        if (TryParseSeed(text, out ulong v)) return v;
        r.AddError($"--seed: '{text}' is not an unsigned 64-bit integer (decimal, or hex with 0x)");
        return null;
    }

    internal static bool TryParseSeed(string text, out ulong value)
    {
        value = 0;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return text.Length > 2 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A count flag: values below <paramref name="min"/> are rejected when the command line is parsed.</summary>
    public static Option<int> Count(string name, string description, int defaultValue, int min = 1) =>
        Counted(new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue }, min);

    public static Option<long> LongCount(string name, string description, long defaultValue, long min = 1) =>
        Counted(new Option<long>(name) { Description = description, DefaultValueFactory = _ => defaultValue }, min);

    private static Option<T> Counted<T>(Option<T> option, T min) where T : struct, IComparable<T>, IParsable<T>
    {
        option.Validators.Add(r =>
        {
            // A value that is not a number is the parser's error to report; the bound applies to numbers only.
            if (r.Tokens.Count > 0 && !T.TryParse(r.Tokens[^1].Value, CultureInfo.InvariantCulture, out _)) return;
            T v = r.GetValueOrDefault<T>();
            if (v.CompareTo(min) < 0)
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name}: {v} must be at least {min}"));
        });
        return option;
    }

    public static Option<bool> Json(string what = "the report") =>
        new("--json") { Description = $"Print {what} as JSON (camelCase) on stdout instead of text" };

    public static Option<bool> Quiet() => new("--quiet") { Description = "No progress on stderr" };

    /// <summary><c>--vcd DIR</c>: the directory waveforms are written to, on every command that writes them.</summary>
    public static Option<string?> Vcd(string what) => new("--vcd") { Description = $"Directory to write waveforms to: {what}" };

    /// <summary>Writes a deprecation line for an old flag spelling (kept for one release).</summary>
    public static void Deprecated(ParseResult parse, string old, string replacement) =>
        parse.InvocationConfiguration.Error.WriteLine($"bit1hw: warning: {old} is deprecated and will be removed in the next release; use {replacement}");

    /// <summary>The progress display of this command on its stderr (quiet: none).</summary>
    public static StatusDisplay Status(ParseResult parse, bool quiet) => StatusDisplay.Open(parse.InvocationConfiguration.Error, quiet);
}
