using Bit1HW.Core.Hardware;

namespace Bit1HW.Board.Tests;

/// <summary>
/// A link that damages the traffic of the link it wraps, once, where a test says: a frame the host
/// writes (each <see cref="Write"/> of the driver is one frame) may be mutated, and one byte of the
/// board's replies may be dropped. The fault fires on the first frame that matches.
/// </summary>
internal sealed class FaultyLink(ISerialLink inner) : ISerialLink
{
    private Func<byte[], bool>? _match;
    private Func<byte[], byte[]>? _mutate;
    private long _incoming;
    private long _dropIncomingAt = -1;

    public ISerialLink Inner => inner;
    public bool Fired { get; private set; }
    public string Name => "faulty " + inner.Name;
    public TimeSpan Clock => inner.Clock;
    public TimeSpan Latency => inner.Latency;

    /// <summary>Mutates the first written frame whose command is <paramref name="command"/>.</summary>
    public FaultyLink OnFrame(UartCommand command, Func<byte[], byte[]> mutate)
    {
        _match = f => f.Length > 2 && f[2] == (byte)command;
        _mutate = mutate;
        return this;
    }

    /// <summary>Drops the byte at <paramref name="index"/> (counted from 0 over everything the board sent since now).</summary>
    public FaultyLink DropIncoming(long index)
    {
        _dropIncomingAt = _incoming + index;
        return this;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        byte[] frame = bytes.ToArray();
        if (!Fired && _match is not null && _match(frame))
        {
            Fired = true;
            frame = _mutate!(frame);
        }
        inner.Write(frame);
    }

    public int Read(Span<byte> buffer, TimeSpan timeout)
    {
        while (true)
        {
            int n = inner.Read(buffer, timeout);
            if (n == 0 || _dropIncomingAt < _incoming || _dropIncomingAt >= _incoming + n)
            {
                _incoming += n;
                return n;
            }
            int at = (int)(_dropIncomingAt - _incoming);
            buffer[(at + 1)..n].CopyTo(buffer[at..]);
            _incoming += n;
            _dropIncomingAt = -1;
            Fired = true;
            if (n - 1 > 0) return n - 1;
        }
    }

    public void Dispose() => inner.Dispose();

    public static byte[] FlipBit(byte[] f, int index, int bit)
    {
        var g = (byte[])f.Clone();
        g[index] ^= (byte)(1 << bit);
        return g;
    }

    public static byte[] Drop(byte[] f, int index) => [.. f[..index], .. f[(index + 1)..]];

    public static byte[] Prepend(byte[] garbage, byte[] f) => [.. garbage, .. f];
}
