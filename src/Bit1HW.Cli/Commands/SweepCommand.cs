using System.CommandLine;
using Bit1HW.Core.IO;
using Bit1HW.Flows.Sweeps;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw sweep</c>: synthesizes a list of points (docs/sweeps.md) through <see cref="SynthSweep"/>,
/// on local workers or as a Slurm job array, and writes results.json and results.csv into the
/// output directory, whose cache/ makes a rerun resume. <c>bit1hw sweep-task</c> is one array task.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var points = new Option<string>("--points") { Description = "JSON array of points: {\"config\": {...} or \"file.json\", \"target\": \"xc7\"|\"ice40-up5k\", \"yosysOnly\", \"seeds\", \"targetMhz\", \"accumulators\"}", Required = true };
        var outDir = new Option<string>("--out") { Description = "Sweep directory: cache/ (one result per content hash), results.json, results.csv; shared by the nodes with --slurm", Required = true };
        var json = Flags.Json("results.json");
        var quiet = Flags.Quiet();
        var sweep = new SweepOptionsFlags();
        var cmd = new Command("sweep", "Synthesize many points on local workers or as one Slurm job array, cached by content hash; an interrupted sweep resumes.")
            .WithExamples("bit1hw sweep --points docs/examples/sweep-small.json --out build/sweep --workers 2",
                "bit1hw sweep --points docs/examples/sweep-small.json --out /shared/sweep --slurm --slurm-partition eda");
        cmd.Add(points);
        cmd.Add(outDir);
        sweep.AddTo(cmd);
        cmd.Add(json);
        cmd.Add(quiet);
        cmd.SetAction(parse =>
        {
            string dir = Flags.Path(parse.GetValue(outDir), "--out");
            SweepOptions opt = sweep.Read(parse, dir);
            var list = SweepPointJson.ReadFile(Flags.Path(parse.GetValue(points), "--points"), Pcf);
            var results = RunWithStatus(parse, parse.GetValue(quiet), list, opt);
            string resultsJson = SweepResults.Json(results);
            AtomicFile.WriteAllText(Path.Combine(dir, "results.json"), resultsJson);
            AtomicFile.WriteAllText(Path.Combine(dir, "results.csv"), SweepResults.Csv(results));
            parse.InvocationConfiguration.Output.Write(parse.GetValue(json) ? resultsJson : SweepResults.Table(results));
            if (!parse.GetValue(quiet)) parse.InvocationConfiguration.Error.WriteLine($"sweep: results in {Path.Combine(dir, "results.json")} and results.csv");
            return 0;
        });
        return cmd;
    }

    /// <summary>The iCEBreaker's pins, installed next to the program.</summary>
    public static string Pcf => Path.Combine(AppContext.BaseDirectory, "constraints", "icebreaker.pcf");

    private static IReadOnlyList<SynthPointResult> RunWithStatus(ParseResult parse, bool quiet, IReadOnlyList<SynthPoint> list, SweepOptions opt)
    {
        using var status = Flags.Status(parse, quiet);
        return SynthSweep.Run(list, opt, status.Step);
    }

    /// <summary><c>bit1hw sweep-task</c>: what each Slurm array task runs.</summary>
    public static Command CreateTask()
    {
        var manifest = new Option<string>("--manifest") { Description = "The sweep's job manifest (DIR/slurm/manifest.json)", Required = true };
        var index = new Option<int>("--index") { Description = "The task to run (the array task id, $SLURM_ARRAY_TASK_ID)", Required = true };
        var cmd = new Command("sweep-task", "Run one task of a sweep's job manifest into its cache (what each Slurm array task of bit1hw sweep --slurm runs).")
            .WithExamples("bit1hw sweep-task --manifest build/sweep/slurm/manifest.json --index 0");
        cmd.Hidden = true;   // run by the Slurm array's tasks, not by a person: its own --help still works
        cmd.Add(manifest);
        cmd.Add(index);
        cmd.SetAction(parse =>
        {
            var err = parse.InvocationConfiguration.Error;
            var r = SweepWorker.RunTask(Flags.Path(parse.GetValue(manifest), "--manifest"), parse.GetValue(index), err.WriteLine);
            parse.InvocationConfiguration.Output.WriteLine($"sweep-task: {r.Tag} {Bit1HW.HdlGen.Synth.SynthTargets.Name(r.Target)}: {SynthSweep.Summary(r)}");
            return 0;
        });
        return cmd;
    }
}
