using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bit1HW.Core.IO;

namespace Bit1HW.Core.Hardware;

/// <summary>Bits moved through each on-chip memory.</summary>
public sealed record MemoryBits(long Weight, long Activation, long Instruction, long Output)
{
    public long Total => checked(Weight + Activation + Instruction + Output);
}

/// <summary>
/// The activity of one simulated run (docs/hardware.md, "Simulator report", defines every counter):
/// the simulator fills it, the energy model prices it, in process; JSON is only its file format.
/// Width maps go from an adder or multiplier width in bits to a count, in ascending width.
/// </summary>
public sealed record ActivityRecord(
    long InstructionsIssued,
    long MacTiles,
    long TermsTotal,
    long TermsZeroWeight,
    SortedDictionary<int, long> AdditionsByWidthBits,
    SortedDictionary<int, long> MultipliesByWidthBits,
    MemoryBits SramReadBits,
    MemoryBits SramWriteBits,
    long RegisterBitsWritten);

/// <summary>
/// A simulated run of one layer: the configuration, the workload, the busy cycles (and the
/// compiler's prediction) and the activity. <see cref="ToJson"/> writes, and <see cref="Parse"/>
/// reads, the report file of <c>bit1hw sim --report</c> (keys in a fixed order, integers only).
/// </summary>
public sealed record SimulationReport(HardwareConfig Config, Workload Workload, long Cycles, long PredictedCycles, ActivityRecord Activity)
{
    /// <summary>The report file: camelCase keys in the documented order, "\n" line ends, byte-stable.</summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WritePropertyName("config");
            using (JsonDocument doc = JsonDocument.Parse(Config.ToJson())) doc.WriteTo(w);
            w.WriteStartObject("workload");
            w.WriteNumber("tokens", Workload.Tokens);
            w.WriteNumber("outFeatures", Workload.OutFeatures);
            w.WriteNumber("inFeatures", Workload.InFeatures);
            w.WriteEndObject();
            w.WriteNumber("cycles", Cycles);
            w.WriteNumber("predictedCycles", PredictedCycles);
            WriteActivity(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private void WriteActivity(Utf8JsonWriter w)
    {
        ActivityRecord a = Activity;
        w.WriteStartObject("activity");
        w.WriteNumber("cycles", Cycles);
        w.WriteNumber("predictedCycles", PredictedCycles);
        w.WriteNumber("instructionsIssued", a.InstructionsIssued);
        w.WriteNumber("macTiles", a.MacTiles);
        w.WriteNumber("termsTotal", a.TermsTotal);
        w.WriteNumber("termsZeroWeight", a.TermsZeroWeight);
        WriteByWidth(w, "additionsByWidthBits", a.AdditionsByWidthBits);
        WriteByWidth(w, "multipliesByWidthBits", a.MultipliesByWidthBits);
        WriteMemories(w, "sramReadBits", a.SramReadBits);
        WriteMemories(w, "sramWriteBits", a.SramWriteBits);
        w.WriteNumber("registerBitsWritten", a.RegisterBitsWritten);
        w.WriteEndObject();
    }

    private static void WriteByWidth(Utf8JsonWriter w, string name, SortedDictionary<int, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var (width, count) in counts) w.WriteNumber(width.ToString(CultureInfo.InvariantCulture), count);
        w.WriteEndObject();
    }

    private static void WriteMemories(Utf8JsonWriter w, string name, MemoryBits bits)
    {
        w.WriteStartObject(name);
        w.WriteNumber("weight", bits.Weight);
        w.WriteNumber("activation", bits.Activation);
        w.WriteNumber("instruction", bits.Instruction);
        w.WriteNumber("output", bits.Output);
        w.WriteEndObject();
    }

    // Lenient on purpose: a report may echo derived fields in its config; the fields we know are
    // still range-checked by HardwareConfig.Validate.
    private static readonly JsonSerializerOptions ConfigOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads a report file; a missing file or any bad field is a <see cref="UserInputException"/>.</summary>
    public static SimulationReport Load(string path) => FromFields(JsonFields.File(path, "simulation report"), path);

    /// <summary>Parses report JSON; errors name <paramref name="source"/> and the field path.</summary>
    public static SimulationReport Parse(string json, string source) => FromFields(JsonFields.Root(json, source), source);

    private static SimulationReport FromFields(JsonFields root, string source)
    {
        JsonFields cfg = root.RequireObject("config");
        HardwareConfig config;
        try
        {
            config = cfg.Element.Deserialize<HardwareConfig>(ConfigOptions) ?? throw cfg.Error("", "is empty");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{source}: field 'config{(e.Path is null ? "" : e.Path.TrimStart('$'))}'", StrictJson.Describe(e));
        }
        config.Validate($"{source}: config");
        JsonFields w = root.RequireObject("workload");
        var workload = new Workload(Dimension(w, "tokens"), Dimension(w, "outFeatures"), Dimension(w, "inFeatures"));
        JsonFields a = root.RequireObject("activity");
        long terms = a.RequireCount("termsTotal");
        long zeros = a.RequireCount("termsZeroWeight");
        if (zeros > terms) throw a.Error("termsZeroWeight", $"{zeros} exceeds termsTotal {terms}");
        var activity = new ActivityRecord(
            a.RequireCount("instructionsIssued"),
            a.RequireCount("macTiles"),
            terms,
            zeros,
            a.OptionalWidthCounts("additionsByWidthBits"),
            a.OptionalWidthCounts("multipliesByWidthBits"),
            ReadBits(a.RequireObject("sramReadBits")),
            ReadBits(a.RequireObject("sramWriteBits")),
            a.RequireCount("registerBitsWritten"));
        if (!a.Has("additionsByWidthBits")) throw a.Error("additionsByWidthBits", "is missing");
        if (config.Pe == PeKind.Mac && activity.MultipliesByWidthBits.Count == 0)
            throw a.Error("multipliesByWidthBits", "is missing or empty for a pe: mac configuration");
        return new SimulationReport(config, workload, root.RequireCount("cycles"), root.RequireCount("predictedCycles"), activity);
    }

    private static int Dimension(JsonFields w, string name)
    {
        long n = w.RequireCount(name, 1);
        return n <= int.MaxValue ? (int)n : throw w.Error(name, $"{n} exceeds {int.MaxValue}");
    }

    private static MemoryBits ReadBits(JsonFields o) =>
        new(o.RequireCount("weight"), o.RequireCount("activation"), o.RequireCount("instruction"), o.RequireCount("output"));
}
