using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Bit1HW.Cli.Fuzz;

/// <summary>Counts of one format's campaign.</summary>
internal sealed class FuzzTally(string format)
{
    public string Format { get; } = format;
    public long Cases, Runs, Exit0, Exit2, Crashes, Hangs, Leftovers, BadMessages, Mismatches;
    public double Seconds;
    public List<FuzzCaseResult> Failures { get; } = [];

    public long FailureCount => Crashes + Hangs + Leftovers + BadMessages + Mismatches;

    public void Add(FuzzCaseResult r)
    {
        Cases++;
        Runs += r.Runs;
        Exit0 += r.Exit0;
        Exit2 += r.Exit2;
        switch (r.Outcome)
        {
            case FuzzOutcome.Crash: Crashes++; break;
            case FuzzOutcome.Hang: Hangs++; break;
            case FuzzOutcome.Leftover: Leftovers++; break;
            case FuzzOutcome.BadMessage: BadMessages++; break;
            case FuzzOutcome.Mismatch: Mismatches++; break;
        }
        if (r.Outcome >= FuzzOutcome.BadMessage && Failures.Count < 20) Failures.Add(r);
    }
}

/// <summary>
/// Runs a format's cases in worker processes (<c>bit1hw fuzz --worker</c>), each with a GC heap
/// limit (DOTNET_GCHeapHardLimit), so a case that allocates past it fails in that case instead of
/// taking the machine's memory. A worker announces each case before running it and reports its
/// result after; a case that does not finish within the timeout is a hang (the worker is killed),
/// and a worker that dies inside a case (stack overflow, fail-fast) is a crash. Either way a new
/// worker goes on with the next case.
/// </summary>
internal sealed class FuzzDriver(string workDir, ulong seed, TimeSpan caseTimeout, long heapLimitBytes, TextWriter log, string? plant = null,
    IProgress<Core.ProgressUpdate>? status = null)
{
    public FuzzTally Run(string format, long cases)
    {
        var tally = new FuzzTally(format);
        var clock = Stopwatch.StartNew();
        long next = 0;
        while (next < cases)
            next = RunWorker(format, next, cases, tally);
        tally.Seconds = clock.Elapsed.TotalSeconds;
        return tally;
    }

    /// <summary>Runs cases [from, to) in one worker until it finishes, dies or hangs; returns the next case to run.</summary>
    private long RunWorker(string format, long from, long to, FuzzTally tally)
    {
        using Process p = StartWorker(format, from, to);
        var lines = new BlockingCollection<string>();
        var stderrTail = new ConcurrentQueue<string>();
        p.OutputDataReceived += (_, e) => { if (e.Data is null) lines.CompleteAdding(); else lines.Add(e.Data); };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            stderrTail.Enqueue(e.Data);
            while (stderrTail.Count > 8) stderrTail.TryDequeue(out string? _);
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        long current = -1, expect = from;
        while (true)
        {
            if (!lines.TryTake(out string? line, (int)caseTimeout.TotalMilliseconds))
            {
                if (lines.IsCompleted) break;
                Kill(p);
                long hung = current < 0 ? expect : current;
                tally.Add(new FuzzCaseResult(hung, FuzzOutcome.Hang, 0, 0, 0,
                    string.Create(CultureInfo.InvariantCulture, $"no result within {caseTimeout.TotalSeconds:F0} s")));
                return hung + 1;
            }
            string[] f = line.Split('\t');
            if (f[0] == "start") current = long.Parse(f[1], CultureInfo.InvariantCulture);
            else if (f[0] == "end")
            {
                tally.Add(Parse(f));
                status?.Report(new Core.ProgressUpdate(string.Create(CultureInfo.InvariantCulture, $"fuzz: {format}: {tally.Cases}/{to} cases"),
                    (double)tally.Cases / to));
                current = -1;
                expect = long.Parse(f[1], CultureInfo.InvariantCulture) + 1;
            }
        }
        p.WaitForExit();
        if (current < 0 && expect >= to) return to;
        long died = current < 0 ? expect : current;
        tally.Add(new FuzzCaseResult(died, FuzzOutcome.Crash, 0, 0, 0,
            $"worker died with exit {p.ExitCode}: {string.Join(" | ", stderrTail)}"));
        return died + 1;
    }

    private static FuzzCaseResult Parse(string[] f) => new(
        long.Parse(f[1], CultureInfo.InvariantCulture), Enum.Parse<FuzzOutcome>(f[2]),
        int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture),
        int.Parse(f[5], CultureInfo.InvariantCulture), f.Length > 6 ? f[6] : "");

    public static string Format(FuzzCaseResult r) => string.Create(CultureInfo.InvariantCulture,
        $"end\t{r.Index}\t{r.Outcome}\t{r.Runs}\t{r.Exit0}\t{r.Exit2}\t{r.Detail.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ')}");

    private Process StartWorker(string format, long from, long to)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string? host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "bit1hw") psi.FileName = host;
        else
        {
            psi.FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            psi.ArgumentList.Add(typeof(CliRunner).Assembly.Location);
        }
        foreach (string a in (string[])["fuzz", "--worker", "--format", format, "--seed", seed.ToString(CultureInfo.InvariantCulture),
                     "--from", from.ToString(CultureInfo.InvariantCulture), "--cases", to.ToString(CultureInfo.InvariantCulture), "--work-dir", workDir])
            psi.ArgumentList.Add(a);
        if (plant is not null) { psi.ArgumentList.Add("--plant"); psi.ArgumentList.Add(plant); }
        psi.Environment["DOTNET_GCHeapHardLimit"] = $"0x{heapLimitBytes:X}";
        psi.Environment["DOTNET_gcServer"] = "0";
        log.Flush();
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start a fuzz worker");
    }

    private static void Kill(Process p)
    {
        try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        p.WaitForExit();
    }
}
