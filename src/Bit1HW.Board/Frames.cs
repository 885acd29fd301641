using System.Buffers.Binary;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Board;

/// <summary>One reply of the bridge: the request's SEQ it answers, its status and payload.</summary>
public sealed record Reply(byte Seq, UartStatus Status, byte[] Payload);

/// <summary>Request frames and reply parsing (docs/board.md, "Protocol").</summary>
public static class Frames
{
    /// <summary>SYNC, SEQ, CMD, ADDR (LE), COUNT, payload, CRC-16/MODBUS (LE) of everything after SYNC.</summary>
    public static byte[] Request(byte seq, UartCommand cmd, int addr, int count, ReadOnlySpan<byte> payload)
    {
        if (addr is < 0 or > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(addr), addr, "0..65535");
        if (count is < 0 or > UartProtocol.MaxCount) throw new ArgumentOutOfRangeException(nameof(count), count, "0..255");
        var f = new byte[UartProtocol.RequestHeaderBytes + payload.Length + UartProtocol.CrcBytes];
        f[0] = UartProtocol.RequestSync;
        f[1] = seq;
        f[2] = (byte)cmd;
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(3), (ushort)addr);
        f[5] = (byte)count;
        payload.CopyTo(f.AsSpan(UartProtocol.RequestHeaderBytes));
        AppendCrc(f);
        return f;
    }

    /// <summary>A reply frame as the bridge sends it (for tests and the documentation's worked example).</summary>
    public static byte[] ReplyFrame(byte seq, UartStatus status, ReadOnlySpan<byte> payload)
    {
        var f = new byte[UartProtocol.ReplyHeaderBytes + payload.Length + UartProtocol.CrcBytes];
        f[0] = UartProtocol.ReplySync;
        f[1] = seq;
        f[2] = (byte)status;
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(3), (ushort)payload.Length);
        payload.CopyTo(f.AsSpan(UartProtocol.ReplyHeaderBytes));
        AppendCrc(f);
        return f;
    }

    private static void AppendCrc(byte[] f)
    {
        ushort crc = Crc16Modbus.Compute(f.AsSpan(1, f.Length - 1 - UartProtocol.CrcBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(f.Length - UartProtocol.CrcBytes), crc);
    }

    /// <summary>Why a received reply was not usable.</summary>
    public enum ReplyProblem { None, NoReply, Truncated, BadCrc }

    /// <summary>
    /// Reads one reply from <paramref name="link"/> before its clock reaches <paramref name="deadline"/>: bytes before a
    /// reply SYNC are skipped; the header's LEN says how many bytes follow. Returns the reply, or null
    /// with the problem: nothing came, the frame stopped short, or its CRC is wrong.
    /// </summary>
    public static (Reply? Reply, ReplyProblem Problem, int BytesRead) ReadReply(ISerialLink link, TimeSpan deadline, int maxPayload)
    {
        var header = new byte[UartProtocol.ReplyHeaderBytes];
        int read = 0;
        bool synced = false;
        while (!synced)
        {
            int n = ReadSome(link, header.AsSpan(0, 1), deadline);
            if (n == 0) return (null, read == 0 ? ReplyProblem.NoReply : ReplyProblem.Truncated, read);
            read += n;
            synced = header[0] == UartProtocol.ReplySync;
        }
        if (!ReadExactly(link, header.AsSpan(1), deadline, ref read)) return (null, ReplyProblem.Truncated, read);
        int len = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(3));
        if (len > maxPayload) return (null, ReplyProblem.BadCrc, read);
        var rest = new byte[len + UartProtocol.CrcBytes];
        if (!ReadExactly(link, rest, deadline, ref read)) return (null, ReplyProblem.Truncated, read);
        ushort crc = Crc16Modbus.Compute(header.AsSpan(1));
        if (Crc16Modbus.Compute(rest, crc) != 0) return (null, ReplyProblem.BadCrc, read);
        return (new Reply(header[1], (UartStatus)header[2], rest[..len]), ReplyProblem.None, read);
    }

    private static bool ReadExactly(ISerialLink link, Span<byte> buffer, TimeSpan deadline, ref int read)
    {
        for (int got = 0; got < buffer.Length;)
        {
            int n = ReadSome(link, buffer[got..], deadline);
            if (n == 0) return false;
            got += n;
            read += n;
        }
        return true;
    }

    private static int ReadSome(ISerialLink link, Span<byte> buffer, TimeSpan deadline)
    {
        TimeSpan left = deadline - link.Clock;
        return left <= TimeSpan.Zero ? 0 : link.Read(buffer, left);
    }
}
