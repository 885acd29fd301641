using System.Globalization;
using Bit1HW.Core.Text;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Reporting;

/// <summary>
/// A self-contained HTML page (template <c>Reporting/Templates/energy-report.html.sbn</c>): the chart
/// (inline SVG), the report's tables as HTML tables with one number per cell, and the source of every
/// table entry and model shape.
/// </summary>
public static class HtmlReport
{
    public static string Build(IReadOnlyList<AnalyticResult> results, string svg)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        var model = new
        {
            notes = AnalyticText.Notes(results),
            svg = (start > 0 ? svg[start..] : svg).TrimEnd('\n'),
            tables = Tables(results),
            sources = Sources(results),
        };
        return TextTemplate.Render(typeof(HtmlReport).Assembly, "templates/energy-report.html.sbn", model);
    }

    private sealed record Table(string caption, string[] headers, List<string[]> rows);

    private static List<Table> Tables(IReadOnlyList<AnalyticResult> results)
    {
        var totals = new Table("Energy per token and per sequence", ["model", "node", "weights", "BitNet / token", "FP16 / token", "FP16 / BitNet",
            "BitNet / sequence", "FP16 / sequence", "lm_head / token"], []);
        var parts = new Table("Breakdown per token by layer type", ["model", "node", "q,k,v,o BitNet", "q,k,v,o FP16", "gate,up,down BitNet",
            "gate,up,down FP16", "attention BitNet", "attention FP16", "attention share (BitNet)"], []);
        var memory = new Table($"Weight traffic per token (linear layers only): DRAM at {Num(results[0].Node.Dram.PicojoulesPer64Bits)} pJ / 64 bit, SRAM at the node's largest table entry",
            ["model", "node", .. results[0].Memory.Select(m => $"bytes {m.Label}"), .. results[0].Memory.Select(m => $"DRAM {m.Label}"),
             .. results[0].Memory.Select(m => $"SRAM {m.Label}"), "arithmetic BitNet", "arithmetic FP16"], []);
        foreach (AnalyticResult r in results)
        {
            totals.rows.Add([r.Model.Id, r.Node.Name, Units.Count(r.Model.TotalWeights), Units.Energy(r.BitNetPicojoulesPerToken),
                Units.Energy(r.Fp16PicojoulesPerToken), Units.Ratio(r.Fp16OverBitNet), Units.Energy(r.BitNetPicojoulesPerSequence),
                Units.Energy(r.Fp16PicojoulesPerSequence), Units.Energy(r.LmHead.Fp16Picojoules)]);
            var (pb, pf) = AnalyticText.Sum(r, "q", "k", "v", "o");
            var (mb, mf) = AnalyticText.Sum(r, "gate", "up", "down");
            var (ab, af) = AnalyticText.Sum(r, "attn_scores", "attn_values");
            parts.rows.Add([r.Model.Id, r.Node.Name, Units.Energy(pb), Units.Energy(pf), Units.Energy(mb), Units.Energy(mf),
                Units.Energy(ab), Units.Energy(af), Units.Percent(ab / r.Layers.Sum(l => l.BitNetPicojoules))]);
            memory.rows.Add([r.Model.Id, r.Node.Name, .. r.Memory.Select(m => Units.Bytes(m.BytesPerToken)),
                .. r.Memory.Select(m => Units.Energy(m.DramPicojoules)), .. r.Memory.Select(m => Units.Energy(m.SramPicojoules)),
                Units.Energy(r.BitNetPicojoulesPerToken), Units.Energy(r.Fp16PicojoulesPerToken)]);
        }
        return [totals, parts, memory];
    }

    private sealed record Source(string caption, List<string[]> rows);

    private static List<Source> Sources(IReadOnlyList<AnalyticResult> results)
    {
        var sources = new List<Source>();
        foreach (TechnologyNode node in results.Select(r => r.Node).DistinctBy(n => n.Name))
        {
            var rows = new List<string[]>();
            foreach (var a in node.Arithmetic)
                rows.Add([TechnologyNode.Describe(a.Op, a.Format, a.Bits), $"{Num(a.Picojoules)} pJ", a.Source]);
            foreach (var s in node.Sram)
                rows.Add([$"SRAM {Units.Bytes(s.CapacityBytes)}", $"{Num(s.PicojoulesPer64Bits)} pJ / 64 bit", s.Source]);
            rows.Add(["DRAM", $"{Num(node.Dram.PicojoulesPer64Bits)} pJ / 64 bit", node.Dram.Source]);
            sources.Add(new Source($"node {node.Name}: {node.Description}", rows));
        }
        sources.Add(new Source("models", [.. results.Select(r => r.Model).DistinctBy(m => m.Id).Select(m => new[] { m.Id,
            $"hidden {m.HiddenSize}, intermediate {m.IntermediateSize}, {m.Layers} layers, {m.AttentionHeads}/{m.KeyValueHeads} heads, vocab {m.VocabSize}", m.Source })]));
        return sources;
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
