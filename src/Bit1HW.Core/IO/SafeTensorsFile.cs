using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Bit1HW.Core.IO;

/// <summary>
/// A safetensors file: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}},
/// then the tensor bytes; offsets are relative to the end of the header.
/// <para>Writing is byte-stable: <c>__metadata__</c> first (keys in ordinal order), then the tensors
/// in ordinal name order both in the header and in the data, compact JSON, and the header padded with
/// spaces so that the data starts at a multiple of 8 bytes. Reading (<see cref="SafeTensorsReader"/>)
/// checks every structural rule and names the file, tensor and problem.</para>
/// </summary>
public sealed class SafeTensorsFile
{
    public const string MetadataKey = "__metadata__";

    private readonly SortedDictionary<string, SafeTensor> _tensors = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the file was read from (for error messages); "(memory)" when built in code.</summary>
    public string Source { get; init; } = "(memory)";

    public IEnumerable<SafeTensor> Tensors => _tensors.Values;

    public SafeTensorsFile Add(SafeTensor t)
    {
        if (t.Name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved", nameof(t));
        if (!_tensors.TryAdd(t.Name, t)) throw new ArgumentException($"duplicate tensor '{t.Name}'", nameof(t));
        return this;
    }

    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>The named tensor, or a user error listing the tensors the file does have.</summary>
    public SafeTensor Get(string name) =>
        _tensors.TryGetValue(name, out var t) ? t
        : throw new UserInputException($"{Source}: tensor '{name}'",
            $"not found; the file has {(_tensors.Count == 0 ? "no tensors" : string.Join(", ", _tensors.Keys.Select(k => $"'{k}'")))}");

    public static SafeTensorsFile Read(string path) => SafeTensorsReader.Read(path);

    /// <summary>The file's header now, each tensor's bytes when asked for (<see cref="SafeTensorsReader.Open"/>).</summary>
    public static SafeTensorsFile Open(string path) => SafeTensorsReader.Open(path);

    public void Write(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>Writes the file bytes (the same as <see cref="ToBytes"/>) without a whole-file copy in memory.</summary>
    public void WriteTo(Stream s)
    {
        byte[] header = HeaderBytes();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        s.Write(length);
        s.Write(header);
        foreach (var t in _tensors.Values) s.Write(t.Data);
    }

    public byte[] ToBytes()
    {
        byte[] header = HeaderBytes();
        long dataBytes = _tensors.Values.Sum(t => t.ByteLength);
        var result = new byte[checked(8 + header.Length + dataBytes)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        long pos = 8 + header.Length;
        foreach (var t in _tensors.Values)
        {
            t.Data.CopyTo(result, pos);
            pos += t.ByteLength;
        }
        return result;
    }

    private byte[] HeaderBytes()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            if (Metadata.Count > 0)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in Metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in _tensors.Values)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType.Name());
                w.WriteStartArray("shape");
                foreach (long d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.ByteLength);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.ByteLength;
            }
            w.WriteEndObject();
        }
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        while (buffer.Length < padded) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
