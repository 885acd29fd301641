using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Sweeps;

/// <summary>
/// One synthesis point as JSON, the encoding shared by <c>bit1hw sweep --points</c> and the Slurm
/// manifest (docs/sweeps.md):
/// <code>{"config": {...} or "file.json", "target": "xc7", "yosysOnly": true, "seeds": 1, "targetMhz": 100, "accumulators": "fabric"}</code>
/// Only "target" is required; the others default as in <c>bit1hw synth</c> (a missing config is
/// the target's default configuration; a config given as a string is a file, relative to the
/// points file). The constraint file is not part of a point: the reader is told which one to use.
/// </summary>
public static class SweepPointJson
{
    public static void Write(Utf8JsonWriter w, SynthPoint p)
    {
        w.WriteStartObject();
        w.WritePropertyName("config");
        using (var cfg = JsonDocument.Parse(p.Config.ToJson())) cfg.RootElement.WriteTo(w);
        w.WriteString("target", SynthTargets.Name(p.Options.Target));
        w.WriteBoolean("yosysOnly", !p.Options.PlaceAndRoute);
        w.WriteNumber("seeds", p.Options.Seeds);
        w.WriteNumber("targetMhz", p.Options.TargetMhz);
        w.WriteString("accumulators", RtlVariant.Name(p.Options.Accumulators));
        w.WriteEndObject();
    }

    /// <summary>
    /// A points file: a JSON array of points, at least one. iCE40 points are placed with
    /// <paramref name="pcfPath"/>.
    /// </summary>
    public static IReadOnlyList<SynthPoint> ReadFile(string path, string pcfPath)
    {
        using JsonDocument doc = StrictJson.ParseFile(path, "sweep points");
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() == 0)
            throw new UserInputException(path, "a points file is a JSON array of at least one point ({\"config\": ..., \"target\": ...})");
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var points = new List<SynthPoint>();
        foreach (JsonElement e in doc.RootElement.EnumerateArray())
        {
            string at = $"[{points.Count}]";
            if (e.ValueKind != JsonValueKind.Object) throw new UserInputException($"{path}: point {at}", "must be a JSON object");
            points.Add(Read(new JsonFields(e, path, at), baseDir, pcfPath));
        }
        return points;
    }

    /// <summary>A point from its JSON object; <paramref name="baseDir"/> resolves a config given as a file name.</summary>
    public static SynthPoint Read(JsonFields f, string baseDir, string pcfPath)
    {
        SynthTarget target = Parse(f, "target", s => SynthTargets.Parse(s));
        var opt = new SynthOptions(target)
        {
            PlaceAndRoute = !f.OptionalBool("yosysOnly", false),
            Seeds = f.Has("seeds") ? (int)f.RequireCount("seeds", 1, SynthOptions.MaxSeeds) : 3,
            TargetMhz = f.Has("targetMhz") ? f.RequirePositive("targetMhz", 1000) : 100,
            Accumulators = f.Has("accumulators") ? Parse(f, "accumulators", s => RtlVariant.ParseAccumulators(s)) : AccumulatorKind.Fabric,
            PcfPath = pcfPath,
        };
        try
        {
            opt.Validate();
        }
        catch (UserInputException e)
        {
            // The ranges are checked above; what is left is the variant (mac16 accumulators need ice40-up5k).
            throw f.Error("accumulators", e.Problem);
        }
        return new SynthPoint(Config(f, baseDir, opt), opt);
    }

    private static HardwareConfig Config(JsonFields f, string baseDir, SynthOptions opt)
    {
        if (!f.Has("config")) return RtlVariant.DefaultConfig(opt.Variant.Target);
        JsonElement c = f.Element.GetProperty("config");
        if (c.ValueKind == JsonValueKind.String)
        {
            string path = Path.Combine(baseDir, c.GetString()!);
            if (!File.Exists(path)) throw f.Error("config", $"file '{path}' does not exist");
            return HardwareConfig.Load(path);
        }
        if (c.ValueKind != JsonValueKind.Object) throw f.Error("config", "must be a hardware config object or a config file name");
        return HardwareConfig.FromJson(c, f.Subject("config"));
    }

    private static T Parse<T>(JsonFields f, string name, Func<string, T> parse)
    {
        string s = f.RequireString(name);
        try
        {
            return parse(s);
        }
        catch (UserInputException e)
        {
            throw f.Error(name, e.Problem);
        }
    }
}
