using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.IO;

namespace Bit1HW.Cli.Tests;

/// <summary>The command line as one interface: help, suggestions, the shared flags (README, "Flags") and their meaning everywhere.</summary>
public class InterfaceTests
{
    public static readonly TheoryData<string> Commands = new(
        "info", "make-layer", "quantize", "bitlinear", "gen", "synth", "resources", "sweep", "sweep-task", "compile", "asm", "sim", "cosim", "verify", "energy",
        "bench sim", "bench cosim", "bench decode", "bench stream", "estimate", "explore", "model new", "model inspect", "decode", "fuzz",
        "board build", "board program", "board run");

    [Fact]
    public void Bit1hw_alone_prints_the_short_help_and_exits_0()
    {
        var (exit, stdout, stderr) = Bit1hw.Run([]);
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Equal(Bit1hw.Run(["--help"]).Out, stdout);
        string[] lines = stdout.TrimEnd().Split('\n');
        Assert.True(lines.Length < 35, $"{lines.Length} lines of top-level help:\n{stdout}");
        Assert.DoesNotContain("Example", stdout);
        foreach (string top in new[] { "info", "gen", "synth", "sim", "cosim", "verify", "energy", "bench", "model", "decode", "fuzz" })
            Assert.Single(lines, l => l.StartsWith($"  {top} ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_has_one_line_of_description_and_examples_in_its_own_help(string command)
    {
        var (exit, stdout, _) = Bit1hw.Run([.. command.Split(' '), "--help"]);
        Assert.Equal(0, exit);
        string examples = stdout[stdout.IndexOf("Example", StringComparison.Ordinal)..];
        Assert.Contains($"\n  bit1hw {command} ", examples);
        string description = stdout.Split("\n\n")[0];
        Assert.Equal(2, description.Trim().Split('\n').Length);   // "Description:" and one line
    }

    [Theory]
    [InlineData(new[] { "info", "--lane", "13" }, "unknown option '--lane' of 'info'; did you mean '--lanes'?", "bit1hw info --help")]
    [InlineData(new[] { "infp" }, "unknown command 'infp'; did you mean 'info'?", "bit1hw --help")]
    [InlineData(new[] { "bench", "cosim", "--repet", "2" }, "did you mean '--repeat'?", "bit1hw bench cosim --help")]
    [InlineData(new[] { "bench", "simm" }, "unknown command 'simm' of 'bench'; did you mean 'sim'?", "bit1hw bench --help")]
    [InlineData(new[] { "decode", "--model", "m.gguf", "--prompt-tokens", "1", "--max-nwe", "3" }, "did you mean '--max-new'?", "bit1hw decode --help")]
    public void A_misspelt_option_or_command_gets_a_suggestion_and_its_own_commands_help(string[] args, string suggestion, string help)
    {
        var (exit, stdout, stderr) = Bit1hw.Run(args);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("bit1hw: error: unknown ", stderr);
        Assert.Contains(suggestion, stderr.Split('\n')[0]);
        Assert.EndsWith($"Run '{help}' for usage.\n", stderr);
        Assert.Equal(2, stderr.TrimEnd('\n').Split('\n').Length);
    }

    [Theory]
    [InlineData("--repeat", "bench", "sim", "--repeat", "0")]
    [InlineData("--repeat", "bench", "cosim", "--repeat", "0")]
    [InlineData("--tokens", "bench", "decode", "--model", "m.gguf", "--tokens", "0")]
    [InlineData("--rounds", "bench", "decode", "--model", "m.gguf", "--rounds", "0")]
    [InlineData("--random", "verify", "--random", "0")]
    [InlineData("--configs", "verify", "--configs", "0")]
    [InlineData("--tokens", "make-layer", "--out", "x", "--out-features", "1", "--in-features", "1", "--tokens", "0")]
    [InlineData("--out-features", "make-layer", "--out", "x", "--out-features", "0", "--in-features", "1")]
    [InlineData("--max-new", "decode", "--model", "m.gguf", "--prompt-tokens", "1", "--max-new", "0")]
    [InlineData("--tokens", "energy", "--tokens", "0")]
    [InlineData("--cases", "fuzz", "--cases", "0")]
    [InlineData("--seeds", "synth", "--target", "ice40-up5k", "--seeds", "0")]
    [InlineData("--synthesize", "explore", "--model", "m", "--target", "xc7", "--out", "x", "--synthesize", "-1")]
    [InlineData("--threads", "decode", "--model", "m.gguf", "--prompt-tokens", "1", "--threads", "-1")]
    public void A_count_below_its_minimum_is_rejected_the_same_way_everywhere(string flag, params string[] args)
    {
        var (exit, stdout, stderr) = Bit1hw.Run(args);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"bit1hw: error: {flag}: ", stderr);
        Assert.Contains("must be at least", stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));   // a bad value is one line; it names its flag
    }

    [Fact]
    public void A_seed_is_an_unsigned_64_bit_integer_in_decimal_or_hex_on_every_command()
    {
        using var h = new CliHarness();
        string[] Layer(string seed, string name) =>
            ["make-layer", "--out", h.PathOf(name), "--out-features", "3", "--in-features", "5", "--seed", seed];
        Assert.Equal(0, h.Run(Layer("31", "dec.safetensors")).Exit);
        Assert.Equal(0, h.Run(Layer("0x1F", "hex.safetensors")).Exit);
        Assert.Equal(File.ReadAllBytes(h.PathOf("dec.safetensors")), File.ReadAllBytes(h.PathOf("hex.safetensors")));
        Assert.Equal(0, h.Run(Layer("18446744073709551615", "max.safetensors")).Exit);
        Assert.Equal("18446744073709551615", SafeTensorsFile.Read(h.PathOf("max.safetensors")).Metadata["seed"]);
        foreach (string[] bad in new[]
        {
            Layer("-1", "neg.safetensors"),
            Layer("18446744073709551616", "big.safetensors"),
            ["verify", "--seed", "0xZZ"],
            ["decode", "--model", "m.gguf", "--prompt-tokens", "1", "--seed", "1.5"],
            ["model", "new", "--model-config", "c.json", "--out", "o.gguf", "--seed", "seven"],
            ["fuzz", "--seed", "-3"],
        })
        {
            var (exit, _, stderr) = h.Run(bad);
            Assert.Equal(ExitCodes.BadInput, exit);
            Assert.Contains("--seed: ", stderr);
            Assert.Contains("is not an unsigned 64-bit integer (decimal, or hex with 0x)", stderr);
        }
        Assert.False(File.Exists(h.PathOf("neg.safetensors")));
    }

    [Theory]
    [InlineData("info")]
    [InlineData("gen")]
    [InlineData("synth")]
    [InlineData("resources")]
    [InlineData("compile")]
    [InlineData("asm")]
    [InlineData("sim")]
    [InlineData("cosim")]
    [InlineData("verify")]
    [InlineData("decode")]
    [InlineData("board build")]
    [InlineData("board run")]
    public void Every_command_that_takes_a_hardware_config_takes_config_and_every_override(string command)
    {
        string help = Bit1hw.Run([.. command.Split(' '), "--help"]).Out;
        foreach (string flag in new[] { "--config", "--lanes", "--rows", "--act-bits", "--pipe-every", "--pe", "--max-k" })
            Assert.Matches($@"\n  {flag} ", help);
        Assert.DoesNotContain("--hw-config", help);
    }

    [Fact]
    public void Info_applies_the_overrides_and_derives_maxK_when_only_lanes_changes()
    {
        var (exit, stdout, stderr) = Bit1hw.Run(["info", "--lanes", "13", "--json"]);
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        JsonElement cfg = doc.RootElement.GetProperty("config");
        Assert.Equal(13, cfg.GetProperty("lanes").GetInt32());
        Assert.Equal(13 * 128, cfg.GetProperty("maxK").GetInt32());
        Assert.True(doc.RootElement.GetProperty("maxKDerived").GetBoolean());
        Assert.Equal("l13_r4_a8_p1_ternary", doc.RootElement.GetProperty("tag").GetString());
        var text = Bit1hw.Run(["info", "--lanes", "13"]).Out;
        Assert.Contains("maxK             1664 (derived", text);
        Assert.DoesNotContain("{", text);
    }

    [Fact]
    public void The_old_spellings_work_for_one_release_with_a_deprecation_line()
    {
        using var h = new CliHarness();
        string cfg = h.PathOf("tiny.json"), model = h.PathOf("tiny.gguf");
        File.WriteAllText(cfg, """{"hidden_size": 256, "intermediate_size": 256, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 32, "max_position_embeddings": 64}""");
        var made = h.Run("model", "new", "--config", cfg, "--out", model, "--quiet");
        Assert.True(made.Exit == 0, made.Err);
        Assert.Equal("bit1hw: warning: model new --config is deprecated and will be removed in the next release; use --model-config (--config is the hardware config everywhere)\n", made.Err);
        string hw = h.PathOf("hw.json");
        File.WriteAllText(hw, """{"lanes": 0}""");
        var bad = h.Run("decode", "--model", model, "--prompt-tokens", "3", "--backend", "sim", "--hw-config", hw);
        Assert.Equal(ExitCodes.BadInput, bad.Exit);
        Assert.StartsWith("bit1hw: warning: --hw-config is deprecated", bad.Err);
        Assert.Contains("field 'lanes'", bad.Err);
    }

    [Fact]
    public void Vcd_names_a_directory_in_sim_as_in_cosim_and_verify()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "5", "--in-features", "20", "--seed", "2").Exit);
        var r = h.Run("sim", "--in", layer, "--out", h.PathOf("o.safetensors"), "--vcd", h.PathOf("waves"), "--quiet");
        Assert.True(r.Exit == 0, r.Err);
        Assert.StartsWith("$", File.ReadAllText(Path.Combine(h.PathOf("waves"), "sim.vcd")));
        var old = h.Run("sim", "--in", layer, "--out", h.PathOf("o.safetensors"), "--vcd", h.PathOf("old.vcd"), "--quiet");
        Assert.True(old.Exit == 0, old.Err);
        Assert.Contains("--vcd FILE.vcd is deprecated", old.Err);
        Assert.True(File.Exists(h.PathOf("old.vcd")));
    }
}
