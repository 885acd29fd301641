using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace Bit1HW.Testing;

/// <summary>
/// Runs an FsCheck property the way every randomized test here runs: from a fixed seed
/// (BIT1HW_SEED overrides it to explore or replay), printed to the test output. FsCheck generates
/// the cases from that seed and, on a failure, shrinks the counterexample to a small one before
/// reporting it; the exception carries the seed, the replay line and FsCheck's report.
/// </summary>
internal static class Properties
{
    /// <summary>Any odd constant: with the seed it names one SplitMix stream of FsCheck's generator.</summary>
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    public static void Check(Property property, int fallbackSeed, ITestOutputHelper? output, int cases = 200)
    {
        int seed = TestSeed.Seed(fallbackSeed, output);
        var replay = new Replay(new Rnd(unchecked((ulong)seed), Gamma), FSharpOption<int>.None);
        Config config = Config.QuickThrowOnFailure.WithMaxTest(cases).WithReplay(FSharpOption<Replay>.Some(replay));
        try
        {
            FsCheck.Check.One(config, property);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"seed {seed} (replay: {TestSeed.Variable}={seed}): {e.Message}");
        }
    }
}

/// <summary>Arbitraries shared by the property tests; each keeps FsCheck's shrinking of the value it is mapped from.</summary>
internal static class Arbitraries
{
    /// <summary>Arrays of -1/0/+1 from int arrays (a bijection on {0, 1, 2} mod 3), shrinking toward shorter arrays and -1.</summary>
    public static Arbitrary<sbyte[]> Trits() =>
        FsCheck.Fluent.ArbMap.Default.ArbFor<int[]>().Convert(
            a => a.Select(v => (sbyte)(((v % 3) + 3) % 3 - 1)).ToArray(),
            t => t.Select(x => x + 1).ToArray());
}
