using System.Runtime.CompilerServices;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// Core's reference BitLinear GEMM (<see cref="BitLinear.Accumulate"/>) as a decoder backend: the
/// project's shared integer reference, independent of <see cref="ReferenceBackend"/>'s kernel.
/// Core keeps a byte-per-weight compute copy of every matrix (built on first use and cached), four
/// times the 2-bit codes, so the decoder's default stays <see cref="ReferenceBackend"/>, which
/// streams the codes themselves; this one is for cross-checking (<c>--backend core --compare</c>).
/// </summary>
internal sealed class CoreBackend : ITernaryLinearBackend
{
    private readonly ConditionalWeakTable<TernaryMatrix, Core.Numerics.TernaryMatrix> _cache = new();

    public string Name => "core";
    public long? Cycles => null;

    public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        // Our rows use the same TernaryCode row packing as Core's canonical layout; only the integer
        // accumulators are used, so the scale handed to Core is a placeholder.
        var m = _cache.GetValue(w, x => Core.Numerics.TernaryMatrix.FromPacked(x.Packed, x.Rows, x.Cols, 1f));
        var q = new QuantizedActivations(1, w.Cols, Numerics.ActBits, xq.ToArray(), [1f]);
        BitLinear.Accumulate(m, q, acc);
    }
}
