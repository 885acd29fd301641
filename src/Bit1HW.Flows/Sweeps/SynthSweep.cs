using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Sweeps;

/// <summary>One synthesis point of a sweep: a configuration and how to run the FPGA flow on it.</summary>
public sealed record SynthPoint(HardwareConfig Config, SynthOptions Options);

/// <summary>
/// Where and how a sweep runs. <see cref="Dir"/> holds the work directories and the results; a
/// point whose result is already there is not run again (issue 15: content-hash cache, resume).
/// </summary>
public sealed record SweepOptions(string Dir)
{
    /// <summary>Points run at the same time on this machine.</summary>
    public int Workers { get; init; } = 1;
}

/// <summary>A point's report; <see cref="FromCache"/> when it was read back rather than run.</summary>
public sealed record SynthPointResult(SynthPoint Point, string Key, SynthReport Report, bool FromCache);

/// <summary>
/// Runs many independent synthesis points (the exploration's last stage, issue 15). This first
/// version runs them one after another in this process; the results come back in the points' order.
/// </summary>
public static class SynthSweep
{
    public static IReadOnlyList<SynthPointResult> Run(IReadOnlyList<SynthPoint> points, SweepOptions opt, Action<string> progress)
    {
        var results = new List<SynthPointResult>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            SynthPoint p = points[i];
            string key = $"{p.Config.Tag}-{SynthTargets.Name(p.Options.Target)}";
            progress($"sweep: [{i + 1}/{points.Count}] {key}");
            SynthReport r = SynthFlow.Run(p.Config, p.Options, Path.Combine(opt.Dir, "work", key), progress);
            results.Add(new SynthPointResult(p, key, r, FromCache: false));
        }
        return results;
    }
}
