namespace Bit1HW.Core;

/// <summary>
/// The project's one seeded random generator (SplitMix64, Steele, Lea and Flood 2014): every
/// campaign, synthetic layer, synthetic model, sampler and test draws from it, so a run replays
/// from the seed it prints. Its integer sequence is defined here, not by the runtime, and so
/// never changes between .NET versions (System.Random's sequence is not guaranteed to stay).
/// The derived draws are pure integer arithmetic, except <see cref="NextGaussian"/>, which also
/// uses Math.Log and Math.Sqrt.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;
    private double? _spareGaussian;

    /// <summary>A generator seeded with a (possibly negative) int seed, as printed by the campaigns.</summary>
    public SplitMix64(int seed) : this(unchecked((ulong)(long)seed)) { }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive < 1) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "at least 1");
        return (int)NextBelow((ulong)maxExclusive);
    }

    /// <summary>Uniform in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>), as System.Random.Next(min, max).</summary>
    public int Next(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"must exceed {minInclusive}");
        return (int)(minInclusive + (long)NextBelow((ulong)((long)maxExclusive - minInclusive)));
    }

    /// <summary>Uniform in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>), as System.Random.NextInt64(min, max).</summary>
    public long NextInt64(long minInclusive, long maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"must exceed {minInclusive}");
        return unchecked(minInclusive + (long)NextBelow((ulong)(maxExclusive - minInclusive)));
    }

    /// <summary>A fair coin.</summary>
    public bool NextBool() => (NextUInt64() >> 63) != 0;

    /// <summary>Fills <paramref name="buffer"/> with random bytes, eight per draw, little-endian.</summary>
    public void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i += 8)
        {
            ulong bits = NextUInt64();
            for (int j = 0; j < 8 && i + j < buffer.Length; j++) buffer[i + j] = (byte)(bits >> (8 * j));
        }
    }

    /// <summary>
    /// A standard normal draw by Marsaglia's polar method: pairs (u, v) uniform in (-1, 1)² are
    /// drawn until 0 &lt; s = u² + v² &lt; 1, then u·√(−2 ln s / s) is returned and v·√(−2 ln s / s)
    /// kept for the next call.
    /// </summary>
    public double NextGaussian()
    {
        if (_spareGaussian is double spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * f;
        return u * f;
    }

    /// <summary>A generator for one named stream, independent of the order streams are drawn in.</summary>
    public static SplitMix64 For(ulong seed, string stream)
    {
        ulong h = 0xCBF29CE484222325UL; // FNV-1a
        foreach (char c in stream) h = (h ^ c) * 0x100000001B3UL;
        return new SplitMix64(seed ^ h);
    }

    /// <summary>Uniform in [0, n) by Lemire's multiply-and-reject: exact, so every value is equally likely.</summary>
    private ulong NextBelow(ulong n)
    {
        UInt128 m = (UInt128)NextUInt64() * n;
        if ((ulong)m < n)
        {
            ulong threshold = (0 - n) % n;
            while ((ulong)m < threshold) m = (UInt128)NextUInt64() * n;
        }
        return (ulong)(m >> 64);
    }
}
