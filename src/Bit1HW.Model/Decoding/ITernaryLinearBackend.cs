using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>Where a ternary linear layer sits in the model: for reports and mismatch messages.</summary>
public readonly record struct LinearSite(int Layer, string Projection, int Position)
{
    public override string ToString() => $"layer {Layer} {Projection} at position {Position}";
}

/// <summary>
/// The one seam between the decoder and whatever computes ternary matrix-vector products: given
/// 8-bit quantized activations xq[Cols] and a ternary matrix, produce the exact int32 dot products
/// acc[r] = Σ_k W[r,k]·xq[k]. Everything non-linear (activation quantization, dequantization,
/// norms, RoPE, softmax, the lm_head) is shared decoder code, so two backends that return the same
/// integers give bit-identical logits.
/// </summary>
public interface ITernaryLinearBackend
{
    string Name { get; }
    /// <summary>acc[r] = Σ_k W[r, k] · xq[k] exactly, for every row r of <paramref name="w"/>; <paramref name="site"/> names the projection in messages.</summary>
    void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site);
    /// <summary>Accelerator cycles spent so far, or null for a software backend.</summary>
    long? Cycles { get; }
}

/// <summary>A backend that disagrees with the reference: raised by <see cref="CompareBackend"/>.</summary>
public sealed class BackendMismatchException(string message) : Exception(message);
