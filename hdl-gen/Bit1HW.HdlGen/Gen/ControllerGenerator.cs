using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The statically scheduled controller (docs/hardware.md, "Instruction set" and "Timing"). The
/// program has no branches, so the controller fetches and decodes one instruction ahead: while
/// instruction i executes from registered decode state (<c>cur_*</c>), the instruction memory's
/// read register <c>ir</c> already holds word i + 1 (its address is <c>ir_addr</c>). The registered
/// flag <c>advance</c> marks the last cycle of the executing instruction (and the second fetch
/// cycle); at the edge that ends it, the decode of <c>ir</c> is loaded into <c>cur_*</c>, pc takes
/// <c>ir_addr</c>, and the read address moves on to <c>ir_addr + 1</c> (otherwise it repeats
/// <c>ir_addr</c>, so <c>ir</c> holds). Nothing decodes the executing word in the cycle it executes:
/// the strobes (mac_rd, clr, out_we) come straight from registers.
/// Fetch: busy cycle 0 (<c>fetching</c>) reads word 0; cycle 1 decodes it (advance = 1); instruction
/// 0 executes from cycle 2. Repeat counts: NOP n / MAC n use count = n mod 2^RepeatBits. An
/// instruction is single-cycle unless it is NOP/MAC with count ≥ 2; then <c>more_cycles</c> is set
/// and the RepeatBits-wide down-counter <c>repeat_left</c> is loaded with count - 2; the cycle in
/// which it reads 0 sets <c>advance</c> for the next (last) cycle. A MAC with count 0 reads nothing.
/// Each MAC cycle reads wmem[wp] and amem[ap] and post-increments both (equal to reading wp+i, ap+i
/// and adding n afterwards); SETW/SETA load the pointers at the end of their cycle. HALT is decoded
/// into <c>halting</c>: in its one cycle busy falls and done rises; nothing is loaded after it, so
/// pc keeps the HALT's index and the <c>cur_*</c> strobes stay 0 until the next start.
/// With SB_MAC16 accumulators the controller gives <c>clr_next</c> (the next cycle executes CLR:
/// advance is set and ir decodes as CLR) instead of <c>clr</c> (Mac16Accumulator says why).
/// Streaming engines (docs/hardware.md, "Weight streaming over AXI") add a <c>stall</c> input: in a
/// stall cycle no register here changes (the same instruction cycle is retried), and the fetch
/// address repeats <c>ir_addr</c> so <c>ir</c> holds. There, wp is the ring read pointer: cleared
/// at start, post-incremented by every MAC cycle, untouched by SETW (a no-op); SETS and LOAD are
/// decoded into the strobes <c>sets</c>/<c>load</c> with the full 28-bit operand for the stream engine,
/// and <c>halting</c> is an output so the stream engine can hold HALT while bursts are outstanding.
/// </summary>
internal static class ControllerGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_ctrl_{cfg.Tag}";

    /// <summary>Bits of the operand kept for SETW, SETA and OUT: the widest pointer or address; a
    /// streaming engine keeps all 28 bits (SETS and LOAD take a full operand).</summary>
    public static int OperandKeptBits(HardwareConfig cfg) => cfg.IsStreaming ? Isa.OperandBits
        : Math.Max(Math.Max(cfg.WeightAddrBits, cfg.ActAddrBits), cfg.OutAddrBits);

    /// <summary>The combinational decode of the next instruction word (<c>ir</c>); SetW only in a
    /// host-fed engine, SetS and Load only in a streaming one.</summary>
    private sealed record Decoded(Ref Single, Ref Halt, Ref RepeatLoad, Ref Mac, Ref Clr, Ref Out, Ref? SetW, Ref SetA,
        Ref? SetS, Ref? Load, Ref Operand);

    /// <summary>The executing instruction's registered decode.</summary>
    private sealed record Current(Ref Mac, Ref? Clr, Ref Out, Ref? SetW, Ref SetA, Ref? SetS, Ref? Load, Ref Operand);

    public static ModuleBuilder Build(HardwareConfig cfg, GeneratorOptions opt)
    {
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, "Controller: fetch and decode one instruction ahead, back-to-back execution, NOP/MAC repeat counter, stream pointers.");
        var pcT = VType.U(cfg.InstrAddrBits);
        var repT = VType.U(cfg.RepeatBits);
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref start = m.Input("start", VType.Bit);
        Ref ir = m.Input("ir", VType.U(32));
        Ref busy = m.OutputReg("busy", VType.Bit);
        Ref done = m.OutputReg("done", VType.Bit);
        Ref pc = m.OutputReg("pc", pcT);
        Ref imemRaddr = m.Output("imem_raddr", pcT);
        Ref wRaddr = m.Output("w_raddr", VType.U(cfg.WeightAddrBits));
        Ref aRaddr = m.Output("a_raddr", VType.U(cfg.ActAddrBits));
        Ref macRd = m.Output("mac_rd", VType.Bit);
        Ref clrOut = m.Output(opt.Mac16 ? "clr_next" : "clr", VType.Bit);
        Ref outWe = m.Output("out_we", VType.Bit);
        Ref outAddr = m.Output("out_addr", VType.U(cfg.OutAddrBits));
        Ref? stall = cfg.IsStreaming ? m.Input("stall", VType.Bit) : null;
        WidthParam pcBits = m.WidthParam("PC_BITS", cfg.InstrAddrBits);
        WidthParam repeatBits = m.WidthParam("REPEAT_BITS", cfg.RepeatBits);
        WidthParam operandBits = m.WidthParam("OPERAND_KEPT_BITS", OperandKeptBits(cfg));

        Ref fetching = m.Reg("fetching", VType.Bit);
        Ref advance = m.Reg("advance", VType.Bit);
        Ref more = m.Reg("more_cycles", VType.Bit);
        Ref left = m.Reg("repeat_left", repT, width: repeatBits);
        Ref halting = m.Reg("halting", VType.Bit);
        Ref irAddr = m.Reg("ir_addr", pcT, width: pcBits);
        Decoded d = Decode(m, cfg, opt, ir, repeatBits, operandBits);
        Ref? go = stall is null ? null : m.Wire("go", Not(stall));
        // In a streaming engine the instruction moves on only in a cycle that is not a stall.
        Ref advanceGo = go is null ? advance : m.Wire("advance_go", And(advance, go));
        Current cur = Execute(m, cfg, clk, rst, advanceGo, d, operandBits, registerClr: !opt.Mac16);

        m.Comment("Start, end and the fetch address: ir holds the word at ir_addr; it moves on when advance is set.");
        Ref startOk = m.Wire("start_ok", And(start, Not(busy)));
        Ref busyNext = m.Wire("busy_next", Or(startOk, And(busy, Not(halting))));
        Ref doneNext = m.Wire("done_next", And(Not(startOk), Or(done, halting)));
        Ref fetchAddr = m.Wire("fetch_addr", Mux(advanceGo, Add(irAddr, C(1, pcT), pcT), irAddr, pcT), pcBits);
        Ref irAddrNext = m.Wire("ir_addr_next", Mux(startOk, C(0, pcT), fetchAddr, pcT), pcBits);
        Ref pcNext = m.Wire("pc_next", Mux(startOk, C(0, pcT), Mux(advance, irAddr, pc, pcT), pcT), pcBits);

        m.Comment("Sequencing: advance is set in the last cycle of an instruction, known one cycle ahead.");
        Ref leftZero = m.Wire("repeat_left_zero", EqC(left, 0));
        Ref advanceNext = m.Wire("advance_next", Or(fetching, Mux(advance, And(d.Single, Not(d.Halt)), And(more, leftZero))));
        Ref moreNext = m.Wire("more_cycles_next", Mux(advance, Not(d.Single), And(more, Not(leftZero))));
        Ref leftNext = m.Wire("repeat_left_next", Mux(advance, d.RepeatLoad, Sub(left, C(1, repT), repT), repT), repeatBits);
        Ref haltingNext = m.Wire("halting_next", And(advance, d.Halt));
        m.Comment(go is null ? "Control state (reset)." : "Control state (reset; held in a stall cycle).");
        m.Always(clk, If(rst,
            [Set(busy, Bit(false)), Set(done, Bit(false)), Set(fetching, Bit(false)), Set(advance, Bit(false)),
             Set(more, Bit(false)), Set(halting, Bit(false)), Set(pc, C(0, pcT))],
            Stall.Held(go, [Set(busy, busyNext), Set(done, doneNext), Set(fetching, startOk), Set(advance, advanceNext),
             Set(more, moreNext), Set(halting, haltingNext), Set(pc, pcNext)])));
        m.Comment("Fetch address and repeat counter (no reset: both are loaded before they matter).");
        m.Always(clk, Stall.Held(go, [Set(irAddr, irAddrNext), Set(left, leftNext)]));
        var (wp, ap) = Pointers(m, cfg, clk, rst, cur, go, startOk);

        m.Comment("Outputs: memory addresses and strobes, all from registers except the fetch address.");
        m.Drive(imemRaddr, fetchAddr);
        m.Drive(wRaddr, wp);
        m.Drive(aRaddr, ap);
        m.Drive(macRd, cur.Mac);
        m.Drive(clrOut, cur.Clr ?? (Expr)And(advance, d.Clr));
        m.Drive(outWe, cur.Out);
        m.Drive(outAddr, Bits(cur.Operand, 0, cfg.OutAddrBits));
        if (cfg.IsStreaming)
        {
            m.Comment("Stream strobes for the stream engine (SETS and LOAD never stall) and the HALT cycle.");
            m.Drive(m.Output("sets", VType.Bit), cur.SetS!);
            m.Drive(m.Output("load", VType.Bit), cur.Load!);
            m.Drive(m.Output("stream_operand", VType.U(Isa.OperandBits)), cur.Operand);
            m.Drive(m.Output("halt_cycle", VType.Bit), halting);
        }
        return m;
    }

    /// <summary>The executing instruction's decode (cur_*), loaded from ir when advance is set and
    /// cleared by reset, so the strobes are 0 until the first instruction and after HALT.</summary>
    private static Current Execute(ModuleBuilder m, HardwareConfig cfg, Ref clk, Ref rst, Ref advance, Decoded d, WidthParam operandBits,
        bool registerClr)
    {
        bool st = cfg.IsStreaming;
        var c = new Current(m.Reg("cur_mac", VType.Bit), registerClr ? m.Reg("cur_clr", VType.Bit) : null, m.Reg("cur_out", VType.Bit),
            st ? null : m.Reg("cur_setw", VType.Bit), m.Reg("cur_seta", VType.Bit),
            st ? m.Reg("cur_sets", VType.Bit) : null, st ? m.Reg("cur_load", VType.Bit) : null,
            m.Reg("cur_operand", VType.U(OperandKeptBits(cfg)), width: operandBits));
        var strobes = new List<(Ref Cur, Ref Next)> { (c.Mac, d.Mac) };
        if (c.Clr is not null) strobes.Add((c.Clr, d.Clr));
        strobes.Add((c.Out, d.Out));
        if (st) strobes.AddRange([(c.SetA, d.SetA), (c.SetS!, d.SetS!), (c.Load!, d.Load!)]);
        else strobes.AddRange([(c.SetW!, d.SetW!), (c.SetA, d.SetA)]);
        m.Comment("The executing instruction's decode, loaded from ir at the end of the previous one.");
        m.Always(clk, If(rst,
            [.. strobes.Select(x => (Stmt)Set(x.Cur, Bit(false)))],
            [If(advance, [.. strobes.Select(x => (Stmt)Set(x.Cur, x.Next)), Set(c.Operand, d.Operand)])]));
        return c;
    }

    /// <summary>The stream pointers wp and ap: SETW/SETA load them, every MAC cycle post-increments both.
    /// Streaming: wp is the ring read pointer, cleared at start and never set; both hold in a stall cycle.</summary>
    private static (Ref Wp, Ref Ap) Pointers(ModuleBuilder m, HardwareConfig cfg, Ref clk, Ref rst, Current cur, Ref? go, Ref startOk)
    {
        var wT = VType.U(cfg.WeightAddrBits);
        var aT = VType.U(cfg.ActAddrBits);
        WidthParam wBits = m.WidthParam("WADDR_BITS", cfg.WeightAddrBits);
        WidthParam aBits = m.WidthParam("AADDR_BITS", cfg.ActAddrBits);
        Ref wp = m.Reg("wp", wT, width: wBits);
        Ref ap = m.Reg("ap", aT, width: aBits);
        m.Comment(cur.SetW is null
            ? "Pointers: wp reads the ring in stream order from 0 at start; SETA loads ap; every MAC cycle post-increments both."
            : "Stream pointers: SETW/SETA load them, every MAC cycle post-increments both.");
        Expr wpStep = Mux(cur.Mac, Add(wp, C(1, wT), wT), wp, wT);
        Ref wpNext = m.Wire("wp_next", cur.SetW is { } setW ? Mux(setW, Bits(cur.Operand, 0, cfg.WeightAddrBits), wpStep, wT)
            : Mux(startOk, C(0, wT), wpStep, wT), wBits);
        Ref apNext = m.Wire("ap_next", Mux(cur.SetA, Bits(cur.Operand, 0, cfg.ActAddrBits),
            Mux(cur.Mac, Add(ap, C(1, aT), aT), ap, aT), aT), aBits);
        m.Always(clk, If(rst, [Set(wp, C(0, wT)), Set(ap, C(0, aT))], Stall.Held(go, [Set(wp, wpNext), Set(ap, apNext)])));
        return (wp, ap);
    }

    /// <summary>Decodes ir (the next instruction): one select line per defined opcode (an undefined
    /// opcode raises none: a one-cycle no-op), the repeat count modulo 2^RepeatBits and whether the
    /// instruction takes a single cycle.</summary>
    private static Decoded Decode(ModuleBuilder m, HardwareConfig cfg, GeneratorOptions opt, Ref ir, WidthParam repeatBits, WidthParam operandBits)
    {
        Ref Op(string name, Opcode code) => m.ValueParam($"OP_{name}", C((long)code, VType.U(4)));
        bool st = cfg.IsStreaming;
        Ref opNop = Op("NOP", Opcode.Nop);
        Ref? opSetW = st ? null : Op("SETW", Opcode.SetW);
        Ref opSetA = Op("SETA", Opcode.SetA), opMac = Op("MAC", Opcode.Mac);
        Ref opClr = Op("CLR", Opcode.Clr), opOut = Op("OUT", Opcode.Out);
        Ref? opSetS = st ? Op("SETS", Opcode.SetS) : null, opLoad = st ? Op("LOAD", Opcode.Load) : null;
        Ref opHalt = Op("HALT", Opcode.Halt);
        int r = cfg.RepeatBits;
        var repT = VType.U(r);
        m.Comment($"Decode of the next instruction: opcode ir[31:28], repeat count ir[{r - 1}:0] (the operand modulo 2^{r}).");
        Ref op = m.Wire("ir_opcode", Bits(ir, Isa.OperandBits, 4));
        if (r < Isa.OperandBits && !st) m.Wire("unused_ir_operand_hi", Bits(ir, r, Isa.OperandBits - r));
        Ref count = m.Wire("ir_count", Bits(ir, 0, r), repeatBits);
        Ref operand = m.Wire("ir_operand", Bits(ir, 0, OperandKeptBits(cfg)), operandBits);
        Ref isNop = m.Wire("ir_is_nop", Eq(op, opNop));
        Ref isMac = m.Wire("ir_is_mac", Eq(op, opMac));
        Ref countZero = m.Wire("ir_count_zero", EqC(count, 0));
        Ref countLe1 = m.Wire("ir_count_le1", EqC(Bits(count, 1, r - 1), 0));
        Ref repeats = m.Wire("ir_repeats", Or(isNop, isMac));
        bool offByOne = opt.Has(GeneratorFaults.RepeatCounterOffByOne);
        Ref single = m.Wire("ir_single", Or(Not(repeats), offByOne ? countZero : countLe1));
        Ref load = m.Wire("ir_repeat_load", Sub(count, C(offByOne ? 1 : 2, repT), repT), repeatBits);
        return new Decoded(single, m.Wire("ir_is_halt", Eq(op, opHalt)), load,
            m.Wire("ir_mac_reads", And(isMac, Not(countZero))), m.Wire("ir_is_clr", Eq(op, opClr)), m.Wire("ir_is_out", Eq(op, opOut)),
            opSetW is null ? null : m.Wire("ir_is_setw", Eq(op, opSetW)), m.Wire("ir_is_seta", Eq(op, opSetA)),
            opSetS is null ? null : m.Wire("ir_is_sets", Eq(op, opSetS)), opLoad is null ? null : m.Wire("ir_is_load", Eq(op, opLoad!)),
            operand);
    }
}
