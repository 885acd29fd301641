namespace Bit1HW.HdlGen.Verilog;

/// <summary>
/// Prepare pass 1: explicit extension. Verilog sizes an expression from its context and silently
/// mixes signed with unsigned (a signed -1 plus an unsigned 1 becomes an unsigned 256 in 9 bits),
/// so after this pass every operand of an arithmetic or bitwise operator, every mux arm and every
/// assigned value already has exactly the type of its result or target. Each operand is widened
/// by its own signedness (sign extension for signed, zero extension for unsigned); comparisons
/// widen both sides to the wider one and require equal signedness. Narrowing is never implicit:
/// a value wider than its target is an internal error (generators truncate with a Slice).
/// </summary>
internal static class ExtendPass
{
    public static Module Run(Module m)
    {
        var types = Types(m);
        var items = m.Items.Select(item => item switch
        {
            Assign a => new Assign(a.Target, Fit(Rewrite(a.Value), types[a.Target], $"{m.Name}.{a.Target}")),
            AlwaysFF f => new AlwaysFF(f.Clock, f.Body.Select(s => Stmt(s, types, m.Name)).ToArray()),
            Instance i => i with { Connections = i.Connections.Select(c => c with { Value = Rewrite(c.Value) }).ToArray() },
            _ => item,
        }).ToArray();
        return m with { Items = items };
    }

    /// <summary>The type of every port, wire, reg and (as its word type) memory of a module.</summary>
    public static Dictionary<string, VType> Types(Module m)
    {
        var types = new Dictionary<string, VType>(StringComparer.Ordinal);
        foreach (Port p in m.Ports) types[p.Name] = p.Type;
        foreach (Item item in m.Items)
        {
            switch (item)
            {
                case WireDecl w: types[w.Name] = w.Type; break;
                case RegDecl r: types[r.Name] = r.Type; break;
                case MemDecl d: types[d.Name] = VType.U(d.WordBits); break;
                case ValueParam v: types[v.Name] = v.Value.Type; break;
            }
        }
        return types;
    }

    private static Stmt Stmt(Stmt s, Dictionary<string, VType> types, string module) => s switch
    {
        NonBlocking nb => new NonBlocking(nb.Target, Fit(Rewrite(nb.Value), types[nb.Target], $"{module}.{nb.Target}")),
        If i => new If(Rewrite(i.Cond), i.Then.Select(t => Stmt(t, types, module)).ToArray(), i.Else.Select(t => Stmt(t, types, module)).ToArray()),
        MemWrite w => new MemWrite(w.Mem, Rewrite(w.Addr), Fit(Rewrite(w.Data), types[w.Mem], $"{module}.{w.Mem}")),
        MemRead r => new MemRead(r.Target, r.Mem, Rewrite(r.Addr)),
        _ => throw new System.Diagnostics.UnreachableException(s.GetType().Name),
    };

    private static Expr Rewrite(Expr e) => e switch
    {
        Ref or Const => e,
        Unary u => new Unary(u.Op, Fit(Rewrite(u.A), u.Type, u.Op.ToString()), u.Type),
        Binary b when Binary.IsCompare(b.Op) => Compare(b),
        Binary b => new Binary(b.Op, Fit(Rewrite(b.A), b.Type, b.Op.ToString()), Fit(Rewrite(b.B), b.Type, b.Op.ToString()), b.Type),
        Mux x => new Mux(Rewrite(x.Sel), Fit(Rewrite(x.WhenTrue), x.Type, "mux"), Fit(Rewrite(x.WhenFalse), x.Type, "mux"), x.Type),
        Slice s => new Slice(Rewrite(s.A), s.Lo, s.Type),
        Extend x => new Extend(Rewrite(x.A), x.Type),
        Concat c => new Concat(c.Parts.Select(Rewrite).ToArray(), c.Type),
        _ => throw new System.Diagnostics.UnreachableException(e.GetType().Name),
    };

    private static Binary Compare(Binary b)
    {
        if (b.A.Type.Signed != b.B.Type.Signed)
            throw new InvalidOperationException($"{b.Op} compares {b.A.Type} with {b.B.Type}: make the signedness explicit first");
        var common = new VType(Math.Max(b.A.Type.WidthBits, b.B.Type.WidthBits), b.A.Type.Signed);
        return new Binary(b.Op, Fit(Rewrite(b.A), common, b.Op.ToString()), Fit(Rewrite(b.B), common, b.Op.ToString()), b.Type);
    }

    /// <summary>Returns <paramref name="e"/> with exactly type <paramref name="t"/>.</summary>
    public static Expr Fit(Expr e, VType t, string where)
    {
        if (e.Type == t) return e;
        if (e.Type.WidthBits > t.WidthBits)
            throw new InvalidOperationException($"{where}: a {e.Type} value would be truncated to {t}; slice it explicitly");
        if (e is Const c && (c.Value >= 0 || t.Signed)) return new Const(c.Value, t);
        return new Extend(e, t);
    }
}
