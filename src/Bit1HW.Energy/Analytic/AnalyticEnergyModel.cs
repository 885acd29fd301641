using System.Numerics;
using Bit1HW.Energy.Models;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Analytic;

/// <summary>One row of the per-token breakdown: a layer type summed over all blocks.</summary>
public sealed record LayerEnergy(string Layer, double MacsPerToken, double BitNetPicojoules, double Fp16Picojoules);

/// <summary>Weight traffic for one token at one weight width, and what it costs from DRAM and from SRAM.</summary>
public sealed record WeightTraffic(string Label, double BitsPerWeight, double BytesPerToken, double DramPicojoules, double SramPicojoules);

/// <summary>
/// KV-cache traffic of one token, the same for both datapaths (the cache holds FP16 keys and values,
/// as the attention that reads them is FP16 in both): the new key and value written, every cached
/// position read, priced per bit from DRAM and from the node's largest SRAM.
/// </summary>
public sealed record KvCacheTraffic(int BitsPerValue, double ReadBitsPerToken, double WriteBitsPerToken, double DramPicojoules, double SramPicojoules)
{
    public double BytesPerToken => (ReadBitsPerToken + WriteBitsPerToken) / 8;
}

/// <summary>
/// Accumulator-register bits written per token, one write per term (the count of a datapath that
/// accumulates term by term; an adder tree writes fewer, see the simulation model), and their energy
/// at the node's register entry (null if the node has none).
/// </summary>
public sealed record RegisterWrites(double BitNetBitsPerToken, double Fp16BitsPerToken, double? BitNetPicojoules, double? Fp16Picojoules);

/// <summary>Energy per token and per sequence of one model shape at one node, BitNet against FP16 (<see cref="AnalyticEnergyModel.Estimate"/>).</summary>
public sealed record AnalyticResult(
    ModelArchitecture Model,
    TechnologyNode Node,
    int SequenceTokens,
    bool IncludesLmHead,
    IReadOnlyList<LayerEnergy> Layers,
    LayerEnergy LmHead,
    IReadOnlyList<WeightTraffic> Memory,
    SramEnergy WeightSram,
    KvCacheTraffic KvCache,
    RegisterWrites Registers)
{
    /// <summary>Average context length a token attends to: (N + 1) / 2 for a causal pass over N tokens.</summary>
    public double AverageContext => (SequenceTokens + 1) / 2.0;
    public double BitNetPicojoulesPerToken => Layers.Sum(l => l.BitNetPicojoules) + (IncludesLmHead ? LmHead.BitNetPicojoules : 0);
    public double Fp16PicojoulesPerToken => Layers.Sum(l => l.Fp16Picojoules) + (IncludesLmHead ? LmHead.Fp16Picojoules : 0);
    public double BitNetPicojoulesPerSequence => BitNetPicojoulesPerToken * SequenceTokens;
    public double Fp16PicojoulesPerSequence => Fp16PicojoulesPerToken * SequenceTokens;
    public double Fp16OverBitNet => Fp16PicojoulesPerToken / BitNetPicojoulesPerToken;

    /// <summary>Every priced part of one token for one datapath, memory taken from on-chip SRAM (<see cref="EnergyParts"/>).</summary>
    public EnergyParts Parts(bool bitnet) => new(
        bitnet ? BitNetPicojoulesPerToken : Fp16PicojoulesPerToken,
        (bitnet ? Registers.BitNetPicojoules : Registers.Fp16Picojoules) ?? 0,
        KvCache.SramPicojoules,
        Memory.Single(m => m.Label == (bitnet ? "1.58-bit" : "FP16")).SramPicojoules);
}

/// <summary>One token's energy by part: arithmetic, register writes, KV-cache and weight traffic (SRAM), with each part's share.</summary>
public sealed record EnergyParts(double ArithmeticPicojoules, double RegisterPicojoules, double KvCachePicojoules, double WeightPicojoules)
{
    public double TotalPicojoules => ArithmeticPicojoules + RegisterPicojoules + KvCachePicojoules + WeightPicojoules;
    public double Share(double part) => part / TotalPicojoules;
}

/// <summary>
/// The analytic (shape-only) energy estimate of one forward pass per token, the project's default
/// accounting (docs/energy.md, "Analytic model"):
/// <list type="bullet">
/// <item>Linear layers: BitNet does one INT8 add per weight per token (a ternary weight adds,
/// subtracts or skips an 8-bit activation; we charge an add for every weight, zeros included); the
/// FP16 baseline does one FP16 multiply and one FP16 add per weight.</item>
/// <item>Attention QKᵀ and AV: FP16 multiply-accumulate in both, heads × head_dim MACs per context
/// position each; a causal pass over N tokens attends to (N + 1) / 2 positions on average, so the
/// per-token figure times N is the exact sequence total.</item>
/// <item>lm_head (hidden × vocab FP16 MACs in both, BitNet keeps it in full precision) is reported
/// separately and left out of the totals unless asked for; the embedding lookup does no arithmetic.</item>
/// <item>Memory: the linear weights read once per token at 1.58, 2 and 16 bits per weight, and the
/// KV cache (16-bit keys and values: one position written, every attended position read), each priced
/// per bit from the node's DRAM entry and from its largest SRAM entry.</item>
/// <item>Registers: one accumulator write per term: FP16 sums are 16 bits; a ternary sum of n INT8
/// terms needs 8 + ⌈log2 n⌉ bits; priced at the node's register entry.</item>
/// </list>
/// The totals stay arithmetic only; <see cref="AnalyticResult.Parts"/> adds the rest.
/// </summary>
public static class AnalyticEnergyModel
{
    public const double TernaryInformationBits = 1.58;
    public const int ActivationBits = 8;
    public const int Fp16Bits = 16;
    public const int KvCacheBits = 16;

    /// <summary>Energy per token of <paramref name="model"/> at <paramref name="node"/>, averaged over a causal pass of <paramref name="sequenceTokens"/> tokens.</summary>
    public static AnalyticResult Estimate(ModelArchitecture model, TechnologyNode node, int sequenceTokens, bool includeLmHead)
    {
        if (sequenceTokens < 1) throw new ArgumentOutOfRangeException(nameof(sequenceTokens), sequenceTokens, ">= 1");
        double add8 = node.Int8AddPicojoules;
        double mac16 = node.Fp16MacPicojoules;
        var layers = new List<LayerEnergy>();
        foreach (LinearShape l in model.LinearLayers)
        {
            double macs = (double)l.Weights * model.Layers;
            layers.Add(new LayerEnergy(l.Name, macs, macs * add8, macs * mac16));
        }
        double avgContext = (sequenceTokens + 1) / 2.0;
        double attentionMacs = (double)model.QueryDim * avgContext * model.Layers;
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
        return new AnalyticResult(model, node, sequenceTokens, includeLmHead, layers, lmHead, memory, sram,
            KvCache(model, node, avgContext), Registers(model, node, 2 * attentionMacs));
    }

    private static KvCacheTraffic KvCache(ModelArchitecture model, TechnologyNode node, double avgContext)
    {
        double valuesWritten = 2.0 * model.KeyValueDim * model.Layers;
        double readBits = valuesWritten * avgContext * KvCacheBits, writeBits = valuesWritten * KvCacheBits;
        double bits = readBits + writeBits;
        return new KvCacheTraffic(KvCacheBits, readBits, writeBits, bits * node.Dram.PicojoulesPerBit, bits * node.LargestSram.PicojoulesPerBit);
    }

    private static RegisterWrites Registers(ModelArchitecture model, TechnologyNode node, double attentionMacs)
    {
        double bitnet = model.LinearLayers.Sum(l => (double)l.Weights * AccumulatorBits(l.InFeatures)) * model.Layers + attentionMacs * Fp16Bits;
        double fp16 = ((double)model.LinearWeights + attentionMacs) * Fp16Bits;
        double? perBit = node.Register?.PicojoulesPerBit;
        return new RegisterWrites(bitnet, fp16, bitnet * perBit, fp16 * perBit);
    }

    /// <summary>Bits of a sum of <paramref name="terms"/> signed INT8 terms: 8 + ⌈log2 terms⌉ (the sum's range grows by one bit per doubling).</summary>
    public static int AccumulatorBits(long terms)
    {
        if (terms < 1) throw new ArgumentOutOfRangeException(nameof(terms), terms, ">= 1");
        return ActivationBits + (64 - BitOperations.LeadingZeroCount((ulong)(terms - 1)));
    }

    /// <summary>Energy of one FP16 multiply-accumulate over one INT8 add: the per-weight saving of a ternary linear layer.</summary>
    public static double PerMacRatio(TechnologyNode node) => node.Fp16MacPicojoules / node.Int8AddPicojoules;
}
