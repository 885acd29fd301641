using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// Decode throughput of a backend on a loaded model, next to the machine's memory bandwidth
/// measured in the same process: a STREAM-style copy (a[i] = b[i] over 2 × 256 MiB, bytes read +
/// written, best of 5, split over the same threads) and the ternary GEMV alone over every
/// projection of one decoder step (2-bit weight bytes streamed / time, best of 3).
/// </summary>
public static class DecodeBench
{
    /// <summary>The measurement as <c>bench decode</c> prints it.</summary>
    public static string Run(BitNetWeights w, int threads, int tokens) => Measure(w, threads, tokens).ToText();

    /// <summary>Measures copy bandwidth, the GEMV step and a greedy decode of <paramref name="tokens"/> tokens; each phase is a stage of <paramref name="progress"/>.</summary>
    public static DecodeBenchResult Measure(BitNetWeights w, int threads, int tokens, IProgress<ProgressUpdate>? progress = null)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        progress?.Report(new ProgressUpdate("bench decode: STREAM-style copy, 2 x 256 MiB, best of 5"));
        double copyGBs = CopyBandwidth(threads);
        var backend = new ReferenceBackend(threads);
        progress?.Report(new ProgressUpdate("bench decode: ternary GEMV over every projection, best of 3"));
        var (gemvSec, bytes) = GemvStep(w, backend);
        var r = DecodeRun.Run(w, backend, [1], tokens, 0, 1, progress: progress);
        return new DecodeBenchResult(w.Format, w.Config, threads, copyGBs, bytes, gemvSec, r);
    }

    private static double CopyBandwidth(int threads)
    {
        const int n = 32 << 20; // 32 Mi doubles = 256 MiB per array
        var a = new double[n];
        var b = new double[n];
        for (int i = 0; i < n; i++) b[i] = i;
        double best = double.MaxValue;
        int per = n / threads;
        for (int rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                int start = t * per, len = t == threads - 1 ? n - start : per;
                b.AsSpan(start, len).CopyTo(a.AsSpan(start, len));
            });
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        GC.KeepAlive(a);
        return 2.0 * n * sizeof(double) / best / 1e9;
    }

    private static (double Seconds, long Bytes) GemvStep(BitNetWeights w, ITernaryLinearBackend backend)
    {
        var rng = new SplitMix64(1);
        var x = new sbyte[Math.Max(w.Config.HiddenSize, w.Config.IntermediateSize)];
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.NextUInt64();
        var acc = new int[Math.Max(w.Config.IntermediateSize, Math.Max(w.Config.HiddenSize, w.Config.KvDim))];
        double best = double.MaxValue;
        long bytes = 0;
        for (int rep = 0; rep < 3; rep++)
        {
            bytes = 0;
            var sw = Stopwatch.StartNew();
            foreach (var m in w.Ternary)
            {
                backend.MatVec(m, x.AsSpan(0, m.Cols), acc.AsSpan(0, m.Rows), default);
                bytes += m.Packed.Length;
            }
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return (best, bytes);
    }
}

/// <summary>One <see cref="DecodeBench.Measure"/>: copy bandwidth (GB/s, read + write), 2-bit weight bytes per token, GEMV seconds per token and the decode run.</summary>
public sealed record DecodeBenchResult(string Format, ModelConfig Config, int Threads, double CopyGigabytesPerSecond, long TernaryBytesPerToken,
    double GemvSecondsPerToken, DecodeResult Decode)
{
    public double GemvGigabytesPerSecond => TernaryBytesPerToken / GemvSecondsPerToken / 1e9;

    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var c = Config;
        var r = Decode;
        var sb = new StringBuilder();
        sb.Append(inv, $"model            {Format}: {c.NumLayers} layers, hidden {c.HiddenSize}, ffn {c.IntermediateSize}, vocab {c.VocabSize}\n");
        sb.Append(inv, $"threads          {Threads}\n");
        sb.Append(inv, $"stream copy      {CopyGigabytesPerSecond:F2} GB/s (read + write)\n");
        sb.Append(inv, $"ternary weights  {TernaryBytesPerToken / 1e6:F1} MB per token at 2 bits\n");
        sb.Append(inv, $"ternary gemv     {GemvSecondsPerToken * 1e3:F1} ms per token = {GemvGigabytesPerSecond:F2} GB/s effective weight bandwidth ({100 * GemvGigabytesPerSecond / CopyGigabytesPerSecond:F0}% of copy)\n");
        sb.Append(inv, $"decode           {r.TokensPerSecond:F2} tokens/s ({r.Steps} steps, {r.Seconds / r.Steps * 1e3:F1} ms per token incl. lm_head and attention)\n");
        return sb.ToString();
    }
}
