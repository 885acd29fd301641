using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The processing element (docs/hardware.md, "Datapath"). Lane j forms its term from the memory
/// data and registers it (stage 0). Ternary: the term is the ones' complement form
/// <c>(a XOR minus) AND nonzero</c> — a, ~a (= -a - 1) or 0, one LUT per bit and no carry chain —
/// and the missing +1 of a negation travels beside it as a one-bit correction. mac: the INT8
/// weight times the activation, no correction. The terms are summed by a binary adder tree of
/// D = ceil(log2 lanes) levels: level k adds pairs (0,1), (2,3), ... of level k-1, an odd last
/// element passes through unchanged, and each level is one bit wider than its inputs, capped at
/// PeOutBits. Every tree node carries exactly one pending correction: an adder consumes its left
/// input's correction as its carry-in and passes on its right input's, so the lanes - 1 adders
/// absorb lanes - 1 corrections and the root's one correction leaves the PE on <c>out_carry</c>
/// for the accumulator adder's carry-in (ArrayGenerator). A node's value plus its correction is
/// the exact sum of its lanes; the value alone fits ActBits + k bits (at most 2^k lanes of
/// [-2^(b-1), 2^(b-1) - 1] plus fewer than 2^k absorbed ones). A register follows the terms, every
/// level k with k mod pipeEvery = 0 and the last level, so there are exactly L = PeLatencyCycles
/// register stages; a valid bit travels through registers at the same stages. The last stage (the
/// output register) loads 0 when its valid bit is 0 (a synchronous clear, free in an iCE40 or 7-series
/// flip-flop), so the accumulator needs no multiplexer to add "valid ? out : 0".
/// Ports: in_valid, act, wgt → out_valid, out_sum (and out_carry for ternary). A streaming engine's
/// PE also has <c>en</c>: every register, valid bits included, holds while it is 0 (a stall cycle).
/// </summary>
internal static class PeGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_pe_{cfg.Tag}";

    /// <summary>Width of one registered lane term: the activation width (ternary ones' complement
    /// form, one bit narrower than the term's value, <see cref="HardwareConfig.PeTermBits"/>) or the
    /// exact width of an INT8 × activation product.</summary>
    public static int TermBits(HardwareConfig cfg) =>
        cfg.Pe == PeKind.Ternary ? cfg.ActBits : cfg.PeTermBits;

    /// <summary>Whether the PE has an <c>out_carry</c> port (the root's pending +1 correction).</summary>
    public static bool HasCarryOut(HardwareConfig cfg) => cfg.Pe == PeKind.Ternary;

    /// <summary>A tree node: its value and, for ternary PEs, its pending +1 correction.</summary>
    private sealed record Node(Ref Value, Ref? Carry);

    /// <summary>The registers of the PE, kept apart by kind: valid bits are reset, plain data registers
    /// are not, and a cleared stage loads 0 while its valid bit is 0 (one group per such stage).</summary>
    private sealed class Stages(ModuleBuilder m)
    {
        public List<Stmt> ValidReset { get; } = [];
        public List<Stmt> Valid { get; } = [];
        public List<Stmt> Data { get; } = [];
        public List<(Ref Valid, List<Stmt> Load, List<Stmt> Clear)> Cleared { get; } = [];

        public Ref Register(Ref d, string name, Ref? clearUnless)
        {
            Ref q = m.Reg(name, d.Type);
            if (clearUnless is null)
            {
                Data.Add(Set(q, d));
                return q;
            }
            if (Cleared.Count == 0 || Cleared[^1].Valid != clearUnless) Cleared.Add((clearUnless, [], []));
            Cleared[^1].Load.Add(Set(q, d));
            Cleared[^1].Clear.Add(Set(q, C(0, d.Type)));
            return q;
        }

        public Ref RegisterValid(Ref d, string name)
        {
            Ref q = m.Reg(name, VType.Bit);
            ValidReset.Add(Set(q, Bit(false)));
            Valid.Add(Set(q, d));
            return q;
        }
    }

    public static ModuleBuilder Build(HardwareConfig cfg, GeneratorOptions opt)
    {
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, $"{(cfg.Pe == PeKind.Ternary ? "Ternary adder-tree" : "INT8 multiply-accumulate")} processing element: " +
            $"{cfg.Lanes} lanes, {cfg.TreeLevels} tree levels, {cfg.PeLatencyCycles} register stages, {cfg.PeOutBits}-bit output.");
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref inValid = m.Input("in_valid", VType.Bit);
        Ref act = m.Input("act", VType.U(cfg.ActWordBits));
        Ref wgt = m.Input("wgt", VType.U(cfg.Lanes * cfg.WeightBits));
        Ref outValid = m.Output("out_valid", VType.Bit);
        Ref outSum = m.Output("out_sum", VType.S(cfg.PeOutBits));
        Ref? outCarry = HasCarryOut(cfg) ? m.Output("out_carry", VType.Bit) : null;
        Ref? en = cfg.IsStreaming ? m.Input("en", VType.Bit) : null;
        WidthParam actBits = m.WidthParam("ACT_BITS", cfg.ActBits);
        WidthParam termBits = TermBits(cfg) == cfg.ActBits ? actBits : m.WidthParam("TERM_BITS", TermBits(cfg));

        var stages = new Stages(m);
        // The fault drops the first register stage: the lane-term register.
        bool skipNextStage = opt.Has(GeneratorFaults.DropPipelineRegister);
        var level = new List<Node>();
        for (int j = 0; j < cfg.Lanes; j++) level.Add(Term(m, cfg, opt, act, wgt, j, actBits, termBits));
        Ref valid = inValid;
        // The output stage is cleared while idle (see the class comment). A MAC PE clears its product
        // registers too: yosys 0.23's ice40_dsp pass crashes (segmentation fault) on a multiplier whose
        // registered product feeds another plain register, as an odd lane's product passing through a
        // registered tree level does; a product register with a synchronous clear avoids that pattern.
        (level, valid) = Stage(level, valid, 0, cfg.TreeLevels == 0 || cfg.Pe == PeKind.Mac, stages, ref skipNextStage);
        int width = TermBits(cfg);
        for (int k = 1; k <= cfg.TreeLevels; k++)
        {
            width = Math.Min(width + 1, cfg.PeOutBits);
            m.Comment($"Tree level {k}: {level.Count} {(level.Count == 1 ? "input" : "inputs")} → {(level.Count + 1) / 2}, {width}-bit sums.");
            var next = new List<Node>();
            for (int i = 0; i < level.Count; i += 2)
                next.Add(i + 1 < level.Count ? Adder(m, level[i], level[i + 1], k, i / 2, VType.S(width))
                    : PassThrough(m, level[i], k, i / 2, VType.S(width)));
            level = next;
            if (k % cfg.PipeEvery == 0 || k == cfg.TreeLevels)
                (level, valid) = Stage(level, valid, k, k == cfg.TreeLevels, stages, ref skipNextStage);
        }
        m.Comment(en is null ? "Pipeline registers: valid bits (reset) and data (no reset)."
            : "Pipeline registers: valid bits (reset) and data (no reset), all held while en = 0.");
        m.Always(clk, [If(rst, [.. stages.ValidReset], Stall.Held(en, [.. stages.Valid]))]);
        if (stages.Data.Count > 0) m.Always(clk, Stall.Held(en, [.. stages.Data]));
        foreach (var (stageValid, load, clear) in stages.Cleared)
        {
            m.Comment("Registers that hold 0 while their stage holds no valid tile.");
            m.Always(clk, Stall.Held(en, If(stageValid, [.. load], [.. clear])));
        }
        m.Comment("Outputs: the root of the tree.");
        m.Drive(outValid, valid);
        m.Drive(outSum, Ext(level.Single().Value, VType.S(cfg.PeOutBits)));
        if (outCarry is not null) m.Drive(outCarry, level.Single().Carry!);
        return m;
    }

    /// <summary>Registers a level (values, corrections, valid bit) unless the planted fault drops it.</summary>
    private static (List<Node>, Ref) Stage(List<Node> level, Ref valid, int k, bool cleared, Stages stages, ref bool skip)
    {
        if (skip)
        {
            skip = false;
            return (level, valid);
        }
        Ref? clearUnless = cleared ? valid : null;
        var q = level.Select(n => new Node(stages.Register(n.Value, $"{n.Value.Name}_q", clearUnless),
            n.Carry is null ? null : stages.Register(n.Carry, $"{n.Carry.Name}_q", clearUnless))).ToList();
        return (q, stages.RegisterValid(valid, $"valid_l{k}_q"));
    }

    /// <summary>One adder: left + right + left's correction as carry-in; right's correction is passed on.</summary>
    private static Node Adder(ModuleBuilder m, Node left, Node right, int k, int i, VType t)
    {
        if (left.Carry is null) return new Node(m.Wire($"sum_l{k}_{i}", Add(left.Value, right.Value, t)), null);
        Ref pair = m.Wire($"pair_l{k}_{i}", Add(left.Value, right.Value, t));
        Ref sum = m.Wire($"sum_l{k}_{i}", Add(pair, Ext(left.Carry, t), t));
        Ref carry = m.Wire($"corr_l{k}_{i}", right.Carry!);
        return new Node(sum, carry);
    }

    /// <summary>The odd last element of a level, widened, with its correction unchanged.</summary>
    private static Node PassThrough(ModuleBuilder m, Node x, int k, int i, VType t) =>
        new(m.Wire($"sum_l{k}_{i}", Ext(x.Value, t)), x.Carry is null ? null : m.Wire($"corr_l{k}_{i}", x.Carry));

    private static Node Term(ModuleBuilder m, HardwareConfig cfg, GeneratorOptions opt, Ref act, Ref wgt, int j,
        WidthParam actBits, WidthParam termBits)
    {
        var termType = VType.S(TermBits(cfg));
        m.Comment(cfg.Pe == PeKind.Mac ? $"Lane {j}: activation × INT8 weight."
            : $"Lane {j}: a (+1), ~a with a +1 correction (-1) or 0, by the 2-bit weight code.");
        Ref a = m.Wire($"act_{j}", Bits(act, j * cfg.ActBits, cfg.ActBits, signed: true), actBits);
        if (cfg.Pe == PeKind.Mac)
        {
            Ref w = m.Wire($"wgt_{j}", Bits(wgt, j * 8, 8, signed: true));
            return new Node(m.Wire($"term_{j}", Mul(a, w, termType), termBits), null);
        }
        Ref code = m.Wire($"code_{j}", Bits(wgt, j * 2, 2));
        Ref plus = m.Wire($"plus_{j}", EqC(code, TernaryCode.PlusOne));
        Ref minus = m.Wire($"minus_{j}", EqC(code, TernaryCode.MinusOne));
        if (opt.Has(GeneratorFaults.FlipWeightDecode)) (plus, minus) = (minus, plus);
        Ref kept = m.Wire($"pos_{j}", Mux(plus, a, C(0, termType), termType));
        Ref term = m.Wire($"term_{j}", Mux(minus, Not(a), kept, termType), termBits);
        return new Node(term, m.Wire($"corr_{j}", minus));
    }
}
