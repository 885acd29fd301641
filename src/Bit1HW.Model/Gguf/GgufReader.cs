using System.Text;
using Bit1HW.Core;

namespace Bit1HW.Model.Gguf;

/// <summary>
/// Reads a GGUF v2 or v3 (little-endian) header: magic, version, tensor and key/value counts, the
/// metadata, the tensor infos and the data section offset (general.alignment, default 32). Every
/// read is bounds-checked against the file length, so a truncated or corrupted file is a
/// <see cref="UserInputException"/> naming the file, the byte offset and what was being read;
/// nothing is allocated from a count before the bytes for it are known to exist.
/// </summary>
internal sealed class GgufReader
{
    private const int MaxDims = 4;
    private const int MaxArrayDepth = 4;
    private const long MaxDim = 1L << 40;

    private readonly Stream _s;
    private readonly string _name;
    private readonly long _length;
    private readonly byte[] _buf = new byte[8];
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private GgufReader(Stream s, string name)
    {
        _s = s;
        _name = name;
        _length = s.Length;
    }

    public static GgufFile ReadFile(string path)
    {
        if (!File.Exists(path)) throw new UserInputException(path, "file not found");
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(fs, path);
    }

    public static GgufFile Read(Stream s, string name)
    {
        s.Position = 0;
        return new GgufReader(s, name).ReadHeader();
    }

    private UserInputException Bad(long offset, string problem) => new(_name, $"byte offset {offset}: {problem}");

    private GgufFile ReadHeader()
    {
        if (_length < 4 || U32("magic") != GgufFile.Magic)
            throw new UserInputException(_name, "not a GGUF file (the first 4 bytes are not \"GGUF\")");
        long at = _s.Position;
        uint version = U32("version");
        if (version is not (2 or 3))
            throw Bad(at, $"unsupported GGUF version {version} (supported: 2, 3; version 3 little-endian only)");
        long tensorCount = Count(U64("tensor count"), 8 + 4 + 4 + 8 + 8, "tensor count", at + 4);
        long kvCount = Count(U64("metadata count"), 8 + 4, "metadata count", at + 12);

        var metadata = new List<KeyValuePair<string, GgufValue>>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < kvCount; i++)
        {
            long keyAt = _s.Position;
            string key = Str("metadata key");
            if (!keys.Add(key)) throw Bad(keyAt, $"duplicate metadata key '{key}'");
            var type = ValueType($"type of '{key}'");
            metadata.Add(new(key, new GgufValue(type, Value(type, key, 0))));
        }

        uint alignment = GgufFile.DefaultAlignment;
        var alignValue = metadata.FirstOrDefault(kv => kv.Key == "general.alignment").Value;
        if (alignValue is not null)
        {
            if (alignValue.Value is not uint a || a == 0 || (a & (a - 1)) != 0)
                throw new UserInputException(_name, $"general.alignment must be a non-zero power of two uint32, got {alignValue}");
            alignment = a;
        }

        var infos = new List<(string Name, long[] Dims, GgmlType Type, long Offset, long At)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < tensorCount; i++)
            infos.Add(TensorInfo(names));

        long dataOffset = GgufFile.AlignUp(_s.Position, alignment);
        var tensors = new List<GgufTensorInfo>(infos.Count);
        foreach (var (name, dims, type, offset, infoAt) in infos)
            tensors.Add(Place(name, dims, type, offset, infoAt, alignment, dataOffset));

        return new GgufFile
        {
            Path = _name, Version = version, Metadata = metadata, Tensors = tensors,
            Alignment = alignment, DataOffset = dataOffset, FileLength = _length,
        };
    }

    private (string, long[], GgmlType, long, long) TensorInfo(HashSet<string> names)
    {
        long at = _s.Position;
        string name = Str("tensor name");
        if (!names.Add(name)) throw Bad(at, $"duplicate tensor '{name}'");
        long dimsAt = _s.Position;
        uint nDims = U32($"dimension count of tensor '{name}'");
        if (nDims is 0 or > MaxDims) throw Bad(dimsAt, $"tensor '{name}' has {nDims} dimensions (1..{MaxDims} allowed)");
        var dims = new long[nDims];
        for (int d = 0; d < nDims; d++)
        {
            long dAt = _s.Position;
            ulong v = U64($"dimension {d} of tensor '{name}'");
            if (v is 0 or > MaxDim) throw Bad(dAt, $"tensor '{name}' dimension {d} is {v} (1..2^40 allowed)");
            dims[d] = (long)v;
        }
        long typeAt = _s.Position;
        uint typeId = U32($"type of tensor '{name}'");
        if (!GgmlTypes.IsKnown(typeId))
            throw Bad(typeAt, $"tensor '{name}' has unknown or unsupported ggml type {typeId} (supported: F32=0, F16=1, BF16=30, TQ1_0=34, TQ2_0=35, I2_S=36)");
        ulong offset = U64($"data offset of tensor '{name}'");
        if (offset > (ulong)_length) throw Bad(typeAt + 4, $"tensor '{name}' data offset {offset} is past the end of the file ({_length} bytes)");
        return (name, dims, (GgmlType)typeId, (long)offset, at);
    }

    private GgufTensorInfo Place(string name, long[] dims, GgmlType type, long offset, long infoAt, uint alignment, long dataOffset)
    {
        long count, size;
        try
        {
            count = dims.Aggregate(1L, (a, d) => checked(a * d));
            size = GgmlTypes.ByteSize(type, dims[0], count, name);
        }
        catch (OverflowException) { throw Bad(infoAt, $"tensor '{name}' has more bytes than fit in 64 bits"); }
        if (offset % alignment != 0)
            throw Bad(dataOffset + offset, $"tensor '{name}' data offset {offset} is not a multiple of the alignment {alignment}");
        long start = dataOffset + offset;
        if (start > _length || size > _length - start)
            throw Bad(start, $"tensor '{name}' data ({size} bytes) runs past the end of the file ({_length} bytes)");
        return new GgufTensorInfo(name, dims, type, offset, size);
    }

    private long Count(ulong n, int minBytesEach, string what, long at)
    {
        if (n > (ulong)(_length / minBytesEach))
            throw Bad(at, $"{what} {n} cannot fit in a file of {_length} bytes");
        return (long)n;
    }

    private GgufValueType ValueType(string what)
    {
        long at = _s.Position;
        uint t = U32(what);
        if (t > (uint)GgufValueType.Float64) throw Bad(at, $"{what}: unknown GGUF value type {t}");
        return (GgufValueType)t;
    }

    private object Value(GgufValueType type, string key, int depth) => type switch
    {
        GgufValueType.UInt8 => Bytes(1, key)[0],
        GgufValueType.Int8 => (sbyte)Bytes(1, key)[0],
        GgufValueType.UInt16 => BitConverter.ToUInt16(Bytes(2, key)),
        GgufValueType.Int16 => BitConverter.ToInt16(Bytes(2, key)),
        GgufValueType.UInt32 => U32(key),
        GgufValueType.Int32 => BitConverter.ToInt32(Bytes(4, key)),
        GgufValueType.Float32 => BitConverter.ToSingle(Bytes(4, key)),
        GgufValueType.Bool => Bool(key),
        GgufValueType.String => Str(key),
        GgufValueType.Array => Array(key, depth),
        GgufValueType.UInt64 => U64(key),
        GgufValueType.Int64 => BitConverter.ToInt64(Bytes(8, key)),
        GgufValueType.Float64 => BitConverter.ToDouble(Bytes(8, key)),
        _ => throw new System.Diagnostics.UnreachableException(type.ToString()),
    };

    private bool Bool(string key)
    {
        long at = _s.Position;
        byte b = Bytes(1, key)[0];
        if (b > 1) throw Bad(at, $"'{key}': bool value {b} is neither 0 nor 1");
        return b == 1;
    }

    private GgufArray Array(string key, int depth)
    {
        long at = _s.Position;
        if (depth >= MaxArrayDepth) throw Bad(at, $"'{key}': arrays nested deeper than {MaxArrayDepth}");
        var elem = ValueType($"'{key}' array element type");
        int minSize = elem switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.String => 8,
            GgufValueType.Array => 12,
            _ => 8,
        };
        long n = Count(U64($"'{key}' array length"), minSize, $"'{key}' array length", at + 4);
        if (n > _length - _s.Position) throw Bad(at, $"'{key}': array of {n} items runs past the end of the file");
        var items = new object[n];
        for (long i = 0; i < n; i++) items[i] = Value(elem, key, depth + 1);
        return new GgufArray(elem, items);
    }

    private string Str(string what)
    {
        long at = _s.Position;
        ulong n = U64($"{what} length");
        if (n > (ulong)(_length - _s.Position))
            throw Bad(at, $"{what}: string of {n} bytes runs past the end of the file ({_length} bytes)");
        var bytes = new byte[n];
        Fill(bytes, what);
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Bad(at + 8, $"{what} is not valid UTF-8"); }
    }

    private uint U32(string what) => BitConverter.ToUInt32(Bytes(4, what));
    private ulong U64(string what) => BitConverter.ToUInt64(Bytes(8, what));

    private ReadOnlySpan<byte> Bytes(int n, string what)
    {
        Fill(_buf.AsSpan(0, n), what);
        return _buf.AsSpan(0, n);
    }

    private void Fill(Span<byte> dst, string what)
    {
        long at = _s.Position;
        if (dst.Length > _length - at)
            throw Bad(at, $"file truncated while reading {what} ({dst.Length} bytes needed, {_length - at} left)");
        _s.ReadExactly(dst);
    }
}
