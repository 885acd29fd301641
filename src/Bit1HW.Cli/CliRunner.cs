using System.CommandLine;
using System.Reflection;
using Bit1HW.Cli.Commands;
using Bit1HW.Core;

namespace Bit1HW.Cli;

/// <summary>
/// Builds the command tree and maps failures to the documented exit codes (README, "Exit codes"):
/// bad input (including bad flags) is a one-line message and exit 2; a missing or failing external
/// tool is exit 3; a verification mismatch is exit 1, returned by the command itself.
/// </summary>
public static class CliRunner
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "Bit1HW: generate, simulate, co-simulate and cost ternary (BitNet b1.58) LLM accelerators.\n" +
            "Run 'bit1hw COMMAND --help' for a command's options and an example.");
        foreach (Command c in CommandRegistry.All()) root.Add(c);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        RootCommand root = BuildRoot();
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine($"bit1hw: error: {e.Message}");
            stderr.WriteLine("Run 'bit1hw --help' for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
            });
        }
        catch (UserInputException e)
        {
            stderr.WriteLine($"bit1hw: error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (ExternalToolException e)
        {
            stderr.WriteLine($"bit1hw: error: {e.Message}");
            return ExitCodes.ToolFailure;
        }
    }

    public static string Version =>
        typeof(CliRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
