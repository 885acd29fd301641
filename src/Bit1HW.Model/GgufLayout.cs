using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>
/// The GGUF names and shapes of a BitNet model as llama.cpp's and bitnet.cpp's BitNet architectures
/// load them (docs/model.md, "GGUF layout"). Shapes are in ggml order [in, out]. llama.cpp always
/// ties the lm_head to token_embd for "bitnet"; an untied model here adds "output.weight", as
/// bitnet.cpp's "bitnet-b1.58" and llama.cpp's other architectures name it. Metadata keys are
/// prefixed with the architecture name (<see cref="GgufArchitecture"/>).
/// </summary>
internal static class GgufLayout
{
    /// <summary>llama.cpp's GGML_QNT_VERSION, written as general.quantization_version.</summary>
    public const uint QuantizationVersion = 2;
    public const string TokenEmbd = "token_embd.weight";
    public const string OutputNorm = "output_norm.weight";
    public const string Output = "output.weight";

    public static readonly string[] Projections = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];
    public static readonly string[] Norms = ["attn_norm", "attn_sub_norm", "ffn_norm", "ffn_sub_norm"];

    public static string Blk(int layer, string part) => $"blk.{layer}.{part}.weight";

    /// <summary>llama.cpp's optional per-projection scale tensor: one F32, multiplying the product.</summary>
    public static string BlkScale(int layer, string proj) => $"blk.{layer}.{proj}.scale";

    /// <summary>ggml dims [in, out] of a projection.</summary>
    public static long[] ProjectionDims(ModelConfig c, string proj) => proj switch
    {
        "attn_q" or "attn_output" => [c.HiddenSize, c.HiddenSize],
        "attn_k" or "attn_v" => [c.HiddenSize, c.KvDim],
        "ffn_gate" or "ffn_up" => [c.HiddenSize, c.IntermediateSize],
        "ffn_down" => [c.IntermediateSize, c.HiddenSize],
        _ => throw new System.Diagnostics.UnreachableException(proj),
    };

    public static long NormLength(ModelConfig c, string norm) => norm == "ffn_sub_norm" ? c.IntermediateSize : c.HiddenSize;

    /// <summary>llama.cpp's LLAMA_FTYPE for a file whose projections are all of <paramref name="t"/>.</summary>
    public static uint FileType(GgmlType t) => t switch
    {
        GgmlType.TQ1_0 => 36,
        GgmlType.TQ2_0 => 37,
        GgmlType.I2_S => 40,
        _ => 0,
    };

    /// <summary>
    /// The metadata of a synthetic model in the order written: general.*, the architecture's keys,
    /// the tokenizer. <paramref name="arch"/> defaults to the one that matches the model's
    /// activation; a name whose graph builds another activation is refused (<see cref="GgufArchitecture.Choose"/>).
    /// </summary>
    public static List<KeyValuePair<string, GgufValue>> Metadata(ModelConfig c, GgmlType ternary, ulong seed,
        string? arch = null, TokenizerKind tokenizer = TokenizerKind.Spm)
    {
        var a = GgufArchitecture.Choose(arch, c.Act);
        string p = a.Name + ".";
        var m = new List<KeyValuePair<string, GgufValue>>
        {
            new("general.architecture", GgufValue.Of(a.Name)),
            new("general.name", GgufValue.Of("bit1hw synthetic BitNet b1.58")),
            new("general.alignment", GgufValue.Of(GgufFile.DefaultAlignment)),
            new("general.file_type", GgufValue.Of(FileType(ternary))),
            new("general.quantization_version", GgufValue.Of(QuantizationVersion)),
            new(p + "vocab_size", GgufValue.Of((uint)c.VocabSize)),
            new(p + "context_length", GgufValue.Of((uint)c.MaxPositions)),
            new(p + "embedding_length", GgufValue.Of((uint)c.HiddenSize)),
            new(p + "block_count", GgufValue.Of((uint)c.NumLayers)),
            new(p + "feed_forward_length", GgufValue.Of((uint)c.IntermediateSize)),
            new(p + "attention.head_count", GgufValue.Of((uint)c.NumHeads)),
            new(p + "attention.head_count_kv", GgufValue.Of((uint)c.NumKvHeads)),
            new(p + "attention.layer_norm_rms_epsilon", GgufValue.Of(c.RmsNormEps)),
            new(p + "rope.freq_base", GgufValue.Of(c.RopeTheta)),
            new(p + "rope.dimension_count", GgufValue.Of((uint)c.HeadDim)),
            new(p + "hidden_activation", GgufValue.Of(GgufArchitecture.ActName(c.Act))),
            new("bit1hw.seed", GgufValue.Of(seed)),
        };
        m.AddRange(GgufVocabulary.Metadata(tokenizer, c.VocabSize));
        return m;
    }

    /// <summary>
    /// Reads the model shape back from GGUF metadata; a missing or mistyped key names itself. The
    /// activation is the one the architecture's graph builds, unless the file says otherwise in
    /// "{arch}.hidden_activation" or (files of earlier bit1hw versions) "bit1hw.hidden_act".
    /// </summary>
    public static ModelConfig Config(GgufFile f, bool tied)
    {
        var archValue = f.Get("general.architecture");
        if (archValue?.Value is not string name)
            throw new Core.UserInputException(f.Path, "metadata key 'general.architecture' is missing or not a string");
        var arch = GgufArchitecture.Find(name)
            ?? throw new Core.UserInputException(f.Path, $"general.architecture is '{name}'; supported: {GgufArchitecture.Names}");
        string p = arch.Name + ".";
        int U(string key)
        {
            ulong? v = f.Get(key)?.AsUInt64();
            if (v is null or 0 or > int.MaxValue)
                throw new Core.UserInputException(f.Path, $"metadata key '{key}' is missing, not an integer, or out of range");
            return (int)v.Value;
        }
        float F(string key, float dflt)
        {
            var v = f.Get(key);
            if (v is null) return dflt;
            return (float?)v.AsDouble() ?? throw new Core.UserInputException(f.Path, $"metadata key '{key}' is not a number");
        }
        int heads = U(p + "attention.head_count");
        var cfg = new ModelConfig
        {
            HiddenSize = U(p + "embedding_length"),
            IntermediateSize = U(p + "feed_forward_length"),
            NumLayers = U(p + "block_count"),
            NumHeads = heads,
            NumKvHeads = f.Get(p + "attention.head_count_kv") is null ? heads : U(p + "attention.head_count_kv"),
            VocabSize = f.Get(p + "vocab_size") is null ? (int)(f.Find(TokenEmbd)?.Dims[^1] ?? 0) : U(p + "vocab_size"),
            RmsNormEps = F(p + "attention.layer_norm_rms_epsilon", 1e-5f),
            RopeTheta = F(p + "rope.freq_base", 10000f),
            MaxPositions = f.Get(p + "context_length") is null ? 4096 : U(p + "context_length"),
            Act = Activation(f, "bit1hw.hidden_act") ?? Activation(f, p + "hidden_activation") ?? arch.Act,
            TieWordEmbeddings = tied,
        };
        cfg.Validate(f.Path);
        return cfg;
    }

    /// <summary>
    /// A warning when the file's declared activation is not the one its architecture's graph builds
    /// (files of earlier bit1hw versions wrote relu2 models as "bitnet"): llama.cpp and bitnet.cpp
    /// would run such a file as a different model. Null when they agree or nothing is declared.
    /// </summary>
    public static string? RuntimeMismatch(GgufFile f)
    {
        if (f.Get("general.architecture")?.Value is not string name || GgufArchitecture.Find(name) is not GgufArchitecture arch) return null;
        var declared = Activation(f, "bit1hw.hidden_act") ?? Activation(f, arch.Name + ".hidden_activation");
        if (declared is not HiddenAct act || act == arch.Act) return null;
        return $"general.architecture '{arch.Name}' makes {arch.Runtimes} build a {GgufArchitecture.ActName(arch.Act)} FFN, " +
            $"but this model is {GgufArchitecture.ActName(act)}: they would run a different model (bit1hw decodes it as {GgufArchitecture.ActName(act)}; " +
            $"rewrite it with 'bit1hw model new' to get '{GgufArchitecture.For(act).Name}')";
    }

    private static HiddenAct? Activation(GgufFile f, string key) => f.Get(key) switch
    {
        null => null,
        { Value: "relu2" } => HiddenAct.Relu2,
        { Value: "silu" or "swiglu" or "swish" } => HiddenAct.Silu,
        var v => throw new Core.UserInputException(f.Path, $"{key} {v} is not supported (relu2, silu)"),
    };
}
