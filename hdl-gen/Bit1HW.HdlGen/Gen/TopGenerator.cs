using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The engine top <c>bit1hw_top_&lt;tag&gt;</c> with exactly the ports of docs/hardware.md
/// ("Top-level ports"): the controller, the four memories, the PE array and the host interface.
/// The host writes imem/wmem/amem through one port selected by host_sel (low bits of host_addr
/// and host_wdata); MAC reads of wmem and amem in cycle t give data and, through one register,
/// a tile-valid bit in cycle t + 1, which enter the PE array together. OUT writes the
/// accumulators' current values into omem. host_rdata is row host_rrow of the registered omem
/// read (row select registered alongside), so it appears one cycle after the address.
/// </summary>
internal static class TopGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_top_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg, GeneratorOptions opt)
    {
        if (cfg.IsStreaming) return StreamTopGenerator.Build(cfg, opt);
        string clrPort = opt.Mac16 ? "clr_next" : "clr";
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, "Engine top: controller, memories, PE array and host interface.");
        var (clk, rst, start, busy, done, hostWe, hostSel, hostAddr, hostWdata, hostRaddr, hostRrow, hostRdata, dbgPc, dbgAccEn) =
            HostPorts.Declare(m, cfg);

        var ctrl = ControllerNets.Declare(m, cfg, clrPort);
        var (_, ir, busyQ, doneQ, pc, imemRaddr, wRaddr, aRaddr, macRd, clr, outWe, outAddr) = ctrl;
        m.Comment("Controller.");
        m.Instantiate(ControllerGenerator.ModuleName(cfg), "ctrl", ctrl.Pins(clk, rst, start));

        Ref selImem = m.ValueParam("SEL_IMEM", C(0, VType.U(2)));
        Ref selWmem = m.ValueParam("SEL_WMEM", C(1, VType.U(2)));
        Ref selAmem = m.ValueParam("SEL_AMEM", C(2, VType.U(2)));
        m.Comment("Host writes: host_sel picks imem, wmem or amem; the low bits of host_addr and host_wdata are used.");
        Ref wIn(string name, Ref sel) => m.Wire($"{name}_we", And(hostWe, Eq(hostSel, sel)));
        Ref wdataW = m.Net("wmem_rdata", VType.U(cfg.WeightWordBits));
        Ref adataW = m.Net("amem_rdata", VType.U(cfg.ActWordBits));
        Ref odataW = m.Net("omem_rdata", VType.U(cfg.OutWordBits));
        Ram(m, cfg, "imem", clk, wIn("imem", selImem), Bits(hostAddr, 0, cfg.InstrAddrBits), Bits(hostWdata, 0, 32), imemRaddr, ir);
        Ram(m, cfg, "wmem", clk, wIn("wmem", selWmem), Bits(hostAddr, 0, cfg.WeightAddrBits), Bits(hostWdata, 0, cfg.WeightWordBits), wRaddr, wdataW);
        Ram(m, cfg, "amem", clk, wIn("amem", selAmem), Bits(hostAddr, 0, cfg.ActAddrBits), Bits(hostWdata, 0, cfg.ActWordBits), aRaddr, adataW);

        m.Comment("PE array: a MAC read in cycle t enters it with its valid bit in cycle t + 1.");
        Ref tileValid = m.Reg("tile_valid_q", VType.Bit);
        Ref accEn = m.Net("acc_en", VType.Bit);
        Ref acc = m.Net("acc", VType.U(cfg.OutWordBits));
        m.Instantiate(ArrayGenerator.ModuleName(cfg), "array",
            Pin("clk", clk), Pin("rst", rst), Pin("in_valid", tileValid), Pin(clrPort, clr),
            Pin("act", adataW), Pin("wgt", wdataW), Pin("acc_en", accEn), Pin("acc", acc));
        m.Comment("Output buffer: OUT writes the accumulators; the host reads one row, one cycle after the address.");
        Ram(m, cfg, "omem", clk, outWe, outAddr, acc, hostRaddr, odataW);

        Ref rrowQ = m.Reg("host_rrow_q", VType.U(cfg.RowSelectBits));
        m.Always(clk, If(rst, [Set(tileValid, Bit(false))], [Set(tileValid, macRd)]), Set(rrowQ, hostRrow));
        m.Drive(hostRdata, RowSelect(m, cfg, odataW, rrowQ));
        m.Comment("Status and debug outputs.");
        m.Drive(busy, busyQ);
        m.Drive(done, doneQ);
        m.Drive(dbgPc, pc);
        m.Drive(dbgAccEn, accEn);
        return m;
    }

    internal static void Ram(ModuleBuilder m, HardwareConfig cfg, string mem, Ref clk, Expr we, Expr waddr, Expr wdata, Expr raddr, Ref rdata) =>
        m.Instantiate(RamGenerator.ModuleName(cfg, mem), mem,
            Pin("clk", clk), Pin("we", we), Pin("waddr", waddr), Pin("wdata", wdata), Pin("raddr", raddr), Pin("rdata", rdata));

    /// <summary>A mux chain: row r when rrow = r, the last row for any larger value.</summary>
    internal static Expr RowSelect(ModuleBuilder m, HardwareConfig cfg, Ref word, Ref rrow)
    {
        var t = VType.S(cfg.AccBits);
        Expr result = m.Wire($"row_{cfg.Rows - 1}", Bits(word, (cfg.Rows - 1) * cfg.AccBits, cfg.AccBits, signed: true));
        if (cfg.Rows == 1) m.Wire("unused_rrow", rrow);
        for (int r = cfg.Rows - 2; r >= 0; r--)
        {
            Ref row = m.Wire($"row_{r}", Bits(word, r * cfg.AccBits, cfg.AccBits, signed: true));
            result = m.Wire($"row_sel_{r}", Mux(EqC(rrow, r), row, result, t));
        }
        return result;
    }
}
