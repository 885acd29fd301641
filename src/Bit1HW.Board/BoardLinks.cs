using Bit1HW.Core.Hardware;

namespace Bit1HW.Board;

/// <summary>Opens the link a <c>--port</c> names: <c>sim</c> for the simulated board, else a serial device.</summary>
public static class BoardLinks
{
    public const string Simulated = "sim";

    /// <summary>
    /// <c>sim</c>: the UART board design for <paramref name="simConfig"/> at <paramref name="link"/> under
    /// Verilator (built or taken from the cache; messages to <paramref name="progress"/>). Anything else
    /// is a serial device opened at the link's baud.
    /// </summary>
    public static ISerialLink Open(string port, UartLink link, HardwareConfig simConfig, TextWriter? progress = null) =>
        port == Simulated ? SimulatedSerialLine.Start(simConfig, link, progress) : new SerialPortLink(port, link.Baud);
}
