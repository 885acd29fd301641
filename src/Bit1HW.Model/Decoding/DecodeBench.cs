using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// Decode throughput of the reference backend on a loaded model, next to the machine's memory
/// bandwidth measured in the same process: a STREAM-style copy (a[i] = b[i] over 2 × 256 MiB, bytes
/// read + written, best of 5, split over the same threads), the ternary GEMV alone over every
/// projection of one decoder step with each SIMD kernel the CPU has (2-bit weight bytes streamed /
/// time, best of 3), the lm_head alone (its bytes / time, best of 3), and greedy decoding after one
/// untimed warm-up run (so the JIT has settled).
/// </summary>
public static class DecodeBench
{
    public static string Run(BitNetWeights w, int threads, int tokens)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        double copyGBs = CopyBandwidth(threads);
        sb.Append(inv, $"model            {w.Format}: {w.Config.NumLayers} layers, hidden {w.Config.HiddenSize}, ffn {w.Config.IntermediateSize}, vocab {w.Config.VocabSize}\n");
        sb.Append(inv, $"threads          {threads}\n");
        sb.Append(inv, $"stream copy      {copyGBs:F2} GB/s (read + write)\n");
        sb.Append(inv, $"ternary weights  {w.TernaryWeightBytes / 1e6:F1} MB per token at 2 bits\n");
        foreach (var kernel in new[] { GemvKernel.Avx512, GemvKernel.Avx2 }.Where(TernaryGemv.IsSupported))
        {
            var (gemvSec, bytes) = GemvStep(w, new ReferenceBackend(threads, kernel));
            double gemvGBs = bytes / gemvSec / 1e9;
            sb.Append(inv, $"ternary gemv     {gemvSec * 1e3:F1} ms per token = {gemvGBs:F2} GB/s effective weight bandwidth ({100 * gemvGBs / copyGBs:F0}% of copy), {kernel.ToString().ToLowerInvariant()}\n");
        }
        var (headSec, headBytes) = LmHead(w, threads);
        sb.Append(inv, $"lm_head          {headSec * 1e3:F1} ms per token = {headBytes / headSec / 1e9:F2} GB/s ({headBytes / 1e6:F1} MB of {w.LmHead.Type})\n");
        var backend = new ReferenceBackend(threads);
        DecodeRun.Run(w, backend, [1], tokens, 0, 1, threads: threads);
        var r = DecodeRun.Run(w, backend, [1], tokens, 0, 1, threads: threads);
        sb.Append(inv, $"decode           {r.TokensPerSecond:F2} tokens/s ({r.Steps} steps, {r.Seconds / r.Steps * 1e3:F1} ms per token incl. lm_head and attention, after a warm-up run)\n");
        return sb.ToString();
    }

    /// <summary>The process's peak resident set size so far (VmHWM, Linux), or null where /proc is not there.</summary>
    public static long? PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (string line in File.ReadLines(status))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return null;
    }

    private static (double Seconds, long Bytes) LmHead(BitNetWeights w, int threads)
    {
        var head = w.LmHead;
        var x = new float[head.Cols];
        var rng = new SplitMix64(2);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextUInt64() % 2001) / 1000f - 1f;
        var y = new float[head.Rows];
        double best = double.MaxValue;
        for (int rep = 0; rep < 4; rep++)
        {
            var sw = Stopwatch.StartNew();
            head.MatVec(x, y, threads);
            if (rep > 0) best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return (best, (long)head.Rows * head.Cols * FloatMatrix.ElementBytes(head.Type));
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
