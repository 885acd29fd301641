using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Verilog;

namespace Bit1HW.HdlGen.Board;

/// <summary>
/// Deliberate bugs the UART bridge can be generated with, for tests only: the fault-injection tests
/// must be shown to catch each of them. Never exposed on the command line.
/// </summary>
[Flags]
public enum BridgeFaults
{
    None = 0,
    /// <summary>Frames are executed whatever their CRC.</summary>
    IgnoreCrc = 1,
    /// <summary>Write frames are executed while the engine is busy.</summary>
    WriteWhileBusy = 2,
    /// <summary>A retransmitted START (same SEQ as the START just executed) starts the engine again.</summary>
    RestartOnRetransmittedStart = 4,
}

/// <summary>
/// The UART board design: the engine (<see cref="RtlGenerator"/>'s files, without the self-test
/// wrapper) and, around its host port, the UART receiver and transmitter, the CRC, the protocol
/// bridge and the board top <c>bit1hw_uart_board_&lt;tag&gt;_d&lt;cycles per bit&gt;</c> with the ports
/// clk, uart_rx, uart_tx, led_ready_n and led_error_n (docs/board.md). Nothing is written here.
/// </summary>
public static class BoardRtl
{
    /// <summary>
    /// Every Verilog file of the UART board design, in ordinal order of path; the engine in
    /// <paramref name="variant"/> (default generic; the iCEBreaker bitstream uses the UP5K target).
    /// </summary>
    public static IReadOnlyList<GeneratedFile> Generate(HardwareConfig cfg, UartLink link, BridgeFaults faults = BridgeFaults.None,
        RtlVariant? variant = null)
    {
        cfg.Validate();
        link.Validate();
        BridgeGenerator.CheckFits(cfg);
        string selfTest = RtlGenerator.BoardModule(cfg) + ".v";
        var files = RtlGenerator.Generate(cfg, variant ?? RtlVariant.Generic).Where(f => f.RelativePath != selfTest).ToList();
        foreach (Module m in Modules(cfg, link, faults))
            files.Add(new GeneratedFile($"{m.Name}.v", Printer.Print(Prepare.Run(m))));
        return files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>The board top's module name.</summary>
    public static string TopModule(HardwareConfig cfg, UartLink link) => UartBoardGenerator.ModuleName(cfg, link);

    internal static IReadOnlyList<Module> Modules(HardwareConfig cfg, UartLink link, BridgeFaults faults) =>
    [
        UartBoardGenerator.Build(cfg, link).Build(),
        BridgeGenerator.Build(cfg, link, faults).Build(),
        UartRxGenerator.Build(link).Build(),
        UartTxGenerator.Build(link).Build(),
        Crc16Generator.Build(link).Build(),
    ];
}
