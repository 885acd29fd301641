using System.CommandLine;
using System.CommandLine.Parsing;

namespace Bit1HW.Cli;

/// <summary>
/// Parse errors as one line each, with a suggestion for a misspelt option or command (the closest
/// name of the command being parsed, by edit distance), and the help command to point to: the
/// subcommand's own help, not the top level's.
/// </summary>
internal static class ParseErrors
{
    public static IEnumerable<string> Describe(ParseResult parse)
    {
        Command cmd = parse.CommandResult.Command;
        var unmatched = new HashSet<string>(parse.UnmatchedTokens, StringComparer.Ordinal);
        string? previousUnknownOption = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool anyUnknown = parse.Errors.Any(e => UnmatchedToken(e.Message, unmatched) is not null);
        foreach (ParseError e in parse.Errors)
        {
            // "Required command was not provided" only restates an unknown command's error.
            if (anyUnknown && e.SymbolResult is CommandResult && UnmatchedToken(e.Message, unmatched) is null && cmd.Subcommands.Count > 0) continue;
            string? token = UnmatchedToken(e.Message, unmatched);
            if (token is not null && previousUnknownOption is not null && !token.StartsWith('-'))
            {
                previousUnknownOption = null;   // the value of an unknown option: one error is enough
                continue;
            }
            previousUnknownOption = token is not null && token.StartsWith('-') ? token : null;
            string line = token is null ? e.Message.TrimEnd('.') : Unknown(cmd, token);
            if (seen.Add(line)) yield return line;
        }
    }

    /// <summary>
    /// A bad value of a known flag ("--repeat: 0 must be at least 1") is a complete one-line error;
    /// an unknown or missing option or command also points to the command's help.
    /// </summary>
    public static bool NamesItsFlag(string line) => line.StartsWith("--", StringComparison.Ordinal) && line.Contains(": ", StringComparison.Ordinal);

    /// <summary>"bit1hw bench cosim": the command whose options were being parsed.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c; r = c.Parent)
            names.Add(c.Command is RootCommand ? "bit1hw" : c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string? UnmatchedToken(string message, HashSet<string> unmatched) =>
        unmatched.FirstOrDefault(t => message.Contains($"'{t}'", StringComparison.Ordinal));

    private static string Unknown(Command cmd, string token)
    {
        bool option = token.StartsWith('-');
        IEnumerable<string> names = option
            ? cmd.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            : cmd.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
        string? best = Closest(token, names);
        string what = option ? "option" : cmd.Subcommands.Count > 0 ? "command" : "argument";
        string where = cmd is RootCommand ? "" : $" of '{cmd.Name}'";
        return best is null ? $"unknown {what} '{token}'{where}" : $"unknown {what} '{token}'{where}; did you mean '{best}'?";
    }

    /// <summary>The name nearest to <paramref name="token"/> when it is close enough to be a typo (or a prefix of exactly one name).</summary>
    internal static string? Closest(string token, IEnumerable<string> names)
    {
        var list = names.Distinct(StringComparer.Ordinal).ToList();
        var prefixed = list.Where(n => n.StartsWith(token, StringComparison.Ordinal) && token.TrimStart('-').Length >= 2).ToList();
        if (prefixed.Count == 1) return prefixed[0];
        int limit = Math.Max(1, token.TrimStart('-').Length / 3);
        return list.Select(n => (Name: n, Distance: Distance(token, n)))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name).FirstOrDefault();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
