using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The ports every engine top has, host-fed or streaming (docs/hardware.md, "Top-level ports"):
/// clock, reset, start/busy/done, the host write and read ports and the two debug outputs,
/// declared in this order (the order of the generated port list).
/// </summary>
internal sealed record HostPorts(Ref Clk, Ref Rst, Ref Start, Ref Busy, Ref Done, Ref HostWe, Ref HostSel, Ref HostAddr,
    Ref HostWdata, Ref HostRaddr, Ref HostRrow, Ref HostRdata, Ref DbgPc, Ref DbgAccEn)
{
    /// <summary>Declares the ports on <paramref name="m"/> (arguments are evaluated left to right, so in port order).</summary>
    public static HostPorts Declare(ModuleBuilder m, HardwareConfig cfg) => new(
        m.Input("clk", VType.Bit),
        m.Input("rst", VType.Bit),
        m.Input("start", VType.Bit),
        m.Output("busy", VType.Bit),
        m.Output("done", VType.Bit),
        m.Input("host_we", VType.Bit),
        m.Input("host_sel", VType.U(2)),
        m.Input("host_addr", VType.U(cfg.HostAddrBits)),
        m.Input("host_wdata", VType.U(cfg.HostDataBits)),
        m.Input("host_raddr", VType.U(cfg.OutAddrBits)),
        m.Input("host_rrow", VType.U(cfg.RowSelectBits)),
        m.Output("host_rdata", VType.S(cfg.AccBits)),
        m.Output("dbg_pc", VType.U(cfg.InstrAddrBits)),
        m.Output("dbg_acc_en", VType.Bit));
}
