using System.Text.Json;
using System.Text.Json.Serialization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;

namespace Bit1HW.Energy.Simulation;

/// <summary>Bits moved through one kind of on-chip memory.</summary>
internal sealed record MemoryBits(long Weight, long Activation, long Instruction, long Output)
{
    public long Total => checked(Weight + Activation + Instruction + Output);
}

/// <summary>The simulator's activity counters (docs/energy.md, "Simulation-driven model", lists the JSON shape).</summary>
internal sealed record SimActivity(
    long InstructionsIssued,
    long MacTiles,
    long TermsTotal,
    long TermsZeroWeight,
    SortedDictionary<int, long> AdditionsByWidthBits,
    SortedDictionary<int, long> MultipliesByWidthBits,
    MemoryBits SramReadBits,
    MemoryBits SramWriteBits,
    long RegisterBitsWritten);

internal sealed record SimWorkload(long Tokens, long OutFeatures, long InFeatures);

/// <summary>A simulator report (<c>bit1hw sim --report</c>): the configuration, the workload, cycle counts and activity.</summary>
internal sealed record SimReport(HardwareConfig Config, SimWorkload Workload, long Cycles, long PredictedCycles, SimActivity Activity)
{
    // Lenient on purpose: the simulator may add derived fields to the config it echoes; the fields
    // we know are still range-checked by HardwareConfig.Validate.
    private static readonly JsonSerializerOptions ConfigOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static SimReport Load(string path)
    {
        return FromFields(JsonFields.File(path, "simulation report"), path);
    }

    public static SimReport Parse(string json, string source) => FromFields(JsonFields.Root(json, source), source);

    private static SimReport FromFields(JsonFields root, string source)
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
        var workload = new SimWorkload(w.RequireCount("tokens", 1), w.RequireCount("outFeatures", 1), w.RequireCount("inFeatures", 1));
        JsonFields a = root.RequireObject("activity");
        long terms = a.RequireCount("termsTotal");
        long zeros = a.RequireCount("termsZeroWeight");
        if (zeros > terms) throw a.Error("termsZeroWeight", $"{zeros} exceeds termsTotal {terms}");
        var activity = new SimActivity(
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
        return new SimReport(config, workload, root.RequireCount("cycles"), root.RequireCount("predictedCycles"), activity);
    }

    private static MemoryBits ReadBits(JsonFields o) =>
        new(o.RequireCount("weight"), o.RequireCount("activation"), o.RequireCount("instruction"), o.RequireCount("output"));
}
