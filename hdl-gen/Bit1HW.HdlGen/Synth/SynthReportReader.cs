using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.IO;

namespace Bit1HW.HdlGen.Synth;

/// <summary>
/// Reads <see cref="SynthReportWriter.Json"/> back into the <see cref="SynthReport"/> it was written
/// from (a synthesis sweep's cache holds one report.json per point). Only the measured fields are
/// read; the derived ones (part, percentages, LUTs per lane, Fmax, the cell kinds) are recomputed,
/// so writing the report read back gives the same bytes. A file that is not such a report is a
/// <see cref="UserInputException"/> naming the file and the field.
/// </summary>
public static class SynthReportReader
{
    public static SynthReport Read(string path) => Parse(File.ReadAllText(path), path);

    public static SynthReport Parse(string json, string source)
    {
        using JsonDocument doc = StrictJson.Parse(json, source);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new UserInputException(source, "a synthesis report is a JSON object");
        var root = new JsonFields(doc.RootElement, source, "");
        SynthTarget target = Target(root);
        return new SynthReport(target, root.RequireString("tag"), root.RequireString("yosys"), Int(root, "lanesTotal"),
            Counts(root.RequireObject("design"), target), Counts(root.RequireObject("array"), target), Device(root),
            PlaceRoute(root), String(root, "note"));
    }

    private static SynthTarget Target(JsonFields root)
    {
        string name = root.RequireString("target");
        try
        {
            return SynthTargets.Parse(name);
        }
        catch (UserInputException e)
        {
            throw root.Error("target", e.Problem);
        }
    }

    private static CellCounts Counts(JsonFields c, SynthTarget target)
    {
        JsonFields byType = c.RequireObject("cells");
        var cells = byType.Element.EnumerateObject().Select(p => new CellTypeCount(p.Name, Int(byType, p.Name))).ToList();
        return new CellCounts(target, cells, Int(c, "multipliers"));
    }

    private static List<DeviceUse> Device(JsonFields root) =>
        root.RequireObjectArray("device").Select(u => new DeviceUse(u.RequireString("resource"), Int(u, "used"), Int(u, "available"), u.RequireString("source"))).ToList();

    private static PlaceRoute? PlaceRoute(JsonFields root)
    {
        if (!root.Has("placeAndRoute")) return null;
        JsonFields p = root.RequireObject("placeAndRoute");
        var seeds = p.RequireObjectArray("seeds").Select(s => new SeedResult(Int(s, "seed"), Number(s, "fmaxMhz"),
            s.Has("criticalPath") ? Path(s.RequireObject("criticalPath")) : null)).ToList();
        return new PlaceRoute(Number(p, "targetMhz"), seeds, p.Has("logicCells") ? Int(p, "logicCells") : null,
            p.Has("failure") ? String(p, "failure") : null);
    }

    private static CriticalPath Path(JsonFields c) =>
        new(String(c, "from"), String(c, "to"), Number(c, "delayNs"), Number(c, "logicNs"), Number(c, "routingNs"));

    private static int Int(JsonFields f, string name)
    {
        if (!f.Element.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
            throw f.Error(name, "must be a 32-bit integer");
        return i;
    }

    private static double Number(JsonFields f, string name)
    {
        if (!f.Element.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number) throw f.Error(name, "must be a number");
        return v.GetDouble();
    }

    // Unlike RequireString, an empty string is a value here (a note may be empty).
    private static string String(JsonFields f, string name)
    {
        if (!f.Element.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String) throw f.Error(name, "must be a string");
        return v.GetString()!;
    }
}
