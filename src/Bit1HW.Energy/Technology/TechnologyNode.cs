using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.IO;

namespace Bit1HW.Energy.Technology;

/// <summary>Integer or floating-point arithmetic.</summary>
public enum NumberFormat { Int, Fp }

/// <summary>Addition or multiplication.</summary>
public enum ArithmeticOp { Add, Mul }

/// <summary>One tabulated arithmetic energy with its source.</summary>
public sealed record ArithmeticEnergy(ArithmeticOp Op, NumberFormat Format, int Bits, double Picojoules, string Source);

/// <summary>One tabulated SRAM access energy (per 64 bits) for a capacity, with its source.</summary>
public sealed record SramEnergy(long CapacityBytes, double PicojoulesPer64Bits, string Source)
{
    public double PicojoulesPerBit => PicojoulesPer64Bits / 64.0;
}

/// <summary>The DRAM access energy (per 64 bits) used, the published range and the source.</summary>
public sealed record DramEnergy(double PicojoulesPer64Bits, double? RangeLowPer64Bits, double? RangeHighPer64Bits, string Source)
{
    public double PicojoulesPerBit => PicojoulesPer64Bits / 64.0;
}

/// <summary>Energy of loading one bit into a register (a flip-flop write), with its source.</summary>
public sealed record RegisterEnergy(double PicojoulesPerBit, string Source);

/// <summary>
/// One technology node's energy table, loaded from a JSON data file (docs/energy.md, "Technology
/// tables"): every number carries its source. Shipped nodes are embedded resources; a user file is
/// read from disk. Widths that the table does not list are interpolated by <see cref="AddPicojoules"/>.
/// </summary>
public sealed record TechnologyNode(
    string Name,
    string Description,
    IReadOnlyList<ArithmeticEnergy> Arithmetic,
    IReadOnlyList<SramEnergy> Sram,
    DramEnergy Dram,
    RegisterEnergy? Register = null)
{
    public static IReadOnlyList<string> ShippedNames { get; } = ["45nm", "7nm"];

    /// <summary>
    /// Largest energy an entry may give, in pJ per operation or per 64 bits: 1 µJ, about 400× the
    /// dearest entry shipped (DRAM at 45 nm, 2.6 nJ per 64 bits). It keeps every total finite: counts
    /// are at most 2^53 (<see cref="JsonFields.MaxCount"/>), so no product exceeds 10^22 pJ.
    /// </summary>
    public const double MaxPicojoules = 1e6;

    /// <summary>The JSON text of a shipped node table (<see cref="ShippedNames"/>), e.g. as a template for your own.</summary>
    public static string ShippedJson(string name) =>
        ShippedNames.Contains(name) ? EmbeddedData.Read($"nodes/{name}.json") : throw new ArgumentOutOfRangeException(nameof(name), name, "not a shipped node");

    /// <summary>A shipped node by name (<c>7nm</c>, <c>45nm</c>) or a path to a node JSON file.</summary>
    public static TechnologyNode Resolve(string nameOrPath)
    {
        if (ShippedNames.Contains(nameOrPath)) return Parse(EmbeddedData.Read($"nodes/{nameOrPath}.json"), $"{nameOrPath}.json");
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return FromFields(JsonFields.File(nameOrPath, "node file"));
        }
        throw new UserInputException("--node", $"unknown node '{nameOrPath}': use {string.Join(", ", ShippedNames)} or a path to a node .json file");
    }

    public static TechnologyNode Parse(string json, string source) => FromFields(JsonFields.Root(json, source));

    private static TechnologyNode FromFields(JsonFields root)
    {
        var arithmetic = new List<ArithmeticEnergy>();
        foreach (JsonFields e in root.RequireObjectArray("arithmetic"))
        {
            ArithmeticOp op = e.RequireString("op") switch
            {
                "add" => ArithmeticOp.Add,
                "mul" => ArithmeticOp.Mul,
                string s => throw e.Error("op", $"'{s}' must be add or mul"),
            };
            NumberFormat format = e.RequireString("format") switch
            {
                "int" => NumberFormat.Int,
                "fp" => NumberFormat.Fp,
                string s => throw e.Error("format", $"'{s}' must be int or fp"),
            };
            int bits = (int)e.RequireCount("bits", min: 1, max: 128);
            if (arithmetic.Any(a => a.Op == op && a.Format == format && a.Bits == bits))
                throw e.Error("bits", $"a second {Describe(op, format, bits)} entry");
            arithmetic.Add(new ArithmeticEnergy(op, format, bits, e.RequirePositive("picojoules", MaxPicojoules), e.RequireString("source")));
        }
        var sram = root.RequireObjectArray("sram")
            .Select(e => new SramEnergy(e.RequireCount("capacityBytes", min: 1), e.RequirePositive("picojoulesPer64Bits", MaxPicojoules), e.RequireString("source")))
            .OrderBy(s => s.CapacityBytes).ToList();
        if (sram.Count == 0) throw root.Error("sram", "needs at least one entry");
        JsonFields d = root.RequireObject("dram");
        double? lo = null, hi = null;
        if (d.Has("rangePicojoulesPer64Bits"))
        {
            var r = d.Element.GetProperty("rangePicojoulesPer64Bits");
            if (r.ValueKind != System.Text.Json.JsonValueKind.Array || r.GetArrayLength() != 2
                || r[0].ValueKind != System.Text.Json.JsonValueKind.Number || r[1].ValueKind != System.Text.Json.JsonValueKind.Number
                || r[0].GetDouble() <= 0 || r[1].GetDouble() < r[0].GetDouble() || r[1].GetDouble() > MaxPicojoules)
                throw d.Error("rangePicojoulesPer64Bits", $"must be [low, high] with 0 < low <= high, at most {MaxPicojoules:0} pJ");
            lo = r[0].GetDouble();
            hi = r[1].GetDouble();
        }
        var dram = new DramEnergy(d.RequirePositive("picojoulesPer64Bits", MaxPicojoules), lo, hi, d.RequireString("source"));
        // Optional, so that node files written before registers were priced still load (their register writes stay unpriced).
        JsonFields? g = root.OptionalObject("register");
        RegisterEnergy? register = g is JsonFields reg
            ? new RegisterEnergy(reg.RequirePositive("picojoulesPerBit", MaxPicojoules), reg.RequireString("source"))
            : null;
        return new TechnologyNode(root.RequireString("name"), root.RequireString("description"), arithmetic, sram, dram, register);
    }

    public static string Describe(ArithmeticOp op, NumberFormat format, int bits) =>
        string.Create(CultureInfo.InvariantCulture, $"{(format == NumberFormat.Int ? "INT" : "FP")}{bits} {(op == ArithmeticOp.Add ? "add" : "mul")}");

    /// <summary>The tabulated energy of exactly this operation, or a user error naming what the node lacks.</summary>
    public double Exact(ArithmeticOp op, NumberFormat format, int bits) =>
        Arithmetic.FirstOrDefault(a => a.Op == op && a.Format == format && a.Bits == bits)?.Picojoules
        ?? throw new UserInputException($"node '{Name}'", $"has no {Describe(op, format, bits)} entry, which this estimate needs");

    /// <summary>
    /// Energy of an integer operation of any width. The energy of an adder (and, as a rough stand-in,
    /// of a multiplier) is taken as piecewise linear in its width between the tabulated widths; below
    /// the narrowest entry it continues the slope of the first segment (for 45 nm: 0.03 pJ at 8 bits,
    /// 0.0025 pJ per bit less for each bit below), above the widest the slope of the last segment. A
    /// node with a single entry for the operation only answers that exact width.
    /// </summary>
    public double IntPicojoules(ArithmeticOp op, int bits)
    {
        if (bits < 1) throw new ArgumentOutOfRangeException(nameof(bits), bits, ">= 1");
        var points = Arithmetic.Where(a => a.Op == op && a.Format == NumberFormat.Int).OrderBy(a => a.Bits).ToList();
        var exact = points.FirstOrDefault(p => p.Bits == bits);
        if (exact is not null) return exact.Picojoules;
        if (points.Count < 2)
            throw new UserInputException($"node '{Name}'",
                $"needs at least two INT {(op == ArithmeticOp.Add ? "add" : "mul")} entries to estimate a {bits}-bit one");
        int seg = 0;
        while (seg < points.Count - 2 && bits > points[seg + 1].Bits) seg++;
        ArithmeticEnergy a0 = points[seg], a1 = points[seg + 1];
        double slope = (a1.Picojoules - a0.Picojoules) / (a1.Bits - a0.Bits);
        double e = a0.Picojoules + slope * (bits - a0.Bits);
        if (e <= 0)
            throw new UserInputException($"node '{Name}'", $"extrapolating its INT entries gives {e.ToString(CultureInfo.InvariantCulture)} pJ for a {bits}-bit operation; add an entry for a narrower width");
        return e;
    }

    public double AddPicojoules(int bits) => IntPicojoules(ArithmeticOp.Add, bits);

    /// <summary>An FP16 multiply-accumulate: one FP16 multiply and one FP16 add.</summary>
    public double Fp16MacPicojoules => Exact(ArithmeticOp.Mul, NumberFormat.Fp, 16) + Exact(ArithmeticOp.Add, NumberFormat.Fp, 16);

    public double Int8AddPicojoules => Exact(ArithmeticOp.Add, NumberFormat.Int, 8);

    /// <summary>The smallest tabulated SRAM that holds <paramref name="bytes"/>, or the largest one.</summary>
    public SramEnergy SramFor(long bytes) => Sram.FirstOrDefault(s => s.CapacityBytes >= bytes) ?? Sram[^1];

    public SramEnergy LargestSram => Sram[^1];
}
