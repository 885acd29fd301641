using System.Runtime.InteropServices;
using Bit1HW.Core;
using Bit1HW.Core.Numerics;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>
/// Loads a BitNet GGUF file into <see cref="BitNetWeights"/>, checking everything a decoder relies
/// on: every expected tensor is present with the shape the metadata implies, no unexpected tensor
/// is present, types fit their role (ternary types for projections; F32/F16/BF16 elsewhere), float
/// values are finite, 2-bit codes are ternary, and a TQ tensor has one scale (every block with a
/// non-zero weight carries the same fp16 d). A projection may come with llama.cpp's optional
/// "blk.N.proj.scale" tensor (one float that multiplies the product): its value multiplies the
/// weight scale. I2_S codes are read in the <see cref="I2sLayout"/> given (bitnet.cpp's files do not
/// say which build wrote them). Any violation is a <see cref="UserInputException"/> naming the
/// tensor and, where it helps, the byte offset.
/// </summary>
internal static class GgufModelLoader
{
    public static BitNetWeights Load(string path, I2sLayout i2s = I2sLayout.X86, IProgress<ProgressUpdate>? progress = null)
    {
        if (!File.Exists(path)) throw new UserInputException(path, "file not found");
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(fs, path, i2s, progress);
    }

    public static BitNetWeights Load(Stream s, string name, I2sLayout i2s = I2sLayout.X86, IProgress<ProgressUpdate>? progress = null)
    {
        GgufFile f = GgufReader.Read(s, name);
        var cfg = GgufLayout.Config(f, tied: f.Find(GgufLayout.Output) is null);
        RequireNoStrayTensors(f, cfg);
        var loader = new TensorLoader(s, f, i2s);
        var embd = loader.Float(GgufLayout.TokenEmbd, [cfg.HiddenSize, cfg.VocabSize]);
        var output = cfg.TieWordEmbeddings ? null : loader.Float(GgufLayout.Output, [cfg.HiddenSize, cfg.VocabSize]);
        var outNorm = loader.Vector(GgufLayout.OutputNorm, cfg.HiddenSize);
        var layers = new List<LayerWeights>();
        GgmlType? seen = null;
        string stage = $"loading {Path.GetFileName(name)}: {cfg.NumLayers} layers";
        for (int i = 0; i < cfg.NumLayers; i++)
        {
            progress?.Report(new ProgressUpdate(stage, (double)i / cfg.NumLayers, $"layer {i}"));
            TernaryMatrix P(string proj)
            {
                var m = loader.Ternary(GgufLayout.Blk(i, proj), GgufLayout.ProjectionDims(cfg, proj), out var t);
                seen ??= t;
                return loader.WithScaleTensor(m, GgufLayout.BlkScale(i, proj));
            }
            float[] N(string norm) => loader.Vector(GgufLayout.Blk(i, norm), GgufLayout.NormLength(cfg, norm));
            layers.Add(new LayerWeights(N("attn_norm"), N("attn_sub_norm"), N("ffn_norm"), N("ffn_sub_norm"),
                P("attn_q"), P("attn_k"), P("attn_v"), P("attn_output"), P("ffn_gate"), P("ffn_up"), P("ffn_down")));
        }
        string format = "gguf-" + (seen switch { GgmlType.TQ1_0 => "tq1", GgmlType.TQ2_0 => "tq2", _ => "i2s" });
        return new BitNetWeights(cfg, format, embd, output, outNorm, [.. layers]);
    }

    private static void RequireNoStrayTensors(GgufFile f, ModelConfig cfg)
    {
        foreach (var t in f.Tensors)
            if (!Expected(t.Name, cfg))
                throw new UserInputException($"tensor '{t.Name}'",
                    $"not part of a {cfg.NumLayers}-layer BitNet model");
    }

    private static bool Expected(string name, ModelConfig cfg)
    {
        if (name is GgufLayout.TokenEmbd or GgufLayout.OutputNorm) return true;
        if (name == GgufLayout.Output) return !cfg.TieWordEmbeddings;
        var parts = name.Split('.');
        return parts.Length == 4 && parts[0] == "blk"
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int layer)
            && layer < cfg.NumLayers && parts[1] == layer.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && (parts[3] == "weight" ? GgufLayout.Projections.Contains(parts[2]) || GgufLayout.Norms.Contains(parts[2])
                : parts[3] == "scale" && GgufLayout.Projections.Contains(parts[2]));
    }

    private sealed class TensorLoader(Stream s, GgufFile f, I2sLayout i2s)
    {
        private GgufTensorInfo Info(string name, long[] dims)
        {
            var t = f.Find(name) ?? throw new UserInputException($"tensor '{name}'", $"missing from {f.Path}");
            if (!t.Dims.SequenceEqual(dims))
                throw new UserInputException($"tensor '{name}'",
                    $"shape {t.ShapeText} does not match [{string.Join(", ", dims)}] implied by the model metadata");
            return t;
        }

        private long Start(GgufTensorInfo t) => f.DataOffset + t.Offset;

        private void ReadInto(GgufTensorInfo t, Span<byte> dst)
        {
            s.Position = Start(t);
            s.ReadExactly(dst);
        }

        public FloatMatrix Float(string name, long[] dims)
        {
            var t = Info(name, dims);
            int rows = dims.Length > 1 ? (int)dims[1] : 1, cols = (int)dims[0];
            switch (t.Type)
            {
                case GgmlType.F32:
                    var f32 = new float[t.ElementCount];
                    ReadInto(t, MemoryMarshal.AsBytes(f32.AsSpan()));
                    BitNetQuant.RequireFinite(f32, name);
                    return new FloatMatrix(name, t.Type, rows, cols, f32, null);
                case GgmlType.F16:
                case GgmlType.BF16:
                    var u16 = new ushort[t.ElementCount];
                    ReadInto(t, MemoryMarshal.AsBytes(u16.AsSpan()));
                    ushort expMask = t.Type == GgmlType.F16 ? (ushort)0x7C00 : (ushort)0x7F80;
                    for (long i = 0; i < u16.Length; i++)
                        if ((u16[i] & expMask) == expMask)
                            throw new UserInputException($"tensor '{name}'", $"byte offset {Start(t) + 2 * i}: element {i} is NaN or infinity");
                    return new FloatMatrix(name, t.Type, rows, cols, null, u16);
                default:
                    throw new UserInputException($"tensor '{name}'", $"type {GgmlTypes.Name(t.Type)} is not accepted here (F32, F16, BF16)");
            }
        }

        public float[] Vector(string name, long length)
        {
            var m = Float(name, [length]);
            var v = new float[length];
            m.CopyRow(0, v);
            return v;
        }

        public TernaryMatrix Ternary(string name, long[] dims, out GgmlType type)
        {
            var t = Info(name, dims);
            type = t.Type;
            if (!GgmlTypes.IsTernary(t.Type))
                throw new UserInputException($"tensor '{name}'", $"type {GgmlTypes.Name(t.Type)} is not a ternary type (TQ1_0, TQ2_0, I2_S)");
            var data = new byte[t.ByteSize];
            ReadInto(t, data);
            var trits = new sbyte[t.ElementCount];
            float scale;
            if (t.Type == GgmlType.I2_S)
                scale = TernaryBlocks.DecodeI2s(data, trits, name, Start(t), i2s);
            else
            {
                var scales = new ushort[t.ElementCount / GgmlTypes.SuperBlock];
                DecodeTqParallel(t, data, trits, scales);
                scale = OneScale(t, trits, scales);
            }
            if (!float.IsFinite(scale))
                throw new UserInputException($"tensor '{name}'", $"scale {scale} is not finite");
            return TernaryMatrix.FromTernary(trits, (int)dims[1], (int)dims[0], scale, name);
        }

        /// <summary>
        /// <paramref name="m"/> with its scale multiplied by the optional llama.cpp scale tensor
        /// <paramref name="name"/> (shape [1], rounded to float32 once: β = d·s).
        /// </summary>
        public TernaryMatrix WithScaleTensor(TernaryMatrix m, string name)
        {
            if (f.Find(name) is null) return m;
            float s = Vector(name, 1)[0];
            float beta = m.Scale * s;
            if (!float.IsFinite(beta))
                throw new UserInputException($"tensor '{name}'", $"scale {s} times the weight scale {m.Scale} is not finite");
            return m.WithScale(beta);
        }

        /// <summary>TQ blocks are independent, so chunks of them decode in parallel; the first error (lowest chunk) wins.</summary>
        private void DecodeTqParallel(GgufTensorInfo t, byte[] data, sbyte[] trits, ushort[] scales)
        {
            int blockBytes = t.Type == GgmlType.TQ1_0 ? GgmlTypes.Tq1BlockBytes : GgmlTypes.Tq2BlockBytes;
            const int per = 4096;
            int chunks = (scales.Length + per - 1) / per;
            var errors = new UserInputException?[chunks];
            long start = Start(t);
            Parallel.For(0, chunks, c =>
            {
                int b0 = c * per, nb = Math.Min(per, scales.Length - b0);
                var d = data.AsSpan(b0 * blockBytes, nb * blockBytes);
                var w = trits.AsSpan(b0 * 256, nb * 256);
                try
                {
                    if (t.Type == GgmlType.TQ2_0) TernaryBlocks.DecodeTq2(d, w, scales.AsSpan(b0, nb), t.Name, start + (long)b0 * blockBytes);
                    else TernaryBlocks.DecodeTq1(d, w, scales.AsSpan(b0, nb));
                }
                catch (UserInputException e) { errors[c] = e; }
            });
            if (errors.FirstOrDefault(e => e is not null) is UserInputException first) throw first;
        }

        private float OneScale(GgufTensorInfo t, sbyte[] trits, ushort[] scales)
        {
            int blockBytes = t.Type == GgmlType.TQ1_0 ? GgmlTypes.Tq1BlockBytes : GgmlTypes.Tq2BlockBytes;
            int? first = null;
            for (int b = 0; b < scales.Length; b++)
            {
                if (trits.AsSpan(b * 256, 256).IndexOfAnyExcept((sbyte)0) < 0) continue;
                first ??= b;
                if (scales[b] != scales[first.Value])
                    throw new UserInputException($"tensor '{t.Name}'",
                        $"byte offset {Start(t) + (long)b * blockBytes + blockBytes - 2}: block {b} scale {Float16.HalfToSingle(scales[b])} differs from block {first} scale {Float16.HalfToSingle(scales[first.Value])}; the decoder needs one scale per tensor");
            }
            return Float16.HalfToSingle(scales[first ?? 0]);
        }
    }
}
