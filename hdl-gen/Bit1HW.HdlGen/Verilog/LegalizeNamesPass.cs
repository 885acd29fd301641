namespace Bit1HW.HdlGen.Verilog;

/// <summary>
/// Prepare pass 3: names. Any declared wire, reg, memory or instance whose name is a Verilog or
/// SystemVerilog keyword (the generated files are read by tools in SystemVerilog mode) is renamed
/// to <c>name_v</c>, with <c>_1</c>, <c>_2</c>, ... appended while the result is still taken, and
/// every use is rewritten. Ports and localparams keep their names: ports are part of the documented
/// interface and localparams are upper case by convention, so a keyword there is an internal error
/// rather than something to hide.
/// </summary>
internal static class LegalizeNamesPass
{
    public static Module Run(Module m)
    {
        foreach (Port p in m.Ports)
            if (Keywords.IsKeyword(p.Name)) throw new InvalidOperationException($"module {m.Name}: port '{p.Name}' is a Verilog keyword");
        foreach (string p in ParamNames(m))
            if (Keywords.IsKeyword(p)) throw new InvalidOperationException($"module {m.Name}: localparam '{p}' is a Verilog keyword");
        var used = new HashSet<string>(m.Ports.Select(p => p.Name).Concat(ParamNames(m)), StringComparer.Ordinal);
        foreach (Item item in m.Items) if (DeclName(item) is { } n) used.Add(n);
        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Item item in m.Items)
        {
            if (DeclName(item) is not { } n || !Keywords.IsKeyword(n)) continue;
            string candidate = $"{n}_v";
            for (int k = 1; used.Contains(candidate); k++) candidate = $"{n}_v_{k}";
            used.Add(candidate);
            rename[n] = candidate;
        }
        if (rename.Count == 0) return m;
        string R(string n) => rename.TryGetValue(n, out var r) ? r : n;
        Expr X(Expr e) => e switch
        {
            Ref r => new Ref(R(r.Name), r.Type),
            Const => e,
            Unary u => new Unary(u.Op, X(u.A), u.Type),
            Binary b => new Binary(b.Op, X(b.A), X(b.B), b.Type),
            Mux x => new Mux(X(x.Sel), X(x.WhenTrue), X(x.WhenFalse), x.Type),
            Slice s => new Slice(X(s.A), s.Lo, s.Type),
            Extend x => new Extend(X(x.A), x.Type),
            Concat c => new Concat(c.Parts.Select(X).ToArray(), c.Type),
            _ => throw new System.Diagnostics.UnreachableException(e.GetType().Name),
        };
        Stmt S(Stmt s) => s switch
        {
            NonBlocking nb => new NonBlocking(R(nb.Target), X(nb.Value)),
            If i => new If(X(i.Cond), i.Then.Select(S).ToArray(), i.Else.Select(S).ToArray()),
            MemWrite w => new MemWrite(R(w.Mem), X(w.Addr), X(w.Data)),
            MemRead r => new MemRead(R(r.Target), R(r.Mem), X(r.Addr)),
            _ => throw new System.Diagnostics.UnreachableException(s.GetType().Name),
        };
        var items = m.Items.Select(item => item switch
        {
            WireDecl w => w with { Name = R(w.Name) },
            RegDecl r => r with { Name = R(r.Name) },
            MemDecl d => d with { Name = R(d.Name) },

            Assign a => new Assign(R(a.Target), X(a.Value)),
            AlwaysFF f => new AlwaysFF(R(f.Clock), f.Body.Select(S).ToArray()),
            Instance i => i with { Name = R(i.Name), Connections = i.Connections.Select(c => c with { Value = X(c.Value) }).ToArray() },
            _ => item,
        }).ToArray();
        return m with { Items = items };
    }

    private static IEnumerable<string> ParamNames(Module m) => m.Items.Select(item => item switch
    {
        WidthParam p => p.Name,
        ValueParam p => p.Name,
        _ => null,
    }).OfType<string>();

    private static string? DeclName(Item item) => item switch
    {
        WireDecl w => w.Name,
        RegDecl r => r.Name,
        MemDecl d => d.Name,
        Instance i => i.Name,
        _ => null,
    };
}

/// <summary>Reserved words of IEEE 1364-2005 Verilog and IEEE 1800-2017 SystemVerilog.</summary>
internal static class Keywords
{
    private static readonly HashSet<string> Set = new(StringComparer.Ordinal)
    {
        "accept_on", "alias", "always", "always_comb", "always_ff", "always_latch", "and", "assert", "assign",
        "assume", "automatic", "before", "begin", "bind", "bins", "binsof", "bit", "break", "buf", "bufif0",
        "bufif1", "byte", "case", "casex", "casez", "cell", "chandle", "checker", "class", "clocking", "cmos",
        "config", "const", "constraint", "context", "continue", "cover", "covergroup", "coverpoint", "cross",
        "deassign", "default", "defparam", "design", "disable", "dist", "do", "edge", "else", "end", "endcase",
        "endchecker", "endclass", "endclocking", "endconfig", "endfunction", "endgenerate", "endgroup",
        "endinterface", "endmodule", "endpackage", "endprimitive", "endprogram", "endproperty", "endspecify",
        "endsequence", "endtable", "endtask", "enum", "event", "eventually", "expect", "export", "extends",
        "extern", "final", "first_match", "for", "force", "foreach", "forever", "fork", "forkjoin", "function",
        "generate", "genvar", "global", "highz0", "highz1", "if", "iff", "ifnone", "ignore_bins", "illegal_bins",
        "implements", "implies", "import", "incdir", "include", "initial", "inout", "input", "inside", "instance",
        "int", "integer", "interconnect", "interface", "intersect", "join", "join_any", "join_none", "large",
        "let", "liblist", "library", "local", "localparam", "logic", "longint", "macromodule", "matches",
        "medium", "modport", "module", "nand", "negedge", "nettype", "new", "nexttime", "nmos", "nor",
        "noshowcancelled", "not", "notif0", "notif1", "null", "or", "output", "package", "packed", "parameter",
        "pmos", "posedge", "primitive", "priority", "program", "property", "protected", "pull0", "pull1",
        "pulldown", "pullup", "pulsestyle_ondetect", "pulsestyle_onevent", "pure", "rand", "randc", "randcase",
        "randsequence", "rcmos", "real", "realtime", "ref", "reg", "reject_on", "release", "repeat", "restrict",
        "return", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "s_always", "s_eventually", "s_nexttime",
        "s_until", "s_until_with", "scalared", "sequence", "shortint", "shortreal", "showcancelled", "signed",
        "small", "soft", "solve", "specify", "specparam", "static", "string", "strong", "strong0", "strong1",
        "struct", "super", "supply0", "supply1", "sync_accept_on", "sync_reject_on", "table", "tagged", "task",
        "this", "throughout", "time", "timeprecision", "timeunit", "tran", "tranif0", "tranif1", "tri", "tri0",
        "tri1", "triand", "trior", "trireg", "type", "typedef", "union", "unique", "unique0", "unsigned",
        "until", "until_with", "untyped", "use", "uwire", "var", "vectored", "virtual", "void", "wait",
        "wait_order", "wand", "weak", "weak0", "weak1", "while", "wildcard", "wire", "with", "within", "wor",
        "xnor", "xor",
    };

    public static bool IsKeyword(string name) => Set.Contains(name);
}
