using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.IO;

namespace Bit1HW.Cli.Tests;

/// <summary>
/// bit1hw board from the command line, without a board: the simulated board (--port sim) runs the
/// whole host path, a missing board or port is a plain exit 3, bad flags are exit 2 before anything
/// is written. The bitstream build itself is exercised by `make demo` (docs/board.md gives its time).
/// </summary>
public class BoardCommandTests
{
    /// <summary>A small engine and a fast line (12 MHz / 3 Mbaud = 4 cycles per bit) so the Verilator board builds and runs in seconds.</summary>
    private static string SmallBoard(CliHarness h)
    {
        string cfg = h.PathOf("board.json");
        File.WriteAllText(cfg, """{ "lanes": 8, "rows": 2, "actBits": 8, "pipeEvery": 1, "weightDepth": 64, "actDepth": 64, "outDepth": 64, "instrDepth": 256, "maxK": 512 }""");
        return cfg;
    }

    [ToolTheory("verilator")]
    [InlineData(13, 37, 3, false)]  // fits the board's memories: one program
    [InlineData(40, 600, 3, true)]  // inFeatures above maxK 512: chunks, whose K partial sums the host adds
    public void Board_run_on_the_simulated_board_writes_bitlinear_s_outputs_bit_for_bit_and_a_report(int outF, int inF, int tokens, bool chunked)
    {
        using var h = new CliHarness();
        string cfg = SmallBoard(h), layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", $"{outF}", "--in-features", $"{inF}", "--tokens", $"{tokens}", "--seed", "9").Exit);
        Assert.Equal(0, h.Run("bitlinear", "--in", layer, "--out", h.PathOf("bl.safetensors")).Exit);
        var run = h.Run("board", "run", "--port", "sim", "--config", cfg, "--baud", "3000000", "--in", layer, "--out", h.PathOf("board.safetensors"), "--report", h.PathOf("r.json"));
        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("bit-exact with bitlinear", run.Out);

        var expected = SafeTensorsFile.Read(h.PathOf("bl.safetensors"));
        var actual = SafeTensorsFile.Read(h.PathOf("board.safetensors"));
        Assert.Equal(expected.Get("acc").ToInt32s("bl"), actual.Get("acc").ToInt32s("board"));
        Assert.Equal(expected.Get("output").ToSingles("bl").Select(BitConverter.SingleToInt32Bits), actual.Get("output").ToSingles("board").Select(BitConverter.SingleToInt32Bits));
        using var report = JsonDocument.Parse(File.ReadAllText(h.PathOf("r.json")));
        var root = report.RootElement;
        Assert.Equal(root.GetProperty("predictedCycles").GetInt64(), root.GetProperty("cycles").GetInt64());
        Assert.True(root.GetProperty("bitExact").GetBoolean());
        Assert.Equal(4, root.GetProperty("cyclesPerBit").GetInt32());
        Assert.Equal(chunked, root.GetProperty("programs").GetInt32() > 1);
        Assert.Equal(0, root.GetProperty("link").GetProperty("retries").GetInt32());
    }

    [ToolFact("verilator")]
    public void Decode_with_the_board_backend_on_the_simulated_board_matches_the_reference_on_every_projection()
    {
        using var h = new CliHarness();
        string cfg = SmallBoard(h), model = h.PathOf("tiny.gguf"), modelCfg = h.PathOf("model.json");
        File.WriteAllText(modelCfg, """{"hidden_size": 256, "intermediate_size": 256, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 32, "max_position_embeddings": 16}""");
        Assert.Equal(0, h.Run("model", "new", "--config", modelCfg, "--format", "gguf-tq2", "--out", model).Exit);
        var r = h.Run("decode", "--model", model, "--prompt-tokens", "3", "--max-new", "1", "--backend", "board", "--port", "sim",
            "--hw-config", cfg, "--baud", "3000000", "--compare");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("identical to the reference", r.Out);
        Assert.Matches(@"cycles     \d+ per token", r.Out);
    }

    [Fact]
    public void Board_run_on_a_missing_serial_port_says_so_and_exits_3()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "4", "--in-features", "8", "--tokens", "1").Exit);
        var r = h.Run("board", "run", "--port", "/dev/ttyBIT1HW_NONE", "--in", layer, "--out", h.PathOf("o.safetensors"));
        Assert.Equal(ExitCodes.ToolFailure, r.Exit);
        Assert.Contains("cannot open serial port /dev/ttyBIT1HW_NONE", r.Err);
        Assert.False(File.Exists(h.PathOf("o.safetensors")));
    }

    [ToolFact("iceprog")]
    public void Board_program_without_a_board_attached_says_so_plainly_and_exits_3()
    {
        using var h = new CliHarness();
        File.WriteAllBytes(h.PathOf("x.bin"), new byte[64]);
        var r = h.Run("board", "program", "--bin", h.PathOf("x.bin"));
        Assert.Equal(ExitCodes.ToolFailure, r.Exit);
        Assert.Contains("no iCEBreaker found on USB", r.Err);
    }

    [Theory]
    [InlineData("build", "--board", "ulx3s", "--board")]
    [InlineData("build", "--baud", "2500000", "--baud")]
    [InlineData("build", "--baud", "6000000", "--baud")]
    [InlineData("build", "--seeds", "0", "--seeds")]
    [InlineData("program", "--bin", "missing.bin", "--bin")]
    public void Board_rejects_bad_input_with_exit_2_before_any_tool_runs(string sub, string flag, string value, string subject)
    {
        using var h = new CliHarness();
        string[] args = sub == "program" ? ["board", sub, flag, value] : ["board", sub, flag, value, "--out", h.PathOf("out")];
        var r = h.Run(args);
        Assert.Equal(ExitCodes.BadInput, r.Exit);
        Assert.StartsWith($"bit1hw: error: {subject}", r.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.PathOf("out")));
    }

    [Fact]
    public void Board_build_for_the_arty_writes_the_vivado_project_with_active_high_led_tops()
    {
        using var h = new CliHarness();
        var r = h.Run("board", "build", "--board", "arty-a7-35t", "--out", h.PathOf("arty"));
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("vivado -mode batch -source vivado-uart.tcl", r.Out);
        foreach (string f in new[] { "vivado-uart.tcl", "vivado-selftest.tcl", "arty-a7-35t.xdc", "arty-a7-35t-uart.xdc" })
            Assert.True(File.Exists(Path.Combine(h.PathOf("arty"), f)), f);
        Assert.Contains("get_ports led_pass]", File.ReadAllText(Path.Combine(h.PathOf("arty"), "arty-a7-35t.xdc")));
    }
}
