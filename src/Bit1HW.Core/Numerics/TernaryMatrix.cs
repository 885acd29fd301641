namespace Bit1HW.Core.Numerics;

/// <summary>
/// The project's one ternary weight matrix [Rows = out features, Cols = in features = K] with one
/// per-tensor scale beta (the matrix's value is W·beta). The canonical storage is
/// <see cref="Packed"/>: each row packed on its own with <see cref="TernaryCode"/> (row o occupies
/// bytes [o·RowStrideBytes, (o+1)·RowStrideBytes), the last byte of a row zero-padded), which is
/// what files, hardware memories and the decoder's backends read. A second, compute layout for
/// Core's integer GEMM (weight + 1 as a byte, rows padded to 32) is derived from it on first use
/// and kept: four times the packed size, so a matrix that is never multiplied by
/// <see cref="BitLinear"/> never holds it. A matrix may instead hold the same bytes in the
/// <see cref="RowPairLayout"/> order (<see cref="RowPairs"/>, what the decoder's fast GEMV reads);
/// <see cref="Packed"/> is then rebuilt from it on first use and kept, so a model whose matrices are
/// only multiplied by that GEMV holds its codes once.
/// </summary>
public sealed class TernaryMatrix
{
    /// <summary>Alignment of a row in the compute layout: one 256-bit vector of bytes.</summary>
    internal const int ComputeAlign = 32;

    private byte[]? _offsetWeights;
    private byte[]? _packed;

    public int Rows { get; }
    public int Cols { get; }
    /// <summary>beta: the float value of a weight of +1.</summary>
    public float Scale { get; }
    /// <summary>What the matrix is called in messages (a tensor name), or empty.</summary>
    public string Name { get; }
    public int RowStrideBytes { get; }
    /// <summary>The canonical row-packed 2-bit codes; shared, not copied: do not modify. Built on first use from <see cref="RowPairs"/> when the matrix holds that order.</summary>
    public byte[] Packed => _packed ?? BuildPacked();
    /// <summary>The same codes in the <see cref="RowPairLayout"/> order, or null when the matrix holds only <see cref="Packed"/>; do not modify.</summary>
    public byte[]? RowPairs { get; }
    /// <summary>Bytes of codes: Rows·RowStrideBytes, in either order (reading it builds nothing).</summary>
    public long PackedLength => (long)Rows * RowStrideBytes;

    /// <summary>Weight + 1 ∈ {0, 1, 2} per element, row-major with <see cref="ComputeStride"/>; padding is 0. Built on first use.</summary>
    internal byte[] OffsetWeights => _offsetWeights ?? BuildComputeLayout();
    internal int ComputeStride => (Cols + ComputeAlign - 1) / ComputeAlign * ComputeAlign;

    private TernaryMatrix(int rows, int cols, float scale, byte[]? packed, string name, byte[]? rowPairs = null)
    {
        Rows = rows;
        Cols = cols;
        Scale = scale;
        Name = name;
        RowStrideBytes = TernaryCode.PackedLength(cols);
        _packed = packed;
        RowPairs = rowPairs;
    }

    private byte[] BuildPacked()
    {
        var packed = RowPairs!.AsSpan().ToArray();
        RowPairLayout.Deinterleave(packed, Rows, RowStrideBytes);
        return Interlocked.CompareExchange(ref _packed, packed, null) ?? packed;
    }

    /// <summary>Row <paramref name="o"/>'s codes in row order, whichever order the matrix holds.</summary>
    private ReadOnlySpan<byte> RowCodes(int o)
    {
        int stride = RowStrideBytes;
        if (InRowOrder(o)) return (_packed ?? RowPairs!).AsSpan(o * stride, stride);
        var row = new byte[stride];
        for (int j = 0; j < stride; j++) row[j] = RowPairs![(o & ~1) * stride + RowPairLayout.Offset(stride, (o & 1) == 1, j)];
        return row;
    }

    /// <summary>Whether row <paramref name="o"/>'s bytes sit at o·RowStrideBytes in the array the matrix holds (always, but for a paired row of <see cref="RowPairs"/> alone).</summary>
    private bool InRowOrder(int o) => _packed is not null || RowPairs is null || (o == Rows - 1 && (Rows & 1) == 1);

    private static void CheckShape(int rows, int cols, float scale)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "at least one output row");
        if (cols < 1) throw new ArgumentOutOfRangeException(nameof(cols), cols, "K must be at least 1");
        if (!float.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "a finite scale");
    }

    /// <summary>Packs row-major values already checked to be ternary.</summary>
    private static TernaryMatrix Pack(ReadOnlySpan<sbyte> values, int rows, int cols, float scale, string name)
    {
        int stride = TernaryCode.PackedLength(cols);
        var packed = new byte[checked(rows * stride)];
        ParallelRows(rows, cols, values, (o, row) =>
        {
            Span<byte> dst = packed.AsSpan(o * stride, stride);
            // The 2-bit code of w ∈ {-1, 0, 1} is its low two bits (TernaryCode).
            for (int k = 0; k < cols; k++) dst[k >> 2] |= (byte)((row[k] & 3) << (2 * (k & 3)));
        });
        return new TernaryMatrix(rows, cols, scale, packed, name);
    }

    private byte[] BuildComputeLayout()
    {
        int stride = ComputeStride, cols = Cols;
        var offset = new byte[checked((long)Rows * stride)];
        void Row(int o)
        {
            ReadOnlySpan<byte> src = RowCodes(o);
            Span<byte> dst = offset.AsSpan(o * stride, cols);
            int whole = cols >> 2;
            for (int b = 0; b < whole; b++) BitConverter.TryWriteBytes(dst.Slice(4 * b, 4), OffsetBytes[src[b]]);
            for (int k = 4 * whole; k < cols; k++) dst[k] = (byte)(((src[k >> 2] >> (2 * (k & 3))) + 1) & 3);
        }
        if ((long)Rows * cols < (1 << 20)) for (int o = 0; o < Rows; o++) Row(o);
        else Parallel.For(0, Rows, Row);
        // Two threads may both build it; the layouts are equal, so either one may win.
        return Interlocked.CompareExchange(ref _offsetWeights, offset, null) ?? offset;
    }

    /// <summary>For every packed byte, its four weights + 1 as little-endian bytes. Code → weight + 1:
    /// 00 → 1, 01 → 2, 11 → 0 (10 never occurs in a built matrix).</summary>
    private static readonly uint[] OffsetBytes = Enumerable.Range(0, 256)
        .Select(b => (uint)Enumerable.Range(0, 4).Sum(j => (((b >> (2 * j)) + 1) & 3) << (8 * j))).ToArray();

    private delegate void RowAction<T>(int row, ReadOnlySpan<T> values);

    /// <summary>Runs <paramref name="action"/> on every row of a row-major [rows, cols] span, in parallel for large matrices.</summary>
    private static unsafe void ParallelRows<T>(int rows, int cols, ReadOnlySpan<T> values, RowAction<T> action) where T : unmanaged
    {
        fixed (T* p = values)
        {
            nint address = (nint)p;
            void Run(int o) => action(o, new ReadOnlySpan<T>((T*)address + (long)o * cols, cols));
            if ((long)rows * cols < (1 << 20)) for (int o = 0; o < rows; o++) Run(o);
            else Parallel.For(0, rows, Run);
        }
    }

    /// <summary>Quantizes float weights [rows, cols] (row-major): beta over the whole tensor, then
    /// Wt = clamp(round(W / beta), -1, 1) (docs/numerics.md). Weights must be finite.</summary>
    public static TernaryMatrix Quantize(ReadOnlySpan<float> weights, int rows, int cols, WeightScaleMethod method, string name = "")
    {
        if (rows < 1 || cols < 1 || weights.Length != (long)rows * cols)
            throw new ArgumentException($"{weights.Length} weights for [{rows}, {cols}]", nameof(weights));
        float beta = BitNetQuant.WeightScale(weights, method);
        var t = new sbyte[weights.Length];
        // Elementwise, so splitting by rows gives the same values as one call over the whole tensor.
        ParallelRows(rows, cols, weights, (o, row) => BitNetQuant.TernarizeWeights(row, beta, t.AsSpan(o * cols, cols)));
        CheckShape(rows, cols, beta);
        return Pack(t, rows, cols, beta, name);
    }

    /// <summary>From given ternary values [rows, cols] (each -1, 0 or +1, row-major) and a scale.</summary>
    /// <param name="rowPairs">Keep the codes in the <see cref="RowPairLayout"/> order only (as <see cref="ToRowPairs"/>, without the row-order copy).</param>
    public static TernaryMatrix FromTernary(ReadOnlySpan<sbyte> values, int rows, int cols, float scale, string name = "", bool rowPairs = false)
    {
        CheckShape(rows, cols, scale);
        if (values.Length != (long)rows * cols)
            throw new ArgumentException($"{values.Length} values for [{rows}, {cols}]", nameof(values));
        for (int i = 0; i < values.Length; i++)
            if (values[i] is < -1 or > 1)
                throw new ArgumentOutOfRangeException(nameof(values), values[i], $"{(name.Length > 0 ? name + ": " : "")}element {i} is not ternary");
        var m = Pack(values, rows, cols, scale, name);
        return rowPairs ? Owning(m._packed!, rows, cols, scale, name, rowPairs: true) : m;
    }

    /// <summary>From row-packed 2-bit codes as laid out in <see cref="Packed"/> (copied and checked: no code 10, zero padding).</summary>
    public static TernaryMatrix FromPacked(ReadOnlySpan<byte> packed, int rows, int cols, float scale, string name = "")
    {
        CheckPacked(packed, rows, cols, scale);
        return new TernaryMatrix(rows, cols, scale, packed.ToArray(), name);
    }

    /// <summary>
    /// As <see cref="FromPacked(ReadOnlySpan{byte}, int, int, float, string)"/>, but the matrix takes
    /// <paramref name="packed"/> itself instead of a copy: for loaders that decode a file straight
    /// into the final codes, so a large model is never held twice. The caller must not modify the
    /// array afterwards.
    /// </summary>
    public static TernaryMatrix FromPackedOwned(byte[] packed, int rows, int cols, float scale, string name = "", bool rowPairs = false)
    {
        CheckPacked(packed, rows, cols, scale);
        return Owning(packed, rows, cols, scale, name, rowPairs);
    }

    /// <summary>A matrix holding <paramref name="packed"/> (checked codes in row order) itself, reordered in place into row pairs when asked.</summary>
    private static TernaryMatrix Owning(byte[] packed, int rows, int cols, float scale, string name, bool rowPairs)
    {
        if (!rowPairs) return new TernaryMatrix(rows, cols, scale, packed, name);
        RowPairLayout.Interleave(packed, rows, TernaryCode.PackedLength(cols));
        return new TernaryMatrix(rows, cols, scale, null, name, packed);
    }

    /// <summary>The same matrix holding its codes in the <see cref="RowPairLayout"/> order only (a reordered copy; this matrix unchanged).</summary>
    public TernaryMatrix ToRowPairs()
    {
        if (RowPairs is not null && _packed is null) return this;
        var pairs = RowPairs?.AsSpan().ToArray() ?? Packed.AsSpan().ToArray();
        if (RowPairs is null) RowPairLayout.Interleave(pairs, Rows, RowStrideBytes);
        return new TernaryMatrix(Rows, Cols, Scale, null, Name, pairs) { _offsetWeights = _offsetWeights };
    }

    /// <summary>Shape, length, no code 10 anywhere (eight bytes at a time), zero padding after each row's last weight.</summary>
    private static void CheckPacked(ReadOnlySpan<byte> packed, int rows, int cols, float scale)
    {
        CheckShape(rows, cols, scale);
        int stride = TernaryCode.PackedLength(cols);
        if (packed.Length != checked(rows * stride))
            throw new ArgumentException($"{packed.Length} packed bytes, {rows * stride} expected for [{rows}, {cols}]", nameof(packed));
        // A field is 10 when its high bit is set and its low bit clear. Padding fields are 00, so
        // scanning whole bytes (padding included) finds exactly the invalid weights.
        const ulong lowBits = 0x5555555555555555;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(packed);
        int i = 0;
        for (; i < words.Length; i++)
            if (((words[i] >> 1) & ~words[i] & lowBits) != 0) break;
        for (int b = 8 * i; b < packed.Length; b++)
            for (int f = 0; f < 4; f++)
                if (((packed[b] >> (2 * f)) & 3) == TernaryCode.Invalid)
                    TernaryCode.Decode(TernaryCode.Invalid, (long)b / stride * cols + 4 * (b % stride) + f);
        int tailBits = 2 * (cols & 3);
        if (tailBits == 0) return;
        for (int o = 0; o < rows; o++)
            if ((packed[o * stride + stride - 1] >> tailBits) != 0)
                throw new InvalidDataException($"packed ternary data has non-zero padding bits after weight {(long)o * cols + cols - 1} (row {o})");
    }

    /// <summary>The same weights with another scale (e.g. a file's extra per-tensor factor); shares the codes and the compute layout.</summary>
    public TernaryMatrix WithScale(float scale)
    {
        CheckShape(Rows, Cols, scale);
        return new TernaryMatrix(Rows, Cols, scale, _packed, Name, RowPairs) { _offsetWeights = _offsetWeights };
    }

    /// <summary>The weight at [row, col]: -1, 0 or +1.</summary>
    public sbyte Get(int row, int col)
    {
        int stride = RowStrideBytes, j = col >> 2;
        byte b = InRowOrder(row) ? (_packed ?? RowPairs!)[(long)row * stride + j]
            : RowPairs![(long)(row & ~1) * stride + RowPairLayout.Offset(stride, (row & 1) == 1, j)];
        return TernaryCode.Decode(b >> (2 * (col & 3)), (long)row * Cols + col);
    }

    /// <summary>All weights as sbyte -1/0/+1, row-major [Rows, Cols].</summary>
    public sbyte[] ToValues()
    {
        var v = new sbyte[checked(Rows * Cols)];
        int cols = Cols;
        void Row(int o)
        {
            ReadOnlySpan<byte> src = RowCodes(o);
            Span<sbyte> dst = v.AsSpan(o * cols, cols);
            // A built matrix holds only valid codes; a 2-bit code sign-extended is its weight (TernaryCode).
            for (int k = 0; k < cols; k++) dst[k] = (sbyte)((sbyte)(src[k >> 2] << (6 - 2 * (k & 3))) >> 6);
        }
        if ((long)Rows * cols < (1 << 20)) for (int o = 0; o < Rows; o++) Row(o);
        else Parallel.For(0, Rows, Row);
        return v;
    }
}
