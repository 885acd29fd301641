using System.Globalization;

namespace Bit1HW.Core.Hardware;

/// <summary>
/// The serial line between a host and the board's UART bridge (docs/board.md): the board clock and
/// the baud rate. The bridge counts <see cref="CyclesPerBit"/> clock cycles per bit, so the real
/// rate is ClockHz / CyclesPerBit; <see cref="Validate"/> rejects a divider below
/// <see cref="MinCyclesPerBit"/> (the receiver samples each bit at its middle and needs a few cycles
/// to find it) and a rate error above <see cref="MaxErrorPercent"/> (a UART tolerates a few percent
/// of mismatch over one 10-bit character, shared between both ends). A frame whose next byte does
/// not come within <see cref="TimeoutCycles"/> is truncated: 32 character times, but at least 2 ms so
/// that the gaps of a USB serial adapter between its packets never cut a frame.
/// </summary>
public sealed record UartLink
{
    public const long DefaultClockHz = 12_000_000;
    public const int DefaultBaud = 115_200;
    public const int MinCyclesPerBit = 4;
    public const int MaxCyclesPerBit = 65_535;
    public const double MaxErrorPercent = 2.0;

    public long ClockHz { get; init; } = DefaultClockHz;
    public int Baud { get; init; } = DefaultBaud;

    public static UartLink Default { get; } = new();

    /// <summary>round(ClockHz / Baud): clock cycles per bit on the line.</summary>
    public int CyclesPerBit => (int)Math.Clamp(Math.Round((double)ClockHz / Baud, MidpointRounding.AwayFromZero), 1, int.MaxValue);

    /// <summary>The rate the bridge really runs at: ClockHz / CyclesPerBit.</summary>
    public double ActualBaud => (double)ClockHz / CyclesPerBit;

    public double ErrorPercent => Math.Abs(ActualBaud - Baud) / Baud * 100;

    /// <summary>Inter-byte timeout: max(32 character times, 2 ms), in clock cycles.</summary>
    public long TimeoutCycles => Math.Max(320L * CyclesPerBit, ClockHz / 500);

    /// <summary>Seconds one 10-bit character (start, 8 data, stop) takes on the line.</summary>
    public double SecondsPerByte => 10.0 * CyclesPerBit / ClockHz;

    /// <summary>Checks the clock and the divider; a <see cref="UserInputException"/> names <paramref name="subject"/> and says what would work.</summary>
    public UartLink Validate(string subject = "--baud")
    {
        if (ClockHz is < 1_000_000 or > 1_000_000_000)
            throw new UserInputException("--clock-hz", $"{ClockHz.ToString(CultureInfo.InvariantCulture)} is outside 1000000..1000000000");
        string clock = Mhz(ClockHz);
        if (Baud < 1 || Baud > ClockHz / MinCyclesPerBit)
            throw new UserInputException(subject, $"{Baud.ToString(CultureInfo.InvariantCulture)} baud on a {clock} MHz clock leaves fewer than {MinCyclesPerBit} clock cycles per bit (the receiver samples each bit at its middle); the fastest is {(ClockHz / MinCyclesPerBit).ToString(CultureInfo.InvariantCulture)}");
        if (CyclesPerBit > MaxCyclesPerBit)
            throw new UserInputException(subject, $"{Baud.ToString(CultureInfo.InvariantCulture)} baud on a {clock} MHz clock needs {CyclesPerBit} cycles per bit; at most {MaxCyclesPerBit}");
        if (ErrorPercent > MaxErrorPercent)
            throw new UserInputException(subject, string.Create(CultureInfo.InvariantCulture,
                $"{Baud} baud on a {clock} MHz clock: the nearest divider {CyclesPerBit} gives {ActualBaud:0} baud, {ErrorPercent:0.00} % off (at most {MaxErrorPercent:0} %); pick a rate that divides the clock, e.g. {ClockHz / CyclesPerBit / 10 * 10}"));
        return this;
    }

    private static string Mhz(long hz) => (hz / 1e6).ToString("0.###", CultureInfo.InvariantCulture);
}
