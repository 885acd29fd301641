using Bit1HW.Model.Gguf;

namespace Bit1HW.Model;

/// <summary>
/// The GGUF names and shapes of a BitNet model as llama.cpp's "bitnet" architecture loads them
/// (docs/model.md, "GGUF layout"). Shapes are in ggml order [in, out]. llama.cpp always ties the
/// lm_head to token_embd for this architecture; an untied model here adds "output.weight", as
/// llama.cpp's other architectures name it. Metadata keys are "bitnet.*" plus
/// "bit1hw.hidden_act" (llama.cpp's bitnet graph is always relu2).
/// </summary>
internal static class GgufLayout
{
    public const string Arch = "bitnet";
    public const string TokenEmbd = "token_embd.weight";
    public const string OutputNorm = "output_norm.weight";
    public const string Output = "output.weight";

    public static readonly string[] Projections = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];
    public static readonly string[] Norms = ["attn_norm", "attn_sub_norm", "ffn_norm", "ffn_sub_norm"];

    public static string Blk(int layer, string part) => $"blk.{layer}.{part}.weight";

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

    public static List<KeyValuePair<string, GgufValue>> Metadata(ModelConfig c, GgmlType ternary, ulong seed) =>
    [
        new("general.architecture", GgufValue.Of(Arch)),
        new("general.name", GgufValue.Of("bit1hw synthetic BitNet b1.58")),
        new("general.alignment", GgufValue.Of(GgufFile.DefaultAlignment)),
        new("general.file_type", GgufValue.Of(FileType(ternary))),
        new("bitnet.vocab_size", GgufValue.Of((uint)c.VocabSize)),
        new("bitnet.context_length", GgufValue.Of((uint)c.MaxPositions)),
        new("bitnet.embedding_length", GgufValue.Of((uint)c.HiddenSize)),
        new("bitnet.block_count", GgufValue.Of((uint)c.NumLayers)),
        new("bitnet.feed_forward_length", GgufValue.Of((uint)c.IntermediateSize)),
        new("bitnet.attention.head_count", GgufValue.Of((uint)c.NumHeads)),
        new("bitnet.attention.head_count_kv", GgufValue.Of((uint)c.NumKvHeads)),
        new("bitnet.attention.layer_norm_rms_epsilon", GgufValue.Of(c.RmsNormEps)),
        new("bitnet.rope.freq_base", GgufValue.Of(c.RopeTheta)),
        new("bitnet.rope.dimension_count", GgufValue.Of((uint)c.HeadDim)),
        new("bit1hw.hidden_act", GgufValue.Of(c.Act == HiddenAct.Relu2 ? "relu2" : "silu")),
        new("bit1hw.seed", GgufValue.Of(seed)),
    ];

    /// <summary>Reads the model shape back from GGUF metadata; a missing or mistyped key names itself.</summary>
    public static ModelConfig Config(GgufFile f, bool tied)
    {
        var arch = f.Get("general.architecture");
        if (arch?.Value is not string a)
            throw new Core.UserInputException(f.Path, "metadata key 'general.architecture' is missing or not a string");
        if (a != Arch) throw new Core.UserInputException(f.Path, $"general.architecture is '{a}'; only '{Arch}' is supported");
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
        int heads = U("bitnet.attention.head_count");
        var act = f.Get("bit1hw.hidden_act")?.Value as string ?? "relu2";
        var cfg = new ModelConfig
        {
            HiddenSize = U("bitnet.embedding_length"),
            IntermediateSize = U("bitnet.feed_forward_length"),
            NumLayers = U("bitnet.block_count"),
            NumHeads = heads,
            NumKvHeads = f.Get("bitnet.attention.head_count_kv") is null ? heads : U("bitnet.attention.head_count_kv"),
            VocabSize = f.Get("bitnet.vocab_size") is null ? (int)(f.Find(TokenEmbd)?.Dims[^1] ?? 0) : U("bitnet.vocab_size"),
            RmsNormEps = F("bitnet.attention.layer_norm_rms_epsilon", 1e-5f),
            RopeTheta = F("bitnet.rope.freq_base", 10000f),
            MaxPositions = f.Get("bitnet.context_length") is null ? 4096 : U("bitnet.context_length"),
            Act = act switch
            {
                "relu2" => HiddenAct.Relu2,
                "silu" => HiddenAct.Silu,
                _ => throw new Core.UserInputException(f.Path, $"bit1hw.hidden_act '{act}' is not supported (relu2, silu)"),
            },
            TieWordEmbeddings = tied,
        };
        cfg.Validate(f.Path);
        return cfg;
    }
}
