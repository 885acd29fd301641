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

    public static ToolResult Run(string tool, IEnumerable<string> args, string workDir, TimeSpan timeout)
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
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new ExternalToolException(tool, $"did not finish within {timeout.TotalSeconds:0} s");
            }
            p.WaitForExit();
            return new ToolResult(p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
