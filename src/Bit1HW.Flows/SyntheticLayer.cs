using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.IO;

namespace Bit1HW.Flows;

/// <summary>
/// A seeded synthetic BitLinear layer (<c>bit1hw make-layer</c>): float32 weight [out, in] and input
/// [tokens, in], row-major. From one <see cref="SplitMix64"/>(seed) stream, in this order: weight ~
/// Normal(0, 1/√in) row-major; then, when the zero fraction f &gt; 0, one uniform [0, 1) draw per
/// weight that sets it to 0 when below f; then input ~ Normal(0, 1). Normal draws are
/// <see cref="SplitMix64.NextGaussian"/>; each value is rounded once to float32.
/// </summary>
public sealed record SyntheticLayer(int OutFeatures, int InFeatures, int Tokens, ulong Seed, double ZeroFraction, float[] Weight, float[] Input)
{
    public static SyntheticLayer Generate(int outFeatures, int inFeatures, int tokens, ulong seed, double zeroFraction = 0)
    {
        if (outFeatures < 1 || inFeatures < 1 || tokens < 1)
            throw new ArgumentOutOfRangeException(nameof(outFeatures), $"[{outFeatures}, {inFeatures}] and {tokens} tokens: every size at least 1");
        if (!(zeroFraction >= 0 && zeroFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(zeroFraction), zeroFraction, "0..1");
        var rng = new SplitMix64(seed);
        float[] weight = Normal(rng, 1 / Math.Sqrt(inFeatures), checked(outFeatures * inFeatures));
        if (zeroFraction > 0)
            for (int i = 0; i < weight.Length; i++)
                if (rng.NextDouble() < zeroFraction) weight[i] = 0f;
        float[] input = Normal(rng, 1, checked(tokens * inFeatures));
        return new SyntheticLayer(outFeatures, inFeatures, tokens, seed, zeroFraction, weight, input);
    }

    /// <summary>The layer file: F32 'weight' and 'input', with the generator, seed and zero fraction as metadata.</summary>
    public SafeTensorsFile ToFile()
    {
        var file = new SafeTensorsFile()
            .Add(SafeTensor.FromSingles("weight", [OutFeatures, InFeatures], Weight))
            .Add(SafeTensor.FromSingles("input", [Tokens, InFeatures], Input));
        file.Metadata["generator"] = "bit1hw make-layer";
        file.Metadata["seed"] = Seed.ToString(CultureInfo.InvariantCulture);
        file.Metadata["zero_fraction"] = ZeroFraction.ToString("R", CultureInfo.InvariantCulture);
        return file;
    }

    private static float[] Normal(SplitMix64 rng, double sigma, int count)
    {
        var r = new float[count];
        for (int i = 0; i < count; i++) r[i] = (float)(sigma * rng.NextGaussian());
        return r;
    }
}
