using Bit1HW.Core;

namespace Bit1HW.Cli.Tests;

/// <summary>
/// bit1hw sweep and sweep-task as a user and Slurm run them: a sweep submitted through
/// tests/slurm/fake-sbatch.sh, whose tasks run the real `bit1hw sweep-task` (yosys on tiny xc7
/// engines), gives the same results.json and results.csv as a local sweep; bad input is one line, exit 2.
/// </summary>
public class SweepCommandTests
{
    private const string Points = """
        [
          {"config": {"lanes": 3, "rows": 1, "weightDepth": 16, "actDepth": 16, "outDepth": 16, "instrDepth": 32}, "target": "xc7", "yosysOnly": true},
          {"config": {"lanes": 2, "rows": 2, "weightDepth": 16, "actDepth": 16, "outDepth": 16, "instrDepth": 32}, "target": "xc7", "yosysOnly": true}
        ]
        """;

    private static string FakeSbatch => RepoPaths.Of("tests", "slurm", "fake-sbatch.sh");

    [ToolFact("yosys")]
    public void A_sweep_on_slurm_gives_the_results_of_a_local_sweep_byte_for_byte()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("points.json"), Points);
        // The default worker: this very program, as `dotnet exec bit1hw.dll` when run through dotnet.
        var slurm = h.Run("sweep", "--points", "points.json", "--out", "slurm", "--slurm", "--slurm-sbatch", FakeSbatch, "--slurm-max-parallel", "1");
        Assert.True(slurm.Exit == 0, slurm.Err);
        Assert.Contains("sweep: Slurm job 4242: 2 array tasks", slurm.Err);
        Assert.Contains("sweep: [2/2] l2_r2_a8_p1_ternary xc7 done (Slurm task 1): ", slurm.Err);
        Assert.Contains("sweep-task: l3_r1_a8_p1_ternary xc7: ", File.ReadAllText(h.PathOf("slurm/slurm/logs/4242_0.log")));
        var local = h.Run("sweep", "--points", "points.json", "--out", "local", "--workers", "2");
        Assert.True(local.Exit == 0, local.Err);
        Assert.Equal(File.ReadAllText(h.PathOf("local/results.json")), File.ReadAllText(h.PathOf("slurm/results.json")));
        Assert.Equal(File.ReadAllText(h.PathOf("local/results.csv")), File.ReadAllText(h.PathOf("slurm/results.csv")));
        Assert.Equal(3, File.ReadAllText(h.PathOf("local/results.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // Again: everything from the cache, no job submitted.
        File.Delete(h.PathOf("slurm/slurm/sbatch.args"));
        var again = h.Run("sweep", "--points", "points.json", "--out", "slurm", "--slurm", "--slurm-sbatch", FakeSbatch);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Contains("2 points: 0 run, 2 from the cache", again.Out);
        Assert.False(File.Exists(h.PathOf("slurm/slurm/sbatch.args")));
    }

    [Theory]
    [InlineData("[]", "points.json: a points file is a JSON array of at least one point")]
    [InlineData("[{\"target\": \"arty\"}]", "points.json: field '[0].target': 'arty' is not a supported target")]
    [InlineData("[{\"target\": \"xc7\", \"seeds\": 0}]", "points.json: field '[0].seeds': 0 must be at least 1")]
    [InlineData("[{\"target\": \"xc7\", \"accumulators\": \"mac16\"}]", "points.json: field '[0].accumulators': mac16 needs the ice40-up5k target")]
    [InlineData("[{\"target\": \"xc7\", \"config\": {\"lanes\": 0}}]", "field 'lanes': 0 is outside 1..4096")]
    [InlineData("[{\"target\": \"xc7\", \"config\": \"missing.json\"}]", "points.json: field '[0].config': file ")]
    public void A_bad_points_file_is_one_line_naming_the_point_and_exit_2(string points, string message)
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("points.json"), points);
        var (exit, stdout, stderr) = h.Run("sweep", "--points", "points.json", "--out", "out");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("bit1hw: error: ", stderr);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(h.PathOf("out")));
    }

    [Theory]
    [InlineData(new[] { "--slurm-partition", "eda" }, "bit1hw: error: --slurm-partition: applies to a Slurm run only: add --slurm")]
    [InlineData(new[] { "--slurm", "--workers", "2" }, "bit1hw: error: --workers: does not apply with --slurm")]
    [InlineData(new[] { "--slurm", "--slurm-sbatch", "/nonexistent/sbatch" }, "bit1hw: error: /nonexistent/sbatch: not found: --slurm needs Slurm's sbatch on PATH")]
    public void Slurm_flags_are_checked(string[] flags, string message)
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("points.json"), Points);
        var (exit, _, stderr) = h.Run(["sweep", "--points", "points.json", "--out", "out", "--quiet", .. flags]);
        Assert.NotEqual(0, exit);
        Assert.StartsWith(message, stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Sweep_task_outside_the_manifest_is_a_user_error()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("manifest.json"), "{\"format\": \"bit1hw sweep manifest 1\", \"tools\": {\"yosys\": \"y\", \"nextpnr\": \"n\"}, \"tasks\": []}");
        var (exit, _, stderr) = h.Run("sweep-task", "--manifest", "manifest.json", "--index", "0");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("bit1hw: error: --index: 0 is not a task of manifest.json, which has 0 (numbered from 0)\n", stderr);
    }
}
