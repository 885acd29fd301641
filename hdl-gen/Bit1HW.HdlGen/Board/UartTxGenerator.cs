using System.Globalization;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

/// <summary>
/// The UART transmitter <c>bit1hw_uart_tx_d&lt;cycles per bit&gt;</c>: a 10-bit shift register
/// loaded with {stop = 1, data, start = 0} when <c>send</c> is high while <c>ready</c>, shifted right
/// every CYCLES_PER_BIT cycles with ones entering at the top; <c>tx</c> is its lowest bit, straight
/// from a flip-flop (the line idles high). <c>ready</c> is high when no bit is left to send.
/// </summary>
internal static class UartTxGenerator
{
    public static string ModuleName(UartLink link) => $"bit1hw_uart_tx_d{link.CyclesPerBit.ToString(CultureInfo.InvariantCulture)}";

    public static ModuleBuilder Build(UartLink link)
    {
        int d = link.CyclesPerBit;
        var m = new ModuleBuilder(ModuleName(link));
        BoardHeaders.Add(m, link, $"UART transmitter: 8N1, LSB first, {d} clock cycles per bit.");
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref send = m.Input("send", VType.Bit);
        Ref data = m.Input("data", VType.U(8));
        Ref tx = m.Output("tx", VType.Bit);
        Ref ready = m.Output("ready", VType.Bit);

        var tickT = VType.U(Widths.AddressBits(d));
        var shT = VType.U(10);
        var leftT = VType.U(4);
        Ref bitEnd = m.ValueParam("CYCLES_PER_BIT_M1", C(d - 1, tickT));
        Ref frameBits = m.ValueParam("CHARACTER_BITS", C(10, leftT));
        Ref shreg = m.Reg("shreg", shT, 0x3FF);
        Ref left = m.Reg("bits_left", leftT, 0);
        Ref tick = m.Reg("tick", tickT, 0);
        m.Comment("Load a character when idle; shift one bit out per bit time.");
        Ref idle = m.Wire("idle", EqC(left, 0));
        Ref load = m.Wire("load", And(send, idle));
        Ref atEnd = m.Wire("at_bit_end", Eq(tick, bitEnd));
        Ref shift = m.Wire("shift", And(Not(idle), atEnd));
        Ref shNext = m.Wire("shreg_next", Mux(load, Cat(Bit(true), data, Bit(false)), Mux(shift, Cat(Bit(true), Bits(shreg, 1, 9)), shreg)));
        Ref leftNext = m.Wire("bits_left_next", Mux(load, frameBits, Mux(shift, Sub(left, C(1, leftT), leftT), left)));
        Ref tickNext = m.Wire("tick_next", Mux(Or(Or(load, atEnd), idle), C(0, tickT), Add(tick, C(1, tickT), tickT), tickT));
        m.Always(clk,
            If(rst, [Set(shreg, C(0x3FF, shT)), Set(left, C(0, leftT)), Set(tick, C(0, tickT))],
            [Set(shreg, shNext), Set(left, leftNext), Set(tick, tickNext)]));
        m.Comment("Line and handshake.");
        m.Drive(tx, Bits(shreg, 0, 1));
        m.Drive(ready, idle);
        return m;
    }
}
