using Bit1HW.Core;

namespace Bit1HW.Cli.Tests;

public sealed class ModelCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Bit1hw.Run(args);

    private string TinyConfig(int hidden = 256)
    {
        string p = Path.Combine(_dir, $"cfg{hidden}.json");
        File.WriteAllText(p, $$"""{"hidden_size": {{hidden}}, "intermediate_size": 256, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 32, "max_position_embeddings": 64}""");
        return p;
    }

    [Fact]
    public void Model_new_inspect_and_decode_work_end_to_end()
    {
        string model = Path.Combine(_dir, "tiny.gguf");
        var made = Run("model", "new", "--model-config", TinyConfig(), "--seed", "3", "--format", "gguf-tq1", "--out", model);
        Assert.Equal(0, made.Code);
        var inspect = Run("model", "inspect", model);
        Assert.Equal(0, inspect.Code);
        Assert.Contains("blk.0.ffn_down.weight            TQ1_0  [256, 256]", inspect.Out);
        Assert.Contains("general.file_type", inspect.Out);
        string report = Path.Combine(_dir, "run.json");
        var dec = Run("decode", "--model", model, "--prompt-tokens", "1 15 27", "--max-new", "4", "--report", report);
        Assert.Equal(0, dec.Code);
        Assert.Matches(@"generated  \d+ \d+ \d+ \d+\n", dec.Out);
        Assert.Contains("\"steps\": 6", File.ReadAllText(report));
        var cmp = Run("decode", "--model", model, "--prompt-tokens", "1 2", "--max-new", "2", "--backend", "scalar", "--compare");
        Assert.Equal(0, cmp.Code);
        Assert.Contains("identical to the reference", cmp.Out);
    }

    [Fact]
    public void Decode_with_llama_cpp_numerics_runs_compared_and_an_unknown_numerics_is_exit_2()
    {
        string model = Path.Combine(_dir, "tiny.gguf");
        Assert.Equal(0, Run("model", "new", "--model-config", TinyConfig(), "--out", model).Code);
        var dec = Run("decode", "--model", model, "--prompt-tokens", "1 15", "--max-new", "2", "--numerics", "llamacpp", "--backend", "scalar", "--compare");
        Assert.Equal(0, dec.Code);
        Assert.Contains("identical to the reference", dec.Out);
        var bad = Run("decode", "--model", model, "--prompt-tokens", "1", "--numerics", "ggml");
        Assert.Equal(ExitCodes.BadInput, bad.Code);
        Assert.Contains("--numerics: 'ggml' is not one of bit1hw, llamacpp", bad.Err);
    }

    [Fact]
    public void Model_new_refuses_an_architecture_name_that_would_run_another_activation_and_writes_nothing()
    {
        string model = Path.Combine(_dir, "relu2.gguf");
        var r = Run("model", "new", "--model-config", TinyConfig(), "--arch", "bitnet", "--out", model);
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Contains("--arch: 'bitnet' makes mainline llama.cpp and bitnet.cpp build a silu FFN", r.Err);
        Assert.Empty(Directory.GetFiles(_dir, "*.gguf*"));
    }

    [Fact]
    public void Bench_decode_names_an_unknown_peer_before_it_measures_anything()
    {
        string model = Path.Combine(_dir, "tiny.gguf");
        Assert.Equal(0, Run("model", "new", "--model-config", TinyConfig(), "--out", model).Code);
        var r = Run("bench", "decode", "--model", model, "--vs", "vllm");
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Contains("--vs: 'vllm' is not one of llamacpp", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void A_garbage_model_file_is_exit_2_with_one_line()
    {
        string bad = Path.Combine(_dir, "bad.gguf");
        File.WriteAllBytes(bad, "GGUF\u0003\0\0\0"u8.ToArray());
        var r = Run("decode", "--model", bad, "--prompt-tokens", "1");
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains("bad.gguf: byte offset 8: file truncated", r.Err);
    }

    [Fact]
    public void A_config_the_format_cannot_hold_is_exit_2_and_writes_nothing()
    {
        string model = Path.Combine(_dir, "no.gguf");
        var r = Run("model", "new", "--model-config", TinyConfig(hidden: 128), "--format", "gguf-tq2", "--out", model);
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Contains("hidden_size: 128 is not a multiple of 256", r.Err);
        Assert.Empty(Directory.GetFiles(_dir, "*.gguf*"));
        Assert.Empty(Directory.GetFiles(_dir, ".*tmp"));
    }

    [Fact]
    public void Out_of_vocabulary_tokens_and_unknown_backends_are_exit_2()
    {
        string model = Path.Combine(_dir, "tiny.gguf");
        Assert.Equal(0, Run("model", "new", "--model-config", TinyConfig(), "--format", "gguf-i2s", "--out", model).Code);
        var tok = Run("decode", "--model", model, "--prompt-tokens", "1 32");
        Assert.Equal(ExitCodes.BadInput, tok.Code);
        Assert.Contains("--prompt-tokens: '32' is not a token id in 0..31", tok.Err);
        var gpu = Run("decode", "--model", model, "--prompt-tokens", "1", "--backend", "gpu");
        Assert.Equal(ExitCodes.BadInput, gpu.Code);
        Assert.Contains("--backend: 'gpu' is not one of", gpu.Err);
    }

    [Fact]
    public void Decoding_on_the_simulated_accelerator_reports_cycles_and_matches_the_reference()
    {
        string model = Path.Combine(_dir, "tiny.gguf");
        Assert.Equal(0, Run("model", "new", "--model-config", TinyConfig(), "--format", "gguf-tq2", "--out", model).Code);
        string report = Path.Combine(_dir, "sim.json");
        var r = Run("decode", "--model", model, "--prompt-tokens", "3 4", "--max-new", "2", "--backend", "sim", "--compare", "--report", report);
        Assert.Equal(0, r.Code);
        Assert.Matches(@"cycles     \d+ per token", r.Out);
        Assert.Contains("identical to the reference", r.Out);
        Assert.DoesNotContain("\"cycles\": null", File.ReadAllText(report));
        string badHw = Path.Combine(_dir, "hw.json");
        File.WriteAllText(badHw, """{"lanes": 0}""");
        var bad = Run("decode", "--model", model, "--prompt-tokens", "3", "--backend", "sim", "--config", badHw);
        Assert.Equal(ExitCodes.BadInput, bad.Code);
        Assert.Contains("lanes", bad.Err);
    }
}
