namespace Bit1HW.Model.Gguf;

/// <summary>
/// A tensor's entry in the GGUF header. <see cref="Dims"/> are in ggml order: Dims[0] is the
/// innermost (contiguous) dimension, so a PyTorch weight [out, in] has Dims = [in, out].
/// <see cref="Offset"/> is relative to the start of the data section.
/// </summary>
internal sealed record GgufTensorInfo(string Name, long[] Dims, GgmlType Type, long Offset, long ByteSize)
{
    public long ElementCount => Dims.Aggregate(1L, (a, d) => checked(a * d));
    public long RowLength => Dims[0];
    public long Rows => ElementCount / Dims[0];
    public string ShapeText => "[" + string.Join(", ", Dims) + "]";
}

/// <summary>A parsed GGUF header: version, ordered metadata, tensor infos and where the data section starts.</summary>
internal sealed class GgufFile
{
    public const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32
    public const uint DefaultAlignment = 32;

    public required string Path { get; init; }
    public required uint Version { get; init; }
    public required IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; init; }
    public required IReadOnlyList<GgufTensorInfo> Tensors { get; init; }
    public required uint Alignment { get; init; }
    /// <summary>Absolute byte offset of the data section (the end of the header, rounded up to <see cref="Alignment"/>).</summary>
    public required long DataOffset { get; init; }
    public required long FileLength { get; init; }

    public GgufValue? Get(string key)
    {
        foreach (var kv in Metadata)
            if (kv.Key == key) return kv.Value;
        return null;
    }

    public GgufTensorInfo? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);

    public static long AlignUp(long x, long alignment) => checked((x + alignment - 1) / alignment * alignment);
}
