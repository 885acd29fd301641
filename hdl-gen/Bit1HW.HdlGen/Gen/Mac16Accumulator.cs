using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// A row's accumulator in one iCE40 SB_MAC16, used as a 32-bit adder/accumulator (the multiplier
/// unused): its lower and upper 16-bit adders add the sign-extended PE output (B: bits 15..0, A:
/// bits 31..16) to their own registers, the lower carry feeds the upper adder, and the ternary PE's
/// pending +1 correction (out_carry) enters as the lower adder's carry-in (CI). The accumulator is
/// O[AccBits-1:0]; the sum is exact modulo 2^32, so its low AccBits bits are exact too.
/// Clearing: the cell's load input replaces the sum with C:D (= 0), it cannot add the tile that lands
/// in the CLR cycle to 0. So the accumulator is loaded with 0 one cycle early, at the end of the
/// cycle before CLR executes (<c>clr_next</c>, decoded ahead by the controller), and the CLR cycle
/// adds its tile to that 0: acc after CLR = pe_out, as the contract says. The register then differs
/// from the contract's accumulator only during the CLR cycle itself, when nothing can read it (OUT
/// reads the accumulators at the start of its own cycle, and that cycle is the CLR's).
/// Reset loads 0 the same way (a synchronous load; the cell's asynchronous output reset is unused).
/// </summary>
internal static class Mac16Accumulator
{
    /// <summary>The load-zero strobe shared by every row: reset, or CLR executes in the next cycle.
    /// The planted fault loads at the end of the CLR cycle instead, losing its tile.</summary>
    public static Ref LoadZero(ModuleBuilder m, GeneratorOptions opt, Ref clk, Ref rst, Ref clrNext)
    {
        m.Comment("SB_MAC16 accumulators load 0 at reset and at the end of the cycle before CLR.");
        if (!opt.Has(GeneratorFaults.LateAccumulatorClear)) return m.Wire("acc_load_zero", Or(rst, clrNext));
        Ref clrNow = m.Reg("clr_now", VType.Bit);
        m.Always(clk, Set(clrNow, clrNext));
        return m.Wire("acc_load_zero", Or(rst, clrNow));
    }

    public static Ref Build(ModuleBuilder m, HardwareConfig cfg, int r, Ref clk, Ref load, Ref sum, Ref? carry, WidthParam accBits)
    {
        var half = VType.U(16);
        Ref addend = m.Wire($"addend_{r}", Ext(sum, VType.S(32)));
        Ref hi = m.Wire($"addend_{r}_hi", Bits(addend, 16, 16));
        Ref lo = m.Wire($"addend_{r}_lo", Bits(addend, 0, 16));
        Ref o = m.Net($"mac_out_{r}", VType.U(32));
        Ref unusedCo = m.Net($"unused_mac_co_{r}", VType.Bit);
        Ref unusedAccumCo = m.Net($"unused_mac_accumco_{r}", VType.Bit);
        Ref unusedSignExt = m.Net($"unused_mac_signextout_{r}", VType.Bit);
        Const zero16 = C(0, half), low = Bit(false);
        m.Instantiate(CellModels.Mac16, $"acc_mac_{r}", Parameters(carry is not null),
            Pin("CLK", clk), Pin("CE", Bit(true)), Pin("C", zero16), Pin("A", hi), Pin("B", lo), Pin("D", zero16),
            Pin("AHOLD", low), Pin("BHOLD", low), Pin("CHOLD", low), Pin("DHOLD", low),
            Pin("IRSTTOP", low), Pin("IRSTBOT", low), Pin("ORSTTOP", low), Pin("ORSTBOT", low),
            Pin("OLOADTOP", load), Pin("OLOADBOT", load), Pin("ADDSUBTOP", low), Pin("ADDSUBBOT", low),
            Pin("OHOLDTOP", low), Pin("OHOLDBOT", low), Pin("CI", carry ?? (Expr)low), Pin("ACCUMCI", low), Pin("SIGNEXTIN", low),
            Pin("O", o), Pin("CO", unusedCo), Pin("ACCUMCO", unusedAccumCo), Pin("SIGNEXTOUT", unusedSignExt));
        if (cfg.AccBits < 32) m.Wire($"unused_mac_out_{r}_hi", Bits(o, cfg.AccBits, 32 - cfg.AccBits));
        return m.Wire($"acc_{r}", Bits(o, 0, cfg.AccBits, signed: true), accBits);
    }

    /// <summary>Registered outputs, A/B straight into the adders, each adder fed back from its own
    /// register, the upper carry-in from the lower adder, the lower carry-in from CI (or 0).</summary>
    private static InstanceParameter[] Parameters(bool carryIn) =>
    [
        new("TOPOUTPUT_SELECT", C(1, VType.U(2))), new("TOPADDSUB_LOWERINPUT", C(0, VType.U(2))),
        new("TOPADDSUB_UPPERINPUT", C(0, VType.Bit)), new("TOPADDSUB_CARRYSELECT", C(2, VType.U(2))),
        new("BOTOUTPUT_SELECT", C(1, VType.U(2))), new("BOTADDSUB_LOWERINPUT", C(0, VType.U(2))),
        new("BOTADDSUB_UPPERINPUT", C(0, VType.Bit)), new("BOTADDSUB_CARRYSELECT", C(carryIn ? 3 : 0, VType.U(2))),
    ];
}
