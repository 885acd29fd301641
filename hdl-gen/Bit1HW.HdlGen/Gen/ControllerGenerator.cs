using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The statically scheduled controller (docs/hardware.md, "Instruction set" and "Timing"). The
/// instruction memory's registered read output <c>ir</c> always holds the word at <c>pc</c> while
/// it executes: the read address is <c>pc</c>, except in the last cycle of an instruction, when it
/// is <c>pc + 1</c> so the next word arrives exactly when it starts (no gap). <c>fetching</c> marks
/// the one fetch cycle after start, <c>first</c> the first cycle of each instruction. In its first
/// cycle an instruction is the last one unless it is NOP n / MAC n with n ≥ 2 (NOP 0 and MAC 0 take
/// one cycle, MAC 0 reads nothing; every other opcode, defined or not, lasts one cycle); then the
/// 28-bit down-counter <c>rem</c> is loaded with n - 2 and the instruction ends when it reaches 0.
/// (Counting down keeps the carry chain out of the path from the instruction word to the next fetch
/// address.) A MAC cycle
/// reads wmem[wp] and amem[ap] and post-increments both, which equals reading wp+i, ap+i and adding
/// n afterwards. SETW/SETA load the pointers (modulo the address width) at the end of their cycle.
/// HALT ends busy and sets done; pc keeps the HALT's index.
/// </summary>
internal static class ControllerGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_ctrl_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg, GeneratorOptions opt)
    {
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, "Controller: fetch, back-to-back execution, NOP/MAC repeat counter, stream pointers.");
        var pcT = VType.U(cfg.InstrAddrBits);
        var wT = VType.U(cfg.WeightAddrBits);
        var aT = VType.U(cfg.ActAddrBits);
        var nT = VType.U(Isa.OperandBits);
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref start = m.Input("start", VType.Bit);
        Ref ir = m.Input("ir", VType.U(32));
        Ref busy = m.OutputReg("busy", VType.Bit);
        Ref done = m.OutputReg("done", VType.Bit);
        Ref pc = m.OutputReg("pc", pcT);
        Ref imemRaddr = m.Output("imem_raddr", pcT);
        Ref wRaddr = m.Output("w_raddr", wT);
        Ref aRaddr = m.Output("a_raddr", aT);
        Ref macRd = m.Output("mac_rd", VType.Bit);
        Ref clrOut = m.Output("clr", VType.Bit);
        Ref outWe = m.Output("out_we", VType.Bit);
        Ref outAddr = m.Output("out_addr", VType.U(cfg.OutAddrBits));

        Ref fetching = m.Reg("fetching", VType.Bit);
        Ref first = m.Reg("first", VType.Bit);
        Ref rem = m.Reg("rem", nT);
        Ref wp = m.Reg("wp", wT);
        Ref ap = m.Reg("ap", aT);

        Ref op = m.Wire("op", Bits(ir, Isa.OperandBits, 4));
        Ref n = m.Wire("n", Bits(ir, 0, Isa.OperandBits));
        Ref exec = m.Wire("exec", And(busy, Not(fetching)));
        var (isNop, isSetw, isSeta, isMac, isClr, isOut, isHalt) = Decode(m, op);
        Ref repeat = m.Wire("repeat", Or(isNop, isMac));
        Ref nZero = m.Wire("n_zero", EqC(n, 0));
        Ref nLe1 = m.Wire("n_le1", EqC(Bits(n, 1, Isa.OperandBits - 1), 0));
        bool offByOne = opt.Has(GeneratorFaults.RepeatCounterOffByOne);
        Ref lastFirst = m.Wire("last_first", Or(Not(repeat), offByOne ? nZero : nLe1));
        Ref remZero = m.Wire("rem_zero", EqC(rem, 0));
        Ref last = m.Wire("last", Mux(first, lastFirst, remZero));
        Ref step = m.Wire("step", And(And(exec, last), Not(isHalt)));
        Ref startOk = m.Wire("start_ok", And(start, Not(busy)));
        Ref halting = m.Wire("halting", And(exec, isHalt));
        Ref macGo = m.Wire("mac_go", And(And(exec, isMac), Not(nZero)));
        Ref pcInc = m.Wire("pc_inc", Add(pc, C(1, pcT), pcT));

        Ref busyNext = m.Wire("busy_next", Or(startOk, And(busy, Not(halting))));
        Ref doneNext = m.Wire("done_next", And(Not(startOk), Or(done, halting)));
        Ref pcNext = m.Wire("pc_next", Mux(startOk, C(0, pcT), Mux(step, pcInc, pc, pcT), pcT));
        Ref firstNext = m.Wire("first_next", Or(fetching, step));
        Ref remNext = m.Wire("rem_next", Mux(first, Sub(n, C(offByOne ? 1 : 2, nT), nT), Sub(rem, C(1, nT), nT), nT));
        Ref wpNext = m.Wire("wp_next", Mux(And(exec, isSetw), Bits(n, 0, cfg.WeightAddrBits),
            Mux(macGo, Add(wp, C(1, wT), wT), wp, wT), wT));
        Ref apNext = m.Wire("ap_next", Mux(And(exec, isSeta), Bits(n, 0, cfg.ActAddrBits),
            Mux(macGo, Add(ap, C(1, aT), aT), ap, aT), aT));

        m.Always(clk, If(rst,
            [Set(busy, Bit(false)), Set(done, Bit(false)), Set(fetching, Bit(false)), Set(pc, C(0, pcT)),
             Set(first, Bit(false)), Set(rem, C(0, nT)), Set(wp, C(0, wT)), Set(ap, C(0, aT))],
            [Set(busy, busyNext), Set(done, doneNext), Set(fetching, startOk), Set(pc, pcNext),
             Set(first, firstNext), Set(rem, remNext), Set(wp, wpNext), Set(ap, apNext)]));

        m.Drive(imemRaddr, Mux(step, pcInc, pc, pcT));
        m.Drive(wRaddr, wp);
        m.Drive(aRaddr, ap);
        m.Drive(macRd, macGo);
        m.Drive(clrOut, And(exec, isClr));
        m.Drive(outWe, And(exec, isOut));
        m.Drive(outAddr, Bits(n, 0, cfg.OutAddrBits));
        return m;
    }

    /// <summary>One select line per defined opcode; an undefined opcode raises none (a one-cycle no-op).</summary>
    private static (Ref Nop, Ref SetW, Ref SetA, Ref Mac, Ref Clr, Ref Out, Ref Halt) Decode(ModuleBuilder m, Ref op)
    {
        Ref Is(string name, Opcode code) => m.Wire($"is_{name}", EqC(op, (long)code));
        return (Is("nop", Opcode.Nop), Is("setw", Opcode.SetW), Is("seta", Opcode.SetA), Is("mac", Opcode.Mac),
            Is("clr", Opcode.Clr), Is("out", Opcode.Out), Is("halt", Opcode.Halt));
    }
}
