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

    internal static int ElementBytes(GgmlType type) => type == GgmlType.F32 ? 4 : 2;

    /// <summary>The elements' bytes, for checks at load time (a span cannot cover more than 2^31 bytes: <paramref name="firstRow"/> and <paramref name="rows"/> select a slice).</summary>
    internal ReadOnlySpan<byte> RowBytes(int firstRow, int rows) =>
        new((byte*)_data + (long)firstRow * Cols * ElementBytes(Type), checked(rows * Cols * ElementBytes(Type)));

    public float Get(int row, int col)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols) throw new ArgumentOutOfRangeException(nameof(row), $"[{row}, {col}] outside {Rows}x{Cols}");
        float v = FloatDot.Element(Type, (byte*)_data, (long)row * Cols + col);
        GC.KeepAlive(_owner);
        return v;
    }

    public void CopyRow(int row, Span<float> dst)
    {
        if ((uint)row >= (uint)Rows || dst.Length < Cols) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} of {Rows}, {dst.Length} destination elements for {Cols}");
        long start = (long)row * Cols;
        for (int c = 0; c < Cols; c++) dst[c] = FloatDot.Element(Type, (byte*)_data, start + c);
        GC.KeepAlive(_owner);
    }

    /// <summary>Row <paramref name="row"/> · <paramref name="x"/> in the fixed float32 order.</summary>
    public float Dot(int row, ReadOnlySpan<float> x)
    {
        if ((uint)row >= (uint)Rows || x.Length != Cols) throw new ArgumentException($"{Name}: row {row} of {Rows}, {x.Length} inputs for {Cols} columns");
        float y;
        fixed (float* xp = x) FloatDot.Rows(Type, (byte*)_data, Cols, xp, &y, row, row + 1);
        GC.KeepAlive(_owner);
        return y;
    }

    /// <summary>y[r] = <see cref="Dot"/>(r, x) for every row, split over <paramref name="threads"/> threads (0 = all cores); the bits do not depend on the split.</summary>
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
            void Chunk(int c)
            {
                int r0 = Math.Min(Rows, c * per), r1 = Math.Min(Rows, r0 + per);
                FloatDot.Rows(Type, (byte*)_data, Cols, (float*)xa, (float*)ya + r0, r0, r1);
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
