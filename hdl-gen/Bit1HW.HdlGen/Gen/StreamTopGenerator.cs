using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The streaming engine top <c>bit1hw_top_&lt;tag&gt;</c> (docs/hardware.md, "Weight streaming over
/// AXI"): the host-fed top's ports plus weight_base, the AXI4 read master (m_axi_ar*, m_axi_r*),
/// dbg_stall and axi_error. wmem is the ring that the stream engine fills (see
/// <see cref="RingGeometry"/>); the host port writes imem and amem only (host_sel = 1 is ignored).
/// The stall freeze: <c>go</c> = not stall enables the controller, the read registers of the ring and
/// amem, the tile-valid and word-select registers, the PE pipelines and the accumulators, so a stall
/// cycle is a cycle that did not happen for all of them; dbg_acc_en is 0 in it. The stream engine
/// and the host read port of omem keep running.
/// </summary>
internal static class StreamTopGenerator
{
    public static ModuleBuilder Build(HardwareConfig cfg, GeneratorOptions opt)
    {
        var g = new RingGeometry(cfg);
        StreamConfig st = cfg.Stream!;
        var m = new ModuleBuilder(TopGenerator.ModuleName(cfg));
        Headers.Add(m, cfg, "Streaming engine top: controller, stream engine (AXI4 read master), weight ring, memories, PE array and host interface.");
        var (clk, rst, start, busy, done, hostWe, hostSel, hostAddr, hostWdata, hostRaddr, hostRrow, hostRdata, dbgPc, dbgAccEn) =
            HostPorts.Declare(m, cfg);
        Ref weightBase = m.Input("weight_base", VType.U(st.AxiAddrBits));
        Ref araddr = m.Output("m_axi_araddr", VType.U(st.AxiAddrBits));
        Ref arlen = m.Output("m_axi_arlen", VType.U(8));
        Ref arsize = m.Output("m_axi_arsize", VType.U(3));
        Ref arburst = m.Output("m_axi_arburst", VType.U(2));
        Ref arvalid = m.Output("m_axi_arvalid", VType.Bit);
        Ref arready = m.Input("m_axi_arready", VType.Bit);
        Ref rdata = m.Input("m_axi_rdata", VType.U(st.AxiDataBits));
        Ref rresp = m.Input("m_axi_rresp", VType.U(2));
        Ref rlast = m.Input("m_axi_rlast", VType.Bit);
        Ref rvalid = m.Input("m_axi_rvalid", VType.Bit);
        Ref rready = m.Output("m_axi_rready", VType.Bit);
        Ref dbgStall = m.Output("dbg_stall", VType.Bit);
        Ref axiError = m.Output("axi_error", VType.Bit);

        var ctrl = ControllerNets.Declare(m, cfg, "clr");
        var (_, ir, busyQ, doneQ, pc, imemRaddr, wRaddr, aRaddr, macRd, clr, outWe, outAddr) = ctrl;
        Ref sets = m.Net("sets", VType.Bit), load = m.Net("load", VType.Bit), haltCycle = m.Net("halt_cycle", VType.Bit);
        Ref operand = m.Net("stream_operand", VType.U(Isa.OperandBits));
        Ref stall = m.Net("stall", VType.Bit);
        m.Comment("Controller: held in a stall cycle.");
        m.Instantiate(ControllerGenerator.ModuleName(cfg), "ctrl",
            [.. ctrl.Pins(clk, rst, start), Pin("stall", stall),
            Pin("sets", sets), Pin("load", load), Pin("stream_operand", operand), Pin("halt_cycle", haltCycle)]);
        Ref go = m.Wire("go", Not(stall));

        m.Comment("Stream engine: restarts at start, fills the ring through the AXI4 read master, raises stall.");
        Ref restart = m.Wire("start_ok", And(start, Not(busyQ)));
        Ref ringWe = m.Net("ring_we", VType.Bit);
        Ref ringWaddr = m.Net("ring_waddr", VType.U(g.LineAddrBits));
        Ref ringWdata = m.Net("ring_wdata", VType.U(g.LineBits));
        Ref arvalidQ = m.Net("stream_arvalid", VType.Bit);
        Ref araddrQ = m.Net("stream_araddr", VType.U(st.AxiAddrBits));
        Ref errorQ = m.Net("stream_axi_error", VType.Bit);
        m.Instantiate(StreamGenerator.ModuleName(cfg), "stream",
            Pin("clk", clk), Pin("rst", rst), Pin("restart", restart), Pin("sets", sets), Pin("load", load), Pin("operand", operand),
            Pin("mac_rd", macRd), Pin("halt_cycle", haltCycle), Pin("weight_base", weightBase), Pin("arready", arready),
            Pin("rdata", rdata), Pin("rresp", rresp), Pin("rvalid", rvalid), Pin("stall", stall), Pin("araddr", araddrQ),
            Pin("arvalid", arvalidQ), Pin("ring_we", ringWe), Pin("ring_waddr", ringWaddr), Pin("ring_wdata", ringWdata),
            Pin("axi_error", errorQ));

        Ref selImem = m.ValueParam("SEL_IMEM", C(0, VType.U(2)));
        Ref selAmem = m.ValueParam("SEL_AMEM", C(2, VType.U(2)));
        m.Comment("Host writes: host_sel picks imem or amem (the ring is not host-written); the low bits of host_addr and host_wdata are used.");
        Ref wIn(string name, Ref sel) => m.Wire($"{name}_we", And(hostWe, Eq(hostSel, sel)));
        UnusedHostBits(m, cfg, hostAddr, hostWdata);
        Ref lineW = m.Net("ring_line", VType.U(g.LineBits));
        Ref adataW = m.Net("amem_rdata", VType.U(cfg.ActWordBits));
        Ref odataW = m.Net("omem_rdata", VType.U(cfg.OutWordBits));
        TopGenerator.Ram(m, cfg, "imem", clk, wIn("imem", selImem), Bits(hostAddr, 0, cfg.InstrAddrBits), Bits(hostWdata, 0, 32), imemRaddr, ir);
        Ref lineAddr = m.Wire("ring_raddr", Bits(wRaddr, g.WordSelectBits, g.LineAddrBits));
        ReadRam(m, cfg, "wmem", clk, ringWe, ringWaddr, ringWdata, go, lineAddr, lineW);
        ReadRam(m, cfg, "amem", clk, wIn("amem", selAmem), Bits(hostAddr, 0, cfg.ActAddrBits), Bits(hostWdata, 0, cfg.ActWordBits), go, aRaddr, adataW);

        m.Comment("PE array: a MAC read in cycle t enters it with its valid bit in the next cycle that is not a stall.");
        Ref tileValid = m.Reg("tile_valid_q", VType.Bit);
        Ref wordW = WordSelect(m, cfg, g, clk, go, wRaddr, lineW);
        Ref accEn = m.Net("acc_en", VType.Bit);
        Ref acc = m.Net("acc", VType.U(cfg.OutWordBits));
        m.Instantiate(ArrayGenerator.ModuleName(cfg), "array",
            Pin("clk", clk), Pin("rst", rst), Pin("in_valid", tileValid), Pin("clr", clr),
            Pin("act", adataW), Pin("wgt", wordW), Pin("acc_en", accEn), Pin("acc", acc),
            Pin("en", opt.Has(GeneratorFaults.StreamPipelineNotFrozen) ? Bit(true) : go));
        m.Comment("Output buffer: OUT writes the accumulators; the host reads one row, one cycle after the address.");
        TopGenerator.Ram(m, cfg, "omem", clk, outWe, outAddr, acc, hostRaddr, odataW);

        Ref rrowQ = m.Reg("host_rrow_q", VType.U(cfg.RowSelectBits));
        m.Always(clk, If(rst, [Set(tileValid, Bit(false))], Stall.Held(go, Set(tileValid, macRd))), Set(rrowQ, hostRrow));
        m.Drive(hostRdata, TopGenerator.RowSelect(m, cfg, odataW, rrowQ));
        m.Comment("AXI4 read master: fixed burst shape, rready always 1 (room was reserved at issue); rlast is not needed (beats are counted).");
        m.Drive(araddr, araddrQ);
        int arlenValue = opt.Has(GeneratorFaults.StreamBurstLengthOffByOne) ? st.BurstBeats & 0xFF : st.BurstBeats - 1;
        m.Drive(arlen, m.ValueParam("AXI_ARLEN", C(arlenValue, VType.U(8))));
        m.Drive(arsize, m.ValueParam("AXI_ARSIZE", C(Core.Numerics.Widths.CeilLog2(st.AxiDataBits / 8), VType.U(3))));
        m.Drive(arburst, m.ValueParam("AXI_BURST_INCR", C(1, VType.U(2))));
        m.Drive(arvalid, arvalidQ);
        m.Drive(rready, Bit(true));
        m.Wire("unused_m_axi_rlast", rlast);
        m.Comment("Status and debug outputs.");
        m.Drive(busy, busyQ);
        m.Drive(done, doneQ);
        m.Drive(dbgPc, pc);
        m.Drive(dbgAccEn, And(accEn, go));
        m.Drive(dbgStall, stall);
        m.Drive(axiError, errorQ);
        return m;
    }

    private static void ReadRam(ModuleBuilder m, HardwareConfig cfg, string mem, Ref clk, Expr we, Expr waddr, Expr wdata, Expr re, Expr raddr, Ref rdata) =>
        m.Instantiate(RamGenerator.ModuleName(cfg, mem), mem,
            Pin("clk", clk), Pin("we", we), Pin("waddr", waddr), Pin("wdata", wdata), Pin("re", re), Pin("raddr", raddr), Pin("rdata", rdata));

    /// <summary>Host address and data bits no memory of a streaming engine uses (the ring is not host-written).</summary>
    private static void UnusedHostBits(ModuleBuilder m, HardwareConfig cfg, Ref hostAddr, Ref hostWdata)
    {
        int addrUsed = Math.Max(cfg.InstrAddrBits, cfg.ActAddrBits), dataUsed = Math.Max(32, cfg.ActWordBits);
        if (cfg.HostAddrBits > addrUsed) m.Wire("unused_host_addr_hi", Bits(hostAddr, addrUsed, cfg.HostAddrBits - addrUsed));
        if (cfg.HostDataBits > dataUsed) m.Wire("unused_host_wdata_hi", Bits(hostWdata, dataUsed, cfg.HostDataBits - dataUsed));
    }

    /// <summary>The tile's weight word: word (read pointer mod W) of the ring line, the select registered
    /// beside the line's read register (held in a stall cycle), then a binary tree of multiplexers.</summary>
    private static Ref WordSelect(ModuleBuilder m, HardwareConfig cfg, RingGeometry g, Ref clk, Ref go, Ref wRaddr, Ref line)
    {
        if (g.WordSelectBits == 0) return line;
        m.Comment($"Word select: a ring line holds {g.WordsPerBeat} words; the low read-pointer bits pick one, a cycle later.");
        Ref sel = m.Reg("word_sel_q", VType.U(g.WordSelectBits));
        m.Always(clk, Stall.Held(go, Set(sel, Bits(wRaddr, 0, g.WordSelectBits))));
        var wT = VType.U(cfg.WeightWordBits);
        var level = Enumerable.Range(0, g.WordsPerBeat).Select(i => (Expr)Bits(line, i * cfg.WeightWordBits, cfg.WeightWordBits)).ToList();
        for (int b = 0; b < g.WordSelectBits; b++)
        {
            Ref bit = m.Wire($"word_sel_b{b}", Bits(sel, b, 1));
            level = Enumerable.Range(0, level.Count / 2)
                .Select(i => (Expr)m.Wire($"ring_word_l{b + 1}_{i}", Mux(bit, level[2 * i + 1], level[2 * i], wT))).ToList();
        }
        return (Ref)level.Single();
    }
}
