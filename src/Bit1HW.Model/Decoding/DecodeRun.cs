using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bit1HW.Core;

namespace Bit1HW.Model.Decoding;

/// <summary>One decode run (<see cref="DecodeRun.Run"/>): prompt, generated tokens, time, accelerator cycles when the backend has them.</summary>
public sealed record DecodeResult(
    string Backend, int[] Prompt, int[] Generated, int Steps, double Seconds, long? Cycles, long TernaryBytesRead)
{
    public double TokensPerSecond => Steps / Seconds;
    public double? CyclesPerToken => Cycles is long c ? (double)c / Steps : null;

    /// <summary>The run report of <c>decode --report</c> (camelCase keys, like every other report).</summary>
    public string ToJson()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append(inv, $"  \"backend\": \"{Backend}\",\n");
        sb.Append(inv, $"  \"promptTokens\": [{string.Join(", ", Prompt)}],\n");
        sb.Append(inv, $"  \"generatedTokens\": [{string.Join(", ", Generated)}],\n");
        sb.Append(inv, $"  \"steps\": {Steps},\n");
        sb.Append(inv, $"  \"seconds\": {Seconds.ToString("F6", inv)},\n");
        sb.Append(inv, $"  \"tokensPerSecond\": {TokensPerSecond.ToString("F3", inv)},\n");
        sb.Append(inv, $"  \"ternaryWeightBytesRead\": {TernaryBytesRead},\n");
        sb.Append(inv, $"  \"cycles\": {(Cycles is long c ? c.ToString(inv) : "null")},\n");
        sb.Append(inv, $"  \"cyclesPerToken\": {(CyclesPerToken is double d ? d.ToString("F1", inv) : "null")}\n");
        sb.Append("}\n");
        return sb.ToString();
    }
}

/// <summary>Runs a prompt through the decoder and generates tokens; each step feeds one token.</summary>
public static class DecodeRun
{
    public static int[] ParseTokens(string text, int vocab)
    {
        var parts = text.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new UserInputException("--prompt-tokens", "needs at least one token id");
        var ids = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]) || ids[i] >= vocab)
                throw new UserInputException("--prompt-tokens", $"'{parts[i]}' is not a token id in 0..{vocab - 1}");
        }
        return ids;
    }

    /// <summary>
    /// Feeds the prompt, then generates <paramref name="maxNew"/> tokens (greedy at temperature 0,
    /// else sampled with <paramref name="seed"/>); <paramref name="onLogits"/> sees every step's
    /// logits (an array the next step may reuse: copy it to keep it), <paramref name="onToken"/> each generated token as soon as it is sampled, and
    /// <paramref name="progress"/> each decoder step before it runs. The lm_head runs on
    /// <paramref name="threads"/> threads (0 = all cores).
    /// </summary>
    public static DecodeResult Run(BitNetWeights w, ITernaryLinearBackend backend, int[] prompt, int maxNew,
        double temperature, ulong seed, Action<float[]>? onLogits = null, DecoderNumerics numerics = DecoderNumerics.Bit1hw,
        Action<int>? onToken = null, IProgress<ProgressUpdate>? progress = null, int threads = 0)
    {
        if (maxNew < 1) throw new UserInputException("--max-new", $"{maxNew} must be at least 1");
        int capacity = prompt.Length + maxNew;
        if (capacity > w.Config.MaxPositions)
            throw new UserInputException("--max-new", $"{prompt.Length} prompt + {maxNew} new tokens exceed max_position_embeddings {w.Config.MaxPositions}");
        if ((long)capacity * w.Config.KvDim > Array.MaxLength)
            throw new UserInputException("--max-new", $"{capacity} positions × {w.Config.KvDim} key/value dimensions do not fit one layer's cache array");
        var dec = Decoders.Create(w, backend, capacity, numerics, threads);
        var sampler = new Sampler(temperature, seed);
        var generated = new List<int>();
        long? cycles0 = backend.Cycles;
        var sw = Stopwatch.StartNew();
        float[] logits = [];
        for (int i = 0; i < prompt.Length; i++)
        {
            progress?.Report(new ProgressUpdate(string.Create(CultureInfo.InvariantCulture, $"decode: prompt token {i + 1}/{prompt.Length}")));
            logits = dec.Step(prompt[i]);
            onLogits?.Invoke(logits);
        }
        while (true)
        {
            int next = sampler.Next(logits);
            generated.Add(next);
            onToken?.Invoke(next);
            if (generated.Count == maxNew) break;
            progress?.Report(new ProgressUpdate(string.Create(CultureInfo.InvariantCulture, $"decode: token {generated.Count + 1}/{maxNew}"),
                (double)generated.Count / maxNew));
            logits = dec.Step(next);
            onLogits?.Invoke(logits);
        }
        sw.Stop();
        long? cycles = backend.Cycles is long c1 && cycles0 is long c0 ? c1 - c0 : null;
        return new DecodeResult(backend.Name, prompt, [.. generated], dec.Position, sw.Elapsed.TotalSeconds, cycles, dec.TernaryBytesRead);
    }
}
