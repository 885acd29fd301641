using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>
/// A full-precision matrix [Rows, Cols] kept in its file type (F32, F16 or BF16 bit patterns) so a
/// 2B-parameter embedding is not doubled in memory. Used for the token embedding and the lm_head.
/// <see cref="Dot"/> fixes its float32 summation order (8 running lanes over blocks of 8 columns,
/// lanes added 0..7, then the remaining columns in order), so every caller gets the same bits.
/// </summary>
public sealed class FloatMatrix
{
    public string Name { get; }
    internal GgmlType Type { get; }
    public int Rows { get; }
    public int Cols { get; }
    private static readonly float TwoPow112 = BitConverter.Int32BitsToSingle((127 + 112) << 23);
    private readonly float[]? _f32;
    private readonly ushort[]? _u16;

    internal FloatMatrix(string name, GgmlType type, int rows, int cols, float[]? f32, ushort[]? u16)
    {
        if (type == GgmlType.F32 ? f32?.Length != (long)rows * cols : u16?.Length != (long)rows * cols)
            throw new ArgumentException($"{name}: storage does not match {rows}x{cols} {type}");
        (Name, Type, Rows, Cols, _f32, _u16) = (name, type, rows, cols, f32, u16);
    }

    public float Get(int row, int col)
    {
        long i = (long)row * Cols + col;
        return Type switch
        {
            GgmlType.F32 => _f32![i],
            GgmlType.F16 => Float16.HalfToSingle(_u16![i]),
            GgmlType.BF16 => Float16.BFloat16ToSingle(_u16![i]),
            _ => throw new System.Diagnostics.UnreachableException(Type.ToString()),
        };
    }

    public void CopyRow(int row, Span<float> dst)
    {
        for (int c = 0; c < Cols; c++) dst[c] = Get(row, c);
    }

    public float Dot(int row, ReadOnlySpan<float> x)
    {
        long start = (long)row * Cols;
        int blocks = Cols / 8;
        var xv = MemoryMarshal.Cast<float, Vector256<float>>(x[..(blocks * 8)]);
        var acc = Vector256<float>.Zero;
        if (Type == GgmlType.F32)
        {
            var wv = MemoryMarshal.Cast<float, Vector256<float>>(_f32.AsSpan((int)start, blocks * 8));
            for (int b = 0; b < blocks; b++) acc += wv[b] * xv[b];
        }
        else
        {
            var hv = MemoryMarshal.Cast<ushort, Vector128<ushort>>(_u16.AsSpan((int)start, blocks * 8));
            bool half = Type == GgmlType.F16;
            for (int b = 0; b < blocks; b++) acc += Widen(hv[b], half) * xv[b];
        }
        float sum = 0;
        for (int l = 0; l < 8; l++) sum += acc[l];
        for (int c = blocks * 8; c < Cols; c++) sum += Get(row, c) * x[c];
        return sum;
    }

    /// <summary>
    /// Eight fp16 or bf16 values to float32, exactly. For fp16 (finite; the loader rejects the
    /// rest): exponent and mantissa move into float position and are rescaled by 2^112 (subnormal
    /// halves land on float subnormals and scale exactly), then the sign is put back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen(Vector128<ushort> v, bool half)
    {
        Vector256<uint> h = Avx2.IsSupported
            ? Avx2.ConvertToVector256Int32(v).AsUInt32()
            : Vector256.Create(Vector128.WidenLower(v), Vector128.WidenUpper(v));
        if (!half) return Vector256.ShiftLeft(h, 16).AsSingle();
        var mag = Vector256.ShiftLeft(h & Vector256.Create(0x7FFFu), 13).AsSingle() * Vector256.Create(TwoPow112);
        return (mag.AsUInt32() | Vector256.ShiftLeft(h & Vector256.Create(0x8000u), 16)).AsSingle();
    }
}
