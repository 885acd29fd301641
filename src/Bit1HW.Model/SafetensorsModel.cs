using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;
using Bit1HW.Model.Formats;

namespace Bit1HW.Model;

/// <summary>
/// Hugging Face BitNet checkpoints: a directory with config.json and model.safetensors, tensors
/// named as transformers' BitNet model names them (model.embed_tokens.weight,
/// model.layers.N.self_attn.q_proj.weight, …, model.norm.weight, lm_head.weight when untied).
/// Two variants of the projections (docs/model.md, "Safetensors"):
/// <list type="bullet">
/// <item>latent: F32/F16/BF16 weights [out, in], quantized on load with the numerics contract
/// (β = AbsMean scale, W_t = clamp(round(W/β), −1, 1), <see cref="BitNetQuant"/>);</item>
/// <item>packed: U8 [out/4, in], output row r = q·(out/4) + p stored in bits 2q of byte row p as
/// w + 1, plus "…weight_scale" [1]: the inverse of β — transformers divides the accumulator by
/// activation scale × weight_scale — so the decoder uses β = 1 / weight_scale (float32).</item>
/// </list>
/// </summary>
internal static class SafetensorsModel
{
    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";

    private static readonly (string Gguf, string Hf)[] Projections =
    [
        ("attn_q", "self_attn.q_proj"), ("attn_k", "self_attn.k_proj"), ("attn_v", "self_attn.v_proj"),
        ("attn_output", "self_attn.o_proj"), ("ffn_gate", "mlp.gate_proj"), ("ffn_up", "mlp.up_proj"),
        ("ffn_down", "mlp.down_proj"),
    ];

    private static readonly (string Gguf, string Hf)[] Norms =
    [
        ("attn_norm", "input_layernorm"), ("attn_sub_norm", "self_attn.attn_sub_norm"),
        ("ffn_norm", "post_attention_layernorm"), ("ffn_sub_norm", "mlp.ffn_sub_norm"),
    ];

    private static string Layer(int i, string part) => $"model.layers.{i}.{part}.weight";

    /// <summary>
    /// Writes a seeded synthetic model (the same trits as the GGUF writer) to directory
    /// <paramref name="dir"/>, config.json and model.safetensors appearing together or not at all.
    /// The tensors are built in memory first, so the model may have at most
    /// <see cref="MaxBytes"/> bytes of tensor data.
    /// </summary>
    public static void Write(ModelConfig c, ulong seed, bool packed, string dir)
    {
        long bytes = TensorBytes(c, packed);
        if (bytes > MaxBytes)
            throw new UserInputException("--format", $"a {(packed ? "safetensors-packed" : "safetensors")} model of this shape has {bytes} bytes of tensors; at most {MaxBytes} are written (built in memory; use a GGUF format, docs/model.md \"Limits\")");
        var f = new SafeTensorsFile();
        f.Metadata["format"] = "pt";
        f.Add(Halves("model.embed_tokens.weight", GgufLayout.TokenEmbd, seed, c.VocabSize, c.HiddenSize));
        for (int i = 0; i < c.NumLayers; i++)
        {
            foreach (var (g, hf) in Norms)
            {
                int n = (int)GgufLayout.NormLength(c, g);
                f.Add(SafeTensor.FromSinglesAs(Layer(i, hf), [n], SyntheticModel.NormWeights(seed, GgufLayout.Blk(i, g), n), SafeTensorDType.BF16));
            }
            foreach (var (g, hf) in Projections)
            {
                long[] dims = GgufLayout.ProjectionDims(c, g);
                int rows = (int)dims[1], cols = (int)dims[0];
                sbyte[] trits = SyntheticModel.Trits(seed, GgufLayout.Blk(i, g), rows, cols);
                if (packed) AddPacked(f, Layer(i, hf), trits, rows, cols, SyntheticModel.Scale(cols));
                else f.Add(Latent(Layer(i, hf), trits, rows, cols, SyntheticModel.Scale(cols)));
            }
        }
        f.Add(SafeTensor.FromSinglesAs("model.norm.weight", [c.HiddenSize], SyntheticModel.NormWeights(seed, GgufLayout.OutputNorm, c.HiddenSize), SafeTensorDType.BF16));
        if (!c.TieWordEmbeddings) f.Add(Halves("lm_head.weight", GgufLayout.Output, seed, c.VocabSize, c.HiddenSize));
        AtomicFile.WriteDirectory(dir, ConfigFile, tmp =>
        {
            using (var s = new FileStream(Path.Combine(tmp, WeightsFile), FileMode.CreateNew, FileAccess.Write)) f.WriteTo(s);
            File.WriteAllText(Path.Combine(tmp, ConfigFile), c.ToJson(), new System.Text.UTF8Encoding(false));
        });
    }

    /// <summary>Largest safetensors model <c>model new</c> writes, about 2 GiB: the tensors are held in memory while
    /// written, a tensor in one array (the 2B-4T shape packed has 1.3 GB).</summary>
    public const long MaxBytes = 0x7FFFFFC7;

    /// <summary>Bytes of tensor data: bf16 embeddings and norms, bf16 latent or 2-bit packed projections (+ a float scale each).</summary>
    public static long TensorBytes(ModelConfig c, bool packed)
    {
        long h = c.HiddenSize, i = c.IntermediateSize;
        long projections = 2 * h * h + 2 * h * c.KvDim + 3 * h * i;
        long perLayer = (packed ? projections / 4 + 7 * 4 : 2 * projections) + 2 * (3 * h + i);
        return c.NumLayers * perLayer + 2 * ((c.TieWordEmbeddings ? 1 : 2) * (long)c.VocabSize * h + h);
    }

    /// <summary>Latent weights trit·β rounded to bf16; the AbsMean quantizer recovers the trits exactly (|W|/mean|W| ≥ 1.5 or 0).</summary>
    private static SafeTensor Latent(string name, sbyte[] trits, int rows, int cols, float beta)
    {
        var w = new float[trits.Length];
        for (int i = 0; i < w.Length; i++) w[i] = trits[i] * beta;
        return SafeTensor.FromSinglesAs(name, [rows, cols], w, SafeTensorDType.BF16);
    }

    private static void AddPacked(SafeTensorsFile f, string name, sbyte[] trits, int rows, int cols, float beta)
    {
        if (rows % 4 != 0) throw new UserInputException(name, $"{rows} output rows is not a multiple of 4, as the packed format needs");
        int pr = rows / 4;
        var data = new byte[(long)pr * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                data[(long)(r % pr) * cols + c] |= (byte)((trits[(long)r * cols + c] + 1) << (2 * (r / pr)));
        f.Add(SafeTensor.FromBytes(name, [pr, cols], data));
        f.Add(SafeTensor.FromSinglesAs(name[..^".weight".Length] + ".weight_scale", [1], [1f / beta], SafeTensorDType.F32));
    }

    /// <summary>U(−1, 1) rounded to bf16, written straight as bf16 bytes (2 bytes per element, no float copy).</summary>
    private static SafeTensor Halves(string name, string stream, ulong seed, int rows, int cols)
    {
        var rng = SplitMix64.For(seed, stream);
        var data = new byte[2L * rows * cols];
        for (long i = 0; i < data.Length; i += 2)
        {
            ushort bits = Float16.SingleToBFloat16((float)(rng.NextDouble() * 2 - 1));
            data[i] = (byte)bits;
            data[i + 1] = (byte)(bits >> 8);
        }
        return new SafeTensor(name, SafeTensorDType.BF16, [rows, cols], data);
    }

    public static BitNetWeights Load(string dir)
    {
        string cfgPath = Path.Combine(dir, ConfigFile), wPath = Path.Combine(dir, WeightsFile);
        var c = ModelConfig.Load(cfgPath);
        // Tensor by tensor from the file: the file is never held whole beside the model built from it.
        var f = SafeTensorsFile.Open(wPath);
        bool tied = !f.Contains("lm_head.weight");
        if (tied != c.TieWordEmbeddings)
            throw new UserInputException(wPath, $"tie_word_embeddings is {(c.TieWordEmbeddings ? "true" : "false")} in config.json but lm_head.weight is {(tied ? "absent" : "present")}");
        FloatMatrix Dense(string name, int rows, int cols)
        {
            var t = f.Get(name);
            RequireShape(wPath, t, [rows, cols]);
            if (t.DType is SafeTensorDType.BF16 or SafeTensorDType.F16)
            {
                // Kept as 16-bit patterns (no float copy of a large embedding); non-finite values are rejected.
                var u16 = new ushort[checked((int)t.Count)];
                t.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(u16.AsSpan()));
                ushort exp = t.DType == SafeTensorDType.F16 ? (ushort)0x7C00 : (ushort)0x7F80;
                int bad = Array.FindIndex(u16, h => (h & exp) == exp);
                if (bad >= 0) throw new UserInputException($"{wPath}: tensor '{name}'", $"element {bad} is NaN or infinity");
                return new FloatMatrix(name, t.DType == SafeTensorDType.F16 ? Gguf.GgmlType.F16 : Gguf.GgmlType.BF16, rows, cols, null, u16);
            }
            var v = t.ToSingles(wPath);
            BitNetQuant.RequireFinite(v, name);
            return new FloatMatrix(name, Gguf.GgmlType.F32, rows, cols, v, null);
        }
        float[] Vec(string name, long n)
        {
            var t = f.Get(name);
            RequireShape(wPath, t, [n]);
            var v = t.ToSingles(wPath);
            BitNetQuant.RequireFinite(v, name);
            return v;
        }
        bool? packedSeen = null;
        byte[]? scratch = null; // packed projections are read into this one buffer in turn
        var layers = new List<LayerWeights>();
        for (int i = 0; i < c.NumLayers; i++)
        {
            TernaryMatrix P(string g, string hf)
            {
                long[] dims = GgufLayout.ProjectionDims(c, g);
                var m = Projection(f, wPath, Layer(i, hf), (int)dims[1], (int)dims[0], ref scratch, out bool packed);
                packedSeen ??= packed;
                return m;
            }
            float[] N(string g, string hf) => Vec(Layer(i, hf), GgufLayout.NormLength(c, g));
            layers.Add(new LayerWeights(N("attn_norm", "input_layernorm"), N("attn_sub_norm", "self_attn.attn_sub_norm"),
                N("ffn_norm", "post_attention_layernorm"), N("ffn_sub_norm", "mlp.ffn_sub_norm"),
                P("attn_q", "self_attn.q_proj"), P("attn_k", "self_attn.k_proj"), P("attn_v", "self_attn.v_proj"),
                P("attn_output", "self_attn.o_proj"), P("ffn_gate", "mlp.gate_proj"), P("ffn_up", "mlp.up_proj"),
                P("ffn_down", "mlp.down_proj")));
        }
        var embd = Dense("model.embed_tokens.weight", c.VocabSize, c.HiddenSize);
        var output = tied ? null : Dense("lm_head.weight", c.VocabSize, c.HiddenSize);
        return new BitNetWeights(c, packedSeen == true ? "safetensors-packed" : "safetensors", embd, output,
            Vec("model.norm.weight", c.HiddenSize), [.. layers]);
    }

    private static TernaryMatrix Projection(SafeTensorsFile f, string file, string name, int rows, int cols, ref byte[]? scratch, out bool packed)
    {
        var t = f.Get(name);
        packed = t.DType == SafeTensorDType.U8;
        if (!packed)
        {
            RequireShape(file, t, [rows, cols]);
            float[] w = t.ToSingles(file);
            BitNetQuant.RequireFinite(w, name);
            float beta = BitNetQuant.WeightScale(w, WeightScaleMethod.AbsMean);
            var trits = new sbyte[w.Length];
            BitNetQuant.TernarizeWeights(w, beta, trits);
            return TernaryMatrix.FromTernary(trits, rows, cols, beta, name, rowPairs: true);
        }
        if (rows % 4 != 0) throw new UserInputException($"{file}: tensor '{name}'", $"{rows} output rows is not a multiple of 4");
        RequireShape(file, t, [rows / 4, cols]);
        string scaleName = name[..^".weight".Length] + ".weight_scale";
        var st = f.Get(scaleName);
        RequireShape(file, st, [1]);
        float ws = st.ToSingles(file)[0];
        if (!float.IsFinite(ws) || ws == 0)
            throw new UserInputException($"{file}: tensor '{scaleName}'", $"{ws} is not a finite non-zero scale");
        if (scratch is null || scratch.Length < t.ByteLength) scratch = new byte[t.ByteLength];
        var bytes = scratch.AsSpan(0, checked((int)t.ByteLength));
        t.CopyTo(bytes);
        return TernaryMatrix.FromPackedOwned(HfToCodes(bytes, rows, cols, $"{file}: tensor '{name}'"), rows, cols, 1f / ws, name, rowPairs: true);
    }

    /// <summary>
    /// transformers' packed layout, decoded straight into row-packed 2-bit <see cref="TernaryCode"/>s:
    /// output row r = q·(rows/4) + p is field q (bits 2q) of byte row p, holding w + 1; the code of w
    /// is its low two bits, (field − 1) &amp; 3. A field of 3 is not ternary: a user error naming the byte.
    /// </summary>
    public static byte[] HfToCodes(ReadOnlySpan<byte> data, int rows, int cols, string subject)
    {
        int pr = rows / 4, stride = TernaryCode.PackedLength(cols);
        var codes = new byte[checked(rows * stride)];
        for (int r = 0; r < rows; r++)
        {
            int shift = 2 * (r / pr);
            var src = data.Slice((r % pr) * cols, cols);
            var dst = codes.AsSpan(r * stride, stride);
            for (int c = 0; c < cols; c++)
            {
                int q = (src[c] >> shift) & 3;
                if (q == 3) throw new UserInputException(subject, $"byte {(long)(r % pr) * cols + c}: 2-bit field value 3 is not ternary (0 = -1, 1 = 0, 2 = +1)");
                dst[c >> 2] |= (byte)(((q - 1) & 3) << (2 * (c & 3)));
            }
        }
        return codes;
    }

    private static void RequireShape(string file, SafeTensor t, long[] shape)
    {
        if (!t.Shape.SequenceEqual(shape))
            throw new UserInputException($"{file}: tensor '{t.Name}'", $"shape {t.ShapeText} does not match [{string.Join(", ", shape)}] from config.json");
    }
}
