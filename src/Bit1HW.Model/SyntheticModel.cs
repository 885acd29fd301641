using System.Runtime.InteropServices;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>The file formats <c>model new</c> writes: GGUF with TQ2_0, TQ1_0 or I2_S ternary tensors, or a Hugging Face safetensors directory.</summary>
public enum ModelFormat { GgufTq2, GgufTq1, GgufI2s, Safetensors, SafetensorsPacked }

/// <summary>
/// A seeded synthetic BitNet model of any shape, written as real file bytes. Each tensor draws from
/// its own SplitMix64 stream (seed, tensor name), so a tensor does not depend on the others or on
/// the format. Ternary weights are −1/0/+1 with probabilities 0.3/0.4/0.3; each projection's scale
/// β = 1/√(0.6·in_features) rounded to fp16, so it is stored exactly by TQ1_0, TQ2_0 (fp16 d) and
/// I2_S (fp32) alike and the three formats decode to the same model. Norm weights are 1 + U(−0.1, 0.1)
/// in float32; embeddings U(−1, 1) rounded to fp16.
/// </summary>
public static class SyntheticModel
{
    public static ModelFormat ParseFormat(string s) => s switch
    {
        "gguf-tq2" => ModelFormat.GgufTq2,
        "gguf-tq1" => ModelFormat.GgufTq1,
        "gguf-i2s" => ModelFormat.GgufI2s,
        "safetensors" => ModelFormat.Safetensors,
        "safetensors-packed" => ModelFormat.SafetensorsPacked,
        _ => throw new UserInputException("--format", $"'{s}' is not one of gguf-tq2, gguf-tq1, gguf-i2s, safetensors, safetensors-packed"),
    };

    internal static GgmlType TernaryType(ModelFormat f) => f switch
    {
        ModelFormat.GgufTq2 => GgmlType.TQ2_0,
        ModelFormat.GgufTq1 => GgmlType.TQ1_0,
        ModelFormat.GgufI2s => GgmlType.I2_S,
        _ => throw new System.Diagnostics.UnreachableException(f.ToString()),
    };

    public static void RequireFormatFits(ModelConfig c, ModelFormat f)
    {
        int block = f is ModelFormat.GgufTq1 or ModelFormat.GgufTq2 ? 256 : 128;
        string type = f switch { ModelFormat.GgufTq1 => "TQ1_0", ModelFormat.GgufTq2 => "TQ2_0", _ => "I2_S" };
        if (c.HiddenSize % block != 0)
            throw new UserInputException("hidden_size", $"{c.HiddenSize} is not a multiple of {block}, as {type} needs");
        if (c.IntermediateSize % block != 0)
            throw new UserInputException("intermediate_size", $"{c.IntermediateSize} is not a multiple of {block}, as {type} needs");
    }

    public static void WriteGguf(ModelConfig c, ulong seed, ModelFormat format, string path,
        string? arch = null, TokenizerKind tokenizer = TokenizerKind.Spm, IProgress<ProgressUpdate>? progress = null)
    {
        // Metadata is checked (architecture, vocabulary) before the file is opened: nothing half-written.
        RequireFormatFits(c, format);
        var metadata = GgufLayout.Metadata(c, TernaryType(format), seed, arch, tokenizer);
        var tensors = Tensors(c, seed, TernaryType(format));
        if (progress is not null) tensors = Reporting(tensors, $"writing {Path.GetFileName(path)}", progress);
        AtomicFile.Write(path, s => GgufWriter.Write(s, 3, metadata, tensors));
    }

    /// <summary>The tensors, each reporting the fraction of all elements written once its data is out.</summary>
    private static List<GgufTensorSource> Reporting(List<GgufTensorSource> tensors, string stage, IProgress<ProgressUpdate> progress)
    {
        double total = tensors.Sum(t => (double)t.Dims.Aggregate(1L, (a, b) => a * b)), done = 0;
        return tensors.Select(t => t with
        {
            WriteData = o =>
            {
                progress.Report(new ProgressUpdate(stage, done / total, t.Name));
                t.WriteData(o);
                done += t.Dims.Aggregate(1L, (a, b) => a * b);
                progress.Report(new ProgressUpdate(stage, done / total, t.Name));
            },
        }).ToList();
    }

    public static void WriteGguf(ModelConfig c, ulong seed, ModelFormat format, Stream s,
        string? arch = null, TokenizerKind tokenizer = TokenizerKind.Spm)
    {
        RequireFormatFits(c, format);
        var type = TernaryType(format);
        GgufWriter.Write(s, 3, GgufLayout.Metadata(c, type, seed, arch, tokenizer), Tensors(c, seed, type));
    }

    /// <summary>The tensors of a synthetic GGUF model, in file order, each writing itself on demand.</summary>
    internal static List<GgufTensorSource> Tensors(ModelConfig c, ulong seed, GgmlType type)
    {
        var tensors = new List<GgufTensorSource>
        {
            new(GgufLayout.TokenEmbd, [c.HiddenSize, c.VocabSize], GgmlType.F16, o => WriteHalves(o, seed, GgufLayout.TokenEmbd, (long)c.HiddenSize * c.VocabSize)),
        };
        for (int i = 0; i < c.NumLayers; i++)
        {
            foreach (string n in GgufLayout.Norms)
            {
                string name = GgufLayout.Blk(i, n);
                long len = GgufLayout.NormLength(c, n);
                tensors.Add(new(name, [len], GgmlType.F32, o => o.Write(MemoryMarshal.AsBytes(NormWeights(seed, name, (int)len).AsSpan()))));
            }
            foreach (string p in GgufLayout.Projections)
            {
                string name = GgufLayout.Blk(i, p);
                long[] dims = GgufLayout.ProjectionDims(c, p);
                tensors.Add(new(name, dims, type, o => WriteTernary(o, type, seed, name, (int)dims[1], (int)dims[0])));
            }
        }
        tensors.Add(new(GgufLayout.OutputNorm, [c.HiddenSize], GgmlType.F32,
            o => o.Write(MemoryMarshal.AsBytes(NormWeights(seed, GgufLayout.OutputNorm, c.HiddenSize).AsSpan()))));
        if (!c.TieWordEmbeddings)
            tensors.Add(new(GgufLayout.Output, [c.HiddenSize, c.VocabSize], GgmlType.F16, o => WriteHalves(o, seed, GgufLayout.Output, (long)c.HiddenSize * c.VocabSize)));
        return tensors;
    }

    /// <summary>The seeded trits of projection <paramref name="name"/>, row-major [rows = out, cols = in].</summary>
    public static sbyte[] Trits(ulong seed, string name, int rows, int cols)
    {
        var t = new sbyte[(long)rows * cols];
        FillTrits(SplitMix64.For(seed, name), t);
        return t;
    }

    /// <summary>The next trits of a projection's stream, in row-major order.</summary>
    private static void FillTrits(SplitMix64 rng, Span<sbyte> t)
    {
        for (int i = 0; i < t.Length; i++)
        {
            ulong r = rng.NextUInt64() % 10;
            t[i] = r < 4 ? (sbyte)0 : r < 7 ? (sbyte)1 : (sbyte)-1;
        }
    }

    public static float Scale(int inFeatures) => Float16.HalfToSingle(Float16.SingleToHalf(1f / MathF.Sqrt(0.6f * inFeatures)));

    public static float[] NormWeights(ulong seed, string name, int n)
    {
        var rng = SplitMix64.For(seed, name);
        var w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float)(1.0 + (rng.NextDouble() * 0.2 - 0.1));
        return w;
    }

    /// <summary>
    /// Encodes projection <paramref name="name"/> a block of rows at a time, so memory stays at about
    /// 1 MiB of trits whatever the matrix size. Rows start on a block boundary (RequireFormatFits:
    /// cols is a multiple of the 256- or 128-weight block), so the bytes equal encoding the whole
    /// matrix at once; I2_S's scale trailer follows the last row.
    /// </summary>
    private static void WriteTernary(Stream o, GgmlType type, ulong seed, string name, int rows, int cols)
    {
        var rng = SplitMix64.For(seed, name);
        float scale = Scale(cols);
        int chunkRows = Math.Max(1, (1 << 20) / cols);
        var trits = new sbyte[(long)Math.Min(chunkRows, rows) * cols];
        for (int r0 = 0; r0 < rows; r0 += chunkRows)
        {
            Span<sbyte> t = trits.AsSpan(0, Math.Min(chunkRows, rows - r0) * cols);
            FillTrits(rng, t);
            switch (type)
            {
                case GgmlType.TQ2_0: o.Write(TernaryBlocks.EncodeTq2(t, scale)); break;
                case GgmlType.TQ1_0: o.Write(TernaryBlocks.EncodeTq1(t, scale)); break;
                case GgmlType.I2_S: o.Write(TernaryBlocks.EncodeI2s(t, scale).AsSpan(0, t.Length / 4)); break;
                default: throw new System.Diagnostics.UnreachableException(type.ToString());
            }
        }
        if (type == GgmlType.I2_S) o.Write(TernaryBlocks.EncodeI2s([], scale));
    }

    private static void WriteHalves(Stream o, ulong seed, string name, long count)
    {
        var rng = SplitMix64.For(seed, name);
        var buf = new ushort[1 << 16];
        for (long done = 0; done < count; done += buf.Length)
        {
            int n = (int)Math.Min(buf.Length, count - done);
            for (int i = 0; i < n; i++) buf[i] = Float16.SingleToHalf((float)(rng.NextDouble() * 2 - 1));
            o.Write(MemoryMarshal.AsBytes(buf.AsSpan(0, n)));
        }
    }
}
