using System.Globalization;
using System.Text;
using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.IO;

namespace Bit1HW.Model;

/// <summary>The FFN gate activation: relu² (BitNet b1.58) or SiLU (SwiGLU).</summary>
public enum HiddenAct { Relu2, Silu }

/// <summary>
/// The shape of a BitNet b1.58 decoder, in the vocabulary of a Hugging Face config.json. Unknown
/// fields in a config.json are ignored (HF configs carry many that do not affect the maths); known
/// fields are type- and range-checked, and a bad one is a <see cref="UserInputException"/> naming it.
/// </summary>
public sealed record ModelConfig
{
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public required int NumKvHeads { get; init; }
    public required int VocabSize { get; init; }
    public float RmsNormEps { get; init; } = 1e-5f;
    public float RopeTheta { get; init; } = 10000f;
    public HiddenAct Act { get; init; } = HiddenAct.Relu2;
    public bool TieWordEmbeddings { get; init; } = true;
    public int MaxPositions { get; init; } = 4096;

    public int HeadDim => HiddenSize / NumHeads;
    public int KvDim => HeadDim * NumKvHeads;

    public static ModelConfig Load(string path)
    {
        using JsonDocument doc = StrictJson.ParseFile(path, "model config");
        return FromJson(doc, path);
    }

    public static ModelConfig Parse(string json, string source)
    {
        using JsonDocument doc = StrictJson.Parse(json, source);
        return FromJson(doc, source);
    }

    private static ModelConfig FromJson(JsonDocument doc, string source)
    {
        var r = doc.RootElement;
        if (r.ValueKind != JsonValueKind.Object) throw new UserInputException(source, "the top level must be a JSON object");
        int heads = Int(r, "num_attention_heads", source, null);
        var cfg = new ModelConfig
        {
            HiddenSize = Int(r, "hidden_size", source, null),
            IntermediateSize = Int(r, "intermediate_size", source, null),
            NumLayers = Int(r, "num_hidden_layers", source, null),
            NumHeads = heads,
            NumKvHeads = Int(r, "num_key_value_heads", source, heads),
            VocabSize = Int(r, "vocab_size", source, null),
            RmsNormEps = (float)Num(r, "rms_norm_eps", source, 1e-5),
            RopeTheta = (float)Num(r, "rope_theta", source, 10000.0),
            Act = ParseAct(r, source),
            TieWordEmbeddings = Bool(r, "tie_word_embeddings", source, true),
            MaxPositions = Int(r, "max_position_embeddings", source, 4096),
        };
        cfg.Validate(source);
        return cfg;
    }

    /// <summary>Checks the relations between fields; <paramref name="source"/> names the file in the message.</summary>
    public void Validate(string source)
    {
        void Fail(string field, string problem) => throw new UserInputException($"{source}: {field}", problem);
        if (HiddenSize < 1) Fail("hidden_size", $"{HiddenSize} must be positive");
        if (IntermediateSize < 1) Fail("intermediate_size", $"{IntermediateSize} must be positive");
        if (NumLayers < 1) Fail("num_hidden_layers", $"{NumLayers} must be positive");
        if (NumHeads < 1 || HiddenSize % NumHeads != 0) Fail("num_attention_heads", $"{NumHeads} must be positive and divide hidden_size {HiddenSize}");
        if (HeadDim % 2 != 0) Fail("num_attention_heads", $"head dimension {HeadDim} must be even for RoPE");
        if (NumKvHeads < 1 || NumHeads % NumKvHeads != 0) Fail("num_key_value_heads", $"{NumKvHeads} must be positive and divide num_attention_heads {NumHeads}");
        if (VocabSize < 1) Fail("vocab_size", $"{VocabSize} must be positive");
        if (!(RmsNormEps > 0) || !float.IsFinite(RmsNormEps)) Fail("rms_norm_eps", $"{RmsNormEps} must be positive and finite");
        if (!(RopeTheta > 1) || !float.IsFinite(RopeTheta)) Fail("rope_theta", $"{RopeTheta} must be finite and greater than 1");
        if (MaxPositions < 1) Fail("max_position_embeddings", $"{MaxPositions} must be positive");
        ModelShapeLimits.CheckDimensions(f => $"{source}: {f}", HiddenSize, IntermediateSize, NumLayers, VocabSize, MaxPositions);
        CheckSize(source);
    }

    /// <summary>Parameters of the ternary projections, embeddings and norms.</summary>
    public long Parameters
    {
        get
        {
            long h = HiddenSize, i = IntermediateSize;
            long perLayer = 2 * h * h + 2 * h * KvDim + 3 * h * i + 3 * h + i;
            return NumLayers * perLayer + (TieWordEmbeddings ? 1 : 2) * (long)VocabSize * h + h;
        }
    }

    /// <summary>Each matrix within <see cref="ModelShapeLimits.MaxMatrixElements"/>, the model within <see cref="ModelShapeLimits.MaxParameters"/>.</summary>
    private void CheckSize(string source)
    {
        var inv = CultureInfo.InvariantCulture;
        long h = HiddenSize;
        foreach (var (field, elements, what) in (ReadOnlySpan<(string, long, string)>)
                 [("hidden_size", h * h, "attention projection"), ("intermediate_size", h * IntermediateSize, "FFN projection"), ("vocab_size", h * VocabSize, "embedding")])
        {
            if (elements > ModelShapeLimits.MaxMatrixElements)
                throw new UserInputException($"{source}: {field}", string.Create(inv,
                    $"gives an {what} of {elements} elements, more than the {ModelShapeLimits.MaxMatrixElements} one matrix may have (docs/model.md, \"Limits\")"));
        }
        if (Parameters > ModelShapeLimits.MaxParameters)
            throw new UserInputException($"{source}: num_hidden_layers", string.Create(inv,
                $"the model has {Parameters} parameters, more than the {ModelShapeLimits.MaxParameters} supported (docs/model.md, \"Limits\")"));
    }

    /// <summary>The config as a Hugging Face style config.json (sorted keys, "\n", invariant numbers).</summary>
    public string ToJson()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append("{\n");
        sb.Append("  \"architectures\": [\"BitNetForCausalLM\"],\n");
        sb.Append(inv, $"  \"hidden_act\": \"{(Act == HiddenAct.Relu2 ? "relu2" : "silu")}\",\n");
        sb.Append(inv, $"  \"hidden_size\": {HiddenSize},\n");
        sb.Append(inv, $"  \"intermediate_size\": {IntermediateSize},\n");
        sb.Append(inv, $"  \"max_position_embeddings\": {MaxPositions},\n");
        sb.Append("  \"model_type\": \"bitnet\",\n");
        sb.Append(inv, $"  \"num_attention_heads\": {NumHeads},\n");
        sb.Append(inv, $"  \"num_hidden_layers\": {NumLayers},\n");
        sb.Append(inv, $"  \"num_key_value_heads\": {NumKvHeads},\n");
        sb.Append(inv, $"  \"rms_norm_eps\": {RmsNormEps.ToString("R", inv)},\n");
        sb.Append(inv, $"  \"rope_theta\": {RopeTheta.ToString("R", inv)},\n");
        sb.Append(inv, $"  \"tie_word_embeddings\": {(TieWordEmbeddings ? "true" : "false")},\n");
        sb.Append(inv, $"  \"vocab_size\": {VocabSize}\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    private static int Int(JsonElement r, string name, string source, int? dflt)
    {
        if (!r.TryGetProperty(name, out var v))
            return dflt ?? throw new UserInputException($"{source}: {name}", "required field is missing");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
            throw new UserInputException($"{source}: {name}", $"{v.GetRawText()} is not a 32-bit integer");
        return i;
    }

    private static double Num(JsonElement r, string name, string source, double dflt)
    {
        if (!r.TryGetProperty(name, out var v)) return dflt;
        if (v.ValueKind != JsonValueKind.Number) throw new UserInputException($"{source}: {name}", $"{v.GetRawText()} is not a number");
        return v.GetDouble();
    }

    private static bool Bool(JsonElement r, string name, string source, bool dflt)
    {
        if (!r.TryGetProperty(name, out var v)) return dflt;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new UserInputException($"{source}: {name}", $"{v.GetRawText()} is not true or false"),
        };
    }

    private static HiddenAct ParseAct(JsonElement r, string source)
    {
        if (!r.TryGetProperty("hidden_act", out var v)) return HiddenAct.Relu2;
        return v.ValueKind == JsonValueKind.String ? v.GetString() switch
        {
            "relu2" => HiddenAct.Relu2,
            "silu" => HiddenAct.Silu,
            var s => throw new UserInputException($"{source}: hidden_act", $"'{s}' is not supported (relu2, silu)"),
        } : throw new UserInputException($"{source}: hidden_act", $"{v.GetRawText()} is not a string");
    }
}
