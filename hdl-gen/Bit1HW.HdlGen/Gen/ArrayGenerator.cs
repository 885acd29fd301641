using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The PE array: `rows` PEs share the broadcast activation word; row r takes bits
/// [r·lanes·WeightBits +: lanes·WeightBits] of the weight word. Each row owns an AccBits
/// accumulator updated every cycle as acc := (clr ? 0 : acc) + (valid ? pe_out : 0), with the PE
/// output sign-extended to AccBits (if maxK &lt; lanes the accumulator is narrower than the PE
/// output; the low AccBits bits are then taken, which is exact because a legal program's sums fit).
/// Row 0's valid bit is the array's acc_en (all rows share the same timing).
/// </summary>
internal static class ArrayGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_array_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg)
    {
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, $"PE array: {cfg.Rows} rows of {PeGenerator.ModuleName(cfg)}, {cfg.AccBits}-bit accumulators.");
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref inValid = m.Input("in_valid", VType.Bit);
        Ref clr = m.Input("clr", VType.Bit);
        Ref act = m.Input("act", VType.U(cfg.ActWordBits));
        Ref wgt = m.Input("wgt", VType.U(cfg.WeightWordBits));
        Ref accEn = m.Output("acc_en", VType.Bit);
        Ref accOut = m.Output("acc", VType.U(cfg.OutWordBits));

        var accType = VType.S(cfg.AccBits);
        int rowBits = cfg.Lanes * cfg.WeightBits;
        var accs = new List<Ref>();
        var resets = new List<Stmt>();
        var updates = new List<Stmt>();
        Ref? firstValid = null;
        for (int r = 0; r < cfg.Rows; r++)
        {
            Ref w = m.Wire($"wgt_row_{r}", Bits(wgt, r * rowBits, rowBits));
            Ref valid = m.Net($"pe_valid_{r}", VType.Bit);
            Ref sum = m.Net($"pe_sum_{r}", VType.S(cfg.PeOutBits));
            m.Instantiate(PeGenerator.ModuleName(cfg), $"pe_{r}",
                Pin("clk", clk), Pin("rst", rst), Pin("in_valid", inValid), Pin("act", act), Pin("wgt", w),
                Pin("out_valid", valid), Pin("out_sum", sum));
            firstValid ??= valid;
            Ref acc = m.Reg($"acc_{r}", accType);
            Expr wide = cfg.PeOutBits <= cfg.AccBits ? Ext(sum, accType) : Bits(sum, 0, cfg.AccBits, signed: true);
            if (cfg.PeOutBits > cfg.AccBits)
                m.Wire($"unused_pe_sum_hi_{r}", Bits(sum, cfg.AccBits, cfg.PeOutBits - cfg.AccBits));
            Ref addend = m.Wire($"addend_{r}", Mux(valid, m.Wire($"pe_sum_ext_{r}", wide), C(0, accType), accType));
            Ref kept = m.Wire($"kept_{r}", Mux(clr, C(0, accType), acc, accType));
            Ref next = m.Wire($"acc_next_{r}", Add(kept, addend, accType));
            resets.Add(Set(acc, C(0, accType)));
            updates.Add(Set(acc, next));
            accs.Add(acc);
        }
        m.Always(clk, [If(rst, [.. resets], [.. updates])]);
        m.Drive(accEn, firstValid!);
        accs.Reverse();
        m.Drive(accOut, Cat([.. accs]));
        return m;
    }
}
