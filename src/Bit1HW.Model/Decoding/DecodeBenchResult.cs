using System.Globalization;
using System.Text;
using Bit1HW.Core;

namespace Bit1HW.Model.Decoding;

/// <summary>One kernel's ternary GEMV over every projection of a decoder step: its name and seconds per step.</summary>
public sealed record GemvTiming(string Kernel, double SecondsPerToken);

/// <summary>
/// One <see cref="DecodeBench.Measure"/>: peak resident bytes after loading and one decode (null
/// off Linux), copy bandwidth (GB/s, read + write), 2-bit weight bytes per token, the GEMV step per
/// kernel (the first is the one the decoder uses), the lm_head (seconds, bytes, type) and the timed
/// decode run.
/// </summary>
public sealed record DecodeBenchResult(string Format, ModelConfig Config, int Threads, long? PeakResidentBytes, double CopyGigabytesPerSecond,
    long TernaryBytesPerToken, IReadOnlyList<GemvTiming> Gemv, double LmHeadSecondsPerToken, long LmHeadBytes, string LmHeadType, long? LmHeadHugePageBytes, DecodeResult Decode)
{
    public double GemvSecondsPerToken => Gemv[0].SecondsPerToken;
    /// <summary>The float32 KV cache of one decode of this length (prompt + generated positions), which the peak includes.</summary>
    public long KvCacheBytes => 2L * Config.NumLayers * (Decode.Prompt.Length + Decode.Generated.Length) * Config.KvDim * sizeof(float);
    public double GemvGigabytesPerSecond => TernaryBytesPerToken / GemvSecondsPerToken / 1e9;

    /// <param name="fileBytes">The model's size on disk, for the peak-RSS ratio (null: not printed).</param>
    /// <param name="residentBeforeLoad">The resident set just before the model was loaded (the runtime's own, null: not printed), so a small model's figure can be split into the runtime's floor and what the model added.</param>
    public string ToText(long? fileBytes = null, long? residentBeforeLoad = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var c = Config;
        var r = Decode;
        var sb = new StringBuilder();
        sb.Append(inv, $"model            {Format}: {c.NumLayers} layers, hidden {c.HiddenSize}, ffn {c.IntermediateSize}, vocab {c.VocabSize}\n");
        sb.Append(inv, $"threads          {Threads}\n");
        if (PeakResidentBytes is long rss)
        {
            sb.Append(inv, $"peak RSS         {rss / 1e6:F0} MB after loading and one {Decode.Generated.Length}-token decode");
            if (fileBytes is long f && f > 0) sb.Append(inv, $" = {(double)rss / f:F3}x the {f / 1e6:F0} MB model file");
            sb.Append(inv, $" (of it, its KV cache: {KvCacheBytes / 1e6:F1} MB)");
            sb.Append('\n');
            if (residentBeforeLoad is long floor && fileBytes is long f2 && f2 > 0)
                sb.Append(inv, $"above start      {(rss - floor) / 1e6:F1} MB = {(double)(rss - floor) / f2:F2}x the file: peak RSS less the {floor / 1e6:F0} MB resident before loading (still counting code compiled and libraries mapped while loading and decoding)\n");
        }
        sb.Append(inv, $"stream copy      {CopyGigabytesPerSecond:F2} GB/s (read + write)\n");
        sb.Append(inv, $"ternary weights  {TernaryBytesPerToken / 1e6:F1} MB per token at 2 bits\n");
        foreach (var g in Gemv)
        {
            double gbs = TernaryBytesPerToken / g.SecondsPerToken / 1e9;
            sb.Append(inv, $"ternary gemv     {g.SecondsPerToken * 1e3:F2} ms per token = {gbs:F2} GB/s effective weight bandwidth ({100 * gbs / CopyGigabytesPerSecond:F0}% of copy), {g.Kernel}\n");
        }
        sb.Append(inv, $"lm_head          {LmHeadSecondsPerToken * 1e3:F2} ms per token = {LmHeadBytes / LmHeadSecondsPerToken / 1e9:F2} GB/s ({LmHeadBytes / 1e6:F1} MB of {LmHeadType})\n");
        if (LmHeadHugePageBytes is long huge)
            sb.Append(inv, $"lm_head pages    {huge / 1e6:F1} of {LmHeadBytes / 1e6:F1} MB in 2 MiB transparent huge pages\n");
        sb.Append(inv, $"decode           {r.TokensPerSecond:F2} tokens/s ({r.Steps} steps, {r.Seconds / r.Steps * 1e3:F2} ms per token incl. lm_head and attention, after a warm-up run)\n");
        return sb.ToString();
    }
}
