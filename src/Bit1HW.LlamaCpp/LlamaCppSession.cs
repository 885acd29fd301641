using System.Text;
using Bit1HW.Core;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;

namespace Bit1HW.LlamaCpp;

/// <summary>
/// Which of LLamaSharp's linux-x64 builds of llama.cpp to load: the best the CPU supports (for speed)
/// or the AVX2 one, whose arithmetic bit1hw's llama.cpp numerics follow (docs/numerics.md).
/// </summary>
public enum LlamaCppBuild { Best, Avx2 }

/// <summary>
/// One GGUF file running in llama.cpp (through LLamaSharp), one token per decode call, the way
/// bit1hw's decoder steps: feed a token at the next position, read the logits of the next one.
/// Context settings are fixed so the comparison is reproducible: CPU only, fp16 K/V cache, flash
/// attention off (ggml's plain attention path: fp16 Q·K, fp32 softmax, fp16 probabilities · V),
/// memory-mapped weights. llama.cpp's log goes nowhere except its error lines, which become the
/// message of a refused load.
/// </summary>
public sealed class LlamaCppSession : IDisposable
{
    private static readonly object LogLock = new();
    private static readonly StringBuilder Errors = new();
    private static LlamaCppBuild? _build;

    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly LLamaBatch _batch = new();

    public int Position { get; private set; }
    public int VocabSize { get; }

    private LlamaCppSession(LLamaWeights weights, LLamaContext context)
    {
        _weights = weights;
        _context = context;
        VocabSize = weights.Vocab.Count;
    }

    /// <summary>Loads <paramref name="path"/>; a file llama.cpp refuses is a <see cref="UserInputException"/> with llama.cpp's reason.</summary>
    public static LlamaCppSession Open(string path, int threads, int contextSize, LlamaCppBuild build = LlamaCppBuild.Avx2)
    {
        if (!File.Exists(path)) throw new UserInputException(path, "file not found");
        Load(build);
        var p = new ModelParams(Path.GetFullPath(path))
        {
            ContextSize = (uint)contextSize,
            BatchSize = (uint)contextSize,
            GpuLayerCount = 0,
            Threads = threads,
            BatchThreads = threads,
            FlashAttention = false,
            TypeK = GGMLType.GGML_TYPE_F16,
            TypeV = GGMLType.GGML_TYPE_F16,
        };
        lock (LogLock) Errors.Clear();
        LLamaWeights? weights = null;
        try
        {
            weights = LLamaWeights.LoadFromFile(p);
            return new LlamaCppSession(weights, weights.CreateContext(p));
        }
        catch (LoadWeightsFailedException e)
        {
            weights?.Dispose();
            throw new UserInputException(path, $"llama.cpp refused the file: {FirstError() ?? e.Message}");
        }
        catch (Exception e) when (e is RuntimeError || e.InnerException is RuntimeError)
        {
            // The native library did not load (not linux-x64, or a CPU without the build asked for).
            weights?.Dispose();
            throw new ExternalToolException("llama.cpp (LLamaSharp's native library)", FirstError() ?? (e.InnerException ?? e).Message);
        }
    }

    /// <summary>Feeds <paramref name="token"/> at the next position and returns a copy of the logits for the one after it.</summary>
    public float[] Step(int token)
    {
        _batch.Clear();
        _batch.Add((LLamaToken)token, Position, (LLamaSeqId)0, true);
        var r = _context.NativeHandle.Decode(_batch);
        if (r != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode failed at position {Position}: {r}");
        Position++;
        return _context.NativeHandle.GetLogitsIth(0).ToArray();
    }

    /// <summary>The file's vocabulary as llama.cpp reads it: begin, end and newline token ids (null when absent).</summary>
    public (int? Bos, int? Eos, int? Newline) SpecialTokens =>
        ((int?)_weights.Vocab.BOS, (int?)_weights.Vocab.EOS, (int?)_weights.Vocab.Newline);

    /// <summary>llama.cpp's tokenization of <paramref name="text"/> with the file's vocabulary, BOS first, as llama-cli does with a prompt.</summary>
    public int[] Tokenize(string text) => [.. _weights.Tokenize(text, true, false, Encoding.UTF8).Select(t => (int)t)];

    /// <summary>The text of <paramref name="ids"/> as llama.cpp prints generated tokens.</summary>
    public string Detokenize(IEnumerable<int> ids)
    {
        var d = new StreamingTokenDecoder(Encoding.UTF8, _weights);
        foreach (int id in ids) d.Add(id);
        return d.Read();
    }

    /// <summary>Empties the KV cache: the next <see cref="Step"/> is position 0 again.</summary>
    public void Reset()
    {
        _context.NativeHandle.MemoryClear(true);
        Position = 0;
    }

    /// <summary>The directory name of the native CPU library this process loaded (noavx, avx, avx2, avx512), or "unknown".</summary>
    public static string LoadedBuild()
    {
        foreach (System.Diagnostics.ProcessModule m in System.Diagnostics.Process.GetCurrentProcess().Modules)
            if (Path.GetFileName(m.FileName) == "libggml-cpu.so") return Path.GetFileName(Path.GetDirectoryName(m.FileName)) ?? "unknown";
        return "unknown";
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }

    /// <summary>Chooses the native build (once per process: a native library cannot be unloaded) and routes llama.cpp's log.</summary>
    private static void Load(LlamaCppBuild build)
    {
        lock (LogLock)
        {
            if (_build == build) return;
            if (_build is not null)
                throw new InvalidOperationException($"llama.cpp's {_build} build is already loaded in this process; {build} was asked for");
            if (build == LlamaCppBuild.Avx2) NativeLibraryConfig.All.WithAvx(AvxLevel.Avx2);
            NativeLogConfig.llama_log_set((level, message) =>
            {
                if (level != LLamaLogLevel.Error) return;
                lock (LogLock) Errors.Append(message);
            });
            _build = build;
        }
    }

    /// <summary>The most specific error line llama.cpp logged: the first one (later lines only say the load failed).</summary>
    private static string? FirstError()
    {
        lock (LogLock)
        {
            var lines = Errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? null : lines[0];
        }
    }
}
