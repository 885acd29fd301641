using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Core.Text;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>Opens a model file by its content (GGUF magic) and describes one for `model inspect`.</summary>
public static partial class ModelFile
{
    /// <summary>
    /// A .gguf file, or a Hugging Face directory (config.json + model.safetensors) or its
    /// model.safetensors. <paramref name="progress"/> sees a GGUF file's layers as they are decoded.
    /// </summary>
    public static BitNetWeights Load(string path, I2sLayout i2s = I2sLayout.X86, IProgress<ProgressUpdate>? progress = null)
    {
        if (SafetensorsDir(path) is string dir) return SafetensorsModel.Load(dir);
        if (!File.Exists(path)) throw new UserInputException(path, "file not found");
        return GgufModelLoader.Load(path, i2s, progress);
    }

    /// <summary>Bytes on disk of a model: the file, or every file directly in a safetensors directory.</summary>
    public static long SizeOnDisk(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).GetFiles().Sum(f => f.Length) : File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>The model shape of a GGUF file from its header and metadata alone (no tensor data is read).</summary>
    public static ModelConfig ReadGgufConfig(string path)
    {
        GgufFile f = GgufReader.ReadFile(path);
        return GgufLayout.Config(f, tied: f.Find(GgufLayout.Output) is null);
    }

    /// <summary>True when <paramref name="path"/> is a file that starts with the GGUF magic.</summary>
    public static bool IsGguf(string path)
    {
        if (!File.Exists(path)) return false;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> magic = stackalloc byte[4];
        return fs.Read(magic) == 4 && magic.SequenceEqual("GGUF"u8);
    }

    /// <summary>The vocabulary kind of <c>model new --tokenizer</c>: spm or none.</summary>
    public static TokenizerKind ParseTokenizer(string s) => Gguf.GgufVocabulary.ParseKind(s);

    /// <summary>Where the tensor data of GGUF bytes starts (the end of the header and metadata).</summary>
    public static long GgufDataOffset(byte[] gguf, string source) => GgufReader.Read(new MemoryStream(gguf), source).DataOffset;

    public static I2sLayout ParseI2sLayout(string s) => s switch
    {
        "x86" => I2sLayout.X86,
        "arm" => I2sLayout.Arm,
        _ => throw new UserInputException("--i2s-layout", $"'{s}' is not one of x86, arm"),
    };

    private static string? SafetensorsDir(string path)
    {
        if (Directory.Exists(path)) return path;
        if (File.Exists(path) && path.EndsWith(".safetensors", StringComparison.Ordinal))
            return Path.GetDirectoryName(Path.GetFullPath(path))!;
        return null;
    }

    /// <summary>
    /// Writes a synthetic model in <paramref name="format"/>: a .gguf file, or a directory for
    /// safetensors. <paramref name="progress"/> sees a GGUF file's tensors as they are written.
    /// </summary>
    public static void WriteSynthetic(ModelConfig c, ulong seed, ModelFormat format, string path,
        string? arch = null, TokenizerKind tokenizer = TokenizerKind.Spm, IProgress<ProgressUpdate>? progress = null)
    {
        if (format is ModelFormat.Safetensors or ModelFormat.SafetensorsPacked)
            SafetensorsModel.Write(c, seed, format == ModelFormat.SafetensorsPacked, path);
        else
            SyntheticModel.WriteGguf(c, seed, format, path, arch, tokenizer, progress);
    }

    /// <summary>The text of <c>bit1hw model inspect</c>: metadata and every tensor with type, shape, size and offset.</summary>
    public static string Inspect(string path)
    {
        if (SafetensorsDir(path) is string dir) return InspectSafetensors(dir);
        var f = GgufReader.ReadFile(path);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"file       {Path.GetFileName(path)}\n");
        sb.Append(inv, $"format     GGUF v{f.Version}, alignment {f.Alignment}, data at byte {f.DataOffset}, {f.FileLength} bytes\n");
        sb.Append(inv, $"metadata   {f.Metadata.Count} keys\n");
        var metadata = Listing(new TextColumn("key", Width: 44), new TextColumn("type", Width: 8), new TextColumn("value"));
        foreach (var (k, v) in f.Metadata) metadata.Add(k, v.Type.ToString(), v.ToString());
        sb.Append(metadata);
        if (GgufLayout.RuntimeMismatch(f) is string warning) sb.Append(inv, $"warning    {warning}\n");
        sb.Append(inv, $"tensors    {f.Tensors.Count}\n");
        var tensors = new TextTable(new TextColumn("name", Width: 32), new TextColumn("type", Width: 6), new TextColumn("shape (ggml order)", Width: 20),
            new TextColumn("bytes", AlignRight: true, Width: 12), new TextColumn("offset", AlignRight: true, Width: 12)) { Indent = "  ", Separator = " ", Rule = false };
        foreach (var t in f.Tensors)
            tensors.Add(t.Name, GgmlTypes.Name(t.Type), t.ShapeText, N(t.ByteSize), N(f.DataOffset + t.Offset));
        sb.Append(tensors);
        sb.Append(inv, $"tensor data {f.Tensors.Sum(t => t.ByteSize)} bytes\n");
        return sb.ToString();
    }

    private static string InspectSafetensors(string dir)
    {
        var inv = CultureInfo.InvariantCulture;
        var cfg = ModelConfig.Load(Path.Combine(dir, SafetensorsModel.ConfigFile));
        var f = Core.IO.SafeTensorsFile.Open(Path.Combine(dir, SafetensorsModel.WeightsFile)); // the header only: nothing here reads a tensor's bytes
        var sb = new StringBuilder();
        sb.Append(inv, $"format     Hugging Face safetensors directory ({SafetensorsModel.ConfigFile} + {SafetensorsModel.WeightsFile})\n");
        sb.Append(inv, $"config     hidden {cfg.HiddenSize}, ffn {cfg.IntermediateSize}, layers {cfg.NumLayers}, heads {cfg.NumHeads}/{cfg.NumKvHeads}, vocab {cfg.VocabSize}, {(cfg.Act == HiddenAct.Relu2 ? "relu2" : "silu")}, {(cfg.TieWordEmbeddings ? "tied" : "untied")}\n");
        var metadata = Listing(new TextColumn("key", Width: 44), new TextColumn("value"));
        foreach (var (k, v) in f.Metadata) metadata.Add(k, v);
        sb.Append(metadata);
        var tensors = f.Tensors.ToList();
        sb.Append(inv, $"tensors    {tensors.Count}\n");
        var listing = Listing(new TextColumn("name", Width: 48), new TextColumn("dtype", Width: 5), new TextColumn("shape", Width: 16), new TextColumn("bytes", AlignRight: true, Width: 12));
        foreach (var t in tensors) listing.Add(t.Name, t.DType.ToString(), t.ShapeText, N(t.ByteLength));
        sb.Append(listing);
        sb.Append(inv, $"tensor data {tensors.Sum(t => t.ByteLength)} bytes\n");
        return sb.ToString();
    }

    /// <summary>A listing without a header line: two-space indent, one space between fixed-width columns.</summary>
    private static TextTable Listing(params TextColumn[] columns) => new(columns) { Indent = "  ", Separator = " ", ShowHeader = false };

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
