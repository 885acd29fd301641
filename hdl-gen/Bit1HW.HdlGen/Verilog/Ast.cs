using System.Numerics;

namespace Bit1HW.HdlGen.Verilog;

// A small typed Verilog AST. Every node is an immutable sealed record that validates itself when
// built (the exception names the bad value), every expression carries an explicit width and
// signedness, and the printer only reads the tree. Prepare passes (ExtendPass, FlattenPass,
// LegalizeNamesPass) rewrite it into the one-operator-per-assign form the printer expects.

/// <summary>Width in bits (1..2^20) and signedness of a value.</summary>
internal sealed record VType
{
    public const int MaxWidthBits = 1 << 20;
    public int WidthBits { get; }
    public bool Signed { get; }

    public VType(int widthBits, bool signed)
    {
        if (widthBits < 1 || widthBits > MaxWidthBits)
            throw new ArgumentOutOfRangeException(nameof(widthBits), widthBits, $"a Verilog width must be in 1..{MaxWidthBits}");
        WidthBits = widthBits;
        Signed = signed;
    }

    public static VType U(int widthBits) => new(widthBits, false);
    public static VType S(int widthBits) => new(widthBits, true);
    public static readonly VType Bit = new(1, false);
    public override string ToString() => $"{(Signed ? "s" : "u")}{WidthBits}";
}

internal abstract record Expr(VType Type);

/// <summary>A named signal (port, wire or reg) used as a value.</summary>
internal sealed record Ref : Expr
{
    public string Name { get; }
    public Ref(string name, VType type) : base(type)
    {
        Names.Check(name);
        Name = name;
    }
}

/// <summary>A sized constant; the value must fit the type (signed: two's complement range).</summary>
internal sealed record Const : Expr
{
    public BigInteger Value { get; }
    public Const(BigInteger value, VType type) : base(type)
    {
        BigInteger lo = type.Signed ? -(BigInteger.One << (type.WidthBits - 1)) : BigInteger.Zero;
        BigInteger hi = type.Signed ? (BigInteger.One << (type.WidthBits - 1)) - 1 : (BigInteger.One << type.WidthBits) - 1;
        if (value < lo || value > hi)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit {type} ({lo}..{hi})");
        Value = value;
    }
}

internal enum UnaryOp { Not, Neg }

internal sealed record Unary : Expr
{
    public UnaryOp Op { get; }
    public Expr A { get; }
    public Unary(UnaryOp op, Expr a, VType type) : base(type)
    {
        if (a.Type.WidthBits > type.WidthBits)
            throw new ArgumentException($"{op}: operand width {a.Type.WidthBits} exceeds result width {type.WidthBits}", nameof(a));
        Op = op;
        A = a;
    }
}

internal enum BinaryOp { Add, Sub, Mul, And, Or, Xor, Eq, Ne }

internal sealed record Binary : Expr
{
    public BinaryOp Op { get; }
    public Expr A { get; }
    public Expr B { get; }

    public Binary(BinaryOp op, Expr a, Expr b, VType type) : base(type)
    {
        if (IsCompare(op))
        {
            if (type != VType.Bit) throw new ArgumentException($"{op}: a comparison yields u1, not {type}", nameof(type));
        }
        else if (a.Type.WidthBits > type.WidthBits || b.Type.WidthBits > type.WidthBits)
        {
            throw new ArgumentException(
                $"{op}: operand widths {a.Type.WidthBits}, {b.Type.WidthBits} exceed result width {type.WidthBits} (truncate explicitly with a Slice)", nameof(type));
        }
        Op = op;
        A = a;
        B = b;
    }

    public static bool IsCompare(BinaryOp op) => op is BinaryOp.Eq or BinaryOp.Ne;
}

/// <summary>Sel ? WhenTrue : WhenFalse; Sel is one bit, the arms at most the result width.</summary>
internal sealed record Mux : Expr
{
    public Expr Sel { get; }
    public Expr WhenTrue { get; }
    public Expr WhenFalse { get; }
    public Mux(Expr sel, Expr whenTrue, Expr whenFalse, VType type) : base(type)
    {
        if (sel.Type.WidthBits != 1) throw new ArgumentException($"mux select must be 1 bit, not {sel.Type}", nameof(sel));
        if (whenTrue.Type.WidthBits > type.WidthBits || whenFalse.Type.WidthBits > type.WidthBits)
            throw new ArgumentException($"mux arms {whenTrue.Type}, {whenFalse.Type} are wider than {type}", nameof(type));
        if (whenTrue.Equals(whenFalse))
            throw new ArgumentException($"mux with two identical arms ({whenTrue}): use the arm itself", nameof(whenFalse));
        Sel = sel;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }
}

/// <summary>Bits [Lo +: width] of A; the result type says how the bits are read (signed or not).</summary>
internal sealed record Slice : Expr
{
    public Expr A { get; }
    public int Lo { get; }
    public Slice(Expr a, int lo, VType type) : base(type)
    {
        if (lo < 0 || checked(lo + type.WidthBits) > a.Type.WidthBits)
            throw new ArgumentOutOfRangeException(nameof(lo), lo, $"slice [{lo} +: {type.WidthBits}] is outside a {a.Type.WidthBits}-bit value");
        A = a;
        Lo = lo;
    }
}

/// <summary>Widens A to the result width: sign extension if A is signed, zero extension otherwise.
/// Equal widths only reinterpret the signedness.</summary>
internal sealed record Extend : Expr
{
    public Expr A { get; }
    public Extend(Expr a, VType type) : base(type)
    {
        if (a.Type.WidthBits > type.WidthBits)
            throw new ArgumentException($"cannot extend {a.Type} to the narrower {type}", nameof(type));
        A = a;
    }
}

/// <summary>Concatenation, most significant part first (Verilog order).</summary>
internal sealed record Concat : Expr
{
    public IReadOnlyList<Expr> Parts { get; }
    public Concat(IReadOnlyList<Expr> parts, VType type) : base(type)
    {
        if (parts.Count == 0) throw new ArgumentException("empty concatenation", nameof(parts));
        long sum = parts.Sum(p => (long)p.Type.WidthBits);
        if (sum != type.WidthBits)
            throw new ArgumentException($"concatenation of {sum} bits typed as {type}", nameof(type));
        Parts = parts.ToArray();
    }
}

internal enum PortDir { Input, Output }

internal sealed record Port(string Name, PortDir Dir, VType Type, bool IsReg)
{
    public string Name { get; } = Names.Checked(Name);
}

internal abstract record Item;
/// <summary>An integer <c>localparam</c> naming a width or a depth: declarations print their range
/// with it (<c>[ACC_BITS-1:0]</c>). The printed width must equal the declaration's type.</summary>
internal sealed record WidthParam(string Name, int Value) : Item
{
    public string Name { get; } = Names.Checked(Name);
}
/// <summary>A sized <c>localparam</c> (an opcode, a field value) used in expressions through a <see cref="Ref"/>.</summary>
internal sealed record ValueParam(string Name, Const Value) : Item
{
    public string Name { get; } = Names.Checked(Name);
}
internal sealed record WireDecl(string Name, VType Type, WidthParam? Width = null) : Item
{
    public WidthParam? Width { get; } = Checked(Width, Type);
    internal static WidthParam? Checked(WidthParam? w, VType t) => w is null || w.Value == t.WidthBits ? w
        : throw new ArgumentException($"width parameter {w.Name} = {w.Value} does not match the declared width {t.WidthBits}", nameof(w));
}
/// <summary>A register; Init is the FPGA power-up value (used only by the board wrapper's reset counter).</summary>
internal sealed record RegDecl(string Name, VType Type, BigInteger? Init = null, WidthParam? Width = null) : Item
{
    public WidthParam? Width { get; } = WireDecl.Checked(Width, Type);
}
/// <summary>A memory array. NoReadWriteCheck prints yosys's <c>(* no_rw_check *)</c>: a read of the word
/// written at the same edge may return anything, so synthesis adds no bypass logic around the block RAM.</summary>
internal sealed record MemDecl(string Name, int WordBits, int Depth, bool NoReadWriteCheck = false,
    WidthParam? Width = null, WidthParam? DepthParam = null) : Item
{
    public int Depth { get; } = Depth >= 2 ? Depth : throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "memory depth must be at least 2");
    public WidthParam? Width { get; } = WireDecl.Checked(Width, VType.U(WordBits));
    public WidthParam? DepthParam { get; } = DepthParam is null || DepthParam.Value == Depth ? DepthParam
        : throw new ArgumentException($"depth parameter {DepthParam.Name} = {DepthParam.Value} does not match the depth {Depth}", nameof(DepthParam));
}
internal sealed record Assign(string Target, Expr Value) : Item;
/// <summary><c>always @(posedge Clock)</c> with non-blocking statements only.</summary>
internal sealed record AlwaysFF(string Clock, IReadOnlyList<Stmt> Body) : Item;
/// <summary>A module instance; <see cref="Parameters"/> (for a vendor cell such as SB_MAC16) print as <c>#(.NAME(value), ...)</c>.</summary>
internal sealed record Instance(string Module, string Name, IReadOnlyList<Connection> Connections) : Item
{
    public IReadOnlyList<InstanceParameter> Parameters { get; init; } = [];
}
internal sealed record Connection(string Port, Expr Value);
internal sealed record InstanceParameter(string Name, Const Value)
{
    public string Name { get; } = Names.Checked(Name);
}
internal sealed record Comment(string Text) : Item;

internal abstract record Stmt;
internal sealed record NonBlocking(string Target, Expr Value) : Stmt;
internal sealed record If(Expr Cond, IReadOnlyList<Stmt> Then, IReadOnlyList<Stmt> Else) : Stmt
{
    public Expr Cond { get; } = Cond.Type.WidthBits == 1 ? Cond : throw new ArgumentException($"if condition must be 1 bit, not {Cond.Type}", nameof(Cond));
}
internal sealed record MemWrite(string Mem, Expr Addr, Expr Data) : Stmt;
/// <summary><c>Target &lt;= Mem[Addr]</c>: the registered read that lets synthesis infer block RAM.</summary>
internal sealed record MemRead(string Target, string Mem, Expr Addr) : Stmt;

internal sealed record Module(string Name, IReadOnlyList<string> Header, IReadOnlyList<Port> Ports, IReadOnlyList<Item> Items)
{
    public string Name { get; } = Names.Checked(Name);
}

internal static class Names
{
    public static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static void Check(string name)
    {
        if (!IsIdentifier(name)) throw new ArgumentException($"'{name}' is not a Verilog identifier", nameof(name));
    }

    public static string Checked(string name)
    {
        Check(name);
        return name;
    }
}
