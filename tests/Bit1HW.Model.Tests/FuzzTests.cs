using Bit1HW.Core.Numerics;
using Bit1HW.Core;
using Bit1HW.Model.Gguf;
using Xunit.Abstractions;

namespace Bit1HW.Model.Tests;

/// <summary>
/// Seeded corruption of small model files. Every corrupted file must either load (a flipped bit in
/// a weight or an fp16 mantissa can still be a valid model) or fail with a
/// <see cref="UserInputException"/>; any other exception is a crash and fails the test with the
/// seed and case number. Truncations must always be rejected. Replay one seed with
/// BIT1HW_SEED=N.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static ModelConfig SmallConfig() => new()
    {
        HiddenSize = 256, IntermediateSize = 256, NumLayers = 1, NumHeads = 2, NumKvHeads = 1,
        VocabSize = 4, MaxPositions = 16,
    };

    [Theory]
    [InlineData("gguf-tq2", 1000)]
    [InlineData("gguf-tq1", 1000)]
    [InlineData("gguf-i2s", 1000)]
    public void Every_corrupted_model_file_loads_or_is_rejected_as_bad_input(string format, int cases)
    {
        int seed = TestSeed.Seed(20261122, output);
        byte[] clean = TinyModels.Gguf(SmallConfig(), 1, SyntheticModel.ParseFormat(format));
        long header = GgufReader.Read(new MemoryStream(clean), "clean").DataOffset;
        // One stream per format, by name: string.GetHashCode is randomized per process and would not replay.
        var rng = SplitMix64.For((ulong)seed, format);
        int rejected = 0, loaded = 0;
        for (int i = 0; i < cases; i++)
        {
            var (bytes, kind) = Corrupt(clean, header, rng);
            try
            {
                TinyModels.Load(bytes);
                loaded++;
                Assert.True(kind != "truncate", $"seed {seed} case {i}: a truncated file ({bytes.Length} of {clean.Length} bytes) loaded");
            }
            catch (UserInputException e)
            {
                rejected++;
                Assert.False(string.IsNullOrWhiteSpace(e.Subject), $"seed {seed} case {i}: empty subject");
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed} case {i} ({kind}): {e.GetType().Name}: {e.Message}");
            }
        }
        output.WriteLine($"{rejected} rejected as bad input, {loaded} still valid models");
        Assert.True(rejected > cases / 2, $"seed {seed}: only {rejected} of {cases} corruptions were detected");
    }

    private static (byte[], string) Corrupt(byte[] clean, long header, SplitMix64 rng)
    {
        var b = (byte[])clean.Clone();
        int Pick(long n) => (int)(rng.NextUInt64() % (ulong)n);
        switch (rng.NextUInt64() % 5)
        {
            case 0:
                return (b[..Pick(b.Length)], "truncate");
            case 1: // a few random bytes in the header
                for (int k = 0, n = 1 + Pick(4); k < n; k++) b[Pick(header)] = (byte)rng.NextUInt64();
                return (b, "header bytes");
            case 2: // a random 64-bit value over a header field
                int at = Pick(header - 8);
                BitConverter.GetBytes(rng.NextUInt64() >> Pick(64)).CopyTo(b, at);
                return (b, "header u64");
            case 3: // random bytes anywhere
                for (int k = 0, n = 1 + Pick(16); k < n; k++) b[Pick(b.Length)] = (byte)rng.NextUInt64();
                return (b, "anywhere");
            default: // a single bit flip in the header
                b[Pick(header)] ^= (byte)(1 << Pick(8));
                return (b, "header bit");
        }
    }
}
