using System.Globalization;

namespace Bit1HW.Model.Gguf;

/// <summary>The GGUF metadata value types, with their on-disk type ids (GGUF v2/v3).</summary>
internal enum GgufValueType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7,
    String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>
/// One metadata value. <see cref="Value"/> holds the CLR value of the exact GGUF type (byte, sbyte,
/// ushort, short, uint, int, float, bool, string, ulong, long, double) or, for arrays, a
/// <see cref="GgufArray"/>. The type is kept so that a file round-trips byte for byte.
/// </summary>
internal sealed record GgufValue(GgufValueType Type, object Value)
{
    public static GgufValue Of(string s) => new(GgufValueType.String, s);
    public static GgufValue Of(uint v) => new(GgufValueType.UInt32, v);
    public static GgufValue Of(int v) => new(GgufValueType.Int32, v);
    public static GgufValue Of(float v) => new(GgufValueType.Float32, v);
    public static GgufValue Of(bool v) => new(GgufValueType.Bool, v);
    public static GgufValue Of(ulong v) => new(GgufValueType.UInt64, v);

    /// <summary>The value as an unsigned integer, for any integer type; null for other types or negatives.</summary>
    public ulong? AsUInt64() => Value switch
    {
        byte b => b,
        ushort u => u,
        uint u => u,
        ulong u => u,
        sbyte s when s >= 0 => (ulong)s,
        short s when s >= 0 => (ulong)s,
        int s when s >= 0 => (ulong)s,
        long s when s >= 0 => (ulong)s,
        _ => null,
    };

    public double? AsDouble() => Value switch
    {
        float f => f,
        double d => d,
        _ => AsUInt64() is ulong u ? u : null,
    };

    public override string ToString() => Value switch
    {
        string s => "\"" + s + "\"",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        GgufArray a => a.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };
}

/// <summary>A GGUF array: one element type, elements stored as their CLR values (nested arrays allowed).</summary>
internal sealed record GgufArray(GgufValueType ElementType, IReadOnlyList<object> Items)
{
    public override string ToString()
    {
        var shown = Items.Take(8).Select(i => new GgufValue(ElementType, i).ToString());
        string more = Items.Count > 8 ? $", ... ({Items.Count} items)" : "";
        return $"[{string.Join(", ", shown)}{more}]";
    }
}
