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

    public string ToJson()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append(inv, $"  \"backend\": \"{Backend}\",\n");
        sb.Append(inv, $"  \"prompt_tokens\": [{string.Join(", ", Prompt)}],\n");
        sb.Append(inv, $"  \"generated_tokens\": [{string.Join(", ", Generated)}],\n");
        sb.Append(inv, $"  \"steps\": {Steps},\n");
        sb.Append(inv, $"  \"seconds\": {Seconds.ToString("F6", inv)},\n");
        sb.Append(inv, $"  \"tokens_per_second\": {TokensPerSecond.ToString("F3", inv)},\n");
        sb.Append(inv, $"  \"ternary_weight_bytes_read\": {TernaryBytesRead},\n");
        sb.Append(inv, $"  \"cycles\": {(Cycles is long c ? c.ToString(inv) : "null")},\n");
        sb.Append(inv, $"  \"cycles_per_token\": {(CyclesPerToken is double d ? d.ToString("F1", inv) : "null")}\n");
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

    /// <summary>Feeds the prompt, then generates <paramref name="maxNew"/> tokens (greedy at temperature 0, else sampled with <paramref name="seed"/>); <paramref name="onLogits"/> sees every step's logits; the lm_head runs on <paramref name="threads"/> threads (0 = all cores).</summary>
    public static DecodeResult Run(BitNetWeights w, ITernaryLinearBackend backend, int[] prompt, int maxNew,
        double temperature, ulong seed, Action<float[]>? onLogits = null, DecoderNumerics numerics = DecoderNumerics.Bit1hw, int threads = 0)
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
        foreach (int t in prompt) { logits = dec.Step(t); onLogits?.Invoke(logits); }
        while (true)
        {
            int next = sampler.Next(logits);
            generated.Add(next);
            if (generated.Count == maxNew) break;
            logits = dec.Step(next);
            onLogits?.Invoke(logits);
        }
        sw.Stop();
        long? cycles = backend.Cycles is long c1 && cycles0 is long c0 ? c1 - c0 : null;
        return new DecodeResult(backend.Name, prompt, [.. generated], dec.Position, sw.Elapsed.TotalSeconds, cycles, dec.TernaryBytesRead);
    }
}
