using System.Text.Json;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Board;

/// <summary>
/// What happened on the link: frames and bytes each way, and every retry with its reason (the board
/// rejected the frame with an error status, no reply came, the reply stopped short or failed its
/// CRC). Replies that answer another SEQ (a stale or garbled one) are counted and skipped.
/// </summary>
public sealed class LinkStats
{
    private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);

    public int Frames { get; internal set; }
    public int Retries { get; internal set; }
    public long BytesSent { get; internal set; }
    public long BytesReceived { get; internal set; }
    public int StaleReplies { get; internal set; }
    /// <summary>Retries by reason, e.g. "board: BadCrc", "no reply", "reply CRC".</summary>
    public IReadOnlyDictionary<string, int> RetryReasons => _reasons;

    internal void Retry(string reason)
    {
        Retries++;
        _reasons[reason] = _reasons.GetValueOrDefault(reason) + 1;
    }

    internal static string Reason(UartStatus s) => $"board: {s}";

    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("frames", Frames);
        w.WriteNumber("retries", Retries);
        w.WriteNumber("bytesSent", BytesSent);
        w.WriteNumber("bytesReceived", BytesReceived);
        w.WriteNumber("staleReplies", StaleReplies);
        w.WriteStartObject("retryReasons");
        foreach (var (reason, n) in _reasons.OrderBy(r => r.Key, StringComparer.Ordinal)) w.WriteNumber(reason, n);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public override string ToString() =>
        $"{Frames} frames, {BytesSent} bytes sent, {BytesReceived} received, {Retries} retries" +
        (_reasons.Count == 0 ? "" : $" ({string.Join(", ", _reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} ×{r.Value}"))})");
}
