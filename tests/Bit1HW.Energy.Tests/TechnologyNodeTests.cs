using Bit1HW.Core;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Tests;

public class TechnologyNodeTests
{
    private static TechnologyNode N45 => TechnologyNode.Resolve("45nm");
    private static TechnologyNode N7 => TechnologyNode.Resolve("7nm");

    [Fact]
    public void Fp16_mac_over_int8_add_is_71_4_at_7nm()
    {
        // (0.34 + 0.16) / 0.007 = 71.428..., the BitNet b1.58 paper's Table 2 figures.
        double ratio = AnalyticEnergyModel.PerMacRatio(N7);
        Assert.Equal(0.5 / 0.007, ratio, 9);
        Assert.Equal(71.4, Math.Round(ratio, 1));
    }

    [Fact]
    public void Fp16_mac_over_int8_add_is_50_at_45nm()
    {
        // (1.1 + 0.4) / 0.03 = 50 (Horowitz, ISSCC 2014).
        Assert.Equal(50.0, AnalyticEnergyModel.PerMacRatio(N45), 9);
    }

    [Theory]
    [InlineData("45nm", "add", "int", 8, 0.03)]
    [InlineData("45nm", "add", "int", 16, 0.05)]
    [InlineData("45nm", "add", "int", 32, 0.1)]
    [InlineData("45nm", "mul", "int", 8, 0.2)]
    [InlineData("45nm", "mul", "int", 32, 3.1)]
    [InlineData("45nm", "add", "fp", 16, 0.4)]
    [InlineData("45nm", "mul", "fp", 16, 1.1)]
    [InlineData("45nm", "add", "fp", 32, 0.9)]
    [InlineData("45nm", "mul", "fp", 32, 3.7)]
    [InlineData("7nm", "add", "fp", 32, 0.38)]
    [InlineData("7nm", "add", "fp", 16, 0.16)]
    [InlineData("7nm", "add", "int", 8, 0.007)]
    [InlineData("7nm", "mul", "fp", 32, 1.31)]
    [InlineData("7nm", "mul", "fp", 16, 0.34)]
    [InlineData("7nm", "mul", "int", 8, 0.07)]
    public void Shipped_tables_hold_the_published_arithmetic_energies(string node, string op, string format, int bits, double picojoules)
    {
        var n = TechnologyNode.Resolve(node);
        var entry = Assert.Single(n.Arithmetic, a => a.Op.ToString().Equals(op, StringComparison.OrdinalIgnoreCase)
            && a.Format.ToString().Equals(format, StringComparison.OrdinalIgnoreCase) && a.Bits == bits);
        Assert.Equal(picojoules, entry.Picojoules);
        Assert.False(string.IsNullOrWhiteSpace(entry.Source));
    }

    [Fact]
    public void The_register_entries_are_aladdins_flip_flop_and_at_7nm_scale_like_the_int8_add()
    {
        Assert.Equal(0.009, N45.Register!.PicojoulesPerBit);
        Assert.Contains("Aladdin", N45.Register.Source);
        Assert.Equal(0.009 * 0.007 / 0.03, N7.Register!.PicojoulesPerBit, 12);
        Assert.StartsWith("derived, not tabulated", N7.Register.Source);
    }

    [Fact]
    public void The_45nm_memory_table_is_horowitz_with_the_low_dram_figure()
    {
        Assert.Equal([(8192L, 10.0), (32768L, 20.0), (1048576L, 100.0)], N45.Sram.Select(s => (s.CapacityBytes, s.PicojoulesPer64Bits)));
        Assert.Equal(1300, N45.Dram.PicojoulesPer64Bits);
        Assert.Equal(1300, N45.Dram.RangeLowPer64Bits);
        Assert.Equal(2600, N45.Dram.RangeHighPer64Bits);
    }

    [Theory]
    [InlineData(8, 0.03)]        // table
    [InlineData(16, 0.05)]       // table
    [InlineData(32, 0.1)]        // table
    [InlineData(9, 0.0325)]      // 0.03 + 1 × (0.02 / 8)
    [InlineData(12, 0.04)]       // halfway between 8 and 16
    [InlineData(24, 0.075)]      // halfway between 16 and 32
    [InlineData(4, 0.02)]        // 0.03 − 4 × 0.0025, the 8–16 slope continued down
    [InlineData(1, 0.0125)]      // 0.03 − 7 × 0.0025
    [InlineData(64, 0.2)]        // 0.1 + 32 × (0.05 / 16), the 16–32 slope continued up
    public void An_adder_costs_linearly_in_its_width_between_and_beyond_the_45nm_table_points(int bits, double picojoules)
    {
        Assert.Equal(picojoules, N45.AddPicojoules(bits), 12);
    }

    [Fact]
    public void A_single_entry_operation_answers_only_its_own_width()
    {
        Assert.Equal(0.07, N7.IntPicojoules(ArithmeticOp.Mul, 8));
        var e = Assert.Throws<UserInputException>(() => N7.IntPicojoules(ArithmeticOp.Mul, 16));
        Assert.Contains("7nm", e.Message);
        Assert.Contains("mul", e.Message);
    }

    [Fact]
    public void The_smallest_sram_that_holds_a_memory_prices_it()
    {
        Assert.Equal(8192, N45.SramFor(1).CapacityBytes);
        Assert.Equal(8192, N45.SramFor(8192).CapacityBytes);
        Assert.Equal(32768, N45.SramFor(8193).CapacityBytes);
        Assert.Equal(1048576, N45.SramFor(5_000_000).CapacityBytes);
    }

    [Fact]
    public void An_unknown_node_name_is_a_user_error_naming_the_flag()
    {
        var e = Assert.Throws<UserInputException>(() => TechnologyNode.Resolve("3nm"));
        Assert.Contains("--node", e.Message);
        Assert.Contains("3nm", e.Message);
    }

    private const string GoodNode = """
        { "name": "t", "description": "test",
          "arithmetic": [ { "op": "add", "format": "int", "bits": 8, "picojoules": 0.5, "source": "s" } ],
          "sram": [ { "capacityBytes": 1024, "picojoulesPer64Bits": 6.4, "source": "s" } ],
          "dram": { "picojoulesPer64Bits": 640, "source": "s" } }
        """;

    [Fact]
    public void A_user_node_file_parses_and_prices_per_bit()
    {
        var n = TechnologyNode.Parse(GoodNode, "t.json");
        Assert.Equal(0.5, n.Int8AddPicojoules);
        Assert.Equal(0.1, n.Sram[0].PicojoulesPerBit, 12);
        Assert.Equal(10, n.Dram.PicojoulesPerBit, 12);
        Assert.Null(n.Register);
    }

    [Theory]
    [InlineData("\"picojoules\": 0.5, ", "", "arithmetic[0].picojoules", "missing")]
    [InlineData("\"picojoules\": 0.5", "\"picojoules\": -0.5", "arithmetic[0].picojoules", "positive")]
    [InlineData("\"picojoules\": 0.5", "\"picojoules\": 0", "arithmetic[0].picojoules", "positive")]
    [InlineData("\"picojoulesPer64Bits\": 640, ", "", "dram.picojoulesPer64Bits", "missing")]
    [InlineData("\"picojoulesPer64Bits\": 6.4", "\"picojoulesPer64Bits\": \"six\"", "sram[0].picojoulesPer64Bits", "number")]
    [InlineData("\"source\": \"s\" } ],\n  \"sram\"", "\"source\": \"\" } ],\n  \"sram\"", "arithmetic[0].source", "non-empty")]
    [InlineData("\"op\": \"add\"", "\"op\": \"sub\"", "arithmetic[0].op", "add or mul")]
    [InlineData("\"dram\": {", "\"register\": { \"picojoulesPerBit\": -1, \"source\": \"s\" }, \"dram\": {", "register.picojoulesPerBit", "positive")]
    [InlineData("\"dram\": {", "\"register\": { \"picojoulesPerBit\": 0.01 }, \"dram\": {", "register.source", "missing")]
    public void Missing_or_bad_energies_are_user_errors_naming_the_field(string find, string replace, string field, string problem)
    {
        string json = GoodNode.ReplaceLineEndings("\n");
        Assert.Contains(find, json);
        var e = Assert.Throws<UserInputException>(() => TechnologyNode.Parse(json.Replace(find, replace), "bad.json"));
        Assert.Contains($"bad.json: field '{field}'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_node_without_the_fp16_entries_says_which_entry_the_estimate_needs()
    {
        var n = TechnologyNode.Parse(GoodNode, "t.json");
        var e = Assert.Throws<UserInputException>(() => n.Fp16MacPicojoules);
        Assert.Contains("FP16 mul", e.Message);
    }
}
