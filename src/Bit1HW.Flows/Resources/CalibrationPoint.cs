using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Resources;

/// <summary>The cell counts yosys measured for one configuration (the board design, flattened); on iCE40,
/// for a placed point, nextpnr's logic cells.</summary>
public sealed record MeasuredResources(int Luts, int Ffs, int Carry, int Brams, int Sprams, int Dsps, int? LogicCells = null);

/// <summary>One row of a calibration file: a configuration, whether it is fitted or held out, and what yosys measured.</summary>
public sealed record CalibrationPoint(string Name, bool HeldOut, HardwareConfig Config, AccumulatorKind Accumulators, MeasuredResources Measured)
{
    public RtlVariant Variant(SynthTarget target) =>
        new(target == SynthTarget.Ice40Up5k ? RtlTarget.Ice40Up5k : RtlTarget.Generic, Accumulators);
}

/// <summary>A calibration file: the yosys that measured it and its points.</summary>
public sealed record CalibrationData(string Yosys, IReadOnlyList<CalibrationPoint> Points);

/// <summary>
/// Reads docs/resource-model/&lt;target&gt;.csv (written by docs/resource-model/measure.sh): a first
/// line <c># yosys: VERSION</c>, a header line, then one point per line. A malformed file is a
/// one-line user error naming the line and the column.
/// </summary>
public static class CalibrationFile
{
    public const string Header = "name,set,lanes,rows,actBits,pipeEvery,pe,weightDepth,actDepth,outDepth,instrDepth,maxK,accumulators,stream," +
        "luts,ffs,carry,brams,sprams,dsps,arrayLuts,arrayFfs,logicCells";

    private static readonly string[] Columns = Header.Split(',');

    private const string YosysPrefix = "# yosys: ";

    public static CalibrationData Read(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : throw new UserInputException(path, "no such calibration file");

    public static CalibrationData Parse(string text, string source)
    {
        string[] lines = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        if (!lines[0].StartsWith(YosysPrefix, StringComparison.Ordinal))
            throw new UserInputException($"{source}: line 1", $"must be '{YosysPrefix}VERSION' (the yosys that measured the points)");
        if (lines.Length < 2 || lines[1] != Header)
            throw new UserInputException($"{source}: line 2", $"the header must be exactly '{Header}'");
        var points = new List<CalibrationPoint>();
        for (int i = 2; i < lines.Length; i++) points.Add(Row(lines[i].Split(','), $"{source}: line {i + 1}"));
        return new CalibrationData(lines[0][YosysPrefix.Length..], points);
    }

    private static CalibrationPoint Row(string[] f, string where)
    {
        if (f.Length != Columns.Length)
            throw new UserInputException(where, $"{f.Length} columns; the header has {Columns.Length}");
        int Int(int i) => int.TryParse(f[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new UserInputException($"{where}, column '{Columns[i]}'", $"'{f[i]}' is not an integer");
        bool heldOut = f[1] switch
        {
            "fit" => false,
            "held-out" => true,
            _ => throw new UserInputException($"{where}, column 'set'", $"'{f[1]}' is not fit or held-out"),
        };
        var pe = f[6] switch
        {
            "ternary" => PeKind.Ternary,
            "mac" => PeKind.Mac,
            _ => throw new UserInputException($"{where}, column 'pe'", $"'{f[6]}' is not ternary or mac"),
        };
        var cfg = new HardwareConfig
        {
            Lanes = Int(2), Rows = Int(3), ActBits = Int(4), PipeEvery = Int(5), Pe = pe, WeightDepth = Int(7),
            ActDepth = Int(8), OutDepth = Int(9), InstrDepth = Int(10), MaxK = Int(11), Stream = Stream(f[13], $"{where}, column 'stream'"),
        }.Validate(where);
        var acc = RtlVariant.ParseAccumulators(f[12], $"{where}, column 'accumulators'");
        int? logicCells = f[22].Length == 0 ? null : Int(22);
        return new CalibrationPoint(f[0], heldOut, cfg, acc, new MeasuredResources(Int(14), Int(15), Int(16), Int(17), Int(18), Int(19), logicCells));
    }

    /// <summary>"none", or axiDataBits:axiAddrBits:burstBeats:maxOutstanding:packing.</summary>
    private static StreamConfig? Stream(string s, string where)
    {
        if (s == "none") return null;
        string[] f = s.Split(':');
        int[] n = f.Length == 5 ? f[..4].Select(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : -1).ToArray() : [];
        if (n.Length != 4 || n.Any(v => v < 0) || f[4] is not ("2bit" or "base3"))
            throw new UserInputException(where, $"'{s}' is not none or axiDataBits:axiAddrBits:burstBeats:maxOutstanding:2bit|base3");
        return new StreamConfig
        {
            AxiDataBits = n[0], AxiAddrBits = n[1], BurstBeats = n[2], MaxOutstanding = n[3],
            Packing = f[4] == "2bit" ? WeightPacking.TwoBit : WeightPacking.Base3,
        };
    }
}
