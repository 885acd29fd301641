using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Formats;

/// <summary>
/// The lm_head's dot products over rows of F32, F16 or BF16 bit patterns, in the one float32 order
/// of the numerics contract (docs/model.md): eight running lanes, lane l summing w[8b + l]·x[8b + l]
/// over b in order (each product rounded to float32, then added), the lanes added 0..7 to 0, then
/// the columns after the last whole block in order. Four rows are computed together so that four
/// independent additions are in flight (one chain is bound by the add latency, not by memory); that
/// changes the schedule, not any row's order, so the bits are those of one row at a time.
/// <para>fp16 widens exactly without a conversion instruction (.NET has no F16C intrinsic): the half
/// sign-extended to 32 bits and shifted left by 13 puts the exponent and mantissa in float position
/// and copies of the sign in bits 28..31; masking with 0x8FFFE000 keeps the sign in bit 31, and the
/// product with 2^112 rebias the exponent (halves with exponent 0 land on float subnormals and scale
/// exactly). bf16 is the top half of a float.</para>
/// </summary>
internal static unsafe class FloatDot
{
    public static float Element(GgmlType type, byte* data, long i) => type switch
    {
        GgmlType.F32 => ((float*)data)[i],
        GgmlType.F16 => F16.Scalar(data + 2 * i),
        GgmlType.BF16 => BF16.Scalar(data + 2 * i),
        _ => throw new UnreachableException(type.ToString()),
    };

    /// <summary>
    /// y[r − r0] = row r · x for r in [r0, r1) of the matrix at <paramref name="data"/> with
    /// <paramref name="cols"/> columns. Rows below <paramref name="quadRows"/> (a multiple of 4; r0 too
    /// when r0 &lt; quadRows) are stored in quads (<see cref="QuadIndex"/>); the rest in row order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(GgmlType type, byte* data, int cols, float* x, float* y, int r0, int r1, int quadRows = 0)
    {
        int q1 = Math.Min(r1, quadRows);
        if (r0 < q1)
        {
            Debug.Assert(type == GgmlType.F16 && (r0 & 3) == 0 && (q1 & 3) == 0);
            float* xs = Avx512F.IsSupported ? ScaledInput(x, cols) : null;
            if (xs != null) F16QuadsAvx512(data, cols, x, xs, y, r0, q1);
            else QuadRows<F16>(data, cols, x, y, r0, q1);
            if (q1 < r1) Rows(type, data, cols, x, y + (q1 - r0), q1, r1);
            return;
        }
        switch (type)
        {
            case GgmlType.F32: Rows<F32>(data, cols, x, y, r0, r1); break;
            case GgmlType.F16:
                float* xs = Avx512F.IsSupported && r1 - r0 >= 4 ? ScaledInput(x, cols) : null;
                int done = xs == null ? 0 : F16PairsAvx512(data, cols, x, xs, y, r0, r1);
                Rows<F16>(data, cols, x, y + done, r0 + done, r1);
                break;
            case GgmlType.BF16: Rows<BF16>(data, cols, x, y, r0, r1); break;
            default: throw new UnreachableException(type.ToString());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<T>(byte* data, int cols, float* x, float* y, int r0, int r1) where T : struct, IWiden
    {
        long rowBytes = (long)cols * T.Bytes;
        int blocks = cols / 8;
        float* lanes = stackalloc float[32];
        int r = r0;
        for (; r + 4 <= r1; r += 4)
        {
            byte* p = data + r * rowBytes;
            Blocks4<T>(p, rowBytes, 8L * T.Bytes, x, blocks, lanes);
            for (int j = 0; j < 4; j++) y[r - r0 + j] = Finish<T>(Vector256.Load(lanes + 8 * j), p + j * rowBytes, blocks, cols, x);
        }
        for (; r < r1; r++)
        {
            byte* p = data + r * rowBytes;
            y[r - r0] = Finish<T>(Blocks1<T>(p, x, blocks), p, blocks, cols, x);
        }
    }

    /// <summary>
    /// The block loop of the four-row kernels: row j's running lanes over its blocks b at
    /// <paramref name="p"/> + j·<paramref name="rowStep"/> + b·<paramref name="blockStep"/>, stored to
    /// lanes[8j..8j + 7]. A method of its own that calls nothing, as the AVX-512 ones (<see cref="F16BlocksAvx512"/>):
    /// in the method that also finishes the rows the JIT kept three of the four accumulators on the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Blocks4<T>(byte* p, long rowStep, long blockStep, float* x, int blocks, float* lanes) where T : struct, IWiden
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* p1 = p + rowStep, p2 = p + 2 * rowStep, p3 = p + 3 * rowStep;
        for (int b = 0; b < blocks; b++)
        {
            var xv = Vector256.Load(x + 8 * b);
            long at = b * blockStep;
            a0 += T.Load(p + at) * xv;
            a1 += T.Load(p1 + at) * xv;
            a2 += T.Load(p2 + at) * xv;
            a3 += T.Load(p3 + at) * xv;
        }
        a0.Store(lanes);
        a1.Store(lanes + 8);
        a2.Store(lanes + 16);
        a3.Store(lanes + 24);
    }

    /// <summary>As <see cref="Blocks4{T}"/> for one row in row order; returns its lanes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> Blocks1<T>(byte* p, float* x, int blocks) where T : struct, IWiden
    {
        Vector256<float> a = default;
        for (int b = 0; b < blocks; b++) a += T.Load(p + 8L * b * T.Bytes) * Vector256.Load(x + 8 * b);
        return a;
    }

    /// <summary>This thread's copy of x·2^112, or null when some |x| ≥ 2^15 (the product could overflow).</summary>
    [ThreadStatic] private static float[]? _scaled;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float* ScaledInput(float* x, int cols)
    {
        if (_scaled is null || _scaled.Length < cols) _scaled = GC.AllocateUninitializedArray<float>(cols, pinned: true);
        float* xs = (float*)Unsafe.AsPointer(ref _scaled[0]);
        for (int c = 0; c < cols; c++)
        {
            if (!(MathF.Abs(x[c]) < 32768f)) return null;
            xs[c] = x[c] * TwoPow112;
        }
        return xs;
    }

    /// <summary>
    /// fp16 rows four at a time with AVX-512, two rows per 512-bit register (row r in the low eight
    /// lanes, row r + 1 in the high eight), each half summing exactly as <see cref="Rows{T}"/>'s
    /// eight lanes do. The 2^112 of the widening is moved into x: the masked half bits as a float are
    /// h·2^−112 exactly and <paramref name="xs"/> holds x·2^112 exactly (|x| &lt; 2^15), so their
    /// product is the same real number h·x and rounds to the same float. Returns the rows done (a
    /// multiple of 4); the caller finishes the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int F16PairsAvx512(byte* data, int cols, float* x, float* xs, float* y, int r0, int r1)
    {
        long rowBytes = 2L * cols;
        int blocks = cols / 8;
        float* lanes = stackalloc float[32];
        int r = r0;
        for (; r + 4 <= r1; r += 4)
        {
            byte* p = data + r * rowBytes;
            F16BlocksAvx512(p, rowBytes, 16, xs, blocks, lanes);
            for (int j = 0; j < 4; j++) y[r - r0 + j] = Finish<F16>(Vector256.Load(lanes + 8 * j), p + j * rowBytes, blocks, cols, x);
        }
        return r - r0;
    }

    /// <summary>
    /// The block loop of the AVX-512 fp16 kernels: the eight running lanes of rows j = 0..3, whose
    /// block b (eight halves) is at <paramref name="p"/> + j·<paramref name="rowStep"/> + b·<paramref name="blockStep"/>
    /// (rows in order: rowStep the row's bytes, blockStep 16; a quad: 16 and 64), stored to lanes[8j..8j + 7].
    /// A method of its own that calls nothing: with the rows' finishing loop (which calls the scalar
    /// half conversion) in the same method the JIT kept both accumulators and x's broadcast on the
    /// stack across the block loop, a 64-byte store and reload per block whose speed then depended
    /// on where the stack happened to lie (2× between runs of one build, measured on Zen 4).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void F16BlocksAvx512(byte* p, long rowStep, long blockStep, float* xs, int blocks, float* lanes)
    {
        var mask = Vector512.Create(unchecked((int)0x8FFFE000));
        Vector512<float> a01 = default, a23 = default;
        byte* p1 = p + rowStep, p2 = p + 2 * rowStep, p3 = p + 3 * rowStep;
        for (int b = 0; b < blocks; b++)
        {
            var x2 = Avx512F.BroadcastVector256ToVector512((double*)(xs + 8 * b)).AsSingle();
            long at = b * blockStep;
            var h01 = Vector256.Create(Vector128.Load((short*)(p + at)), Vector128.Load((short*)(p1 + at)));
            var h23 = Vector256.Create(Vector128.Load((short*)(p2 + at)), Vector128.Load((short*)(p3 + at)));
            a01 += (Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(h01), 13) & mask).AsSingle() * x2;
            a23 += (Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(h23), 13) & mask).AsSingle() * x2;
        }
        a01.Store(lanes);
        a23.Store(lanes + 16);
    }

    /// <summary>The lanes added in order to 0, then the remaining columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish<T>(Vector256<float> lanes, byte* row, int blocks, int cols, float* x) where T : struct, IWiden =>
        FinishTail<T>(lanes, row + 8L * blocks * T.Bytes, blocks, cols, x);

    /// <summary>As <see cref="Finish{T}"/> with the row's columns after its whole blocks at <paramref name="tail"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float FinishTail<T>(Vector256<float> lanes, byte* tail, int blocks, int cols, float* x) where T : struct, IWiden
    {
        float sum = 0;
        for (int l = 0; l < 8; l++) sum += lanes.GetElement(l);
        for (int c = blocks * 8; c < cols; c++) sum += T.Scalar(tail + (long)(c - blocks * 8) * T.Bytes) * x[c];
        return sum;
    }

    /// <summary>
    /// The element index of [row, col] when rows below <paramref name="quadRows"/> are kept in
    /// quads: rows 4k..4k+3 share elements [4k·cols, 4k·cols + 4·cols), block b (columns 8b..8b+7)
    /// of the four rows in turn (32 elements), then the four rows' last cols mod 8 columns in turn.
    /// A four-row dot product then reads one front-to-back stream instead of four streams a row
    /// apart (measured 2× per CPU-second for the AVX-512 fp16 kernel on a Zen 4 core).
    /// </summary>
    public static long QuadIndex(int cols, int quadRows, long row, int col)
    {
        if (row >= quadRows) return row * cols + col;
        int blocks = cols / 8, j = (int)(row & 3);
        long quad = (row & ~3L) * cols;
        return col < 8 * blocks ? quad + 32L * (col / 8) + 8 * j + col % 8 : quad + 32L * blocks + (long)(cols - 8 * blocks) * j + (col - 8 * blocks);
    }

    /// <summary>As <see cref="Rows{T}"/>'s four-row loop for rows [r0, r1) kept in quads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void QuadRows<T>(byte* data, int cols, float* x, float* y, int r0, int r1) where T : struct, IWiden
    {
        int blocks = cols / 8, tail = cols - 8 * blocks;
        long block = 8L * T.Bytes;
        float* lanes = stackalloc float[32];
        for (int r = r0; r < r1; r += 4)
        {
            byte* p = data + (long)r * cols * T.Bytes;
            Blocks4<T>(p, block, 4 * block, x, blocks, lanes);
            byte* tails = p + 4 * block * blocks;
            for (int j = 0; j < 4; j++) y[r - r0 + j] = FinishTail<T>(Vector256.Load(lanes + 8 * j), tails + j * (long)tail * T.Bytes, blocks, cols, x);
        }
    }

    /// <summary>As <see cref="F16PairsAvx512"/> for rows [r0, r1) kept in quads: 64 contiguous bytes per block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void F16QuadsAvx512(byte* data, int cols, float* x, float* xs, float* y, int r0, int r1)
    {
        int blocks = cols / 8, tail = cols - 8 * blocks;
        float* lanes = stackalloc float[32];
        for (int r = r0; r < r1; r += 4)
        {
            byte* p = data + 2L * r * cols;
            F16BlocksAvx512(p, 16, 64, xs, blocks, lanes);
            byte* tails = p + 64L * blocks;
            for (int j = 0; j < 4; j++) y[r - r0 + j] = FinishTail<F16>(Vector256.Load(lanes + 8 * j), tails + 2L * j * tail, blocks, cols, x);
        }
    }

    private interface IWiden
    {
        static abstract int Bytes { get; }
        /// <summary>Eight elements at <paramref name="p"/> as float32, exactly.</summary>
        static abstract Vector256<float> Load(byte* p);
        static abstract float Scalar(byte* p);
    }

    private readonly struct F32 : IWiden
    {
        public static int Bytes => 4;
        public static Vector256<float> Load(byte* p) => Vector256.Load((float*)p);
        public static float Scalar(byte* p) => *(float*)p;
    }

    private readonly struct F16 : IWiden
    {
        public static int Bytes => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(byte* p)
        {
            Vector256<int> s = Avx2.IsSupported
                ? Avx2.ConvertToVector256Int32((short*)p)
                : Vector256.Create(Vector128.WidenLower(Vector128.Load((short*)p)), Vector128.WidenUpper(Vector128.Load((short*)p)));
            var bits = Vector256.ShiftLeft(s, 13) & Vector256.Create(unchecked((int)0x8FFFE000));
            return bits.AsSingle() * Vector256.Create(TwoPow112);
        }

        public static float Scalar(byte* p) => (float)BitConverter.UInt16BitsToHalf(*(ushort*)p);
    }

    private readonly struct BF16 : IWiden
    {
        public static int Bytes => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(byte* p)
        {
            Vector256<uint> h = Avx2.IsSupported
                ? Avx2.ConvertToVector256Int32((ushort*)p).AsUInt32()
                : Vector256.Create(Vector128.WidenLower(Vector128.Load((ushort*)p)), Vector128.WidenUpper(Vector128.Load((ushort*)p)));
            return Vector256.ShiftLeft(h, 16).AsSingle();
        }

        public static float Scalar(byte* p) => BitConverter.Int32BitsToSingle(*(ushort*)p << 16);
    }

    private const float TwoPow112 = 5.192296858534828e33f; // 2^112, exact
}
