using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Core.Tools;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Sweeps;

/// <summary>
/// How a sweep submits to Slurm. <see cref="Worker"/> is the command that runs bit1hw on a node
/// (the same program as the submitting one, at a path every node sees); <see cref="ExtraArgs"/>
/// are passed to sbatch as they are (site options: account, time limit, QOS, constraints).
/// <see cref="MaxParallel"/> caps the array's running tasks (sbatch's %M); 0 leaves it to Slurm.
/// </summary>
public sealed record SlurmOptions(IReadOnlyList<string> Worker)
{
    public string? Partition { get; init; }
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
    public int MaxParallel { get; init; }
    /// <summary>The sbatch program (a name on PATH or a path; the tests use a fake one).</summary>
    public string Sbatch { get; init; } = "sbatch";
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runs a sweep's pending points as ONE Slurm job array: writes DIR/slurm/manifest.json and
/// DIR/slurm/sweep.sbatch, whose task i runs <c>bit1hw sweep-task --manifest M --index i</c>
/// (<see cref="SweepWorker"/>), and submits it with <c>sbatch --wait</c>, which returns when every
/// task has ended. While it waits, each point is reported when its report appears in the cache.
/// A task that left no report is named with its log, DIR/slurm/logs/JOB_TASK.log.
/// </summary>
internal static class SlurmArray
{
    public static void Run(IReadOnlyList<SweepJob> jobs, SweepCache cache, SlurmOptions slurm, ToolVersions tools, Action<string> say)
    {
        if (!ToolRunner.IsInstalled(slurm.Sbatch))
            throw new ExternalToolException(slurm.Sbatch, "not found: --slurm needs Slurm's sbatch on PATH (or --slurm-sbatch PATH)");
        string slurmDir = Path.Combine(cache.Dir, "slurm"), manifest = Path.Combine(slurmDir, "manifest.json");
        string script = Path.Combine(slurmDir, "sweep.sbatch"), logs = Path.Combine(slurmDir, "logs");
        new SweepManifest(tools, jobs.Select(j => new SweepTask(j.Key, j.Point)).ToList()).Write(manifest);
        AtomicFile.WriteAllText(script, Script(slurm.Worker, manifest));
        Directory.CreateDirectory(logs);
        var args = SbatchArgs(jobs.Count, slurm, logs, script);
        say($"sweep: {slurm.Sbatch} {string.Join(' ', args)}");
        string? jobId = null;
        var submit = Task.Run(() => ToolRunner.Run(slurm.Sbatch, args, slurmDir, TimeSpan.FromDays(7), line =>
        {
            if (jobId is null && JobIdOf(line) is { } id)
            {
                jobId = id;
                say($"sweep: Slurm job {id}: {jobs.Count} array task{(jobs.Count == 1 ? "" : "s")}, logs in {logs}");
            }
        }));
        var reported = new bool[jobs.Count];
        while (!submit.Wait(slurm.PollInterval)) Report(jobs, cache, reported, say);
        ToolResult r = submit.Result;
        Report(jobs, cache, reported, say);
        var missing = Enumerable.Range(0, jobs.Count).Where(t => !reported[t]).ToList();
        if (missing.Count == 0) return;
        if (jobId is null)
            throw new ExternalToolException(slurm.Sbatch, $"exit {r.ExitCode}, no job submitted: {LastLine(r.Stderr + r.Stdout)}");
        int t0 = missing[0];
        string log = Path.Combine(logs, $"{jobId}_{t0}.log");
        string others = missing.Count == 1 ? "" : $" (and {missing.Count - 1} more: tasks {string.Join(", ", missing.Skip(1))})";
        throw new ExternalToolException("slurm",
            $"job {jobId} task {t0} (point {jobs[t0].Index + 1}, {jobs[t0].Point.Name}) left no result{others}: {LastLogLine(log)} (log: {log}); " +
            "the finished tasks' results are cached, so a rerun submits only the rest");
    }

    /// <summary>The batch script: every task runs the worker on its own index of the manifest.</summary>
    public static string Script(IReadOnlyList<string> worker, string manifest)
    {
        var s = new StringBuilder();
        s.Append("#!/bin/sh\n");
        s.Append("# A bit1hw synthesis sweep: array task i synthesizes task i of the manifest into the sweep's cache (docs/sweeps.md).\n");
        s.Append("exec ").AppendJoin(' ', worker.Select(Quote)).Append(" sweep-task --manifest ").Append(Quote(manifest))
            .Append(" --index \"$SLURM_ARRAY_TASK_ID\"\n");
        return s.ToString();
    }

    public static List<string> SbatchArgs(int tasks, SlurmOptions slurm, string logs, string script)
    {
        string cap = slurm.MaxParallel > 0 ? "%" + slurm.MaxParallel.ToString(CultureInfo.InvariantCulture) : "";
        var args = new List<string>
        {
            "--parsable", "--wait", "--job-name=bit1hw-sweep", "--cpus-per-task=1",
            string.Create(CultureInfo.InvariantCulture, $"--array=0-{tasks - 1}{cap}"),
            $"--output={Path.Combine(logs, "%A_%a.log")}",
        };
        if (slurm.Partition is { Length: > 0 } p) args.Add($"--partition={p}");
        args.AddRange(slurm.ExtraArgs);
        args.Add(script);
        return args;
    }

    /// <summary>The job id of sbatch --parsable's line ("ID" or "ID;cluster"), or null for any other line.</summary>
    internal static string? JobIdOf(string line)
    {
        string id = line.Split(';')[0].Trim();
        return id.Length > 0 && id.All(char.IsAsciiDigit) ? id : null;
    }

    private static void Report(IReadOnlyList<SweepJob> jobs, SweepCache cache, bool[] reported, Action<string> say)
    {
        for (int t = 0; t < jobs.Count; t++)
        {
            if (reported[t] || cache.TryRead(jobs[t].Key) is not { } r) continue;
            reported[t] = true;
            say($"sweep: {jobs[t].Label} {jobs[t].Point.Name} done (Slurm task {t}): {SynthSweep.Summary(r)}");
        }
    }

    private static string LastLogLine(string log) => File.Exists(log) ? LastLine(File.ReadAllText(log)) : "the task wrote no log";

    private static string LastLine(string s) =>
        s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    /// <summary>A word for sh: single-quoted unless it is plainly safe.</summary>
    internal static string Quote(string w) =>
        w.Length > 0 && w.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@".Contains(c)) ? w : "'" + w.Replace("'", "'\\''") + "'";
}

/// <summary>
/// <c>bit1hw sweep-task</c>: one array task. Runs task <c>index</c> of a manifest into the sweep's
/// cache, after checking that this node computes the same key (same bit1hw, same tool versions):
/// otherwise its result would be filed under a key that does not describe it.
/// </summary>
public static class SweepWorker
{
    public static SynthReport RunTask(string manifestPath, int index, Action<string> progress)
    {
        SweepManifest m = SweepManifest.Read(manifestPath);
        if (index < 0 || index >= m.Tasks.Count)
            throw new UserInputException("--index", $"{index} is not a task of {manifestPath}, which has {m.Tasks.Count} (numbered from 0)");
        SweepTask task = m.Tasks[index];
        var cache = new SweepCache(SweepManifest.SweepDirOf(manifestPath));
        ToolVersions here = ToolVersions.OfThisMachine();
        string key = SweepKey.Of(task.Point, here);
        if (key != task.Key)
            throw new ExternalToolException("sweep-task", $"task {index} ({task.Point.Name}): this node's key {key[..12]} is not the manifest's {task.Key[..12]}: " +
                $"its tools (yosys '{here.Yosys}', nextpnr '{here.Nextpnr}'; manifest: '{m.Tools.Yosys}', '{m.Tools.Nextpnr}') or its bit1hw differ from the submitting machine's");
        if (cache.TryRead(key) is { } done)
        {
            progress($"sweep-task: task {index} ({task.Point.Name}) is already in the cache");
            return done;
        }
        progress($"sweep-task: task {index} ({task.Point.Name}) into {cache.PointDir(key)}");
        return cache.RunPoint(task.Point, key, progress);
    }
}
