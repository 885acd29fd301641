using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Tools;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.HdlGen.Synth;

/// <summary>
/// A design to synthesize: its Verilog files, the top that is placed on the board, and the module
/// measured alone (the PE array, whose LUTs per lane exclude memories and control).
/// </summary>
public sealed record SynthDesign(string Tag, IReadOnlyList<GeneratedFile> Files, string Top, string Array, int LanesTotal)
{
    /// <summary>The configuration's engine as generated for <paramref name="variant"/> (default: generic RTL):
    /// the board wrapper, or for a streaming engine, which has none (its weights come over AXI), the engine top.</summary>
    public static SynthDesign FromConfig(HardwareConfig cfg, RtlVariant? variant = null) =>
        new(cfg.Tag, RtlGenerator.Generate(cfg, variant ?? RtlVariant.Generic),
            cfg.IsStreaming ? RtlGenerator.TopModule(cfg) : RtlGenerator.BoardModule(cfg), RtlGenerator.ArrayModule(cfg), cfg.Lanes * cfg.Rows);
}

/// <summary>Test-only faults planted in the flow, to show that the checks catch them.</summary>
internal enum SynthFaults { None, DropFlipFlopsAfterSynthesis }

/// <summary>
/// One yosys run: read the Verilog once; count the top's coarse `$mul`/`$macc` cells, synthesize
/// the top (kept as design.json for nextpnr), then do the same for the array alone, each from the
/// saved copy of the source. After each synthesis `check -mapped -assert` stops the run on a combinational
/// loop, a wire with several drivers, a used wire without a driver or a cell left unmapped: the
/// symptoms of a broken netlist (yosys 0.23's -abc9 on a hierarchical 7-series design left
/// hundreds of undriven wires and dropped half the DSP48E1 cells, and nothing noticed).
/// Counts come from `stat -json`'s hierarchy total.
/// </summary>
internal static partial class YosysRun
{
    public sealed record Result(CellCounts Design, CellCounts Array, string Version);

    private const string CheckMarker = "bit1hw-check:";

    public static string Script(SynthDesign d, SynthTarget target, SynthFaults faults)
    {
        string synth = SynthTargets.YosysSynth(target);
        var s = new List<string>
        {
            $"read_verilog -sv {string.Join(' ', RtlGenerator.VerilogFiles(d.Files))}",
            "design -save src",
            $"hierarchy -top {d.Top}", "proc", "flatten", "opt_clean",
            "tee -q -o coarse_design.json stat -json",
            "design -load src",
            $"{synth} -top {d.Top}",
        };
        // The iCE40 cells the generator may instantiate (SB_SPRAM256KA, SB_MAC16) as yosys's own black
        // boxes, so the elaboration before synthesis finds them; the sim-models are never read.
        if (target == SynthTarget.Ice40Up5k) s.Insert(0, "read_verilog -lib +/ice40/cells_sim.v");
        if (faults == SynthFaults.DropFlipFlopsAfterSynthesis) s.Add($"delete {SynthTargets.FlipFlopSelection(target)}");
        s.AddRange(
        [
            $"log {CheckMarker} {d.Top}", "check -mapped -assert",
            "tee -q -o stat_design.json stat -json",
            "write_json design.json",
            "design -load src",
            $"hierarchy -top {d.Array}", "proc", "flatten", "opt_clean",
            "tee -q -o coarse_array.json stat -json",
            $"{synth} -top {d.Array}",
            $"log {CheckMarker} {d.Array}", "check -mapped -assert",
            "tee -q -o stat_array.json stat -json",
            "",
        ]);
        return string.Join("\n", s);
    }

    public static readonly string[] Outputs = ["coarse_design.json", "stat_design.json", "design.json", "coarse_array.json", "stat_array.json", "yosys.log"];

    public static Result Run(SynthDesign d, SynthTarget target, string workDir, SynthFaults faults, Action<string>? toolOutput = null)
    {
        foreach (string f in Outputs) File.Delete(Path.Combine(workDir, f));
        foreach (var f in d.Files)
        {
            string path = Path.Combine(workDir, f.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, f.Text);
        }
        File.WriteAllText(Path.Combine(workDir, "synth.ys"), Script(d, target, faults));
        string[] args = toolOutput is null ? ["-q", "-l", "yosys.log", "-s", "synth.ys"] : ["-l", "yosys.log", "-s", "synth.ys"];
        var y = ToolRunner.Run("yosys", args, workDir, TimeSpan.FromMinutes(60), toolOutput);
        string logPath = Path.Combine(workDir, "yosys.log");
        string log = File.Exists(logPath) ? File.ReadAllText(logPath) : y.Stderr + y.Stdout;
        if (y.ExitCode != 0)
            throw new ExternalToolException("yosys", $"exit {y.ExitCode}: {Failure(log, SynthTargets.YosysSynth(target)) ?? LastLine(y.Stderr + y.Stdout)} (log: {logPath})");
        string statDesign = File.ReadAllText(Path.Combine(workDir, "stat_design.json"));
        int Muls(string file) => CellCounts.MultipliersInCoarseStat(File.ReadAllText(Path.Combine(workDir, file)));
        return new Result(
            CellCounts.FromStatJson(statDesign, target, Muls("coarse_design.json")),
            CellCounts.FromStatJson(File.ReadAllText(Path.Combine(workDir, "stat_array.json")), target, Muls("coarse_array.json")),
            Version(statDesign));
    }

    /// <summary>
    /// The one-line reason of a failed run: for a failed `check -assert`, the module, the number of
    /// problems and the first one; otherwise yosys's ERROR line. Null when the log has neither.
    /// </summary>
    internal static string? Failure(string log, string synth)
    {
        string[] lines = log.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int error = Array.FindLastIndex(lines, l => l.StartsWith("ERROR:", StringComparison.Ordinal));
        if (error < 0) return null;
        var m = CheckFailed().Match(lines[error]);
        if (!m.Success) return lines[error].Trim();
        int marker = Array.FindLastIndex(lines, error, l => l.Contains(CheckMarker, StringComparison.Ordinal));
        string module = marker < 0 ? "?" : lines[marker][(lines[marker].IndexOf(CheckMarker, StringComparison.Ordinal) + CheckMarker.Length)..].Trim();
        string? first = lines.Skip(marker + 1).Take(error - marker - 1)
            .FirstOrDefault(l => l.StartsWith("Warning:", StringComparison.Ordinal))?["Warning:".Length..].Trim().TrimEnd(':');
        int n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return $"check -assert found {n} problem{(n == 1 ? "" : "s")} in {module} after {synth}; first: {first ?? "(not in the log)"}";
    }

    private static string LastLine(string s) =>
        s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    private static string Version(string statJson)
    {
        using var doc = JsonDocument.Parse(statJson);
        return doc.RootElement.TryGetProperty("creator", out var c) ? c.GetString() ?? "yosys" : "yosys";
    }

    [GeneratedRegex(@"^ERROR: Found (\d+) problems in 'check -assert'")]
    private static partial Regex CheckFailed();
}
