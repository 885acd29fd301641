using System.CommandLine;
using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw verify</c>: a seeded randomized co-simulation campaign (docs/verification.md).</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var random = new Option<int>("--random") { Description = "Number of random cases", DefaultValueFactory = _ => 300 };
        var seed = new Option<int?>("--seed") { Description = "Campaign seed (default: from the clock; always printed first)" };
        var configs = new Option<int>("--configs") { Description = "Number of configurations: the default design plus random ones", DefaultValueFactory = _ => 6 };
        var configFiles = new Option<string[]>("--config") { Description = "Use these config JSON files instead of random configurations", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("verify",
            "Randomized three-way co-simulation campaign over configurations (odd lanes/rows, actBits 4 and 8, pipeEvery values, MAC baseline) and layers " +
            "(odd shapes, all-zero and all ±1 weights, extreme activations). Prints the seed first; exit 1 on any mismatch.\n\n" +
            "Example:\n  bit1hw verify --random 300 --seed 20261122")
        { random, seed, configs, configFiles };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int n = parse.GetValue(random);
            if (n < 1) throw new UserInputException("--random", $"{n} cases; at least 1");
            int nConfigs = parse.GetValue(configs);
            if (nConfigs is < 1 or > 64) throw new UserInputException("--configs", $"{nConfigs} is outside 1..64");
            int s = parse.GetValue(seed) ?? (int)(DateTime.UtcNow.Ticks & int.MaxValue);
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {s}"));
            string[] files = parse.GetValue(configFiles) ?? [];
            List<HardwareConfig> cfgs = files.Length > 0 ? files.Select(HardwareConfig.Load).ToList() : CaseGenerator.Configs(s, nConfigs);
            for (int i = 0; i < cfgs.Count; i++) o.WriteLine($"config {i}: {cfgs[i].Tag}");
            var designs = cfgs.Select(c => DesignUnderTest.Build(c, o)).ToList();
            CampaignResult r = Campaign.Run(s, n, designs, o);
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Cases} cases, {r.Failures.Count} mismatches, {r.CyclesCompared} cycles compared on every port, {r.Elapsed.TotalSeconds:F1} s (seed {s})"));
            return r.Passed ? ExitCodes.Ok : ExitCodes.Mismatch;
        });
        return cmd;
    }
}
