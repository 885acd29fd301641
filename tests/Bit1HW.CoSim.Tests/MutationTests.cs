using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Mutation;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

// Mutation testing in CI: the fixed subset of the library (MutantLibrary.CiSubset, the bugs that
// survived the campaign before issue 13) on the odd-lane, 4-bit configuration of the CI campaign.
// Every mutant must be killed, and by the check meant for it. The whole library runs in the
// documented command (docs/verification.md, "Mutation testing").
public class MutationTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int RandomCases = 27;   // three of each random kind, after the eight directed cases

    [ToolFact("verilator")]
    public void The_ci_subset_of_mutants_is_killed_each_by_the_check_meant_for_it()
    {
        HardwareConfig cfg = FaultInjectionTests.OddConfig;
        Assert.Equal(4, cfg.ActBits);
        var log = new TestWriter(output);
        MutationReport report = MutationCampaign.Run(Seed, RandomCases, [cfg],
            c => MutantLibrary.For(c).Where(m => MutantLibrary.CiSubset.Contains(m.Id)).ToList(), log);
        foreach (string line in MutationCampaign.Summary(report)) output.WriteLine(line);
        Assert.Empty(report.RealDesignFailures);
        Assert.Equal(MutantLibrary.CiSubset.Order(StringComparer.Ordinal), report.Results.Select(r => r.Mutant.Id).Order(StringComparer.Ordinal));
        Assert.True(report.Passed, string.Join("\n", MutationCampaign.Summary(report)));
        KilledBy(report, "acc-narrower-1", CaseKind.MaxKMostPositive);
        KilledBy(report, "acc-narrower-5", CaseKind.MaxKMostNegative);
        KilledBy(report, "wp-carry-lost", CaseKind.FillsMemories);
        KilledBy(report, "acc-reset-1", CaseKind.ProgramFromReset);
        KilledBy(report, "negation-at-activation-width", CaseKind.MaxKMostPositive);
    }

    private static void KilledBy(MutationReport report, string id, CaseKind kind)
    {
        MutantResult r = report.Results.Single(x => x.Mutant.Id == id);
        Assert.True(r.KilledBy.Contains(kind), $"{id} was not killed by {kind}: {MutationCampaign.Describe(r)}");
    }

    [Fact]
    public void The_summary_names_every_survivor_with_its_description_and_the_score()
    {
        var cfg = FaultInjectionTests.OddConfig;
        var library = MutantLibrary.For(cfg);
        var results = new List<MutantResult>
        {
            new(cfg.Tag, library[0], 35, 3, [CaseKind.MaxKMostPositive], "case d0: port mismatch"),
            new(cfg.Tag, library[1], 35, 0, [], null),
        };
        var report = new MutationReport(Seed, results, [], TimeSpan.Zero);
        string[] lines = [.. MutationCampaign.Summary(report)];
        Assert.False(report.Passed);
        Assert.Contains($"mutation score {cfg.Tag}: 1/2 mutants killed (50.0 %)", lines);
        Assert.Contains($"  survivor {cfg.Tag} {library[1].Id}: {library[1].Description}", lines);
    }
}
