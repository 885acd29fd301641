using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>
/// A full-precision matrix [Rows, Cols] kept in its file type (F32, F16 or BF16 bit patterns) so a
/// 2B-parameter embedding is not doubled in memory. Used for the token embedding and the lm_head.
/// The elements are either a pinned array or read in place from a memory-mapped GGUF file
/// (<see cref="MappedFile"/>); both look the same to every reader. <see cref="Dot"/> and
/// <see cref="MatVec"/> fix the float32 summation order (8 running lanes over blocks of 8 columns,
/// lanes added 0..7, then the remaining columns in order), so every caller gets the same bits
/// whatever the thread count (<see cref="FloatDot"/>).
/// </summary>
public sealed unsafe class FloatMatrix
{
    public string Name { get; }
    internal GgmlType Type { get; }
    public int Rows { get; }
    public int Cols { get; }
    private readonly nint _data;
    /// <summary>What keeps <see cref="_data"/> valid: a <see cref="PinnedArray"/> or a <see cref="MappedFile"/>.</summary>
    private readonly object _owner;
    /// <summary>Rows below this are kept in quads (<see cref="FloatDot.QuadIndex"/>); 0 for row order.</summary>
    private readonly int _quadRows;

    /// <summary>
    /// An fp16 matrix whose array is reordered in place into quads of rows (<see cref="FloatDot.QuadIndex"/>),
    /// so the lm_head's four-row dot products stream; every reader gives the same values and bits.
    /// The caller must not use <paramref name="u16"/> afterwards.
    /// </summary>
    internal static FloatMatrix F16InQuads(string name, int rows, int cols, ushort[] u16)
    {
        var data = new NativeArray(2L * u16.Length);
        MemoryMarshal.AsBytes(u16.AsSpan()).CopyTo(data.Span);
        return F16InQuads(name, rows, cols, data);
    }

    /// <summary>As <see cref="F16InQuads(string, int, int, ushort[])"/>, reordering <paramref name="data"/> in place and keeping it.</summary>
    internal static FloatMatrix F16InQuads(string name, int rows, int cols, NativeArray data)
    {
        int quadRows = rows & ~3;
        var quad = new ushort[4 * cols];
        var u16 = MemoryMarshal.Cast<byte, ushort>(data.Span);
        for (int r = 0; r < quadRows; r += 4)
        {
            Span<ushort> at = u16.Slice(r * cols, 4 * cols);
            at.CopyTo(quad);
            for (int j = 0; j < 4; j++)
                for (int c = 0; c < cols; c++)
                    at[(int)FloatDot.QuadIndex(cols, quadRows, j, c)] = quad[j * cols + c];
        }
        return new FloatMatrix(name, GgmlType.F16, rows, cols, data, quadRows);
    }

    /// <summary>A matrix in <paramref name="data"/> (row order when <paramref name="quadRows"/> is 0), which it keeps alive.</summary>
    internal FloatMatrix(string name, GgmlType type, int rows, int cols, NativeArray data, int quadRows = 0)
    {
        if (data.Length != (long)rows * cols * ElementBytes(type)) throw new ArgumentException($"{name}: storage does not match {rows}x{cols} {type}");
        (Name, Type, Rows, Cols, _data, _owner, _quadRows) = (name, type, rows, cols, data.Address, data, quadRows);
    }

    internal FloatMatrix(string name, GgmlType type, int rows, int cols, float[]? f32, ushort[]? u16)
    {
        if (type == GgmlType.F32 ? f32?.Length != (long)rows * cols : u16?.Length != (long)rows * cols)
            throw new ArgumentException($"{name}: storage does not match {rows}x{cols} {type}");
        var pin = new PinnedArray(type == GgmlType.F32 ? f32! : u16!);
        (Name, Type, Rows, Cols, _data, _owner) = (name, type, rows, cols, pin.Address, pin);
    }

    /// <summary>A matrix read in place from <paramref name="file"/> at byte <paramref name="offset"/> (little-endian, as GGUF stores it).</summary>
    internal FloatMatrix(string name, GgmlType type, int rows, int cols, MappedFile file, long offset)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("reading GGUF tensors in place needs a little-endian machine");
        (Name, Type, Rows, Cols, _owner) = (name, type, rows, cols, file);
        _data = file.Address(offset, (long)rows * cols * ElementBytes(type), name);
    }

    /// <summary>Bytes of the elements in transparent huge pages, or null when they are not in memory this class allocated (or off Linux).</summary>
    public long? HugePageBytes => (_owner as NativeArray)?.HugePageBytes();

    internal static int ElementBytes(GgmlType type) => type == GgmlType.F32 ? 4 : 2;

    /// <summary>The elements' bytes, for checks at load time (a span cannot cover more than 2^31 bytes: <paramref name="firstRow"/> and <paramref name="rows"/> select a slice).</summary>
    internal ReadOnlySpan<byte> RowBytes(int firstRow, int rows) =>
        new((byte*)_data + (long)firstRow * Cols * ElementBytes(Type), checked(rows * Cols * ElementBytes(Type)));

    public float Get(int row, int col)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols) throw new ArgumentOutOfRangeException(nameof(row), $"[{row}, {col}] outside {Rows}x{Cols}");
        float v = FloatDot.Element(Type, (byte*)_data, FloatDot.QuadIndex(Cols, _quadRows, row, col));
        GC.KeepAlive(_owner);
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyRow(int row, Span<float> dst)
    {
        if ((uint)row >= (uint)Rows || dst.Length < Cols) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} of {Rows}, {dst.Length} destination elements for {Cols}");
        for (int c = 0; c < Cols; c++) dst[c] = FloatDot.Element(Type, (byte*)_data, FloatDot.QuadIndex(Cols, _quadRows, row, c));
        GC.KeepAlive(_owner);
    }

    /// <summary>Row <paramref name="row"/> · <paramref name="x"/> in the fixed float32 order.</summary>
    public float Dot(int row, ReadOnlySpan<float> x)
    {
        if ((uint)row >= (uint)Rows || x.Length != Cols) throw new ArgumentException($"{Name}: row {row} of {Rows}, {x.Length} inputs for {Cols} columns");
        float y;
        if (row < _quadRows)
        {
            // One row of a quad: gathered into row order first.
            var one = new ushort[Cols];
            for (int c = 0; c < Cols; c++) one[c] = ((ushort*)_data)[FloatDot.QuadIndex(Cols, _quadRows, row, c)];
            fixed (ushort* op = one)
            fixed (float* xp = x) FloatDot.Rows(Type, (byte*)op, Cols, xp, &y, 0, 1);
        }
        else
            fixed (float* xp = x) FloatDot.Rows(Type, (byte*)_data, Cols, xp, &y, row, row + 1);
        GC.KeepAlive(_owner);
        return y;
    }

    /// <summary>y[r] = <see cref="Dot"/>(r, x) for every row, split over <paramref name="threads"/> threads (0 = all cores); the bits do not depend on the split.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MatVec(ReadOnlySpan<float> x, Span<float> y, int threads = 0)
    {
        if (x.Length != Cols || y.Length != Rows) throw new ArgumentException($"{Name}: {x.Length} inputs / {y.Length} outputs for {Rows}x{Cols}");
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            nint xa = (nint)xp, ya = (nint)yp;
            int chunks = (long)Rows * Cols < (1 << 18) || threads == 1 ? 1 : Math.Min(threads * 4, (Rows + 3) / 4);
            int per = (Rows + chunks - 1) / chunks + 3 & ~3;
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            void Chunk(int c)
            {
                int r0 = Math.Min(Rows, c * per), r1 = Math.Min(Rows, r0 + per);
                FloatDot.Rows(Type, (byte*)_data, Cols, (float*)xa, (float*)ya + r0, r0, r1, _quadRows);
            }
            if (chunks == 1) Chunk(0);
            else Decoding.WorkerTeam.For(threads).Run(chunks, Chunk);
        }
        GC.KeepAlive(_owner);
    }

    /// <summary>An array pinned for as long as this object lives, so its address can be kept.</summary>
    private sealed class PinnedArray
    {
        private GCHandle _handle;
        public nint Address { get; }

        public PinnedArray(Array a)
        {
            _handle = GCHandle.Alloc(a, GCHandleType.Pinned);
            Address = _handle.AddrOfPinnedObject();
        }

        ~PinnedArray() => _handle.Free();
    }
}
