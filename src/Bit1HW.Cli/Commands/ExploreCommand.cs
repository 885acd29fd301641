using System.CommandLine;
using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Core.Text;
using Bit1HW.Energy.Reporting;
using Bit1HW.Energy.Technology;
using Bit1HW.Flows;
using Bit1HW.Flows.Explore;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw explore</c>: which configuration runs a model best on a part within a budget
/// (docs/explore.md). Every flag, the model, the budget and the space are checked before any work;
/// the outputs (points.csv, points.json, front.csv, front.png) are written, each atomically, only
/// when everything has run; the synthesis stage works in DIR/sweep, where a rerun finds its results.
/// </summary>
internal static class ExploreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A shipped model id (bit1hw energy --list), a Hugging Face config.json or a .gguf file", Required = true };
        var target = new Option<string>("--target") { Description = "ice40-up5k or xc7: the RTL, the resource model and the synthesis flow", Required = true };
        var budget = new Option<string?>("--budget") { Description = "Resources a point may use, key=value comma-separated (luts, ffs, brams, sprams, dsps); default the UP5K's capacity, or for xc7 the XC7A100T's" };
        var space = new Option<string?>("--space") { Description = "A JSON file of the lists to enumerate (docs/explore.md); keys left out keep the target's default" };
        var outDir = new Option<string>("--out") { Description = "Directory for points.csv, points.json, front.csv, front.png (and sweep/, the synthesis work)", Required = true };
        var clock = new Option<double?>("--clock-mhz") { Description = "Engine clock in MHz (default: ice40-up5k 48, xc7 100)" };
        var bandwidth = new Option<double?>("--bandwidth-gbs") { Description = "Memory bandwidth the weights come at, GB/s (default: ice40-up5k none, the host writes a word per cycle; xc7 1.6)" };
        var latency = new Option<double>("--latency-ns") { Description = "First-beat latency of a streaming engine's bursts in ns", DefaultValueFactory = _ => 120 };
        var node = new Option<string>("--node") { Description = "Technology node the energy is priced at (bit1hw energy --list)", DefaultValueFactory = _ => "7nm" };
        var synthesize = Flags.Count("--synthesize", "Points near the Pareto front to synthesize for measured area and Fmax (0: none)", 4, min: 0);
        var seeds = Flags.Count("--seeds", $"nextpnr seeds per synthesized iCE40 point (1..{SynthOptions.MaxSeeds}); Fmax is their median", 3);
        var yosysOnly = new Option<bool>("--yosys-only") { Description = "Synthesize without nextpnr (cell counts only, no Fmax)" };
        var json = Flags.Json("points.json");
        var quiet = Flags.Quiet();
        var sweep = new SweepOptionsFlags();
        var cmd = new Command("explore", "Design-space exploration: enumerate configurations, prune with the resource model, project tokens/s and J/token " +
            "from the compiler's cycles, mark the Pareto front (LUTs vs tokens/s) and synthesize the points near it.")
            .WithExamples("bit1hw explore --model bitnet-b1.58-2b-4t --target ice40-up5k --out build/explore/up5k",
                "bit1hw explore --model bitnet-b1.58-2b-4t --target xc7 --budget luts=63400,brams=270,dsps=240 --synthesize 2 --out build/explore/xc7",
                "bit1hw explore --model bitnet-b1.58-2b-4t --target xc7 --bandwidth-gbs 12.8 --clock-mhz 250 --synthesize 0 --json --out build/explore/kv260");
        foreach (Option o in new Option[] { model, target, budget, space, outDir, clock, bandwidth, latency, node, synthesize, seeds, yosysOnly, json, quiet })
            cmd.Add(o);
        sweep.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            SynthTarget t = SynthTargets.Parse(parse.GetValue(target)!);
            string dir = Flags.Path(parse.GetValue(outDir), "--out");
            if (File.Exists(dir)) throw new UserInputException(dir, "is a file; give a directory for --out");
            ExploreMemory defaults = ExploreMemory.Default(t);
            if (parse.GetValue(bandwidth) is <= 0) throw new UserInputException("--bandwidth-gbs", "the memory bandwidth must be positive");
            var memory = new ExploreMemory(parse.GetValue(clock) ?? defaults.ClockMhz, parse.GetValue(bandwidth) ?? defaults.BandwidthGbs,
                parse.GetValue(latency)).Validate();
            var synthOptions = new SynthOptions(t)
            {
                PlaceAndRoute = !parse.GetValue(yosysOnly), Seeds = parse.GetValue(seeds),
                PcfPath = Path.Combine(AppContext.BaseDirectory, "constraints", "icebreaker.pcf"),
            }.Validate();
            var request = new ExploreRequest(ModelShape.Resolve(parse.GetValue(model)!), t, ExploreBudget.Parse(parse.GetValue(budget), t),
                parse.GetValue(space) is { } s ? ExploreSpace.Load(s, t) : ExploreSpace.Default(t), memory,
                TechnologyNode.Resolve(parse.GetValue(node)!), parse.GetValue(synthesize), synthOptions);
            using var status = Flags.Status(parse, parse.GetValue(quiet));
            request = request with { SynthOptions = synthOptions with { ToolOutput = status.Mode == Terminal.DisplayMode.Live ? status.Detail : null } };
            ExploreResult result = Explorer.Run(request, sweep.Read(parse, Path.Combine(dir, "sweep")), status, status.Step);
            string pointsJson = ExploreFiles.Json(result);
            AtomicFile.WriteAllText(Path.Combine(dir, "points.json"), pointsJson);
            AtomicFile.WriteAllText(Path.Combine(dir, "points.csv"), ExploreFiles.Csv(result.Points, result.Request));
            AtomicFile.WriteAllText(Path.Combine(dir, "front.csv"), ExploreFiles.Csv(result.Front, result.Request));
            ChartFile.Save(ExploreChart.Build(result), Path.Combine(dir, "front.png"), ExploreChart.WidthPixels, ExploreChart.HeightPixels, "--out");
            status.Dispose();
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) o.Write(pointsJson);
            else Print(o, result, dir);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static void Print(TextWriter o, ExploreResult r, string dir)
    {
        ExploreRequest q = r.Request;
        int kept = r.Points.Count(p => p.Projection is not null);
        o.WriteLine(string.Create(Inv, $"explore {q.Model.Name} on {SynthTargets.Name(q.Target)}: {r.Points.Count} configurations ({r.Skipped} invalid combinations skipped), " +
            $"{kept} within the budget {q.Budget}, {r.Front.Count()} on the Pareto front"));
        o.WriteLine(string.Create(Inv, $"clock {q.Memory.ClockMhz:0.###} MHz, memory {(q.Memory.BandwidthGbs is { } b ? $"{b:0.###} GB/s" : "none (the host writes a word per cycle)")}, energy at {q.Node.Name}"));
        var table = new TextTable(new TextColumn("front configuration", Width: 44), new TextColumn("LUTs", AlignRight: true, Width: 6),
            new TextColumn("cycles/token", AlignRight: true, Width: 13), new TextColumn("tokens/s", AlignRight: true, Width: 9),
            new TextColumn("bound", Width: 6), new TextColumn("J/token", AlignRight: true, Width: 9),
            new TextColumn("measured LUTs", AlignRight: true, Width: 13), new TextColumn("Fmax MHz", AlignRight: true, Width: 8)) { Separator = " " };
        o.Write(table.FormatHeader());
        foreach (ExplorePoint p in r.Front.OrderBy(p => p.Predicted.Luts))
        {
            string measured = p.Measured is null ? "" : p.Measured.Design.Luts.ToString(Inv) + (p.MeasuredExceeds(q.Budget) is null ? "" : " (over)");
            TokenProjection t = p.Projection!;
            o.Write(table.FormatRow(p.Name, p.Predicted.Luts.ToString(Inv), t.CyclesPerToken.ToString(Inv), t.TokensPerSecond.ToString("G4", Inv),
                ExploreFiles.Bound(t.Bound), ExploreChart.Energy(t.JoulesPerToken), measured, p.Measured?.FmaxMhz?.ToString("0.##", Inv) ?? ""));
        }
        foreach (ExplorePoint p in r.Front.Where(p => p.MeasuredExceeds(q.Budget) is not null))
            o.WriteLine($"synthesized {p.Name} exceeds the budget: {p.MeasuredExceeds(q.Budget)} (measured)");
        foreach (ExplorePoint p in r.Points.Where(p => p.Measured is not null && !p.OnFront))
        {
            string fmax = p.Measured!.FmaxMhz is { } f ? ", Fmax " + f.ToString("0.##", Inv) + " MHz" : "";
            if (p.MeasuredExceeds(q.Budget) is { } over) fmax += $", exceeds the budget ({over})";
            o.WriteLine(string.Create(Inv, $"near the front, synthesized: {p.Name}: predicted {p.Predicted.Luts} LUTs, measured {p.Measured.Design.Luts}{fmax}"));
        }
        o.WriteLine($"wrote {Path.Combine(dir, "points.csv")}, points.json, front.csv and front.png");
    }
}
