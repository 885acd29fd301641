using System.Diagnostics;
using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Numerics;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// Decode throughput of the reference backend on a loaded model, next to the machine's memory
/// bandwidth measured in the same process. In this order: one untimed greedy decode (so the JIT has
/// settled), then the process's peak resident set (load + decode, before anything below allocates),
/// a STREAM-style copy (a[i] = b[i] over 2 × 256 MiB, bytes read + written, best of 5, split over
/// the same threads), the ternary GEMV alone over every projection of one decoder step with each
/// kernel the CPU has (2-bit weight bytes streamed / time, best of 3), the lm_head alone (its bytes /
/// time, best of 3), and the timed greedy decode.
/// </summary>
public static class DecodeBench
{
    /// <summary>The measurement as <c>bench decode</c> prints it.</summary>
    public static string Run(BitNetWeights w, int threads, int tokens) => Measure(w, threads, tokens).ToText();

    /// <summary>Measures everything above with a greedy decode of <paramref name="tokens"/> tokens; each phase is a stage of <paramref name="progress"/>.</summary>
    public static DecodeBenchResult Measure(BitNetWeights w, int threads, int tokens, IProgress<ProgressUpdate>? progress = null)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        var backend = new ReferenceBackend(threads);
        progress?.Report(new ProgressUpdate("bench decode: warm-up decode"));
        DecodeRun.Run(w, backend, [1], tokens, 0, 1, threads: threads);
        long? peak = PeakResidentBytes();
        progress?.Report(new ProgressUpdate("bench decode: STREAM-style copy, 2 x 256 MiB, best of 5"));
        double copyGBs = CopyBandwidth(threads);
        var gemv = new List<GemvTiming>();
        // Every SIMD kernel the CPU has (the scalar one only where there is none: it is slow on a large model).
        var kernels = new[] { GemvKernel.Avx512, GemvKernel.Avx2 }.Where(TernaryGemv.IsSupported).DefaultIfEmpty(GemvKernel.Scalar);
        foreach (var kernel in kernels)
        {
            progress?.Report(new ProgressUpdate($"bench decode: ternary GEMV ({kernel}) over every projection, best of 3"));
            gemv.Add(new GemvTiming(kernel.ToString().ToLowerInvariant(), GemvStep(w, new ReferenceBackend(threads, kernel))));
        }
        progress?.Report(new ProgressUpdate("bench decode: lm_head, best of 3"));
        double headSec = LmHead(w, threads);
        var r = DecodeRun.Run(w, backend, [1], tokens, 0, 1, threads: threads, progress: progress);
        return new DecodeBenchResult(w.Format, w.Config, threads, peak, copyGBs, w.TernaryWeightBytes, gemv,
            headSec, (long)w.LmHead.Rows * w.LmHead.Cols * FloatMatrix.ElementBytes(w.LmHead.Type), GgmlTypes.Name(w.LmHead.Type), w.LmHead.HugePageBytes, r);
    }

    /// <summary>The process's peak resident set size so far (VmHWM, Linux), or null where /proc is not there.</summary>
    public static long? PeakResidentBytes() => StatusBytes("VmHWM:");

    /// <summary>The process's resident set size now (VmRSS, Linux), or null where /proc is not there.</summary>
    public static long? ResidentBytes() => StatusBytes("VmRSS:");

    private static long? StatusBytes(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (string line in File.ReadLines(status))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return null;
    }

    /// <summary>The 1-minute load average (Linux), or null.</summary>
    public static double? LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path)) return null;
        string[] parts = File.ReadAllText(path).Split(' ');
        return double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }

    /// <summary>Seconds of one lm_head product, best of 3 after an untimed one.</summary>
    private static double LmHead(BitNetWeights w, int threads)
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
        return best;
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

    private static double GemvStep(BitNetWeights w, ITernaryLinearBackend backend)
    {
        var rng = new SplitMix64(1);
        var x = new sbyte[Math.Max(w.Config.HiddenSize, w.Config.IntermediateSize)];
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.NextUInt64();
        var acc = new int[Math.Max(w.Config.IntermediateSize, Math.Max(w.Config.HiddenSize, w.Config.KvDim))];
        double best = double.MaxValue;
        for (int rep = 0; rep < 4; rep++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var m in w.Ternary)
                backend.MatVec(m, x.AsSpan(0, m.Cols), acc.AsSpan(0, m.Rows), default);
            if (rep > 0) best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }
}

