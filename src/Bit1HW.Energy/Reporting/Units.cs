using System.Globalization;

namespace Bit1HW.Energy.Reporting;

/// <summary>Human-readable numbers for the text and HTML reports (invariant culture, 3 significant digits).</summary>
public static class Units
{
    private static readonly (double Scale, string Unit)[] EnergyUnits =
        [(1e12, "J"), (1e9, "mJ"), (1e6, "µJ"), (1e3, "nJ"), (1, "pJ"), (1e-3, "fJ")];

    /// <summary>An energy given in picojoules, e.g. <c>1.23 µJ</c>.</summary>
    public static string Energy(double picojoules)
    {
        if (picojoules == 0) return "0 pJ";
        foreach (var (scale, unit) in EnergyUnits)
            if (Math.Abs(picojoules) >= scale) return $"{Sig3(picojoules / scale)} {unit}";
        return $"{Sig3(picojoules / 1e-3)} fJ";
    }

    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        int i = 0;
        while (Math.Abs(bytes) >= 1024 && i < units.Length - 1) { bytes /= 1024; i++; }
        return $"{Sig3(bytes)} {units[i]}";
    }

    public static string Count(double n) =>
        n >= 1e9 ? $"{Sig3(n / 1e9)}B" : n >= 1e6 ? $"{Sig3(n / 1e6)}M" : n >= 1e3 ? $"{Sig3(n / 1e3)}K" : Sig3(n);

    /// <summary>Three significant digits without exponent: 1.23, 12.3, 123, 1234.</summary>
    public static string Sig3(double v)
    {
        double a = Math.Abs(v);
        string f = a >= 100 ? "F0" : a >= 10 ? "F1" : a >= 1 ? "F2" : "G3";
        return v.ToString(f, CultureInfo.InvariantCulture);
    }

    public static string Ratio(double r) => $"{r.ToString("F1", CultureInfo.InvariantCulture)}x";

    public static string Percent(double share) => $"{(share * 100).ToString("F1", CultureInfo.InvariantCulture)}%";
}
