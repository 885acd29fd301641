using System.Globalization;
using Bit1HW.Core;

namespace Bit1HW.Model.Gguf;

/// <summary>The vocabulary a written GGUF file carries: a placeholder SentencePiece one (llama.cpp needs one to load), or none.</summary>
public enum TokenizerKind { Spm, None }

/// <summary>
/// The tokenizer metadata a synthetic model carries so that llama.cpp loads it (it refuses a file
/// without <c>tokenizer.ggml.model</c>). Synthetic weights have no real vocabulary, so this one is
/// a placeholder with the shape llama.cpp's SentencePiece ("llama") loader expects:
/// id 0 <c>&lt;unk&gt;</c> (type UNKNOWN), 1 <c>&lt;s&gt;</c> and 2 <c>&lt;/s&gt;</c> (CONTROL, the bos/eos
/// ids), then, as far as the vocabulary reaches, the 256 byte tokens <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c>
/// (type BYTE), then the normal pieces <c>▁</c> (SentencePiece's space, so text with spaces comes back
/// with spaces) and <c>▁w{id}</c>, with score −(id − first normal id). Scores of the special and byte
/// tokens are 0. <see cref="TokenizerKind.None"/> writes only
/// <c>tokenizer.ggml.model = "none"</c>: enough for llama.cpp's API and llama-bench, not llama-cli.
/// </summary>
internal static class GgufVocabulary
{
    // llama.cpp's llama_token_type values.
    private const int Normal = 1, Unknown = 2, Control = 3, Byte = 6;
    public const int MinSpmVocab = 3;

    public static TokenizerKind ParseKind(string s) => s switch
    {
        "spm" => TokenizerKind.Spm,
        "none" => TokenizerKind.None,
        _ => throw new UserInputException("--tokenizer", $"'{s}' is not one of spm, none"),
    };

    public static IEnumerable<KeyValuePair<string, GgufValue>> Metadata(TokenizerKind kind, int vocab)
    {
        if (kind == TokenizerKind.None)
        {
            yield return new("tokenizer.ggml.model", GgufValue.Of("none"));
            yield break;
        }
        if (vocab < MinSpmVocab)
            throw new UserInputException("vocab_size", $"{vocab} is too small for a SentencePiece vocabulary (<unk>, <s>, </s>); use --tokenizer none");
        var tokens = new object[vocab];
        var scores = new object[vocab];
        var types = new object[vocab];
        int firstNormal = Math.Min(vocab, MinSpmVocab + 256);
        for (int id = 0; id < vocab; id++)
        {
            (string piece, int type) = id switch
            {
                0 => ("<unk>", Unknown),
                1 => ("<s>", Control),
                2 => ("</s>", Control),
                _ when id < firstNormal => (string.Create(CultureInfo.InvariantCulture, $"<0x{id - MinSpmVocab:X2}>"), Byte),
                _ when id == firstNormal => ("\u2581", Normal),
                _ => (string.Create(CultureInfo.InvariantCulture, $"\u2581w{id}"), Normal),
            };
            tokens[id] = piece;
            types[id] = type;
            scores[id] = id < firstNormal ? 0f : (float)-(id - firstNormal);
        }
        yield return new("tokenizer.ggml.model", GgufValue.Of("llama"));
        yield return new("tokenizer.ggml.tokens", new GgufValue(GgufValueType.Array, new GgufArray(GgufValueType.String, tokens)));
        yield return new("tokenizer.ggml.scores", new GgufValue(GgufValueType.Array, new GgufArray(GgufValueType.Float32, scores)));
        yield return new("tokenizer.ggml.token_type", new GgufValue(GgufValueType.Array, new GgufArray(GgufValueType.Int32, types)));
        yield return new("tokenizer.ggml.unknown_token_id", GgufValue.Of(0u));
        yield return new("tokenizer.ggml.bos_token_id", GgufValue.Of(1u));
        yield return new("tokenizer.ggml.eos_token_id", GgufValue.Of(2u));
    }
}
