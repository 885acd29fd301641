using Bit1HW.Core.IO;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Models;
using Bit1HW.Energy.Reporting;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Tests;

public class ReportingTests
{
    private static IReadOnlyList<AnalyticResult> TwoResults() =>
    [
        AnalyticEnergyModel.Estimate(ModelArchitecture.Resolve("bitnet-b1.58-700m"), TechnologyNode.Resolve("7nm"), 512, false),
        AnalyticEnergyModel.Estimate(ModelArchitecture.Resolve("bitnet-b1.58-70b"), TechnologyNode.Resolve("7nm"), 512, false),
    ];

    [Theory]
    [InlineData(0.5, "500 fJ")]
    [InlineData(12.5, "12.5 pJ")]
    [InlineData(1500, "1.50 nJ")]
    [InlineData(2.5e6, "2.50 µJ")]
    [InlineData(123.4e9, "123 mJ")]
    [InlineData(3e12, "3.00 J")]
    public void Energies_print_with_an_si_prefix_and_three_digits(double picojoules, string text)
    {
        Assert.Equal(text, Units.Energy(picojoules));
    }

    [Fact]
    public void The_text_report_says_the_lm_head_is_excluded_and_gives_the_per_weight_ratio()
    {
        var w = new StringWriter();
        AnalyticText.Write(w, TwoResults());
        string text = w.ToString();
        Assert.Contains("NOT included in the totals", text);
        Assert.Contains("(0.34 + 0.16) / 0.007 = 71.4x", text);
        Assert.DoesNotContain("\r", text);
    }

    // Byte-stable means equal to the bytes a reviewed run wrote, not to a second call in this
    // process: the golden catches a changed key order, number format or line end across runs,
    // machines and .NET versions. Regenerate with BIT1HW_UPDATE_GOLDEN=1 after a deliberate change.
    [Fact]
    public void The_json_report_is_byte_for_byte_the_checked_in_golden()
    {
        string text = EnergyJson.Analytic([TwoResults()[0]]);
        string path = RepoPaths.Of("tests", "Bit1HW.Energy.Tests", "Golden", "analytic-700m-7nm.json");
        if (Environment.GetEnvironmentVariable("BIT1HW_UPDATE_GOLDEN") == "1") AtomicFile.WriteAllText(path, text);
        Assert.True(File.Exists(path), $"{path} is missing; run with BIT1HW_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), text);
    }
}
