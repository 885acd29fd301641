namespace Bit1HW.HdlGen.Verilog;

/// <summary>
/// Prepare pass 2: one operator per assign. Every operand of an operator becomes a leaf (a named
/// signal or a sized constant) by giving each inner expression its own wire, named after the
/// signal it feeds with a deterministic numeric suffix (<c>sum_l2_0_1</c>, <c>sum_l2_0_2</c>, ...).
/// Statements inside always blocks and instance connections are reduced to leaves the same way,
/// so the printer never has to reason about Verilog's context-dependent expression sizing.
/// Runs after <see cref="ExtendPass"/>: the new wires take the (already exact) operand types.
/// </summary>
internal static class FlattenPass
{
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

    private sealed class Context(HashSet<string> used)
    {
        public List<Item> NewItems { get; } = [];

        private string Fresh(string hint)
        {
            for (int k = 1; ; k++)
            {
                string candidate = $"{hint}_{k}";
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

        /// <summary>A reference: constants and operators get a wire of their own.</summary>
        private Ref Named(Expr e, string hint)
        {
            if (e is Ref r) return r;
            string name = Fresh(hint);
            Expr value = Operator(e, name);
            NewItems.Add(new WireDecl(name, e.Type));
            NewItems.Add(new Assign(name, value));
            return new Ref(name, e.Type);
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
