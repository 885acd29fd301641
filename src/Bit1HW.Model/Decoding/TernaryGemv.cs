using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>The instruction set a <see cref="ReferenceBackend"/> multiplies with: the results are the same integers.</summary>
public enum GemvKernel { Scalar, Avx2, Avx512 }

/// <summary>
/// The ternary GEMV kernels of <see cref="ReferenceBackend"/>, reading the row-packed 2-bit
/// <see cref="Bit1HW.Core.Numerics.TernaryCode"/>s in place. A SIMD kernel takes the columns in
/// groups of G (128 for AVX2, 256 for AVX-512): the G/4 code bytes of a group hold, in their 2-bit
/// field k, the weights of columns 4p + k (p = 0..G/4−1), so the activations are de-interleaved once
/// per call into four planes of G/4 in that order (<see cref="Planes"/>). XOR with 0b01 turns every
/// code into u = 1 − w ∈ {0, 1, 2} (00 → 01, 01 → 00, 11 → 10); shifting by 2k and masking gives
/// plane k's u as bytes, and unsigned-by-signed byte multiply-adds (vpmaddubsw) sum u·x in int16.
/// Then Σ w·x = Σ x − Σ u·x. Each int16 lane gains at most 4 planes × 2 products × 2·128 per group,
/// within [−2048, 2032], so 16 groups fit int16 exactly ([−32768, 32512]) before one vpmaddwd widens
/// them to int32. Two rows are done together so each plane's activations are loaded once for both.
/// Columns after the last whole group, and the scalar kernel, add or subtract x per decoded weight.
/// </summary>
internal static unsafe class TernaryGemv
{
    private const int GroupsPerWiden = 16;

    public static GemvKernel Best => IsSupported(GemvKernel.Avx512) ? GemvKernel.Avx512 : IsSupported(GemvKernel.Avx2) ? GemvKernel.Avx2 : GemvKernel.Scalar;

    public static bool IsSupported(GemvKernel k) => k switch
    {
        GemvKernel.Scalar => true,
        GemvKernel.Avx2 => Avx2.IsSupported,
        GemvKernel.Avx512 => Avx512BW.IsSupported,
        _ => throw new UnreachableException(k.ToString()),
    };

    /// <summary>Columns per SIMD group, or 0 for the scalar kernel.</summary>
    public static int GroupColumns(GemvKernel k) => k switch
    {
        GemvKernel.Scalar => 0,
        GemvKernel.Avx2 => 128,
        GemvKernel.Avx512 => 256,
        _ => throw new UnreachableException(k.ToString()),
    };

    /// <summary>planes[G·g + (G/4)·k + p] = x[G·g + 4p + k] for the whole groups; returns their Σ x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Planes(ReadOnlySpan<sbyte> x, int group, int groups, Span<sbyte> planes)
    {
        int sum = 0, run = group / 4;
        for (int g = 0; g < groups; g++)
            for (int p = 0; p < run; p++)
                for (int k = 0; k < 4; k++)
                {
                    sbyte v = x[group * g + 4 * p + k];
                    planes[group * g + run * k + p] = v;
                    sum += v;
                }
        return sum;
    }

    /// <summary>
    /// As <see cref="Rows"/> for codes in the <see cref="RowPairLayout"/> order (r0 even): the two
    /// rows of a pair are read as one front-to-back stream of 64-byte blocks (measured 3–4× faster
    /// per CPU-second than two rows a stride apart on a Zen 4 core, whose prefetchers lose the two
    /// interleaved streams). A group that lies in the rows' tails (AVX2 only) goes to the scalar loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowPairs(GemvKernel kernel, byte* codes, int stride, int cols, sbyte* x, sbyte* planes, int planeSum, int* acc, int r0, int r1, int rows)
    {
        Debug.Assert((r0 & 1) == 0);
        int group = GroupColumns(kernel), groups = group == 0 ? 0 : cols / group;
        int paired = group == 0 ? 0 : Math.Min(groups, stride / RowPairLayout.Block * RowPairLayout.Block * 4 / group);
        int pairedSum = planeSum;
        for (int c = paired * group; c < groups * group; c++) pairedSum -= x[c];
        int r = r0;
        for (; r + 2 <= Math.Min(r1, rows & ~1); r += 2)
        {
            byte* pair = codes + (long)r * stride;
            int* a = acc + (r - r0);
            if (kernel == GemvKernel.Avx512) Avx512Pair(pair, pair + RowPairLayout.Block, 2 * RowPairLayout.Block, planes, paired, pairedSum, a);
            else if (kernel == GemvKernel.Avx2) Avx2Pair(pair, pair + RowPairLayout.Block, 2 * RowPairLayout.Block, planes, paired, pairedSum, a);
            else a[0] = a[1] = 0;
            if (paired * group < cols)
            {
                a[0] += ScalarInPair(pair, stride, false, x, paired * group, cols);
                a[1] += ScalarInPair(pair, stride, true, x, paired * group, cols);
            }
        }
        if (r < r1) Rows(kernel, codes, stride, cols, x, planes, planeSum, acc + (r - r0), r, r1);
    }

    /// <summary>acc[r − r0] = Σ_c w[r, c]·x[c] for rows [r0, r1) of codes with <paramref name="stride"/> bytes per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(GemvKernel kernel, byte* codes, int stride, int cols, sbyte* x, sbyte* planes, int planeSum, int* acc, int r0, int r1)
    {
        int group = GroupColumns(kernel), groups = group == 0 ? 0 : cols / group;
        int r = r0;
        if (kernel == GemvKernel.Avx512)
            for (; r + 2 <= r1; r += 2) Avx512Pair(codes + (long)r * stride, codes + (long)(r + 1) * stride, 64, planes, groups, planeSum, acc + (r - r0));
        else if (kernel == GemvKernel.Avx2)
            for (; r + 2 <= r1; r += 2) Avx2Pair(codes + (long)r * stride, codes + (long)(r + 1) * stride, 64, planes, groups, planeSum, acc + (r - r0));
        for (; r < r1; r++)
        {
            byte* row = codes + (long)r * stride;
            int sum = 0;
            if (kernel == GemvKernel.Avx512) sum = planeSum - Avx512Row(row, planes, groups);
            else if (kernel == GemvKernel.Avx2) sum = planeSum - Avx2Row(row, planes, groups);
            acc[r - r0] = sum;
        }
        if (groups * group < cols)
            for (r = r0; r < r1; r++) acc[r - r0] += Scalar(codes + (long)r * stride, x, groups * group, cols);
    }

    /// <summary>Σ w·x over columns [c0, c1) of one row, one decoded weight at a time (c0 a multiple of 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scalar(byte* row, sbyte* x, int c0, int c1)
    {
        int sum = 0;
        for (int c = c0; c < c1; c++)
        {
            // A 2-bit code sign-extended is its weight (TernaryCode).
            int w = (sbyte)(row[c >> 2] << (6 - 2 * (c & 3))) >> 6;
            sum += w * x[c];
        }
        return sum;
    }

    /// <summary>As <see cref="Scalar"/> for one row of a pair in the <see cref="RowPairLayout"/> order.</summary>
    private static int ScalarInPair(byte* pair, int stride, bool second, sbyte* x, int c0, int c1)
    {
        int sum = 0;
        for (int c = c0; c < c1; c++)
        {
            int w = (sbyte)(pair[RowPairLayout.Offset(stride, second, c >> 2)] << (6 - 2 * (c & 3))) >> 6;
            sum += w * x[c];
        }
        return sum;
    }

    /// <summary>Two rows; group g's 32 code bytes of a row are at row + <paramref name="step"/>·(g/2) + 32·(g mod 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx2Pair(byte* row0, byte* row1, int step, sbyte* planes, int groups, int planeSum, int* acc)
    {
        var flip = Vector256.Create((byte)0x55);
        var low = Vector256.Create((byte)3);
        var ones = Vector256.Create((short)1);
        Vector256<int> t0 = default, t1 = default;
        for (int g0 = 0; g0 < groups; g0 += GroupsPerWiden)
        {
            int g1 = Math.Min(groups, g0 + GroupsPerWiden);
            Vector256<short> s0 = default, s1 = default;
            for (int g = g0; g < g1; g++)
            {
                sbyte* xg = planes + 128 * g;
                var x0 = Avx.LoadVector256(xg);
                var x1 = Avx.LoadVector256(xg + 32);
                var x2 = Avx.LoadVector256(xg + 64);
                var x3 = Avx.LoadVector256(xg + 96);
                int at = step * (g >> 1) + 32 * (g & 1);
                var u = Avx2.Xor(Avx.LoadVector256(row0 + at), flip);
                s0 = Avx2.Add(s0, Avx2Planes(u, low, x0, x1, x2, x3));
                u = Avx2.Xor(Avx.LoadVector256(row1 + at), flip);
                s1 = Avx2.Add(s1, Avx2Planes(u, low, x0, x1, x2, x3));
            }
            t0 = Avx2.Add(t0, Avx2.MultiplyAddAdjacent(s0, ones));
            t1 = Avx2.Add(t1, Avx2.MultiplyAddAdjacent(s1, ones));
        }
        acc[0] = planeSum - Vector256.Sum(t0);
        acc[1] = planeSum - Vector256.Sum(t1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Avx2Row(byte* row, sbyte* planes, int groups)
    {
        var flip = Vector256.Create((byte)0x55);
        var low = Vector256.Create((byte)3);
        Vector256<int> t = default;
        for (int g0 = 0; g0 < groups; g0 += GroupsPerWiden)
        {
            Vector256<short> s = default;
            for (int g = g0; g < Math.Min(groups, g0 + GroupsPerWiden); g++)
            {
                sbyte* xg = planes + 128 * g;
                var u = Avx2.Xor(Avx.LoadVector256(row + 32 * g), flip);
                s = Avx2.Add(s, Avx2Planes(u, low, Avx.LoadVector256(xg), Avx.LoadVector256(xg + 32), Avx.LoadVector256(xg + 64), Avx.LoadVector256(xg + 96)));
            }
            t = Avx2.Add(t, Avx2.MultiplyAddAdjacent(s, Vector256.Create((short)1)));
        }
        return Vector256.Sum(t);
    }

    /// <summary>Σ over the four planes of u·x, as int16 pair sums, for one group of one row (u already flipped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Avx2Planes(Vector256<byte> u, Vector256<byte> low,
        Vector256<sbyte> x0, Vector256<sbyte> x1, Vector256<sbyte> x2, Vector256<sbyte> x3)
    {
        var p0 = Avx2.MultiplyAddAdjacent(Avx2.And(u, low), x0);
        var p1 = Avx2.MultiplyAddAdjacent(Avx2.And(Avx2.ShiftRightLogical(u.AsUInt16(), 2).AsByte(), low), x1);
        var p2 = Avx2.MultiplyAddAdjacent(Avx2.And(Avx2.ShiftRightLogical(u.AsUInt16(), 4).AsByte(), low), x2);
        var p3 = Avx2.MultiplyAddAdjacent(Avx2.And(Avx2.ShiftRightLogical(u.AsUInt16(), 6).AsByte(), low), x3);
        return Avx2.Add(Avx2.Add(p0, p1), Avx2.Add(p2, p3));
    }

    /// <summary>Two rows; group g's 64 code bytes of a row are at row + <paramref name="step"/>·g.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx512Pair(byte* row0, byte* row1, int step, sbyte* planes, int groups, int planeSum, int* acc)
    {
        var ones = Vector512.Create((short)1);
        Vector512<int> t0 = default, t1 = default;
        for (int g0 = 0; g0 < groups; g0 += GroupsPerWiden)
        {
            int g1 = Math.Min(groups, g0 + GroupsPerWiden);
            Vector512<short> s0 = default, s1 = default;
            for (int g = g0; g < g1; g++)
            {
                sbyte* xg = planes + 256 * g;
                var x0 = Vector512.Load(xg);
                var x1 = Vector512.Load(xg + 64);
                var x2 = Vector512.Load(xg + 128);
                var x3 = Vector512.Load(xg + 192);
                s0 = Avx512BW.Add(s0, Avx512Planes(Vector512.Load(row0 + step * g), x0, x1, x2, x3));
                s1 = Avx512BW.Add(s1, Avx512Planes(Vector512.Load(row1 + step * g), x0, x1, x2, x3));
            }
            t0 = Avx512F.Add(t0, Avx512BW.MultiplyAddAdjacent(s0, ones));
            t1 = Avx512F.Add(t1, Avx512BW.MultiplyAddAdjacent(s1, ones));
        }
        acc[0] = planeSum - Vector512.Sum(t0);
        acc[1] = planeSum - Vector512.Sum(t1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Avx512Row(byte* row, sbyte* planes, int groups)
    {
        Vector512<int> t = default;
        for (int g0 = 0; g0 < groups; g0 += GroupsPerWiden)
        {
            Vector512<short> s = default;
            for (int g = g0; g < Math.Min(groups, g0 + GroupsPerWiden); g++)
            {
                sbyte* xg = planes + 256 * g;
                s = Avx512BW.Add(s, Avx512Planes(Vector512.Load(row + 64 * g),
                    Vector512.Load(xg), Vector512.Load(xg + 64), Vector512.Load(xg + 128), Vector512.Load(xg + 192)));
            }
            t = Avx512F.Add(t, Avx512BW.MultiplyAddAdjacent(s, Vector512.Create((short)1)));
        }
        return Vector512.Sum(t);
    }

    /// <summary>As <see cref="Avx2Planes"/> for 256 columns; one vpternlogd per plane does the flip and the mask: (c ^ 0x55) &amp; 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Avx512Planes(Vector512<byte> codes,
        Vector512<sbyte> x0, Vector512<sbyte> x1, Vector512<sbyte> x2, Vector512<sbyte> x3)
    {
        const byte xorThenAnd = 0x28; // (A ^ B) & C over the truth-table bytes A = 0xF0, B = 0xCC, C = 0xAA
        var flip = Vector512.Create((byte)0x55);
        var low = Vector512.Create((byte)3);
        var p0 = Avx512BW.MultiplyAddAdjacent(Avx512F.TernaryLogic(codes, flip, low, xorThenAnd), x0);
        var p1 = Avx512BW.MultiplyAddAdjacent(Avx512F.TernaryLogic(Avx512BW.ShiftRightLogical(codes.AsUInt16(), 2).AsByte(), flip, low, xorThenAnd), x1);
        var p2 = Avx512BW.MultiplyAddAdjacent(Avx512F.TernaryLogic(Avx512BW.ShiftRightLogical(codes.AsUInt16(), 4).AsByte(), flip, low, xorThenAnd), x2);
        var p3 = Avx512BW.MultiplyAddAdjacent(Avx512F.TernaryLogic(Avx512BW.ShiftRightLogical(codes.AsUInt16(), 6).AsByte(), flip, low, xorThenAnd), x3);
        return Avx512BW.Add(Avx512BW.Add(p0, p1), Avx512BW.Add(p2, p3));
    }
}
