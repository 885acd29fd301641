using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Sweeps;

/// <summary>
/// The results of a sweep directory: DIR/cache/KEY/ holds one point's report.json (the
/// <see cref="SynthReportWriter.Json"/> of its run), point.json (the point, for a person) and
/// work/ (the tools' files and logs). report.json is written last and atomically (a temporary
/// file renamed into place), so it exists only for a finished run: a run that was interrupted
/// leaves no report and runs again; a report that cannot be read is treated the same way.
/// Local workers and Slurm tasks write here alike, which is what lets an interrupted sweep
/// resume and a Slurm run be merged exactly as a local one.
/// </summary>
public sealed class SweepCache(string dir)
{
    public string Dir { get; } = Path.GetFullPath(dir);

    public string PointDir(string key) => Path.Combine(Dir, "cache", key);

    public string ReportPath(string key) => Path.Combine(PointDir(key), "report.json");

    public string WorkDir(string key) => Path.Combine(PointDir(key), "work");

    /// <summary>The finished report of <paramref name="key"/>, or null when there is none or it cannot be read.</summary>
    public SynthReport? TryRead(string key)
    {
        string path = ReportPath(key);
        if (!File.Exists(path)) return null;
        try
        {
            return SynthReportReader.Read(path);
        }
        catch (Exception e) when (e is UserInputException or IOException)
        {
            return null;
        }
    }

    /// <summary>Runs the flow on one point and stores its report; the report is also returned.</summary>
    public SynthReport RunPoint(SynthPoint p, string key, Action<string> progress)
    {
        Directory.CreateDirectory(PointDir(key));
        AtomicFile.WriteAllText(Path.Combine(PointDir(key), "point.json"), PointJson(p, key));
        SynthReport r = SynthFlow.Run(p.Config, p.Options, WorkDir(key), progress);
        AtomicFile.WriteAllText(ReportPath(key), SynthReportWriter.Json(r));
        return r;
    }

    private static string PointJson(SynthPoint p, string key)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("key", key);
            w.WritePropertyName("point");
            SweepPointJson.Write(w, p);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()).ReplaceLineEndings("\n") + "\n";
    }
}
