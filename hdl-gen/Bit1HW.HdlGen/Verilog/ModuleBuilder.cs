using System.Numerics;

namespace Bit1HW.HdlGen.Verilog;

/// <summary>
/// Collects the ports and items of one module while a generator describes it, and remembers the
/// type of every declared name so statements can be checked by the passes. Building does not
/// print: <see cref="Emit"/> runs the prepare passes and the printer.
/// </summary>
internal sealed class ModuleBuilder(string name)
{
    private readonly List<string> _header = [];
    private readonly List<Port> _ports = [];
    private readonly List<Item> _items = [];
    private readonly HashSet<string> _names = [];

    public string Name { get; } = Names.Checked(name);

    public void Header(string line) => _header.Add(line);

    public Ref Input(string port, VType type) => AddPort(port, PortDir.Input, type, false);
    public Ref Output(string port, VType type) => AddPort(port, PortDir.Output, type, false);
    public Ref OutputReg(string port, VType type) => AddPort(port, PortDir.Output, type, true);

    private Ref AddPort(string port, PortDir dir, VType type, bool isReg)
    {
        Declare(port);
        _ports.Add(new Port(port, dir, type, isReg));
        return new Ref(port, type);
    }

    private void Declare(string n)
    {
        if (!_names.Add(n)) throw new InvalidOperationException($"module {Name}: '{n}' is declared twice");
    }

    /// <summary>Declares <c>localparam integer name = value;</c> for declarations to print their range with.</summary>
    public WidthParam WidthParam(string param, int value)
    {
        Declare(param);
        var p = new WidthParam(param, value);
        _items.Add(p);
        return p;
    }

    /// <summary>Declares a sized <c>localparam</c> and returns a reference for expressions.</summary>
    public Ref ValueParam(string param, Const value)
    {
        Declare(param);
        _items.Add(new ValueParam(param, value));
        return new Ref(param, value.Type);
    }

    /// <summary>Declares a wire driven by <paramref name="value"/> and returns a reference to it.</summary>
    public Ref Wire(string wire, Expr value, WidthParam? width = null) => Wire(wire, value.Type, value, width);

    public Ref Wire(string wire, VType type, Expr value, WidthParam? width = null)
    {
        Declare(wire);
        _items.Add(new WireDecl(wire, type, width));
        _items.Add(new Assign(wire, value));
        return new Ref(wire, type);
    }

    /// <summary>Declares a wire driven by an instance output.</summary>
    public Ref Net(string wire, VType type, WidthParam? width = null)
    {
        Declare(wire);
        _items.Add(new WireDecl(wire, type, width));
        return new Ref(wire, type);
    }

    public Ref Reg(string reg, VType type, BigInteger? init = null, WidthParam? width = null)
    {
        Declare(reg);
        _items.Add(new RegDecl(reg, type, init, width));
        return new Ref(reg, type);
    }

    public void Memory(string mem, int wordBits, int depth, bool noReadWriteCheck = false, WidthParam? width = null, WidthParam? depthParam = null)
    {
        Declare(mem);
        _items.Add(new MemDecl(mem, wordBits, depth, noReadWriteCheck, width, depthParam));
    }

    /// <summary>Drives an output port (declared with <see cref="Output"/>) from an expression.</summary>
    public void Drive(Ref output, Expr value) => _items.Add(new Assign(output.Name, value));

    public void Always(Ref clock, params Stmt[] body) => _items.Add(new AlwaysFF(clock.Name, body));

    public void Comment(string text) => _items.Add(new Comment(text));

    public void Instantiate(string module, string instance, params Connection[] connections) =>
        Instantiate(module, instance, [], connections);

    public void Instantiate(string module, string instance, InstanceParameter[] parameters, params Connection[] connections)
    {
        Declare(instance);
        _items.Add(new Instance(module, instance, connections) { Parameters = parameters });
    }

    public Module Build() => new(Name, _header, _ports, _items);

    /// <summary>Runs the prepare passes and prints: the module's final text.</summary>
    public string Emit() => Printer.Print(Prepare.Run(Build()));
}

/// <summary>The prepare pipeline, in order: explicit extension, flattening, name legalization.</summary>
internal static class Prepare
{
    public static Module Run(Module m) => LegalizeNamesPass.Run(FlattenPass.Run(ExtendPass.Run(m)));
}

/// <summary>Expression helpers so generators read like the hardware they describe.</summary>
internal static class E
{
    public static Const C(BigInteger value, VType type) => new(value, type);
    public static Const Bit(bool value) => new(value ? 1 : 0, VType.Bit);
    public static Binary Add(Expr a, Expr b, VType type) => new(BinaryOp.Add, a, b, type);
    public static Binary Sub(Expr a, Expr b, VType type) => new(BinaryOp.Sub, a, b, type);
    public static Binary Mul(Expr a, Expr b, VType type) => new(BinaryOp.Mul, a, b, type);
    public static Binary And(Expr a, Expr b) => new(BinaryOp.And, a, b, Max(a, b));
    public static Binary Or(Expr a, Expr b) => new(BinaryOp.Or, a, b, Max(a, b));
    public static Binary Xor(Expr a, Expr b) => new(BinaryOp.Xor, a, b, Max(a, b));
    public static Binary Eq(Expr a, Expr b) => new(BinaryOp.Eq, a, b, VType.Bit);
    public static Binary Ne(Expr a, Expr b) => new(BinaryOp.Ne, a, b, VType.Bit);
    public static Binary EqC(Expr a, long value) => Eq(a, C(value, VType.U(a.Type.WidthBits)));
    public static Unary Not(Expr a) => new(UnaryOp.Not, a, a.Type);
    public static Unary Neg(Expr a, VType type) => new(UnaryOp.Neg, a, type);
    public static Mux Mux(Expr sel, Expr whenTrue, Expr whenFalse, VType type) => new(sel, whenTrue, whenFalse, type);
    public static Mux Mux(Expr sel, Expr whenTrue, Expr whenFalse) => new(sel, whenTrue, whenFalse, Max(whenTrue, whenFalse));
    public static Slice Bits(Expr a, int lo, int width, bool signed = false) => new(a, lo, new VType(width, signed));
    /// <summary>Widens (or reinterprets) <paramref name="a"/> to <paramref name="type"/>; no node when it already has that type.</summary>
    public static Expr Ext(Expr a, VType type) => a.Type == type ? a : new Extend(a, type);
    public static Concat Cat(params Expr[] parts) => new(parts, VType.U(parts.Sum(p => p.Type.WidthBits)));
    public static Connection Pin(string port, Expr value) => new(port, value);
    public static NonBlocking Set(Ref target, Expr value) => new(target.Name, value);
    public static If If(Expr cond, Stmt[] then, Stmt[]? otherwise = null) => new(cond, then, otherwise ?? []);

    private static VType Max(Expr a, Expr b) =>
        new(Math.Max(a.Type.WidthBits, b.Type.WidthBits), a.Type.Signed && b.Type.Signed);
}
