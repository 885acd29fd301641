using Bit1HW.Core;
using Xunit.Abstractions;

namespace Bit1HW.Testing;

/// <summary>
/// The seed of a randomized test: BIT1HW_SEED from the environment when it is set (to replay a
/// failure, or to explore other seeds), else the test's own fixed seed, so CI runs are repeatable.
/// Every randomized test draws from <see cref="SplitMix64"/>, whose sequence is the project's own.
/// </summary>
internal static class TestSeed
{
    public const string Variable = "BIT1HW_SEED";

    /// <summary>BIT1HW_SEED when set, else <paramref name="fallback"/>; a set value that is not an int fails the test.</summary>
    public static int Get(int fallback)
    {
        string? text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(text)) return fallback;
        return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int seed)
            ? seed
            : throw new InvalidOperationException($"{Variable}='{text}' is not an int seed");
    }

    /// <summary>A generator seeded by <see cref="Get"/>, the seed written to the test output so a failure can be replayed.</summary>
    public static SplitMix64 Rng(int fallback, ITestOutputHelper? output = null) => new(Seed(fallback, output));

    /// <summary>As <see cref="Get"/>, written to the test output with the line that replays it.</summary>
    public static int Seed(int fallback, ITestOutputHelper? output = null)
    {
        int seed = Get(fallback);
        output?.WriteLine($"seed {seed} (replay: {Variable}={seed})");
        return seed;
    }
}
