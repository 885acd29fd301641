using System.Globalization;

namespace Bit1HW.Core;

/// <summary>
/// Limits on transformer shapes read from a config.json or GGUF metadata, shared by the energy
/// model (analytic, any size it can count) and the model tools (which hold a model in memory).
/// docs/model.md, "Limits", gives the reason for each number. The dimension limits alone keep every
/// product the energy model forms (7 · hidden · intermediate · layers, vocab · hidden) far inside
/// 64 bits; the model limits bound the memory and time of <c>model new</c>, loading and decoding.
/// </summary>
public static class ModelShapeLimits
{
    /// <summary>4× the widest published transformer (Llama 3.1 405B: 16,384).</summary>
    public const long MaxHiddenSize = 65_536;
    /// <summary>About 5× the largest published FFN width (Llama 3.1 405B: 53,248).</summary>
    public const long MaxIntermediateSize = 262_144;
    /// <summary>8× the deepest published decoder (Llama 3.1 405B: 126 layers).</summary>
    public const long MaxLayers = 1_024;
    /// <summary>8× the largest published vocabulary (Gemma 3: 262,208).</summary>
    public const long MaxVocabSize = 2_097_152;
    /// <summary>16 Mi positions: above every published context length (Llama 4 Scout: 10 M).</summary>
    public const long MaxPositions = 16_777_216;

    /// <summary>Elements of one weight matrix a model file may hold: the loader and the decoder keep a
    /// matrix in one array (1 byte per ternary weight, 2 per fp16 embedding element), 1 Gi elements.</summary>
    public const long MaxMatrixElements = 1L << 30;
    /// <summary>Parameters of a whole model for <c>model new</c> and the decoder, which keep it in
    /// memory (at least a byte per weight): 16 Gi, above the 13B shape, below the 70B one.</summary>
    public const long MaxParameters = 1L << 34;

    /// <summary>Checks the dimensions; <paramref name="field"/> maps a Hugging Face field name to the message's subject.</summary>
    public static void CheckDimensions(Func<string, string> field, long hidden, long intermediate, long layers, long vocab, long? positions = null)
    {
        Check(field, "hidden_size", hidden, MaxHiddenSize);
        Check(field, "intermediate_size", intermediate, MaxIntermediateSize);
        Check(field, "num_hidden_layers", layers, MaxLayers);
        Check(field, "vocab_size", vocab, MaxVocabSize);
        if (positions is long p) Check(field, "max_position_embeddings", p, MaxPositions);
    }

    private static void Check(Func<string, string> field, string name, long value, long max)
    {
        if (value < 1 || value > max)
            throw new UserInputException(field(name), string.Create(CultureInfo.InvariantCulture, $"{value} is outside 1..{max} (docs/model.md, \"Limits\")"));
    }
}
