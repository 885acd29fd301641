using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using ScottPlot;

namespace Bit1HW.Energy.Reporting;

/// <summary>
/// What every Bit1HW chart shares: rendered in process by ScottPlot (SkiaSharp) to PNG or SVG, in
/// DejaVu Sans when the system has it (Debian's fonts-dejavu-core, which <c>make setup</c> installs:
/// the same font file gives the same pixels), and a logarithmic axis that spans only the decades
/// the data occupy.
/// </summary>
public static partial class ChartFile
{
    private const string FontName = "DejaVu Sans";
    private static readonly string[] FontFiles =
        ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"];
    private static readonly Lock FontLock = new();
    private static bool _fontLoaded, _fontFound;

    /// <summary>A new plot in the chart font, with a white background.</summary>
    public static Plot NewPlot()
    {
        lock (FontLock)
        {
            if (!_fontLoaded && FontFiles.FirstOrDefault(File.Exists) is { } file)
            {
                Fonts.AddFontFile(FontName, file);
                _fontFound = true;
            }
            _fontLoaded = true;
        }
        var plot = new Plot();
        if (_fontFound) plot.Font.Set(FontName);
        plot.FigureBackground.Color = Colors.White;
        return plot;
    }

    /// <summary>Throws the user error for a chart path that is neither .png nor .svg (before any work).</summary>
    public static void CheckPath(string path, string flag)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not ".png" and not ".svg")
            throw new UserInputException(flag, $"{path}: a chart is written as .png or .svg, by the file's extension");
    }

    /// <summary>Writes the plot atomically as PNG or SVG, chosen by the extension.</summary>
    public static void Save(Plot plot, string path, int widthPixels, int heightPixels, string flag)
    {
        CheckPath(path, flag);
        if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase))
            AtomicFile.WriteAllText(path, Svg(plot, widthPixels, heightPixels));
        else
        {
            byte[] png = plot.GetImageBytes(widthPixels, heightPixels, ImageFormat.Png);
            AtomicFile.Write(path, s => s.Write(png));
        }
    }

    /// <summary>
    /// The plot as an SVG document with "\n" line ends. SkiaSharp numbers clip paths from a
    /// process-wide counter; they are renumbered 1, 2, … in order of appearance so the text depends
    /// on the plot alone.
    /// </summary>
    public static string Svg(Plot plot, int widthPixels, int heightPixels)
    {
        string svg = plot.GetSvgXml(widthPixels, heightPixels).ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Groups[2].Value, out string? id)) ids[m.Groups[2].Value] = id = (ids.Count + 1).ToString(CultureInfo.InvariantCulture);
            return m.Groups[1].Value + id;
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"((?:id=""|url\(#)cl_)([0-9a-f]+)")]
    private static partial System.Text.RegularExpressions.Regex ClipId();

    /// <summary>
    /// Plots log10 values on <paramref name="axis"/> and labels it from the decade below the smallest
    /// value to the decade above the largest, no further: a major tick and label per decade, minor
    /// ticks at 2..9 times each. <paramref name="label"/> turns a value (not its logarithm) into text.
    /// </summary>
    public static void LogAxis(IAxis axis, double minValue, double maxValue, Func<double, string> label)
    {
        int lo = (int)Math.Floor(Math.Log10(minValue)), hi = (int)Math.Ceiling(Math.Log10(maxValue));
        if (hi == lo) hi++;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int d = lo; d <= hi; d++)
        {
            ticks.AddMajor(d, label(Math.Pow(10, d)));
            if (d < hi)
                for (int m = 2; m <= 9; m++) ticks.AddMinor(d + Math.Log10(m));
        }
        axis.TickGenerator = ticks;
        axis.Min = lo;
        axis.Max = hi;
    }

    /// <summary>A decade as energy text: 1 µJ, 10 µJ, 100 µJ, 1 mJ (picojoules in).</summary>
    public static string DecadeEnergy(double picojoules)
    {
        (double Scale, string Unit)[] units = [(1e12, "J"), (1e9, "mJ"), (1e6, "µJ"), (1e3, "nJ"), (1, "pJ")];
        foreach (var (scale, unit) in units)
            if (picojoules >= scale * 0.999) return (picojoules / scale).ToString("0.###", CultureInfo.InvariantCulture) + " " + unit;
        return picojoules.ToString("G3", CultureInfo.InvariantCulture) + " pJ";
    }
}
