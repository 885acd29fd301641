using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Bit1HW.Sim;

/// <summary>
/// The lane terms of one PE, term j = w_j · a_j. For a ternary PE w_j is the decoded code (-1, 0,
/// +1), so the product is the hardware's select of a, -a or 0; for the INT8 MAC PE it is the
/// product. |w|, |a| ≤ 128, so operands and every product fit 16 bits (|w·a| ≤ 2^14) and every pair
/// sum fits 32 bits.
/// </summary>
internal static class Terms
{
    /// <summary>Level 0 of the tree, the terms themselves: terms[j] = w[j] · a[j], 16 lanes at a time.</summary>
    public static unsafe void Multiply(short* w, short* a, short* terms, int lanes)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j + 16 <= lanes; j += 16)
                Vector256.Store(Vector256.Load(w + j) * Vector256.Load(a + j), terms + j);
        for (; j < lanes; j++) terms[j] = (short)(w[j] * a[j]);
    }

    /// <summary>
    /// Pairwise products summed: node n = w[2n]·a[2n] + w[2n+1]·a[2n+1], and for an odd lane count the
    /// last product passes up unchanged; with a = 1 this is level 1 of the tree over the terms w. Uses the x86 multiply-add-adjacent instruction (pmaddwd), which
    /// computes exactly this pair sum, 16 lanes at a time. Returns the node count, ceil(lanes / 2).
    /// </summary>
    public static unsafe int MultiplyPairs(short* w, short* a, int* nodes, int lanes)
    {
        int j = 0;
        if (Avx2.IsSupported)
            for (; j + 16 <= lanes; j += 16)
                Avx.Store(nodes + j / 2, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(w + j), Avx.LoadVector256(a + j)));
        if (Sse2.IsSupported)
            for (; j + 8 <= lanes; j += 8)
                Sse2.Store(nodes + j / 2, Sse2.MultiplyAddAdjacent(Sse2.LoadVector128(w + j), Sse2.LoadVector128(a + j)));
        for (; j + 2 <= lanes; j += 2) nodes[j / 2] = w[j] * a[j] + w[j + 1] * a[j + 1];
        if (j < lanes) nodes[j / 2] = w[j] * a[j];
        return (lanes + 1) / 2;
    }

    /// <summary>dst[n] = src[2n] + src[2n+1] for n &lt; <paramref name="count"/> (dst may equal src).</summary>
    public static unsafe void PairSums(int* src, int* dst, int count)
    {
        int n = 0;
        if (Avx2.IsSupported)
            for (; n + 8 <= count; n += 8)
            {
                // hadd gives [a01 a23 b01 b23 | a45 a67 b45 b67]; the 64-bit permute restores order.
                Vector256<int> h = Avx2.HorizontalAdd(Avx.LoadVector256(src + 2 * n), Avx.LoadVector256(src + 2 * n + 8));
                Avx.Store(dst + n, Avx2.Permute4x64(h.AsInt64(), 0b11_01_10_00).AsInt32());
            }
        for (; n < count; n++) dst[n] = src[2 * n] + src[2 * n + 1];
    }
}
