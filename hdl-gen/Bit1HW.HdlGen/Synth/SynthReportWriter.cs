using System.Globalization;
using System.Text.Json;

namespace Bit1HW.HdlGen.Synth;

/// <summary>The synthesis report as JSON (fixed key order) and as a text table.</summary>
public static class SynthReportWriter
{
    public static string Json(SynthReport r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", r.Target);
            w.WriteString("tag", r.Tag);
            Counts(w, "design", r.Design);
            Counts(w, "array", r.Array);
            w.WriteNumber("lanesTotal", r.LanesTotal);
            w.WriteNumber("lutsPerLane", r.LutsPerLane);
            if (r.FmaxMhz is { } f) w.WriteNumber("fmaxMhz", f); else w.WriteNull("fmaxMhz");
            w.WriteString("fmaxNote", r.FmaxNote);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    private static void Counts(Utf8JsonWriter w, string name, CellCounts c)
    {
        w.WriteStartObject(name);
        w.WriteNumber("luts", c.Luts);
        w.WriteNumber("ffs", c.Ffs);
        w.WriteNumber("brams", c.Brams);
        w.WriteNumber("dsps", c.Dsps);
        w.WriteNumber("multipliers", c.Multipliers);
        w.WriteEndObject();
    }

    public static string Table(SynthReport r)
    {
        var s = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        s.WriteLine($"synth {r.Target} {r.Tag}");
        s.WriteLine($"{"part",-8} {"LUTs",7} {"FFs",7} {"BRAMs",6} {"DSPs",5} {"$mul",5}");
        Row(s, "design", r.Design);
        Row(s, "array", r.Array);
        s.WriteLine($"LUTs per lane (array / {r.LanesTotal} lanes): {r.LutsPerLane.ToString("0.00", CultureInfo.InvariantCulture)}");
        s.WriteLine($"Fmax: {(r.FmaxMhz is { } f ? f.ToString("0.00", CultureInfo.InvariantCulture) + " MHz" : "n/a")} ({r.FmaxNote})");
        return s.ToString();
    }

    private static void Row(StringWriter s, string name, CellCounts c) =>
        s.WriteLine($"{name,-8} {c.Luts,7} {c.Ffs,7} {c.Brams,6} {c.Dsps,5} {c.Multipliers,5}");
}
