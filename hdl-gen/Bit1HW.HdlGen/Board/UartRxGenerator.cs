using System.Globalization;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

/// <summary>
/// The UART receiver <c>bit1hw_uart_rx_d&lt;cycles per bit&gt;</c>: 8 data bits, no parity, one stop
/// bit, least significant bit first. The asynchronous line passes two synchronizer flip-flops. In
/// IDLE a low level starts a character; START checks that the line is still low half a bit later
/// (else it was a glitch); DATA samples one bit every CYCLES_PER_BIT cycles from there, i.e. at the
/// middle of each bit; STOP samples the stop bit at its middle: a 1 completes the byte (byte_valid),
/// a 0 is a framing error (frame_error), each a one-cycle pulse. The receiver is back in IDLE at the
/// middle of the stop bit, so the next start bit may follow the stop bit directly.
/// </summary>
internal static class UartRxGenerator
{
    public static string ModuleName(UartLink link) => $"bit1hw_uart_rx_d{link.CyclesPerBit.ToString(CultureInfo.InvariantCulture)}";

    public static ModuleBuilder Build(UartLink link)
    {
        int d = link.CyclesPerBit;
        var m = new ModuleBuilder(ModuleName(link));
        BoardHeaders.Add(m, link, $"UART receiver: 8N1, LSB first, {d} clock cycles per bit, byte_valid / frame_error pulses.");
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref rx = m.Input("rx", VType.Bit);
        Ref byteValid = m.OutputReg("byte_valid", VType.Bit);
        Ref byteData = m.OutputReg("byte_data", VType.U(8));
        Ref frameError = m.OutputReg("frame_error", VType.Bit);

        var tickT = VType.U(Widths.AddressBits(d));
        var stT = VType.U(2);
        Ref sIdle = m.ValueParam("ST_IDLE", C(0, stT)), sStart = m.ValueParam("ST_START", C(1, stT));
        Ref sData = m.ValueParam("ST_DATA", C(2, stT)), sStop = m.ValueParam("ST_STOP", C(3, stT));
        Ref bitEnd = m.ValueParam("CYCLES_PER_BIT_M1", C(d - 1, tickT));
        Ref halfBit = m.ValueParam("HALF_BIT_M1", C(d / 2 - 1, tickT));
        Ref rxMeta = m.Reg("rx_meta", VType.Bit, 1);
        Ref rxSync = m.Reg("rx_sync", VType.Bit, 1);
        Ref state = m.Reg("state", stT, 0);
        Ref tick = m.Reg("tick", tickT, 0);
        Ref bitIdx = m.Reg("bit_idx", VType.U(3), 0);
        m.Comment("Two-flip-flop synchronizer for the asynchronous line (idles high).");
        m.Always(clk, Set(rxMeta, rx), Set(rxSync, rxMeta));

        m.Comment("Where the receiver is in a character.");
        Ref inIdle = m.Wire("in_idle", Eq(state, sIdle));
        Ref inStart = m.Wire("in_start", Eq(state, sStart));
        Ref inData = m.Wire("in_data", Eq(state, sData));
        Ref inStop = m.Wire("in_stop", Eq(state, sStop));
        Ref atHalf = m.Wire("at_half_bit", Eq(tick, halfBit));
        Ref atEnd = m.Wire("at_bit_end", Eq(tick, bitEnd));
        Ref startEdge = m.Wire("start_edge", And(inIdle, Not(rxSync)));
        Ref startOk = m.Wire("start_ok", And(And(inStart, atHalf), Not(rxSync)));
        Ref glitch = m.Wire("start_glitch", And(And(inStart, atHalf), rxSync));
        Ref sample = m.Wire("data_sample", And(inData, atEnd));
        Ref lastBit = m.Wire("last_data_bit", EqC(bitIdx, 7));
        Ref stopSample = m.Wire("stop_sample", And(inStop, atEnd));

        Ref stateNext = m.Wire("state_next",
            Mux(startEdge, sStart, Mux(startOk, sData, Mux(glitch, sIdle, Mux(And(sample, lastBit), sStop, Mux(stopSample, sIdle, state))))));
        Ref tickNext = m.Wire("tick_next", Mux(Or(Or(inIdle, startOk), sample), C(0, tickT), Add(tick, C(1, tickT), tickT), tickT));
        Ref bitNext = m.Wire("bit_idx_next", Mux(startOk, C(0, VType.U(3)), Mux(sample, Add(bitIdx, C(1, VType.U(3)), VType.U(3)), bitIdx)));
        Ref dataNext = m.Wire("byte_data_next", Mux(sample, Cat(rxSync, Bits(byteData, 1, 7)), byteData));
        m.Comment("Character state, bit timing and the shift register (data bits enter at the top: LSB first).");
        m.Always(clk,
            If(rst, [Set(state, sIdle), Set(tick, C(0, tickT)), Set(bitIdx, C(0, VType.U(3))), Set(byteValid, Bit(false)), Set(frameError, Bit(false))],
            [Set(state, stateNext), Set(tick, tickNext), Set(bitIdx, bitNext),
             Set(byteValid, And(stopSample, rxSync)), Set(frameError, And(stopSample, Not(rxSync)))]),
            Set(byteData, dataNext));
        return m;
    }
}
