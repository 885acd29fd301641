using Bit1HW.Core.IO;

namespace Bit1HW.Core.Tests;

/// <summary>Outputs appear whole or not at all; temporaries never outlive their writer (issue 13).</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static string[] Names(IEnumerable<string> paths) => [.. paths.Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    /// <summary>A pid no process has: Linux pids stay below 2^22.</summary>
    private const int DeadPid = 2_000_000_000;

    [Fact]
    public void A_failing_writer_leaves_neither_output_nor_temporary()
    {
        Assert.Throws<InvalidDataException>(() => AtomicFile.Write(P("o.bin"), s => { s.WriteByte(1); throw new InvalidDataException(); }));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void Temporaries_of_a_dead_process_are_removed_by_the_next_write_into_the_directory()
    {
        File.WriteAllText(P($".model.gguf.{DeadPid}.tmp"), "half a model");
        Directory.CreateDirectory(P($".rtl.{DeadPid}.tmpdir"));
        File.WriteAllText(P(".notes.txt"), "not ours");
        File.WriteAllText(P($".other.{Environment.ProcessId}.tmp.bak"), "not ours either");
        AtomicFile.WriteAllText(P("report.json"), "{}");
        string[] left = Names(Directory.EnumerateFileSystemEntries(_dir));
        Assert.Equal([$".notes.txt", $".other.{Environment.ProcessId}.tmp.bak", "report.json"], left);
    }

    [Fact]
    public void A_directory_caught_between_the_two_renames_of_a_swap_is_put_back()
    {
        Directory.CreateDirectory(P($".rtl.{DeadPid}.old"));
        File.WriteAllText(P($".rtl.{DeadPid}.old/manifest.json"), "previous");
        AtomicFile.WriteAllText(P("other.txt"), "x");
        Assert.Equal("previous", File.ReadAllText(P("rtl/manifest.json")));
        Assert.False(Directory.Exists(P($".rtl.{DeadPid}.old")));
    }

    [Fact]
    public void A_temporary_of_a_running_process_is_left_alone()
    {
        int parent = GetParentPid();     // the test runner: alive while this test runs
        File.WriteAllText(P($".x.{parent}.tmp"), "being written");
        AtomicFile.WriteAllText(P("y.txt"), "y");
        Assert.True(File.Exists(P($".x.{parent}.tmp")));
    }

    /// <summary>Field 4 of /proc/PID/stat, after the parenthesised command name.</summary>
    private static int GetParentPid()
    {
        string stat = File.ReadAllText($"/proc/{Environment.ProcessId}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void A_new_directory_replaces_the_old_one_as_a_whole()
    {
        string rtl = P("rtl");
        AtomicFile.WriteDirectory(rtl, [("manifest.json", "1"), ("pe_l16.v", "old pe")], marker: "manifest.json");
        AtomicFile.WriteDirectory(rtl, [("manifest.json", "2"), ("pe_l3.v", "new pe")], marker: "manifest.json");
        Assert.Equal(["manifest.json", "pe_l3.v"], Names(Directory.GetFiles(rtl)));
        Assert.Equal(["rtl"], Names(Directory.EnumerateFileSystemEntries(_dir)));
    }

    [Fact]
    public void A_directory_that_is_not_an_earlier_output_is_never_replaced()
    {
        File.WriteAllText(P("thesis.tex"), "years of work");
        var e = Assert.Throws<UserInputException>(() => AtomicFile.WriteDirectory(_dir, [("manifest.json", "{}")], marker: "manifest.json"));
        Assert.Contains("is not an earlier output of this command (no manifest.json)", e.Message);
        Assert.Equal("years of work", File.ReadAllText(P("thesis.tex")));
    }

    [Fact]
    public void A_directory_that_fails_halfway_leaves_the_old_one_untouched()
    {
        string rtl = P("rtl");
        AtomicFile.WriteDirectory(rtl, [("manifest.json", "1")], marker: "manifest.json");
        Assert.Throws<InvalidDataException>(() => AtomicFile.WriteDirectory(rtl, "manifest.json", tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "manifest.json"), "2");
            throw new InvalidDataException();
        }));
        Assert.Equal("1", File.ReadAllText(Path.Combine(rtl, "manifest.json")));
        Assert.Equal(["rtl"], Names(Directory.EnumerateFileSystemEntries(_dir)));
    }
}
