using System.Diagnostics;
using System.Globalization;
using Bit1HW.Core.IO;

namespace Bit1HW.Energy.Analytic;

/// <summary>
/// One energy figure as a paper printed it (<c>Data/published/figures.json</c>): a datapath's
/// multiplies, adds or total in joules per sequence, or a ratio. <see cref="Decimals"/> is how many
/// decimals were printed, so that a value printed as 0.02 is read as anything that rounds to it.
/// </summary>
public sealed record PublishedFigure(string Id, string Source, string Model, string Node, int Tokens, string Quantity,
    double Value, int Decimals, bool Reproduced, string? Note)
{
    /// <summary>Relative tolerance of a reproduction.</summary>
    public const double RelativeTolerance = 0.05;

    public string Unit => Quantity.Contains("-over-", StringComparison.Ordinal) ? "x" : "J";

    /// <summary>Our value of this figure's quantity, in its unit (J or a ratio).</summary>
    public double Ours(PaperResult r) => Quantity switch
    {
        "fp16-over-bitnet" => r.Fp16OverBitNet,
        "linear-fp16-over-bitnet-add" => r.LinearFp16OverBitNetAdd,
        _ => Part(Datapath(r), Quantity[(Quantity.IndexOf('-') + 1)..]) / 1e12,
    };

    /// <summary>Within 5 %, or rounding to the printed value (half a unit of its last decimal).</summary>
    public bool Matches(double ours)
    {
        double halfUnit = 0.5 * Math.Pow(10, -Decimals);
        double diff = Math.Abs(ours - Value);
        return diff <= RelativeTolerance * Math.Abs(Value) || diff <= halfUnit * (1 + 1e-9);
    }

    private PaperDatapath Datapath(PaperResult r) => Quantity[..Quantity.IndexOf('-')] switch
    {
        "bitnet" => r.BitNet,
        "fp16" => r.Fp16,
        "fp32" => r.Fp32 ?? throw new InvalidOperationException($"{Id}: node {r.Node.Name} has no FP32 entries"),
        _ => throw new UnreachableException(Quantity),
    };

    private static double Part(PaperDatapath d, string part) => part switch
    {
        "mul" => d.MulPicojoules,
        "add" => d.AddPicojoules,
        "total" => d.TotalPicojoules,
        _ => throw new UnreachableException(part),
    };

    private static readonly string[] Quantities =
    [
        "bitnet-mul", "bitnet-add", "bitnet-total", "fp16-mul", "fp16-add", "fp16-total", "fp32-mul", "fp32-add", "fp32-total",
        "fp16-over-bitnet", "linear-fp16-over-bitnet-add",
    ];

    /// <summary>The shipped figures, in file order.</summary>
    public static IReadOnlyList<PublishedFigure> All { get; } = Load(EmbeddedData.Read("published/figures.json"), "figures.json");

    internal static IReadOnlyList<PublishedFigure> Load(string json, string source)
    {
        var list = new List<PublishedFigure>();
        foreach (JsonFields f in JsonFields.Root(json, source).RequireObjectArray("figures"))
        {
            string quantity = f.RequireString("quantity");
            if (!Quantities.Contains(quantity)) throw f.Error("quantity", $"'{quantity}' is not one of {string.Join(", ", Quantities)}");
            string raw = f.Element.GetProperty("value").GetRawText();
            int dot = raw.IndexOf('.');
            list.Add(new PublishedFigure(f.RequireString("id"), f.RequireString("source"), f.RequireString("model"), f.RequireString("node"),
                (int)f.RequireCount("tokens", min: 1, max: int.MaxValue), quantity, f.RequirePositive("value"),
                dot < 0 ? 0 : raw.Length - dot - 1, f.OptionalBool("reproduced", true), f.OptionalString("note")));
        }
        return list;
    }

    /// <summary>A value in this figure's unit: ratios to one decimal as the papers print them, joules to four significant digits.</summary>
    public string Format(double v) => Unit == "x"
        ? v.ToString("F1", CultureInfo.InvariantCulture) + "x"
        : v.ToString("G4", CultureInfo.InvariantCulture) + " J";

    /// <summary>The value as printed in the paper.</summary>
    public string Printed => Value.ToString("F" + Decimals, CultureInfo.InvariantCulture) + (Unit == "x" ? "x" : " J");
}
