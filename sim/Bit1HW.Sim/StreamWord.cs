namespace Bit1HW.Sim;

/// <summary>
/// One stream word as external memory holds it (docs/hardware.md, "External memory image"), decoded
/// to rows · lanes weights in {-1, 0, +1}: 2bit packing holds weight i's TernaryCode at bits
/// [2i +: 2] (01 = +1, 11 = -1, 00 and 10 = 0); base3 holds weights 5k..5k+4 in byte k, recovered by
/// five rounds of x := 3·q, trit := x >> 8, q := x AND 255, weight = trit − 1. The cycle path decodes
/// each word as its last beat arrives, the fast path each word of the stream once.
/// </summary>
internal static class StreamWord
{
    public static void Decode(ReadOnlySpan<uint> limbs, int offset, bool base3, Span<short> weights)
    {
        int n = weights.Length;
        if (!base3)
        {
            for (int i = 0; i < n; i++)
            {
                uint code = Bits(limbs, offset + 2 * i, 2);
                weights[i] = (short)(code == 1 ? 1 : code == 3 ? -1 : 0);
            }
            return;
        }
        for (int k = 0; 5 * k < n; k++)
        {
            uint q = Bits(limbs, offset + 8 * k, 8);
            for (int m = 0; m < 5 && 5 * k + m < n; m++)
            {
                uint x = 3 * q;
                weights[5 * k + m] = (short)((int)(x >> 8) - 1);
                q = x & 255;
            }
        }
    }

    private static uint Bits(ReadOnlySpan<uint> limbs, int offset, int width)
    {
        int limb = offset >> 5;
        ulong window = limbs[limb];
        if (limb + 1 < limbs.Length) window |= (ulong)limbs[limb + 1] << 32;
        return (uint)(window >> (offset & 31)) & ((1u << width) - 1);
    }
}
