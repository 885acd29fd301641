namespace Bit1HW.Core.Numerics;

/// <summary>
/// Exact two's-complement widths of integer dot products (docs/numerics.md, "Accumulator width").
/// A term is activation × weight with activation in [-2^(b-1), 2^(b-1)-1]; the largest term
/// magnitude is 2^(b-1) · maxAbsWeight (reached by the most negative activation times the most
/// negative weight), and it is positive, so the sum of K terms needs bitlength(K · maxTerm) + 1 bits.
/// </summary>
public static class Widths
{
    /// <summary>Width of a signed sum of <paramref name="terms"/> products of a b-bit activation and
    /// a weight whose magnitude is at most <paramref name="maxAbsWeight"/> (1 for ternary, 128 for INT8).</summary>
    public static int DotProductWidthBits(long terms, int actBits, long maxAbsWeight)
    {
        if (terms < 1) throw new ArgumentOutOfRangeException(nameof(terms), terms, "need at least one term");
        if (actBits is < 2 or > 16) throw new ArgumentOutOfRangeException(nameof(actBits), actBits, "2..16");
        if (maxAbsWeight < 1) throw new ArgumentOutOfRangeException(nameof(maxAbsWeight), maxAbsWeight, ">= 1");
        System.Numerics.BigInteger maxMagnitude = checked(terms * (1L << (actBits - 1))) * (System.Numerics.BigInteger)maxAbsWeight;
        return checked((int)maxMagnitude.GetBitLength() + 1);
    }

    /// <summary>Width of a ternary dot product of K terms with b-bit activations.</summary>
    public static int TernaryAccumulatorBits(long k, int actBits) => DotProductWidthBits(k, actBits, 1);

    /// <summary>ceil(log2(n)) for n ≥ 1 (0 for n = 1): the number of levels of a binary adder tree over n inputs.</summary>
    public static int CeilLog2(long n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, ">= 1");
        return n == 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1));
    }

    /// <summary>Address bits for a memory of <paramref name="depth"/> words (at least 1).</summary>
    public static int AddressBits(long depth) => Math.Max(1, CeilLog2(depth));
}
