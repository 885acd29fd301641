using Bit1HW.Core.Text;
using Bit1HW.Energy.Analytic;

namespace Bit1HW.Energy.Reporting;

/// <summary>The terminal report of the BitNet papers' accounting: multiplies and adds per sequence, and the published figures it reproduces.</summary>
public static class PaperText
{
    public static void Write(TextWriter w, IReadOnlyList<PaperResult> results)
    {
        w.Write($"bitnet-papers accounting: arithmetic of one {results[0].SequenceTokens}-token sequence as a prefill of matrix multiplications " +
                "(BitNet v1, Section 2.3; b1.58 Figure 3; 2B-4T Table 1)\n");
        w.Write("linear layers: N*n*p multiplies and N*(n-1)*p adds per layer; BitNet: INT8 adds and N*(n+p) FP16 multiplies for its scales\n");
        w.Write("attention: the full N x N score matrix (no causal mask), FP16 in BitNet; no lm_head, embedding, norms or memory\n\n");
        var t = new TextTable("model", "node", "tokens", "BitNet mul", "BitNet add", "BitNet total", "FP16 mul", "FP16 add", "FP16 total", "FP32 total", "FP16/BitNet");
        foreach (var r in results)
            t.Add(r.Model.Id, r.Node.Name, r.SequenceTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Units.Energy(r.BitNet.MulPicojoules), Units.Energy(r.BitNet.AddPicojoules), Units.Energy(r.BitNet.TotalPicojoules),
                Units.Energy(r.Fp16.MulPicojoules), Units.Energy(r.Fp16.AddPicojoules), Units.Energy(r.Fp16.TotalPicojoules),
                r.Fp32 is null ? "-" : Units.Energy(r.Fp32.TotalPicojoules), Units.Ratio(r.Fp16OverBitNet));
        t.WriteTo(w);
        var matches = (from f in PublishedFigure.All
                       from r in results
                       where f.Model == r.Model.Id && f.Node == r.Node.Name && f.Tokens == r.SequenceTokens
                       select (f, r)).ToList();
        if (matches.Count == 0) return;
        w.Write("\npublished figures for these models, nodes and lengths (data: src/Bit1HW.Energy/Data/published/figures.json)\n");
        var p = new TextTable("figure", "quantity", "published", "this accounting", "difference", "reproduced");
        foreach (var (f, r) in matches)
        {
            double ours = f.Ours(r);
            double diff = Math.Round(ours / f.Value - 1, 3);
            p.Add(f.Id, f.Quantity, f.Printed, f.Format(ours), Units.Percent(diff == 0 ? 0 : diff),
                f.Matches(ours) ? "yes" : f.Reproduced ? "NO" : "no (known, see the note in the data)");
        }
        p.WriteTo(w);
    }
}
