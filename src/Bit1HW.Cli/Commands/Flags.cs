using System.Globalization;
using Bit1HW.Core;

namespace Bit1HW.Cli.Commands;

/// <summary>Small helpers the commands share for flag values and numbers in their one-line summaries.</summary>
internal static class Flags
{
    /// <summary>A required path flag: empty or blank is a user error naming the flag.</summary>
    public static string Path(string? value, string flag) =>
        string.IsNullOrWhiteSpace(value) ? throw new UserInputException(flag, "is required") : value;

    /// <summary>A number for a summary line, invariant culture.</summary>
    public static string F(double x, string format = "G6") => x.ToString(format, CultureInfo.InvariantCulture);
}
