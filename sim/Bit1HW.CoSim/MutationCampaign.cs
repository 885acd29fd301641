using System.Diagnostics;
using System.Globalization;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Mutation;

namespace Bit1HW.CoSim;

/// <summary>
/// One mutant's fate under the campaign: killed when at least one case failed (with how many, the
/// kinds of case that failed, and the first failure), or survived.
/// </summary>
public sealed record MutantResult(string Config, Mutant Mutant, int Cases, int FailingCases, IReadOnlyList<CaseKind> KilledBy, string? FirstFailure)
{
    public bool Killed => FailingCases > 0;
}

/// <summary>Every mutant's result; the score is killed / run. <see cref="RealDesignFailures"/> lists configurations whose
/// unmutated design failed the campaign (their mutants are not run: a score against a failing design means nothing).</summary>
public sealed record MutationReport(ulong Seed, IReadOnlyList<MutantResult> Results, IReadOnlyList<string> RealDesignFailures, TimeSpan Elapsed)
{
    public int Killed => Results.Count(r => r.Killed);
    public double Score => Results.Count == 0 ? 0 : (double)Killed / Results.Count;
    public bool Passed => RealDesignFailures.Count == 0 && Results.Count > 0 && Killed == Results.Count;
}

/// <summary>
/// Mutation testing of the verification itself (docs/verification.md, "Mutation testing"): for each
/// configuration, the real design runs its part of the campaign and must pass; then each mutant
/// of the library (<see cref="MutantLibrary"/>) is built (a cached Verilator build, like any design)
/// and meets exactly the same cases. Every case runs against every mutant, so the report can say
/// which kinds of case kill it, not only that one did.
/// </summary>
public static class MutationCampaign
{
    /// <param name="configs">the campaign's configurations, in campaign order (case seeds depend on the position).</param>
    /// <param name="cases">random cases of the whole campaign, spread over the configurations as <see cref="Campaign.Share"/> spreads them.</param>
    /// <param name="select">the mutants to run for a configuration (all of <see cref="MutantLibrary.For"/>, or a subset).</param>
    /// <param name="log">one line per mutant and the configuration headers.</param>
    /// <param name="buildLog">Verilator build messages (default: <paramref name="log"/>).</param>
    public static MutationReport Run(ulong seed, int cases, IReadOnlyList<HardwareConfig> configs,
        Func<HardwareConfig, IReadOnlyList<Mutant>> select, TextWriter log, TextWriter? buildLog = null)
    {
        var sw = Stopwatch.StartNew();
        var results = new List<MutantResult>();
        var realFailures = new List<string>();
        for (int d = 0; d < configs.Count; d++)
        {
            HardwareConfig cfg = configs[d];
            int share = Campaign.Share(cases, configs.Count, d);
            var real = Campaign.RunDesign(seed, d, share, DesignUnderTest.Build(cfg, buildLog ?? log), TextWriter.Null, maxFailures: 1);
            if (real.Failures.Count > 0)
            {
                realFailures.Add($"{cfg.Tag}: {Campaign.Describe(real.Failures[0])}");
                log.WriteLine($"mutants of {cfg.Tag}: not run, the real design fails the campaign");
                continue;
            }
            IReadOnlyList<Mutant> mutants = select(cfg);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mutants of {cfg.Tag}: {mutants.Count}, each against the {real.Cases} cases the real design passes"));
            foreach (Mutant m in mutants)
            {
                MutantResult r = RunMutant(seed, d, share, cfg, m, buildLog ?? log);
                results.Add(r);
                log.WriteLine("  " + Describe(r));
            }
        }
        return new MutationReport(seed, results, realFailures, sw.Elapsed);
    }

    private static MutantResult RunMutant(ulong seed, int config, int share, HardwareConfig cfg, Mutant m, TextWriter buildLog)
    {
        DesignUnderTest design = DesignUnderTest.BuildMutant(cfg, m, buildLog);
        var r = Campaign.RunDesign(seed, config, share, design, TextWriter.Null, maxFailures: int.MaxValue);
        var kinds = r.Failures.Select(f => f.Kind).Distinct().Order().ToList();
        string? first = r.Failures.Count > 0 ? $"case {r.Failures[0].Case} ({r.Failures[0].Kind}, {r.Failures[0].Stimulus}): {r.Failures[0].What}" : null;
        return new MutantResult(cfg.Tag, m, r.Cases, r.Failures.Count, kinds, first);
    }

    /// <summary>One line: killed (by how many cases, of which kinds, first evidence) or SURVIVED with the mutant's description.</summary>
    public static string Describe(MutantResult r) => r.Killed
        ? string.Create(CultureInfo.InvariantCulture,
            $"killed   {r.Mutant.Id}: {r.FailingCases} of {r.Cases} cases fail ({string.Join(", ", r.KilledBy)}); first: {r.FirstFailure}")
        : $"SURVIVED {r.Mutant.Id}: {r.Mutant.Description}";

    /// <summary>Mutation score lines: per configuration and in total, then every survivor with its description.</summary>
    public static IEnumerable<string> Summary(MutationReport report)
    {
        foreach (var g in report.Results.GroupBy(r => r.Config))
            yield return Score($"mutation score {g.Key}", g.Count(r => r.Killed), g.Count());
        yield return Score("mutation score", report.Killed, report.Results.Count) + $" (seed {report.Seed})";
        foreach (MutantResult s in report.Results.Where(r => !r.Killed))
            yield return $"  survivor {s.Config} {s.Mutant.Id}: {s.Mutant.Description}";
        foreach (string f in report.RealDesignFailures)
            yield return $"  real design fails: {f}";
    }

    private static string Score(string label, int killed, int total) => string.Create(CultureInfo.InvariantCulture,
        $"{label}: {killed}/{total} mutants killed ({(total == 0 ? 0 : 100.0 * killed / total):F1} %)");
}
