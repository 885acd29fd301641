namespace Bit1HW.Core.Numerics;

/// <summary>
/// Per-token quantized activations: <see cref="Data"/> [Tokens, Cols] row-major b-bit integers
/// stored as sbyte, and one float32 scale s per token (Xq = clamp(round(x·s)), docs/numerics.md).
/// </summary>
public sealed class QuantizedActivations
{
    public int Tokens { get; }
    public int Cols { get; }
    public int ActBits { get; }
    public sbyte[] Data { get; }
    public float[] Scales { get; }

    public QuantizedActivations(int tokens, int cols, int actBits, sbyte[] data, float[] scales)
    {
        BitNetQuant.RequireActBits(actBits);
        if (tokens < 1) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "at least one token");
        if (cols < 1) throw new ArgumentOutOfRangeException(nameof(cols), cols, "K must be at least 1");
        if (data.Length != checked(tokens * cols)) throw new ArgumentException($"{data.Length} values for [{tokens}, {cols}]", nameof(data));
        if (scales.Length != tokens) throw new ArgumentException($"{scales.Length} scales for {tokens} tokens", nameof(scales));
        int lo = BitNetQuant.QMin(actBits), hi = BitNetQuant.QMax(actBits);
        for (int i = 0; i < data.Length; i++)
            if (data[i] < lo || data[i] > hi)
                throw new ArgumentOutOfRangeException(nameof(data), data[i], $"element {i} is outside the {actBits}-bit range {lo}..{hi}");
        Tokens = tokens;
        Cols = cols;
        ActBits = actBits;
        Data = data;
        Scales = scales;
    }

    /// <summary>Quantizes float activations [tokens, cols] row by row with b-bit absmax scaling.</summary>
    public static QuantizedActivations Quantize(ReadOnlySpan<float> input, int tokens, int cols, int actBits)
    {
        BitNetQuant.RequireActBits(actBits);
        if (input.Length != checked(tokens * cols)) throw new ArgumentException($"{input.Length} values for [{tokens}, {cols}]", nameof(input));
        var data = new sbyte[input.Length];
        var scales = new float[tokens];
        for (int t = 0; t < tokens; t++)
        {
            ReadOnlySpan<float> row = input.Slice(t * cols, cols);
            scales[t] = BitNetQuant.ActivationScale(row, actBits);
            BitNetQuant.QuantizeActivations(row, scales[t], actBits, data.AsSpan(t * cols, cols));
        }
        return new QuantizedActivations(tokens, cols, actBits, data, scales);
    }
}
