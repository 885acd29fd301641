using System.Buffers.Binary;
using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Board;

/// <summary>The STATUS reply: whether the engine is busy or done, its busy cycles since the last START, and rejected frames.</summary>
public sealed record BoardStatus(bool Busy, bool Done, long Cycles, int Rejected);

/// <summary>The board refused a write, START or READ because the engine was still running.</summary>
public sealed class BoardBusyException(string message) : Exception(message);

/// <summary>
/// The host driver of the UART protocol (docs/board.md), over any <see cref="ISerialLink"/>. Every
/// request is stop-and-wait: send a frame, wait for the reply with its SEQ. A frame is retried, with
/// the same SEQ, when the board rejects it with an error status (BadCrc, Timeout, Framing, and the
/// header checks a damaged byte can trip), when no reply comes in time, or when the reply is
/// truncated or fails its CRC; before each retry the driver waits until the line has been quiet
/// for the bridge's inter-byte timeout, so the two ends agree again on where a frame starts. After
/// <see cref="MaxAttempts"/> attempts it gives up (an <see cref="ExternalToolException"/>). Nothing
/// is ever accepted without its CRC, so a dropped or damaged byte is retried, never read as data.
/// </summary>
public sealed class BoardClient
{
    private readonly ISerialLink _link;
    private byte _seq;
    private double _secondsPerByte;
    private double _bridgeTimeoutSeconds;

    public int MaxAttempts { get; }
    public LinkStats Stats { get; } = new();
    /// <summary>The board's INFO, read by <see cref="Connect"/>.</summary>
    public UartBoardInfo Info { get; private set; } = null!;
    public HardwareConfig Config => Info.Config;
    public ISerialLink Link => _link;

    /// <param name="link">The transport.</param>
    /// <param name="expected">The serial link the bitstream was built for (its baud sets the timeouts until INFO arrives).</param>
    public BoardClient(ISerialLink link, UartLink expected, int maxAttempts = 8, byte firstSeq = 0)
    {
        if (maxAttempts is < 1 or > 100) throw new UserInputException("--attempts", $"{maxAttempts} is outside 1..100");
        _link = link;
        MaxAttempts = maxAttempts;
        _seq = firstSeq;
        _secondsPerByte = expected.SecondsPerByte;
        _bridgeTimeoutSeconds = (double)expected.TimeoutCycles / expected.ClockHz;
    }

    /// <summary>Reads INFO (the bitstream's configuration and link), checks its baud against the expected one and resets the engine.</summary>
    public UartBoardInfo Connect(UartLink expected)
    {
        Reply r = Transact(UartCommand.Info, 0, 0, [], UartProtocol.InfoPayloadBytes);
        UartBoardInfo info = UartProtocol.ParseInfo(r.Payload);
        // The host only knows the rate it opened the port at; the bitstream's own clock may differ (Arty: 100 MHz).
        double boardBaud = (double)info.ClockHz / info.CyclesPerBit;
        if (Math.Abs(boardBaud - expected.Baud) > expected.Baud * UartLink.MaxErrorPercent / 100)
            throw new UserInputException("--baud", string.Create(CultureInfo.InvariantCulture,
                $"is {expected.Baud}, but the board's bitstream runs at {boardBaud:0} baud ({info.CyclesPerBit} cycles per bit of its {info.ClockHz} Hz clock)"));
        Info = info;
        _secondsPerByte = 10.0 * info.CyclesPerBit / info.ClockHz;
        _bridgeTimeoutSeconds = (double)info.TimeoutCycles / info.ClockHz;
        Reset();
        return info;
    }

    public void Reset() => Transact(UartCommand.Reset, 0, 0, [], 0);

    public void Start() => Transact(UartCommand.Start, 0, 0, [], 0);

    public BoardStatus ReadStatus()
    {
        byte[] p = Transact(UartCommand.Status, 0, 0, [], UartProtocol.StatusPayloadBytes).Payload;
        return new BoardStatus((p[0] & 1) != 0, (p[0] & 2) != 0, BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(1)),
            BinaryPrimitives.ReadUInt16LittleEndian(p.AsSpan(5)));
    }

    /// <summary>Writes words (each <see cref="UartProtocol.WordBytes"/> little-endian bytes, concatenated) from
    /// <paramref name="address"/> on, in frames of at most <see cref="UartProtocol.MaxWriteWords"/> words.</summary>
    public void Write(UartCommand memory, int address, ReadOnlySpan<byte> words)
    {
        int wordBytes = UartProtocol.WordBytes(Config, memory), max = UartProtocol.MaxWriteWords(Config, memory);
        if (words.Length % wordBytes != 0) throw new ArgumentException($"{words.Length} bytes are not whole {wordBytes}-byte words", nameof(words));
        for (int w = 0; w < words.Length / wordBytes; w += max)
        {
            int n = Math.Min(max, words.Length / wordBytes - w);
            Transact(memory, address + w, n, words.Slice(w * wordBytes, n * wordBytes), 0);
        }
    }

    /// <summary>Rows of omem words [word, word + count), row-major: value[i · rows + r].</summary>
    public int[] ReadOutputs(int word, int count)
    {
        int rows = Config.Rows, rowBytes = UartProtocol.RowBytes(Config), max = UartProtocol.MaxReadWords(Config);
        var values = new int[count * rows];
        for (int w = 0; w < count; w += max)
        {
            int n = Math.Min(max, count - w);
            byte[] p = Transact(UartCommand.ReadOmem, word + w, n, [], n * rows * rowBytes).Payload;
            for (int i = 0; i < n * rows; i++) values[w * rows + i] = SignExtend(p.AsSpan(i * rowBytes, rowBytes));
        }
        return values;
    }

    private static int SignExtend(ReadOnlySpan<byte> le)
    {
        uint v = 0;
        for (int i = le.Length - 1; i >= 0; i--) v = (v << 8) | le[i];
        int shift = 32 - 8 * le.Length;
        return (int)(v << shift) >> shift;
    }

    /// <summary>One request with bounded retries; returns the board's OK reply.</summary>
    internal Reply Transact(UartCommand cmd, int addr, int count, ReadOnlySpan<byte> payload, int replyPayloadBytes)
    {
        byte seq = _seq++;
        byte[] frame = Frames.Request(seq, cmd, addr, count, payload);
        Stats.Frames++;
        string last = "";
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                Stats.Retry(last);
                Resync();
            }
            _link.Write(frame);
            Stats.BytesSent += frame.Length;
            Reply? r = AwaitReply(seq, frame.Length, replyPayloadBytes, out last);
            if (r is null) continue;
            if (r.Status == UartStatus.Busy) throw new BoardBusyException($"board: {cmd} refused: the engine is busy");
            if (r.Status != UartStatus.Ok) { last = LinkStats.Reason(r.Status); continue; }
            if (r.Payload.Length != replyPayloadBytes) { last = "reply length"; continue; }
            return r;
        }
        throw new ExternalToolException("board", $"{cmd} (SEQ {seq}) failed {MaxAttempts} times over {_link.Name}; last problem: {last}. " +
            "Is the board programmed with a bit1hw UART bitstream of the same --baud?");
    }

    /// <summary>Waits for the reply that carries <paramref name="seq"/>, skipping replies to other SEQs.</summary>
    private Reply? AwaitReply(byte seq, int requestBytes, int replyPayloadBytes, out string problem)
    {
        int replyBytes = UartProtocol.ReplyHeaderBytes + replyPayloadBytes + UartProtocol.CrcBytes;
        TimeSpan deadline = _link.Clock + _link.Latency
            + TimeSpan.FromSeconds((requestBytes + replyBytes + 16) * _secondsPerByte * 1.25 + _bridgeTimeoutSeconds);
        while (true)
        {
            var (reply, why, read) = Frames.ReadReply(_link, deadline, Math.Max(replyPayloadBytes, UartProtocol.InfoPayloadBytes));
            Stats.BytesReceived += read;
            if (reply is null)
            {
                problem = why switch
                {
                    Frames.ReplyProblem.NoReply => "no reply",
                    Frames.ReplyProblem.Truncated => "reply truncated",
                    _ => "reply CRC",
                };
                return null;
            }
            if (reply.Seq == seq)
            {
                problem = "";
                return reply;
            }
            Stats.StaleReplies++;
        }
    }

    /// <summary>Discards whatever arrives until the line has been quiet for longer than the bridge's inter-byte timeout
    /// plus a reply, so a half-received frame on either side has been drained and answered.</summary>
    private void Resync()
    {
        TimeSpan quiet = _link.Latency + TimeSpan.FromSeconds(_bridgeTimeoutSeconds + 32 * _secondsPerByte);
        var sink = new byte[256];
        for (int rounds = 0; rounds < 64; rounds++)
        {
            int n = _link.Read(sink, quiet);
            Stats.BytesReceived += n;
            if (n == 0) return;
        }
    }
}
