using Bit1HW.Energy.Models;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Analytic;

/// <summary>One row of the per-token breakdown: a layer type summed over all blocks.</summary>
public sealed record LayerEnergy(string Layer, double MacsPerToken, double BitNetPicojoules, double Fp16Picojoules);

/// <summary>Weight traffic for one token at one weight width, and what it costs from DRAM and from SRAM.</summary>
public sealed record WeightTraffic(string Label, double BitsPerWeight, double BytesPerToken, double DramPicojoules, double SramPicojoules);

/// <summary>Energy per token and per sequence of one model shape at one node, BitNet against FP16 (<see cref="AnalyticEnergyModel.Estimate"/>).</summary>
public sealed record AnalyticResult(
    ModelArchitecture Model,
    TechnologyNode Node,
    int SequenceTokens,
    bool IncludesLmHead,
    IReadOnlyList<LayerEnergy> Layers,
    LayerEnergy LmHead,
    IReadOnlyList<WeightTraffic> Memory,
    SramEnergy WeightSram)
{
    /// <summary>Average context length a token attends to: (N + 1) / 2 for a causal pass over N tokens.</summary>
    public double AverageContext => (SequenceTokens + 1) / 2.0;
    public double BitNetPicojoulesPerToken => Layers.Sum(l => l.BitNetPicojoules) + (IncludesLmHead ? LmHead.BitNetPicojoules : 0);
    public double Fp16PicojoulesPerToken => Layers.Sum(l => l.Fp16Picojoules) + (IncludesLmHead ? LmHead.Fp16Picojoules : 0);
    public double BitNetPicojoulesPerSequence => BitNetPicojoulesPerToken * SequenceTokens;
    public double Fp16PicojoulesPerSequence => Fp16PicojoulesPerToken * SequenceTokens;
    public double Fp16OverBitNet => Fp16PicojoulesPerToken / BitNetPicojoulesPerToken;
}

/// <summary>
/// The analytic (shape-only) energy estimate of one forward pass per token (docs/energy.md, "Analytic
/// model"):
/// <list type="bullet">
/// <item>Linear layers q, k, v, o, gate, up, down: BitNet does one INT8 add per weight per token (a
/// ternary weight adds, subtracts or skips an 8-bit activation; we charge an add for every weight,
/// zeros included); the FP16 baseline does one FP16 multiply and one FP16 add per weight.</item>
/// <item>Attention QKᵀ and AV: FP16 multiply-accumulate in both, hidden_size MACs per context
/// position each; a causal pass over N tokens attends to (N + 1) / 2 positions on average, so the
/// per-token figure times N is the exact sequence total.</item>
/// <item>lm_head (hidden × vocab FP16 MACs in both, BitNet keeps it in full precision) is reported
/// separately and left out of the totals unless asked for; the embedding lookup does no arithmetic.</item>
/// <item>Memory: the linear weights read once per token at 1.58, 2 and 16 bits per weight, priced per
/// bit from the node's DRAM entry and from its largest SRAM entry.</item>
/// </list>
/// </summary>
public static class AnalyticEnergyModel
{
    public const double TernaryInformationBits = 1.58;

    /// <summary>Energy per token of <paramref name="model"/> at <paramref name="node"/>, averaged over a causal pass of <paramref name="sequenceTokens"/> tokens.</summary>
    public static AnalyticResult Estimate(ModelArchitecture model, TechnologyNode node, int sequenceTokens, bool includeLmHead)
    {
        if (sequenceTokens < 1) throw new ArgumentOutOfRangeException(nameof(sequenceTokens), sequenceTokens, ">= 1");
        double add8 = node.Int8AddPicojoules;
        double mac16 = node.Fp16MacPicojoules;
        var layers = new List<LayerEnergy>();
        foreach (var (name, weights) in model.LinearLayers)
        {
            double macs = (double)weights * model.Layers;
            layers.Add(new LayerEnergy(name, macs, macs * add8, macs * mac16));
        }
        double avgContext = (sequenceTokens + 1) / 2.0;
        double attentionMacs = (double)model.HiddenSize * avgContext * model.Layers;
        layers.Add(new LayerEnergy("attn_scores", attentionMacs, attentionMacs * mac16, attentionMacs * mac16));
        layers.Add(new LayerEnergy("attn_values", attentionMacs, attentionMacs * mac16, attentionMacs * mac16));
        double headMacs = (double)model.HiddenSize * model.VocabSize;
        var lmHead = new LayerEnergy("lm_head", headMacs, headMacs * mac16, headMacs * mac16);
        SramEnergy sram = node.LargestSram;
        var memory = new List<WeightTraffic>();
        foreach (var (label, bits) in new[] { ("1.58-bit", TernaryInformationBits), ("2-bit", 2.0), ("FP16", 16.0) })
        {
            double totalBits = model.LinearWeights * bits;
            memory.Add(new WeightTraffic(label, bits, totalBits / 8, totalBits * node.Dram.PicojoulesPerBit, totalBits * sram.PicojoulesPerBit));
        }
        return new AnalyticResult(model, node, sequenceTokens, includeLmHead, layers, lmHead, memory, sram);
    }

    /// <summary>Energy of one FP16 multiply-accumulate over one INT8 add: the per-weight saving of a ternary linear layer.</summary>
    public static double PerMacRatio(TechnologyNode node) => node.Fp16MacPicojoules / node.Int8AddPicojoules;
}
