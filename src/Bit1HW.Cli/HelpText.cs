using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Bit1HW.Cli;

/// <summary>
/// Help layout: a command's description is one line (so the top-level help is the list of commands,
/// one line each) and its examples are printed only in that command's own help, after the options.
/// </summary>
internal static class HelpText
{
    private static readonly Dictionary<Command, string[]> ExamplesOf = [];

    /// <summary>Attaches example command lines to <paramref name="cmd"/>'s help.</summary>
    public static T WithExamples<T>(this T cmd, params string[] lines) where T : Command
    {
        lock (ExamplesOf) ExamplesOf[cmd] = lines;
        return cmd;
    }

    public static void Install(RootCommand root)
    {
        foreach (HelpOption h in root.Options.OfType<HelpOption>())
            if (h.Action is HelpAction standard) h.Action = new WithExamplesAction(standard);
    }

    /// <summary>The standard help, then the command's examples.</summary>
    private sealed class WithExamplesAction(HelpAction standard) : SynchronousCommandLineAction
    {
        /// <summary>Help is shown even when required options are missing.</summary>
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parse)
        {
            int code = standard.Invoke(parse);
            string[]? lines;
            lock (ExamplesOf)
                if (!ExamplesOf.TryGetValue(parse.CommandResult.Command, out lines)) return code;
            TextWriter o = parse.InvocationConfiguration.Output;
            o.WriteLine(lines.Length == 1 ? "Example:" : "Examples:");
            foreach (string l in lines) o.WriteLine($"  {l}");
            o.WriteLine();
            return code;
        }
    }
}
