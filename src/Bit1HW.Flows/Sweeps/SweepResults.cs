using System.Globalization;
using System.Text;
using System.Text.Json;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Sweeps;

/// <summary>
/// A sweep's results as files and as a table. results.json (every point with its key and whole
/// report) and results.csv (one row of figures per point) depend only on the points and what the
/// tools measured, not on where or whether a point ran in this sweep, so two sweeps of the same
/// points agree byte for byte (the single-node Slurm check compares them with cmp). The table
/// printed for a person also says which points came from the cache.
/// </summary>
public static class SweepResults
{
    public static string Json(IReadOnlyList<SynthPointResult> results)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("flow", SweepKey.FlowVersion);
            w.WriteStartArray("points");
            for (int i = 0; i < results.Count; i++)
            {
                var r = results[i];
                w.WriteStartObject();
                w.WriteNumber("index", i + 1);
                w.WriteString("key", r.Key);
                w.WritePropertyName("point");
                SweepPointJson.Write(w, r.Point);
                w.WritePropertyName("report");
                using (var report = JsonDocument.Parse(SynthReportWriter.Json(r.Report))) report.RootElement.WriteTo(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    private static readonly string[] Columns = ["index", "tag", "target", "key", "luts", "ffs", "carry", "brams", "sprams", "dsps", "logicCells", "fmaxMhz"];

    public static string Csv(IReadOnlyList<SynthPointResult> results)
    {
        var s = new StringBuilder();
        s.AppendJoin(',', Columns).Append('\n');
        for (int i = 0; i < results.Count; i++) s.AppendJoin(',', Row(i, results[i])).Append('\n');
        return s.ToString();
    }

    public static string Table(IReadOnlyList<SynthPointResult> results)
    {
        var s = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        s.WriteLine($"{"#",3} {"configuration",-28} {"target",-10} {"key",-12} {"LUTs",6} {"FFs",6} {"carry",6} {"BRAM",5} {"SPRAM",5} {"DSP",4} {"LCs",6} {"Fmax MHz",9}  from");
        for (int i = 0; i < results.Count; i++)
        {
            string[] c = Row(i, results[i]);
            s.WriteLine($"{c[0],3} {c[1],-28} {c[2],-10} {c[3],-12} {c[4],6} {c[5],6} {c[6],6} {c[7],5} {c[8],5} {c[9],4} {Dash(c[10]),6} {Dash(c[11]),9}  {(results[i].FromCache ? "cache" : "run")}");
        }
        int cached = results.Count(r => r.FromCache);
        s.WriteLine($"{results.Count} points: {results.Count - cached} run, {cached} from the cache");
        return s.ToString();
    }

    private static string Dash(string v) => v.Length == 0 ? "-" : v;

    private static string[] Row(int i, SynthPointResult r)
    {
        CellCounts d = r.Report.Design;
        string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
        return
        [
            Int(i + 1), r.Report.Tag, SynthTargets.Name(r.Report.Target), r.Key[..12],
            Int(d.Luts), Int(d.Ffs), Int(d.Units(CellKind.Carry)), Int(d.Brams), Int(d.Sprams), Int(d.Dsps),
            r.Report.Pnr?.LogicCells is { } lc ? Int(lc) : "",
            r.Report.FmaxMhz is { } f ? f.ToString("0.00", CultureInfo.InvariantCulture) : "",
        ];
    }
}
