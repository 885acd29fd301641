using System.CommandLine;
using System.Globalization;
using Bit1HW.Cli.Fuzz;
using Bit1HW.Core;
using Bit1HW.Core.Text;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw fuzz</c>: feeds mutated files of every input format through the real commands and
/// counts crashes, hangs, leftover files and malformed error messages (docs/verification.md,
/// "Robustness"). Exit 0 when there are none, 1 otherwise.
/// </summary>
internal static class FuzzCommand
{
    public const ulong DefaultSeed = 20261130;

    public static Command Create()
    {
        var format = new Option<string[]>("--format") { Description = $"Formats to fuzz (repeatable; default all): {string.Join(", ", FuzzCorpus.Formats)}" };
        var cases = Flags.LongCount("--cases", "Mutated files per format", 1000);
        var seed = Flags.OptionalSeed($"Campaign seed (default: $BIT1HW_SEED, else {DefaultSeed}); printed");
        var timeout = new Option<double>("--timeout-seconds") { Description = "A case that takes longer is a hang", DefaultValueFactory = _ => 30 };
        var memory = Flags.Count("--memory-mb", "GC heap limit of each worker process, MiB", 1024, min: 64);
        var replay = new Option<long?>("--case") { Description = "Run only this case in this process and keep its files (with --format)" };
        var keep = new Option<string?>("--keep") { Description = "Directory to keep the work files in (default: a temporary directory, deleted)" };
        var worker = new Option<bool>("--worker") { Hidden = true };
        var from = new Option<long>("--from") { Hidden = true };
        var workDir = new Option<string?>("--work-dir") { Hidden = true };
        var json = Flags.Json("the campaign's tallies and failures (the table then goes to stderr)");
        var quiet = Flags.Quiet();
        var plant = new Option<string?>("--plant") { Hidden = true, Description = $"Test only: a fault in case 1 ({string.Join(", ", FuzzWorker.Plants)})" };
        var cmd = new Command("fuzz",
            "Feed seeded mutations of valid files of every input format through the real commands; count crashes, hangs, leftovers and bad messages.")
        {
            format, cases, seed, timeout, memory, replay, keep, json, quiet, worker, from, workDir, plant,
        }.WithExamples("bit1hw fuzz --cases 10000 --seed 20261130", "bit1hw fuzz --format gguf-tq2 --seed 20261130 --case 417 --keep build/fuzz-case");
        cmd.SetAction(parse =>
        {
            TextWriter o = parse.InvocationConfiguration.Output;
            ulong s = parse.GetValue(seed) ?? SeedFromEnvironment();
            string[] formats = parse.GetValue(format) is { Length: > 0 } f ? f : FuzzCorpus.Formats;
            foreach (string name in formats)
                if (!FuzzCorpus.Formats.Contains(name)) throw new UserInputException("--format", $"'{name}' is not one of {string.Join(", ", FuzzCorpus.Formats)}");
            string? fault = parse.GetValue(plant);
            if (fault is not null && !FuzzWorker.Plants.Contains(fault)) throw new UserInputException("--plant", $"'{fault}' is not one of {string.Join(", ", FuzzWorker.Plants)}");
            if (parse.GetValue(worker)) return Worker(o, formats[0], s, parse.GetValue(from), parse.GetValue(cases), parse.GetValue(workDir)!, fault);
            if (parse.GetValue(replay) is long one) return Replay(o, formats, s, one, parse.GetValue(keep));
            long n = parse.GetValue(cases);
            double t = parse.GetValue(timeout);
            if (!(t > 0)) throw new UserInputException("--timeout-seconds", $"{t} must be positive");
            int mb = parse.GetValue(memory);
            bool asJson = parse.GetValue(json);
            using var status = Flags.Status(parse, parse.GetValue(quiet));
            int exit = Campaign(asJson ? status.Log : o, status, formats, s, n, TimeSpan.FromSeconds(t), mb, parse.GetValue(keep), fault, out var tallies);
            status.Dispose();
            if (asJson) CliJson.Write(o, Json(s, tallies));
            return exit;
        });
        return cmd;
    }

    private static string Quote(string arg) => arg.Contains(' ') ? $"'{arg}'" : arg;

    public static ulong SeedFromEnvironment() =>
        ulong.TryParse(Environment.GetEnvironmentVariable("BIT1HW_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s) ? s : DefaultSeed;

    private static readonly TextTable Table = new(new TextColumn("format", Width: 12), new TextColumn("cases", AlignRight: true, Width: 6),
        new TextColumn("runs", AlignRight: true, Width: 7), new TextColumn("exit 0", AlignRight: true, Width: 7),
        new TextColumn("exit 2", AlignRight: true, Width: 7), new TextColumn("crashes", AlignRight: true, Width: 8),
        new TextColumn("hangs", AlignRight: true, Width: 6), new TextColumn("leftovers", AlignRight: true, Width: 10),
        new TextColumn("bad messages", AlignRight: true, Width: 13), new TextColumn("mismatches", AlignRight: true, Width: 11),
        new TextColumn("seconds", AlignRight: true, Width: 8)) { Separator = " " };

    private static object Json(ulong seed, List<FuzzTally> tallies) => new
    {
        seed,
        cases = tallies.Sum(t => t.Cases),
        runs = tallies.Sum(t => t.Runs),
        failures = tallies.Sum(t => t.FailureCount),
        formats = tallies.Select(t => new
        {
            format = t.Format, cases = t.Cases, runs = t.Runs, exit0 = t.Exit0, exit2 = t.Exit2, crashes = t.Crashes, hangs = t.Hangs,
            leftovers = t.Leftovers, badMessages = t.BadMessages, mismatches = t.Mismatches, seconds = Math.Round(t.Seconds, 3),
            failures = t.Failures.Select(r => new
            {
                @case = r.Index, outcome = r.Outcome.ToString(), detail = r.Detail,
                replay = string.Create(CultureInfo.InvariantCulture, $"bit1hw fuzz --format {t.Format} --seed {seed} --case {r.Index} --keep build/fuzz-case"),
            }),
        }),
    };

    private static int Campaign(TextWriter o, Terminal.StatusDisplay status, string[] formats, ulong seed, long cases, TimeSpan timeout, int memoryMb,
        string? keep, string? plant, out List<FuzzTally> tallies)
    {
        string work = keep ?? Directory.CreateTempSubdirectory("bit1hw-fuzz-").FullName;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"fuzz: seed {seed} (replay: BIT1HW_SEED={seed}), {cases} cases per format, timeout {timeout.TotalSeconds:F0} s per case, {memoryMb} MiB GC heap per worker"));
        try
        {
            status.Stage("fuzz: writing the valid seed files of every format");
            FuzzCorpus.Prepare(Path.Combine(work, "seeds"));
            var driver = new FuzzDriver(work, seed, timeout, (long)memoryMb << 20, o, plant, status);
            o.Write(Table.FormatHeader());
            tallies = [];
            foreach (string f in formats)
            {
                FuzzTally t = driver.Run(f, cases);
                tallies.Add(t);
                o.Write(Table.FormatRow([f, .. new[] { t.Cases, t.Runs, t.Exit0, t.Exit2, t.Crashes, t.Hangs, t.Leftovers, t.BadMessages, t.Mismatches }
                    .Select(n => n.ToString(inv)), t.Seconds.ToString("F0", inv)]));
                o.Flush();
            }
            long failures = tallies.Sum(t => t.FailureCount);
            foreach (FuzzTally t in tallies)
                foreach (FuzzCaseResult r in t.Failures)
                    o.WriteLine(string.Create(inv, $"  {r.Outcome} {t.Format} case {r.Index}: {r.Detail}\n    replay: bit1hw fuzz --format {t.Format} --seed {seed} --case {r.Index} --keep build/fuzz-case"));
            o.WriteLine(string.Create(inv, $"fuzz: {tallies.Sum(t => t.Cases)} cases, {tallies.Sum(t => t.Runs)} command runs, {failures} failures"));
            return failures == 0 ? ExitCodes.Ok : ExitCodes.Mismatch;
        }
        finally
        {
            if (keep is null) Directory.Delete(work, recursive: true);
        }
    }

    private static int Worker(TextWriter o, string format, ulong seed, long from, long to, string work, string? plant)
    {
        string seedsDir = Path.Combine(work, "seeds");
        var seeds = FuzzCorpus.Seeds(format, seedsDir);
        for (long i = from; i < to; i++)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"start\t{i}"));
            o.Flush();
            string caseDir = Path.Combine(work, "cases", string.Create(CultureInfo.InvariantCulture, $"{format}-{i}"));
            o.WriteLine(FuzzDriver.Format(FuzzWorker.RunCase(format, seeds, seedsDir, seed, i, caseDir, keep: false, plant)));
            o.Flush();
        }
        return ExitCodes.Ok;
    }

    private static int Replay(TextWriter o, string[] formats, ulong seed, long index, string? keep)
    {
        if (formats.Length != 1) throw new UserInputException("--case", "give exactly one --format with --case");
        string work = keep ?? Directory.CreateTempSubdirectory("bit1hw-fuzz-").FullName;
        string seedsDir = Path.Combine(work, "seeds");
        FuzzCorpus.Prepare(seedsDir);
        var seeds = FuzzCorpus.Seeds(formats[0], seedsDir);
        string caseDir = Path.Combine(work, "case");
        var (_, mutation, s) = FuzzWorker.Input(formats[0], seeds, seed, index);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuzz: {formats[0]} seed {seed} case {index}: {s.Name}: {mutation}"));
        FuzzCaseResult r = FuzzWorker.RunCase(formats[0], seeds, seedsDir, seed, index, caseDir, keep: true);
        o.WriteLine($"{r.Outcome}: {r.Detail}");
        string outDir = Path.Combine(caseDir, "out");
        Directory.CreateDirectory(outDir);
        o.WriteLine($"files in {caseDir}; the commands, which write into {outDir}:");
        foreach (string[] c in s.Commands)
            o.WriteLine($"  bit1hw {string.Join(' ', FuzzWorker.Substitute(c, Path.Combine(caseDir, s.FileName), caseDir, outDir, seedsDir).Select(Quote))}");
        return r.Outcome >= FuzzOutcome.BadMessage ? ExitCodes.Mismatch : ExitCodes.Ok;
    }
}
