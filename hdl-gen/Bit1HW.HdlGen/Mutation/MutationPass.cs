using System.Numerics;
using Bit1HW.HdlGen.Verilog;

namespace Bit1HW.HdlGen.Mutation;

/// <summary>
/// The AST operations mutants are made of. Each takes a generator's module (before the prepare
/// passes, so names are the generator's: <c>acc_next_0</c>, <c>term_3_q</c>, <c>wp_next</c>) and
/// returns the mutated module, or null when the module has no site for the mutation (a 1-lane PE
/// has no adder, a MAC PE no weight code). The result is an ordinary tree: the prepare passes then
/// make its extensions explicit and flatten it, and the printer prints it like any generated
/// module, so a mutant is always legal, width-exact Verilog. No text is ever edited.
/// </summary>
internal static class MutationPass
{
    /// <summary>Rewrites the value of every continuous assignment whose target <paramref name="target"/>
    /// accepts; <paramref name="change"/> returns the new value or null to leave one alone.</summary>
    public static Module? RewriteAssign(Module m, Func<string, bool> target, Func<Expr, Expr?> change)
    {
        bool any = false;
        var items = m.Items.Select(item =>
        {
            if (item is not Assign a || !target(a.Target) || change(a.Value) is not { } v) return item;
            any = true;
            return new Assign(a.Target, v);
        }).ToArray();
        return any ? m with { Items = items } : null;
    }

    /// <summary>Replaces every expression node (children first) for which <paramref name="change"/>
    /// returns a replacement, in assignments, statements and instance connections alike.</summary>
    public static Expr Map(Expr e, Func<Expr, Expr?> change)
    {
        Expr rebuilt = e switch
        {
            Ref or Const => e,
            Unary u => new Unary(u.Op, Map(u.A, change), u.Type),
            Binary b => new Binary(b.Op, Map(b.A, change), Map(b.B, change), b.Type),
            Mux x => new Mux(Map(x.Sel, change), Map(x.WhenTrue, change), Map(x.WhenFalse, change), x.Type),
            Slice s => new Slice(Map(s.A, change), s.Lo, s.Type),
            Extend x => new Extend(Map(x.A, change), x.Type),
            Concat c => new Concat(c.Parts.Select(p => Map(p, change)).ToArray(), c.Type),
            _ => throw new System.Diagnostics.UnreachableException(e.GetType().Name),
        };
        return change(rebuilt) ?? rebuilt;
    }

    private static Module MapModule(Module m, Func<Expr, Expr?> change)
    {
        Stmt S(Stmt s) => s switch
        {
            NonBlocking nb => new NonBlocking(nb.Target, Map(nb.Value, change)),
            If i => new If(Map(i.Cond, change), i.Then.Select(S).ToArray(), i.Else.Select(S).ToArray()),
            MemWrite w => new MemWrite(w.Mem, Map(w.Addr, change), Map(w.Data, change)),
            MemRead r => new MemRead(r.Target, r.Mem, Map(r.Addr, change)),
            _ => throw new System.Diagnostics.UnreachableException(s.GetType().Name),
        };
        var items = m.Items.Select(item => item switch
        {
            Assign a => new Assign(a.Target, Map(a.Value, change)),
            AlwaysFF f => new AlwaysFF(f.Clock, f.Body.Select(S).ToArray()),
            Instance i => i with { Connections = i.Connections.Select(c => c with { Value = Map(c.Value, change) }).ToArray() },
            _ => item,
        }).ToArray();
        return m with { Items = items };
    }

    /// <summary>Rewrites every non-blocking assignment of every always block with <paramref name="change"/>.</summary>
    private static Module MapStatements(Module m, Func<NonBlocking, Stmt> change)
    {
        Stmt S(Stmt s) => s switch
        {
            NonBlocking nb => change(nb),
            If i => new If(i.Cond, i.Then.Select(S).ToArray(), i.Else.Select(S).ToArray()),
            _ => s,
        };
        var items = m.Items.Select(item => item is AlwaysFF f ? new AlwaysFF(f.Clock, f.Body.Select(S).ToArray()) : item).ToArray();
        return m with { Items = items };
    }

    /// <summary>
    /// Makes each register <paramref name="reg"/> accepts <paramref name="bits"/> narrower, as a
    /// register declared too narrow would be: what it loads is truncated to its width, and every
    /// reader sees it extended back by its signedness.
    /// </summary>
    public static Module? NarrowRegisters(Module m, Func<string, bool> reg, int bits)
    {
        var narrowed = new Dictionary<string, (VType Old, VType New)>(StringComparer.Ordinal);
        var items = m.Items.Select(item =>
        {
            if (item is not RegDecl r || !reg(r.Name) || r.Type.WidthBits <= bits) return item;
            var t = new VType(r.Type.WidthBits - bits, r.Type.Signed);
            narrowed[r.Name] = (r.Type, t);
            return new RegDecl(r.Name, t, r.Init);
        }).ToArray();
        if (narrowed.Count == 0) return null;
        Module result = MapModule(m with { Items = items }, e =>
            e is Ref x && narrowed.TryGetValue(x.Name, out var w) && x.Type == w.Old ? new Extend(new Ref(x.Name, w.New), w.Old) : null);
        return MapStatements(result, nb => narrowed.TryGetValue(nb.Target, out var w) ? new NonBlocking(nb.Target, Truncate(nb.Value, w.New)) : nb);
    }

    private static Expr Truncate(Expr value, VType t)
    {
        if (value is Const c)
        {
            BigInteger low = c.Value & ((BigInteger.One << t.WidthBits) - 1);
            if (t.Signed && low >= BigInteger.One << (t.WidthBits - 1)) low -= BigInteger.One << t.WidthBits;
            return new Const(low, t);
        }
        return new Slice(value, 0, t);
    }

    /// <summary>Changes the value each register <paramref name="reg"/> accepts loads in the reset branch
    /// (<c>if (rst) reg &lt;= constant</c>) to <paramref name="value"/>.</summary>
    public static Module? ChangeResetValue(Module m, Func<string, bool> reg, BigInteger value)
    {
        bool any = false;
        Stmt InReset(Stmt s)
        {
            if (s is not NonBlocking nb || !reg(nb.Target) || nb.Value is not Const c || c.Value == value) return s;
            any = true;
            return new NonBlocking(nb.Target, new Const(value, c.Type));
        }
        Stmt S(Stmt s) => s switch
        {
            If i when i.Cond is Ref { Name: "rst" } => new If(i.Cond, i.Then.Select(InReset).ToArray(), i.Else.Select(S).ToArray()),
            If i => new If(i.Cond, i.Then.Select(S).ToArray(), i.Else.Select(S).ToArray()),
            _ => s,
        };
        var items = m.Items.Select(item => item is AlwaysFF f ? new AlwaysFF(f.Clock, f.Body.Select(S).ToArray()) : item).ToArray();
        return any ? m with { Items = items } : null;
    }

    /// <summary>
    /// Removes a pipeline stage: every reader of a register <paramref name="reg"/> accepts reads the
    /// value the register would load instead (its non-constant assignment, i.e. not the reset or
    /// clear value), so the data arrives one cycle early. The registers stay declared, unread.
    /// </summary>
    public static Module? BypassRegisters(Module m, Func<string, bool> reg)
    {
        var loads = new Dictionary<string, Expr>(StringComparer.Ordinal);
        void Collect(Stmt s)
        {
            switch (s)
            {
                case NonBlocking nb when reg(nb.Target) && nb.Value is not Const:
                    loads.TryAdd(nb.Target, nb.Value);
                    break;
                case If i:
                    foreach (Stmt t in i.Then.Concat(i.Else)) Collect(t);
                    break;
            }
        }
        foreach (AlwaysFF f in m.Items.OfType<AlwaysFF>())
            foreach (Stmt s in f.Body) Collect(s);
        if (loads.Count == 0) return null;
        Expr? Bypass(Expr e) => e is Ref r && loads.TryGetValue(r.Name, out Expr? d) ? Map(d, Bypass) : null;
        return MapModule(m, Bypass);
    }

    /// <summary>Adds a register between each output port <paramref name="output"/> accepts and what
    /// drives it: one pipeline stage more, on data and valid alike.</summary>
    public static Module? RegisterOutputs(Module m, Func<string, bool> output, string clock)
    {
        var ports = m.Ports.Where(p => p.Dir == PortDir.Output && output(p.Name)).ToDictionary(p => p.Name, p => p.Type, StringComparer.Ordinal);
        var items = new List<Item>();
        var loads = new List<Stmt>();
        foreach (Item item in m.Items)
        {
            if (item is Assign a && ports.TryGetValue(a.Target, out VType? t))
            {
                string q = $"{a.Target}_extra_q";
                items.Add(new RegDecl(q, t));
                loads.Add(new NonBlocking(q, a.Value));
                items.Add(new Assign(a.Target, new Ref(q, t)));
            }
            else
            {
                items.Add(item);
            }
        }
        if (loads.Count == 0) return null;
        items.Add(new AlwaysFF(clock, loads));
        return m with { Items = items };
    }

    /// <summary>The expression with its first node (children before parents) that <paramref name="match"/>
    /// accepts rewritten by <paramref name="change"/>; null when no node matches.</summary>
    public static Expr? RewriteFirst(Expr e, Func<Expr, bool> match, Func<Expr, Expr> change)
    {
        bool done = false;
        Expr result = Map(e, x =>
        {
            if (done || !match(x)) return null;
            done = true;
            return change(x);
        });
        return done ? result : null;
    }
}
