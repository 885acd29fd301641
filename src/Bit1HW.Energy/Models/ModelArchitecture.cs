using Bit1HW.Core;
using Bit1HW.Core.IO;

namespace Bit1HW.Energy.Models;

/// <summary>
/// A decoder-only transformer's shape, read from a Hugging Face <c>config.json</c> (the fields
/// hidden_size, intermediate_size, num_hidden_layers, num_attention_heads, num_key_value_heads,
/// vocab_size, tie_word_embeddings, hidden_act; every other field is ignored). As in Hugging Face,
/// num_key_value_heads defaults to num_attention_heads and tie_word_embeddings to false. Every block
/// is taken to have q, k, v, o projections and a gated MLP (gate, up, down), the LLaMA layout that
/// all shipped models share (BitNet 2B-4T gates with ReLU² instead of SiLU, same matrices).
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
    string HiddenAct)
{
    public long HeadDim => HiddenSize / AttentionHeads;
    public long KeyValueDim => KeyValueHeads * HeadDim;

    /// <summary>Weights of one block's seven linear layers, in the order q, k, v, o, gate, up, down.</summary>
    public IReadOnlyList<(string Name, long Weights)> LinearLayers =>
    [
        ("q", checked(HiddenSize * HiddenSize)),
        ("k", checked(HiddenSize * KeyValueDim)),
        ("v", checked(HiddenSize * KeyValueDim)),
        ("o", checked(HiddenSize * HiddenSize)),
        ("gate", checked(HiddenSize * IntermediateSize)),
        ("up", checked(HiddenSize * IntermediateSize)),
        ("down", checked(IntermediateSize * HiddenSize)),
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
        if (hidden % heads != 0)
            throw root.Error("num_attention_heads", $"{heads} does not divide hidden_size {hidden}");
        if (kvHeads > heads || heads % kvHeads != 0)
            throw root.Error("num_key_value_heads", $"{kvHeads} does not divide num_attention_heads {heads}");
        JsonFields? meta = root.OptionalObject("_bit1hw");
        string label = meta?.OptionalString("label") ?? id;
        string src = meta?.OptionalString("source") ?? "user config";
        return new ModelArchitecture(id, label, src, hidden, inter, layers, heads, kvHeads, vocab, tied, act);
    }
}
