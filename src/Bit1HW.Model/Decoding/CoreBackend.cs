using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// Core's reference BitLinear GEMM (<see cref="BitLinear.Accumulate"/>) as a decoder backend: the
/// project's shared integer reference, independent of <see cref="ReferenceBackend"/>'s kernel.
/// Core multiplies from the matrix's byte-per-weight compute layout, built on first use and kept
/// with the matrix (four times the 2-bit codes), so the decoder's default stays
/// <see cref="ReferenceBackend"/>, which streams the codes themselves; this one is for
/// cross-checking (<c>--backend core --compare</c>). Only the integer accumulators are used, so the
/// activation scale handed to Core is a placeholder.
/// </summary>
public sealed class CoreBackend : ITernaryLinearBackend
{
    public string Name => "core";
    public long? Cycles => null;

    public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        var q = new QuantizedActivations(1, w.Cols, Bit1hwNumerics.ActBits, xq.ToArray(), [1f]);
        BitLinear.Accumulate(w, q, acc);
    }
}
