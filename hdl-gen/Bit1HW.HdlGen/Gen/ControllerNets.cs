using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The nets between an engine top and its controller that every top has, host-fed or streaming:
/// the instruction word, busy/done/pc, the memory read addresses, the MAC read, the accumulator
/// clear (<c>clr</c>, or <c>clr_next</c> for the SB_MAC16 accumulators, which take it a cycle
/// early), the OUT write and its address. Declared in this order (the order of the generated
/// declarations); <see cref="Pins"/> connects them to the controller's ports of the same names.
/// </summary>
internal sealed record ControllerNets(string ClrPort, Ref Ir, Ref Busy, Ref Done, Ref Pc, Ref ImemRaddr, Ref WRaddr, Ref ARaddr,
    Ref MacRd, Ref Clr, Ref OutWe, Ref OutAddr)
{
    /// <summary>Declares the nets on <paramref name="m"/> (arguments are evaluated left to right, so in this order).</summary>
    public static ControllerNets Declare(ModuleBuilder m, HardwareConfig cfg, string clrPort) => new(clrPort,
        m.Net("ir", VType.U(32)),
        m.Net("ctrl_busy", VType.Bit),
        m.Net("ctrl_done", VType.Bit),
        m.Net("ctrl_pc", VType.U(cfg.InstrAddrBits)),
        m.Net("imem_raddr", VType.U(cfg.InstrAddrBits)),
        m.Net("w_raddr", VType.U(cfg.WeightAddrBits)),
        m.Net("a_raddr", VType.U(cfg.ActAddrBits)),
        m.Net("mac_rd", VType.Bit),
        m.Net(clrPort, VType.Bit),
        m.Net("out_we", VType.Bit),
        m.Net("out_addr", VType.U(cfg.OutAddrBits)));

    /// <summary>The controller's clock, reset and start pins followed by these nets, in the controller's port order.</summary>
    public Connection[] Pins(Ref clk, Ref rst, Ref start) =>
    [
        Pin("clk", clk), Pin("rst", rst), Pin("start", start), Pin("ir", Ir), Pin("busy", Busy), Pin("done", Done),
        Pin("pc", Pc), Pin("imem_raddr", ImemRaddr), Pin("w_raddr", WRaddr), Pin("a_raddr", ARaddr),
        Pin("mac_rd", MacRd), Pin(ClrPort, Clr), Pin("out_we", OutWe), Pin("out_addr", OutAddr),
    ];
}
