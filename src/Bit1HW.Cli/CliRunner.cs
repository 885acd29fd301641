using System.CommandLine;
using System.Reflection;
using Bit1HW.Cli.Commands;
using Bit1HW.Cli.Terminal;
using Bit1HW.Core;

namespace Bit1HW.Cli;

/// <summary>
/// Builds the command tree and maps failures to the documented exit codes (README, "Exit codes"):
/// bad input (including bad flags) is a one-line message and exit 2; a missing or failing external
/// tool is exit 3; a verification mismatch is exit 1, returned by the command itself. Without
/// arguments it prints the short help and exits 0.
/// </summary>
public static class CliRunner
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "Bit1HW: generate, simulate, co-simulate and cost ternary (BitNet b1.58) LLM accelerators.\n" +
            "Run 'bit1hw COMMAND --help' for a command's options and examples; README lists the flags all commands share.");
        foreach (Command c in CommandRegistry.All()) root.Add(c);
        HelpText.Install(root);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        bool console = ReferenceEquals(stdout, Console.Out);
        if (console) stdout = new StdoutWriter(stdout, terminal: !Console.IsOutputRedirected);
        RootCommand root = BuildRoot();
        ParseResult parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            var lines = ParseErrors.Describe(parse).ToList();
            foreach (string line in lines) stderr.WriteLine($"bit1hw: error: {line}");
            if (!lines.All(ParseErrors.NamesItsFlag)) stderr.WriteLine($"Run '{ParseErrors.CommandPath(parse)} --help' for usage.");
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
            StatusDisplay.Active?.Dispose();
            stderr.WriteLine($"bit1hw: error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (ExternalToolException e)
        {
            StatusDisplay.Active?.Dispose();
            stderr.WriteLine($"bit1hw: error: {e.Message}");
            return ExitCodes.ToolFailure;
        }
        finally
        {
            StatusDisplay.Active?.Dispose();
        }
    }

    public static string Version =>
        typeof(CliRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
