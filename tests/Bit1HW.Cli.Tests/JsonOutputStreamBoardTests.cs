using System.Text.Json;

namespace Bit1HW.Cli.Tests;

/// <summary>
/// <c>--json</c> of the commands issues 11 and 12 added (bench stream, board run): one parseable
/// document on stdout whose values agree with what the command checked.
/// </summary>
public sealed class JsonOutputStreamBoardTests
{
    [Fact]
    public void Bench_stream_reports_as_json_with_the_prediction_exact_and_the_port_efficiency_in_range()
    {
        using var h = new CliHarness();
        File.WriteAllText(h.PathOf("hw.json"), """
            { "lanes": 16, "rows": 16, "weightDepth": 512, "actDepth": 512, "outDepth": 512, "instrDepth": 4096, "maxK": 8192,
              "stream": { "axiDataBits": 512, "axiAddrBits": 40, "burstBeats": 16, "maxOutstanding": 4 } }
            """);
        var r = h.Run("bench", "stream", "--config", "hw.json", "--out-features", "64", "--in-features", "2560", "--json");
        Assert.True(r.Exit == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        JsonElement row = Assert.Single(doc.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(row.GetProperty("predictedCycles").GetInt64(), row.GetProperty("cycles").GetInt64());
        Assert.True(row.GetProperty("outputsMatch").GetBoolean());
        Assert.Equal(64 * 2560 / 4, row.GetProperty("weightBytes").GetInt64());   // 2-bit codes
        double eff = row.GetProperty("portEfficiency").GetDouble();
        Assert.InRange(eff, 0.9, 1.0);
        Assert.Equal(row.GetProperty("weightBytesPerCycle").GetDouble() / row.GetProperty("portBytesPerCycle").GetDouble(), eff, 12);
    }

    [ToolFact("verilator")]
    public void Board_run_on_the_simulated_board_reports_as_json_with_the_cycles_predicted_and_the_result_bit_exact()
    {
        using var h = new CliHarness();
        string cfg = h.PathOf("board.json"), layer = h.PathOf("layer.safetensors");
        File.WriteAllText(cfg, """{ "lanes": 8, "rows": 2, "actBits": 8, "pipeEvery": 1, "weightDepth": 64, "actDepth": 64, "outDepth": 64, "instrDepth": 256, "maxK": 512 }""");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "13", "--in-features", "37", "--tokens", "3", "--seed", "9").Exit);
        var r = h.Run("board", "run", "--port", "sim", "--config", cfg, "--baud", "3000000", "--in", layer, "--out", h.PathOf("o.safetensors"), "--json", "--quiet");
        Assert.True(r.Exit == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        JsonElement e = doc.RootElement;
        Assert.True(e.GetProperty("bitExact").GetBoolean());
        Assert.Equal(e.GetProperty("predictedCycles").GetInt64(), e.GetProperty("cycles").GetInt64());
        Assert.Equal(13, e.GetProperty("outFeatures").GetInt32());
        Assert.True(e.GetProperty("link").GetProperty("bytesSent").GetInt64() > 0);
    }
}
