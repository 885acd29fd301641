using System.Text;

namespace Bit1HW.Model.Gguf;

/// <summary>A tensor to write: its header entry and a callback that writes exactly its data bytes.</summary>
internal sealed record GgufTensorSource(string Name, long[] Dims, GgmlType Type, Action<Stream> WriteData);

/// <summary>
/// Writes a GGUF v2 or v3 file (little-endian): header, metadata in the given order, tensor infos
/// with offsets aligned to general.alignment (default 32), zero padding, then each tensor's data in
/// order. Tensor data is produced one tensor at a time by its callback, so a large model never has
/// to be in memory at once.
/// </summary>
internal static class GgufWriter
{
    public static void Write(Stream s, uint version, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata,
        IReadOnlyList<GgufTensorSource> tensors)
    {
        if (version is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(version), version, "GGUF 2 or 3");
        uint alignment = GgufFile.DefaultAlignment;
        var alignValue = metadata.FirstOrDefault(kv => kv.Key == "general.alignment").Value;
        if (alignValue is not null) alignment = (uint)alignValue.Value;

        var w = new BinaryWriter(s, new UTF8Encoding(false), leaveOpen: true);
        w.Write(GgufFile.Magic);
        w.Write(version);
        w.Write((ulong)tensors.Count);
        w.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(w, key);
            w.Write((uint)value.Type);
            WriteValue(w, value.Type, value.Value);
        }
        var sizes = new long[tensors.Count];
        long offset = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            long count = t.Dims.Aggregate(1L, (a, d) => checked(a * d));
            sizes[i] = GgmlTypes.ByteSize(t.Type, t.Dims[0], count, t.Name);
            WriteString(w, t.Name);
            w.Write((uint)t.Dims.Length);
            foreach (long d in t.Dims) w.Write((ulong)d);
            w.Write((uint)t.Type);
            w.Write((ulong)offset);
            offset = GgufFile.AlignUp(offset + sizes[i], alignment);
        }
        w.Flush();
        long start = s.Position;
        Pad(s, GgufFile.AlignUp(start, alignment) - start);
        long dataStart = s.Position;
        for (int i = 0; i < tensors.Count; i++)
        {
            long before = s.Position;
            tensors[i].WriteData(s);
            long written = s.Position - before;
            if (written != sizes[i])
                throw new InvalidOperationException($"tensor '{tensors[i].Name}' wrote {written} bytes, {sizes[i]} expected");
            long rel = s.Position - dataStart;
            Pad(s, GgufFile.AlignUp(rel, alignment) - rel);
        }
    }

    private static void Pad(Stream s, long n)
    {
        for (long i = 0; i < n; i++) s.WriteByte(0);
    }

    private static void WriteString(BinaryWriter w, string v)
    {
        byte[] b = Encoding.UTF8.GetBytes(v);
        w.Write((ulong)b.Length);
        w.Write(b);
    }

    private static void WriteValue(BinaryWriter w, GgufValueType type, object v)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write((byte)v); break;
            case GgufValueType.Int8: w.Write((sbyte)v); break;
            case GgufValueType.UInt16: w.Write((ushort)v); break;
            case GgufValueType.Int16: w.Write((short)v); break;
            case GgufValueType.UInt32: w.Write((uint)v); break;
            case GgufValueType.Int32: w.Write((int)v); break;
            case GgufValueType.Float32: w.Write((float)v); break;
            case GgufValueType.Bool: w.Write((byte)((bool)v ? 1 : 0)); break;
            case GgufValueType.String: WriteString(w, (string)v); break;
            case GgufValueType.UInt64: w.Write((ulong)v); break;
            case GgufValueType.Int64: w.Write((long)v); break;
            case GgufValueType.Float64: w.Write((double)v); break;
            case GgufValueType.Array:
                var a = (GgufArray)v;
                w.Write((uint)a.ElementType);
                w.Write((ulong)a.Items.Count);
                foreach (object item in a.Items) WriteValue(w, a.ElementType, item);
                break;
            default: throw new System.Diagnostics.UnreachableException(type.ToString());
        }
    }
}
