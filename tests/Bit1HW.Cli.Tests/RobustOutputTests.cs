using System.Diagnostics;

namespace Bit1HW.Cli.Tests;

/// <summary>Outputs appear whole or not at all, also when the run is interrupted (issue 13).</summary>
public class RobustOutputTests
{
    private static string[] Names(string dir) =>
        [.. Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Gen_into_an_earlier_output_leaves_only_the_new_configuration()
    {
        using var h = new CliHarness();
        string rtl = h.PathOf("rtl");
        Assert.Equal(0, h.Run("gen", "--out", rtl).Exit);
        Assert.Contains("bit1hw_pe_l16_r4_a8_p1_ternary.v", Names(rtl));
        Assert.Equal(0, h.Run("gen", "--lanes", "3", "--rows", "2", "--max-k", "96", "--out", rtl).Exit);
        Assert.All(Names(rtl), n => Assert.True(n == "manifest.json" || n.Contains("_l3_r2_"), $"{n} of the earlier configuration is still there"));
        Assert.Equal(["rtl"], Names(h.Dir));
    }

    [Fact]
    public void Gen_refuses_a_directory_it_did_not_write()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("notes.txt"), "mine");
        var r = h.Run("gen", "--out", h.Dir);
        Assert.Equal(2, r.Exit);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains("is not an earlier output of this command (no manifest.json)", r.Err);
        Assert.Equal(["notes.txt"], Names(h.Dir));
    }

    [Fact]
    public void An_output_path_that_cannot_be_written_is_one_line_not_a_crash()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("plain"), "a file, not a directory");
        var r = h.Run("make-layer", "--out", h.PathOf("plain/x.safetensors"), "--out-features", "2", "--in-features", "2");
        Assert.Equal(2, r.Exit);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains("plain/x.safetensors: cannot write:", r.Err);
        Assert.Equal(["plain"], Names(h.Dir));
    }

    [Fact]
    public void Asm_assembles_a_compiled_program_and_rejects_a_bad_line()
    {
        using var h = new CliHarness();
        string s = h.PathOf("p.s"), hex = h.PathOf("p.hex");
        File.WriteAllText(s, "CLR\nSETW 0x2\nHALT\n");
        var ok = h.Run("asm", "--in", s, "--out", hex);
        Assert.Equal(0, ok.Exit);
        Assert.Contains("3/256 instruction words", ok.Out);
        Assert.Equal("40000000\n10000002\nf0000000\n", File.ReadAllText(hex));
        File.WriteAllBytes(s, [(byte)'C', 0xFF, (byte)'\n']);
        var bad = h.Run("asm", "--in", s, "--out", h.PathOf("q.hex"));
        Assert.Equal(2, bad.Exit);
        Assert.EndsWith("p.s: byte offset 1: byte 0xff is not valid UTF-8 here\n", bad.Err);
        Assert.False(File.Exists(h.PathOf("q.hex")));
    }

    /// <summary>
    /// A `model new` that writes a few hundred MB, run as its own process (dotnet bit1hw.dll). Through
    /// `env --default-signal`: a shell starts background jobs with SIGINT and SIGHUP ignored, and an
    /// ignored signal stays ignored in every child, so a test run from one could not interrupt it.
    /// </summary>
    private static Process StartModelNew(CliHarness h, string output)
    {
        string cfg = h.PathOf("big.json");
        File.WriteAllText(cfg, """{"hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 24, "num_attention_heads": 16, "vocab_size": 32000}""");
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        foreach (string a in (string[])["--default-signal=INT,HUP,TERM", dotnet, Bit1hw.Dll,
                     "model", "new", "--model-config", cfg, "--format", "gguf-tq1", "--out", output])
            psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    private static string WaitForTemporary(string dir, Process p)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Directory.GetFiles(dir, ".*.tmp").FirstOrDefault() is string tmp) return tmp;
            if (p.HasExited) Assert.Fail($"model new finished before it could be interrupted: {p.StandardError.ReadToEnd()}");
            Thread.Sleep(20);
        }
        throw new TimeoutException("no temporary file appeared");
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    [InlineData("HUP", 129)]
    public void An_interrupted_model_new_removes_its_temporary_and_exits_128_plus_the_signal(string signal, int code)
    {
        using var h = new CliHarness();
        using Process p = StartModelNew(h, h.PathOf("big.gguf"));
        WaitForTemporary(h.Dir, p);
        using (var kill = Process.Start("kill", ["-s", signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(p.WaitForExit(30_000), "the process did not exit on the signal");
        Assert.Equal(code, p.ExitCode);
        Assert.Equal(["big.json"], Names(h.Dir));
    }

    [Fact]
    public void The_temporary_of_a_killed_run_is_removed_by_the_next_run()
    {
        using var h = new CliHarness();
        using Process p = StartModelNew(h, h.PathOf("big.gguf"));
        string tmp = WaitForTemporary(h.Dir, p);
        p.Kill();
        p.WaitForExit();
        Assert.True(File.Exists(tmp), "SIGKILL cannot be handled: the temporary stays until the next run");
        Assert.Equal(0, h.Run("make-layer", "--out", h.PathOf("l.safetensors"), "--out-features", "2", "--in-features", "2").Exit);
        Assert.Equal(["big.json", "l.safetensors"], Names(h.Dir));
    }
}
