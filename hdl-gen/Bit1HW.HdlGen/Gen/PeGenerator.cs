using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The processing element (docs/hardware.md, "Datapath"). Lane j forms its term combinationally:
/// ternary — the activation, its negation or zero, chosen by the 2-bit code (01 = +1, 11 = -1,
/// 00 and 10 = 0; no multiplier anywhere); mac — the INT8 weight times the activation. The terms
/// are summed by a binary adder tree of D = ceil(log2 lanes) levels: level k adds pairs (0,1),
/// (2,3), ... of level k-1, an odd last element passes through unchanged, and each level is one
/// bit wider than its inputs, capped at PeOutBits (exact: no partial sum can exceed the full sum's
/// range). A register follows every level k with k mod pipeEvery = 0 and always the last level
/// (for one lane: the term), so there are exactly L = PeLatencyCycles registers. A valid bit
/// travels through registers at the same levels. Ports: in_valid, act, wgt → out_valid, out_sum.
/// </summary>
internal static class PeGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_pe_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg, GeneratorOptions opt)
    {
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, $"{(cfg.Pe == PeKind.Ternary ? "Ternary adder-tree" : "INT8 multiply-accumulate")} processing element: " +
            $"{cfg.Lanes} lanes, {cfg.TreeLevels} tree levels, latency {cfg.PeLatencyCycles} cycles, {cfg.PeOutBits}-bit output.");
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref inValid = m.Input("in_valid", VType.Bit);
        Ref act = m.Input("act", VType.U(cfg.ActWordBits));
        Ref wgt = m.Input("wgt", VType.U(cfg.Lanes * cfg.WeightBits));
        Ref outValid = m.Output("out_valid", VType.Bit);
        Ref outSum = m.Output("out_sum", VType.S(cfg.PeOutBits));

        var level = new List<Ref>();
        for (int j = 0; j < cfg.Lanes; j++) level.Add(Term(m, cfg, opt, act, wgt, j));
        Ref valid = inValid;
        var regs = new List<Stmt>();
        var resetRegs = new List<Stmt>();
        bool dropped = !opt.Has(GeneratorFaults.DropPipelineRegister);
        int width = cfg.PeTermBits;
        for (int k = 1; k <= cfg.TreeLevels; k++)
        {
            width = Math.Min(width + 1, cfg.PeOutBits);
            var t = VType.S(width);
            var next = new List<Ref>();
            for (int i = 0; i < level.Count; i += 2)
            {
                Expr sum = i + 1 < level.Count ? Add(level[i], level[i + 1], t) : Ext(level[i], t);
                next.Add(m.Wire($"sum_l{k}_{i / 2}", sum));
            }
            level = next;
            if (k % cfg.PipeEvery == 0 || k == cfg.TreeLevels)
                (level, valid) = Register(m, level, valid, $"l{k}", regs, resetRegs, ref dropped);
        }
        if (cfg.TreeLevels == 0)
            (level, valid) = Register(m, level, valid, "l0", regs, resetRegs, ref dropped);
        m.Always(clk, [If(rst, [.. resetRegs], [.. regs.Where(s => s is NonBlocking nb && nb.Target.StartsWith("valid_", StringComparison.Ordinal))])]);
        m.Always(clk, [.. regs.Where(s => s is NonBlocking nb && !nb.Target.StartsWith("valid_", StringComparison.Ordinal))]);
        m.Drive(outValid, valid);
        m.Drive(outSum, Ext(level.Single(), VType.S(cfg.PeOutBits)));
        return m;
    }

    private static Ref Term(ModuleBuilder m, HardwareConfig cfg, GeneratorOptions opt, Ref act, Ref wgt, int j)
    {
        var termType = VType.S(cfg.PeTermBits);
        Ref a = m.Wire($"act_{j}", Bits(act, j * cfg.ActBits, cfg.ActBits, signed: true));
        if (cfg.Pe == PeKind.Mac)
        {
            Ref w = m.Wire($"wgt_{j}", Bits(wgt, j * 8, 8, signed: true));
            return m.Wire($"term_{j}", Mul(a, w, termType));
        }
        Ref code = m.Wire($"code_{j}", Bits(wgt, j * 2, 2));
        Ref plus = m.Wire($"plus_{j}", EqC(code, TernaryCode.PlusOne));
        Ref minus = m.Wire($"minus_{j}", EqC(code, TernaryCode.MinusOne));
        if (opt.Has(GeneratorFaults.FlipWeightDecode)) (plus, minus) = (minus, plus);
        Ref pos = m.Wire($"pos_{j}", Ext(a, termType));
        Ref neg = m.Wire($"neg_{j}", Neg(pos, termType));
        Ref zero = m.Wire($"zero_{j}", C(0, termType));
        Ref signedPart = m.Wire($"negz_{j}", Mux(minus, neg, zero, termType));
        return m.Wire($"term_{j}", Mux(plus, pos, signedPart, termType));
    }

    private static (List<Ref>, Ref) Register(ModuleBuilder m, List<Ref> level, Ref valid, string name,
        List<Stmt> regs, List<Stmt> resetRegs, ref bool dropped)
    {
        if (!dropped)
        {
            dropped = true;
            return (level, valid);
        }
        var q = new List<Ref>();
        for (int i = 0; i < level.Count; i++)
        {
            Ref r = m.Reg($"{level[i].Name}_q", level[i].Type);
            regs.Add(Set(r, level[i]));
            q.Add(r);
        }
        Ref v = m.Reg($"valid_{name}_q", VType.Bit);
        regs.Add(Set(v, valid));
        resetRegs.Add(Set(v, Bit(false)));
        return (q, v);
    }
}
