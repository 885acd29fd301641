using System.Globalization;
using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.Tools;

namespace Bit1HW.HdlGen.Synth;

/// <summary>
/// The slowest path of a placed and routed design, as nextpnr reports it: where it starts (a
/// cell's output pin) and ends (a cell's input pin), and its delay split into cell and wire time.
/// </summary>
public sealed record CriticalPath(string From, string To, double DelayNs, double LogicNs, double RoutingNs);

/// <summary>One nextpnr run: its seed, the achieved Fmax of the slowest clock and that clock's critical path.</summary>
public sealed record SeedResult(int Seed, double FmaxMhz, CriticalPath? Path);

/// <summary>
/// Place and route with several seeds, run one after another. <see cref="Median"/> is the median
/// seed by Fmax (for an even count, the lower of the two middle ones, so the reported Fmax and
/// critical path come from one real run). <see cref="LogicCells"/> is nextpnr's placed
/// ICESTORM_LC count. <see cref="Failure"/> is nextpnr's error when it could not place or route.
/// </summary>
public sealed record PlaceRoute(double TargetMhz, IReadOnlyList<SeedResult> Seeds, int? LogicCells, string? Failure)
{
    public SeedResult? Median => Seeds.Count == 0 ? null
        : Seeds.OrderBy(s => s.FmaxMhz).ThenBy(s => s.Seed).ElementAt((Seeds.Count - 1) / 2);
}

/// <summary>
/// Runs nextpnr-ice40 on the iCEBreaker (UP5K, SG48, constraints/icebreaker.pcf) once per seed and
/// reads its --report JSON. nextpnr 0.4 exits non-zero when the target frequency is not met but
/// still writes the report, so a report means a routed design whatever the exit code; no report
/// means it failed, and the log's ERROR line says why.
/// </summary>
internal static class NextpnrRun
{
    /// <summary>The nextpnr-ice40 arguments for one seed, run in the work directory; <paramref name="quiet"/> unless its
    /// progress is streamed; with <paramref name="asc"/> the placed and routed design is also written as that IceStorm
    /// text file (icepack turns it into the bitstream).</summary>
    public static List<string> Args(string pcfPath, double targetMhz, int seed, string? asc, bool quiet = true)
    {
        var args = new List<string> { "--up5k", "--package", "sg48", "--json", "design.json", "--pcf", pcfPath,
            "--freq", Num(targetMhz), "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--report", $"pnr_seed{seed}.json", "--log", $"nextpnr_seed{seed}.log" };
        if (quiet) args.Add("--quiet");
        if (asc is not null) args.AddRange(["--asc", asc]);
        return args;
    }

    /// <summary>The .asc file seed <paramref name="seed"/> writes when the flow asks for one.</summary>
    public static string AscFile(int seed) => $"pnr_seed{seed}.asc";

    public static PlaceRoute Run(string workDir, string pcfPath, int seeds, double targetMhz, CellCounts yosys, Action<string> progress, int firstStep, int steps,
        Action<string>? toolOutput = null, bool writeAsc = false)
    {
        var results = new List<SeedResult>();
        int? logicCells = null;
        for (int seed = 1; seed <= seeds; seed++)
        {
            progress($"synth: [{firstStep + seed - 1}/{steps}] nextpnr-ice40 --seed {seed} ({seed} of {seeds}, target {Num(targetMhz)} MHz)");
            string report = Path.Combine(workDir, $"pnr_seed{seed}.json"), log = Path.Combine(workDir, $"nextpnr_seed{seed}.log");
            File.Delete(report);
            if (writeAsc) File.Delete(Path.Combine(workDir, AscFile(seed)));
            var p = ToolRunner.Run("nextpnr-ice40", Args(pcfPath, targetMhz, seed, writeAsc ? AscFile(seed) : null, quiet: toolOutput is null),
                workDir, TimeSpan.FromMinutes(60), toolOutput);
            if (!File.Exists(report))
                return new PlaceRoute(targetMhz, results, logicCells, $"nextpnr-ice40 exit {p.ExitCode}: {FirstError(log, p)}");
            string json = File.ReadAllText(report);
            int cells = CheckUtilization(json, yosys);
            if (logicCells is { } c && c != cells)
                throw new ExternalToolException("nextpnr-ice40", $"seed {seed} placed {cells} logic cells, seed 1 placed {c}: packing should not depend on the seed");
            logicCells = cells;
            SeedResult r = ParseReport(seed, json);
            results.Add(r);
            progress($"synth: seed {seed}: {Num(r.FmaxMhz)} MHz");
        }
        return new PlaceRoute(targetMhz, results, logicCells, null);
    }

    /// <summary>Fmax (the slowest clock's achieved frequency) and that clock's critical path from nextpnr's --report JSON.</summary>
    public static SeedResult ParseReport(int seed, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (!root.TryGetProperty("fmax", out var fmax) || !fmax.EnumerateObject().Any())
            throw new ExternalToolException("nextpnr-ice40", $"seed {seed}: the report has no clock in \"fmax\" (is the clock pin constrained?)");
        var slowest = fmax.EnumerateObject().MinBy(c => c.Value.GetProperty("achieved").GetDouble());
        double mhz = Math.Round(slowest.Value.GetProperty("achieved").GetDouble(), 2);
        return new SeedResult(seed, mhz, root.TryGetProperty("critical_paths", out var paths) ? PathOf(paths, slowest.Name) : null);
    }

    /// <summary>
    /// The clock's register-to-register path. In nextpnr 0.4's report the first segment is the
    /// clock-to-output (or the source) of the launching cell, named in its "to" field, and the
    /// last is the setup at the capturing cell; the log's "Critical path report" agrees.
    /// </summary>
    private static CriticalPath? PathOf(JsonElement paths, string clock)
    {
        foreach (var p in paths.EnumerateArray())
        {
            string from = p.GetProperty("from").GetString() ?? "", to = p.GetProperty("to").GetString() ?? "";
            if (!from.EndsWith(" " + clock, StringComparison.Ordinal) || !to.EndsWith(" " + clock, StringComparison.Ordinal)) continue;
            var segs = p.GetProperty("path").EnumerateArray().ToList();
            if (segs.Count == 0) return null;
            double logic = 0, routing = 0;
            foreach (var s in segs)
            {
                double d = s.GetProperty("delay").GetDouble();
                if (s.GetProperty("type").GetString() == "routing") routing += d; else logic += d;
            }
            return new CriticalPath(Pin(segs[0].GetProperty("to")), Pin(segs[^1].GetProperty("to")),
                Math.Round(logic + routing, 2), Math.Round(logic, 2), Math.Round(routing, 2));
        }
        return null;
    }

    private static string Pin(JsonElement e) => $"{e.GetProperty("cell").GetString()}.{e.GetProperty("port").GetString()}";

    /// <summary>
    /// nextpnr's placed cells against yosys's netlist: block RAM, SPRAM and DSP cells must match
    /// one for one, and a logic cell holds at most one LUT4 and one FF, so the placed logic cells
    /// lie between max(LUT4, FF) and LUT4 + FF + 2 · SB_CARRY (a carry chain may need an extra cell
    /// to feed its carry in). Returns ICESTORM_LC.
    /// </summary>
    internal static int CheckUtilization(string json, CellCounts y)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("utilization", out var u))
            throw new ExternalToolException("nextpnr-ice40", "the report has no \"utilization\"");
        int Used(string bel) => u.TryGetProperty(bel, out var b) ? b.GetProperty("used").GetInt32() : 0;
        Same("ICESTORM_RAM", Used("ICESTORM_RAM"), "SB_RAM40_4K", y.Brams);
        Same("ICESTORM_SPRAM", Used("ICESTORM_SPRAM"), "SB_SPRAM256KA", y.Sprams);
        Same("ICESTORM_DSP", Used("ICESTORM_DSP"), "SB_MAC16", y.Dsps);
        int lc = Used("ICESTORM_LC"), carries = y.Units(CellKind.Carry);
        int low = Math.Max(y.Luts, y.Ffs), high = y.Luts + y.Ffs + 2 * carries;
        if (lc < low || lc > high)
            throw new ExternalToolException("nextpnr-ice40",
                $"placed {lc} ICESTORM_LC, outside [{low}, {high}] from yosys's {y.Luts} SB_LUT4, {y.Ffs} FFs, {carries} SB_CARRY");
        return lc;
    }

    private static void Same(string bel, int placed, string cell, int synthesized)
    {
        if (placed != synthesized)
            throw new ExternalToolException("nextpnr-ice40", $"placed {placed} {bel} but yosys's netlist has {synthesized} {cell}");
    }

    private static string FirstError(string log, ToolResult r)
    {
        string text = File.Exists(log) ? File.ReadAllText(log) : r.Stderr + r.Stdout;
        string? error = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("ERROR", StringComparison.Ordinal));
        if (error is null)
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
        int repeat = error.IndexOf("ERROR", 1, StringComparison.Ordinal); // nextpnr 0.4 prints its last error twice on one line
        return repeat > 0 ? error[..repeat] : error;
    }

    internal static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
