using System.Text.Json;
using System.Text.Json.Serialization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Explore;

/// <summary>
/// The configurations an exploration enumerates: the cross product of every list, host-fed engines
/// (<see cref="HostFed"/>) and, for every AXI width and packing listed, streaming engines (ternary
/// only, 16-beat bursts, 4 outstanding, 40-bit addresses, as docs/examples/kv260-stream.json).
/// maxK is derived (actDepth × lanes, capped by the 32-bit accumulator). Combinations the
/// configuration rules reject (a beat and a stream word that do not divide, a ring that does not
/// fit wmem) are skipped and counted, not errors. A space file (<c>--space FILE</c>) has the same
/// camelCase keys; a key left out keeps the target's default list.
/// </summary>
public sealed record ExploreSpace
{
    public IReadOnlyList<int> Lanes { get; init; } = [];
    public IReadOnlyList<int> Rows { get; init; } = [];
    public IReadOnlyList<int> ActBits { get; init; } = [8];
    public IReadOnlyList<int> PipeEvery { get; init; } = [1, 2];
    public IReadOnlyList<PeKind> Pe { get; init; } = [PeKind.Ternary, PeKind.Mac];
    public IReadOnlyList<int> WeightDepth { get; init; } = [256, 512];
    public IReadOnlyList<int> ActDepth { get; init; } = [256];
    public IReadOnlyList<int> OutDepth { get; init; } = [256];
    public IReadOnlyList<int> InstrDepth { get; init; } = [4096, 16384];
    public bool HostFed { get; init; } = true;
    public IReadOnlyList<int> AxiDataBits { get; init; } = [];
    public IReadOnlyList<WeightPacking> Packing { get; init; } = [WeightPacking.TwoBit, WeightPacking.Base3];

    /// <summary>
    /// The default space of a target. UP5K: host-fed engines only (the ice40-up5k RTL has no stream
    /// engine), 4..32 lanes × 1..8 rows, the depths of the iCEBreaker configuration and half. xc7:
    /// host-fed and streaming engines (128-, 256- and 512-bit AXI ports), 16..128 lanes × 4..32 rows,
    /// 512-word memories. Activations are 8 bits, as BitNet b1.58's; a space file may add 4
    /// (a different model: BitNet a4.8's activations).
    /// </summary>
    public static ExploreSpace Default(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => new() { Lanes = [4, 8, 16, 32], Rows = [1, 2, 4, 7, 8] },
        SynthTarget.Xc7 => new()
        {
            Lanes = [16, 32, 64, 128], Rows = [4, 8, 16, 32], WeightDepth = [512], ActDepth = [512], OutDepth = [512],
            InstrDepth = [4096], AxiDataBits = [128, 256, 512],
        },
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>Every valid configuration, in a fixed order (the lists' orders, nested as declared), and how many combinations were skipped.</summary>
    public (IReadOnlyList<HardwareConfig> Configs, int Skipped) Enumerate()
    {
        var streams = new List<StreamConfig?>();
        if (HostFed) streams.Add(null);
        foreach (int bits in AxiDataBits)
            foreach (WeightPacking p in Packing)
                streams.Add(new StreamConfig { AxiDataBits = bits, AxiAddrBits = 40, BurstBeats = 16, MaxOutstanding = 4, Packing = p });
        var configs = new List<HardwareConfig>();
        int skipped = 0;
        foreach (StreamConfig? s in streams)
        foreach (PeKind pe in Pe)
        foreach (int lanes in Lanes)
        foreach (int rows in Rows)
        foreach (int act in ActBits)
        foreach (int pipe in PipeEvery)
        foreach (int wd in WeightDepth)
        foreach (int ad in ActDepth)
        foreach (int od in OutDepth)
        foreach (int id in InstrDepth)
        {
            if (s is not null && pe != PeKind.Ternary) continue;   // not a combination: streaming engines are ternary
            var c = new HardwareConfig
            {
                Lanes = lanes, Rows = rows, ActBits = act, PipeEvery = pipe, Pe = pe,
                WeightDepth = wd, ActDepth = ad, OutDepth = od, InstrDepth = id, Stream = s,
            };
            try
            {
                configs.Add(c.Validate("--space"));
            }
            catch (UserInputException)
            {
                skipped++;
            }
        }
        return (configs, skipped);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>A space file: the target's default with the keys the file gives replaced. A bad file is a one-line user error.</summary>
    public static ExploreSpace Load(string path, SynthTarget target)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException(path, $"cannot read the space file: {e.Message}");
        }
        return Parse(text, path, target);
    }

    public static ExploreSpace Parse(string json, string source, SynthTarget target)
    {
        SpaceFile? f;
        try
        {
            f = JsonSerializer.Deserialize<SpaceFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new UserInputException(source, $"not a space file: {e.Message}");
        }
        if (f is null) throw new UserInputException(source, "not a space file: null");
        ExploreSpace d = Default(target);
        var s = d with
        {
            Lanes = f.Lanes ?? d.Lanes, Rows = f.Rows ?? d.Rows, ActBits = f.ActBits ?? d.ActBits, PipeEvery = f.PipeEvery ?? d.PipeEvery,
            Pe = f.Pe ?? d.Pe, WeightDepth = f.WeightDepth ?? d.WeightDepth, ActDepth = f.ActDepth ?? d.ActDepth,
            OutDepth = f.OutDepth ?? d.OutDepth, InstrDepth = f.InstrDepth ?? d.InstrDepth, HostFed = f.HostFed ?? d.HostFed,
            AxiDataBits = f.AxiDataBits ?? d.AxiDataBits, Packing = f.Packing ?? d.Packing,
        };
        if (target == SynthTarget.Ice40Up5k && s.AxiDataBits.Count > 0)
            throw new UserInputException(source, "field 'axiDataBits': the ice40-up5k RTL has no stream engine; leave it out");
        return s;
    }

    private sealed record SpaceFile(int[]? Lanes, int[]? Rows, int[]? ActBits, int[]? PipeEvery, PeKind[]? Pe, int[]? WeightDepth,
        int[]? ActDepth, int[]? OutDepth, int[]? InstrDepth, bool? HostFed, int[]? AxiDataBits, WeightPacking[]? Packing);
}
