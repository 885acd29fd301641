using System.Security.Cryptography;
using System.Text;
using Bit1HW.Core.Tools;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Sweeps;

/// <summary>The versions of the tools a point's result depends on, as the tools print them.</summary>
public sealed record ToolVersions(string Yosys, string Nextpnr)
{
    private static readonly Lazy<ToolVersions> Installed = new(() => new(Ask("yosys", "-V"), Ask("nextpnr-ice40", "--version")));

    /// <summary>The tools on this machine's PATH, asked once per process; a missing tool is "(not installed)".</summary>
    public static ToolVersions OfThisMachine() => Installed.Value;

    private static string Ask(string tool, string flag)
    {
        if (!ToolRunner.IsInstalled(tool)) return "(not installed)";
        var r = ToolRunner.Run(tool, [flag], Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(1));
        string text = (r.Stdout + r.Stderr).Trim();
        return text.Split('\n', StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Length > 0) ?? $"(exit {r.ExitCode}, no output)";
    }
}

/// <summary>
/// A point's cache key: the SHA-256 (lower-case hex) of everything its report depends on, namely
/// this flow's version, the versions of the tools that run on it (nextpnr only when it places
/// and routes), and <see cref="SynthRecipe"/>: the generated Verilog, the yosys script, the
/// nextpnr arguments and the constraint file's contents. The configuration itself is not hashed:
/// two configurations that generate the same Verilog give the same result.
/// </summary>
public static class SweepKey
{
    /// <summary>Raised when the flow changes what it does to a recipe in a way the recipe does not show (for example how reports are read).</summary>
    public const string FlowVersion = "bit1hw synth sweep 1";

    public static string Of(SynthPoint p, ToolVersions tools) => Hash(Text(p, tools));

    /// <summary>The text that is hashed, for a person to see why two keys differ.</summary>
    public static string Text(SynthPoint p, ToolVersions tools)
    {
        var d = SynthDesign.FromConfig(p.Config.Validate(), p.Options.Validate().Variant);
        bool pnr = p.Options.Target == SynthTarget.Ice40Up5k && p.Options.PlaceAndRoute;
        var s = new StringBuilder();
        s.Append("flow ").Append(FlowVersion).Append('\n');
        s.Append("yosys ").Append(tools.Yosys).Append('\n');
        if (pnr) s.Append("nextpnr-ice40 ").Append(tools.Nextpnr).Append('\n');
        s.Append(SynthRecipe.Describe(d, p.Options));
        return s.ToString();
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
