using System.Globalization;
using System.Text.Json;

namespace Bit1HW.HdlGen.Synth;

/// <summary>The synthesis report as JSON (fixed key order, documented in docs/hardware.md) and as text.</summary>
public static class SynthReportWriter
{
    public static string Json(SynthReport r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", SynthTargets.Name(r.Target));
            w.WriteString("part", SynthTargets.Part(r.Target));
            w.WriteString("tag", r.Tag);
            w.WriteString("yosys", r.Yosys);
            w.WriteString("synthesis", SynthTargets.YosysSynth(r.Target));
            w.WriteNumber("lanesTotal", r.LanesTotal);
            Counts(w, "design", r.Design);
            Counts(w, "array", r.Array);
            w.WriteNumber("lutsPerLane", r.LutsPerLane);
            w.WriteStartArray("device");
            foreach (var u in r.Device)
            {
                w.WriteStartObject();
                w.WriteString("resource", u.Resource);
                w.WriteNumber("used", u.Used);
                w.WriteNumber("available", u.Available);
                w.WriteNumber("percent", u.Percent);
                w.WriteString("source", u.Source);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (r.FmaxMhz is { } f) w.WriteNumber("fmaxMhz", f); else w.WriteNull("fmaxMhz");
            PlaceRoute(w, r.Pnr);
            w.WriteString("note", r.Note);
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
        w.WriteNumber("sprams", c.Sprams);
        w.WriteNumber("dsps", c.Dsps);
        w.WriteNumber("multipliers", c.Multipliers);
        w.WriteStartObject("kinds");
        foreach (CellKind k in Enum.GetValues<CellKind>()) w.WriteNumber(KindName(k), c.CellsOf(k));
        w.WriteEndObject();
        w.WriteStartObject("cells");
        foreach (var t in c.Cells) w.WriteNumber(t.Type, t.Count);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void PlaceRoute(Utf8JsonWriter w, PlaceRoute? p)
    {
        if (p is null)
        {
            w.WriteNull("placeAndRoute");
            return;
        }
        w.WriteStartObject("placeAndRoute");
        w.WriteString("tool", "nextpnr-ice40 --up5k --package sg48");
        w.WriteNumber("targetMhz", p.TargetMhz);
        w.WriteNumber("boardClockMhz", SynthFlow.BoardClockMhz);
        if (p.LogicCells is { } lc) w.WriteNumber("logicCells", lc); else w.WriteNull("logicCells");
        if (p.Median is { } m) w.WriteNumber("medianSeed", m.Seed); else w.WriteNull("medianSeed");
        w.WriteStartArray("seeds");
        foreach (var s in p.Seeds)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", s.Seed);
            w.WriteNumber("fmaxMhz", s.FmaxMhz);
            if (s.Path is { } cp)
            {
                w.WriteStartObject("criticalPath");
                w.WriteString("from", cp.From);
                w.WriteString("to", cp.To);
                w.WriteNumber("delayNs", cp.DelayNs);
                w.WriteNumber("logicNs", cp.LogicNs);
                w.WriteNumber("routingNs", cp.RoutingNs);
                w.WriteEndObject();
            }
            else w.WriteNull("criticalPath");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (p.Failure is { } f) w.WriteString("failure", f); else w.WriteNull("failure");
        w.WriteEndObject();
    }

    internal static string KindName(CellKind k) => k switch
    {
        CellKind.Lut => "lut",
        CellKind.Inverter => "inverter",
        CellKind.LutRam => "lutRam",
        CellKind.ShiftRegister => "shiftRegister",
        CellKind.Carry => "carry",
        CellKind.WideMux => "wideMux",
        CellKind.FlipFlop => "flipFlop",
        CellKind.BlockRam => "blockRam",
        CellKind.Spram => "spram",
        CellKind.Dsp => "dsp",
        CellKind.Io => "io",
        CellKind.Other => "other",
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    public static string Table(SynthReport r)
    {
        var s = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        s.WriteLine($"synth {SynthTargets.Name(r.Target)} {r.Tag} on {SynthTargets.Part(r.Target)}: {r.Yosys}, {SynthTargets.YosysSynth(r.Target)}");
        s.WriteLine($"{"part",-8} {"LUTs",6} {"FFs",6} {"carry",6} {"BRAM",5} {"SPRAM",5} {"DSP",4} {"$mul",5}   (LUTs: {LutNote(r.Target)})");
        Row(s, "design", r.Design);
        Row(s, "array", r.Array);
        s.WriteLine($"cells in design: {string.Join(", ", r.Design.Cells.Select(c => $"{c.Type} {c.Count}"))}");
        s.WriteLine($"LUTs per lane (array / {r.LanesTotal} lanes): {r.LutsPerLane.ToString("0.00", CultureInfo.InvariantCulture)}");
        s.WriteLine($"device: {string.Join("; ", r.Device.Select(u => $"{u.Resource} {u.Used}/{u.Available} ({u.Percent.ToString("0.0", CultureInfo.InvariantCulture)}%)"))}");
        if (r.Pnr is { } p && p.Median is { } m)
        {
            string seeds = string.Join(", ", p.Seeds.Select(x => $"{x.Seed}: {NextpnrRun.Num(x.FmaxMhz)}"));
            s.WriteLine($"Fmax: {m.FmaxMhz.ToString("0.00", CultureInfo.InvariantCulture)} MHz, median of seeds ({seeds} MHz)");
            if (m.Path is { } cp)
                s.WriteLine($"critical path (seed {m.Seed}): {cp.From} -> {cp.To}, {Ns(cp.DelayNs)} ns ({Ns(cp.LogicNs)} logic, {Ns(cp.RoutingNs)} routing)");
        }
        else s.WriteLine("Fmax: n/a");
        s.WriteLine($"note: {r.Note}");
        return s.ToString();
    }

    private static string LutNote(SynthTarget t) =>
        t == SynthTarget.Xc7 ? "LUT1-6 + INV + LUT-RAM/SRL in LUTs; BRAM in RAMB18 units" : "SB_LUT4";

    private static string Ns(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    private static void Row(StringWriter s, string name, CellCounts c) =>
        s.WriteLine($"{name,-8} {c.Luts,6} {c.Ffs,6} {c.Units(CellKind.Carry),6} {c.Brams,5} {c.Sprams,5} {c.Dsps,4} {c.Multipliers,5}");
}
