using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Models;
using Bit1HW.Energy.Simulation;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Tests;

/// <summary>Model configs, node tables and simulator reports: limits, strict JSON, no arithmetic overflow (issue 13).</summary>
public class StrictEnergyInputTests
{
    private const string Shape = """
        { "hidden_size": 4, "intermediate_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
          "num_key_value_heads": 1, "vocab_size": 10 }
        """;

    private static string ErrorOf(Action parse) => Assert.Throws<UserInputException>(parse).Message;

    [Theory]
    [InlineData("\"hidden_size\": 4", "\"hidden_size\": 2147483648", "x.json: field 'hidden_size': 2147483648 is outside 1..65536")]
    [InlineData("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 9007199254740992", "x.json: field 'num_hidden_layers': 9007199254740992 is outside 1..1024")]
    [InlineData("\"vocab_size\": 10", "\"vocab_size\": 10, \"vocab_size\": 12", "x.json: field 'vocab_size': appears twice in one object")]
    [InlineData("\"vocab_size\": 10", "\"vocab_size\": 10 // ten", "x.json: not valid JSON: line 2")]
    public void A_model_shape_past_the_limits_or_not_strict_json_is_bad_input_not_an_overflow(string find, string replace, string message)
    {
        string json = Shape.Replace(find, replace);
        Assert.StartsWith(message, ErrorOf(() =>
        {
            var m = ModelArchitecture.Parse(json, "x", "x.json");
            AnalyticEnergyModel.Estimate(m, TechnologyNode.Resolve("7nm"), 512, false);
        }));
    }

    [Fact]
    public void The_largest_shape_within_the_limits_is_priced_without_overflow()
    {
        var m = ModelArchitecture.Parse("""
            { "hidden_size": 65536, "intermediate_size": 262144, "num_hidden_layers": 1024, "num_attention_heads": 512,
              "vocab_size": 2097152 }
            """, "max", "max.json");
        var r = AnalyticEnergyModel.Estimate(m, TechnologyNode.Resolve("7nm"), 512, true);
        Assert.True(m.TotalWeights > 0);
        Assert.NotNull(r);
    }

    [Fact]
    public void A_lone_surrogate_in_a_node_table_is_bad_input()
    {
        string node = """{ "name": "t\ud800", "description": "d", "arithmetic": [], "sram": [], "dram": {} }""";
        Assert.Equal("n.json: field 'name': holds a string that is not valid Unicode (a lone surrogate escape such as \\ud800)",
            ErrorOf(() => TechnologyNode.Parse(node, "n.json")));
    }

    [Theory]
    [InlineData("\"picojoules\": 0.05,", "\"picojoules\": 1e308,", "arithmetic[1].picojoules")]
    [InlineData("\"picojoulesPer64Bits\": 10,", "\"picojoulesPer64Bits\": 1e308,", "sram[0].picojoulesPer64Bits")]
    [InlineData("[1300, 2600]", "[1300, 1e308]", "dram.rangePicojoulesPer64Bits")]
    public void An_energy_so_large_that_totals_would_be_infinite_is_bad_input(string find, string replace, string field)
    {
        // Found by bit1hw fuzz: 1e308 pJ made the totals infinite and the JSON report threw.
        string node = Data("nodes/45nm.json");
        Assert.Contains(find, node);
        node = node.Replace(find, replace);
        string message = ErrorOf(() =>
        {
            var r = SimEnergyModel.Estimate(SimulationReport.Parse(SimEnergyTests.Report(), "sim.json"), TechnologyNode.Parse(node, "n.json"));
            Reporting.EnergyJson.Simulation(r);
        });
        Assert.StartsWith($"n.json: field '{field}'", message);
        Assert.Contains("at most 1000000", message);
    }

    private static string Data(string name) => EmbeddedData.Read(name);

    [Fact]
    public void Simulator_counts_that_would_overflow_the_sums_are_bad_input()
    {
        string json = SimEnergyTests.Report().Replace("\"weight\": 6400", "\"weight\": 9000000000000000000");
        Assert.Equal("sim.json: field 'activity.sramReadBits.weight': 9000000000000000000 is larger than 9007199254740992",
            ErrorOf(() => SimEnergyModel.Estimate(SimulationReport.Parse(json, "sim.json"), TechnologyNode.Resolve("7nm"))));
    }
}
