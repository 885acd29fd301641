using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>Opens a model file by its content (GGUF magic) and describes one for `model inspect`.</summary>
internal static class ModelFile
{
    public static BitNetWeights Load(string path)
    {
        if (Directory.Exists(path))
            throw new UserInputException(path, "a directory: safetensors models are not supported yet; pass a .gguf file");
        if (!File.Exists(path)) throw new UserInputException(path, "file not found");
        return GgufModelLoader.Load(path);
    }

    public static string Inspect(string path)
    {
        var f = GgufReader.ReadFile(path);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"file       {Path.GetFileName(path)}\n");
        sb.Append(inv, $"format     GGUF v{f.Version}, alignment {f.Alignment}, data at byte {f.DataOffset}, {f.FileLength} bytes\n");
        sb.Append(inv, $"metadata   {f.Metadata.Count} keys\n");
        foreach (var (k, v) in f.Metadata) sb.Append(inv, $"  {k,-44} {v.Type,-8} {v}\n");
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
}
