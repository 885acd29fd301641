using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Resources;

/// <summary>
/// The fitted coefficients of one target (docs/resource-model/&lt;target&gt;.json, embedded in this
/// assembly): per resource, a coefficient per structural count; the yosys version and the number of
/// points they were fitted on; on iCE40 nextpnr's logic cells as an affine function of max(LUT4, FF),
/// fitted on the placed points of docs/resource-model/ice40.csv.
/// </summary>
public sealed record ResourceCoefficients(SynthTarget Target, string Yosys, int FitPoints,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Resources)
{
    public double? LogicCellsPerMaxLutFf { get; init; }

    /// <summary>The logic cells a design places beyond <see cref="LogicCellsPerMaxLutFf"/> × max(LUT4, FF):
    /// the I/O, constant and carry-only cells small designs still need.</summary>
    public double? LogicCellsOffset { get; init; }

    public static string FileName(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => "ice40",
        SynthTarget.Xc7 => "xc7",
        _ => throw new UnreachableException(),
    };

    private static readonly Lazy<ResourceCoefficients> Ice40 = new(() => Load(SynthTarget.Ice40Up5k));
    private static readonly Lazy<ResourceCoefficients> Xc7 = new(() => Load(SynthTarget.Xc7));

    /// <summary>The coefficients shipped with this build (embedded from docs/resource-model/), read once.</summary>
    public static ResourceCoefficients Embedded(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => Ice40.Value,
        SynthTarget.Xc7 => Xc7.Value,
        _ => throw new UnreachableException(),
    };

    private static ResourceCoefficients Load(SynthTarget t)
    {
        string name = $"Bit1HW.Flows.Resources.{FileName(t)}.json";
        using var s = typeof(ResourceCoefficients).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var r = new StreamReader(s, Encoding.UTF8);
        return Parse(r.ReadToEnd(), name);
    }

    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", SynthTargets.Name(Target));
            w.WriteString("yosys", Yosys);
            w.WriteNumber("fitPoints", FitPoints);
            w.WriteStartObject("coefficients");
            foreach (var spec in ResourceCalibration.Specs(Target))
            {
                w.WriteStartObject(spec.Resource);
                foreach (string f in spec.Features) w.WriteNumber(f, Resources[spec.Resource][f]);
                if (spec.Offset is { } o) w.WriteNumber(o, 1);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            if (LogicCellsPerMaxLutFf is { } lc) w.WriteNumber("logicCellsPerMaxLutFf", lc);
            if (LogicCellsOffset is { } c) w.WriteNumber("logicCellsOffset", c);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>Reads the JSON <see cref="ToJson"/> writes; the coefficients must be exactly those of
    /// <see cref="ResourceCalibration.Specs"/> (a missing or extra one is an error naming it).</summary>
    public static ResourceCoefficients Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var target = SynthTargets.Parse(root.GetProperty("target").GetString()!);
            var coefficients = root.GetProperty("coefficients");
            var resources = new Dictionary<string, IReadOnlyDictionary<string, double>>();
            foreach (var spec in ResourceCalibration.Specs(target))
            {
                var obj = coefficients.GetProperty(spec.Resource);
                var expected = spec.Features.Concat(spec.Offset is { } o ? [o] : []).ToList();
                var given = obj.EnumerateObject().Select(p => p.Name).ToList();
                if (!given.SequenceEqual(expected))
                    throw new UserInputException($"{source}: coefficients.{spec.Resource}", $"has [{string.Join(", ", given)}], expected [{string.Join(", ", expected)}]");
                resources[spec.Resource] = spec.Features.ToDictionary(f => f, f => obj.GetProperty(f).GetDouble());
            }
            double? lc = root.TryGetProperty("logicCellsPerMaxLutFf", out var l) ? l.GetDouble() : null;
            double? lcOffset = root.TryGetProperty("logicCellsOffset", out var off) ? off.GetDouble() : null;
            return new ResourceCoefficients(target, root.GetProperty("yosys").GetString()!, root.GetProperty("fitPoints").GetInt32(), resources)
            {
                LogicCellsPerMaxLutFf = lc,
                LogicCellsOffset = lcOffset,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException(source, $"not a resource-model coefficient file: {e.Message}");
        }
    }

    /// <summary>The coefficient of one count, for a person reading the model ("luts", "ternaryAdderBits").</summary>
    public double Of(string resource, string feature) => Resources[resource][feature];
}
