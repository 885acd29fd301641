using System.Globalization;
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

    /// <summary>Runs one case in <paramref name="caseDir"/> (created, and deleted afterwards unless <paramref name="keep"/>).</summary>
    public static FuzzCaseResult RunCase(string format, IReadOnlyList<FuzzSeedFile> seeds, string seedsDir, ulong seed, long index, string caseDir, bool keep)
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
            string[] args = [.. template.Select(a => a.Replace("{in}", input).Replace("{case}", caseDir).Replace("{out}", outDir).Replace("{seeds}", seedsDir))];
            var (outcome, exit, problem) = RunOne(args, caseDir, outDir);
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

    private static (FuzzOutcome, int, string) RunOne(string[] args, string caseDir, string outDir)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit;
        try
        {
            exit = CliRunner.Run(args, stdout, stderr);
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
