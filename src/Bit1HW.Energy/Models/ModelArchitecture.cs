using Bit1HW.Core;
using Bit1HW.Core.IO;

namespace Bit1HW.Energy.Models;

/// <summary>One linear layer of a block: an <see cref="InFeatures"/> × <see cref="OutFeatures"/> weight matrix.</summary>
public sealed record LinearShape(string Name, long InFeatures, long OutFeatures)
{
    public long Weights => checked(InFeatures * OutFeatures);
}

/// <summary>
/// A decoder-only transformer's shape, read from a Hugging Face <c>config.json</c> (the fields
/// hidden_size, intermediate_size, num_hidden_layers, num_attention_heads, num_key_value_heads,
/// head_dim, vocab_size, tie_word_embeddings, hidden_act; every other field is ignored). As in
/// Hugging Face, num_key_value_heads defaults to num_attention_heads, head_dim to hidden_size /
/// num_attention_heads (Gemma 3 sets it apart: 4 heads of 256 on a hidden size of 1152) and
/// tie_word_embeddings to false. Every block has q, k, v, o projections and, by default, a gated MLP
/// (gate, up, down: the LLaMA layout; BitNet 2B-4T gates with ReLU², same matrices); the project's own
/// <c>_bit1hw.mlp: "plain"</c> selects the two-matrix MLP (up, down) of GPT-style models such as BitNet v1.
/// </summary>
public sealed record ModelArchitecture(
    string Id,
    string Label,
    string Source,
    long HiddenSize,
    long IntermediateSize,
    long Layers,
    long AttentionHeads,
    long KeyValueHeads,
    long VocabSize,
    bool TiedEmbeddings,
    string HiddenAct,
    long HeadDim,
    bool GatedMlp = true)
{
    /// <summary>Width of the query (and attention output) vector: heads × head_dim.</summary>
    public long QueryDim => checked(AttentionHeads * HeadDim);
    public long KeyValueDim => checked(KeyValueHeads * HeadDim);

    /// <summary>One block's linear layers: q, k, v, o, then gate, up, down (gated) or up, down (plain).</summary>
    public IReadOnlyList<LinearShape> LinearLayers =>
    [
        new("q", HiddenSize, QueryDim),
        new("k", HiddenSize, KeyValueDim),
        new("v", HiddenSize, KeyValueDim),
        new("o", QueryDim, HiddenSize),
        .. GatedMlp ? new LinearShape[] { new("gate", HiddenSize, IntermediateSize) } : [],
        new("up", HiddenSize, IntermediateSize),
        new("down", IntermediateSize, HiddenSize),
    ];

    /// <summary>Weights of all linear layers of all blocks (the ternary part of a BitNet model).</summary>
    public long LinearWeights => checked(LinearLayers.Sum(l => l.Weights) * Layers);

    public long EmbeddingWeights => checked(VocabSize * HiddenSize);

    /// <summary>Linear weights plus the embedding and (when not tied) the lm_head; norms are ignored.</summary>
    public long TotalWeights => checked(LinearWeights + EmbeddingWeights * (TiedEmbeddings ? 1 : 2));

    public static IReadOnlyList<string> ShippedIds => EmbeddedData.List("models/");

    /// <summary>A shipped model by id (see <see cref="ShippedIds"/>) or a path to a config.json.</summary>
    public static ModelArchitecture Resolve(string idOrPath)
    {
        if (ShippedIds.Contains(idOrPath)) return Parse(EmbeddedData.Read($"models/{idOrPath}.json"), idOrPath, $"{idOrPath}.json");
        if (File.Exists(idOrPath))
            return FromFields(JsonFields.File(idOrPath, "model config"), Path.GetFileNameWithoutExtension(idOrPath));
        throw new UserInputException("--model", $"'{idOrPath}' is neither a shipped model ({string.Join(", ", ShippedIds)}) nor an existing config.json");
    }

    public static ModelArchitecture Parse(string json, string id, string source) => FromFields(JsonFields.Root(json, source), id);

    private static ModelArchitecture FromFields(JsonFields root, string id)
    {
        long hidden = root.RequireCount("hidden_size", min: 1);
        long inter = root.RequireCount("intermediate_size", min: 1);
        long layers = root.RequireCount("num_hidden_layers", min: 1);
        long heads = root.RequireCount("num_attention_heads", min: 1);
        long kvHeads = root.OptionalCount("num_key_value_heads", heads, min: 1);
        long vocab = root.RequireCount("vocab_size", min: 1);
        bool tied = root.OptionalBool("tie_word_embeddings", false);
        string act = root.OptionalString("hidden_act") ?? "silu";
        ModelShapeLimits.CheckDimensions(root.Subject, hidden, inter, layers, vocab);
        if (heads > ModelShapeLimits.MaxHiddenSize)
            throw root.Error("num_attention_heads", $"{heads} is outside 1..{ModelShapeLimits.MaxHiddenSize} (docs/model.md, \"Limits\")");
        long headDim = HeadDimension(root, hidden, heads);
        if (kvHeads > heads || heads % kvHeads != 0)
            throw root.Error("num_key_value_heads", $"{kvHeads} does not divide num_attention_heads {heads}");
        JsonFields? meta = root.OptionalObject("_bit1hw");
        string label = meta?.OptionalString("label") ?? id;
        string src = meta?.OptionalString("source") ?? "user config";
        bool gated = (meta?.OptionalString("mlp") ?? "gated") switch
        {
            "gated" => true,
            "plain" => false,
            string s => throw meta!.Value.Error("mlp", $"'{s}' must be gated (gate, up, down) or plain (up, down)"),
        };
        return new ModelArchitecture(id, label, src, hidden, inter, layers, heads, kvHeads, vocab, tied, act, headDim, gated);
    }

    /// <summary>head_dim if the config gives it (heads × head_dim within the hidden-size limit), else hidden_size / num_attention_heads, which must then divide.</summary>
    private static long HeadDimension(JsonFields root, long hidden, long heads)
    {
        if (root.Has("head_dim"))
        {
            long headDim = root.RequireCount("head_dim", min: 1, max: ModelShapeLimits.MaxHiddenSize);
            if (heads * headDim > ModelShapeLimits.MaxHiddenSize)
                throw root.Error("head_dim", $"{headDim} × {heads} heads is above {ModelShapeLimits.MaxHiddenSize} (docs/model.md, \"Limits\")");
            return headDim;
        }
        if (hidden % heads != 0)
            throw root.Error("num_attention_heads", $"{heads} does not divide hidden_size {hidden}");
        return hidden / heads;
    }
}
