using System.Runtime.CompilerServices;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// The fast software ternary GEMV, reading the 2-bit <see cref="TernaryCode"/> rows directly (no
/// wider copy of the weights) with the best kernel this CPU has: AVX-512BW, AVX2 or scalar
/// (<see cref="TernaryGemv"/>; all three give the same integers). Rows are split across
/// <c>threads</c> threads; integer results do not depend on the split.
/// </summary>
public sealed class ReferenceBackend : ITernaryLinearBackend
{
    private readonly int _threads;
    /// <summary>The de-interleaved activations, reused from call to call on the calling thread (a call allocates nothing else of its size).</summary>
    [ThreadStatic] private static sbyte[]? _planes;

    public ReferenceBackend(int threads = 0) : this(threads, TernaryGemv.Best) { }

    /// <summary>A backend on a given kernel (tests and benchmarks compare them).</summary>
    internal ReferenceBackend(int threads, GemvKernel kernel)
    {
        if (!TernaryGemv.IsSupported(kernel)) throw new PlatformNotSupportedException($"the {kernel} GEMV kernel needs an instruction set this CPU does not have");
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
        Kernel = kernel;
    }

    public string Name => "reference";
    public long? Cycles => null;
    public GemvKernel Kernel { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        if (xq.Length != w.Cols || acc.Length != w.Rows)
            throw new ArgumentException($"{w.Name}: {xq.Length} activations / {acc.Length} outputs for {w.Rows}x{w.Cols}");
        int group = TernaryGemv.GroupColumns(Kernel), groups = group == 0 ? 0 : w.Cols / group;
        if (_planes is null || _planes.Length < groups * group) _planes = new sbyte[groups * group];
        var planes = _planes;
        int planeSum = TernaryGemv.Planes(xq, group, groups, planes);
        var kernel = Kernel;
        int rows = w.Rows, stride = w.RowStrideBytes, cols = w.Cols;
        long work = (long)rows * cols;
        int chunks = work < (1 << 18) || _threads == 1 ? 1 : Math.Min(_threads * 4, (rows + 1) / 2);
        int per = ((rows + chunks - 1) / chunks + 1) & ~1;
        var pairs = w.RowPairs;
        fixed (byte* codes = pairs ?? w.Packed)
        fixed (sbyte* x = xq)
        fixed (sbyte* p = planes)
        fixed (int* a = acc)
        {
            nint ca = (nint)codes, xa = (nint)x, pa = (nint)p, aa = (nint)a;
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            void Chunk(int c)
            {
                int r0 = Math.Min(rows, c * per), r1 = Math.Min(rows, r0 + per);
                if (pairs is null) TernaryGemv.Rows(kernel, (byte*)ca, stride, cols, (sbyte*)xa, (sbyte*)pa, planeSum, (int*)aa + r0, r0, r1);
                else TernaryGemv.RowPairs(kernel, (byte*)ca, stride, cols, (sbyte*)xa, (sbyte*)pa, planeSum, (int*)aa + r0, r0, r1, rows);
            }
            if (chunks == 1) Chunk(0);
            else WorkerTeam.For(_threads).Run(chunks, Chunk);
        }
    }
}
