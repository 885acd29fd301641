using System.Diagnostics;
using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Sweeps;

/// <summary>One synthesis point of a sweep: a configuration and how to run the FPGA flow on it.</summary>
public sealed record SynthPoint(HardwareConfig Config, SynthOptions Options)
{
    public string Name => $"{Config.Tag} {SynthTargets.Name(Options.Target)}";
}

/// <summary>
/// Where and how a sweep runs. <see cref="Dir"/> holds the cache of results (<see cref="SweepCache"/>);
/// a point whose result is already there is not run again. Points run on <see cref="Workers"/>
/// processes of this machine, or, with <see cref="Slurm"/>, as one Slurm job array whose tasks
/// write into <see cref="Dir"/> (which must then be a directory every node sees at the same path).
/// </summary>
public sealed record SweepOptions(string Dir)
{
    /// <summary>Points run at the same time on this machine.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>When set, the points that are not cached run as a Slurm job array instead of here.</summary>
    public SlurmOptions? Slurm { get; init; }

    /// <summary>The tools the keys are computed for; by default those on this machine's PATH.</summary>
    public ToolVersions? Tools { get; init; }
}

/// <summary>A point's report; <see cref="FromCache"/> when it was read back rather than run by this sweep.</summary>
public sealed record SynthPointResult(SynthPoint Point, string Key, SynthReport Report, bool FromCache);

/// <summary>
/// Runs many independent synthesis points (the exploration's last stage, issue 15). Each point's
/// key is <see cref="SweepKey"/>'s content hash; a point whose report is in the cache is read
/// back, the others run (points with the same key once) on local workers or as a Slurm job array,
/// and every result is then read from the cache, so a local run, a resumed run and a Slurm run
/// are merged the same way. Results come back in the points' order. A failed point does not stop
/// the others; the sweep then fails naming it and its log, and a rerun resumes from the cache.
/// </summary>
public static class SynthSweep
{
    public static IReadOnlyList<SynthPointResult> Run(IReadOnlyList<SynthPoint> points, SweepOptions opt, Action<string> progress)
    {
        if (opt.Workers < 1) throw new UserInputException("--workers", $"{opt.Workers} must be at least 1");
        var gate = new object();
        void Say(string m)
        {
            lock (gate) progress(m);
        }
        ToolVersions tools = opt.Tools ?? ToolVersions.OfThisMachine();
        string[] keys = points.Select(p => SweepKey.Of(p, tools)).ToArray();
        var cache = new SweepCache(opt.Dir);
        var cached = new SynthReport?[points.Count];
        var pending = new List<int>();
        var pendingKeys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < points.Count; i++)
        {
            cached[i] = cache.TryRead(keys[i]);
            if (cached[i] is null && pendingKeys.Add(keys[i])) pending.Add(i);
        }
        int hits = cached.Count(r => r is not null);
        string where = opt.Slurm is null ? $"here on {opt.Workers} worker{(opt.Workers == 1 ? "" : "s")}" : "as a Slurm job array";
        Say($"sweep: {points.Count} points, {hits} in the cache, {pending.Count} to run {where} (cache: {Path.Combine(cache.Dir, "cache")})");
        if (pending.Count > 0)
        {
            var jobs = pending.Select(i => new SweepJob(i, points.Count, points[i], keys[i])).ToList();
            if (opt.Slurm is { } slurm) SlurmArray.Run(jobs, cache, slurm, tools, Say);
            else RunHere(jobs, cache, opt.Workers, Say);
        }
        var results = new List<SynthPointResult>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            SynthReport r = cached[i] ?? cache.TryRead(keys[i])
                ?? throw new UnreachableException($"point {i + 1} ({points[i].Name}) ran but its report {cache.ReportPath(keys[i])} is missing");
            results.Add(new SynthPointResult(points[i], keys[i], r, FromCache: cached[i] is not null));
        }
        return results;
    }

    /// <summary>Runs the jobs on <paramref name="workers"/> threads, each driving its own yosys and nextpnr processes.</summary>
    private static void RunHere(IReadOnlyList<SweepJob> jobs, SweepCache cache, int workers, Action<string> say)
    {
        var failures = new List<(SweepJob Job, Exception Error)>();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = workers }, job =>
        {
            var clock = Stopwatch.StartNew();
            // Streamed tool output from several points at once would interleave on the terminal.
            SynthPoint p = workers == 1 ? job.Point : job.Point with { Options = job.Point.Options with { ToolOutput = null } };
            try
            {
                SynthReport r = cache.RunPoint(p, job.Key, m => say($"sweep: {job.Label} {m}"));
                say($"sweep: {job.Label} {p.Name} done in {clock.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s: {Summary(r)}");
            }
            catch (ExternalToolException e)
            {
                say($"sweep: {job.Label} {p.Name} FAILED: {e.Message}");
                lock (failures) failures.Add((job, e));
            }
        });
        if (failures.Count == 0) return;
        var (first, error) = failures.OrderBy(f => f.Job.Index).First();
        string more = failures.Count == 1 ? "" : $" (and {failures.Count - 1} more point{(failures.Count == 2 ? "" : "s")})";
        throw new ExternalToolException("sweep", $"point {first.Index + 1} ({first.Point.Name}) failed{more}: {error.Message}; " +
            $"the other results are cached, so a rerun runs only what failed (work directory: {cache.WorkDir(first.Key)})");
    }

    /// <summary>One line of what a point measured: LUTs, FFs, block RAM, DSP and Fmax.</summary>
    public static string Summary(SynthReport r)
    {
        string fmax = r.FmaxMhz is { } f ? $"{f.ToString("0.00", CultureInfo.InvariantCulture)} MHz" : "no Fmax";
        return $"{r.Design.Luts} LUTs, {r.Design.Ffs} FFs, {r.Design.Brams} BRAM, {r.Design.Sprams} SPRAM, {r.Design.Dsps} DSP, {fmax}";
    }
}

/// <summary>A point the sweep runs: its place in the sweep's list (for progress and errors) and its key.</summary>
internal sealed record SweepJob(int Index, int Count, SynthPoint Point, string Key)
{
    public string Label => $"[{Index + 1}/{Count}]";
}
