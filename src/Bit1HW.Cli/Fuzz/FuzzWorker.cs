using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Model;

namespace Bit1HW.Cli.Fuzz;

/// <summary>How one case ended; the worst outcome of its command runs.</summary>
internal enum FuzzOutcome { Ok, Rejected, BadMessage, Leftover, Mismatch, Crash, Hang }

internal sealed record FuzzCaseResult(long Index, FuzzOutcome Outcome, int Runs, int Exit0, int Exit2, string Detail);

/// <summary>
/// Runs fuzz cases in this process through <see cref="CliRunner.Run"/>, exactly as the command
/// line would. Case i mutates seed i mod (seed count) with its own generator, derived from the
/// campaign seed, the format and i alone, so any case replays on its own. Each command run must
/// exit 0, or exit 2 with one line on stderr and nothing in its output directory; an exception
/// that escapes the command is a crash; any temporary file (a name starting with '.') left in
/// the case directory is a leftover; exit 1 or 3 is a mismatch (no command here verifies against
/// anything but its own reference or needs an external tool).
/// </summary>
internal static class FuzzWorker
{
    public static (byte[] Bytes, string Mutation, FuzzSeedFile Seed) Input(string format, IReadOnlyList<FuzzSeedFile> seeds, ulong seed, long index)
    {
        FuzzSeedFile s = seeds[(int)(index % seeds.Count)];
        var rng = SplitMix64.For(seed, string.Create(CultureInfo.InvariantCulture, $"{format}/{index}"));
        var (bytes, what) = Mutator.Mutate(s, rng);
        return (bytes, what, s);
    }

    /// <summary>
    /// Test-only faults that show the harness catches each kind of failure: in case 1 of a run, a
    /// command run that throws (crash), never returns (hang), kills its process (die), allocates
    /// past the heap limit (oom), leaves a temporary file (leftover) or prints two lines (message).
    /// </summary>
    public static readonly string[] Plants = ["crash", "hang", "die", "oom", "leftover", "message"];

    /// <summary>Runs one case in <paramref name="caseDir"/> (created, and deleted afterwards unless <paramref name="keep"/>).</summary>
    public static FuzzCaseResult RunCase(string format, IReadOnlyList<FuzzSeedFile> seeds, string seedsDir, ulong seed, long index, string caseDir, bool keep,
        string? plant = null)
    {
        var (bytes, mutation, s) = Input(format, seeds, seed, index);
        if (Directory.Exists(caseDir)) Directory.Delete(caseDir, recursive: true);
        Directory.CreateDirectory(caseDir);
        if (s.CompanionDir is not null)
            foreach (string f in Directory.GetFiles(s.CompanionDir)) File.Copy(f, Path.Combine(caseDir, Path.GetFileName(f)));
        string input = Path.Combine(caseDir, s.FileName);
        File.WriteAllBytes(input, bytes);
        string outDir = Path.Combine(caseDir, "out");
        var worst = FuzzOutcome.Ok;
        string detail = $"{s.Name}: {mutation}";
        int exit0 = 0, exit2 = 0;
        foreach (string[] template in s.Commands)
        {
            Directory.CreateDirectory(outDir);
            string[] args = Substitute(template, input, caseDir, outDir, seedsDir);
            var (outcome, exit, problem) = index == 1 && plant is not null ? Planted(plant, args, caseDir, outDir) : RunOne(args, caseDir, outDir);
            if (exit == 0) exit0++;
            if (exit == 2) exit2++;
            if (outcome > worst)
            {
                worst = outcome;
                detail = $"{s.Name}: {mutation}: bit1hw {string.Join(' ', template)}: {problem}";
            }
            Directory.Delete(outDir, recursive: true);
        }
        if (worst == FuzzOutcome.Ok && exit2 > 0) worst = FuzzOutcome.Rejected;
        if (!keep) Directory.Delete(caseDir, recursive: true);
        return new FuzzCaseResult(index, worst, s.Commands.Length, exit0, exit2, detail);
    }

    /// <summary>A command line of a seed with its placeholders filled in.</summary>
    public static string[] Substitute(string[] template, string input, string caseDir, string outDir, string seedsDir) =>
        [.. template.Select(a => a.Replace("{in}", input).Replace("{case}", caseDir).Replace("{out}", outDir).Replace("{seeds}", seedsDir))];

    private static (FuzzOutcome, int, string) Planted(string plant, string[] args, string caseDir, string outDir)
    {
        if (plant == "leftover") File.WriteAllText(Path.Combine(caseDir, ".planted.1.tmp"), "");
        return RunOne(args, caseDir, outDir, plant switch
        {
            "crash" => _ => throw new InvalidOperationException("planted crash"),
            "hang" => _ => { Thread.Sleep(Timeout.Infinite); return 0; },
            "die" => _ => { Environment.FailFast("planted death"); return 0; },
            "oom" => _ => { GC.KeepAlive(new byte[0x7FFFFFC7]); return 0; },
            "message" => err => { err.WriteLine("bit1hw: error: planted: first line\nsecond line"); return 2; },
            _ => null,
        });
    }

    private static (FuzzOutcome, int, string) RunOne(string[] args, string caseDir, string outDir, Func<TextWriter, int>? fault = null)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit;
        try
        {
            exit = fault is null ? CliRunner.Run(args, stdout, stderr) : fault(stderr);
        }
        catch (Exception e)
        {
            return (FuzzOutcome.Crash, -1, $"{e.GetType().FullName}: {FirstLine(e.Message)} at {FirstLine(e.StackTrace ?? "").Trim()}");
        }
        string err = stderr.ToString().TrimEnd('\n');
        string[] leftovers = Directory.EnumerateFileSystemEntries(caseDir, ".*", SearchOption.AllDirectories).ToArray();
        if (leftovers.Length > 0)
            return (FuzzOutcome.Leftover, exit, $"exit {exit}, left {string.Join(", ", leftovers.Select(p => Path.GetRelativePath(caseDir, p)))}");
        return exit switch
        {
            0 => (FuzzOutcome.Ok, exit, ""),
            2 when err.Contains('\n') || !err.StartsWith("bit1hw: error: ", StringComparison.Ordinal) =>
                (FuzzOutcome.BadMessage, exit, $"{err.Count(c => c == '\n') + 1} lines: {FirstLine(err)}"),
            2 when Directory.EnumerateFileSystemEntries(outDir).Any() =>
                (FuzzOutcome.Leftover, exit, $"exit 2 but wrote {string.Join(", ", Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName))}: {err}"),
            2 => (FuzzOutcome.Ok, exit, err),
            _ => (FuzzOutcome.Mismatch, exit, $"exit {exit}: {FirstLine(err)}"),
        };
    }

    private static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n');
        return nl < 0 ? s : s[..nl];
    }
}
