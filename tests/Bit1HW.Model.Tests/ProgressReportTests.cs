using Bit1HW.Core;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Model.Tests;

/// <summary>The hooks the command line shows progress with: they report while the work happens and never change its result.</summary>
public sealed class ProgressReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-progress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder : IProgress<ProgressUpdate>
    {
        public List<ProgressUpdate> Reports { get; } = [];
        public void Report(ProgressUpdate value) => Reports.Add(value);
    }

    [Fact]
    public void Each_generated_token_is_handed_out_as_soon_as_it_is_sampled_in_order()
    {
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(), 5, ModelFormat.GgufTq2));
        var seen = new List<(int Token, int Steps)>();
        var log = new Recorder();
        int steps = 0;
        var r = DecodeRun.Run(w, new ReferenceBackend(1), [1, 2], 4, 0, 1, onLogits: _ => steps++, onToken: t => seen.Add((t, steps)), progress: log);
        Assert.Equal(r.Generated, seen.Select(s => s.Token));
        // Token i is out after the prompt (2 steps) and i further steps, before the step that consumes it.
        Assert.Equal([2, 3, 4, 5], seen.Select(s => s.Steps));
        Assert.Equal(["decode: prompt token 1/2", "decode: prompt token 2/2", "decode: token 2/4", "decode: token 3/4", "decode: token 4/4"],
            log.Reports.Select(p => p.Stage));
        Assert.Equal(r.Generated, DecodeRun.Run(w, new ReferenceBackend(1), [1, 2], 4, 0, 1).Generated);
    }

    [Fact]
    public void Writing_a_model_reports_a_rising_fraction_that_ends_at_one_and_the_bytes_do_not_change()
    {
        var c = TinyModels.Config();
        string plain = Path.Combine(_dir, "a.gguf"), reported = Path.Combine(_dir, "b.gguf");
        ModelFile.WriteSynthetic(c, 7, ModelFormat.GgufTq1, plain);
        var log = new Recorder();
        ModelFile.WriteSynthetic(c, 7, ModelFormat.GgufTq1, reported, progress: log);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(reported));
        var fractions = log.Reports.Select(p => p.Fraction!.Value).ToList();
        Assert.Equal(fractions.Order(), fractions);
        Assert.Equal(0, fractions[0]);
        Assert.Equal(1, fractions[^1], 12);
        Assert.Contains(log.Reports, p => p.Detail == "blk.1.ffn_down.weight");
    }

    [Fact]
    public void Loading_a_model_reports_each_layer_and_describe_lists_what_inspect_prints()
    {
        var c = TinyModels.Config(layers: 3);
        string path = Path.Combine(_dir, "m.gguf");
        ModelFile.WriteSynthetic(c, 7, ModelFormat.GgufTq2, path);
        var log = new Recorder();
        ModelFile.Load(path, progress: log);
        Assert.Equal(["layer 0", "layer 1", "layer 2"], log.Reports.Select(p => p.Detail));
        ModelDescription d = ModelFile.Describe(path);
        Assert.Equal(new FileInfo(path).Length, d.FileBytes);
        string text = ModelFile.Inspect(path);
        Assert.Contains($"tensors    {d.Tensors.Count}\n", text);
        Assert.Contains($"tensor data {d.TensorBytes} bytes\n", text);
        Assert.All(d.Tensors, t => Assert.Contains(t.Name, text));
    }
}
