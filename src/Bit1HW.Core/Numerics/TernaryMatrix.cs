namespace Bit1HW.Core.Numerics;

/// <summary>
/// A ternary weight matrix [Rows = out features, Cols = in features = K] with one per-tensor scale
/// beta. The canonical storage is <see cref="Packed"/>: each row packed on its own with
/// <see cref="TernaryCode"/> (row o occupies bytes [o·RowStrideBytes, (o+1)·RowStrideBytes), the
/// last byte of a row zero-padded), which is what files and hardware memories hold. A second,
/// compute layout (weight + 1 as a byte, rows padded to 32) feeds the integer GEMM.
/// </summary>
public sealed class TernaryMatrix
{
    /// <summary>Alignment of a row in the compute layout: one 256-bit vector of bytes.</summary>
    internal const int ComputeAlign = 32;

    public int Rows { get; }
    public int Cols { get; }
    public float Scale { get; }
    public int RowStrideBytes { get; }
    public byte[] Packed { get; }

    /// <summary>Weight + 1 ∈ {0, 1, 2} per element, row-major with <see cref="ComputeStride"/>; padding is 0.</summary>
    internal byte[] OffsetWeights { get; }
    internal int ComputeStride { get; }

    private TernaryMatrix(int rows, int cols, float scale, ReadOnlySpan<sbyte> values)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "at least one output row");
        if (cols < 1) throw new ArgumentOutOfRangeException(nameof(cols), cols, "K must be at least 1");
        if (values.Length != checked(rows * cols)) throw new ArgumentException($"{values.Length} values for [{rows}, {cols}]", nameof(values));
        if (!float.IsFinite(scale) || scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale), scale, "a finite positive scale");
        Rows = rows;
        Cols = cols;
        Scale = scale;
        RowStrideBytes = TernaryCode.PackedLength(cols);
        Packed = new byte[checked(rows * RowStrideBytes)];
        ComputeStride = (cols + ComputeAlign - 1) / ComputeAlign * ComputeAlign;
        OffsetWeights = new byte[checked((long)rows * ComputeStride)];
        ParallelRows(rows, cols, values, (o, row) =>
        {
            Span<byte> packedRow = Packed.AsSpan(o * RowStrideBytes, RowStrideBytes);
            Span<byte> dst = OffsetWeights.AsSpan(o * ComputeStride, cols);
            for (int k = 0; k < cols; k++)
            {
                // The 2-bit code of w ∈ {-1, 0, 1} is its low two bits (TernaryCode); callers guarantee ternary values.
                packedRow[k >> 2] |= (byte)((row[k] & 3) << (2 * (k & 3)));
                dst[k] = (byte)(row[k] + 1);
            }
        });
    }

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
    public static TernaryMatrix Quantize(ReadOnlySpan<float> weights, int rows, int cols, WeightScaleMethod method)
    {
        if (rows < 1 || cols < 1 || weights.Length != (long)rows * cols)
            throw new ArgumentException($"{weights.Length} weights for [{rows}, {cols}]", nameof(weights));
        float beta = BitNetQuant.WeightScale(weights, method);
        var t = new sbyte[weights.Length];
        // Elementwise, so splitting by rows gives the same values as one call over the whole tensor.
        ParallelRows(rows, cols, weights, (o, row) => BitNetQuant.TernarizeWeights(row, beta, t.AsSpan(o * cols, cols)));
        return new TernaryMatrix(rows, cols, beta, t);
    }

    /// <summary>From given ternary values (each -1, 0 or +1) and a scale.</summary>
    public static TernaryMatrix FromTernary(ReadOnlySpan<sbyte> values, int rows, int cols, float scale)
    {
        for (int i = 0; i < values.Length; i++)
            if (values[i] is < -1 or > 1)
                throw new ArgumentOutOfRangeException(nameof(values), values[i], $"element {i} is not ternary");
        return new TernaryMatrix(rows, cols, scale, values);
    }

    /// <summary>From row-packed 2-bit codes as laid out in <see cref="Packed"/>.</summary>
    public static TernaryMatrix FromPacked(ReadOnlySpan<byte> packed, int rows, int cols, float scale)
    {
        int stride = TernaryCode.PackedLength(cols);
        if (packed.Length != checked(rows * stride))
            throw new ArgumentException($"{packed.Length} packed bytes, {rows * stride} expected for [{rows}, {cols}]", nameof(packed));
        var values = new sbyte[checked(rows * cols)];
        for (int o = 0; o < rows; o++)
            TernaryCode.Unpack(packed.Slice(o * stride, stride), cols).CopyTo(values.AsSpan(o * cols));
        return new TernaryMatrix(rows, cols, scale, values);
    }

    public sbyte Get(int row, int col) => (sbyte)(OffsetWeights[row * ComputeStride + col] - 1);

    /// <summary>All weights as sbyte -1/0/+1, row-major [Rows, Cols].</summary>
    public sbyte[] ToValues()
    {
        var v = new sbyte[checked(Rows * Cols)];
        for (int o = 0; o < Rows; o++)
            for (int k = 0; k < Cols; k++)
                v[o * Cols + k] = (sbyte)(OffsetWeights[o * ComputeStride + k] - 1);
        return v;
    }
}
