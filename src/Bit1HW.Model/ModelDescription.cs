using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>One metadata entry of a model file: key, GGUF type (or "string" for safetensors) and the value as <c>model inspect</c> prints it (arrays abbreviated).</summary>
public sealed record ModelMetadataEntry(string Key, string Type, string Value);

/// <summary>One tensor of a model file: name, type, shape (GGUF: ggml order, innermost first), bytes and absolute file offset (null for safetensors).</summary>
public sealed record ModelTensorEntry(string Name, string Type, long[] Shape, long Bytes, long? Offset);

/// <summary>What <c>model inspect</c> shows, as data (its <c>--json</c>).</summary>
public sealed record ModelDescription(string File, string Format, int? GgufVersion, long? Alignment, long? DataOffset, long? FileBytes,
    IReadOnlyList<ModelMetadataEntry> Metadata, IReadOnlyList<ModelTensorEntry> Tensors, long TensorBytes, string? Warning);

public static partial class ModelFile
{
    /// <summary>The metadata and tensors of a .gguf file or a safetensors model directory.</summary>
    public static ModelDescription Describe(string path)
    {
        if (SafetensorsDir(path) is string dir)
        {
            var st = Core.IO.SafeTensorsFile.Open(Path.Combine(dir, SafetensorsModel.WeightsFile)); // the header only
            var tensors = st.Tensors.Select(t => new ModelTensorEntry(t.Name, t.DType.ToString(), [.. t.Shape], t.ByteLength, null)).ToList();
            return new ModelDescription(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), "safetensors", null, null, null, null,
                st.Metadata.Select(kv => new ModelMetadataEntry(kv.Key, "string", kv.Value)).ToList(), tensors, tensors.Sum(t => t.Bytes), null);
        }
        var f = GgufReader.ReadFile(path);
        return new ModelDescription(Path.GetFileName(path), "gguf", (int)f.Version, f.Alignment, f.DataOffset, f.FileLength,
            f.Metadata.Select(kv => new ModelMetadataEntry(kv.Key, kv.Value.Type.ToString(), kv.Value.ToString())).ToList(),
            f.Tensors.Select(t => new ModelTensorEntry(t.Name, GgmlTypes.Name(t.Type), [.. t.Dims], t.ByteSize, f.DataOffset + t.Offset)).ToList(),
            f.Tensors.Sum(t => t.ByteSize), GgufLayout.RuntimeMismatch(f));
    }
}
