using System.Runtime.CompilerServices;
using Bit1HW.Core;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// Picks the next token. Temperature 0 is greedy: the lowest index among the largest logits.
/// Otherwise p ∝ exp((logit − max)/T) in float64 and one SplitMix64 draw (seeded) selects the first
/// token whose cumulative weight exceeds u · Σ.
/// </summary>
internal sealed class Sampler(double temperature, ulong seed)
{
    private readonly SplitMix64 _rng = new(seed);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Next(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        if (temperature <= 0) return best;
        double max = logits[best], sum = 0;
        var w = new double[logits.Length];
        for (int i = 0; i < w.Length; i++) sum += w[i] = Math.Exp((logits[i] - max) / temperature);
        double u = _rng.NextDouble() * sum, cum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            cum += w[i];
            if (cum > u) return i;
        }
        return best;
    }
}
