using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bit1HW.Core.IO;

/// <summary>The element types we read and write; names are the safetensors dtype strings.</summary>
public enum SafeTensorDType { F64, F32, F16, BF16, I64, I32, I16, I8, U8 }

/// <summary>Names and element sizes of the safetensors dtypes.</summary>
public static class SafeTensorDTypes
{
    public static int ElementBytes(this SafeTensorDType t) => t switch
    {
        SafeTensorDType.F64 or SafeTensorDType.I64 => 8,
        SafeTensorDType.F32 or SafeTensorDType.I32 => 4,
        SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.I16 => 2,
        SafeTensorDType.I8 or SafeTensorDType.U8 => 1,
        _ => throw new UnreachableException($"dtype {t}"),
    };

    public static string Name(this SafeTensorDType t) => t.ToString();

    public static bool TryParse(string name, out SafeTensorDType dtype)
    {
        foreach (SafeTensorDType t in Enum.GetValues<SafeTensorDType>())
            if (string.Equals(t.ToString(), name, StringComparison.Ordinal)) { dtype = t; return true; }
        dtype = default;
        return false;
    }

    /// <summary>bfloat16 → float32 is exact: the 16 bits are the top half of the float32 pattern.</summary>
    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>float32 → bfloat16 with round-to-nearest-even on the 16 dropped bits; a NaN stays a
    /// (quiet) NaN with its sign, infinities stay infinities, and values past the largest bfloat16
    /// round to infinity exactly as IEEE rounding does.</summary>
    public static ushort SingleToBFloat16(float value)
    {
        uint bits = (uint)BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        uint lsb = (bits >> 16) & 1;
        return (ushort)((bits + 0x7FFFu + lsb) >> 16);
    }
}

/// <summary>
/// One named tensor: dtype, shape and its little-endian bytes exactly as stored in the file.
/// Typed views convert on demand; <see cref="ToSingles"/> accepts only the dtypes whose values
/// float32 holds exactly (F32, F16, BF16).
/// </summary>
public sealed class SafeTensor
{
    public string Name { get; }
    public SafeTensorDType DType { get; }
    public IReadOnlyList<long> Shape { get; }
    private readonly byte[]? _data;
    /// <summary>For a tensor of a file opened with <see cref="SafeTensorsFile.Open"/>: reads its bytes from the file into the span.</summary>
    private readonly Action<Span<byte>>? _read;

    /// <summary>
    /// The bytes. A tensor of a file opened with <see cref="SafeTensorsFile.Open"/> reads them from the
    /// file on every access and does not keep them, so a loader that converts tensor by tensor never
    /// holds the whole file; <see cref="CopyTo"/> reads them straight into a buffer of the caller's.
    /// </summary>
    public byte[] Data
    {
        get
        {
            if (_data is not null) return _data;
            var bytes = new byte[ByteLength];
            _read!(bytes);
            return bytes;
        }
    }

    /// <summary>The number of bytes of <see cref="Data"/>.</summary>
    public long ByteLength { get; }

    public SafeTensor(string name, SafeTensorDType dtype, IReadOnlyList<long> shape, byte[] data)
        : this(name, dtype, shape, data.LongLength)
    {
        _data = data;
    }

    /// <summary>A tensor whose <paramref name="byteLength"/> bytes <paramref name="read"/> fetches into a span of that length when asked.</summary>
    internal SafeTensor(string name, SafeTensorDType dtype, IReadOnlyList<long> shape, long byteLength, Action<Span<byte>> read)
        : this(name, dtype, shape, byteLength)
    {
        _read = read;
    }

    private SafeTensor(string name, SafeTensorDType dtype, IReadOnlyList<long> shape, long byteLength)
    {
        if (shape.Any(d => d < 0)) throw new ArgumentException($"tensor '{name}': negative dimension", nameof(shape));
        long count = ElementCount(shape);
        if (checked(count * dtype.ElementBytes()) != byteLength)
            throw new ArgumentException($"tensor '{name}': {byteLength} bytes for {count} {dtype} elements", "data");
        Name = name;
        DType = dtype;
        Shape = shape.ToArray();
        ByteLength = byteLength;
    }

    /// <summary>Copies the bytes into <paramref name="destination"/> (exactly <see cref="ByteLength"/> long), from the file for an opened one.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length != ByteLength)
            throw new ArgumentException($"tensor '{Name}': a {destination.Length}-byte buffer for {ByteLength} bytes", nameof(destination));
        if (_data is not null) _data.CopyTo(destination);
        else _read!(destination);
    }

    public long Count => ElementCount(Shape);

    public static long ElementCount(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (long d in shape) n = checked(n * d);
        return n;
    }

    public string ShapeText => "[" + string.Join(", ", Shape.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    public static SafeTensor FromSingles(string name, long[] shape, ReadOnlySpan<float> values)
    {
        byte[] data;
        if (BitConverter.IsLittleEndian) data = MemoryMarshal.AsBytes(values).ToArray();
        else
        {
            data = new byte[checked(values.Length * 4)];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        }
        return new SafeTensor(name, SafeTensorDType.F32, shape, data);
    }

    /// <summary>Stores float32 values as bfloat16 (round-to-nearest-even) or float16 (IEEE, via <see cref="Half"/>).</summary>
    public static SafeTensor FromSinglesAs(string name, long[] shape, ReadOnlySpan<float> values, SafeTensorDType dtype)
    {
        if (dtype == SafeTensorDType.F32) return FromSingles(name, shape, values);
        var data = new byte[checked(values.Length * 2)];
        for (int i = 0; i < values.Length; i++)
        {
            ushort bits = dtype switch
            {
                SafeTensorDType.BF16 => SafeTensorDTypes.SingleToBFloat16(values[i]),
                SafeTensorDType.F16 => BitConverter.HalfToUInt16Bits((Half)values[i]),
                _ => throw new ArgumentException($"cannot store float32 values as {dtype}", nameof(dtype)),
            };
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), bits);
        }
        return new SafeTensor(name, dtype, shape, data);
    }

    public static SafeTensor FromSBytes(string name, long[] shape, ReadOnlySpan<sbyte> values) =>
        new(name, SafeTensorDType.I8, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static SafeTensor FromBytes(string name, long[] shape, ReadOnlySpan<byte> values) =>
        new(name, SafeTensorDType.U8, shape, values.ToArray());

    public static SafeTensor FromInt32s(string name, long[] shape, ReadOnlySpan<int> values)
    {
        var data = new byte[checked(values.Length * 4)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4 * i), values[i]);
        return new SafeTensor(name, SafeTensorDType.I32, shape, data);
    }

    /// <summary>The values as float32; F16 and BF16 widen exactly. Other dtypes are a user error naming the tensor.</summary>
    public float[] ToSingles(string file)
    {
        var result = new float[checked((int)Count)];
        ReadOnlySpan<byte> d = Data;
        switch (DType)
        {
            case SafeTensorDType.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(d).CopyTo(result);
                break;
            case SafeTensorDType.F32:
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(d[(4 * i)..]);
                break;
            case SafeTensorDType.F16:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(d[(2 * i)..]);
                break;
            case SafeTensorDType.BF16:
                for (int i = 0; i < result.Length; i++) result[i] = SafeTensorDTypes.BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(d[(2 * i)..]));
                break;
            default:
                throw new UserInputException($"{file}: tensor '{Name}'", $"dtype {DType} is not a float type float32 holds exactly (F32, F16, BF16 accepted)");
        }
        return result;
    }

    public sbyte[] ToSBytes(string file) => DType == SafeTensorDType.I8
        ? MemoryMarshal.Cast<byte, sbyte>(Data).ToArray()
        : throw new UserInputException($"{file}: tensor '{Name}'", $"dtype {DType}, I8 expected");

    public int[] ToInt32s(string file)
    {
        if (DType != SafeTensorDType.I32) throw new UserInputException($"{file}: tensor '{Name}'", $"dtype {DType}, I32 expected");
        var r = new int[Count];
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(4 * i));
        return r;
    }
}
