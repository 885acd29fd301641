using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Tools;

namespace Bit1HW.HdlGen.Synth;

public enum SynthTarget { Ice40Up5k, Xc7 }

/// <summary>Cell counts of one synthesized module.</summary>
public sealed record CellCounts(int Luts, int Ffs, int Brams, int Dsps, int Multipliers);

/// <summary>What <c>bit1hw synth</c> measures: the whole board design (engine + self-test wrapper)
/// and the PE array alone, which gives the LUTs per lane without memories and control.</summary>
public sealed record SynthReport(string Target, string Tag, CellCounts Design, CellCounts Array, int LanesTotal,
    double? FmaxMhz, string FmaxNote)
{
    public double LutsPerLane => Math.Round((double)Array.Luts / LanesTotal, 2);
}

/// <summary>
/// The FPGA flow: yosys reads the generated Verilog once, synthesizes the board wrapper (for
/// place and route) and, from a saved copy, the PE array alone; on iCE40 nextpnr-ice40 places the
/// board design on the iCEBreaker (UP5K, SG48, constraints/icebreaker.pcf) and its JSON report
/// gives Fmax. nextpnr exits non-zero when timing fails but still writes the report, so the report
/// is parsed whenever it exists. There is no open place-and-route for 7-series here, so xc7 gives
/// yosys cell counts only.
/// </summary>
public static class SynthFlow
{
    public static SynthTarget ParseTarget(string s) => s switch
    {
        "ice40-up5k" => SynthTarget.Ice40Up5k,
        "xc7" => SynthTarget.Xc7,
        _ => throw new UserInputException("--target", $"'{s}' is not a supported target (ice40-up5k, xc7)"),
    };

    public static string TargetName(SynthTarget t) => t == SynthTarget.Ice40Up5k ? "ice40-up5k" : "xc7";

    public static SynthReport Run(HardwareConfig cfg, SynthTarget target, string workDir, string pcfPath, Action<string> progress,
        bool placeAndRoute = true)
    {
        ToolRunner.Require("yosys");
        if (target == SynthTarget.Ice40Up5k && placeAndRoute) ToolRunner.Require("nextpnr-ice40");
        Directory.CreateDirectory(workDir);
        var files = RtlGenerator.Generate(cfg);
        foreach (var f in files) File.WriteAllText(Path.Combine(workDir, f.RelativePath), f.Text);
        string synth = target == SynthTarget.Ice40Up5k ? "synth_ice40" : "synth_xilinx -abc9";
        string board = RtlGenerator.BoardModule(cfg), array = RtlGenerator.ArrayModule(cfg);
        string script = string.Join("\n",
            $"read_verilog -sv {string.Join(' ', RtlGenerator.VerilogFiles(files))}",
            "design -save src",
            $"{synth} -top {board}",
            "write_json board.json", // synth_ice40 has -json, but yosys 0.23's synth_xilinx does not
            "tee -q -o stat_design.txt stat",
            "design -load src",
            $"hierarchy -top {array}", "proc", "flatten", "opt_clean",
            "tee -q -o coarse_array.txt stat",
            $"{synth} -top {array}",
            "tee -q -o stat_array.txt stat", "");
        File.WriteAllText(Path.Combine(workDir, "synth.ys"), script);
        progress($"synth: yosys {synth} on {board} and {array} (log: {Path.Combine(workDir, "yosys.log")})");
        var y = ToolRunner.Run("yosys", ["-q", "-l", "yosys.log", "-s", "synth.ys"], workDir, TimeSpan.FromMinutes(60));
        if (y.ExitCode != 0)
            throw new ExternalToolException("yosys", $"exit {y.ExitCode}: {FirstError(Path.Combine(workDir, "yosys.log"), y)}");
        CellCounts design = Count(File.ReadAllText(Path.Combine(workDir, "stat_design.txt")), target, 0);
        int muls = Count(File.ReadAllText(Path.Combine(workDir, "coarse_array.txt")), target, 0).Multipliers;
        CellCounts arr = Count(File.ReadAllText(Path.Combine(workDir, "stat_array.txt")), target, muls);
        design = design with { Multipliers = muls };
        if (target == SynthTarget.Xc7)
            return new SynthReport(TargetName(target), cfg.Tag, design, arr, cfg.Lanes * cfg.Rows, null, "no open 7-series place-and-route: yosys only");
        if (!placeAndRoute)
            return new SynthReport(TargetName(target), cfg.Tag, design, arr, cfg.Lanes * cfg.Rows, null, "--yosys-only: not placed");
        progress("synth: nextpnr-ice40 --up5k --package sg48 (iCEBreaker pins, 12 MHz constraint)");
        var p = ToolRunner.Run("nextpnr-ice40", ["--up5k", "--package", "sg48", "--json", "board.json", "--pcf", pcfPath,
            "--freq", "12", "--report", "pnr_report.json", "--log", "nextpnr.log", "--quiet"], workDir, TimeSpan.FromMinutes(60));
        string reportPath = Path.Combine(workDir, "pnr_report.json");
        if (!File.Exists(reportPath))
            return new SynthReport(TargetName(target), cfg.Tag, design, arr, cfg.Lanes * cfg.Rows, null,
                $"nextpnr failed (exit {p.ExitCode}): {FirstError(Path.Combine(workDir, "nextpnr.log"), p)}");
        double? fmax = ParseFmax(File.ReadAllText(reportPath));
        string note = p.ExitCode == 0 ? "placed and routed on iCE40UP5K-SG48; timing met at 12 MHz" : $"placed and routed; nextpnr exit {p.ExitCode} (timing or routing failed)";
        return new SynthReport(TargetName(target), cfg.Tag, design, arr, cfg.Lanes * cfg.Rows, fmax, note);
    }

    private static string FirstError(string log, ToolResult r)
    {
        string text = File.Exists(log) ? File.ReadAllText(log) : r.Stderr + r.Stdout;
        return text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("ERROR", StringComparison.Ordinal))
            ?? LastLine(r.Stderr + r.Stdout);
    }

    private static string LastLine(string s) =>
        s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.Length > 0) ?? "(no output)";

    /// <summary>The slowest clock's achieved frequency in nextpnr's --report JSON.</summary>
    public static double? ParseFmax(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("fmax", out var fmax)) return null;
        double? min = null;
        foreach (var clk in fmax.EnumerateObject())
        {
            double v = clk.Value.GetProperty("achieved").GetDouble();
            min = min is null ? v : Math.Min(min.Value, v);
        }
        return min is null ? null : Math.Round(min.Value, 2);
    }

    private static readonly Regex CellLine = new(@"^\s+(\S+)\s+(\d+)\s*$", RegexOptions.Multiline);

    /// <summary>Sums yosys `stat` cell lines into LUT, FF, block RAM, DSP and multiplier counts.</summary>
    public static CellCounts Count(string stat, SynthTarget target, int multipliers)
    {
        int luts = 0, ffs = 0, brams = 0, dsps = 0, muls = 0;
        foreach (Match m in CellLine.Matches(stat))
        {
            string cell = m.Groups[1].Value;
            int n = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (cell is "$mul" or "$macc") muls += n;
            if (target == SynthTarget.Ice40Up5k)
            {
                if (cell == "SB_LUT4") luts += n;
                else if (cell.StartsWith("SB_DFF", StringComparison.Ordinal)) ffs += n;
                else if (cell.StartsWith("SB_RAM40", StringComparison.Ordinal)) brams += n;
                else if (cell == "SB_MAC16") dsps += n;
            }
            else
            {
                if (Regex.IsMatch(cell, "^LUT[1-6]$")) luts += n;
                else if (Regex.IsMatch(cell, "^FD[RSCP]E$")) ffs += n;
                else if (cell.StartsWith("RAMB", StringComparison.Ordinal)) brams += n;
                else if (cell.StartsWith("DSP48", StringComparison.Ordinal)) dsps += n;
            }
        }
        return new CellCounts(luts, ffs, brams, dsps, Math.Max(muls, multipliers));
    }
}
