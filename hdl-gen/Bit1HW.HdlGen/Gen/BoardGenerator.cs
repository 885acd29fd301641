using System.Numerics;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The board wrapper <c>bit1hw_board_&lt;tag&gt;</c> for the FPGA flow: the engine's host port is far
/// wider than any board's pins, so the wrapper drives it from an on-chip ROM of host writes and runs
/// a built-in self-test. After a power-on reset (a 4-bit counter that relies on the FPGA's zero
/// power-up state) or while btn_n is low, it writes one weight word, one activation word and the
/// program CLR; SETW 0; SETA 0; MAC 1; NOP L+1 (in NOPs of at most 2^RepeatBits - 1 cycles); OUT 0;
/// HALT, pulses start, waits for done and
/// compares every row of omem[0] with the dot product computed here. led_pass_n / led_fail_n (active
/// low, like the iCEBreaker's LEDs) show the verdict. Ports: clk, btn_n, led_pass_n, led_fail_n.
/// </summary>
internal static class BoardGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_board_{cfg.Tag}";

    /// <summary>Activation of lane j in the self-test: a spread over the whole two's-complement range.</summary>
    public static long Activation(HardwareConfig cfg, int j) => ((j * 37L + 11) % (1L << cfg.ActBits)) - (1L << (cfg.ActBits - 1));

    /// <summary>Weight of row r, lane j in the self-test: -1, 0, +1 cycling (ternary) or a spread over INT8 (mac).</summary>
    public static long Weight(HardwareConfig cfg, int r, int j) =>
        cfg.Pe == PeKind.Ternary ? ((j + r) % 3) - 1 : ((j * 53L + 7 + r * 11L) % 256) - 128;

    public static IReadOnlyList<(int Sel, long Addr, BigInteger Data)> HostWrites(HardwareConfig cfg)
    {
        BigInteger wword = 0, aword = 0;
        for (int r = 0; r < cfg.Rows; r++)
            for (int j = 0; j < cfg.Lanes; j++)
            {
                long w = Weight(cfg, r, j);
                long code = cfg.Pe == PeKind.Ternary ? TernaryCode.Encode((sbyte)w) : w & 0xFF;
                wword |= (BigInteger)code << ((r * cfg.Lanes + j) * cfg.WeightBits);
            }
        for (int j = 0; j < cfg.Lanes; j++)
            aword |= (BigInteger)(Activation(cfg, j) & ((1L << cfg.ActBits) - 1)) << (j * cfg.ActBits);
        var writes = new List<(int, long, BigInteger)> { (1, 0, wword), (2, 0, aword) };
        uint[] program = Program(cfg);
        for (int i = 0; i < program.Length; i++) writes.Add((0, i, program[i]));
        return writes;
    }

    /// <summary>CLR; SETW 0; SETA 0; MAC 1; NOP L+1 (split into NOPs of at most 2^RepeatBits - 1
    /// cycles); OUT 0; HALT: the OUT executes exactly when the tile's sum has reached the accumulator.</summary>
    public static uint[] Program(HardwareConfig cfg)
    {
        var words = new List<uint>
        {
            new Instruction(Opcode.Clr, 0).Encode(), new Instruction(Opcode.SetW, 0).Encode(),
            new Instruction(Opcode.SetA, 0).Encode(), new Instruction(Opcode.Mac, 1).Encode(),
        };
        uint maxCount = (1u << cfg.RepeatBits) - 1;
        for (uint wait = (uint)cfg.PeLatencyCycles + 1; wait > 0; wait -= Math.Min(wait, maxCount))
            words.Add(new Instruction(Opcode.Nop, Math.Min(wait, maxCount)).Encode());
        words.Add(new Instruction(Opcode.Out, 0).Encode());
        words.Add(new Instruction(Opcode.Halt, 0).Encode());
        return [.. words];
    }

    /// <summary>Row r's expected result, wrapped to AccBits like the accumulator.</summary>
    public static long Expected(HardwareConfig cfg, int r)
    {
        long sum = 0;
        for (int j = 0; j < cfg.Lanes; j++) sum += Activation(cfg, j) * Weight(cfg, r, j);
        int shift = 64 - cfg.AccBits;
        return (sum << shift) >> shift;
    }

    public static ModuleBuilder Build(HardwareConfig cfg)
    {
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, $"Board wrapper: on-chip self-test of {TopGenerator.ModuleName(cfg)}; checks every row of omem[0].");
        Ref clk = m.Input("clk", VType.Bit);
        Ref btnN = m.Input("btn_n", VType.Bit);
        Ref ledPassN = m.OutputReg("led_pass_n", VType.Bit);
        Ref ledFailN = m.OutputReg("led_fail_n", VType.Bit);

        var writes = HostWrites(cfg);
        int e = writes.Count;
        var stepT = VType.U(Widths.AddressBits(e + 2));
        var porT = VType.U(4);
        Ref por = m.Reg("por_cnt", porT, 0);
        Ref btnQ = m.Reg("btn_q", VType.Bit, 1);
        Ref step = m.Reg("step", stepT);
        m.Comment("Reset (registered, for timing): power-on counter and the button; step walks the ROM, then start, then idle.");
        Ref porDone = m.Wire("por_done", EqC(por, 15));
        Ref rst = m.Reg("rst", VType.Bit, 1);
        Ref atStart = m.Wire("at_start", EqC(step, e));
        Ref atIdle = m.Wire("at_idle", EqC(step, e + 1));
        Ref writing = m.Wire("writing", And(Not(atStart), Not(atIdle)));

        var (romSel, romAddr, romData) = Rom(m, cfg, writes, step);
        m.Comment("Host port registers: the ROM and the sequencer reach the engine through flip-flops.");
        Ref startQ = m.Reg("start_q", VType.Bit);
        Ref hostWe = m.Reg("host_we_q", VType.Bit);
        Ref hostSel = m.Reg("host_sel_q", romSel.Type);
        Ref hostAddr = m.Reg("host_addr_q", romAddr.Type);
        Ref hostData = m.Reg("host_wdata_q", romData.Type);
        m.Always(clk, If(rst, [Set(startQ, Bit(false)), Set(hostWe, Bit(false))], [Set(startQ, atStart), Set(hostWe, writing)]),
            Set(hostSel, romSel), Set(hostAddr, romAddr), Set(hostData, romData));

        m.Comment("Sequencer registers.");
        m.Always(clk,
            Set(por, Mux(porDone, por, Add(por, C(1, porT), porT), porT)),
            Set(btnQ, btnN),
            Set(rst, Or(Not(porDone), Not(btnQ))),
            If(rst, [Set(step, C(0, stepT))], [Set(step, Mux(atIdle, step, Add(step, C(1, stepT), stepT), stepT))]));

        Ref done = m.Net("done", VType.Bit);
        Ref rdata = m.Net("host_rdata", VType.S(cfg.AccBits));
        Ref rrow = Checker(m, cfg, clk, rst, done, rdata, ledPassN, ledFailN);
        m.Comment("The engine under test.");
        m.Instantiate(TopGenerator.ModuleName(cfg), "engine",
            Pin("clk", clk), Pin("rst", rst), Pin("start", startQ), Pin("busy", m.Net("unused_busy", VType.Bit)),
            Pin("done", done), Pin("host_we", hostWe), Pin("host_sel", hostSel), Pin("host_addr", hostAddr),
            Pin("host_wdata", hostData), Pin("host_raddr", C(0, VType.U(cfg.OutAddrBits))),
            Pin("host_rrow", rrow), Pin("host_rdata", rdata),
            Pin("dbg_pc", m.Net("unused_dbg_pc", VType.U(cfg.InstrAddrBits))),
            Pin("dbg_acc_en", m.Net("unused_dbg_acc_en", VType.Bit)));
        return m;
    }

    /// <summary>
    /// The checker: once done, scan = s (1 ≤ s ≤ rows) finds row s - 1 of omem[0] on host_rdata (read
    /// one cycle earlier, prev_row); it is registered with its row (host_rdata_q, check_row) and
    /// compared in the next cycle with the dot product computed by the generator. Returns host_rrow.
    /// </summary>
    private static Ref Checker(ModuleBuilder m, HardwareConfig cfg, Ref clk, Ref rst, Ref done, Ref rdata, Ref ledPassN, Ref ledFailN)
    {
        var scanT = VType.U(Widths.AddressBits(cfg.Rows + 3));
        var rowT = VType.U(cfg.RowSelectBits);
        var accT = VType.S(cfg.AccBits);
        Ref scan = m.Reg("scan", scanT);
        Ref prevRow = m.Reg("prev_row", rowT);
        Ref checkRow = m.Reg("check_row", rowT);
        Ref ok = m.Reg("ok", VType.Bit);
        Ref rdataQ = m.Reg("host_rdata_q", accT);
        Ref comparingQ = m.Reg("comparing_q", VType.Bit);
        m.Comment("Checker: compare each row read back with the dot product computed by the generator.");
        Ref rrow = m.Wire("scan_row", Ext(Bits(scan, 0, Math.Min(cfg.RowSelectBits, scanT.WidthBits)), rowT));
        Expr expected = C(Expected(cfg, cfg.Rows - 1), accT);
        for (int r = cfg.Rows - 2; r >= 0; r--)
            if (expected is not Const same || same.Value != Expected(cfg, r))
                expected = Mux(EqC(checkRow, r), C(Expected(cfg, r), accT), expected, accT);
        if (cfg.Rows == 1) m.Wire("unused_check_row", checkRow);
        Ref match = m.Wire("match", Eq(rdataQ, m.Wire("expected", expected)));
        Ref finished = m.Wire("finished", EqC(scan, cfg.Rows + 2));
        Ref scanning = m.Wire("scanning", And(done, Not(finished)));
        Ref rowRead = m.Wire("row_read", And(Not(EqC(scan, 0)), Not(EqC(scan, cfg.Rows + 1))));
        Ref comparing = m.Wire("comparing", And(scanning, rowRead));
        m.Comment("Checker and LED registers.");
        m.Always(clk,
            If(rst, [Set(scan, C(0, scanT)), Set(ok, Bit(true)), Set(ledPassN, Bit(true)), Set(ledFailN, Bit(true))],
            [
                Set(scan, Mux(scanning, Add(scan, C(1, scanT), scanT), scan, scanT)),
                Set(ok, And(ok, Or(Not(comparingQ), match))),
                Set(ledPassN, Not(And(finished, ok))),
                Set(ledFailN, Not(And(finished, Not(ok)))),
            ]),
            Set(prevRow, rrow), Set(checkRow, prevRow), Set(rdataQ, rdata), Set(comparingQ, comparing));
        return rrow;
    }

    /// <summary>The host-write ROM: entry i drives host_sel/addr/wdata while step = i, 0 otherwise.</summary>
    private static (Ref Sel, Ref Addr, Ref Data) Rom(ModuleBuilder m, HardwareConfig cfg,
        IReadOnlyList<(int Sel, long Addr, BigInteger Data)> writes, Ref step)
    {
        m.Comment("Host-write ROM: entry i while step = i.");
        var hits = Enumerable.Range(0, writes.Count).Select(i => m.Wire($"rom_hit_{i}", EqC(step, i))).ToArray();
        return (Field(m, "rom_sel", hits, writes.Select(w => (BigInteger)w.Sel).ToArray(), 2),
            Field(m, "rom_addr", hits, writes.Select(w => (BigInteger)w.Addr).ToArray(), cfg.HostAddrBits),
            Field(m, "rom_data", hits, writes.Select(w => w.Data).ToArray(), cfg.HostDataBits));
    }

    /// <summary>One ROM field as a chain of named multiplexers <c>{name}_from_{i}</c> (the value for
    /// steps ≥ i); entries equal to 0 add no multiplexer, since the hits are mutually exclusive.</summary>
    private static Ref Field(ModuleBuilder m, string name, Ref[] hits, BigInteger[] values, int widthBits)
    {
        var t = VType.U(widthBits);
        int[] entries = Enumerable.Range(0, values.Length).Where(i => !values[i].IsZero).ToArray();
        Expr chain = C(0, t);
        for (int k = entries.Length - 1; k >= 0; k--)
        {
            int i = entries[k];
            Expr stage = Mux(hits[i], C(values[i], t), chain, t);
            chain = k == 0 ? stage : m.Wire($"{name}_from_{i}", stage);
        }
        return m.Wire(name, chain);
    }
}
