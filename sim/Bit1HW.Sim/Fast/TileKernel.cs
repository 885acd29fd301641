using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Bit1HW.Sim.Fast;

/// <summary>Instruction sets the tile kernel can use; tests force each one and compare.</summary>
public enum KernelIsa { Scalar, Avx2, Avx512 }

/// <summary>
/// The dot products of a block of MAC tiles: for tiles i &lt; count reading weight word w0 + i and
/// activation word a0 + i (no wrap; the caller splits at the memory ends), rowSums[r] +=
/// Σ_i Σ_j w[w0+i, r, j] · a[a0+i, j], wrapping modulo 2^32 like the AccBits-wide accumulator.
/// The sum of a tile's lane terms is its dot product whatever the adder tree's shape, so the block
/// is one long dot product per row. Ternary words are decoded from their 2-bit codes in registers
/// into w + 1 ∈ {0, 1, 2} (code 00 → 1, 01 → 2, 11 → 0, the unused 10 → 1), multiplied with the
/// signed activations by pmaddubsw (pair sums within ±512, summed exactly in 16 bits for 32 tiles,
/// then widened with pmaddwd), and the activation sums are subtracted. INT8 words are sign-extended
/// to 16 bits and multiplied with pmaddwd. The scalar path multiplies code by code.
/// </summary>
internal static unsafe class TileKernel
{
    public static KernelIsa Best { get; } =
        Avx512BW.IsSupported && Avx512Vbmi.IsSupported ? KernelIsa.Avx512 : Avx2.IsSupported ? KernelIsa.Avx2 : KernelIsa.Scalar;

    public static bool IsSupported(KernelIsa isa) => isa switch
    {
        KernelIsa.Avx512 => Avx512BW.IsSupported && Avx512Vbmi.IsSupported,
        KernelIsa.Avx2 => Avx2.IsSupported,
        _ => true,
    };

    // The AVX-512 decode: qword q gathers packed bytes 2q and 2q+1 (codes 8q .. 8q+7), a multishift
    // moves code b of the qword to bits 0-1 of byte b, and a 64-entry permute maps it to w + 1.
    private static readonly Vector512<byte> Spread = Vector512.Create(Pattern(i => (byte)(2 * (i / 8) + (i % 8 == 1 ? 1 : 0))));
    private static readonly Vector512<byte> Shifts = Vector512.Create(Pattern(i => (byte)(2 * (i % 8))));
    private static readonly Vector512<byte> CodeToWeightPlusOne = Vector512.Create(Pattern(i => (byte)(WeightOf(i & 3) + 1)));

    // table[b] = the four w + 1 bytes of the four codes in packed byte b, lowest code first.
    private static readonly uint[] DecodeTable = BuildDecodeTable();

    private static uint[] BuildDecodeTable()
    {
        var t = new uint[256];
        for (int b = 0; b < 256; b++)
            for (int k = 0; k < 4; k++) t[b] |= (uint)(WeightOf((b >> (2 * k)) & 3) + 1) << (8 * k);
        return t;
    }

    /// <summary>TernaryCode as the hardware decodes it: 01 → +1, 11 → -1, 00 and 10 → 0.</summary>
    private static int WeightOf(int code) => code == 1 ? 1 : code == 3 ? -1 : 0;

    /// <param name="partials">Scratch of at least layout.Vectors · 32 ints.</param>
    public static void Accumulate(TileLayout layout, WeightStore w, int w0, ActStore a, int a0, int count,
        Span<int> rowSums, int[] partials, KernelIsa isa)
    {
        if (count <= 0) return;
        if (isa == KernelIsa.Scalar)
        {
            Scalar(layout, w, w0, a, a0, count, rowSums);
            return;
        }
        int lanesPerPartial;
        fixed (byte* wb = w.Data)
        fixed (sbyte* ab = a.Data)
        fixed (int* part = partials)
        {
            byte* wp = wb + (long)w0 * layout.WeightBytes;
            sbyte* ap = ab + (long)a0 * layout.ActBytes;
            lanesPerPartial = (layout.Ternary, isa) switch
            {
                (true, KernelIsa.Avx512) => TernaryAvx512(layout, wp, ap, count, part),
                (true, _) => TernaryAvx2(layout, wp, ap, count, part),
                (false, KernelIsa.Avx512) => Int8Avx512(layout, wp, ap, count, part),
                _ => Int8Avx2(layout, wp, ap, count, part),
            };
        }
        Reduce(layout, partials, lanesPerPartial, rowSums);
        if (layout.Ternary)
        {
            int correction = 0;
            for (int i = 0; i < count; i++) correction += a.Sums[a0 + i];
            for (int r = 0; r < layout.Rows; r++) rowSums[r] -= correction;
        }
    }

    /// <summary>Adds each partial (lanes [p·n, p·n + n) of its vector) to its row; padding rows are dropped.</summary>
    private static void Reduce(TileLayout layout, int[] partials, int lanesPerPartial, Span<int> rowSums)
    {
        int[] rowOf = layout.RowOfPartial(lanesPerPartial);
        for (int p = 0; p < rowOf.Length; p++)
        {
            int row = rowOf[p];
            if (row < rowSums.Length) rowSums[row] += partials[p];
        }
    }

    private static int TernaryAvx512(TileLayout layout, byte* w, sbyte* a, int count, int* partials)
    {
        Vector512<byte> spread = Spread, shifts = Shifts, lut = CodeToWeightPlusOne;
        Vector512<short> ones = Vector512.Create((short)1);
        int wStride = layout.WeightBytes, aStride = layout.ActBytes;
        for (int v = 0; v < layout.Vectors; v++)
        {
            byte* wv = w + 16 * v;
            sbyte* av = a + 64 * v % aStride;
            Vector512<int> sum = Vector512<int>.Zero;
            for (int i0 = 0; i0 < count; i0 += 32)
            {
                Vector512<short> pairs = Vector512<short>.Zero;
                byte* wi = wv + (long)i0 * wStride;
                sbyte* ai = av + (long)i0 * aStride;
                for (int n = Math.Min(count - i0, 32); n > 0; n--, wi += wStride, ai += aStride)
                {
                    Vector512<byte> packed = Avx512F.BroadcastVector128ToVector512((uint*)wi).AsByte();
                    Vector512<ulong> gathered = Avx512Vbmi.PermuteVar64x8(packed, spread).AsUInt64();
                    Vector512<byte> w1 = Avx512Vbmi.PermuteVar64x8(lut, Avx512Vbmi.MultiShift(shifts, gathered));
                    pairs += Avx512BW.MultiplyAddAdjacent(w1, Vector512.Load(ai));
                }
                sum += Avx512BW.MultiplyAddAdjacent(pairs, ones);
            }
            sum.Store(partials + 16 * v);
        }
        return 4;
    }

    private static int TernaryAvx2(TileLayout layout, byte* w, sbyte* a, int count, int* partials)
    {
        Vector256<short> ones = Vector256.Create((short)1);
        int wStride = layout.WeightBytes, aStride = layout.ActBytes;
        fixed (uint* table = DecodeTable)
            for (int half = 0; half < 2 * layout.Vectors; half++)
            {
                byte* wv = w + 8 * half;
                sbyte* av = a + 32 * half % aStride;
                Vector256<int> sum = Vector256<int>.Zero;
                for (int i0 = 0; i0 < count; i0 += 32)
                {
                    Vector256<short> pairs = Vector256<short>.Zero;
                    byte* wi = wv + (long)i0 * wStride;
                    sbyte* ai = av + (long)i0 * aStride;
                    for (int n = Math.Min(count - i0, 32); n > 0; n--, wi += wStride, ai += aStride)
                    {
                        Vector256<int> index = Avx2.ConvertToVector256Int32(wi);
                        Vector256<byte> w1 = Avx2.GatherVector256((int*)table, index, 4).AsByte();
                        pairs += Avx2.MultiplyAddAdjacent(w1, Vector256.Load(ai));
                    }
                    sum += Avx2.MultiplyAddAdjacent(pairs, ones);
                }
                sum.Store(partials + 8 * half);
            }
        return 4;
    }

    private static int Int8Avx512(TileLayout layout, byte* w, sbyte* a, int count, int* partials)
    {
        int wStride = layout.WeightBytes, aStride = layout.ActBytes;
        for (int half = 0; half < 2 * layout.Vectors; half++)
        {
            sbyte* wv = (sbyte*)w + 32 * half;
            sbyte* av = a + 32 * half % aStride;
            Vector512<int> sum = Vector512<int>.Zero;
            for (int i = 0; i < count; i++)
            {
                Vector512<short> ws = Avx512BW.ConvertToVector512Int16(Vector256.Load(wv + (long)i * wStride));
                Vector512<short> xs = Avx512BW.ConvertToVector512Int16(Vector256.Load(av + (long)i * aStride));
                sum += Avx512BW.MultiplyAddAdjacent(ws, xs);
            }
            sum.Store(partials + 16 * half);
        }
        return 2;
    }

    private static int Int8Avx2(TileLayout layout, byte* w, sbyte* a, int count, int* partials)
    {
        int wStride = layout.WeightBytes, aStride = layout.ActBytes;
        for (int quarter = 0; quarter < 4 * layout.Vectors; quarter++)
        {
            sbyte* wv = (sbyte*)w + 16 * quarter;
            sbyte* av = a + 16 * quarter % aStride;
            Vector256<int> sum = Vector256<int>.Zero;
            for (int i = 0; i < count; i++)
            {
                Vector256<short> ws = Avx2.ConvertToVector256Int16(wv + (long)i * wStride);
                Vector256<short> xs = Avx2.ConvertToVector256Int16(av + (long)i * aStride);
                sum += Avx2.MultiplyAddAdjacent(ws, xs);
            }
            sum.Store(partials + 8 * quarter);
        }
        return 2;
    }

    /// <summary>Code by code, lane by lane: the reference the vector paths are tested against.</summary>
    private static void Scalar(TileLayout layout, WeightStore w, int w0, ActStore a, int a0, int count, Span<int> rowSums)
    {
        int jp = layout.PaddedLanes;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> word = w.Data.AsSpan((w0 + i) * layout.WeightBytes, layout.WeightBytes);
            ReadOnlySpan<sbyte> x = a.Data.AsSpan((a0 + i) * layout.ActBytes, layout.Lanes);
            for (int r = 0; r < layout.Rows; r++)
            {
                int sum = 0;
                for (int j = 0; j < layout.Lanes; j++)
                {
                    int k = r * jp + j;
                    int weight = layout.Ternary ? WeightOf((word[k >> 2] >> (2 * (k & 3))) & 3) : (sbyte)word[k];
                    sum += weight * x[j];
                }
                rowSums[r] += sum;
            }
        }
    }

    private static byte[] Pattern(Func<int, byte> f)
    {
        var b = new byte[64];
        for (int i = 0; i < 64; i++) b[i] = f(i);
        return b;
    }
}
