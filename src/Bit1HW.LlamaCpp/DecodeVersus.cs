using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;

namespace Bit1HW.LlamaCpp;

/// <summary>
/// bit1hw's reference decoder and llama.cpp on the same GGUF file in this process, for
/// <c>bench decode --vs llamacpp</c>: both greedy-decode from token 1, one token per step, with the
/// same thread count. One untimed warm-up run each (so the JIT has settled and llama.cpp's pages are
/// in), then a number of alternating timed runs; the medians and their ratio are reported.
/// llama.cpp runs its fastest build for this CPU unless told otherwise.
/// </summary>
public sealed class DecodeVersus : IDisposable
{
    private readonly LlamaCppSession _peer;
    private readonly int _threads, _tokens;

    private DecodeVersus(LlamaCppSession peer, int threads, int tokens) => (_peer, _threads, _tokens) = (peer, threads, tokens);

    /// <summary>Loads the file into llama.cpp first, so a file it refuses fails before anything is measured.</summary>
    public static DecodeVersus Open(string path, int threads, int tokens, LlamaCppBuild build = LlamaCppBuild.Best)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        return new DecodeVersus(LlamaCppSession.Open(path, threads, Math.Max(64, tokens + 8), build), threads, tokens);
    }

    public void Dispose() => _peer.Dispose();

    /// <summary>The comparison as <c>bench decode --vs llamacpp</c> prints it.</summary>
    public string Run(BitNetWeights w, int rounds) => Measure(w, rounds).ToText();

    /// <summary>Warm-up and <paramref name="rounds"/> alternating timed runs of each decoder; each run is a stage of <paramref name="progress"/>.</summary>
    public VersusResult Measure(BitNetWeights w, int rounds, IProgress<Core.ProgressUpdate>? progress = null)
    {
        var (peer, threads, tokens) = (_peer, _threads, _tokens);
        var backend = new ReferenceBackend(threads);
        double Bit1hw() => DecodeRun.Run(w, backend, [1], tokens, 0, 1, threads: threads).TokensPerSecond;
        double LlamaCpp()
        {
            peer.Reset();
            var sw = Stopwatch.StartNew();
            float[] logits = peer.Step(1);
            for (int i = 1; i < tokens; i++) logits = peer.Step(Argmax(logits));
            return tokens / sw.Elapsed.TotalSeconds;
        }
        progress?.Report(new Core.ProgressUpdate("bench decode --vs llamacpp: warm-up runs"));
        Bit1hw();
        LlamaCpp();
        var mine = new List<double>();
        var theirs = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            progress?.Report(new Core.ProgressUpdate(string.Create(CultureInfo.InvariantCulture, $"bench decode --vs llamacpp: round {r + 1}/{rounds}"), (double)r / rounds));
            mine.Add(Bit1hw());
            theirs.Add(LlamaCpp());
        }
        return new VersusResult(LlamaCppSession.LoadedBuild(), threads, tokens, rounds, Median(mine), Median(theirs));
    }

    private static double Median(List<double> x)
    {
        var s = x.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static int Argmax(float[] x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}

/// <summary>bit1hw's reference decoder vs llama.cpp on one file: median tokens/s of each over the alternating rounds.</summary>
public sealed record VersusResult(string LlamaCppBuild, int Threads, int Tokens, int Rounds, double Bit1hwTokensPerSecond, double LlamaCppTokensPerSecond)
{
    public double Ratio => Bit1hwTokensPerSecond / LlamaCppTokensPerSecond;

    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"vs llama.cpp     LLamaSharp 0.30.0 (llama.cpp c0c7e147, {LlamaCppBuild} build) on the same file, {Threads} threads, {Tokens} tokens, median of {Rounds} alternating runs\n");
        sb.Append(inv, $"bit1hw           {Bit1hwTokensPerSecond:F2} tokens/s (reference backend)\n");
        sb.Append(inv, $"llama.cpp        {LlamaCppTokensPerSecond:F2} tokens/s\n");
        sb.Append(inv, $"ratio            bit1hw / llama.cpp = {Ratio:F2}\n");
        return sb.ToString();
    }
}
