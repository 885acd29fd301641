using System.Globalization;
using System.Numerics;

namespace Bit1HW.HdlGen.Verilog;

/// <summary>
/// Prints a prepared module (after <see cref="Prepare.Run"/>) as Verilog-2005 text. It only reads:
/// an operand that is not a leaf, or an always-block value that is not a leaf, means a pass was
/// skipped and is an internal error. Output is byte-stable: "\n" line ends, invariant culture,
/// items in the order the generator gave them (declarations first), constants always sized.
/// </summary>
internal static class Printer
{
    public static string Print(Module m)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        foreach (string line in m.Header) w.WriteLine(line.Length == 0 ? "//" : $"// {line}");
        w.WriteLine($"module {m.Name} (");
        for (int i = 0; i < m.Ports.Count; i++)
        {
            Port p = m.Ports[i];
            string dir = p.Dir == PortDir.Input ? "input " : "output";
            string kind = p.IsReg ? "reg " : "wire";
            w.WriteLine($"    {dir} {kind} {TypeText(p.Type)}{p.Name}{(i + 1 < m.Ports.Count ? "," : "")}");
        }
        w.WriteLine(");");
        foreach (Item item in m.Items)
        {
            switch (item)
            {
                case WireDecl d: w.WriteLine($"    wire {TypeText(d.Type)}{d.Name};"); break;
                case RegDecl r:
                    string init = r.Init is { } v ? $" = {ConstText(new Const(v, r.Type))}" : "";
                    w.WriteLine($"    reg {TypeText(r.Type)}{r.Name}{init};");
                    break;
                case MemDecl d:
                    w.WriteLine($"    reg {TypeText(VType.U(d.WordBits))}{d.Name} [0:{d.Depth - 1}];");
                    break;
            }
        }
        foreach (Item item in m.Items)
        {
            switch (item)
            {
                case Comment c: w.WriteLine($"    // {c.Text}"); break;
                case Assign a: w.WriteLine($"    assign {a.Target} = {ExprText(a.Value)};"); break;
                case AlwaysFF f:
                    w.WriteLine($"    always @(posedge {f.Clock}) begin");
                    foreach (Stmt s in f.Body) StmtText(w, s, 2);
                    w.WriteLine("    end");
                    break;
                case Instance inst:
                    w.WriteLine($"    {inst.Module} {inst.Name} (");
                    for (int i = 0; i < inst.Connections.Count; i++)
                    {
                        Connection c = inst.Connections[i];
                        w.WriteLine($"        .{c.Port}({Leaf(c.Value)}){(i + 1 < inst.Connections.Count ? "," : "")}");
                    }
                    w.WriteLine("    );");
                    break;
            }
        }
        w.WriteLine("endmodule");
        return w.ToString();
    }

    private static string TypeText(VType t)
    {
        string sign = t.Signed ? "signed " : "";
        return t.WidthBits == 1 && !t.Signed ? "" : $"{sign}[{t.WidthBits - 1}:0] ";
    }

    private static void StmtText(StringWriter w, Stmt s, int depth)
    {
        string pad = new(' ', 4 * depth);
        switch (s)
        {
            case NonBlocking nb: w.WriteLine($"{pad}{nb.Target} <= {Leaf(nb.Value)};"); break;
            case MemWrite mw: w.WriteLine($"{pad}{mw.Mem}[{Leaf(mw.Addr)}] <= {Leaf(mw.Data)};"); break;
            case MemRead mr: w.WriteLine($"{pad}{mr.Target} <= {mr.Mem}[{Leaf(mr.Addr)}];"); break;
            case If i:
                w.WriteLine($"{pad}if ({Leaf(i.Cond)}) begin");
                foreach (Stmt t in i.Then) StmtText(w, t, depth + 1);
                if (i.Else.Count > 0)
                {
                    w.WriteLine($"{pad}end else begin");
                    foreach (Stmt t in i.Else) StmtText(w, t, depth + 1);
                }
                w.WriteLine($"{pad}end");
                break;
            default: throw new System.Diagnostics.UnreachableException(s.GetType().Name);
        }
    }

    private static string ExprText(Expr e) => e switch
    {
        Ref or Const => Leaf(e),
        Unary u => $"{(u.Op == UnaryOp.Not ? "~" : "-")}{Leaf(u.A)}",
        Binary b => $"{Leaf(b.A)} {OpText(b.Op)} {Leaf(b.B)}",
        Mux x => $"{Leaf(x.Sel)} ? {Leaf(x.WhenTrue)} : {Leaf(x.WhenFalse)}",
        Slice s => s.A.Type.WidthBits == 1 && s.Type.WidthBits == 1 ? Leaf(s.A)
            : s.Type.WidthBits == 1 ? $"{Leaf(s.A)}[{s.Lo}]" : $"{Leaf(s.A)}[{s.Lo + s.Type.WidthBits - 1}:{s.Lo}]",
        Extend x => ExtendText(x),
        Concat c => $"{{{string.Join(", ", c.Parts.Select(Leaf))}}}",
        _ => throw new System.Diagnostics.UnreachableException(e.GetType().Name),
    };

    private static string ExtendText(Extend x)
    {
        string a = Leaf(x.A);
        int from = x.A.Type.WidthBits, extra = x.Type.WidthBits - from;
        if (extra == 0) return a;
        if (!x.A.Type.Signed) return $"{{{extra}'d0, {a}}}";
        string msb = from == 1 && !x.A.Type.Signed ? a : from == 1 ? $"{a}[0]" : $"{a}[{from - 1}]";
        return $"{{{{{extra}{{{msb}}}}}, {a}}}";
    }

    private static string OpText(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Sub => "-",
        BinaryOp.Mul => "*",
        BinaryOp.And => "&",
        BinaryOp.Or => "|",
        BinaryOp.Xor => "^",
        BinaryOp.Eq => "==",
        BinaryOp.Ne => "!=",
        _ => throw new System.Diagnostics.UnreachableException(op.ToString()),
    };

    private static string Leaf(Expr e) => e switch
    {
        Ref r => r.Name,
        Const c => ConstText(c),
        _ => throw new InvalidOperationException($"printer got a {e.GetType().Name} where a leaf belongs: run Prepare first"),
    };

    /// <summary>Always sized: non-negative values in decimal, negative ones as their two's-complement hex.</summary>
    public static string ConstText(Const c)
    {
        int w = c.Type.WidthBits;
        string s = c.Type.Signed ? "s" : "";
        if (c.Value >= 0) return string.Create(CultureInfo.InvariantCulture, $"{w}'{s}d{c.Value}");
        BigInteger pattern = (BigInteger.One << w) + c.Value;
        string hex = pattern.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return string.Create(CultureInfo.InvariantCulture, $"{w}'{s}h{(hex.Length == 0 ? "0" : hex)}");
    }
}
