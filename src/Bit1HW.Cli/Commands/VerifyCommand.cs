using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen.Mutation;
using Bit1HW.Sim;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw verify</c>: a seeded co-simulation campaign with directed cases, its coverage report and
/// mutation testing (docs/verification.md). Each
/// configuration's Verilator model is built just before its cases run; results go to stdout (text or
/// --json) and optionally a JUnit XML file; build messages and progress to stderr. <c>--case N</c>
/// replays one case of the same campaign (same --seed, --random and configurations) and writes its
/// waveforms.
/// </summary>
internal static class VerifyCommand
{
    private sealed record Options(Option<int> Random, Option<ulong?> Seed, Option<int> Configs, Option<string[]> ConfigFiles, ConfigOptions Overrides,
        Option<string?> JUnit, Option<int?> Case, Option<string?> Vcd, Option<bool> Json, Option<bool> Quiet, Option<string?> Plant,
        Option<string?> Coverage, Option<bool> Mutants, Option<string[]> Mutant);

    public static Command Create()
    {
        var opt = new Options(
            Flags.Count("--random", "Number of random cases (spread over the configurations; each also runs its 8 directed cases)", 300),
            Flags.OptionalSeed("Campaign seed (default: from the clock; always printed first)"),
            Flags.Count("--configs", "Number of configurations: the default design plus random ones (1..64)", 6),
            new Option<string[]>("--config") { Description = "Hardware config JSON; repeatable: these configurations instead of random ones", AllowMultipleArgumentsPerToken = true },
            new ConfigOptions(),
            new Option<string?>("--junit") { Description = "Also write a JUnit XML report here: one testsuite per configuration, one testcase per case" },
            new Option<int?>("--case") { Description = "Replay only this case (its number from a FAIL line) of the campaign given by the same --seed, --random and configurations, and write its waveforms" },
            Flags.Vcd("with --case, sim.vcd and rtl.vcd of the case (default build/verify-case-N); otherwise each failing case's, in DIR/case-N"),
            Flags.Json("the campaign result (or the replayed case)"),
            Flags.Quiet(),
            new Option<string?>("--plant") { Hidden = true, Description = "Test only: a simulator fault in every configuration" },
            new Option<string?>("--coverage") { Description = "Also write the coverage report (measured on the simulator) as JSON to this file" },
            new Option<bool>("--mutants") { Description = "Then run the campaign against every mutant of the library and report the mutation score (exit 1 if one survives)" },
            new Option<string[]>("--mutant") { Description = "Run only these mutants (ids as printed; implies --mutants)", AllowMultipleArgumentsPerToken = true });
        var cmd = new Command("verify",
            "Co-simulation campaign over configurations: directed cases (reduction length maxK with extreme values, memories filled to " +
            "their depth, programs from reset), random layers and random instruction programs, simulator vs RTL on every port every cycle; " +
            "prints the seed first and a coverage report per configuration; exit 1 on any mismatch. --mutants runs it against the mutant library.")
            .WithExamples("bit1hw verify --random 300 --seed 20261122 --junit build/verify.xml --coverage build/coverage.json",
                "bit1hw verify --random 300 --seed 20261122 --case 17 --vcd build/case17",
                "bit1hw verify --random 90 --seed 20261122 --configs 3 --mutants");
        foreach (Option o in new Option[] { opt.Random, opt.Seed, opt.Configs, opt.ConfigFiles }) cmd.Add(o);
        opt.Overrides.AddOverridesTo(cmd);
        foreach (Option o in new Option[] { opt.JUnit, opt.Case, opt.Vcd, opt.Json, opt.Quiet, opt.Plant, opt.Coverage, opt.Mutants, opt.Mutant }) cmd.Add(o);
        cmd.SetAction(parse => Run(parse, opt));
        return cmd;
    }

    private static int Run(ParseResult parse, Options opt)
    {
        int n = parse.GetValue(opt.Random);
        int nConfigs = parse.GetValue(opt.Configs);
        if (nConfigs > 64) throw new UserInputException("--configs", $"{nConfigs} is outside 1..64");
        SimFault fault = parse.GetValue(opt.Plant) is { } p
            ? Enum.TryParse(p, out SimFault f) ? f : throw new UserInputException("--plant", $"'{p}' is not a simulator fault")
            : SimFault.None;
        ulong seed = parse.GetValue(opt.Seed) ?? (ulong)(DateTime.UtcNow.Ticks & int.MaxValue);
        string[] files = parse.GetValue(opt.ConfigFiles) ?? [];
        List<HardwareConfig> cfgs = (files.Length > 0 ? files.Select(HardwareConfig.Load).ToList() : CaseGenerator.Configs(seed, nConfigs))
            .Select((c, i) => opt.Overrides.Apply(parse, c, files.Length > 0 ? files[i] : $"random config {i}")).ToList();
        string? coverageFile = parse.GetValue(opt.Coverage);
        if (coverageFile is not null && (string.IsNullOrWhiteSpace(coverageFile) || Directory.Exists(coverageFile)))
            throw new UserInputException("--coverage", $"'{coverageFile}' is empty or a directory; give a file path");
        string[] ids = parse.GetValue(opt.Mutant) ?? [];
        Func<HardwareConfig, IReadOnlyList<Mutant>>? mutants = ids.Length > 0 ? Selection(cfgs, ids)
            : parse.GetValue(opt.Mutants) ? MutantLibrary.For : null;
        var campaign = new VerifyCampaign(seed, n, cfgs, fault, ReplayLine(parse, seed));
        bool json = parse.GetValue(opt.Json);
        var o = parse.InvocationConfiguration.Output;
        using var status = Flags.Status(parse, parse.GetValue(opt.Quiet));
        if (parse.GetValue(opt.Case) is int number)
        {
            int total = Campaign.TotalCases(n, cfgs.Count);
            if (number < 0 || number >= total)
                throw new UserInputException("--case", $"{number} is outside 0..{total - 1} (the campaign's cases: --random {n} and 8 directed per configuration)");
            return campaign.Replay(number, parse.GetValue(opt.Vcd) ?? Path.Combine("build", $"verify-case-{number}"), o, json, status);
        }
        string? junit = parse.GetValue(opt.JUnit);
        CampaignResult r = campaign.Run(o, json, status, parse.GetValue(opt.Vcd));
        status.Dispose();
        if (junit is not null) JUnitReport.Write(junit, campaign, r);
        if (coverageFile is not null) AtomicFile.WriteAllText(coverageFile, CoverageText.Json(seed, r.Coverage));
        TextWriter text = json ? TextWriter.Null : o;
        foreach (string line in r.Coverage.SelectMany(CoverageText.Lines)) text.WriteLine(line);
        if (coverageFile is not null) text.WriteLine($"coverage written to {coverageFile}");
        text.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Cases} cases ({r.DirectedCases} directed), {r.Failures.Count} mismatches, {r.CyclesCompared} cycles compared on every port, {r.Elapsed.TotalSeconds:F1} s (seed {seed})"));
        MutationReport? report = mutants is null ? null
            : MutationCampaign.Run(seed, n, cfgs, mutants, json ? TextWriter.Null : o, parse.InvocationConfiguration.Error);
        if (report is not null) foreach (string line in MutationCampaign.Summary(report)) text.WriteLine(line);
        if (json) CliJson.Write(o, campaign.Json(r, report));
        return r.Passed && report?.Passed != false ? ExitCodes.Ok : ExitCodes.Mismatch;
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

    /// <summary>The command line that replays case N: this one without report flags, with --seed fixed and --case N.</summary>
    private static Func<int, string> ReplayLine(ParseResult parse, ulong seed)
    {
        var kept = new List<string>();
        var tokens = parse.Tokens.Select(t => t.Value).SkipWhile(t => t != "verify").Skip(1).ToList();
        for (int i = 0; i < tokens.Count; i++)
        {
            string t = tokens[i];
            if (t is "--json" or "--quiet" or "--mutants") continue;
            if (t is "--junit" or "--seed" or "--vcd" or "--case" or "--coverage") { i++; continue; }
            if (t is "--mutant")
            {
                while (i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal)) i++;
                continue;
            }
            kept.Add(t.Contains(' ') ? $"'{t}'" : t);
        }
        string args = string.Join(' ', kept.Prepend(string.Create(CultureInfo.InvariantCulture, $"--seed {seed}")));
        return number => string.Create(CultureInfo.InvariantCulture, $"bit1hw verify {args} --case {number}");
    }
}
