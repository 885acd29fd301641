using Bit1HW.Core;

namespace Bit1HW.Model.Decoding;

/// <summary>One decoder step at a time with a KV cache: feed a token, get the next token's logits.</summary>
public interface ITokenDecoder
{
    int Position { get; }
    /// <summary>Bytes of 2-bit ternary weights the backend has streamed so far.</summary>
    long TernaryBytesRead { get; }
    /// <summary>The logits after <paramref name="token"/>; the array may be reused by the next step (copy it to keep it).</summary>
    float[] Step(int token);
}

/// <summary>
/// Which arithmetic the decoder follows: bit1hw's own bit-exact contract (docs/numerics.md) or
/// llama.cpp's CPU numerics (Q8_K activations, fp16 attention operands and lm_head input).
/// </summary>
public enum DecoderNumerics { Bit1hw, LlamaCpp }

/// <summary>The decoder for a numerics mode, by the names <c>decode --numerics</c> takes.</summary>
public static class Decoders
{
    public static DecoderNumerics ParseNumerics(string s) => s switch
    {
        "bit1hw" => DecoderNumerics.Bit1hw,
        "llamacpp" => DecoderNumerics.LlamaCpp,
        _ => throw new UserInputException("--numerics", $"'{s}' is not one of bit1hw, llamacpp"),
    };

    /// <summary><paramref name="threads"/>: the lm_head's threads in bit1hw numerics (0 = all cores).</summary>
    public static ITokenDecoder Create(BitNetWeights w, ITernaryLinearBackend backend, int capacity, DecoderNumerics numerics, int threads = 0) =>
        numerics == DecoderNumerics.LlamaCpp ? new LlamaCppDecoder(w, backend, capacity) : new Decoder(w, backend, capacity, threads);
}
