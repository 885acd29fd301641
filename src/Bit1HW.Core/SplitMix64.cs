namespace Bit1HW.Model;

/// <summary>
/// SplitMix64: a tiny seeded generator whose output never changes between .NET versions, so a
/// synthetic model or a sampled token sequence is reproducible from its seed.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A generator for one named stream, independent of the order streams are drawn in.</summary>
    public static SplitMix64 For(ulong seed, string stream)
    {
        ulong h = 0xCBF29CE484222325UL; // FNV-1a
        foreach (char c in stream) h = (h ^ c) * 0x100000001B3UL;
        return new SplitMix64(seed ^ h);
    }
}
