using System.Globalization;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Technology;
using Bit1HW.Core.Text;

namespace Bit1HW.Energy.Reporting;

/// <summary>The terminal report of the analytic model: totals, the breakdown by layer type, and memory traffic.</summary>
public static class AnalyticText
{
    public static void Write(TextWriter w, IReadOnlyList<AnalyticResult> results)
    {
        AnalyticResult first = results[0];
        foreach (string note in Notes(results)) w.Write(note + "\n");
        w.Write("\n");
        var totals = new TextTable("model", "node", "weights", "BitNet/token", "FP16/token", "FP16/BitNet", "BitNet/seq", "FP16/seq", "lm_head/token");
        foreach (var r in results)
            totals.Add(r.Model.Id, r.Node.Name, Units.Count(r.Model.TotalWeights), Units.Energy(r.BitNetPicojoulesPerToken),
                Units.Energy(r.Fp16PicojoulesPerToken), Units.Ratio(r.Fp16OverBitNet), Units.Energy(r.BitNetPicojoulesPerSequence),
                Units.Energy(r.Fp16PicojoulesPerSequence), Units.Energy(r.LmHead.Fp16Picojoules));
        totals.WriteTo(w);
        w.Write("\nbreakdown per token by layer type (BitNet | FP16)\n");
        var parts = new TextTable("model", "node", "q,k,v,o", "gate,up,down", "attention QK,AV", "attention share (BitNet)");
        foreach (var r in results)
        {
            var (pb, pf) = Sum(r, "q", "k", "v", "o");
            var (mb, mf) = Sum(r, "gate", "up", "down");
            var (ab, af) = Sum(r, "attn_scores", "attn_values");
            parts.Add(r.Model.Id, r.Node.Name, $"{Units.Energy(pb)} | {Units.Energy(pf)}", $"{Units.Energy(mb)} | {Units.Energy(mf)}",
                $"{Units.Energy(ab)} | {Units.Energy(af)}", Units.Percent(ab / r.Layers.Sum(l => l.BitNetPicojoules)));
        }
        parts.WriteTo(w);
        w.Write($"\nweight traffic per token (linear layers only) and its energy: DRAM at {Num(first.Node.Dram.PicojoulesPer64Bits)} pJ / 64 bit, " +
                $"SRAM at the node's largest table entry\n");
        var mem = new TextTable("model", "node", "bytes 1.58b | 2b | FP16", "DRAM 1.58b | 2b | FP16", "SRAM 1.58b | 2b | FP16", "arith BitNet | FP16");
        foreach (var r in results)
            mem.Add(r.Model.Id, r.Node.Name,
                string.Join(" | ", r.Memory.Select(m => Units.Bytes(m.BytesPerToken))),
                string.Join(" | ", r.Memory.Select(m => Units.Energy(m.DramPicojoules))),
                string.Join(" | ", r.Memory.Select(m => Units.Energy(m.SramPicojoules))),
                $"{Units.Energy(r.BitNetPicojoulesPerToken)} | {Units.Energy(r.Fp16PicojoulesPerToken)}");
        mem.WriteTo(w);
    }

    /// <summary>The lines that head the report: what is averaged, what each datapath costs per weight, where lm_head goes.</summary>
    public static List<string> Notes(IReadOnlyList<AnalyticResult> results)
    {
        AnalyticResult first = results[0];
        var notes = new List<string>
        {
            $"analytic energy per token, averaged over a causal pass of {first.SequenceTokens} tokens " +
            $"(attention over {first.AverageContext.ToString(CultureInfo.InvariantCulture)} positions on average)",
            "BitNet: one INT8 add per linear weight; FP16: one FP16 mul + add per weight; attention matmuls FP16 in both",
            first.IncludesLmHead
                ? "lm_head: INCLUDED in the totals (FP16 in both)"
                : "lm_head: reported separately, NOT included in the totals (use --include-lm-head); embeddings do no arithmetic",
        };
        foreach (TechnologyNode node in results.Select(r => r.Node).DistinctBy(n => n.Name))
            notes.Add($"node {node.Name}: FP16 MAC / INT8 add = ({Num(node.Exact(ArithmeticOp.Mul, NumberFormat.Fp, 16))} + " +
                      $"{Num(node.Exact(ArithmeticOp.Add, NumberFormat.Fp, 16))}) / {Num(node.Int8AddPicojoules)} = " +
                      $"{Units.Ratio(AnalyticEnergyModel.PerMacRatio(node))} per weight");
        return notes;
    }

    /// <summary>BitNet and FP16 energy per token of the named layers.</summary>
    internal static (double BitNet, double Fp16) Sum(AnalyticResult r, params string[] names)
    {
        var sel = r.Layers.Where(l => names.Contains(l.Layer)).ToList();
        return (sel.Sum(l => l.BitNetPicojoules), sel.Sum(l => l.Fp16Picojoules));
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
