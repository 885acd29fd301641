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
        WriteKvAndRegisters(w, results);
        WriteParts(w, results);
    }

    private static void WriteKvAndRegisters(TextWriter w, IReadOnlyList<AnalyticResult> results)
    {
        w.Write($"\nKV-cache traffic per token ({AnalyticEnergyModel.KvCacheBits}-bit keys and values, the same in both datapaths: one position written, every attended position read)\n" +
                "and register writes (one accumulator write per term: 16 bits in FP16, 8 + ceil(log2 n) bits for a sum of n INT8 terms)\n");
        var t = new TextTable("model", "node", "KV bytes", "KV DRAM | SRAM", "register bits BitNet | FP16", "registers BitNet | FP16");
        foreach (var r in results)
            t.Add(r.Model.Id, r.Node.Name, Units.Bytes(r.KvCache.BytesPerToken),
                $"{Units.Energy(r.KvCache.DramPicojoules)} | {Units.Energy(r.KvCache.SramPicojoules)}",
                $"{Gbit(r.Registers.BitNetBitsPerToken)} | {Gbit(r.Registers.Fp16BitsPerToken)}",
                r.Registers.BitNetPicojoules is double b && r.Registers.Fp16Picojoules is double f
                    ? $"{Units.Energy(b)} | {Units.Energy(f)}" : "not priced (node has no register entry)");
        t.WriteTo(w);
    }

    private static void WriteParts(TextWriter w, IReadOnlyList<AnalyticResult> results)
    {
        w.Write("\nenergy per token by part, memory from on-chip SRAM (the node's largest entry): total, then the shares of " +
                "arithmetic / register writes / KV cache / weights\n");
        var t = new TextTable("model", "node", "BitNet total", "BitNet shares", "FP16 total", "FP16 shares", "FP16/BitNet");
        foreach (var r in results)
        {
            EnergyParts b = r.Parts(bitnet: true), f = r.Parts(bitnet: false);
            t.Add(r.Model.Id, r.Node.Name, Units.Energy(b.TotalPicojoules), Shares(b), Units.Energy(f.TotalPicojoules), Shares(f),
                Units.Ratio(f.TotalPicojoules / b.TotalPicojoules));
        }
        t.WriteTo(w);
    }

    private static string Gbit(double bits) => $"{Units.Sig3(bits / 1e9)} Gbit";

    private static string Shares(EnergyParts p) =>
        string.Join(" / ", new[] { p.ArithmeticPicojoules, p.RegisterPicojoules, p.KvCachePicojoules, p.WeightPicojoules }.Select(x => Units.Percent(p.Share(x))));

    /// <summary>The lines that head the report: what is averaged, what each datapath costs per weight, where lm_head goes.</summary>
    public static List<string> Notes(IReadOnlyList<AnalyticResult> results)
    {
        AnalyticResult first = results[0];
        var notes = new List<string>
        {
            $"analytic energy per token, averaged over a causal pass of {first.SequenceTokens} tokens " +
            $"(attention over {first.AverageContext.ToString(CultureInfo.InvariantCulture)} positions on average)",
            "default accounting; BitNet: one INT8 add per linear weight; FP16: one FP16 mul + add per weight; attention matmuls FP16 in both",
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
