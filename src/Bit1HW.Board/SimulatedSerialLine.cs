using Bit1HW.CoSim;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Board;

namespace Bit1HW.Board;

/// <summary>
/// The serial line to the whole board top under Verilator (<see cref="BoardVerilatorModel"/>),
/// modelled bit by bit: a byte the host writes goes out as a start bit, eight data bits (least
/// significant first) and a stop bit, each held on uart_rx for the link's cycles per bit, back to
/// back like a USB serial adapter; uart_tx is sampled every cycle and decoded the same way, at the
/// middle of each bit. Time is simulated: the line's <see cref="Clock"/> is the board's cycle count
/// divided by its clock, so a timeout of the driver costs simulated cycles, never wall time, and a
/// run is deterministic. The simulation advances only while the host waits in <see cref="Read"/>.
/// </summary>
public sealed class SimulatedSerialLine : ISerialLink
{
    private readonly BoardVerilatorModel _board;
    private readonly int _cyclesPerBit;
    private readonly Queue<byte> _toBoard = new();
    private readonly Queue<byte> _fromBoard = new();
    private readonly byte[] _tx = new byte[1 << 12];
    private int _sendBit = -1, _sendCyclesLeft;
    private byte _sendByte;
    private long _recvCount = -1;
    private int _recvByte;

    public SimulatedSerialLine(BoardVerilatorModel board)
    {
        _board = board;
        _cyclesPerBit = board.Link.CyclesPerBit;
        // The board is configured and out of its power-on reset before a host opens the port.
        _board.Run(true, _tx.AsSpan(0, PowerUpCycles));
    }

    /// <summary>Idle cycles clocked before the first byte: the board's power-on reset (16 cycles) and then some.</summary>
    public const int PowerUpCycles = 64;

    /// <summary>Builds the board design for <paramref name="cfg"/> and <paramref name="link"/> (cached) and connects a line to it.</summary>
    public static SimulatedSerialLine Start(HardwareConfig cfg, UartLink link, TextWriter? progress = null, BridgeFaults faults = BridgeFaults.None) =>
        new(BoardVerilatorModel.Create(cfg, link, progress, faults));

    public string Name => "sim";
    public TimeSpan Clock => TimeSpan.FromSeconds((double)_board.Cycle / _board.Link.ClockHz);
    public TimeSpan Latency => TimeSpan.Zero;
    /// <summary>The simulated board (cycle count, LEDs).</summary>
    public BoardVerilatorModel Board => _board;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) _toBoard.Enqueue(b);
    }

    public int Read(Span<byte> buffer, TimeSpan timeout)
    {
        long end = _board.Cycle + (long)Math.Ceiling(timeout.TotalSeconds * _board.Link.ClockHz);
        while (_fromBoard.Count == 0 && _board.Cycle < end) Advance(end - _board.Cycle);
        int n = 0;
        while (n < buffer.Length && _fromBoard.TryDequeue(out byte b)) buffer[n++] = b;
        return n;
    }

    /// <summary>Clocks the board while uart_rx keeps one level: the rest of the current bit, or idle time.</summary>
    private void Advance(long maxCycles)
    {
        if (_sendBit < 0 && _toBoard.TryDequeue(out byte next))
        {
            _sendByte = next;
            _sendBit = 0;
            _sendCyclesLeft = _cyclesPerBit;
        }
        bool level = _sendBit switch
        {
            < 0 => true,
            0 => false,
            9 => true,
            _ => ((_sendByte >> (_sendBit - 1)) & 1) != 0,
        };
        long limit = _sendBit < 0 ? 10L * _cyclesPerBit : _sendCyclesLeft;
        int run = (int)Math.Min(Math.Min(limit, maxCycles), _tx.Length);
        _board.Run(level, _tx.AsSpan(0, run));
        for (int i = 0; i < run; i++) Receive(_tx[i]);
        if (_sendBit >= 0 && (_sendCyclesLeft -= run) == 0)
        {
            _sendBit = _sendBit == 9 ? -1 : _sendBit + 1;
            _sendCyclesLeft = _cyclesPerBit;
        }
    }

    /// <summary>One uart_tx sample: find a start bit, then read each bit at its middle.</summary>
    private void Receive(byte tx)
    {
        int d = _cyclesPerBit;
        if (_recvCount < 0)
        {
            if (tx == 0)
            {
                _recvCount = 0;
                _recvByte = 0;
            }
            return;
        }
        long at = ++_recvCount - d / 2;
        if (at % d != 0) return;
        long bit = at / d;
        if (bit == 0 && tx != 0) _recvCount = -1;
        else if (bit is >= 1 and <= 8) _recvByte |= tx << (int)(bit - 1);
        else if (bit == 9)
        {
            if (tx != 0) _fromBoard.Enqueue((byte)_recvByte);
            _recvCount = -1;
        }
    }

    public void Dispose() => _board.Dispose();
}
