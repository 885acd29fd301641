using System.Net;
using System.Text;
using Bit1HW.Energy.Analytic;

namespace Bit1HW.Energy.Reporting;

/// <summary>A self-contained HTML page: the chart (inline SVG), the text report and the sources of every table number.</summary>
public static class HtmlReport
{
    public static string Build(IReadOnlyList<AnalyticResult> results, string svg)
    {
        var text = new StringWriter { NewLine = "\n" };
        AnalyticText.Write(text, results);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Bit1HW energy report</title>\n");
        sb.Append("<style>body{font-family:sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}pre{font-size:12px;overflow-x:auto;background:#f6f6f6;padding:1rem}td,th{padding:2px 8px;text-align:left;vertical-align:top}</style>\n");
        sb.Append("</head>\n<body>\n<h1>Bit1HW energy report</h1>\n");
        sb.Append("<p>Arithmetic energy per token of BitNet b1.58 (ternary linear layers: one INT8 add per weight) against the same shapes in FP16 (one multiply and one add per weight), from the analytic model described in docs/energy.md.</p>\n");
        sb.Append("<figure>\n").Append(svg.Contains("<?xml", StringComparison.Ordinal) ? svg[svg.IndexOf("<svg", StringComparison.Ordinal)..] : svg).Append("</figure>\n");
        sb.Append("<h2>Report</h2>\n<pre>").Append(WebUtility.HtmlEncode(text.ToString())).Append("</pre>\n");
        sb.Append("<h2>Sources</h2>\n");
        foreach (var node in results.Select(r => r.Node).DistinctBy(n => n.Name))
        {
            sb.Append("<h3>node ").Append(WebUtility.HtmlEncode(node.Name)).Append("</h3>\n<p>").Append(WebUtility.HtmlEncode(node.Description)).Append("</p>\n<table>\n");
            foreach (var a in node.Arithmetic)
                Row(sb, Technology.TechnologyNode.Describe(a.Op, a.Format, a.Bits), $"{a.Picojoules.ToString(System.Globalization.CultureInfo.InvariantCulture)} pJ", a.Source);
            foreach (var s in node.Sram)
                Row(sb, $"SRAM {Units.Bytes(s.CapacityBytes)}", $"{s.PicojoulesPer64Bits.ToString(System.Globalization.CultureInfo.InvariantCulture)} pJ / 64 bit", s.Source);
            Row(sb, "DRAM", $"{node.Dram.PicojoulesPer64Bits.ToString(System.Globalization.CultureInfo.InvariantCulture)} pJ / 64 bit", node.Dram.Source);
            sb.Append("</table>\n");
        }
        sb.Append("<h3>models</h3>\n<table>\n");
        foreach (var m in results.Select(r => r.Model).DistinctBy(m => m.Id))
            Row(sb, m.Id, $"hidden {m.HiddenSize}, intermediate {m.IntermediateSize}, {m.Layers} layers, {m.AttentionHeads}/{m.KeyValueHeads} heads, vocab {m.VocabSize}", m.Source);
        sb.Append("</table>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string a, string b, string c) =>
        sb.Append("<tr><td>").Append(WebUtility.HtmlEncode(a)).Append("</td><td>").Append(WebUtility.HtmlEncode(b))
          .Append("</td><td>").Append(WebUtility.HtmlEncode(c)).Append("</td></tr>\n");
}
