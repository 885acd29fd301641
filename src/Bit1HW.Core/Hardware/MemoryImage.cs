namespace Bit1HW.Core.Hardware;

/// <summary>
/// The contents of one wide memory as the host loads it: <see cref="WrittenWords"/> words of
/// <see cref="WordBits"/> bits each, word w stored as little-endian 32-bit limbs at
/// <c>Limbs[w · LimbsPerWord ..]</c> (bit 0 of the word is bit 0 of its first limb; bits above
/// WordBits in the last limb are zero). Words at and beyond WrittenWords are never written, so
/// their contents are undefined in hardware. Packing only: the layout of fields inside a word is the
/// business of whoever fills it (docs/hardware.md, "Memories and word layouts").
/// </summary>
public sealed class MemoryImage
{
    public int WordBits { get; }
    public int Depth { get; }
    public int WrittenWords { get; }
    public int LimbsPerWord { get; }
    public uint[] Limbs { get; }

    public MemoryImage(int wordBits, int depth, int writtenWords)
        : this(wordBits, depth, writtenWords, new uint[checked(writtenWords * LimbCount(wordBits))]) { }

    public MemoryImage(int wordBits, int depth, int writtenWords, uint[] limbs)
    {
        if (wordBits < 1) throw new ArgumentOutOfRangeException(nameof(wordBits), wordBits, ">= 1");
        if (writtenWords < 0 || writtenWords > depth)
            throw new ArgumentOutOfRangeException(nameof(writtenWords), writtenWords, $"0..depth {depth}");
        ArgumentNullException.ThrowIfNull(limbs);
        LimbsPerWord = LimbCount(wordBits);
        if (limbs.Length != checked(writtenWords * LimbsPerWord))
            throw new ArgumentException($"{limbs.Length} limbs given, {writtenWords} words × {LimbsPerWord} expected", nameof(limbs));
        WordBits = wordBits;
        Depth = depth;
        WrittenWords = writtenWords;
        Limbs = limbs;
    }

    public static int LimbCount(int wordBits) => (wordBits + 31) / 32;

    /// <summary>The limbs of word <paramref name="word"/> (a view, not a copy).</summary>
    public ReadOnlySpan<uint> Word(int word)
    {
        CheckWord(word);
        return Limbs.AsSpan(word * LimbsPerWord, LimbsPerWord);
    }

    /// <summary>Bits [offset, offset + width) of a word, zero-extended; width 1..32.</summary>
    public uint GetBits(int word, int offset, int width)
    {
        CheckField(word, offset, width);
        int bit = word * LimbsPerWord * 32 + offset;
        int limb = bit >> 5;
        ulong window = Limbs[limb];
        if (limb + 1 < Limbs.Length) window |= (ulong)Limbs[limb + 1] << 32;
        return (uint)((window >> (bit & 31)) & FieldMask(width));
    }

    /// <summary>Bits [offset, offset + width) of a word sign-extended from <paramref name="width"/> bits.</summary>
    public int GetSigned(int word, int offset, int width)
    {
        uint u = GetBits(word, offset, width);
        int shift = 32 - width;
        return shift == 0 ? (int)u : ((int)(u << shift)) >> shift;
    }

    /// <summary>Writes the low <paramref name="width"/> bits of <paramref name="value"/> into a field.</summary>
    public void SetBits(int word, int offset, int width, uint value)
    {
        CheckField(word, offset, width);
        int bit = word * LimbsPerWord * 32 + offset;
        int limb = bit >> 5, shift = bit & 31;
        ulong mask = FieldMask(width) << shift;
        ulong bits = ((ulong)value << shift) & mask;
        Limbs[limb] = (uint)((Limbs[limb] & ~mask) | bits);
        if (shift + width > 32)
            Limbs[limb + 1] = (uint)((Limbs[limb + 1] & ~(mask >> 32)) | (bits >> 32));
    }

    private static ulong FieldMask(int width) => (1UL << width) - 1;

    private void CheckWord(int word)
    {
        if ((uint)word >= (uint)WrittenWords)
            throw new ArgumentOutOfRangeException(nameof(word), word, $"0..{WrittenWords - 1} (written words)");
    }

    private void CheckField(int word, int offset, int width)
    {
        CheckWord(word);
        if (width is < 1 or > 32 || offset < 0 || offset + width > WordBits)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"field [{offset} +: {width}] outside a {WordBits}-bit word");
    }
}
