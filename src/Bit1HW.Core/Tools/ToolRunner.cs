using System.ComponentModel;
using System.Diagnostics;

namespace Bit1HW.Core.Tools;

/// <summary>The result of one external tool run.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// The one way the toolkit runs an external program (verilator, iverilog, vvp, yosys,
/// nextpnr-ice40, iverilog): arguments passed as a list (no shell), stdout and stderr captured, a
/// timeout after which the process tree is killed. A tool is a name looked up on PATH or a path to
/// a file; a missing one is an <see cref="ExternalToolException"/> that names it and `make setup`.
/// With an <c>onLine</c> callback the output is also streamed: every line of stdout and stderr is
/// passed on as the tool prints it, so a long build or place-and-route can show its progress.
/// </summary>
public static class ToolRunner
{
    /// <summary>Whether <paramref name="tool"/> (a name on PATH, or a path) exists.</summary>
    public static bool IsInstalled(string tool) =>
        tool.Contains(Path.DirectorySeparatorChar) ? File.Exists(tool)
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, tool)));

    public static void Require(string tool)
    {
        if (!IsInstalled(tool))
            throw new ExternalToolException(tool, "not found on PATH; run `make setup` to install the open hardware tools");
    }

    /// <summary>Runs the tool to completion and returns its exit code and captured output.</summary>
    public static ToolResult Run(string tool, IEnumerable<string> args, string workDir, TimeSpan timeout) =>
        Run(tool, args, workDir, timeout, onLine: null);

    /// <summary>
    /// Runs the tool to completion; <paramref name="onLine"/> (when not null) receives each line of
    /// stdout and stderr as it arrives, from a reader thread, one call at a time. The returned
    /// result still holds the whole output of each stream.
    /// </summary>
    public static ToolResult Run(string tool, IEnumerable<string> args, string workDir, TimeSpan timeout, Action<string>? onLine)
    {
        Require(tool);
        var psi = new ProcessStartInfo(tool) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new ExternalToolException(tool, "could not be started");
        }
        catch (Win32Exception e)
        {
            throw new ExternalToolException(tool, $"could not be started ({e.Message}); run `make setup`");
        }
        using (p)
        {
            var gate = new object();
            var stdout = ReadLines(p.StandardOutput, onLine, gate);
            var stderr = ReadLines(p.StandardError, onLine, gate);
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new ExternalToolException(tool, $"did not finish within {timeout.TotalSeconds:0} s");
            }
            p.WaitForExit();
            return new ToolResult(p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>The whole stream as text; line by line through <paramref name="onLine"/> when it is given.</summary>
    private static Task<string> ReadLines(StreamReader reader, Action<string>? onLine, object gate)
    {
        if (onLine is null) return reader.ReadToEndAsync();
        return Task.Factory.StartNew(() =>
        {
            var all = new System.Text.StringBuilder();
            while (reader.ReadLine() is { } line)
            {
                all.Append(line).Append('\n');
                lock (gate) onLine(line);
            }
            return all.ToString();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
