namespace Bit1HW.Cli.Tests;

/// <summary>Progress goes to stderr only: a live line on a terminal (forced here with BIT1HW_PROGRESS=live), nothing for quick work on a pipe, nothing with --quiet.</summary>
public class ProgressTests
{
    private const string Save = "\u001b7", Restore = "\u001b8", Erase = "\u001b[K";

    private static string[] ModelNew(CliHarness h, params string[] more)
    {
        string cfg = h.PathOf("tiny.json");
        File.WriteAllText(cfg, """{"hidden_size": 256, "intermediate_size": 512, "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 300, "max_position_embeddings": 64}""");
        return ["model", "new", "--model-config", cfg, "--out", h.PathOf("tiny.gguf"), .. more];
    }

    [Fact]
    public void On_a_terminal_the_status_is_one_line_drawn_after_the_cursor_and_erased_at_the_end()
    {
        using var h = new CliHarness();
        var (exit, stdout, stderr) = h.RunWith(["BIT1HW_PROGRESS=live"], ModelNew(h));
        Assert.True(exit == 0, stderr);
        Assert.Equal($"wrote {h.PathOf("tiny.gguf")}\n", stdout);
        Assert.Contains($"{Save}⠋ model new: writing ", stderr);
        Assert.Contains("writing tiny.gguf [", stderr);
        Assert.DoesNotContain("\n", stderr);   // redrawn in place, never scrolled
        Assert.EndsWith(Erase, stderr);        // and gone when the command ends
        Assert.Equal(stderr.Split(Save).Length, stderr.Split(Restore).Length);
    }

    [Fact]
    public void Quiet_silences_the_terminal_display_and_a_quick_command_on_a_pipe_prints_no_progress()
    {
        using var h = new CliHarness();
        var quiet = h.RunWith(["BIT1HW_PROGRESS=live"], ModelNew(h, "--quiet"));
        Assert.Equal((0, ""), (quiet.Exit, quiet.Err));
        var piped = h.Run(ModelNew(h));
        Assert.Equal((0, ""), (piped.Exit, piped.Err));
    }

    [Fact]
    public void Decode_prints_the_tokens_on_stdout_while_the_status_line_stays_on_stderr()
    {
        using var h = new CliHarness();
        Assert.Equal(0, h.Run(ModelNew(h)).Exit);
        var (exit, stdout, stderr) = h.RunWith(["BIT1HW_PROGRESS=live"], "decode", "--model", h.PathOf("tiny.gguf"), "--prompt-tokens", "1 2", "--max-new", "4");
        Assert.True(exit == 0, stderr);
        Assert.Matches(@"^model      gguf-tq2, 2 layers, hidden 256, vocab 300\nbackend    reference\ngenerated  \d+ \d+ \d+ \d+\nspeed ", stdout);
        Assert.DoesNotContain(Save, stdout);
        Assert.Contains("decode: loading", stderr);
    }
}
