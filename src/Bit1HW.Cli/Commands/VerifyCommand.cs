using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen.Mutation;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw verify</c>: a seeded co-simulation campaign with directed cases, its coverage report, and mutation testing (docs/verification.md).</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var random = new Option<int>("--random") { Description = "Number of random cases (spread over the configurations; each also runs its directed cases)", DefaultValueFactory = _ => 300 };
        var seed = new Option<int?>("--seed") { Description = "Campaign seed (default: from the clock; always printed first)" };
        var configs = new Option<int>("--configs") { Description = "Number of configurations: the default design plus random ones", DefaultValueFactory = _ => 6 };
        var configFiles = new Option<string[]>("--config") { Description = "Use these config JSON files instead of random configurations", AllowMultipleArgumentsPerToken = true };
        var coverage = new Option<string?>("--coverage") { Description = "Also write the coverage report as JSON to this file" };
        var mutants = new Option<bool>("--mutants") { Description = "Then run the campaign against every mutant of the library and report the mutation score (exit 1 if one survives)" };
        var only = new Option<string[]>("--mutant") { Description = "Run only these mutants (ids as printed; implies --mutants)", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("verify",
            "Co-simulation campaign over configurations (odd lanes/rows, actBits 4 and 8, pipeEvery values, MAC baseline): directed cases " +
            "(reduction length maxK with extreme values, memories filled to their depth, programs from reset) and random layers and programs, " +
            "simulator vs RTL on every port every cycle. Prints the seed, then a coverage report per configuration. Exit 1 on any mismatch.\n\n" +
            "Examples:\n  bit1hw verify --random 300 --seed 20261122\n  bit1hw verify --random 300 --seed 20261122 --coverage build/coverage.json\n" +
            "  bit1hw verify --random 60 --seed 20261122 --configs 3 --mutants")
        { random, seed, configs, configFiles, coverage, mutants, only };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int n = parse.GetValue(random);
            if (n < 1) throw new UserInputException("--random", $"{n} cases; at least 1");
            int nConfigs = parse.GetValue(configs);
            if (nConfigs is < 1 or > 64) throw new UserInputException("--configs", $"{nConfigs} is outside 1..64");
            string? coverageFile = parse.GetValue(coverage);
            if (coverageFile is not null && (string.IsNullOrWhiteSpace(coverageFile) || Directory.Exists(coverageFile)))
                throw new UserInputException("--coverage", $"'{coverageFile}' is empty or a directory; give a file path");
            int s = parse.GetValue(seed) ?? (int)(DateTime.UtcNow.Ticks & int.MaxValue);
            string[] files = parse.GetValue(configFiles) ?? [];
            List<HardwareConfig> cfgs = files.Length > 0 ? files.Select(HardwareConfig.Load).ToList() : CaseGenerator.Configs(s, nConfigs);
            string[] ids = parse.GetValue(only) ?? [];
            Func<HardwareConfig, IReadOnlyList<Mutant>>? select = ids.Length > 0 ? Selection(cfgs, ids)
                : parse.GetValue(mutants) ? MutantLibrary.For : null;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {s}"));
            bool passed = Campaign(o, s, n, cfgs, coverageFile);
            if (select is null) return passed ? ExitCodes.Ok : ExitCodes.Mismatch;
            MutationReport report = MutationCampaign.Run(s, n, cfgs, select, o);
            foreach (string line in MutationCampaign.Summary(report)) o.WriteLine(line);
            return passed && report.Passed ? ExitCodes.Ok : ExitCodes.Mismatch;
        });
        return cmd;
    }

    private static bool Campaign(TextWriter o, int seed, int cases, List<HardwareConfig> cfgs, string? coverageFile)
    {
        for (int i = 0; i < cfgs.Count; i++) o.WriteLine($"config {i}: {cfgs[i].Tag}");
        var designs = cfgs.Select(c => DesignUnderTest.Build(c, o)).ToList();
        CampaignResult r = CoSim.Campaign.Run(seed, cases, designs, o);
        foreach (CoverageReport c in r.Coverage)
            foreach (string line in CoverageText.Lines(c)) o.WriteLine(line);
        if (coverageFile is not null)
        {
            AtomicFile.WriteAllText(coverageFile, CoverageText.Json(seed, r.Coverage));
            o.WriteLine($"coverage written to {coverageFile}");
        }
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Cases} cases ({r.DirectedCases} directed), {r.Failures.Count} mismatches, {r.CyclesCompared} cycles compared on every port, {r.Elapsed.TotalSeconds:F1} s (seed {seed})"));
        return r.Passed;
    }

    /// <summary>The named mutants, per configuration; an id that no configuration's library has is a user error.</summary>
    private static Func<HardwareConfig, IReadOnlyList<Mutant>> Selection(List<HardwareConfig> cfgs, string[] ids)
    {
        var known = cfgs.SelectMany(MutantLibrary.For).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (string id in ids)
            if (!known.Contains(id))
                throw new UserInputException("--mutant", $"'{id}' is not in the mutant library of these configurations (mutants: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        return cfg => MutantLibrary.For(cfg).Where(m => ids.Contains(m.Id)).ToList();
    }
}
