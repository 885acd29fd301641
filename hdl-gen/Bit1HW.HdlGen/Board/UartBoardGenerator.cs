using System.Globalization;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

/// <summary>
/// The UART board top <c>bit1hw_uart_board_&lt;tag&gt;_d&lt;cycles per bit&gt;</c>: a power-on reset
/// (a 4-bit counter that relies on the FPGA's zero power-up state), the UART receiver and transmitter
/// on uart_rx / uart_tx, the protocol bridge and the engine top, connected only through the engine's
/// documented ports. led_ready_n (active low) lights once out of reset; led_error_n lights after a
/// rejected frame until the next accepted one.
/// </summary>
internal static class UartBoardGenerator
{
    public static string ModuleName(HardwareConfig cfg, UartLink link) =>
        string.Create(CultureInfo.InvariantCulture, $"bit1hw_uart_board_{cfg.Tag}_d{link.CyclesPerBit}");

    public static ModuleBuilder Build(HardwareConfig cfg, UartLink link)
    {
        var m = new ModuleBuilder(ModuleName(cfg, link));
        BoardHeaders.Add(m, link, "UART board top: serial host link, protocol bridge and the engine.", cfg);
        Ref clk = m.Input("clk", VType.Bit);
        Ref uartRx = m.Input("uart_rx", VType.Bit);
        Ref uartTx = m.Output("uart_tx", VType.Bit);
        Ref ledReadyN = m.Output("led_ready_n", VType.Bit);
        Ref ledErrorN = m.Output("led_error_n", VType.Bit);

        var porT = VType.U(4);
        Ref por = m.Reg("por_cnt", porT, 0);
        Ref rst = m.Reg("rst", VType.Bit, 1);
        m.Comment("Power-on reset: held for 15 cycles after configuration, then released (registered).");
        Ref porDone = m.Wire("por_done", EqC(por, 15));
        m.Always(clk, Set(por, Mux(porDone, por, Add(por, C(1, porT), porT), porT)), Set(rst, Not(porDone)));

        Ref rxValid = m.Net("rx_valid", VType.Bit), rxData = m.Net("rx_data", VType.U(8)), rxError = m.Net("rx_error", VType.Bit);
        Ref txReady = m.Net("tx_ready", VType.Bit), txSend = m.Net("tx_send", VType.Bit), txData = m.Net("tx_data", VType.U(8));
        m.Comment("Serial line.");
        m.Instantiate(UartRxGenerator.ModuleName(link), "uart_rx_i", Pin("clk", clk), Pin("rst", rst), Pin("rx", uartRx),
            Pin("byte_valid", rxValid), Pin("byte_data", rxData), Pin("frame_error", rxError));
        m.Instantiate(UartTxGenerator.ModuleName(link), "uart_tx_i", Pin("clk", clk), Pin("rst", rst), Pin("send", txSend),
            Pin("data", txData), Pin("tx", uartTx), Pin("ready", txReady));

        Ref busy = m.Net("busy", VType.Bit), done = m.Net("done", VType.Bit), engRstReq = m.Net("eng_rst_req", VType.Bit);
        Ref start = m.Net("start", VType.Bit), hostWe = m.Net("host_we", VType.Bit), hostSel = m.Net("host_sel", VType.U(2));
        Ref hostAddr = m.Net("host_addr", VType.U(cfg.HostAddrBits)), hostWdata = m.Net("host_wdata", VType.U(cfg.HostDataBits));
        Ref hostRaddr = m.Net("host_raddr", VType.U(cfg.OutAddrBits)), hostRrow = m.Net("host_rrow", VType.U(cfg.RowSelectBits));
        Ref hostRdata = m.Net("host_rdata", VType.S(cfg.AccBits)), errorLed = m.Net("error_led", VType.Bit);
        m.Comment("Protocol bridge.");
        m.Instantiate(BridgeGenerator.ModuleName(cfg, link), "bridge",
            Pin("clk", clk), Pin("rst", rst), Pin("rx_valid", rxValid), Pin("rx_data", rxData), Pin("rx_error", rxError),
            Pin("tx_ready", txReady), Pin("eng_busy", busy), Pin("eng_done", done), Pin("host_rdata", hostRdata),
            Pin("tx_send", txSend), Pin("tx_data", txData), Pin("eng_rst", engRstReq), Pin("eng_start", start),
            Pin("host_we", hostWe), Pin("host_sel", hostSel), Pin("host_addr", hostAddr), Pin("host_wdata", hostWdata),
            Pin("host_raddr", hostRaddr), Pin("host_rrow", hostRrow), Pin("error_led", errorLed));
        m.Comment("The engine, reset at power-on and by the RESET command.");
        Ref engRst = m.Wire("eng_rst", Or(rst, engRstReq));
        m.Instantiate(TopGenerator.ModuleName(cfg), "engine",
            Pin("clk", clk), Pin("rst", engRst), Pin("start", start), Pin("busy", busy), Pin("done", done),
            Pin("host_we", hostWe), Pin("host_sel", hostSel), Pin("host_addr", hostAddr), Pin("host_wdata", hostWdata),
            Pin("host_raddr", hostRaddr), Pin("host_rrow", hostRrow), Pin("host_rdata", hostRdata),
            Pin("dbg_pc", m.Net("unused_dbg_pc", VType.U(cfg.InstrAddrBits))), Pin("dbg_acc_en", m.Net("unused_dbg_acc_en", VType.Bit)));
        m.Comment("LEDs (active low).");
        m.Drive(ledReadyN, rst);
        m.Drive(ledErrorN, Not(errorLed));
        return m;
    }
}
