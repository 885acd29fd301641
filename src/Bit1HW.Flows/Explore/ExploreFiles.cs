using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Explore;

/// <summary>
/// The exploration's tables: points.csv and front.csv (one row per point, the same columns), and
/// points.json (the request, then every point). Byte-stable: points in enumeration order, numbers
/// in the invariant culture (doubles to 6 significant digits in CSV, shortest round-trip in JSON),
/// "\n" line ends, no paths or times. Empty CSV cells mean "not applicable" (a pruned point has no
/// projection; a point not synthesized no measurement).
/// </summary>
public static class ExploreFiles
{
    public static readonly string[] Columns =
    [
        "index", "name", "tag", "pe", "lanes", "rows", "actBits", "pipeEvery", "weightDepth", "actDepth", "outDepth", "instrDepth", "maxK",
        "axiDataBits", "packing", "predLuts", "predFfs", "predCarry", "predBrams", "predSprams", "predDsps", "predLogicCells",
        "prunedBy", "cyclesPerToken", "computeCycles", "stallCycles", "hostCycles", "bytesPerToken", "tokensPerSecond", "bound",
        "joulesPerToken", "onFront", "synthesized", "measLuts", "measFfs", "measBrams", "measSprams", "measDsps", "measLogicCells",
        "measExceeds", "fmaxMhz", "tokensPerSecondAtFmax", "lutErrorPercent",
    ];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Csv(IEnumerable<ExplorePoint> points, ExploreRequest request)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns)).Append('\n');
        foreach (ExplorePoint p in points) sb.Append(string.Join(',', Row(p, request).Select(Cell))).Append('\n');
        return sb.ToString();
    }

    private static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("G6", Inv),
        bool b => b ? "1" : "0",
        int i => i.ToString(Inv),
        long l => l.ToString(Inv),
        string s => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s,
        _ => throw new System.Diagnostics.UnreachableException(v.GetType().Name),
    };

    private static object?[] Row(ExplorePoint p, ExploreRequest request)
    {
        HardwareConfig c = p.Config;
        var e = p.Predicted;
        TokenProjection? t = p.Projection;
        SynthReport? m = p.Measured;
        return
        [
            p.Index, p.Name, c.Tag, c.Pe == PeKind.Ternary ? "ternary" : "mac", c.Lanes, c.Rows, c.ActBits, c.PipeEvery, c.WeightDepth, c.ActDepth,
            c.OutDepth, c.InstrDepth, c.MaxK, c.Stream?.AxiDataBits, Packing(c), e.Luts, e.Ffs, e.Carry, e.Brams, e.Sprams, e.Dsps,
            e.LogicCells, p.PrunedBy, t?.CyclesPerToken, t?.ComputeCycles, t?.StallCycles, t?.HostCycles, t?.BytesPerToken,
            t?.TokensPerSecond, t is null ? null : Bound(t.Bound), t?.JoulesPerToken, t is null ? null : p.OnFront, m is not null, m?.Design.Luts, m?.Design.Ffs,
            m?.Design.Brams, m?.Design.Sprams, m?.Design.Dsps, m?.Pnr?.LogicCells, p.MeasuredExceeds(request.Budget), m?.FmaxMhz,
            p.TokensPerSecondAtFmax(request.Memory.ClockMhz),
            LutError(p),
        ];
    }

    public static string Bound(ProjectionBound b) => b switch
    {
        ProjectionBound.Engine => "engine",
        ProjectionBound.Memory => "memory",
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    private static string? Packing(HardwareConfig c) => c.Stream?.Packing switch
    {
        null => null,
        WeightPacking.TwoBit => "2bit",
        WeightPacking.Base3 => "base3",
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>(predicted − measured) ÷ measured LUTs, in percent, for a synthesized point.</summary>
    public static double? LutError(ExplorePoint p) =>
        p.Measured is { } m && m.Design.Luts > 0 ? Math.Round(100.0 * (p.Predicted.Luts - m.Design.Luts) / m.Design.Luts, 2) : null;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>points.json: what was asked and every point, each with the same fields as the CSV's columns.</summary>
    public static string Json(ExploreResult r) => JsonSerializer.Serialize(Document(r), JsonOptions).ReplaceLineEndings("\n") + "\n";

    /// <summary>The document of <see cref="Json"/> as an object (the CLI's --json prints it).</summary>
    public static object Document(ExploreResult r)
    {
        ExploreRequest q = r.Request;
        return new
        {
            model = q.Model.Name, weightsPerToken = q.Model.WeightsPerToken, target = SynthTargets.Name(q.Target),
            budget = new { q.Budget.Luts, q.Budget.Ffs, q.Budget.Brams, q.Budget.Sprams, q.Budget.Dsps },
            clockMhz = q.Memory.ClockMhz, bandwidthGbs = q.Memory.BandwidthGbs, latencyNs = q.Memory.LatencyNs, node = q.Node.Name,
            configurations = r.Points.Count, skipped = r.Skipped, withinBudget = r.Points.Count(p => p.Projection is not null),
            onFront = r.Points.Count(p => p.OnFront), synthesized = r.Points.Count(p => p.Measured is not null),
            points = r.Points.Select(p => Columns.Zip(Row(p, q)).ToDictionary(kv => kv.First, kv => kv.Second)),
        };
    }
}
