using Bit1HW.Core.Hardware;
using Bit1HW.Flows.Sweeps;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Tests;

/// <summary>
/// Local sweeps with yosys on tiny xc7 engines (a few seconds each): two workers give the same
/// results as one, in the points' order; an interrupted sweep resumes, taking a finished report
/// from the cache but never a half-written one.
/// </summary>
public class SynthSweepTests : IClassFixture<SynthSweepTests.OneWorker>, IDisposable
{
    private static HardwareConfig Tiny(int lanes, int rows) =>
        new() { Lanes = lanes, Rows = rows, WeightDepth = 16, ActDepth = 16, OutDepth = 16, InstrDepth = 32 };

    private static readonly SynthPoint[] Points =
        [.. new[] { Tiny(3, 1), Tiny(2, 1), Tiny(3, 2) }.Select(c => new SynthPoint(c, new SynthOptions(SynthTarget.Xc7) { PlaceAndRoute = false }))];

    /// <summary>The points swept once on one worker, shared by the tests.</summary>
    public sealed class OneWorker : IDisposable
    {
        private readonly Lazy<(string Dir, IReadOnlyList<SynthPointResult> Results, List<string> Log)> _run = new(() =>
        {
            string dir = Directory.CreateTempSubdirectory("bit1hw-sweep1-").FullName;
            var log = new List<string>();
            return (dir, SynthSweep.Run(Points, new SweepOptions(dir), log.Add), log);
        });

        public (string Dir, IReadOnlyList<SynthPointResult> Results, List<string> Log) Run => _run.Value;

        public void Dispose()
        {
            if (_run.IsValueCreated) Directory.Delete(_run.Value.Dir, recursive: true);
        }
    }

    private readonly OneWorker _one;
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-sweep2-").FullName;

    public SynthSweepTests(OneWorker one) => _one = one;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [ToolFact("yosys")]
    public void Two_workers_give_the_same_results_as_one_in_the_points_order()
    {
        var (_, one, log) = _one.Run;
        var two = SynthSweep.Run(Points, new SweepOptions(_dir) { Workers = 2 }, _ => { });
        Assert.Equal(Points.Select(p => p.Config.Tag), two.Select(r => r.Report.Tag));
        Assert.Equal(SweepResults.Json(one), SweepResults.Json(two));
        Assert.All(one.Concat(two), r => Assert.False(r.FromCache));
        Assert.NotEqual(one[0].Report.Design.Luts, one[2].Report.Design.Luts);
        for (int i = 0; i < Points.Length; i++)
            Assert.Single(log, l => l.StartsWith($"sweep: [{i + 1}/3] {Points[i].Name} done in ", StringComparison.Ordinal));
    }

    [ToolFact("yosys")]
    public void A_resumed_sweep_reruns_only_what_has_no_whole_report()
    {
        var (dir, one, _) = _one.Run;
        var cache = new SweepCache(dir);
        var copy = new SweepCache(_dir);
        // Point 1 finished, but with a report the tools would not give, so a rerun would show.
        SynthReport planted = one[0].Report with { Note = "planted: read from the cache" };
        Directory.CreateDirectory(copy.PointDir(one[0].Key));
        File.WriteAllText(copy.ReportPath(one[0].Key), SynthReportWriter.Json(planted));
        // Point 2 was cut off while its report was written; point 3 never got that far.
        string whole = File.ReadAllText(cache.ReportPath(one[1].Key));
        Directory.CreateDirectory(copy.PointDir(one[1].Key));
        File.WriteAllText(copy.ReportPath(one[1].Key), whole[..(whole.Length / 2)]);
        Directory.CreateDirectory(copy.WorkDir(one[2].Key));

        var log = new List<string>();
        var resumed = SynthSweep.Run(Points, new SweepOptions(_dir) { Workers = 2 }, log.Add);
        Assert.Equal([true, false, false], resumed.Select(r => r.FromCache));
        Assert.Equal("planted: read from the cache", resumed[0].Report.Note);
        Assert.Equal(SynthReportWriter.Json(one[1].Report), SynthReportWriter.Json(resumed[1].Report));
        Assert.Equal(SynthReportWriter.Json(one[2].Report), SynthReportWriter.Json(resumed[2].Report));
        Assert.Equal(whole, File.ReadAllText(copy.ReportPath(one[1].Key)));
        Assert.Contains("sweep: 3 points, 1 in the cache, 2 to run here on 2 workers", log[0]);
    }
}
