using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bit1HW.Cli.Tests;

/// <summary>
/// Every reporting command's --json: stdout is exactly one JSON document (nothing else), keys are
/// camelCase, and the value that matters agrees with the text output or the files written.
/// </summary>
public sealed class JsonOutputTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    /// <summary>Runs with --json, checks exit 0, parses stdout and checks every key is camelCase.</summary>
    private JsonElement Json(params string[] args)
    {
        var (exit, stdout, stderr) = _h.Run([.. args, "--json"]);
        Assert.True(exit == 0, $"{string.Join(' ', args)}: exit {exit}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        AssertCamelCase(doc.RootElement, "$");
        return doc.RootElement.Clone();
    }

    private static void AssertCamelCase(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Array)
            foreach (var (item, i) in e.EnumerateArray().Select((x, i) => (x, i))) AssertCamelCase(item, $"{path}[{i}]");
        if (e.ValueKind != JsonValueKind.Object) return;
        foreach (JsonProperty p in e.EnumerateObject())
        {
            Assert.Matches(new Regex("^([a-z][a-zA-Z0-9]*|[0-9]+)$"), p.Name);   // a field, or the key of a histogram
            AssertCamelCase(p.Value, $"{path}.{p.Name}");
        }
    }

    private string Layer(string name = "layer.safetensors", int outF = 9, int inF = 40, int tokens = 2)
    {
        string path = _h.PathOf(name);
        if (!File.Exists(path))
            Assert.Equal(0, _h.Run("make-layer", "--out", path, "--out-features", $"{outF}", "--in-features", $"{inF}", "--tokens", $"{tokens}", "--seed", "3").Exit);
        return path;
    }

    private string TinyModel()
    {
        string cfg = _h.PathOf("tiny.json"), model = _h.PathOf("tiny.gguf");
        if (File.Exists(model)) return model;
        File.WriteAllText(cfg, """{"hidden_size": 256, "intermediate_size": 256, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 32, "max_position_embeddings": 64}""");
        Assert.Equal(0, _h.Run("model", "new", "--model-config", cfg, "--out", model, "--seed", "3").Exit);
        return model;
    }

    [Fact]
    public void Info_json_is_the_config_and_its_derived_values_without_a_text_table()
    {
        JsonElement j = Json("info", "--rows", "3");
        Assert.Equal(3, j.GetProperty("config").GetProperty("rows").GetInt32());
        Assert.Equal(20, j.GetProperty("accBits").GetInt32());
        Assert.Equal(5, j.GetProperty("peLatencyCycles").GetInt32());   // the term register + one per level of 4 (pipeEvery 1)
    }

    [Fact]
    public void The_layer_commands_report_as_json()
    {
        string layer = Layer();
        Assert.Equal(9, Json("make-layer", "--out", _h.PathOf("l2.safetensors"), "--out-features", "9", "--in-features", "40", "--seed", "0x3").GetProperty("outFeatures").GetInt32());
        double sqnr = Json("bitlinear", "--in", layer, "--out", _h.PathOf("bl.safetensors")).GetProperty("sqnrDecibels").GetDouble();
        Assert.Contains(FormattableString.Invariant($"SQNR vs float64 {sqnr:F2} dB"), _h.Run("bitlinear", "--in", layer, "--out", _h.PathOf("bl.safetensors")).Out);
        JsonElement q = Json("quantize", "--in", layer, "--out", _h.PathOf("q.safetensors"));
        Assert.Equal(9 * 40, q.GetProperty("minusOnes").GetInt32() + q.GetProperty("zeros").GetInt32() + q.GetProperty("plusOnes").GetInt32());
    }

    [Fact]
    public void Gen_compile_asm_and_sim_report_as_json_and_agree_with_each_other()
    {
        string layer = Layer();
        Assert.Equal("bit1hw_top_l16_r4_a8_p1_ternary", Json("gen", "--out", _h.PathOf("rtl")).GetProperty("top").GetString());
        JsonElement c = Json("compile", "--in", layer, "--asm", _h.PathOf("p.s"));
        long predicted = c.GetProperty("predictedCycles").GetInt64();
        Assert.Equal(c.GetProperty("instructions").GetInt32(), Json("asm", "--in", _h.PathOf("p.s")).GetProperty("instructions").GetInt32());
        JsonElement s = Json("sim", "--in", layer, "--out", _h.PathOf("s.safetensors"), "--report", _h.PathOf("r.json"));
        Assert.Equal(predicted, s.GetProperty("cycles").GetInt64());
        Assert.Equal(File.ReadAllText(_h.PathOf("r.json")).TrimEnd(), _h.Run("sim", "--in", layer, "--out", _h.PathOf("s.safetensors"), "--json").Out.TrimEnd());
    }

    [Fact]
    public void Energy_and_bench_sim_report_as_json()
    {
        JsonElement e = Json("energy", "--model", "bitnet-b1.58-2b-4t", "--node", "7nm");
        Assert.Equal("bitnet-b1.58-2b-4t", e.GetProperty("results")[0].GetProperty("model").GetString());
        Assert.True(e.GetProperty("results")[0].GetProperty("fp16OverBitnet").GetDouble() > 1);
        JsonElement b = Json("bench", "sim", "--repeat", "1");
        Assert.Equal(["fast", "cycle", "fast", "cycle"], b.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("path").GetString()!));
        Assert.All(b.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("cyclesPerSecond").GetDouble() > 0));
    }

    [Fact]
    public void Model_inspect_decode_and_bench_decode_report_as_json()
    {
        string model = TinyModel();
        JsonElement i = Json("model", "inspect", model);
        Assert.Equal("gguf", i.GetProperty("format").GetString());
        Assert.Equal(new FileInfo(model).Length, i.GetProperty("fileBytes").GetInt64());
        Assert.Contains(i.GetProperty("tensors").EnumerateArray(), t => t.GetProperty("name").GetString() == "blk.0.ffn_down.weight" && t.GetProperty("type").GetString() == "TQ2_0");
        JsonElement d = Json("decode", "--model", model, "--prompt-tokens", "1 2", "--max-new", "3");
        Assert.Equal(3, d.GetProperty("generatedTokens").GetArrayLength());
        string text = _h.Run("decode", "--model", model, "--prompt-tokens", "1 2", "--max-new", "3").Out;
        Assert.Contains("generated  " + string.Join(' ', d.GetProperty("generatedTokens").EnumerateArray().Select(t => t.GetInt32())) + "\n", text);
        JsonElement b = Json("bench", "decode", "--model", model, "--tokens", "2", "--threads", "1");
        Assert.Equal(2, b.GetProperty("tokens").GetInt32());
        Assert.True(b.GetProperty("copyGigabytesPerSecond").GetDouble() > 0);
        // Issue 16: what a comparison needs besides speed (the memory figure is this test process's, so only its presence is checked).
        Assert.Equal(new FileInfo(model).Length, b.GetProperty("fileBytes").GetInt64());
        if (OperatingSystem.IsLinux()) Assert.True(b.GetProperty("peakResidentBytes").GetInt64() > new FileInfo(model).Length);
        Assert.Equal(2L * b.GetProperty("vocab").GetInt32() * b.GetProperty("hidden").GetInt32(), b.GetProperty("lmHeadBytes").GetInt64());
        Assert.Equal("F16", b.GetProperty("lmHeadType").GetString());
        Assert.True(b.GetProperty("gemvKernels").GetArrayLength() >= 1);
    }

    [Fact]
    public void Fuzz_reports_its_tallies_as_json()
    {
        JsonElement f = Json("fuzz", "--format", "asm", "--cases", "3", "--seed", "0x7");
        Assert.Equal(7UL, f.GetProperty("seed").GetUInt64());
        Assert.Equal(3, f.GetProperty("formats")[0].GetProperty("cases").GetInt32());
        Assert.Equal(0, f.GetProperty("failures").GetInt32());
    }

    [Fact]
    public void The_decode_report_file_is_camelCase_like_every_other_report()
    {
        string model = TinyModel(), report = _h.PathOf("run.json");
        Assert.Equal(0, _h.Run("decode", "--model", model, "--prompt-tokens", "1", "--max-new", "2", "--report", report).Exit);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(["backend", "promptTokens", "generatedTokens", "steps", "seconds", "tokensPerSecond", "ternaryWeightBytesRead", "cycles", "cyclesPerToken"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [ToolFact("verilator")]
    public void Cosim_verify_and_bench_cosim_report_as_json()
    {
        string layer = Layer();
        JsonElement c = Json("cosim", "--in", layer);
        Assert.True(c.GetProperty("agrees").GetBoolean());
        Assert.Equal(c.GetProperty("predictedCycles").GetInt64(), c.GetProperty("runs")[0].GetProperty("busyCycles").GetInt64());
        JsonElement v = Json("verify", "--random", "4", "--seed", "11", "--configs", "1");
        Assert.Equal(4 + 8, v.GetProperty("cases").GetInt32());   // the random cases and the configuration's 8 directed ones
        Assert.Equal(8, v.GetProperty("directedCases").GetInt32());
        Assert.Equal(0, v.GetProperty("mismatches").GetInt32());
        Assert.Equal(12, v.GetProperty("configs")[0].GetProperty("cases").GetInt32());
        Assert.True(v.GetProperty("coverage")[0].GetProperty("topBitNeeded").GetBoolean());
        JsonElement b = Json("bench", "cosim", "--default-only", "--repeat", "1");
        Assert.True(b.GetProperty("results")[0].GetProperty("verilatorCyclesPerSecond").GetDouble() > 0);
    }
}
