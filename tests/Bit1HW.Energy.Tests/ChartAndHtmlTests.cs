using System.Text.RegularExpressions;
using Bit1HW.Core;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Models;
using Bit1HW.Energy.Reporting;
using Bit1HW.Energy.Technology;
using ScottPlot;

namespace Bit1HW.Energy.Tests;

public class ChartAndHtmlTests
{
    private static readonly string[] Models = ["bitnet-b1.58-700m", "bitnet-b1.58-2b-4t", "bitnet-b1.58-70b"];

    private static List<AnalyticResult> Results(params string[] nodes) =>
        [.. nodes.SelectMany(n => Models.Select(m => AnalyticEnergyModel.Estimate(ModelArchitecture.Resolve(m), TechnologyNode.Resolve(n), 512, false)))];

    private static List<ScottPlot.Plottables.Scatter> Lines(Plot plot) => [.. plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>()];

    [Fact]
    public void The_chart_draws_arithmetic_and_the_whole_token_with_memory_for_both_datapaths()
    {
        var results = Results("7nm");
        var lines = Lines(EnergyChart.Build(results));
        Assert.Equal(4, lines.Count);
        AnalyticResult twoB = results[1];
        double Point(string legend) => Math.Pow(10, lines.Single(l => l.LegendText == legend).Data.GetScatterPoints()[1].Y);
        double sram = twoB.Memory.Single(m => m.Label == "1.58-bit").SramPicojoules;
        // 2B-4T at 7 nm: about 34 µJ of arithmetic against 5.14 mJ of 1.58-bit weight reads from SRAM.
        Assert.Equal(twoB.BitNetPicojoulesPerToken, Point("BitNet: arithmetic only"), 1e-6 * twoB.BitNetPicojoulesPerToken);
        EnergyParts bitnet = twoB.Parts(bitnet: true), fp16 = twoB.Parts(bitnet: false);
        Assert.Equal(bitnet.TotalPicojoules, Point("BitNet: whole token (arithmetic, registers, KV cache, 1.58-bit weights from SRAM)"), 1e-6 * bitnet.TotalPicojoules);
        Assert.True(bitnet.TotalPicojoules >= twoB.BitNetPicojoulesPerToken + sram);
        Assert.True(sram > 100 * twoB.BitNetPicojoulesPerToken);
        Assert.Equal(fp16.TotalPicojoules, Point("FP16: whole token (arithmetic, registers, KV cache, FP16 weights from SRAM)"), 1e-6 * fp16.TotalPicojoules);
    }

    [Fact]
    public void The_energy_axis_spans_the_decades_of_the_data_and_two_empty_ones_for_the_legend_and_every_model_is_named_once()
    {
        var results = Results("7nm");
        Plot plot = EnergyChart.Build(results);
        var ys = Lines(plot).SelectMany(l => l.Data.GetScatterPoints()).Select(p => p.Y).ToList();
        Assert.Equal(Math.Floor(ys.Min()), plot.Axes.Left.Min);
        Assert.Equal(Math.Ceiling(ys.Max()) + 2, plot.Axes.Left.Max);   // the legend sits inside, top left
        plot.RenderInMemory(EnergyChart.WidthPixels, EnergyChart.HeightPixels);
        var major = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).ToList();
        Assert.Equal([0.0, 1.0, 2.0], major.Select(t => t.Position));
        Assert.Equal(["BitNet b1.58 700M (778M)", "BitNet b1.58 2B-4T (2.41B)", "BitNet b1.58 70B (69.0B)"], major.Select(t => t.Label));
        var decades = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToList();
        Assert.Equal(decades.Distinct().Count(), decades.Count);
        Assert.Contains("1 mJ", decades);
    }

    [Fact]
    public void The_subtitle_states_both_ratios_so_the_picture_alone_does_not_overstate_the_advantage()
    {
        string title = EnergyChart.Build(Results("7nm")).Axes.Title.Label.Text;
        Match m = Regex.Match(title, @"arithmetic alone ([\d.]+)x(?: to [\d.]+x)?, whole token with weights from SRAM (?:[\d.]+x to )?([\d.]+)x");
        Assert.True(m.Success, title);
        double lowestArithmetic = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double highestWithSram = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(highestWithSram < lowestArithmetic, title);
        Assert.Contains("both node tables price SRAM", EnergyChart.Build(Results("45nm", "7nm")).Axes.Title.Label.Text);
    }

    [Fact]
    public void Png_and_svg_renders_are_byte_stable_and_a_wrong_extension_is_a_user_error()
    {
        var results = Results("45nm", "7nm");
        byte[] a = EnergyChart.Build(results).GetImageBytes(EnergyChart.WidthPixels, EnergyChart.HeightPixels, ImageFormat.Png);
        byte[] b = EnergyChart.Build(results).GetImageBytes(EnergyChart.WidthPixels, EnergyChart.HeightPixels, ImageFormat.Png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], a[..4]);
        Assert.Equal(a, b);
        string svg = ChartFile.Svg(EnergyChart.Build(results), EnergyChart.WidthPixels, EnergyChart.HeightPixels);
        Assert.Equal(svg, ChartFile.Svg(EnergyChart.Build(results), EnergyChart.WidthPixels, EnergyChart.HeightPixels));
        Assert.Contains("<svg", svg);
        var e = Assert.Throws<UserInputException>(() => ChartFile.CheckPath("chart.jpg", "--chart"));
        Assert.Contains("--chart", e.Message);
    }

    [Fact]
    public void The_html_report_has_real_tables_with_one_number_per_cell_and_no_preformatted_text()
    {
        var results = Results("7nm");
        string svg = ChartFile.Svg(EnergyChart.Build(results), EnergyChart.WidthPixels, EnergyChart.HeightPixels);
        string html = HtmlReport.Build(results, svg);
        Assert.DoesNotContain("<pre>", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<?xml", html);
        Assert.True(Regex.Matches(html, "<table>").Count >= 5, "three report tables and two source tables");
        Assert.Contains("<td>bitnet-b1.58-2b-4t</td><td>7nm</td>", html);
        Assert.Contains($"<td class=\"num\">{Units.Energy(results[1].Memory.Single(m => m.Label == "1.58-bit").SramPicojoules)}</td>", html);
        Assert.DoesNotContain(" | ", html);
        Assert.Contains("Horowitz, ISSCC 2014", html);
        Assert.DoesNotContain("\r", html);
    }
}
