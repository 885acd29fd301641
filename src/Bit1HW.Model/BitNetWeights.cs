using Bit1HW.Core.Numerics;

namespace Bit1HW.Model;

/// <summary>One transformer block: pre-norms, BitNet sub-norms and the seven ternary projections.</summary>
public sealed record LayerWeights(
    float[] AttnNorm, float[] AttnSubNorm, float[] FfnNorm, float[] FfnSubNorm,
    TernaryMatrix Q, TernaryMatrix K, TernaryMatrix V, TernaryMatrix O,
    TernaryMatrix Gate, TernaryMatrix Up, TernaryMatrix Down);

/// <summary>
/// A loaded BitNet b1.58 model: ternary projections in the 2-bit code, norms in float32, the token
/// embedding (and an untied lm_head, if any) in their file precision.
/// </summary>
public sealed record BitNetWeights(
    ModelConfig Config, string Format, FloatMatrix TokenEmbedding, FloatMatrix? Output,
    float[] OutputNorm, LayerWeights[] Layers)
{
    /// <summary>The lm_head: the untied output matrix, or the embedding when tied.</summary>
    public FloatMatrix LmHead => Output ?? TokenEmbedding;

    public IEnumerable<TernaryMatrix> Ternary => Layers.SelectMany(l => new[] { l.Q, l.K, l.V, l.O, l.Gate, l.Up, l.Down });

    public long TernaryWeightBytes => Ternary.Sum(m => m.PackedLength);
}
