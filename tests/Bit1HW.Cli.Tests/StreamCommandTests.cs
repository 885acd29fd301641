namespace Bit1HW.Cli.Tests;

/// <summary>bit1hw estimate and bench stream as a user runs them: figures on stdout, bad input a one-line error with exit 2.</summary>
public class StreamCommandTests
{
    private const string Config = """
        { "lanes": 16, "rows": 16, "weightDepth": 512, "actDepth": 512, "outDepth": 512, "instrDepth": 4096, "maxK": 8192,
          "stream": { "axiDataBits": 512, "axiAddrBits": 40, "burstBeats": 16, "maxOutstanding": 4 } }
        """;

    private static string[] Estimate(string config, string clock = "250", string gbs = "12.8", string model = "bitnet-b1.58-2b-4t") =>
        ["estimate", "--model", model, "--config", config, "--clock-mhz", clock, "--bandwidth-gbs", gbs];

    [Fact]
    public void Estimate_prints_tokens_per_second_the_bound_and_the_energy_of_2b_4t()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("hw.json"), Config);
        var r = h.Run(Estimate("hw.json"));
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("2084044800 ternary weights per token", r.Out);
        Assert.Contains("tokens/s ", r.Out);
        Assert.Contains("bandwidth-bound", r.Out);
        Assert.Contains("mJ at 7nm", r.Out);
    }

    [Theory]
    [InlineData("250", "0", "--bandwidth-gbs")]
    [InlineData("250", "-1", "--bandwidth-gbs")]
    [InlineData("0", "12.8", "--clock-mhz")]
    public void Estimate_with_a_bandwidth_or_clock_that_is_not_positive_is_a_one_line_error_with_exit_2(string clock, string gbs, string flag)
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("hw.json"), Config);
        var r = h.Run(Estimate("hw.json", clock, gbs));
        Assert.Equal(2, r.Exit);
        Assert.Contains(flag, r.Err);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Estimate_of_a_model_beyond_the_address_space_is_a_one_line_error_with_exit_2()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("hw.json"), Config.Replace("\"axiAddrBits\": 40", "\"axiAddrBits\": 32"));
        var r = h.Run(Estimate("hw.json", model: "bitnet-b1.58-70b"));
        Assert.Equal(2, r.Exit);
        Assert.Contains("32-bit AXI address space", r.Err);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Estimate_as_json_holds_the_same_figures_as_the_text()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("hw.json"), Config);
        var r = h.Run([.. Estimate("hw.json"), "--json"]);
        Assert.True(r.Exit == 0, r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.Equal("bandwidth", doc.RootElement.GetProperty("bound").GetString());
        Assert.Equal(2084044800, doc.RootElement.GetProperty("weightsPerToken").GetInt64());
        long total = doc.RootElement.GetProperty("cyclesPerToken").GetInt64();
        Assert.Equal(total, doc.RootElement.GetProperty("computeCyclesPerToken").GetInt64() + doc.RootElement.GetProperty("stallCyclesPerToken").GetInt64()
            + doc.RootElement.GetProperty("hostCyclesPerToken").GetInt64());
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cycles per token   {total} "), h.Run(Estimate("hw.json")).Out);
    }

    [Fact]
    public void Bench_stream_reaches_ninety_percent_of_the_port_and_the_prediction_on_a_small_projection()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("hw.json"), Config);
        var r = h.Run("bench", "stream", "--config", "hw.json", "--out-features", "64", "--in-features", "2560");
        Assert.True(r.Exit == 0, r.Err + r.Out);
        string row = r.Out.Split('\n').Single(l => l.StartsWith("l16_r16", StringComparison.Ordinal));
        string[] cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cells[1], cells[3]);   // simulated cycles = predicted
        Assert.True(double.Parse(cells[7], System.Globalization.CultureInfo.InvariantCulture) >= 90, row);
        Assert.Equal("yes", cells[8]);
    }

    [Fact]
    public void Commands_that_cannot_run_a_streaming_config_yet_say_so_in_one_line_with_exit_2()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("hw.json"), Config);
        string model = h.PathOf("tiny.gguf");
        File.WriteAllText(h.PathOf("tiny.json"), """{"hidden_size": 256, "intermediate_size": 256, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 32, "max_position_embeddings": 16}""");
        Assert.Equal(0, h.Run("model", "new", "--model-config", "tiny.json", "--out", model, "--quiet").Exit);
        foreach (string[] args in new[]
        {
            new[] { "bench", "decode-sim", "--model", model, "--hw-config", "hw.json" },
            ["decode", "--model", model, "--prompt-tokens", "1", "--max-new", "1", "--backend", "verilator", "--config", "hw.json", "--quiet"],
        })
        {
            var r = h.Run(args);
            Assert.Equal(2, r.Exit);
            Assert.Contains("streaming config", r.Err);
            Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        }
    }
}
