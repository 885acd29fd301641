using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>Opens a model file by its content (GGUF magic) and describes one for `model inspect`.</summary>
internal static class ModelFile
{
    /// <summary>A .gguf file, or a Hugging Face directory (config.json + model.safetensors) or its model.safetensors.</summary>
    public static BitNetWeights Load(string path, I2sLayout i2s = I2sLayout.X86)
    {
        if (SafetensorsDir(path) is string dir) return SafetensorsModel.Load(dir);
        if (!File.Exists(path)) throw new UserInputException(path, "file not found");
        return GgufModelLoader.Load(path, i2s);
    }

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

    /// <summary>Writes a synthetic model in <paramref name="format"/>: a .gguf file, or a directory for safetensors.</summary>
    public static void WriteSynthetic(ModelConfig c, ulong seed, ModelFormat format, string path,
        string? arch = null, TokenizerKind tokenizer = TokenizerKind.Spm)
    {
        if (format is ModelFormat.Safetensors or ModelFormat.SafetensorsPacked)
            SafetensorsModel.Write(c, seed, format == ModelFormat.SafetensorsPacked, path);
        else
            SyntheticModel.WriteGguf(c, seed, format, path, arch, tokenizer);
    }

    public static string Inspect(string path)
    {
        if (SafetensorsDir(path) is string dir) return InspectSafetensors(dir);
        var f = GgufReader.ReadFile(path);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"file       {Path.GetFileName(path)}\n");
        sb.Append(inv, $"format     GGUF v{f.Version}, alignment {f.Alignment}, data at byte {f.DataOffset}, {f.FileLength} bytes\n");
        sb.Append(inv, $"metadata   {f.Metadata.Count} keys\n");
        foreach (var (k, v) in f.Metadata) sb.Append(inv, $"  {k,-44} {v.Type,-8} {v}\n");
        if (GgufLayout.RuntimeMismatch(f) is string warning) sb.Append(inv, $"warning    {warning}\n");
        sb.Append(inv, $"tensors    {f.Tensors.Count}\n");
        sb.Append(inv, $"  {"name",-32} {"type",-6} {"shape (ggml order)",-20} {"bytes",12} {"offset",12}\n");
        long total = 0;
        foreach (var t in f.Tensors)
        {
            sb.Append(inv, $"  {t.Name,-32} {GgmlTypes.Name(t.Type),-6} {t.ShapeText,-20} {t.ByteSize,12} {f.DataOffset + t.Offset,12}\n");
            total += t.ByteSize;
        }
        sb.Append(inv, $"tensor data {total} bytes\n");
        return sb.ToString();
    }

    private static string InspectSafetensors(string dir)
    {
        var inv = CultureInfo.InvariantCulture;
        var cfg = ModelConfig.Load(Path.Combine(dir, SafetensorsModel.ConfigFile));
        var f = Core.IO.SafeTensorsFile.Read(Path.Combine(dir, SafetensorsModel.WeightsFile));
        var sb = new StringBuilder();
        sb.Append(inv, $"format     Hugging Face safetensors directory ({SafetensorsModel.ConfigFile} + {SafetensorsModel.WeightsFile})\n");
        sb.Append(inv, $"config     hidden {cfg.HiddenSize}, ffn {cfg.IntermediateSize}, layers {cfg.NumLayers}, heads {cfg.NumHeads}/{cfg.NumKvHeads}, vocab {cfg.VocabSize}, {(cfg.Act == HiddenAct.Relu2 ? "relu2" : "silu")}, {(cfg.TieWordEmbeddings ? "tied" : "untied")}\n");
        foreach (var (k, v) in f.Metadata) sb.Append(inv, $"  {k,-44} {v}\n");
        var tensors = f.Tensors.ToList();
        sb.Append(inv, $"tensors    {tensors.Count}\n");
        foreach (var t in tensors) sb.Append(inv, $"  {t.Name,-48} {t.DType,-5} {t.ShapeText,-16} {t.Data.Length,12}\n");
        sb.Append(inv, $"tensor data {tensors.Sum(t => (long)t.Data.Length)} bytes\n");
        return sb.ToString();
    }
}
