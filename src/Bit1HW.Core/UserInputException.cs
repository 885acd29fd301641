namespace Bit1HW.Core;

/// <summary>
/// A problem with what the user gave us (a file, a tensor, a config field, a flag), as opposed to a
/// broken internal invariant. The CLI prints <see cref="Exception.Message"/> as one line and exits
/// with <see cref="ExitCodes.BadInput"/>. <see cref="Subject"/> names the file, tensor or field.
/// Subject and problem often quote the input (a tensor name, a JSON key), so control characters and
/// line separators in them are escaped as \uXXXX: the message is always one line.
/// </summary>
public class UserInputException(string subject, string problem)
    : Exception(OneLine($"{subject}: {problem}"))
{
    public string Subject { get; } = OneLine(subject);
    public string Problem { get; } = OneLine(problem);

    /// <summary><paramref name="text"/> with every control character and line separator escaped as \uXXXX.</summary>
    public static string OneLine(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var sb = new System.Text.StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (NeedsEscape(c)) sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}

/// <summary>An external program (verilator, yosys, ...) is missing or failed to run.</summary>
public sealed class ExternalToolException(string tool, string problem)
    : Exception($"{tool}: {problem}")
{
    public string Tool { get; } = tool;
}

/// <summary>Process exit codes of the bit1hw CLI; documented in README.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A verification found a mismatch (co-simulation, decode --compare, verify).</summary>
    public const int Mismatch = 1;
    /// <summary>Bad input: file, tensor, config field or flag.</summary>
    public const int BadInput = 2;
    /// <summary>A required external tool (verilator, yosys, nextpnr) is missing or failed.</summary>
    public const int ToolFailure = 3;
}
