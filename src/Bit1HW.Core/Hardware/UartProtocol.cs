using System.Buffers.Binary;
using System.Numerics;

namespace Bit1HW.Core.Hardware;

/// <summary>Request commands of the UART host protocol (docs/board.md, "Protocol").</summary>
public enum UartCommand : byte
{
    Info = 0x01,
    Status = 0x02,
    Reset = 0x03,
    Start = 0x04,
    WriteImem = 0x10,
    WriteWmem = 0x11,
    WriteAmem = 0x12,
    ReadOmem = 0x20,
}

/// <summary>The status byte of a reply: 0 for success, else why the bridge rejected the request.</summary>
public enum UartStatus : byte
{
    Ok = 0x00,
    BadCrc = 0x01,
    UnknownCommand = 0x02,
    BadCount = 0x03,
    Timeout = 0x04,
    Busy = 0x05,
    Framing = 0x06,
}

/// <summary>What the INFO reply says about the bitstream: its engine configuration and its serial link.</summary>
public sealed record UartBoardInfo(HardwareConfig Config, long ClockHz, int CyclesPerBit, long TimeoutCycles, int StagingBytes);

/// <summary>
/// The framing of the UART host protocol as data, shared by the bridge generator and the host driver
/// (docs/board.md is the specification). A request is SYNC 0xB1, SEQ, CMD, ADDR (2 bytes), COUNT,
/// the payload (COUNT words for a write) and a CRC-16/MODBUS of everything after SYNC, low byte
/// first. A reply is SYNC 0x1B, SEQ, STATUS, LEN (2 bytes), LEN payload bytes and the CRC of
/// everything after SYNC. Multi-byte fields and memory words are little-endian. The CRC itself is
/// computed independently by each side (the RTL and the host), never shared.
/// </summary>
public static class UartProtocol
{
    public const byte Version = 1;
    public const byte RequestSync = 0xB1;
    public const byte ReplySync = 0x1B;
    public const int RequestHeaderBytes = 6;
    public const int ReplyHeaderBytes = 5;
    public const int CrcBytes = 2;
    /// <summary>The write staging buffer holds at least this many payload bytes (one iCE40 block RAM).</summary>
    public const int MinStagingBytes = 512;
    public const int MaxCount = 255;
    /// <summary>STATUS payload: flags (bit 0 busy, bit 1 done), busy cycles (u32), rejected frames (u16).</summary>
    public const int StatusPayloadBytes = 7;
    public const int InfoPayloadBytes = 28;
    /// <summary>Bytes of one omem row in a READ reply: the accumulator, sign-extended to whole bytes.</summary>
    public static int RowBytes(HardwareConfig c) => (c.AccBits + 7) / 8;

    /// <summary>Bytes of one word of the memory a write command loads.</summary>
    public static int WordBytes(HardwareConfig c, UartCommand write) => write switch
    {
        UartCommand.WriteImem => 4,
        UartCommand.WriteWmem => (c.WeightWordBits + 7) / 8,
        UartCommand.WriteAmem => (c.ActWordBits + 7) / 8,
        _ => throw new ArgumentOutOfRangeException(nameof(write), write, "not a write command"),
    };

    /// <summary>Bits of one word of the memory a write command loads.</summary>
    public static int WordBits(HardwareConfig c, UartCommand write) => write switch
    {
        UartCommand.WriteImem => 32,
        UartCommand.WriteWmem => c.WeightWordBits,
        UartCommand.WriteAmem => c.ActWordBits,
        _ => throw new ArgumentOutOfRangeException(nameof(write), write, "not a write command"),
    };

    public static readonly UartCommand[] WriteCommands = [UartCommand.WriteImem, UartCommand.WriteWmem, UartCommand.WriteAmem];

    /// <summary>Payload bytes the staging buffer holds: a power of two, at least 512 and one word of every memory.</summary>
    public static int StagingBytes(HardwareConfig c) =>
        (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinStagingBytes, WriteCommands.Max(w => WordBytes(c, w))));

    /// <summary>Most words one write frame may carry: what the staging buffer holds, at most 255.</summary>
    public static int MaxWriteWords(HardwareConfig c, UartCommand write) => Math.Min(MaxCount, StagingBytes(c) / WordBytes(c, write));

    /// <summary>Most omem words one READ may ask for: the reply's LEN is 16 bits.</summary>
    public static int MaxReadWords(HardwareConfig c) => Math.Min(MaxCount, ushort.MaxValue / (c.Rows * RowBytes(c)));

    /// <summary>The INFO payload (docs/board.md, "INFO"): what the host checks its compiled program against.</summary>
    public static byte[] InfoPayload(HardwareConfig c, UartLink link)
    {
        var b = new byte[InfoPayloadBytes];
        b[0] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(1), (ushort)c.Lanes);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(3), (ushort)c.Rows);
        b[5] = (byte)c.ActBits;
        b[6] = (byte)c.PipeEvery;
        b[7] = (byte)(c.Pe == PeKind.Ternary ? 0 : 1);
        b[8] = (byte)BitOperations.Log2((uint)c.WeightDepth);
        b[9] = (byte)BitOperations.Log2((uint)c.ActDepth);
        b[10] = (byte)BitOperations.Log2((uint)c.OutDepth);
        b[11] = (byte)BitOperations.Log2((uint)c.InstrDepth);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), (uint)c.MaxK);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), (uint)link.ClockHz);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(20), (ushort)link.CyclesPerBit);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(22), (uint)link.TimeoutCycles);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(26), (ushort)StagingBytes(c));
        return b;
    }

    /// <summary>Reads an INFO payload; a wrong length, version or configuration is a <see cref="UserInputException"/> on "board".</summary>
    public static UartBoardInfo ParseInfo(ReadOnlySpan<byte> b)
    {
        if (b.Length != InfoPayloadBytes)
            throw new UserInputException("board", $"INFO reply has {b.Length} bytes, {InfoPayloadBytes} expected (is this a Bit1HW bitstream?)");
        if (b[0] != Version)
            throw new UserInputException("board", $"protocol version {b[0]}; this host speaks version {Version}: rebuild the bitstream with this bit1hw");
        var cfg = new HardwareConfig
        {
            Lanes = BinaryPrimitives.ReadUInt16LittleEndian(b[1..]),
            Rows = BinaryPrimitives.ReadUInt16LittleEndian(b[3..]),
            ActBits = b[5],
            PipeEvery = b[6],
            Pe = b[7] == 0 ? PeKind.Ternary : PeKind.Mac,
            WeightDepth = 1 << Math.Min((int)b[8], 30),
            ActDepth = 1 << Math.Min((int)b[9], 30),
            OutDepth = 1 << Math.Min((int)b[10], 30),
            InstrDepth = 1 << Math.Min((int)b[11], 30),
            MaxK = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(b[12..]), int.MaxValue),
        }.Validate("board INFO");
        return new UartBoardInfo(cfg, BinaryPrimitives.ReadUInt32LittleEndian(b[16..]), BinaryPrimitives.ReadUInt16LittleEndian(b[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[22..]), BinaryPrimitives.ReadUInt16LittleEndian(b[26..]));
    }
}
