using System.Text.Json;
using Bit1HW.Energy.Analytic;

namespace Bit1HW.Energy.Reporting;

/// <summary>
/// A Vega-Lite spec of arithmetic energy per token against model size, BitNet b1.58 versus FP16, both
/// axes logarithmic (the shape of the BitNet b1.58 paper's energy figure). One line per datapath and
/// node; the data are the analytic results, so the chart and the table always agree.
/// </summary>
public static class ChartSpec
{
    public static string Build(IReadOnlyList<AnalyticResult> results) => EnergyJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("$schema", "https://vega.github.io/schema/vega-lite/v5.json");
        w.WriteString("title", $"Arithmetic energy per token ({results[0].SequenceTokens}-token sequence, lm_head {(results[0].IncludesLmHead ? "included" : "excluded")})");
        w.WriteNumber("width", 560);
        w.WriteNumber("height", 360);
        w.WriteStartObject("data");
        w.WriteStartArray("values");
        foreach (var r in results)
            foreach (var (variant, pj) in new[] { ("BitNet b1.58 (INT8 add)", r.BitNetPicojoulesPerToken), ("FP16 (mul + add)", r.Fp16PicojoulesPerToken) })
            {
                w.WriteStartObject();
                w.WriteString("model", r.Model.Label);
                w.WriteNumber("weightsBillions", Math.Round(r.Model.TotalWeights / 1e9, 4));
                w.WriteString("datapath", variant);
                w.WriteString("node", r.Node.Name);
                w.WriteString("series", $"{variant}, {r.Node.Name}");
                w.WriteNumber("microjoulesPerToken", Math.Round(pj / 1e6, 6));
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("mark");
        w.WriteString("type", "line");
        w.WriteBoolean("point", true);
        w.WriteEndObject();
        w.WriteStartObject("encoding");
        Axis(w, "x", "weightsBillions", "model size (billions of weights, log scale)");
        Axis(w, "y", "microjoulesPerToken", "arithmetic energy per token (µJ, log scale)");
        Legend(w, "color", "series", "datapath, node");
        w.WriteStartObject("strokeDash");
        w.WriteString("field", "node");
        w.WriteString("type", "nominal");
        w.WriteNull("legend");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static void Legend(Utf8JsonWriter w, string channel, string field, string title)
    {
        w.WriteStartObject(channel);
        w.WriteString("field", field);
        w.WriteString("type", "nominal");
        w.WriteString("title", title);
        w.WriteStartObject("legend");
        w.WriteString("orient", "bottom");
        w.WriteNumber("labelLimit", 400);
        w.WriteNumber("columns", 2);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Axis(Utf8JsonWriter w, string channel, string field, string title)
    {
        w.WriteStartObject(channel);
        w.WriteString("field", field);
        w.WriteString("type", "quantitative");
        w.WriteString("title", title);
        w.WriteStartObject("scale"); w.WriteString("type", "log"); w.WriteBoolean("zero", false); w.WriteEndObject();
        w.WriteEndObject();
    }
}
