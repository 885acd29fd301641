using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler;

/// <summary>
/// The external memory image of a streaming layer (docs/hardware.md, "External memory image"): its
/// weight words in the order the MACs consume them, packed as the config's <c>stream.packing</c>
/// says and padded with zero words to whole bursts. The compiler's schedule consumes one
/// accumulation group after another (token-major, then row block) and each group reads its row
/// block's K tiles in order, so stream word s holds row block (s / KT) mod RB, K tile s mod KT
/// (MemoryLayout's wmem word (s mod RB·KT)); a layer of T tokens streams its weights T times.
/// </summary>
public static class WeightStream
{
    /// <summary>Stream words the compiled layer's MACs read: tokens × row blocks × K tiles.</summary>
    public static long Words(MemoryLayout layout) => (long)layout.Tokens * layout.WeightWords;

    /// <summary>Whole bursts holding <paramref name="words"/> stream words.</summary>
    public static long Bursts(long words, HardwareConfig config) => (words + config.WordsPerBurst - 1) / config.WordsPerBurst;

    /// <summary>Bytes of the padded stream of a layer: its bursts × BurstBytes.</summary>
    public static long Bytes(MemoryLayout layout, HardwareConfig config) =>
        checked(Bursts(Words(layout), config) * config.Stream!.BurstBytes);

    /// <summary>The packed, burst-padded stream of <paramref name="layer"/> (one copy of the weights per token).</summary>
    public static byte[] Build(Layer layer, MemoryLayout layout, HardwareConfig config)
    {
        long total = Bytes(layout, config);
        if (total > Array.MaxLength)
            throw new UserInputException("layer", $"its weight stream needs {total} bytes, more than one array holds; split the layer");
        var stream = new byte[total];
        int wordBits = config.StreamWordBits, n = config.Rows * config.Lanes;
        var tile = new sbyte[n];
        var word = new byte[(wordBits + 7) / 8];
        long s = 0;
        for (int t = 0; t < layout.Tokens; t++)
        for (int b = 0; b < layout.RowBlocks; b++)
        for (int k = 0; k < layout.KTiles; k++, s++)
        {
            TileWeights(layer, b, k, config, tile);
            Array.Clear(word);
            PackWord(tile, config.Stream!.Packing, word);
            WriteBits(stream, s * wordBits, wordBits, word);
        }
        return stream;
    }

    /// <summary>Weights of row block <paramref name="block"/>, K tile <paramref name="ktile"/>, at index r · lanes + j; zero past the layer's edges.</summary>
    private static void TileWeights(Layer layer, int block, int ktile, HardwareConfig c, Span<sbyte> tile)
    {
        tile.Clear();
        int outF = layer.Shape.OutFeatures, inF = layer.Shape.InFeatures;
        int lanes = Math.Min(c.Lanes, inF - ktile * c.Lanes);
        for (int r = 0; r < c.Rows; r++)
        {
            int o = block * c.Rows + r;
            if (o >= outF) break;
            layer.Weights.AsSpan((int)((long)o * inF + (long)ktile * c.Lanes), lanes).CopyTo(tile.Slice(r * c.Lanes));
        }
    }

    /// <summary>
    /// One stream word from its rows · lanes ternary weights (index i = r · lanes + j), into
    /// <paramref name="word"/> (zeroed, at least StreamWordBits / 8 bytes, little-endian bit order).
    /// 2bit: TernaryCode i at bits [2i +: 2]. base3: weights 5k..5k+4 in byte k as
    /// ceil(256 · Σ (w + 1) · 3^(4−m) / 243), zeros padding the last group.
    /// </summary>
    public static void PackWord(ReadOnlySpan<sbyte> weights, WeightPacking packing, Span<byte> word)
    {
        if (packing == WeightPacking.TwoBit)
        {
            for (int i = 0; i < weights.Length; i++) word[i >> 2] |= (byte)((weights[i] & 3) << (2 * (i & 3)));
            return;
        }
        for (int k = 0; 5 * k < weights.Length; k++)
        {
            int v = 0;
            for (int m = 0; m < 5; m++)
            {
                int i = 5 * k + m;
                v = 3 * v + (i < weights.Length ? weights[i] + 1 : 1);
            }
            word[k] = Base3Byte(v);
        }
    }

    /// <summary>The byte of five trits whose base-3 value is <paramref name="v"/> (0..242): ceil(256 · v / 243).</summary>
    public static byte Base3Byte(int v) => (byte)((256 * v + 242) / 243);

    /// <summary>The five weights of a base3 byte, first weight first: x := 3q, trit := x >> 8, q := x &amp; 255, five times.</summary>
    public static void DecodeBase3Byte(byte q, Span<sbyte> weights)
    {
        int x = q;
        for (int m = 0; m < 5; m++)
        {
            x *= 3;
            weights[m] = (sbyte)((x >> 8) - 1);
            x &= 255;
        }
    }

    /// <summary>Writes <paramref name="bits"/> bits of <paramref name="word"/> at bit <paramref name="offset"/> of <paramref name="stream"/> (stream bit b is bit b mod 8 of byte b / 8).</summary>
    private static void WriteBits(byte[] stream, long offset, int bits, ReadOnlySpan<byte> word)
    {
        if (offset % 8 == 0 && bits % 8 == 0)
        {
            word[..(bits / 8)].CopyTo(stream.AsSpan((int)(offset / 8)));
            return;
        }
        for (int b = 0; b < bits; b++)
            if ((word[b >> 3] >> (b & 7) & 1) != 0) stream[(offset + b) >> 3] |= (byte)(1 << (int)((offset + b) & 7));
    }
}
