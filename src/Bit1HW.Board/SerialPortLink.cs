using System.Diagnostics;
using System.IO.Ports;
using Bit1HW.Core;

namespace Bit1HW.Board;

/// <summary>
/// A real serial port (the iCEBreaker's FTDI channel B is usually /dev/ttyUSB1): 8 data bits, no
/// parity, one stop bit, no flow control. Opening a missing or busy port is an
/// <see cref="ExternalToolException"/> that says so (exit 3), so "no board attached" is plain.
/// </summary>
public sealed class SerialPortLink : ISerialLink
{
    private readonly SerialPort _port;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SerialPortLink(string device, int baud)
    {
        _port = new SerialPort(device, baud, Parity.None, 8, StopBits.One) { Handshake = Handshake.None, ReadTimeout = 1, WriteTimeout = 5000 };
        try
        {
            _port.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            _port.Dispose();
            throw new ExternalToolException("board", $"cannot open serial port {device} ({e.Message}); is the board plugged in (the iCEBreaker's UART is usually /dev/ttyUSB1) and may you use the port (group dialout)?");
        }
        _port.DiscardInBuffer();
    }

    public string Name => _port.PortName;
    public TimeSpan Clock => _clock.Elapsed;
    /// <summary>USB serial adapters hold received bytes up to their latency timer (16 ms by default on FTDI) and the USB frame.</summary>
    public TimeSpan Latency => TimeSpan.FromMilliseconds(50);

    public void Write(ReadOnlySpan<byte> bytes) => _port.BaseStream.Write(bytes);

    public int Read(Span<byte> buffer, TimeSpan timeout)
    {
        TimeSpan until = _clock.Elapsed + timeout;
        while (_port.BytesToRead == 0)
        {
            if (_clock.Elapsed >= until) return 0;
            Thread.Sleep(1);
        }
        var tmp = new byte[Math.Min(_port.BytesToRead, buffer.Length)];
        int n = _port.Read(tmp, 0, tmp.Length);
        tmp.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public void Dispose() => _port.Dispose();
}
