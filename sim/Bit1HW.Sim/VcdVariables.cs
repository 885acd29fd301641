using System.Globalization;
using System.Text;

namespace Bit1HW.Sim;

/// <summary>
/// The variables of a VCD file and their last written values: declares them scope by scope in the
/// header and writes only changes. Values up to 64 bits are <c>ulong</c>s; wider ones (host_wdata)
/// are little-endian 32-bit limbs. Identifiers are the printable characters '!'..'~' in base 94.
/// </summary>
internal sealed class VcdVariables
{
    private readonly List<VcdVariable> _vars = [];

    public IReadOnlyList<VcdVariable> All => _vars;

    public VcdVariable Add(string scope, string name, int width, bool signed = false, bool hex = false)
    {
        int n = _vars.Count;
        var id = new StringBuilder();
        do { id.Append((char)('!' + n % 94)); n /= 94; } while (n > 0);
        var v = new VcdVariable(scope, name, width, signed, hex, id.ToString());
        _vars.Add(v);
        return v;
    }

    /// <summary>The header: each scope once, in the order first used, nested by their dotted paths.</summary>
    public void WriteHeader(TextWriter w, string comment)
    {
        w.Write("$version bit1hw sim $end\n$timescale 1ns $end\n");
        w.Write($"$comment {comment} $end\n");
        string[] open = [];
        var scopeOrder = _vars.Select(v => v.Scope).Distinct().ToList();
        foreach (VcdVariable v in _vars.OrderBy(v => scopeOrder.IndexOf(v.Scope)))   // stable: one block per scope
        {
            string[] path = v.Scope.Split('.');
            int common = 0;
            while (common < open.Length && common < path.Length && open[common] == path[common]) common++;
            for (int i = open.Length; i > common; i--) w.Write("$upscope $end\n");
            for (int i = common; i < path.Length; i++) w.Write($"$scope module {path[i]} $end\n");
            open = path;
            string range = v.Width == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" [{v.Width - 1}:0]");
            w.Write(string.Create(CultureInfo.InvariantCulture, $"$var wire {v.Width} {v.Id} {v.Name}{range} $end\n"));
        }
        for (int i = 0; i < open.Length; i++) w.Write("$upscope $end\n");
        w.Write("$enddefinitions $end\n");
    }
}

/// <summary>One VCD variable: where it is, how GTKWave should show it, and its pending and written value.</summary>
internal sealed class VcdVariable(string scope, string name, int width, bool signed, bool hex, string id)
{
    private ulong _now, _written;
    private uint[]? _wideNow, _wideWritten;
    private bool _ever;

    public string Scope => scope;
    public string Name => name;
    public int Width => width;
    public bool Signed => signed;
    public bool Hex => hex;
    public string Id => id;
    /// <summary>The name GTKWave shows: scope path, name and bit range.</summary>
    public string FullName => Width == 1 ? $"{scope}.{name}" : string.Create(CultureInfo.InvariantCulture, $"{scope}.{name}[{Width - 1}:0]");

    /// <summary>Sets the value from the low <see cref="Width"/> bits of a two's complement or unsigned number.</summary>
    public void Set(long value) => _now = width >= 64 ? (ulong)value : (ulong)value & ((1UL << width) - 1);

    public void Set(bool value) => _now = value ? 1UL : 0;

    /// <summary>Sets a value wider than 64 bits from 32-bit limbs (missing limbs are 0, bits above the width ignored).</summary>
    public void SetLimbs(uint[]? limbs)
    {
        _wideNow ??= new uint[(width + 31) / 32];
        Array.Clear(_wideNow);
        if (limbs is not null) limbs.AsSpan(0, Math.Min(limbs.Length, _wideNow.Length)).CopyTo(_wideNow);
        if (width % 32 != 0) _wideNow[^1] &= (1u << (width % 32)) - 1;
    }

    /// <summary>Writes the value if it changed since it was last written; returns whether it wrote.</summary>
    public bool WriteChange(TextWriter w, ref bool stamped, long time)
    {
        bool wide = _wideNow is not null;
        if (_ever && (wide ? _wideNow.AsSpan().SequenceEqual(_wideWritten) : _now == _written)) return false;
        if (!stamped) { w.Write(string.Create(CultureInfo.InvariantCulture, $"#{time}\n")); stamped = true; }
        _ever = true;
        if (wide)
        {
            _wideWritten = (uint[])_wideNow!.Clone();
            w.Write($"b{Binary(_wideNow!)} {id}\n");
        }
        else
        {
            _written = _now;
            if (width == 1) w.Write($"{_now}{id}\n");
            else w.Write($"b{Convert.ToString((long)_now, 2)} {id}\n");
        }
        return true;
    }

    /// <summary>Binary digits of a limb array without leading zeros ("0" for zero).</summary>
    private static string Binary(uint[] limbs)
    {
        var sb = new StringBuilder();
        for (int i = limbs.Length - 1; i >= 0; i--)
        {
            if (sb.Length == 0)
            {
                if (limbs[i] != 0) sb.Append(Convert.ToString(limbs[i], 2));
            }
            else sb.Append(Convert.ToString(limbs[i], 2).PadLeft(32, '0'));
        }
        return sb.Length == 0 ? "0" : sb.ToString();
    }
}
