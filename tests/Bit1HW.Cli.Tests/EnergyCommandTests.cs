using System.Text.Json;

namespace Bit1HW.Cli.Tests;

public class EnergyCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Bit1hw.Run(args);

    [Fact]
    public void Energy_for_one_model_and_node_prints_the_totals_table()
    {
        var (code, stdout, _) = Run("energy", "--model", "bitnet-b1.58-2b-4t", "--node", "7nm");
        Assert.Equal(0, code);
        Assert.Contains("bitnet-b1.58-2b-4t", stdout);
        Assert.Contains("71.4x per weight", stdout);
        Assert.DoesNotContain("45nm", stdout);
    }

    [Fact]
    public void Energy_json_lists_one_result_per_model_and_node()
    {
        var (code, stdout, _) = Run("energy", "--json", "--model", "bitnet-b1.58-700m", "--model", "llama-3.2-1b");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(4, doc.RootElement.GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("--node", "5nm", "unknown node '5nm'")]
    [InlineData("--model", "gpt-9", "'gpt-9' is neither a shipped model")]
    [InlineData("--from-sim", "/nonexistent/sim.json", "simulation report not found")]
    public void Bad_energy_input_exits_2_with_a_message_naming_it(string flag, string value, string message)
    {
        var (code, _, stderr) = Run("energy", flag, value);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Energy_from_the_example_simulator_report_gives_the_hand_computed_857_5_pj_per_token_at_45nm()
    {
        // docs/energy.md: additions 20 pJ + SRAM 1650 pJ + registers 5000 × 0.009 = 45 pJ over 2 tokens.
        var (code, stdout, _) = Run("energy", "--from-sim", RepoPaths.Of("docs", "energy", "sim-example.json"), "--node", "45nm", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(857.5, doc.RootElement.GetProperty("picojoulesPerToken").GetDouble(), 9);
        Assert.Equal(45.0, doc.RootElement.GetProperty("registerPicojoules").GetDouble(), 9);
        Assert.Equal(5.0, doc.RootElement.GetProperty("zeroWeightPicojoules").GetDouble(), 9);
    }

    [Fact]
    public void The_bitnet_papers_accounting_prints_the_2b_4t_reports_0_028_j_next_to_ours()
    {
        var (code, stdout, _) = Run("energy", "--accounting", "bitnet-papers", "--model", "bitnet-b1.58-2b-4t", "--node", "7nm");
        Assert.Equal(0, code);
        Assert.Contains("2b4t-bitnet-b1.58-2b-4t", stdout);
        Assert.Contains("0.028 J", stdout);
        Assert.Contains("0.0278 J", stdout);
    }

    [Fact]
    public void The_bitnet_papers_json_marks_each_published_figure_reproduced_or_not()
    {
        var (code, stdout, _) = Run("energy", "--accounting", "bitnet-papers", "--model", "bitnet-v1-6.7b", "--node", "7nm", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("bitnet-papers", doc.RootElement.GetProperty("accounting").GetString());
        var published = doc.RootElement.GetProperty("results")[0].GetProperty("published").EnumerateArray().ToList();
        Assert.Equal(6, published.Count);
        Assert.Equal(["v1-6.7b-bitnet-add-7nm"], published.Where(p => !p.GetProperty("reproduced").GetBoolean()).Select(p => p.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData(new[] { "--accounting", "paper" }, "'paper' must be default or bitnet-papers")]
    [InlineData(new[] { "--accounting", "bitnet-papers", "--include-lm-head" }, "drop --include-lm-head")]
    [InlineData(new[] { "--accounting", "bitnet-papers", "--chart", "/tmp/never-written.svg" }, "drop --chart")]
    public void An_accounting_that_cannot_do_what_was_asked_exits_2_naming_it(string[] args, string message)
    {
        var (code, _, stderr) = Run(["energy", .. args]);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.False(File.Exists("/tmp/never-written.svg"));
    }

    [Fact]
    public void A_sequence_of_zero_tokens_exits_2()
    {
        var (code, _, stderr) = Run("energy", "--tokens", "0");
        Assert.Equal(2, code);
        Assert.Contains("--tokens", stderr);
    }

    [Fact]
    public void A_model_config_with_inconsistent_heads_exits_2_naming_the_field()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bit1hw-bad-model-{Environment.ProcessId}.json");
        File.WriteAllText(path, """{ "hidden_size": 100, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 3, "vocab_size": 10 }""");
        try
        {
            var (code, _, stderr) = Run("energy", "--model", path);
            Assert.Equal(2, code);
            Assert.Contains("field 'num_attention_heads'", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>
/// docs/energy.md shows the report for all shipped configs; this keeps it equal to what the command prints.
/// Regenerate with BIT1HW_UPDATE_GOLDEN=1 after changing a table or a model.
/// </summary>
public class EnergyDocsTests
{
    private const string Marker = "### Report for all shipped configs";

    [Fact]
    public void The_report_in_docs_energy_md_is_what_bit1hw_energy_prints()
    {
        string path = RepoPaths.Of("docs", "energy.md");
        string doc = File.ReadAllText(path);
        int start = doc.IndexOf("```text\n", doc.IndexOf(Marker, StringComparison.Ordinal), StringComparison.Ordinal) + "```text\n".Length;
        int end = doc.IndexOf("```", start, StringComparison.Ordinal);
        var (code, o, _) = Bit1hw.Run(["energy"]);
        Assert.Equal(0, code);
        if (Environment.GetEnvironmentVariable("BIT1HW_UPDATE_GOLDEN") == "1")
            File.WriteAllText(path, doc[..start] + o + doc[end..]);
        else
            Assert.Equal(doc[start..end], o);
    }
}
