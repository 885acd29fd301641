using System.Globalization;

namespace Bit1HW.HdlGen.Verilog;

/// <summary>
/// Prepare pass 2: one operator per assign. Every operand of an operator becomes a leaf (a named
/// signal or a sized constant) by giving each inner expression its own wire. The wire is named
/// after what it computes, read from the expression: <c>wp_plus_1</c> (wp + 1), <c>not_busy</c>
/// (~busy), <c>is_mac_and_exec</c> (is_mac &amp; exec), <c>ir_b27_0</c> (ir[27:0]), <c>term_0_sext10</c>
/// (term_0 sign-extended to 10 bits), <c>op_eq_3</c>. When that description would be longer than
/// <see cref="MaxDescriptionChars"/> (or the operator is a mux or a concatenation) the wire is named
/// after the signal it feeds with a <c>_t</c> suffix. The same expression is computed once per
/// module: a second occurrence reuses the first wire. A name already taken gets <c>_2</c>, <c>_3</c>, ...
/// (never chained). Statements inside always blocks and instance connections are reduced to leaves
/// the same way, so the printer never has to reason about Verilog's context-dependent expression
/// sizing. Runs after <see cref="ExtendPass"/>: the new wires take the (already exact) operand types.
/// </summary>
internal static class FlattenPass
{
    public const int MaxDescriptionChars = 32;

    public static Module Run(Module m)
    {
        var used = new HashSet<string>(m.Ports.Select(p => p.Name), StringComparer.Ordinal);
        foreach (Item item in m.Items)
        {
            switch (item)
            {
                case WireDecl w: used.Add(w.Name); break;
                case RegDecl r: used.Add(r.Name); break;
                case MemDecl d: used.Add(d.Name); break;
                case Instance i: used.Add(i.Name); break;
                case WidthParam p: used.Add(p.Name); break;
                case ValueParam p: used.Add(p.Name); break;
            }
        }
        var ctx = new Context(used);
        var body = new List<Item>();
        foreach (Item item in m.Items)
        {
            int before = ctx.NewItems.Count;
            Item rewritten = item switch
            {
                Assign a => new Assign(a.Target, ctx.Operator(a.Value, a.Target)),
                AlwaysFF f => new AlwaysFF(f.Clock, f.Body.Select(s => ctx.Stmt(s)).ToArray()),
                Instance i => i with { Connections = i.Connections.Select(c => c with { Value = ctx.Leaf(c.Value, $"{i.Name}_{c.Port}") }).ToArray() },
                _ => item,
            };
            // The helper wires an item needed come right before it, so the text reads top-down.
            body.AddRange(ctx.NewItems.Skip(before));
            body.Add(rewritten);
        }
        return m with { Items = body };
    }

    /// <summary>What an expression computes, as an identifier fragment; null when it has no short,
    /// unambiguous description. Operators describe only simple operands (signals, constants, bit
    /// fields, extensions and inversions of those), so a name never hides a grouping: ~(a &amp; b)
    /// is not called <c>not_a_and_b</c>.</summary>
    internal static string? Describe(Expr e) => e switch
    {
        Ref r => r.Name,
        Const c => c.Value >= 0 ? c.Value.ToString(CultureInfo.InvariantCulture) : null,
        Unary u when IsSimple(u.A) => Join(u.Op == UnaryOp.Not ? "not" : "neg", null, Describe(u.A)),
        Binary b when IsSimple(b.A) && IsSimple(b.B) => Join(Describe(b.A), BinaryWord(b.Op), Describe(b.B)),
        Slice s => Describe(s.A) is { } a
            ? s.Type.WidthBits == 1 ? $"{a}_b{s.Lo}" : $"{a}_b{s.Lo + s.Type.WidthBits - 1}_{s.Lo}"
            : null,
        Extend x => Describe(x.A) is { } a
            ? string.Create(CultureInfo.InvariantCulture, $"{a}_{(x.A.Type.Signed ? "sext" : "zext")}{x.Type.WidthBits}")
            : null,
        _ => null,
    };

    private static bool IsSimple(Expr e) => e switch
    {
        Ref or Const => true,
        Slice s => s.A is Ref,
        Extend x => IsSimple(x.A),
        Unary u => u.A is Ref,
        _ => false,
    };

    private static string? Join(string? a, string? op, string? b) =>
        a is null || b is null ? null : op is null ? $"{a}_{b}" : $"{a}_{op}_{b}";

    private static string BinaryWord(BinaryOp op) => op switch
    {
        BinaryOp.Add => "plus",
        BinaryOp.Sub => "minus",
        BinaryOp.Mul => "times",
        BinaryOp.And => "and",
        BinaryOp.Or => "or",
        BinaryOp.Xor => "xor",
        BinaryOp.Eq => "eq",
        BinaryOp.Ne => "ne",
        _ => throw new System.Diagnostics.UnreachableException(op.ToString()),
    };

    private sealed class Context(HashSet<string> used)
    {
        private readonly Dictionary<Expr, Ref> _named = [];
        public List<Item> NewItems { get; } = [];

        private string Fresh(string name)
        {
            if (used.Add(name)) return name;
            for (int k = 2; ; k++)
            {
                string candidate = string.Create(CultureInfo.InvariantCulture, $"{name}_{k}");
                if (used.Add(candidate)) return candidate;
            }
        }

        /// <summary>Keeps the top operator of <paramref name="e"/> and makes its operands leaves.</summary>
        public Expr Operator(Expr e, string hint) => e switch
        {
            Ref or Const => e,
            Unary u => new Unary(u.Op, Leaf(u.A, hint), u.Type),
            Binary b => new Binary(b.Op, Leaf(b.A, hint), Leaf(b.B, hint), b.Type),
            Mux x => new Mux(Leaf(x.Sel, hint), Leaf(x.WhenTrue, hint), Leaf(x.WhenFalse, hint), x.Type),
            Slice s => new Slice(Named(s.A, hint), s.Lo, s.Type),
            Extend x => new Extend(Named(x.A, hint), x.Type),
            Concat c => new Concat(c.Parts.Select(p => Leaf(p, hint)).ToArray(), c.Type),
            _ => throw new System.Diagnostics.UnreachableException(e.GetType().Name),
        };

        /// <summary>A reference or a constant.</summary>
        public Expr Leaf(Expr e, string hint) => e is Const ? e : Named(e, hint);

        /// <summary>A reference: constants and operators get a wire of their own (shared by equal expressions).</summary>
        private Ref Named(Expr e, string hint)
        {
            if (e is Ref r) return r;
            if (_named.TryGetValue(e, out Ref? done)) return done;
            string? what = Describe(e);
            string name = Fresh(what is not null && what.Length <= MaxDescriptionChars ? what : $"{hint}_t");
            Expr value = Operator(e, hint);
            NewItems.Add(new WireDecl(name, e.Type));
            NewItems.Add(new Assign(name, value));
            var named = new Ref(name, e.Type);
            _named[e] = named;
            return named;
        }

        public Stmt Stmt(Stmt s) => s switch
        {
            NonBlocking nb => new NonBlocking(nb.Target, Leaf(nb.Value, $"{nb.Target}_d")),
            If i => new If(Leaf(i.Cond, "cond"), i.Then.Select(Stmt).ToArray(), i.Else.Select(Stmt).ToArray()),
            MemWrite w => new MemWrite(w.Mem, Leaf(w.Addr, $"{w.Mem}_waddr"), Leaf(w.Data, $"{w.Mem}_wdata")),
            MemRead r => new MemRead(r.Target, r.Mem, Leaf(r.Addr, $"{r.Mem}_raddr")),
            _ => throw new System.Diagnostics.UnreachableException(s.GetType().Name),
        };
    }
}
