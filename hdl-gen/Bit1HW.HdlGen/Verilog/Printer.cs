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
                case WidthParam p: w.WriteLine($"    localparam integer {p.Name} = {p.Value.ToString(CultureInfo.InvariantCulture)};"); break;
                case ValueParam p: w.WriteLine($"    localparam {TypeText(p.Value.Type)}{p.Name} = {ConstText(p.Value)};"); break;
            }
        }
        foreach (Item item in m.Items)
        {
            switch (item)
            {
                case WireDecl d: w.WriteLine($"    wire {TypeText(d.Type, d.Width)}{d.Name};"); break;
                case RegDecl r:
                    string init = r.Init is { } v ? $" = {ConstText(new Const(v, r.Type))}" : "";
                    w.WriteLine($"    reg {TypeText(r.Type, r.Width)}{r.Name}{init};");
                    break;
                case MemDecl d:
                    string attr = d.NoReadWriteCheck ? "(* no_rw_check *) " : "";
                    string last = d.DepthParam is { } dp ? $"{dp.Name}-1" : (d.Depth - 1).ToString(CultureInfo.InvariantCulture);
                    w.WriteLine($"    {attr}reg {TypeText(VType.U(d.WordBits), d.Width)}{d.Name} [0:{last}];");
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
                    if (inst.Parameters.Count == 0) w.WriteLine($"    {inst.Module} {inst.Name} (");
                    else
                    {
                        w.WriteLine($"    {inst.Module} #(");
                        for (int i = 0; i < inst.Parameters.Count; i++)
                            w.WriteLine($"        .{inst.Parameters[i].Name}({ConstText(inst.Parameters[i].Value)}){(i + 1 < inst.Parameters.Count ? "," : "")}");
                        w.WriteLine($"    ) {inst.Name} (");
                    }
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

    private static string TypeText(VType t, WidthParam? width = null)
    {
        string sign = t.Signed ? "signed " : "";
        if (width is not null) return $"{sign}[{width.Name}-1:0] ";
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

    /// <summary>Constants wider than this many bits print in hex (digits grouped by four with '_').</summary>
    public const int MaxDecimalWidthBits = 12;

    /// <summary>Always sized: narrow or single-digit non-negative values in decimal; other wide values and negative ones
    /// (as their two's-complement pattern) in hex, e.g. <c>32'h3000_0001</c>, <c>9'sh1ff</c>.</summary>
    public static string ConstText(Const c)
    {
        int w = c.Type.WidthBits;
        string s = c.Type.Signed ? "s" : "";
        if (c.Value >= 0 && (w <= MaxDecimalWidthBits || c.Value < 10)) return string.Create(CultureInfo.InvariantCulture, $"{w}'{s}d{c.Value}");
        BigInteger pattern = c.Value >= 0 ? c.Value : (BigInteger.One << w) + c.Value;
        string hex = pattern.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return string.Create(CultureInfo.InvariantCulture, $"{w}'{s}h{Group(hex.Length == 0 ? "0" : hex)}");
    }

    private static string Group(string hex)
    {
        if (hex.Length <= 4) return hex;
        var parts = new List<string>();
        for (int end = hex.Length; end > 0; end -= 4) parts.Add(hex[Math.Max(0, end - 4)..end]);
        parts.Reverse();
        return string.Join('_', parts);
    }
}
