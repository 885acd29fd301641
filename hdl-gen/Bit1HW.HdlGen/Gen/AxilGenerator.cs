using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The AXI4-Lite control wrapper <c>bit1hw_axil_&lt;tag&gt;</c> of a streaming engine (docs/hardware.md,
/// "AXI4-Lite control wrapper"): an AXI4-Lite slave (32-bit data, 12-bit byte addresses, OKAY
/// responses, unmapped reads 0) replaces the host port and the start/weight_base inputs; the m_axi_*
/// ports pass through. A write is taken when its address and data are both valid and no response is
/// pending (awready = wready = that condition), answered with bvalid until bready; a read is taken
/// while no read data is pending and answered from a register with rvalid until rready. Writes are
/// whole words (wstrb is not used). CTRL and HOST_COMMIT pulse start and host_we for one cycle;
/// the 64-bit busy-cycle and stall counters clear when a start is accepted.
/// </summary>
internal static class AxilGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_axil_{cfg.Tag}";

    /// <summary>The map holds WDATA limbs at 0x800 + 4i up to 0xFFC.</summary>
    public const int MaxLimbs = 512;

    /// <summary>Staged host_wdata limbs: the host port of a streaming engine writes imem and amem only.</summary>
    public static int Limbs(HardwareConfig cfg) => (Math.Max(32, cfg.ActWordBits) + 31) / 32;

    /// <summary>Whether the register map can hold the configuration's staged write data.</summary>
    public static bool Fits(HardwareConfig cfg) => cfg.IsStreaming && Limbs(cfg) <= MaxLimbs;

    private sealed record Bus(Ref Write, Ref WriteWord, Ref WriteData, Ref ReadWord);

    public static ModuleBuilder Build(HardwareConfig cfg)
    {
        StreamConfig st = cfg.Stream!;
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, "AXI4-Lite control wrapper: start, status, weight_base, cycle and stall counters and the host port as registers; m_axi_* pass through.");
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        var w32 = VType.U(32);
        Ref awaddr = m.Input("s_axil_awaddr", VType.U(12));
        Ref awvalid = m.Input("s_axil_awvalid", VType.Bit);
        Ref awready = m.Output("s_axil_awready", VType.Bit);
        Ref wdata = m.Input("s_axil_wdata", w32);
        Ref wstrb = m.Input("s_axil_wstrb", VType.U(4));
        Ref wvalid = m.Input("s_axil_wvalid", VType.Bit);
        Ref wready = m.Output("s_axil_wready", VType.Bit);
        Ref bresp = m.Output("s_axil_bresp", VType.U(2));
        Ref bvalid = m.OutputReg("s_axil_bvalid", VType.Bit);
        Ref bready = m.Input("s_axil_bready", VType.Bit);
        Ref araddr = m.Input("s_axil_araddr", VType.U(12));
        Ref arvalid = m.Input("s_axil_arvalid", VType.Bit);
        Ref arready = m.Output("s_axil_arready", VType.Bit);
        Ref rdata = m.OutputReg("s_axil_rdata", w32);
        Ref rresp = m.Output("s_axil_rresp", VType.U(2));
        Ref rvalid = m.OutputReg("s_axil_rvalid", VType.Bit);
        Ref rready = m.Input("s_axil_rready", VType.Bit);
        var master = MasterPorts(m, st);

        m.Comment("AXI4-Lite handshakes: a write needs address and data together; one response at a time per channel.");
        Ref wrTake = m.Wire("wr_take", And(And(awvalid, wvalid), Not(bvalid)));
        Ref rdTake = m.Wire("rd_take", And(arvalid, Not(rvalid)));
        m.Drive(awready, wrTake);
        m.Drive(wready, wrTake);
        m.Drive(arready, rdTake);
        m.Drive(bresp, C(0, VType.U(2)));
        m.Drive(rresp, C(0, VType.U(2)));
        m.Wire("unused_axil_lsbs", Cat(Bits(awaddr, 0, 2), Bits(araddr, 0, 2), wstrb));
        var bus = new Bus(wrTake, m.Wire("wr_word", Bits(awaddr, 2, 10)), wdata, m.Wire("rd_word", Bits(araddr, 2, 10)));
        Ref IsWrite(int offset) => m.Wire($"wr_0x{offset:x3}", And(bus.Write, EqC(bus.WriteWord, offset / 4)));

        m.Comment("Registers written by the host.");
        Ref startQ = m.Reg("start_q", VType.Bit), commitQ = m.Reg("host_we_q", VType.Bit);
        Ref weightBase = m.Reg("weight_base_q", VType.U(st.AxiAddrBits));
        Ref hostAddr = m.Reg("host_addr_q", VType.U(cfg.HostAddrBits));
        Ref hostSel = m.Reg("host_sel_q", VType.U(2));
        Ref outAddr = m.Reg("out_addr_q", VType.U(cfg.OutAddrBits));
        Ref outRow = m.Reg("out_row_q", VType.U(cfg.RowSelectBits));
        var limbs = Enumerable.Range(0, Limbs(cfg)).Select(i => m.Reg($"wdata_limb_{i}", w32)).ToList();
        var loads = new List<Stmt>
        {
            Set(startQ, And(IsWrite(0x000), Bits(wdata, 0, 1))),
            Set(commitQ, IsWrite(0x048)),
        };
        loads.AddRange(LoadLow(m, IsWrite(0x008), weightBase, wdata, 0));
        if (st.AxiAddrBits > 32) loads.AddRange(LoadLow(m, IsWrite(0x00C), weightBase, wdata, 32));
        loads.AddRange(LoadLow(m, IsWrite(0x040), hostAddr, wdata, 0));
        loads.AddRange(LoadLow(m, IsWrite(0x044), hostSel, wdata, 0));
        loads.AddRange(LoadLow(m, IsWrite(0x050), outAddr, wdata, 0));
        loads.AddRange(LoadLow(m, IsWrite(0x054), outRow, wdata, 0));
        for (int i = 0; i < limbs.Count; i++) loads.Add(If(IsWrite(0x800 + 4 * i), [Set(limbs[i], wdata)]));
        m.Always(clk, If(rst, [Set(startQ, Bit(false)), Set(commitQ, Bit(false)), Set(weightBase, C(0, weightBase.Type))], [.. loads]));

        Ref busy = m.Net("busy", VType.Bit), done = m.Net("done", VType.Bit), stall = m.Net("dbg_stall", VType.Bit);
        Ref axiError = m.Net("axi_error", VType.Bit), rowData = m.Net("host_rdata", VType.S(cfg.AccBits));
        Ref pc = m.Net("unused_dbg_pc", VType.U(cfg.InstrAddrBits)), accEn = m.Net("unused_dbg_acc_en", VType.Bit);
        Expr staged = limbs.Count == 1 ? limbs[0] : Cat([.. Enumerable.Reverse(limbs)]);
        Expr hostWdata = cfg.HostDataBits >= 32 * limbs.Count ? Ext(staged, VType.U(cfg.HostDataBits)) : Bits(staged, 0, cfg.HostDataBits);
        m.Comment("The streaming engine.");
        m.Instantiate(TopGenerator.ModuleName(cfg), "engine",
        [
            Pin("clk", clk), Pin("rst", rst), Pin("start", startQ), Pin("busy", busy), Pin("done", done),
            Pin("host_we", commitQ), Pin("host_sel", hostSel), Pin("host_addr", hostAddr), Pin("host_wdata", hostWdata),
            Pin("host_raddr", outAddr), Pin("host_rrow", outRow), Pin("host_rdata", rowData), Pin("dbg_pc", pc), Pin("dbg_acc_en", accEn),
            Pin("weight_base", weightBase), .. master, Pin("dbg_stall", stall), Pin("axi_error", axiError),
        ]);

        var (cycles, stalls) = Counters(m, clk, rst, startQ, busy, stall);
        m.Comment("Read data: the addressed register, 0 for an unmapped address.");
        var map = new List<(int Offset, Expr Value)>
        {
            (0x004, Ext(Cat(axiError, done, busy), w32)),
            (0x008, Bits(Ext(weightBase, VType.U(64)), 0, 32)), (0x00C, Bits(Ext(weightBase, VType.U(64)), 32, 32)),
            (0x010, Bits(cycles, 0, 32)), (0x014, Bits(cycles, 32, 32)), (0x018, Bits(stalls, 0, 32)), (0x01C, Bits(stalls, 32, 32)),
            (0x020, C(0xB1A1_0001L, w32)), (0x024, C(((long)cfg.Rows << 16) | (uint)cfg.Lanes, w32)),
            (0x040, Ext(hostAddr, w32)), (0x044, Ext(hostSel, w32)), (0x050, Ext(outAddr, w32)), (0x054, Ext(outRow, w32)),
            (0x058, Ext(Ext(rowData, VType.S(32)), w32)),
        };
        for (int i = 0; i < limbs.Count; i++) map.Add((0x800 + 4 * i, limbs[i]));
        Expr value = C(0, w32);
        for (int k = map.Count - 1; k >= 0; k--)
            value = m.Wire($"rd_0x{map[k].Offset:x3}", Mux(EqC(bus.ReadWord, map[k].Offset / 4), map[k].Value, value, w32));
        m.Always(clk, If(rst, [Set(bvalid, Bit(false)), Set(rvalid, Bit(false))],
        [
            If(wrTake, [Set(bvalid, Bit(true))], [If(bready, [Set(bvalid, Bit(false))])]),
            If(rdTake, [Set(rvalid, Bit(true)), Set(rdata, value)], [If(rready, [Set(rvalid, Bit(false))])]),
        ]));
        return m;
    }

    /// <summary>The master ports of the wrapper, each connected straight to the engine's port of the same name.</summary>
    private static List<Connection> MasterPorts(ModuleBuilder m, StreamConfig st)
    {
        var ports = new (string Name, bool Out, int Bits)[]
        {
            ("m_axi_araddr", true, st.AxiAddrBits), ("m_axi_arlen", true, 8), ("m_axi_arsize", true, 3), ("m_axi_arburst", true, 2),
            ("m_axi_arvalid", true, 1), ("m_axi_arready", false, 1), ("m_axi_rdata", false, st.AxiDataBits), ("m_axi_rresp", false, 2),
            ("m_axi_rlast", false, 1), ("m_axi_rvalid", false, 1), ("m_axi_rready", true, 1),
        };
        return ports.Select(p => Pin(p.Name, p.Out ? m.Output(p.Name, VType.U(p.Bits)) : m.Input(p.Name, VType.U(p.Bits)))).ToList();
    }

    /// <summary>Loads the low bits of a register (from bit <paramref name="lo"/> of it) from the write data.</summary>
    private static Stmt[] LoadLow(ModuleBuilder m, Ref write, Ref reg, Ref data, int lo)
    {
        int width = reg.Type.WidthBits;
        if (lo == 0)
        {
            Expr low = width <= 32 ? Bits(data, 0, width) : Cat(Bits(reg, 32, width - 32), data);
            return [If(write, [Set(reg, low)])];
        }
        Expr high = Cat(Bits(data, 0, width - 32), Bits(reg, 0, 32));
        return [If(write, [Set(reg, m.Wire($"{reg.Name}_hi_write", high))])];
    }

    /// <summary>The 64-bit busy-cycle and stall counters, cleared when a start is accepted.</summary>
    private static (Ref Cycles, Ref Stalls) Counters(ModuleBuilder m, Ref clk, Ref rst, Ref start, Ref busy, Ref stall)
    {
        var t = VType.U(64);
        m.Comment("Busy-cycle and stall counters of the current or last run, cleared when a start is accepted.");
        Ref cycles = m.Reg("cycle_count", t), stalls = m.Reg("stall_count", t);
        Ref clear = m.Wire("count_clear", Or(rst, And(start, Not(busy))));
        m.Always(clk, If(clear, [Set(cycles, C(0, t)), Set(stalls, C(0, t))],
        [
            If(busy, [Set(cycles, Add(cycles, C(1, t), t))]),
            If(And(busy, stall), [Set(stalls, Add(stalls, C(1, t), t))]),
        ]));
        return (cycles, stalls);
    }
}
