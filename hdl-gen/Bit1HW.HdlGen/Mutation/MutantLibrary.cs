using System.Globalization;
using System.Text.RegularExpressions;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Mutation;

/// <summary>
/// The library of planted bugs: realistic mistakes a generator author makes (docs/verification.md,
/// "Mutation testing"), each an AST rewrite of one module of the generated engine. The library is
/// a function of the configuration: a mutant whose site does not exist (a 1-lane PE has no adder,
/// a MAC PE no weight code, an accumulator as wide as the PE output needs no sign extension) is
/// left out, and so is one whose Verilog would equal the real design's. Site names are the
/// generators' own (PeGenerator, ArrayGenerator, ControllerGenerator): a renamed signal makes a
/// mutant disappear from the library, which its tests notice.
/// </summary>
public static class MutantLibrary
{
    /// <summary>The mutants CI runs (tests/Bit1HW.CoSim.Tests, MutationTests): the bugs that survived the
    /// campaign before issue 13.</summary>
    public static IReadOnlyList<string> CiSubset { get; } =
        ["acc-narrower-1", "acc-narrower-5", "wp-carry-lost", "acc-reset-1", "negation-at-activation-width"];

    /// <summary>Every mutant with a site in <paramref name="cfg"/>'s design, in library order.</summary>
    public static IReadOnlyList<Mutant> For(HardwareConfig cfg)
    {
        cfg.Validate();
        var modules = RtlGenerator.Modules(cfg, GeneratorOptions.Default).ToDictionary(m => m.Name, StringComparer.Ordinal);
        var result = new List<Mutant>();
        foreach (Mutant mutant in Candidates(cfg))
        {
            Module original = modules[mutant.ModuleName];
            if (mutant.Apply(original) is not { } mutated) continue;
            if (Printer.Print(Prepare.Run(mutated)) == Printer.Print(Prepare.Run(original))) continue;
            result.Add(mutant);
        }
        return result;
    }

    /// <summary>The mutant with this id, or a message listing the ids that apply to the configuration.</summary>
    public static Mutant Find(HardwareConfig cfg, string id) =>
        For(cfg).FirstOrDefault(m => m.Id == id)
        ?? throw new Core.UserInputException("--mutant", $"'{id}' is not a mutant of {cfg.Tag} (mutants: {string.Join(", ", For(cfg).Select(m => m.Id))})");

    private static IEnumerable<Mutant> Candidates(HardwareConfig cfg) =>
        ArrayMutants(cfg).Concat(PeMutants(cfg)).Concat(ControllerMutants(cfg));

    private static IEnumerable<Mutant> ArrayMutants(HardwareConfig cfg)
    {
        string array = ArrayGenerator.ModuleName(cfg);
        bool ternary = cfg.Pe == PeKind.Ternary;
        Mutant M(string id, MutationKind kind, string what, Func<Module, Module?> apply) => new(id, kind, what, array) { Apply = apply };
        yield return M("acc-add-to-sub", MutationKind.OperatorFlip, "the accumulator subtracts the PE output instead of adding it",
            m => MutationPass.RewriteAssign(m, Named(ternary ? @"acc_plus_\d+" : @"acc_next_\d+"),
                v => v is Binary { Op: BinaryOp.Add, A: Ref { Name: var a } } b && a.StartsWith("kept_", StringComparison.Ordinal)
                    ? new Binary(BinaryOp.Sub, b.A, b.B, b.Type) : null));
        yield return M("pe-out-zero-extended", MutationKind.DroppedSignExtension,
            Inv($"the PE output is zero-extended, not sign-extended, from {cfg.PeOutBits} to {cfg.AccBits} bits into the accumulator"),
            m => MutationPass.RewriteAssign(m, Named(@"addend_\d+"),
                v => v is Extend { A.Type.Signed: true } x ? new Extend(Unsigned(x.A), x.Type) : null));
        foreach (int bits in new[] { 1, 5 })
            yield return M($"acc-narrower-{bits}", MutationKind.NarrowerWidth,
                Inv($"the accumulator registers are {cfg.AccBits - bits} bits wide instead of {cfg.AccBits}"),
                m => cfg.AccBits - bits < 2 ? null : MutationPass.NarrowRegisters(m, Named(@"acc_\d+"), bits));
        yield return M("acc-reset-1", MutationKind.ResetValue, "the accumulators reset to 1 instead of 0",
            m => MutationPass.ChangeResetValue(m, Named(@"acc_\d+"), 1));
        if (ternary)
            yield return M("acc-carry-in-dropped", MutationKind.LostCarryInCorrection,
                "the accumulator adder drops the PE's pending +1 correction (out_carry)",
                m => MutationPass.RewriteAssign(m, Named(@"acc_next_\d+"),
                    v => v is Binary { Op: BinaryOp.Add, A: Ref { Name: var a } } b && a.StartsWith("acc_plus_", StringComparison.Ordinal) ? b.A : null));
    }

    private static IEnumerable<Mutant> PeMutants(HardwareConfig cfg)
    {
        string pe = PeGenerator.ModuleName(cfg);
        bool ternary = cfg.Pe == PeKind.Ternary;
        Mutant M(string id, MutationKind kind, string what, Func<Module, Module?> apply) => new(id, kind, what, pe) { Apply = apply };
        string firstAdder = ternary ? "pair_l1_0" : "sum_l1_0";
        yield return M("tree-add-to-sub", MutationKind.OperatorFlip, "the first level-1 adder of the PE tree subtracts lane 1 from lane 0",
            m => MutationPass.RewriteAssign(m, Named(firstAdder),
                v => v is Binary { Op: BinaryOp.Add } b ? new Binary(BinaryOp.Sub, b.A, b.B, b.Type) : null));
        yield return M("tree-operand-zero-extended", MutationKind.DroppedSignExtension,
            "the first level-1 adder zero-extends its left operand (lane 0's term) instead of sign-extending it",
            m => MutationPass.RewriteAssign(m, Named(firstAdder),
                v => v is Binary { Op: BinaryOp.Add, A.Type.Signed: true } b && b.A.Type.WidthBits < b.Type.WidthBits
                    ? new Binary(BinaryOp.Add, Unsigned(b.A), b.B, b.Type) : null));
        yield return M("term-register-narrower-1", MutationKind.NarrowerWidth,
            Inv($"the lane-term registers are {PeGenerator.TermBits(cfg) - 1} bits wide instead of {PeGenerator.TermBits(cfg)}"),
            m => MutationPass.NarrowRegisters(m, Named(@"term_\d+_q"), 1));
        int last = cfg.Lanes - 1;
        yield return M("last-lane-stuck-at-0", MutationKind.StuckAtLane, Inv($"lane {last}'s term is stuck at 0 (its weight and activation are ignored)"),
            m => MutationPass.RewriteAssign(m, Named(Inv($"term_{last}|corr_{last}")), v => v is Const ? null : C(0, v.Type)));
        yield return M("pe-extra-output-register", MutationKind.ExtraPipelineRegister,
            Inv($"one pipeline register too many at the PE output (latency {cfg.PeLatencyCycles + 1} instead of {cfg.PeLatencyCycles})"),
            m => MutationPass.RegisterOutputs(m, Named("out_valid|out_sum|out_carry"), "clk"));
        yield return M("term-register-bypassed", MutationKind.MissingPipelineRegister,
            Inv($"the lane-term register stage is missing (latency {cfg.PeLatencyCycles - 1} instead of {cfg.PeLatencyCycles})"),
            m => MutationPass.BypassRegisters(m, Named(@"term_\d+_q|corr_\d+_q|valid_l0_q")));
        if (ternary)
            foreach (Mutant m in TernaryPeMutants(cfg, M)) yield return m;
    }

    private static IEnumerable<Mutant> TernaryPeMutants(HardwareConfig cfg, Func<string, MutationKind, string, Func<Module, Module?>, Mutant> M)
    {
        yield return M("weight-plus-minus-swapped", MutationKind.SwappedWeightCode, "weight codes 01 and 11 are swapped (01 decodes as -1, 11 as +1)",
            m => MutationPass.RewriteAssign(m, Named(@"plus_\d+|minus_\d+"),
                v => v is Binary { Op: BinaryOp.Eq, B: Const c } b ? Eq(b.A, C(c.Value == 1 ? 3 : 1, c.Type)) : null));
        yield return M("weight-code-10-as-minus-one", MutationKind.SwappedWeightCode, "the unused weight code 10 decodes as -1 (minus taken from the code's high bit alone)",
            m => MutationPass.RewriteAssign(m, Named(@"minus_\d+"), v => v is Binary { Op: BinaryOp.Eq } b ? Bits(b.A, 1, 1) : null));
        yield return M("weight-code-10-as-plus-one", MutationKind.SwappedWeightCode, "the unused weight code 10 decodes as +1 (plus is any non-zero code)",
            m => MutationPass.RewriteAssign(m, Named(@"plus_\d+"), v => v is Binary { Op: BinaryOp.Eq } b ? Ne(b.A, C(0, b.A.Type)) : null));
        yield return M("negation-at-activation-width", MutationKind.NegationAtActivationWidth,
            Inv($"-a is computed at the activation width ({cfg.ActBits} bits) with no +1 correction, so -(-{1 << (cfg.ActBits - 1)}) wraps to -{1 << (cfg.ActBits - 1)}"),
            m => MutationPass.RewriteAssign(m, Named(@"term_\d+|corr_\d+"), v => v switch
            {
                Mux { WhenTrue: Unary { Op: UnaryOp.Not } n } x => new Mux(x.Sel, Neg(n.A, x.Type), x.WhenFalse, x.Type),
                Ref { Type.WidthBits: 1 } => Bit(false),
                _ => null,
            }));
        yield return M("tree-carry-in-dropped", MutationKind.LostCarryInCorrection, "the first level-1 adder drops its left input's +1 correction (carry-in)",
            m => MutationPass.RewriteAssign(m, Named("sum_l1_0"), v => v is Binary { Op: BinaryOp.Add, A: Ref { Name: "pair_l1_0" } } b ? b.A : null));
    }

    private static IEnumerable<Mutant> ControllerMutants(HardwareConfig cfg)
    {
        string ctrl = ControllerGenerator.ModuleName(cfg);
        Mutant M(string id, MutationKind kind, string what, Func<Module, Module?> apply) => new(id, kind, what, ctrl) { Apply = apply };
        yield return M("wp-increment-to-decrement", MutationKind.OperatorFlip, "the weight pointer decrements on every MAC cycle",
            m => MutationPass.RewriteAssign(m, Named("wp_next"), v => MutationPass.RewriteFirst(v, IsIncrementOf("wp"),
                x => x is Binary b ? new Binary(BinaryOp.Sub, b.A, b.B, b.Type) : x)));
        foreach (int delta in new[] { 1, -1 })
            yield return M(delta > 0 ? "repeat-count-plus-1" : "repeat-count-minus-1", MutationKind.CounterOffByOne,
                Inv($"NOP n and MAC n last n {(delta > 0 ? "+" : "-")} 1 cycles (the repeat counter is loaded with n - {2 - delta} instead of n - 2)"),
                m => MutationPass.RewriteAssign(m, Named("ir_repeat_load"),
                    v => v is Binary { Op: BinaryOp.Sub, B: Const c } b ? new Binary(BinaryOp.Sub, b.A, C(c.Value - delta, c.Type), b.Type) : null));
        yield return M("wp-reset-1", MutationKind.ResetValue, "the weight pointer resets to 1 instead of 0",
            m => MutationPass.ChangeResetValue(m, Named("wp"), 1));
        foreach (var (id, wire, reg, bits, what) in new[]
        {
            ("wp-carry-lost", "wp_next", "wp", cfg.WeightAddrBits, "weight-pointer"),
            ("ap-carry-lost", "ap_next", "ap", cfg.ActAddrBits, "activation-pointer"),
            ("pc-carry-lost", "fetch_addr", "ir_addr", cfg.InstrAddrBits, "instruction-fetch address"),
        })
        {
            int top = bits - 1;
            yield return M(id, MutationKind.LostCarry,
                Inv($"the {what} increment loses its carry into the top address bit: {(1 << top) - 1} + 1 gives 0 instead of {1 << top}"),
                m => bits < 2 ? null : MutationPass.RewriteAssign(m, Named(wire), v => MutationPass.RewriteFirst(v, IsIncrementOf(reg), x => LowBitsIncrement((Binary)x))));
        }
    }

    /// <summary>{x[top], x[top-1:0] + 1}: an increment whose carry out of the low bits is lost.</summary>
    private static Expr LowBitsIncrement(Binary add)
    {
        int width = add.Type.WidthBits;
        var low = VType.U(width - 1);
        return Cat(Bits(add.A, width - 1, 1), Add(Bits(add.A, 0, width - 1), C(1, low), low));
    }

    private static Func<Expr, bool> IsIncrementOf(string reg) =>
        e => e is Binary { Op: BinaryOp.Add, A: Ref r, B: Const { Value.IsOne: true } } && r.Name == reg;

    /// <summary>The same bits read as unsigned: extending it then zero-fills instead of copying the sign.</summary>
    private static Expr Unsigned(Expr e) => Bits(e, 0, e.Type.WidthBits);

    private static Func<string, bool> Named(string pattern)
    {
        var re = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant);
        return re.IsMatch;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
