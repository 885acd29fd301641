namespace Bit1HW.Core.Numerics;

/// <summary>
/// The one 2-bit ternary weight encoding used by every component (weight memory, simulator,
/// generated RTL, files): 00 = 0, 01 = +1, 11 = -1, 10 = invalid. The code is the two's-complement
/// value of the weight in 2 bits, so hardware can sign-extend it directly; 10 (= -2) is never
/// produced and is rejected on unpack. Packing is little-endian within a byte: weight i of a row
/// occupies bits [2·(i mod 4), 2·(i mod 4) + 1] of byte i / 4; a final partial byte is zero-padded.
/// </summary>
public static class TernaryCode
{
    public const byte Zero = 0b00;
    public const byte PlusOne = 0b01;
    public const byte MinusOne = 0b11;
    public const byte Invalid = 0b10;

    public static byte Encode(sbyte weight) => weight switch
    {
        0 => Zero,
        1 => PlusOne,
        -1 => MinusOne,
        _ => throw new ArgumentOutOfRangeException(nameof(weight), weight, "a ternary weight is -1, 0 or +1"),
    };

    /// <summary>Decodes one 2-bit code; <paramref name="index"/> only feeds the error message.</summary>
    public static sbyte Decode(int code, long index = -1) => (code & 3) switch
    {
        Zero => 0,
        PlusOne => 1,
        MinusOne => -1,
        _ => throw new InvalidDataException(
            $"invalid ternary code 0b10 at weight {index} (encoding: 00=0, 01=+1, 11=-1)"),
    };

    public static int PackedLength(long count) => checked((int)((count + 3) / 4));

    public static byte[] Pack(ReadOnlySpan<sbyte> weights)
    {
        var packed = new byte[PackedLength(weights.Length)];
        for (int i = 0; i < weights.Length; i++)
            packed[i >> 2] |= (byte)(Encode(weights[i]) << (2 * (i & 3)));
        return packed;
    }

    public static sbyte[] Unpack(ReadOnlySpan<byte> packed, int count)
    {
        if (packed.Length != PackedLength(count))
            throw new InvalidDataException($"packed ternary data has {packed.Length} bytes, {PackedLength(count)} expected for {count} weights");
        var weights = new sbyte[count];
        for (int i = 0; i < count; i++)
            weights[i] = Decode(packed[i >> 2] >> (2 * (i & 3)), i);
        int tailBits = 2 * (count & 3);
        if (tailBits != 0 && (packed[^1] >> tailBits) != 0)
            throw new InvalidDataException($"packed ternary data has non-zero padding bits after weight {count - 1}");
        return weights;
    }
}
