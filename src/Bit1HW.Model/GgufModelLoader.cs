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
    /// <summary>
    /// Loads a file: the F32/F16/BF16 matrices (embedding, lm_head) are read in place from a memory
    /// map, and each ternary tensor is read into a reused buffer and decoded straight into its
    /// 2-bit codes, so the resident size stays near the file size (docs/model.md, "Memory").
    /// </summary>
    public static BitNetWeights Load(string path, I2sLayout i2s = I2sLayout.X86, IProgress<ProgressUpdate>? progress = null)
    {
        if (!File.Exists(path)) throw new UserInputException(path, "file not found");
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        GgufFile f = GgufReader.Read(fs, path);
        MappedFile? map = f.Tensors.Any(t => t.Type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16) ? MappedFile.Open(fs, path) : null;
        try
        {
            return Load(fs, f, i2s, map, progress);
        }
        catch
        {
            map?.Dispose();
            throw;
        }
    }

    /// <summary>Loads from a stream into arrays (nothing is mapped).</summary>
    public static BitNetWeights Load(Stream s, string name, I2sLayout i2s = I2sLayout.X86, IProgress<ProgressUpdate>? progress = null) =>
        Load(s, GgufReader.Read(s, name), i2s, null, progress);

    private static BitNetWeights Load(Stream s, GgufFile f, I2sLayout i2s, MappedFile? map, IProgress<ProgressUpdate>? progress)
    {
        var cfg = GgufLayout.Config(f, tied: f.Find(GgufLayout.Output) is null);
        RequireNoStrayTensors(f, cfg);
        var loader = new TensorLoader(s, f, i2s, map);
        var embd = loader.Float(GgufLayout.TokenEmbd, [cfg.HiddenSize, cfg.VocabSize]);
        var output = cfg.TieWordEmbeddings ? null : loader.Float(GgufLayout.Output, [cfg.HiddenSize, cfg.VocabSize]);
        var outNorm = loader.Vector(GgufLayout.OutputNorm, cfg.HiddenSize);
        var layers = new List<LayerWeights>();
        GgmlType? seen = null;
        string stage = $"loading {Path.GetFileName(f.Path)}: {cfg.NumLayers} layers";
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

    private sealed class TensorLoader(Stream s, GgufFile f, I2sLayout i2s, MappedFile? map)
    {
        /// <summary>One ternary tensor's file bytes at a time; reused, so loading never holds two copies of a model.</summary>
        private byte[] _raw = [];
        /// <summary>TQ1_0 and I2_S tensors decode to trits here first (reused).</summary>
        private sbyte[] _trits = [];
        private ushort[] _scales = [];
        private bool[] _nonZero = [];

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

        /// <summary>
        /// A float tensor, read in place from the map when there is one and <paramref name="inPlace"/>
        /// (the embedding and the lm_head). Small tensors are read into an array: touching a mapped
        /// page makes the kernel map its neighbours too (fault-around, large folios), so a hundred
        /// mapped norms cost megabytes of resident ternary bytes that are already decoded.
        /// </summary>
        public FloatMatrix Float(string name, long[] dims, bool inPlace = true)
        {
            var t = Info(name, dims);
            int rows = dims.Length > 1 ? (int)dims[1] : 1, cols = (int)dims[0];
            if (t.Type is not (GgmlType.F32 or GgmlType.F16 or GgmlType.BF16))
                throw new UserInputException($"tensor '{name}'", $"type {GgmlTypes.Name(t.Type)} is not accepted here (F32, F16, BF16)");
            FloatMatrix m;
            // fp16 (the usual lm_head) is read into an array and kept in quads of rows, which the
            // lm_head streams twice as fast as four rows a row apart; resident once either way.
            bool quads = map is not null && inPlace && t.Type == GgmlType.F16 && rows >= 4 && t.ByteSize <= int.MaxValue;
            NativeArray? native = quads ? new NativeArray(t.ByteSize) : null;
            if (native is not null)
            {
                ReadInto(t, native.Span);
                m = new FloatMatrix(name, t.Type, rows, cols, native);
            }
            else if (map is not null && inPlace) m = new FloatMatrix(name, t.Type, rows, cols, map, Start(t));
            else if (t.Type == GgmlType.F32)
            {
                var f32 = new float[t.ElementCount];
                ReadInto(t, MemoryMarshal.AsBytes(f32.AsSpan()));
                m = new FloatMatrix(name, t.Type, rows, cols, f32, null);
            }
            else
            {
                var u16 = new ushort[t.ElementCount];
                ReadInto(t, MemoryMarshal.AsBytes(u16.AsSpan()));
                m = new FloatMatrix(name, t.Type, rows, cols, null, u16);
            }
            RequireFinite(m, Start(t));
            return native is not null ? FloatMatrix.F16InQuads(name, rows, cols, native) : m;
        }

        /// <summary>No element of <paramref name="m"/> may be NaN or infinity (its exponent field all ones).</summary>
        private static void RequireFinite(FloatMatrix m, long fileOffset)
        {
            int size = FloatMatrix.ElementBytes(m.Type);
            int rowsPerSlice = Math.Max(1, (1 << 24) / (m.Cols * size));
            for (int r0 = 0; r0 < m.Rows; r0 += rowsPerSlice)
            {
                var bytes = m.RowBytes(r0, Math.Min(rowsPerSlice, m.Rows - r0));
                long i = size == 4
                    ? FirstAllOnes(MemoryMarshal.Cast<byte, uint>(bytes), 0x7F800000u)
                    : FirstAllOnes(MemoryMarshal.Cast<byte, ushort>(bytes), m.Type == GgmlType.F16 ? (ushort)0x7C00 : (ushort)0x7F80);
                if (i < 0) continue;
                long element = (long)r0 * m.Cols + i;
                throw new UserInputException($"tensor '{m.Name}'", $"byte offset {fileOffset + size * element}: element {element} is NaN or infinity");
            }
        }

        /// <summary>The first index whose bits under <paramref name="mask"/> are all set, or −1.</summary>
        private static long FirstAllOnes<T>(ReadOnlySpan<T> v, T mask) where T : unmanaged, System.Numerics.IBinaryInteger<T>
        {
            var m = new System.Numerics.Vector<T>(mask);
            var words = MemoryMarshal.Cast<T, System.Numerics.Vector<T>>(v);
            int i = 0;
            for (; i < words.Length; i++)
                if (System.Numerics.Vector.EqualsAny(words[i] & m, m)) break;
            for (int j = i * System.Numerics.Vector<T>.Count; j < v.Length; j++)
                if ((v[j] & mask) == mask) return j;
            return -1;
        }

        public float[] Vector(string name, long length)
        {
            var m = Float(name, [length], inPlace: false);
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
            int rows = (int)dims[1], cols = (int)dims[0];
            if (_raw.Length < t.ByteSize) _raw = new byte[t.ByteSize];
            var data = _raw.AsSpan(0, (int)t.ByteSize);
            ReadInto(t, data);
            float scale;
            TernaryMatrix m;
            if (t.Type == GgmlType.TQ2_0)
            {
                var codes = new byte[t.ElementCount / 4];
                int blocks = (int)(t.ElementCount / GgmlTypes.SuperBlock);
                var (scales, nonZero) = BlockBuffers(blocks);
                DecodeParallel(t, blocks, (b0, nb, d) => TernaryBlocks.Tq2ToCodes(d, codes.AsSpan(b0 * 64, nb * 64),
                    scales.AsSpan(b0, nb), nonZero.AsSpan(b0, nb), t.Name, Start(t) + (long)b0 * GgmlTypes.Tq2BlockBytes));
                scale = OneScale(t, blocks, nonZero, scales);
                m = TernaryMatrix.FromPackedOwned(codes, rows, cols, RequireFinite(name, scale), name, rowPairs: true);
            }
            else
            {
                if (_trits.Length < t.ElementCount) _trits = new sbyte[t.ElementCount];
                var trits = _trits.AsSpan(0, (int)t.ElementCount);
                if (t.Type == GgmlType.I2_S)
                    scale = TernaryBlocks.DecodeI2s(data, trits, name, Start(t), i2s);
                else
                {
                    int blocks = (int)(t.ElementCount / GgmlTypes.SuperBlock);
                    var (scales, nonZero) = BlockBuffers(blocks);
                    var all = _trits;
                    DecodeParallel(t, blocks, (b0, nb, d) => TernaryBlocks.DecodeTq1(d, all.AsSpan(b0 * 256, nb * 256), scales.AsSpan(b0, nb)));
                    for (int b = 0; b < blocks; b++) nonZero[b] = trits.Slice(b * 256, 256).IndexOfAnyExcept((sbyte)0) >= 0;
                    scale = OneScale(t, blocks, nonZero, scales);
                }
                m = TernaryMatrix.FromTernary(trits, rows, cols, RequireFinite(name, scale), name, rowPairs: true);
            }
            return m;
        }

        private static float RequireFinite(string name, float scale) =>
            float.IsFinite(scale) ? scale : throw new UserInputException($"tensor '{name}'", $"scale {scale} is not finite");

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

        private delegate void BlockRange(int firstBlock, int blocks, ReadOnlySpan<byte> data);

        /// <summary>TQ blocks are independent, so chunks of them decode in parallel from <see cref="_raw"/>; the first error (lowest chunk) wins.</summary>
        private void DecodeParallel(GgufTensorInfo t, int blocks, BlockRange decode)
        {
            int blockBytes = t.Type == GgmlType.TQ1_0 ? GgmlTypes.Tq1BlockBytes : GgmlTypes.Tq2BlockBytes;
            const int per = 4096;
            int chunks = (blocks + per - 1) / per;
            var errors = new UserInputException?[chunks];
            var raw = _raw;
            Parallel.For(0, chunks, c =>
            {
                int b0 = c * per, nb = Math.Min(per, blocks - b0);
                try { decode(b0, nb, raw.AsSpan(b0 * blockBytes, nb * blockBytes)); }
                catch (UserInputException e) { errors[c] = e; }
            });
            if (errors.FirstOrDefault(e => e is not null) is UserInputException first) throw first;
        }

        /// <summary>Per-block fp16 scales and whether each block has a non-zero weight, for the first <paramref name="blocks"/> blocks; reused from tensor to tensor like <see cref="_raw"/>.</summary>
        private (ushort[] Scales, bool[] NonZero) BlockBuffers(int blocks)
        {
            if (_scales.Length < blocks) (_scales, _nonZero) = (new ushort[blocks], new bool[blocks]);
            return (_scales, _nonZero);
        }

        private float OneScale(GgufTensorInfo t, int blocks, bool[] nonZero, ushort[] scales)
        {
            int blockBytes = t.Type == GgmlType.TQ1_0 ? GgmlTypes.Tq1BlockBytes : GgmlTypes.Tq2BlockBytes;
            int? first = null;
            for (int b = 0; b < blocks; b++)
            {
                if (!nonZero[b]) continue;
                first ??= b;
                if (scales[b] != scales[first.Value])
                    throw new UserInputException($"tensor '{t.Name}'",
                        $"byte offset {Start(t) + (long)b * blockBytes + blockBytes - 2}: block {b} scale {Float16.HalfToSingle(scales[b])} differs from block {first} scale {Float16.HalfToSingle(scales[first.Value])}; the decoder needs one scale per tensor");
            }
            return Float16.HalfToSingle(scales[first ?? 0]);
        }
    }
}
