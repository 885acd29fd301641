using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// The fast software ternary GEMV, reading the 2-bit <see cref="Bit1HW.Core.Numerics.TernaryCode"/>
/// rows directly (no wider copy of the weights). For each group of 128 columns it loads 32 code
/// bytes; shifting by 2k and masking gives the codes of columns 128g + 4p + k (p = 0..31), which a
/// byte shuffle turns into u = w + 1 ∈ {0, 1, 2}. Unsigned-by-signed byte multiply-adds
/// (vpmaddubsw) sum u·x against the activations de-interleaved once per call into the same order,
/// and acc = Σ u·x − Σ x. Partial sums stay far inside int16 (at most 4·2·2·128 = 2048 per lane
/// per group) before widening to int32, so the result is exact. Rows are split across threads;
/// integer results do not depend on the split. Without AVX2, or for the columns after the last
/// whole group, a scalar loop does the same sum.
/// </summary>
public sealed class ReferenceBackend(int threads = 0) : ITernaryLinearBackend
{
    private const int Group = 128;
    private readonly int _threads = threads > 0 ? threads : Environment.ProcessorCount;

    public string Name => "reference";
    public long? Cycles => null;

    public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        if (xq.Length != w.Cols || acc.Length != w.Rows)
            throw new ArgumentException($"{w.Name}: {xq.Length} activations / {acc.Length} outputs for {w.Rows}x{w.Cols}");
        int groups = Avx2.IsSupported ? w.Cols / Group : 0;
        var planes = new sbyte[groups * Group];
        int simdSum = 0;
        for (int g = 0; g < groups; g++)
            for (int k = 0; k < 4; k++)
                for (int p = 0; p < 32; p++)
                {
                    sbyte v = xq[g * Group + 4 * p + k];
                    planes[g * Group + 32 * k + p] = v;
                    simdSum += v;
                }
        var x = xq.ToArray();
        var result = new int[w.Rows];
        long work = (long)w.Rows * w.Cols;
        int chunks = work < (1 << 20) ? 1 : Math.Min(_threads * 4, w.Rows);
        int per = (w.Rows + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, c =>
        {
            int r0 = c * per, r1 = Math.Min(w.Rows, r0 + per);
            for (int r = r0; r < r1; r++)
                result[r] = Row(w, r, planes, groups, simdSum, x);
        });
        result.CopyTo(acc);
    }

    private static int Row(TernaryMatrix w, int r, sbyte[] planes, int groups, int simdSum, sbyte[] x)
    {
        int sum = groups > 0 ? SimdGroups(w.Packed, (long)r * w.RowStrideBytes, planes, groups) - simdSum : 0;
        for (int c = groups * Group; c < w.Cols; c++)
        {
            int code = (w.Packed[(long)r * w.RowStrideBytes + (c >> 2)] >> (2 * (c & 3))) & 3;
            sum += code == 1 ? x[c] : code == 3 ? -x[c] : 0;
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int SimdGroups(byte[] packed, long rowStart, sbyte[] planes, int groups)
    {
        // code → w + 1: 00 (0) → 1, 01 (+1) → 2, 10 (never stored) → 1, 11 (−1) → 0.
        var table = Vector256.Create((byte)1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                     1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var mask = Vector256.Create((byte)3);
        var ones = Vector256.Create((short)1);
        var total = Vector256<int>.Zero;
        fixed (byte* wp = &packed[rowStart])
        fixed (sbyte* xp = planes)
        {
            for (int g = 0; g < groups; g++)
            {
                var codes = Avx.LoadVector256(wp + 32 * g);
                sbyte* xg = xp + Group * g;
                var c0 = Avx2.And(codes, mask);
                var c1 = Avx2.And(Avx2.ShiftRightLogical(codes.AsUInt16(), 2).AsByte(), mask);
                var c2 = Avx2.And(Avx2.ShiftRightLogical(codes.AsUInt16(), 4).AsByte(), mask);
                var c3 = Avx2.And(Avx2.ShiftRightLogical(codes.AsUInt16(), 6).AsByte(), mask);
                var s = Avx2.Add(
                    Avx2.Add(Avx2.MultiplyAddAdjacent(Avx2.Shuffle(table, c0), Avx.LoadVector256(xg)),
                             Avx2.MultiplyAddAdjacent(Avx2.Shuffle(table, c1), Avx.LoadVector256(xg + 32))),
                    Avx2.Add(Avx2.MultiplyAddAdjacent(Avx2.Shuffle(table, c2), Avx.LoadVector256(xg + 64)),
                             Avx2.MultiplyAddAdjacent(Avx2.Shuffle(table, c3), Avx.LoadVector256(xg + 96))));
                total = Avx2.Add(total, Avx2.MultiplyAddAdjacent(s, ones));
            }
        }
        return Vector256.Sum(total);
    }
}
