namespace Bit1HW.Board;

/// <summary>
/// The transport seam of the host driver: a byte stream to the board and one back. The real board
/// is a serial port (<see cref="SerialPortLink"/>); in tests and with <c>--port sim</c> it is the
/// board top under Verilator with the line modelled bit by bit (<see cref="SimulatedSerialLine"/>).
/// The driver (<see cref="BoardClient"/>) is the same code on both.
/// </summary>
public interface ISerialLink : IDisposable
{
    /// <summary>What the link is, for messages and reports (a device path, or "sim").</summary>
    string Name { get; }

    /// <summary>Queues bytes for the board; they go out back to back.</summary>
    void Write(ReadOnlySpan<byte> bytes);

    /// <summary>Waits at most <paramref name="timeout"/> for at least one byte from the board and returns
    /// how many were copied into <paramref name="buffer"/> (0: none came in time).</summary>
    int Read(Span<byte> buffer, TimeSpan timeout);

    /// <summary>The link's own time, which timeouts are measured in: wall-clock time since the port was
    /// opened, or the simulated time of the simulated line (so its timeouts are deterministic).</summary>
    TimeSpan Clock { get; }

    /// <summary>Time a reply may take beyond its bytes' time on the line (a USB adapter's buffering); zero for the simulated line.</summary>
    TimeSpan Latency { get; }
}
