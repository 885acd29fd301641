using Bit1HW.Core;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;
using Bit1HW.Model.Gguf;

namespace Bit1HW.LlamaCpp.Tests;

/// <summary>Synthetic models written to temporary files for llama.cpp, and the two decoders run side by side.</summary>
internal static class PeerModels
{
    public static ModelConfig Tiny(HiddenAct act = HiddenAct.Silu, bool tied = true) => new()
    {
        HiddenSize = 256, IntermediateSize = 512, NumLayers = 2, NumHeads = 4, NumKvHeads = 2,
        VocabSize = 300, RopeTheta = 500000f, Act = act, TieWordEmbeddings = tied, MaxPositions = 64,
    };

    public static ModelConfig Small() => new()
    {
        HiddenSize = 512, IntermediateSize = 1536, NumLayers = 4, NumHeads = 8, NumKvHeads = 4,
        VocabSize = 1000, RopeTheta = 10000f, Act = HiddenAct.Silu, TieWordEmbeddings = true, MaxPositions = 64,
    };

    /// <summary>A fresh directory under the system temp directory, deleted by the caller's <c>using</c>.</summary>
    public sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("bit1hw-llamacpp-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    public static string Write(TempDir dir, ModelConfig c, ulong seed, ModelFormat format, string? arch = null,
        TokenizerKind tokenizer = TokenizerKind.Spm)
    {
        string path = dir.File($"m{Guid.NewGuid():N}.gguf");
        SyntheticModel.WriteGguf(c, seed, format, path, arch, tokenizer);
        return path;
    }

    /// <summary>Seeded token ids in 3..vocab−1 (no control tokens): the teacher-forced input of a comparison.</summary>
    public static int[] Tokens(int count, int vocab, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return [.. Enumerable.Range(0, count).Select(_ => 3 + (int)(rng.NextUInt64() % (ulong)(vocab - 3)))];
    }

    /// <summary>Logits after each token of <paramref name="tokens"/>, fed one at a time.</summary>
    public static List<float[]> Bit1hwLogits(string path, int[] tokens, DecoderNumerics numerics,
        LlamaCppDecoder.Fault fault = LlamaCppDecoder.Fault.None)
    {
        var w = ModelFile.Load(path);
        ITokenDecoder dec = fault == LlamaCppDecoder.Fault.None
            ? Decoders.Create(w, new ReferenceBackend(2), tokens.Length, numerics)
            : new LlamaCppDecoder(w, new ReferenceBackend(2), tokens.Length, fault);
        return [.. tokens.Select(t => (float[])dec.Step(t).Clone())];
    }

    /// <summary>Greedy generation in llama.cpp, one token per decode call, as bit1hw's <see cref="DecodeRun"/> does.</summary>
    public static int[] LlamaCppGreedy(string path, int[] prompt, int maxNew)
    {
        using var s = LlamaCppSession.Open(path, threads: 2, contextSize: 64);
        float[] logits = [];
        foreach (int t in prompt) logits = s.Step(t);
        var generated = new List<int>();
        while (true)
        {
            generated.Add(Argmax(logits));
            if (generated.Count == maxNew) return [.. generated];
            logits = s.Step(generated[^1]);
        }
    }

    public static List<float[]> LlamaCppLogits(string path, int[] tokens)
    {
        using var s = LlamaCppSession.Open(path, threads: 2, contextSize: 64);
        return [.. tokens.Select(s.Step)];
    }

    public sealed record Agreement(double MaxAbsDiff, double MinCorrelation, int ArgmaxMismatches, int Steps)
    {
        public override string ToString() =>
            $"max |Δlogit| {MaxAbsDiff:G4}, min correlation {MinCorrelation:F6}, argmax differs at {ArgmaxMismatches} of {Steps} steps";
    }

    public static Agreement Compare(List<float[]> a, List<float[]> b)
    {
        double maxDiff = 0, minCorr = 1;
        int mismatches = 0;
        for (int s = 0; s < a.Count; s++)
        {
            for (int i = 0; i < a[s].Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(a[s][i] - b[s][i]));
            minCorr = Math.Min(minCorr, Correlation(a[s], b[s]));
            if (Argmax(a[s]) != Argmax(b[s])) mismatches++;
        }
        return new Agreement(maxDiff, minCorr, mismatches, a.Count);
    }

    public static int Argmax(float[] x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    private static double Correlation(float[] a, float[] b)
    {
        double ma = a.Average(v => (double)v), mb = b.Average(v => (double)v), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
