using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Flows.Sweeps;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Tests;

/// <summary>
/// The Slurm path of a sweep without a cluster: tests/slurm/fake-sbatch.sh, which records its
/// arguments and runs every array task as Slurm would (SLURM_ARRAY_TASK_ID set, output to the
/// --output pattern), and a fake worker that files a prepared report under the key of its manifest task. Checks the
/// manifest, the batch script, the one job array, the merge (the same results as read back from
/// the cache locally) and a failed task named with its log. No synthesis tool runs.
/// </summary>
public class SlurmSweepTests : IDisposable
{
    private static readonly ToolVersions Tools = new("Yosys test", "nextpnr test");
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-slurm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sweep => Path.Combine(_dir, "sweep");
    private string Fixtures => Path.Combine(_dir, "fixtures");

    private static readonly SynthPoint[] Points =
    [
        new(new HardwareConfig { Lanes = 4, Rows = 2 }, new SynthOptions(SynthTarget.Xc7) { PlaceAndRoute = false }),
        new(new HardwareConfig { Lanes = 8, Rows = 2 }, new SynthOptions(SynthTarget.Xc7) { PlaceAndRoute = false }),
        new(new HardwareConfig { Lanes = 8, Rows = 4 }, new SynthOptions(SynthTarget.Xc7) { PlaceAndRoute = false }),
    ];

    private static SynthReport Fake(SynthPoint p, int n) => new(SynthTarget.Xc7, p.Config.Tag, Tools.Yosys, p.Config.Lanes * p.Config.Rows,
        new CellCounts(SynthTarget.Xc7, [new("FDRE", 10 * n), new("LUT6", 100 + n)], 0), CellCounts.Empty(SynthTarget.Xc7), [], null, $"fake report {n}");

    /// <summary>Writes the fake worker: its task i files the report of fixture line i's key (or fails on FAIL).</summary>
    private SlurmOptions Fakes(IEnumerable<string> taskKeys)
    {
        Directory.CreateDirectory(Fixtures);
        File.WriteAllText(Path.Combine(Fixtures, "keys"), string.Join("\n", taskKeys) + "\n");
        string worker = Path.Combine(_dir, "worker.sh");
        File.WriteAllText(worker, $$"""
            [ "$1" = sweep-task ] && [ "$2" = --manifest ] && [ "$4" = --index ] || { echo "bad arguments: $*"; exit 2; }
            key=$(sed -n "$(($5 + 1))p" '{{Fixtures}}/keys')
            [ "$key" = FAIL ] && { echo "planted: yosys was killed"; exit 1; }
            mkdir -p "$(dirname "$3")/../cache/$key"
            cp '{{Fixtures}}'/"$key".json "$(dirname "$3")/../cache/$key/report.json"
            """.Replace("\r", "") + "\n");
        return new SlurmOptions(["sh", worker]) { Sbatch = FakeSbatch, Partition = "eda", MaxParallel = 2, ExtraArgs = ["--account=hw", "--time=30"], PollInterval = TimeSpan.FromMilliseconds(50) };
    }

    /// <summary>tests/slurm/fake-sbatch.sh: runs the array's tasks one after another, as Slurm would.</summary>
    internal static string FakeSbatch => RepoPaths.Of("tests", "slurm", "fake-sbatch.sh");

    private string[] Keys => Points.Select(p => SweepKey.Of(p, Tools)).ToArray();

    private void Prepare()
    {
        Directory.CreateDirectory(Fixtures);
        for (int i = 0; i < Points.Length; i++) File.WriteAllText(Path.Combine(Fixtures, Keys[i] + ".json"), SynthReportWriter.Json(Fake(Points[i], i)));
    }

    [Fact]
    public void The_points_run_as_one_job_array_and_merge_as_a_local_run_would()
    {
        Prepare();
        var log = new List<string>();
        var results = SynthSweep.Run(Points, new SweepOptions(Sweep) { Slurm = Fakes(Keys), Tools = Tools }, log.Add);

        Assert.Equal(Keys, results.Select(r => r.Key));
        Assert.Equal(Points.Select((p, i) => $"fake report {i}"), results.Select(r => r.Report.Note));
        Assert.All(results, r => Assert.False(r.FromCache));
        for (int i = 0; i < Points.Length; i++)
            Assert.Single(log, l => l.StartsWith($"sweep: [{i + 1}/3] {Points[i].Name} done (Slurm task {i}): 1{i:00} LUTs", StringComparison.Ordinal));

        string args = File.ReadAllText(Path.Combine(Path.GetFullPath(Sweep), "slurm", "sbatch.args")).Trim();
        string slurmDir = Path.Combine(Path.GetFullPath(Sweep), "slurm");
        Assert.Equal($"--parsable --wait --job-name=bit1hw-sweep --cpus-per-task=1 --array=0-2%2 --output={slurmDir}/logs/%A_%a.log " +
            $"--partition=eda --account=hw --time=30 {slurmDir}/sweep.sbatch", args);
        Assert.Contains($"exec sh {_dir}/worker.sh sweep-task --manifest {slurmDir}/manifest.json --index \"$SLURM_ARRAY_TASK_ID\"",
            File.ReadAllText(Path.Combine(slurmDir, "sweep.sbatch")));

        // Read back from the cache with no Slurm at all: the same results, byte for byte.
        var again = SynthSweep.Run(Points, new SweepOptions(Sweep) { Tools = Tools }, _ => { });
        Assert.All(again, r => Assert.True(r.FromCache));
        Assert.Equal(SweepResults.Json(results), SweepResults.Json(again));
    }

    [Fact]
    public void The_manifest_reads_back_to_the_same_points_and_keys()
    {
        string pcf = Path.Combine(_dir, "pins.pcf");
        File.WriteAllText(pcf, "set_io clk 35\n");
        var ice40 = new SynthPoint(new HardwareConfig { Lanes = 3, Rows = 1 }, new SynthOptions(SynthTarget.Ice40Up5k) { Seeds = 2, TargetMhz = 62.5, PcfPath = pcf });
        var mac = new SynthPoint(new HardwareConfig { Pe = PeKind.Mac }, new SynthOptions(SynthTarget.Ice40Up5k)
            { PcfPath = pcf, Accumulators = HdlGen.Gen.AccumulatorKind.Mac16, PlaceAndRoute = false });
        var tasks = new[] { ice40, mac, Points[0] }.Select(p => new SweepTask(SweepKey.Of(p, Tools), p)).ToList();
        string path = Path.Combine(_dir, "shared", "slurm", "manifest.json");
        new SweepManifest(Tools, tasks).Write(path);
        File.Delete(pcf);   // the manifest carries its own copy of the pins

        SweepManifest back = SweepManifest.Read(path);
        Assert.Equal(Tools, back.Tools);
        Assert.Equal(tasks.Select(t => t.Key), back.Tasks.Select(t => t.Key));
        Assert.Equal(tasks.Select(t => t.Key), back.Tasks.Select(t => SweepKey.Of(t.Point, Tools)));
        Assert.Equal(tasks.Select(t => t.Point.Config), back.Tasks.Select(t => t.Point.Config));
        Assert.StartsWith(Path.Combine(_dir, "shared", "slurm", "pcf"), back.Tasks[0].Point.Options.PcfPath);
        Assert.Equal(Path.Combine(_dir, "shared"), SweepManifest.SweepDirOf(path));
    }

    [Fact]
    public void A_failed_task_is_named_with_its_log_and_a_rerun_submits_only_what_is_missing()
    {
        Prepare();
        string[] keys = Keys;
        var e = Assert.Throws<ExternalToolException>(() =>
            SynthSweep.Run(Points, new SweepOptions(Sweep) { Slurm = Fakes([keys[0], "FAIL", keys[2]]), Tools = Tools }, _ => { }));
        string log = Path.Combine(Path.GetFullPath(Sweep), "slurm", "logs", "4242_1.log");
        Assert.Equal($"slurm: job 4242 task 1 (point 2, {Points[1].Name}) left no result: planted: yosys was killed (log: {log}); " +
            "the finished tasks' results are cached, so a rerun submits only the rest", e.Message);

        var results = SynthSweep.Run(Points, new SweepOptions(Sweep) { Slurm = Fakes([keys[1]]), Tools = Tools }, _ => { });
        Assert.Contains("--array=0-0%2 ", File.ReadAllText(Path.Combine(Path.GetFullPath(Sweep), "slurm", "sbatch.args")));
        Assert.Equal([true, false, true], results.Select(r => r.FromCache));
        Assert.Equal("fake report 1", results[1].Report.Note);
    }

    [Fact]
    public void A_node_whose_tools_differ_refuses_its_task()
    {
        var tasks = new List<SweepTask> { new(SweepKey.Of(Points[0], Tools), Points[0]) };
        string path = Path.Combine(_dir, "slurm", "manifest.json");
        new SweepManifest(Tools, tasks).Write(path);
        var e = Assert.Throws<ExternalToolException>(() => SweepWorker.RunTask(path, 0, _ => { }));
        Assert.Contains("task 0 (l4_r2_a8_p1_ternary xc7): this node's key", e.Message);
        Assert.Contains("manifest: 'Yosys test', 'nextpnr test'", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "cache")));
        var outside = Assert.Throws<UserInputException>(() => SweepWorker.RunTask(path, 1, _ => { }));
        Assert.Equal($"--index: 1 is not a task of {path}, which has 1 (numbered from 0)", outside.Message);
    }
}
