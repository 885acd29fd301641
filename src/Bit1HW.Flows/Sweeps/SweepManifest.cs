using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Sweeps;

/// <summary>One task of a Slurm job array: a point and the key the submitting machine computed for it.</summary>
public sealed record SweepTask(string Key, SynthPoint Point);

/// <summary>
/// The job manifest of a Slurm sweep, DIR/slurm/manifest.json: the tools the keys were computed
/// with and one task per array index (its key and its point, <see cref="SweepPointJson"/>). The
/// sweep directory is named relative to the manifest (<c>"sweepDir": ".."</c>) and a constraint
/// file is copied next to it (pcf/SHA.pcf), so the shared directory may be mounted anywhere.
/// </summary>
public sealed record SweepManifest(ToolVersions Tools, IReadOnlyList<SweepTask> Tasks)
{
    public const string Format = "bit1hw sweep manifest 1";

    /// <summary>The sweep directory of the manifest at <paramref name="path"/>.</summary>
    public static string SweepDirOf(string path) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ".."));

    /// <summary>Writes the manifest (atomically) and the constraint files it names.</summary>
    public void Write(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("flow", SweepKey.FlowVersion);
            w.WriteString("sweepDir", "..");
            w.WriteStartObject("tools");
            w.WriteString("yosys", Tools.Yosys);
            w.WriteString("nextpnr", Tools.Nextpnr);
            w.WriteEndObject();
            w.WriteStartArray("tasks");
            foreach (var t in Tasks)
            {
                w.WriteStartObject();
                w.WriteString("key", t.Key);
                if (CopyPcf(t.Point, dir) is { } pcf) w.WriteString("pcf", pcf); else w.WriteNull("pcf");
                w.WritePropertyName("point");
                SweepPointJson.Write(w, t.Point);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        AtomicFile.WriteAllText(path, Encoding.UTF8.GetString(ms.ToArray()).ReplaceLineEndings("\n") + "\n");
    }

    /// <summary>The constraint file a point places with, copied to pcf/SHA.pcf; null when the point is not placed.</summary>
    private static string? CopyPcf(SynthPoint p, string dir)
    {
        if (p.Options.Target != SynthTarget.Ice40Up5k || !p.Options.PlaceAndRoute) return null;
        if (!File.Exists(p.Options.PcfPath))
            throw new UserInputException("constraint file", $"'{p.Options.PcfPath}' of point {p.Name} does not exist");
        byte[] bytes = File.ReadAllBytes(p.Options.PcfPath);
        string name = $"pcf/{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}.pcf";
        string full = Path.Combine(dir, name);
        if (!File.Exists(full)) AtomicFile.WriteAllBytes(full, bytes);
        return name;
    }

    public static SweepManifest Read(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonFields root = JsonFields.File(path, "sweep manifest");
        string format = root.RequireString("format");
        if (format != Format) throw root.Error("format", $"'{format}' is not '{Format}'");
        JsonFields tools = root.RequireObject("tools");
        var tasks = root.RequireObjectArray("tasks").Select(t =>
        {
            string pcf = t.OptionalString("pcf") is { } rel ? Path.Combine(dir, rel) : "";
            return new SweepTask(t.RequireString("key"), SweepPointJson.Read(t.RequireObject("point"), dir, pcf));
        }).ToList();
        return new SweepManifest(new ToolVersions(tools.RequireString("yosys"), tools.RequireString("nextpnr")), tasks);
    }
}
