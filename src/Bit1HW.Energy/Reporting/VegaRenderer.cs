using Bit1HW.Core;
using Bit1HW.Core.Tools;

namespace Bit1HW.Energy.Reporting;

/// <summary>
/// Renders a Vega-Lite spec to SVG with <c>vl2svg</c> from the vega-lite npm package, which
/// <c>make setup</c> installs into src/Bit1HW.Energy/chart/node_modules (SVG needs no native canvas).
/// Looked up in $BIT1HW_VL2SVG, then in that folder above the binary or the working directory, then on PATH.
/// </summary>
public static class VegaRenderer
{
    private const string RelativeTool = "src/Bit1HW.Energy/chart/node_modules/.bin/vl2svg";

    public static string? Locate()
    {
        string? env = Environment.GetEnvironmentVariable("BIT1HW_VL2SVG");
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, RelativeTool);
                if (File.Exists(candidate)) return candidate;
            }
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "vl2svg");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static string Render(string vegaLiteSpec)
    {
        string tool = Locate() ?? throw new ExternalToolException("vl2svg", "not found (the vega-lite npm package); run `make setup` (needs node and npm)");
        string specPath = Path.Combine(Path.GetTempPath(), $"bit1hw-energy-{Environment.ProcessId}.vl.json");
        File.WriteAllText(specPath, vegaLiteSpec);
        try
        {
            ToolResult r = ToolRunner.Run(Path.GetFullPath(tool), [specPath], Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(2));
            if (r.ExitCode != 0 || !r.Stdout.TrimStart().StartsWith("<svg", StringComparison.Ordinal))
                throw new ExternalToolException("vl2svg", $"failed with exit code {r.ExitCode}: {r.Stderr.Trim().Split('\n')[0]}");
            return r.Stdout.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
        }
        finally
        {
            File.Delete(specPath);
        }
    }
}
