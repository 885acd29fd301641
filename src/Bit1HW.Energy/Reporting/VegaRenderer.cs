using System.Diagnostics;
using Bit1HW.Core;

namespace Bit1HW.Energy.Reporting;

/// <summary>
/// Renders a Vega-Lite spec to SVG with <c>vl2svg</c> from the vega-lite npm package, which
/// <c>make setup</c> installs into src/Bit1HW.Energy/chart/node_modules (SVG needs no native canvas).
/// Looked up in $BIT1HW_VL2SVG, then in that folder above the binary or the working directory, then on PATH.
/// </summary>
internal static class VegaRenderer
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
            var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(specPath);
            Process p;
            try
            {
                p = Process.Start(psi) ?? throw new ExternalToolException("vl2svg", "could not be started");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new ExternalToolException("vl2svg", $"could not be started ({e.Message}); run `make setup`");
            }
            using (p)
            {
                var stderr = p.StandardError.ReadToEndAsync();
                string svg = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0 || !svg.TrimStart().StartsWith("<svg", StringComparison.Ordinal))
                    throw new ExternalToolException("vl2svg", $"failed with exit code {p.ExitCode}: {stderr.Result.Trim().Split('\n')[0]}");
                return svg.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
            }
        }
        finally
        {
            File.Delete(specPath);
        }
    }
}
