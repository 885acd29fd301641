using System.Buffers.Binary;
using System.Text.Json;

namespace Bit1HW.Core.IO;

/// <summary>
/// Parses and validates a safetensors file. Every problem is a <see cref="UserInputException"/>
/// naming the file, the tensor when there is one, and what is wrong: missing file, fewer than 8
/// bytes, header length past the end, header that is not a JSON object, unknown dtype, bad shape,
/// offsets outside the data, overlapping, leaving gaps, or disagreeing with dtype × shape, and
/// duplicate names. The header is read with <see cref="StrictJson"/> (UTF-8, no repeated key in any
/// object, no comments). Limits: a header of at most <see cref="MaxHeaderBytes"/> (the reference
/// implementation's own limit) and tensors of at most <see cref="MaxTensorBytes"/> each (one .NET
/// array holds a tensor's bytes).
/// </summary>
public static class SafeTensorsReader
{
    public const long MaxHeaderBytes = 100L << 20;
    public const long MaxTensorBytes = 0x7FFFFFC7;

    /// <summary>Reads the header first and validates it completely, then reads each tensor's bytes
    /// straight into its own array (no whole-file buffer).</summary>
    public static SafeTensorsFile Read(string path) => Reading(path, () =>
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var (header, dataStart, length) = ReadHeader(fs, path);
        return Build(header, length - dataStart, path, (begin, buffer) => ReadAt(fs.SafeFileHandle, buffer, dataStart + begin, path));
    });

    /// <summary>
    /// As <see cref="Read"/>, but only the header is read (and validated completely) now: each
    /// tensor's bytes are read from the file when asked for (<see cref="SafeTensor.Data"/>,
    /// <see cref="SafeTensor.CopyTo"/>) and never kept, so converting a model tensor by tensor holds
    /// one tensor's bytes at a time instead of the whole file. The file must not change while it is
    /// in use; if it is shortened, a read names it.
    /// </summary>
    public static SafeTensorsFile Open(string path) => Reading(path, () =>
    {
        byte[] header;
        long dataStart, length;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
            (header, dataStart, length) = ReadHeader(fs, path);
        return Build(header, length - dataStart, path, readData: null, lazyRead: (begin, buffer) =>
        {
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                ReadAt(handle, buffer, dataStart + begin, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw CannotRead(path, e); }
        });
    });

    /// <summary>The file's I/O failures as user errors naming it (a missing file first).</summary>
    private static T Reading<T>(string path, Func<T> read)
    {
        if (!File.Exists(path)) throw new UserInputException(path, "file not found");
        try { return read(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw CannotRead(path, e); }
    }

    private static UserInputException CannotRead(string path, Exception e) => new(path, $"cannot read: {e.Message}");

    /// <summary>The 8-byte header length, checked, and the header bytes after it.</summary>
    private static (byte[] Header, long DataStart, long Length) ReadHeader(FileStream fs, string path)
    {
        long length = fs.Length;
        if (length < 8)
            throw new UserInputException(path, $"not a safetensors file: {length} bytes, at least 8 needed for the header length");
        Span<byte> prefix = stackalloc byte[8];
        fs.ReadExactly(prefix);
        int headerLength = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(prefix), length, path);
        var header = new byte[headerLength];
        fs.ReadExactly(header);
        return (header, 8 + headerLength, length);
    }

    /// <summary>Fills <paramref name="buffer"/> from byte <paramref name="at"/>; a file that ends first has changed since its header was read.</summary>
    private static void ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> buffer, long at, string path)
    {
        while (buffer.Length > 0)
        {
            int n = RandomAccess.Read(handle, buffer, at);
            if (n == 0) throw new UserInputException(path, "file changed while it was being read (shorter than its header says)");
            buffer = buffer[n..];
            at += n;
        }
    }

    /// <summary>Reads into a span of the tensor's length; <paramref name="begin"/> is the tensor's offset in the data section.</summary>
    private delegate void LazyRead(long begin, Span<byte> buffer);

    public static SafeTensorsFile Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 8)
            throw new UserInputException(source, $"not a safetensors file: {bytes.Length} bytes, at least 8 needed for the header length");
        int headerLength = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(bytes), bytes.Length, source);
        int dataStart = 8 + headerLength;
        return Build(bytes.AsSpan(8, headerLength).ToArray(), bytes.Length - dataStart, source,
            (begin, buffer) => bytes.AsSpan(dataStart + (int)begin, buffer.Length).CopyTo(buffer));
    }

    private static int CheckHeaderLength(ulong headerLength, long fileLength, string source)
    {
        if (headerLength > (ulong)(fileLength - 8))
            throw new UserInputException(source, $"header length {headerLength} runs past the end of the file ({fileLength} bytes)");
        if (headerLength > MaxHeaderBytes)
            throw new UserInputException(source, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit of a safetensors header");
        return (int)headerLength;
    }

    private record Entry(string Name, SafeTensorDType DType, long[] Shape, long Begin, long End);

    private static SafeTensorsFile Build(byte[] header, long dataLength, string source, Action<long, byte[]>? readData, LazyRead? lazyRead = null)
    {
        var file = new SafeTensorsFile { Source = source };
        var entries = new List<Entry>();
        using (JsonDocument doc = StrictJson.Parse(header, source, HeaderSubject))
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new UserInputException(source, "header is not a JSON object");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name)) throw new UserInputException($"{source}: tensor '{p.Name}'", "appears twice in the header");
                if (p.Name == SafeTensorsFile.MetadataKey) { ReadMetadata(p.Value, file, source); continue; }
                var (dtype, shape, begin, end) = ReadEntry(p, source);
                if (end > dataLength)
                    throw new UserInputException($"{source}: tensor '{p.Name}'", $"data_offsets [{begin}, {end}] run past the {dataLength} data bytes");
                if (end - begin > MaxTensorBytes)
                    throw new UserInputException($"{source}: tensor '{p.Name}'", $"{end - begin} bytes exceed the {MaxTensorBytes}-byte limit of one tensor");
                entries.Add(new Entry(p.Name, dtype, shape, begin, end));
            }
        }
        CheckCoverage(entries, dataLength, source);
        foreach (Entry e in entries)
        {
            if (lazyRead is not null)
            {
                long begin = e.Begin;
                file.Add(new SafeTensor(e.Name, e.DType, e.Shape, e.End - e.Begin, buffer => lazyRead(begin, buffer)));
                continue;
            }
            var data = new byte[e.End - e.Begin];
            readData!(e.Begin, data);
            file.Add(new SafeTensor(e.Name, e.DType, e.Shape, data));
        }
        return file;
    }

    /// <summary>Names a place in the header for messages: "header", "tensor 'w'", "tensor 'w' field 'shape'".</summary>
    private static string HeaderSubject(IReadOnlyList<string> path) => path.Count switch
    {
        0 => "header",
        1 => $"tensor '{path[0]}'",
        _ when path[0] == SafeTensorsFile.MetadataKey => $"{SafeTensorsFile.MetadataKey} key '{StrictJson.PathText(path.Skip(1))}'",
        _ => $"tensor '{path[0]}' field '{StrictJson.PathText(path.Skip(1))}'",
    };

    private static void ReadMetadata(JsonElement value, SafeTensorsFile file, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new UserInputException($"{source}: {SafeTensorsFile.MetadataKey}", "is not a JSON object of strings");
        foreach (JsonProperty m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String)
                throw new UserInputException($"{source}: {SafeTensorsFile.MetadataKey}", $"value of '{m.Name}' is not a string");
            if (!file.Metadata.TryAdd(m.Name, m.Value.GetString()!))
                throw new UserInputException($"{source}: {SafeTensorsFile.MetadataKey}", $"key '{m.Name}' appears twice");
        }
    }

    private static (SafeTensorDType, long[], long, long) ReadEntry(JsonProperty p, string source)
    {
        string subject = $"{source}: tensor '{p.Name}'";
        if (p.Value.ValueKind != JsonValueKind.Object) throw new UserInputException(subject, "header entry is not a JSON object");
        JsonElement? dtypeEl = null, shapeEl = null, offsetsEl = null;
        foreach (JsonProperty f in p.Value.EnumerateObject())
        {
            switch (f.Name)
            {
                case "dtype": dtypeEl = f.Value; break;
                case "shape": shapeEl = f.Value; break;
                case "data_offsets": offsetsEl = f.Value; break;
                default: throw new UserInputException(subject, $"unknown field '{f.Name}' (expected dtype, shape, data_offsets)");
            }
        }
        if (dtypeEl is not { ValueKind: JsonValueKind.String } dt) throw new UserInputException(subject, "missing or non-string 'dtype'");
        string dtypeName = dt.GetString()!;
        if (!SafeTensorDTypes.TryParse(dtypeName, out var dtype))
            throw new UserInputException(subject, $"unknown dtype '{dtypeName}' (supported: {string.Join(", ", Enum.GetNames<SafeTensorDType>())})");
        long[] shape = ReadIntegers(shapeEl, "shape", subject, -1);
        long[] offsets = ReadIntegers(offsetsEl, "data_offsets", subject, 2);
        if (offsets[1] < offsets[0]) throw new UserInputException(subject, $"data_offsets [{offsets[0]}, {offsets[1]}] end before they begin");
        long expected;
        try { expected = checked(SafeTensor.ElementCount(shape) * dtype.ElementBytes()); }
        catch (OverflowException) { throw new UserInputException(subject, "shape is too large"); }
        if (expected != offsets[1] - offsets[0])
            throw new UserInputException(subject,
                $"data_offsets [{offsets[0]}, {offsets[1]}] hold {offsets[1] - offsets[0]} bytes but {dtypeName} × [{string.Join(", ", shape)}] needs {expected}");
        return (dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement? el, string field, string subject, int exactCount)
    {
        if (el is not { ValueKind: JsonValueKind.Array } arr) throw new UserInputException(subject, $"missing or non-array '{field}'");
        var values = new List<long>();
        foreach (JsonElement v in arr.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long x) || x < 0)
                throw new UserInputException(subject, $"'{field}' holds {v.GetRawText()}, not a non-negative integer");
            values.Add(x);
        }
        if (exactCount >= 0 && values.Count != exactCount)
            throw new UserInputException(subject, $"'{field}' has {values.Count} entries, {exactCount} expected");
        return values.ToArray();
    }

    /// <summary>The tensors' byte ranges, sorted, must tile the data section exactly: no overlap, no gap, no tail.</summary>
    private static void CheckCoverage(List<Entry> entries, long dataLength, string source)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long pos = 0;
        foreach (var (name, _, _, begin, end) in entries)
        {
            if (begin < pos)
                throw new UserInputException($"{source}: tensor '{name}'", $"data_offsets [{begin}, {end}] overlap the previous tensor, which ends at {pos}");
            if (begin > pos)
                throw new UserInputException($"{source}: tensor '{name}'", $"data_offsets begin at {begin}, leaving bytes {pos}..{begin - 1} uncovered");
            pos = end;
        }
        if (pos != dataLength)
            throw new UserInputException(source, $"tensors cover {pos} data bytes but the file holds {dataLength}");
    }
}
