using Bit1HW.Energy.Models;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Analytic;

/// <summary>How energies are counted: the project's own model, or the one the BitNet papers used.</summary>
public enum Accounting { Default, BitNetPapers }

/// <summary>Multiplies and adds of one datapath over a whole sequence, split into linear layers and attention.</summary>
public sealed record PaperDatapath(string Name, double LinearMulPicojoules, double LinearAddPicojoules, double AttentionMulPicojoules, double AttentionAddPicojoules)
{
    public double MulPicojoules => LinearMulPicojoules + AttentionMulPicojoules;
    public double AddPicojoules => LinearAddPicojoules + AttentionAddPicojoules;
    public double TotalPicojoules => MulPicojoules + AddPicojoules;
    public double LinearPicojoules => LinearMulPicojoules + LinearAddPicojoules;
}

/// <summary>One model at one node under the BitNet papers' accounting (<see cref="PaperEnergyModel.Estimate"/>); FP32 only if the node tabulates it.</summary>
public sealed record PaperResult(ModelArchitecture Model, TechnologyNode Node, int SequenceTokens, PaperDatapath BitNet, PaperDatapath Fp16, PaperDatapath? Fp32)
{
    public double Fp16OverBitNet => Fp16.TotalPicojoules / BitNet.TotalPicojoules;

    /// <summary>Linear-layer (matrix multiplication) arithmetic, FP16 over BitNet's additions: the b1.58 paper's "71.4 times".</summary>
    public double LinearFp16OverBitNetAdd => Fp16.LinearPicojoules / BitNet.LinearAddPicojoules;
}

/// <summary>
/// The arithmetic-energy accounting of the BitNet papers (docs/energy.md, "Accountings"): BitNet v1
/// (arXiv:2310.11453, Section 2.3 and Table 1), followed by the b1.58 paper (arXiv:2402.17764,
/// Figure 3) and the b1.58 2B-4T report (arXiv:2504.12285, Table 1). A sequence of N tokens (512 in all
/// three) is one batch of matrix multiplications, as in a prefill:
/// <list type="bullet">
/// <item>every linear layer of every block, an (N × n) by (n × p) product: N·n·p multiplies and
/// N·(n − 1)·p adds (v1's equations 16, 17) in FP16 or FP32; BitNet does the adds in INT8 and, for its
/// scales β and γ/Q_b, N·(n + p) FP16 multiplies (v1's equation 18);</item>
/// <item>attention over the full N × N score matrix, no causal mask: QKᵀ and AV, each N·N·head_dim
/// multiplies per head, in FP16 for BitNet (it quantizes only linear layers) and in the baseline's
/// precision otherwise;</item>
/// <item>nothing else: no lm_head or embedding, no softmax or norms, no memory traffic.</item>
/// </list>
/// Against the default accounting this charges every token the whole sequence (N² instead of
/// N(N + 1)/2 attention terms), which is why the 2B-4T report's 0.028 J is 1.6× our 17.6 mJ.
/// </summary>
public static class PaperEnergyModel
{
    public static PaperResult Estimate(ModelArchitecture model, TechnologyNode node, int sequenceTokens)
    {
        if (sequenceTokens < 1) throw new ArgumentOutOfRangeException(nameof(sequenceTokens), sequenceTokens, ">= 1");
        double m = sequenceTokens, layers = model.Layers;
        double muls = 0, adds = 0, scales = 0;
        foreach (LinearShape l in model.LinearLayers)
        {
            muls += m * l.InFeatures * l.OutFeatures;
            adds += m * (l.InFeatures - 1) * l.OutFeatures;
            scales += m * (l.InFeatures + l.OutFeatures);
        }
        muls *= layers; adds *= layers; scales *= layers;
        double attnMuls = 2 * m * m * model.QueryDim * layers;
        double attnAdds = (model.AttentionHeads * m * (model.HeadDim - 1) * m + m * (m - 1) * model.QueryDim) * layers;
        double mul16 = node.Exact(ArithmeticOp.Mul, NumberFormat.Fp, 16), add16 = node.Exact(ArithmeticOp.Add, NumberFormat.Fp, 16);
        var bitnet = new PaperDatapath("BitNet b1.58 (W1.58A8)", scales * mul16, adds * node.Int8AddPicojoules, attnMuls * mul16, attnAdds * add16);
        PaperDatapath Float(string name, double mul, double add) => new(name, muls * mul, adds * add, attnMuls * mul, attnAdds * add);
        var fp16 = Float("FP16", mul16, add16);
        bool hasFp32 = node.Arithmetic.Any(a => a is { Format: NumberFormat.Fp, Bits: 32, Op: ArithmeticOp.Mul })
                    && node.Arithmetic.Any(a => a is { Format: NumberFormat.Fp, Bits: 32, Op: ArithmeticOp.Add });
        PaperDatapath? fp32 = hasFp32
            ? Float("FP32", node.Exact(ArithmeticOp.Mul, NumberFormat.Fp, 32), node.Exact(ArithmeticOp.Add, NumberFormat.Fp, 32))
            : null;
        return new PaperResult(model, node, sequenceTokens, bitnet, fp16, fp32);
    }
}
