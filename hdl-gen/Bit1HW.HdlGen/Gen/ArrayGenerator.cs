using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The PE array: `rows` PEs share the broadcast activation word; row r takes bits
/// [r·lanes·WeightBits +: lanes·WeightBits] of the weight word. Each row owns an AccBits
/// accumulator updated every cycle as acc := (clr ? 0 : acc) + (valid ? pe_out : 0), with the PE
/// output (for ternary PEs: out_sum plus the carry-in out_carry, see PeGenerator) sign-extended to
/// AccBits; the PE clears its output register when it is not valid, so "valid ? pe_out : 0" is the
/// register itself (if maxK &lt; lanes the accumulator is narrower than the PE
/// output; the low AccBits bits are then taken, which is exact because a legal program's sums fit).
/// Row 0's valid bit is the array's acc_en (all rows share the same timing). A streaming engine's
/// array has <c>en</c>, passed to every PE: the accumulators and the PE pipelines hold while it is 0.
/// With SB_MAC16 accumulators (<see cref="Mac16Accumulator"/>, host-fed engines only) the array
/// takes <c>clr_next</c> (CLR executes in the next cycle) instead of <c>clr</c>.
/// </summary>
internal static class ArrayGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_array_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg, GeneratorOptions opt)
    {
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, $"PE array: {cfg.Rows} rows of {PeGenerator.ModuleName(cfg)}, {cfg.AccBits}-bit accumulators" +
            (opt.Mac16 ? " in SB_MAC16 cells." : "."));
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref inValid = m.Input("in_valid", VType.Bit);
        Ref clr = m.Input(opt.Mac16 ? "clr_next" : "clr", VType.Bit);
        Ref act = m.Input("act", VType.U(cfg.ActWordBits));
        Ref wgt = m.Input("wgt", VType.U(cfg.WeightWordBits));
        Ref accEn = m.Output("acc_en", VType.Bit);
        Ref accOut = m.Output("acc", VType.U(cfg.OutWordBits));
        Ref? en = cfg.IsStreaming ? m.Input("en", VType.Bit) : null;
        WidthParam accBits = m.WidthParam("ACC_BITS", cfg.AccBits);
        WidthParam peOutBits = m.WidthParam("PE_OUT_BITS", cfg.PeOutBits);

        var accType = VType.S(cfg.AccBits);
        int rowBits = cfg.Lanes * cfg.WeightBits;
        bool carry = PeGenerator.HasCarryOut(cfg);
        var accs = new List<Ref>();
        var resets = new List<Stmt>();
        var updates = new List<Stmt>();
        Ref? firstValid = null;
        Ref? load = opt.Mac16 ? Mac16Accumulator.LoadZero(m, opt, clk, rst, clr) : null;
        for (int r = 0; r < cfg.Rows; r++)
        {
            m.Comment($"Row {r}: PE on weight bits [{(r + 1) * rowBits - 1}:{r * rowBits}] and its accumulator.");
            Ref w = m.Wire($"wgt_row_{r}", Bits(wgt, r * rowBits, rowBits));
            // Every row has the same timing: row 0's valid bit is acc_en, the others are unused.
            Ref valid = m.Net(r == 0 ? "pe_valid_0" : $"unused_pe_valid_{r}", VType.Bit);
            Ref sum = m.Net($"pe_sum_{r}", VType.S(cfg.PeOutBits), peOutBits);
            Ref? peCarry = carry ? m.Net($"pe_carry_{r}", VType.Bit) : null;
            m.Instantiate(PeGenerator.ModuleName(cfg), $"pe_{r}",
                [Pin("clk", clk), Pin("rst", rst), Pin("in_valid", inValid), Pin("act", act), Pin("wgt", w),
                 Pin("out_valid", valid), Pin("out_sum", sum), .. peCarry is null ? Array.Empty<Connection>() : [Pin("out_carry", peCarry)],
                 .. en is null ? Array.Empty<Connection>() : [Pin("en", en)]]);
            firstValid ??= valid;
            if (load is not null)
            {
                accs.Add(Mac16Accumulator.Build(m, cfg, r, clk, load, sum, peCarry, accBits));
                continue;
            }
            Ref acc = m.Reg($"acc_{r}", accType, width: accBits);
            Expr wide = cfg.PeOutBits <= cfg.AccBits ? Ext(sum, accType) : Bits(sum, 0, cfg.AccBits, signed: true);
            if (cfg.PeOutBits > cfg.AccBits)
                m.Wire($"unused_pe_sum_hi_{r}", Bits(sum, cfg.AccBits, cfg.PeOutBits - cfg.AccBits));
            // The PE's output register is 0 unless valid, so it is added as it is; for a ternary PE the
            // last +1 correction enters as the accumulator adder's carry-in.
            Ref addend = m.Wire($"addend_{r}", wide, accBits);
            Ref kept = m.Wire($"kept_{r}", Mux(clr, C(0, accType), acc, accType), accBits);
            Expr next = Add(kept, addend, accType);
            if (peCarry is not null) next = Add(m.Wire($"acc_plus_{r}", next, accBits), Ext(peCarry, accType), accType);
            resets.Add(Set(acc, C(0, accType)));
            updates.Add(Set(acc, m.Wire($"acc_next_{r}", next, accBits)));
            accs.Add(acc);
        }
        if (load is null)
        {
            m.Comment("Accumulators: acc := (clr ? 0 : acc) + (valid ? pe_out : 0).");
            m.Always(clk, [If(rst, [.. resets], Stall.Held(en, [.. updates]))]);
        }
        m.Comment("Outputs: row 0's valid bit is acc_en (all rows share the same timing).");
        m.Drive(accEn, firstValid!);
        accs.Reverse();
        m.Drive(accOut, Cat([.. accs]));
        return m;
    }
}
