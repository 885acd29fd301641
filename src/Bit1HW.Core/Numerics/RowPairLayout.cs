namespace Bit1HW.Core.Numerics;

/// <summary>
/// A second order for the same row-packed 2-bit codes (<see cref="TernaryMatrix.RowPairs"/>), in
/// which a GEMV that multiplies two rows at once reads memory front to back. Rows 2p and 2p+1
/// occupy bytes [2p·S, 2p·S + 2S) (S = the row stride) as before, but in 64-byte blocks taken in
/// turn: block b of row 2p, block b of row 2p+1, block b+1 of row 2p, ... The last S mod 64 bytes
/// of each row (the tail) follow as row 2p's tail, then row 2p+1's. An odd last row stays as it
/// is. No byte is added or dropped, so the size is the same as the row-packed codes.
/// </summary>
public static class RowPairLayout
{
    /// <summary>The block both rows of a pair take in turn: one cache line, one AVX-512 register.</summary>
    public const int Block = 64;

    /// <summary>The offset, from the start of its pair, of byte <paramref name="j"/> of a row of
    /// <paramref name="stride"/> bytes; <paramref name="second"/> for the pair's second row.</summary>
    public static int Offset(int stride, bool second, int j)
    {
        int full = stride / Block, tail = stride - full * Block;
        int half = second ? 1 : 0;
        return j < full * Block ? 2 * Block * (j / Block) + Block * half + j % Block : 2 * Block * full + tail * half + (j - full * Block);
    }

    /// <summary>Reorders row-packed codes into the row-pair order in place.</summary>
    public static void Interleave(Span<byte> codes, int rows, int stride) => Permute(codes, rows, stride, toPairs: true);

    /// <summary>Reorders row-pair codes back into rows in place.</summary>
    public static void Deinterleave(Span<byte> codes, int rows, int stride) => Permute(codes, rows, stride, toPairs: false);

    private static void Permute(Span<byte> codes, int rows, int stride, bool toPairs)
    {
        var pair = new byte[2 * stride];
        for (int p = 0; p + 1 < rows; p += 2)
        {
            Span<byte> at = codes.Slice(p * stride, 2 * stride);
            at.CopyTo(pair);
            for (int half = 0; half < 2; half++)
            {
                int j = 0;
                for (; j + Block <= stride; j += Block)
                    Move(pair, at, half * stride + j, Offset(stride, half == 1, j), Block, toPairs);
                if (j < stride) Move(pair, at, half * stride + j, Offset(stride, half == 1, j), stride - j, toPairs);
            }
        }
    }

    /// <summary>Copies a run of bytes from its row position to its pair position (or back) within one pair.</summary>
    private static void Move(byte[] saved, Span<byte> at, int rowPos, int pairPos, int length, bool toPairs)
    {
        if (toPairs) saved.AsSpan(rowPos, length).CopyTo(at.Slice(pairPos, length));
        else saved.AsSpan(pairPos, length).CopyTo(at.Slice(rowPos, length));
    }
}
