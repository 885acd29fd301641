using Bit1HW.Core.Numerics;

namespace Bit1HW.Model;

/// <summary>
/// A ternary weight matrix W[Rows, Cols] (PyTorch order: Rows = output features) and its one scale
/// β, in the project's 2-bit <see cref="TernaryCode"/>: row r occupies bytes
/// [r·Cols/4, (r+1)·Cols/4) packed as <see cref="TernaryCode.Pack"/> does. Cols is a multiple of 4.
/// The matrix's value is W·β; backends only ever see the codes.
/// </summary>
internal sealed class TernaryMatrix
{
    public string Name { get; }
    public int Rows { get; }
    public int Cols { get; }
    public float Scale { get; }
    public byte[] Packed { get; }
    public int RowBytes => Cols / 4;

    public TernaryMatrix(string name, int rows, int cols, float scale, byte[] packed)
    {
        if (cols % 4 != 0) throw new ArgumentException($"{name}: {cols} columns is not a multiple of 4");
        if (packed.Length != (long)rows * cols / 4) throw new ArgumentException($"{name}: {packed.Length} packed bytes for {rows}x{cols}");
        Name = name;
        Rows = rows;
        Cols = cols;
        Scale = scale;
        Packed = packed;
    }

    /// <summary>Packs row-major trits (each -1, 0 or +1).</summary>
    public static TernaryMatrix FromTrits(string name, int rows, int cols, float scale, ReadOnlySpan<sbyte> trits)
    {
        if (trits.Length != (long)rows * cols) throw new ArgumentException($"{name}: {trits.Length} trits for {rows}x{cols}");
        var packed = new byte[(long)rows * cols / 4];
        for (int i = 0; i < trits.Length; i++)
        {
            int t = trits[i];
            if ((uint)(t + 1) > 2) throw new ArgumentOutOfRangeException(nameof(trits), t, $"{name}: weight {i} is not ternary");
            // The two's-complement low two bits of −1, 0, +1 are TernaryCode's 11, 00, 01.
            packed[i >> 2] |= (byte)((t & 3) << (2 * (i & 3)));
        }
        return new TernaryMatrix(name, rows, cols, scale, packed);
    }

    public sbyte Get(int row, int col) =>
        TernaryCode.Decode(Packed[(long)row * RowBytes + (col >> 2)] >> (2 * (col & 3)), (long)row * Cols + col);

    public sbyte[] ToTrits()
    {
        var t = new sbyte[(long)Rows * Cols];
        for (int i = 0; i < t.Length; i++) t[i] = TernaryCode.Decode(Packed[i >> 2] >> (2 * (i & 3)), i);
        return t;
    }
}
