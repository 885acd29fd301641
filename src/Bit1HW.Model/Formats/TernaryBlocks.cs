using System.Buffers.Binary;
using Bit1HW.Core;

namespace Bit1HW.Model.Formats;

/// <summary>
/// The three ternary tensor encodings, byte for byte (docs/model.md, "Tensor types"):
/// <list type="bullet">
/// <item>TQ2_0 (llama.cpp): blocks of 256 weights, 66 bytes: qs[64] then an fp16 scale d. Weight
/// 128·h + 32·l + m (h ∈ {0,1}, l ∈ 0..3, m ∈ 0..31) is the 2-bit field at bits 2l of qs[32·h + m],
/// holding w + 1. llama.cpp dequantizes a field q to (q − 1)·d, so the unused field 3 would mean +2.</item>
/// <item>TQ1_0 (llama.cpp): blocks of 256 weights, 54 bytes: qs[48], qh[4], fp16 d. Each byte holds
/// trits t₀..t₄ (t = w + 1) as the fixed-point fraction ceil(Σ tᵢ·3^(4−i) · 256 / 243); trit i is
/// recovered as ((byte · 3^i) mod 256) · 3 >> 8. qs[m], m &lt; 32, holds weights m + 32·i;
/// qs[32 + m], m &lt; 16, holds 160 + m + 16·i; qh[j] holds 240 + j + 4·i for i &lt; 4 (its 5th trit is 0).</item>
/// <item>I2_S (bitnet.cpp): the flattened tensor in groups of G weights, G/4 bytes each, G = 128
/// in bitnet.cpp's x86 build and 64 in its ARM build (<see cref="I2sLayout"/>); weight
/// G·g + (G/4)·k + p is the 2-bit field at bits 6 − 2k of byte (G/4)·g + p, holding w + 1
/// (0 = −1, 1 = 0, 2 = +1). After the n/4 code bytes: one float32 scale for the whole tensor, then
/// 28 bytes of padding (32 bytes in all).</item>
/// </list>
/// Decoding to trits rejects the field value 3 (TQ2_0, I2_S), which no ternary weight produces.
/// </summary>
internal static class TernaryBlocks
{
    private static readonly byte[] Pow3 = [1, 3, 9, 27, 81, 243];

    public static byte[] EncodeTq2(ReadOnlySpan<sbyte> w, float scale)
    {
        RequireBlocks(w.Length);
        ushort d = Float16.SingleToHalf(scale);
        var outBytes = new byte[w.Length / 256 * GgufBlock.Tq2];
        for (int b = 0; b < w.Length / 256; b++)
        {
            var blk = outBytes.AsSpan(b * GgufBlock.Tq2, GgufBlock.Tq2);
            var x = w.Slice(b * 256, 256);
            for (int i = 0; i < 256; i++)
            {
                int h = i / 128, l = (i % 128) / 32, m = i % 32;
                blk[32 * h + m] |= (byte)((Trit(x[i]) + 1) << (2 * l));
            }
            BinaryPrimitives.WriteUInt16LittleEndian(blk[64..], d);
        }
        return outBytes;
    }

    public static byte[] EncodeTq1(ReadOnlySpan<sbyte> w, float scale)
    {
        RequireBlocks(w.Length);
        ushort d = Float16.SingleToHalf(scale);
        var outBytes = new byte[w.Length / 256 * GgufBlock.Tq1];
        for (int b = 0; b < w.Length / 256; b++)
        {
            var blk = outBytes.AsSpan(b * GgufBlock.Tq1, GgufBlock.Tq1);
            var x = w.Slice(b * 256, 256);
            for (int m = 0; m < 32; m++) blk[m] = PackTrits(x, m, 32, 5);
            for (int m = 0; m < 16; m++) blk[32 + m] = PackTrits(x, 160 + m, 16, 5);
            for (int j = 0; j < 4; j++) blk[48 + j] = PackTrits(x, 240 + j, 4, 4);
            BinaryPrimitives.WriteUInt16LittleEndian(blk[52..], d);
        }
        return outBytes;
    }

    /// <summary>Trits first..first+stride·(n−1), most significant first, as a base-3 fixed-point byte.</summary>
    private static byte PackTrits(ReadOnlySpan<sbyte> x, int first, int stride, int n)
    {
        int v = 0;
        for (int i = 0; i < 5; i++) v = v * 3 + (i < n ? Trit(x[first + i * stride]) + 1 : 0);
        return (byte)((v * 256 + 242) / 243);
    }

    /// <summary>Weights per I2_S group in <paramref name="layout"/> (bitnet.cpp's QK_I2_S).</summary>
    public static int I2sGroup(I2sLayout layout) => layout == I2sLayout.Arm ? 64 : 128;

    public static byte[] EncodeI2s(ReadOnlySpan<sbyte> w, float scale, I2sLayout layout = I2sLayout.X86)
    {
        int group = I2sGroup(layout), run = group / 4;
        if (w.Length % group != 0) throw new ArgumentException($"I2_S needs a multiple of {group} weights, got {w.Length}");
        var outBytes = new byte[w.Length / 4 + 32];
        for (int i = 0; i < w.Length; i++)
        {
            int g = i / group, k = (i % group) / run, p = i % run;
            outBytes[run * g + p] |= (byte)((Trit(w[i]) + 1) << (6 - 2 * k));
        }
        BinaryPrimitives.WriteSingleLittleEndian(outBytes.AsSpan(w.Length / 4), scale);
        return outBytes;
    }

    /// <summary>Weights of one TQ2_0 tensor and each block's fp16 scale bits.</summary>
    public static void DecodeTq2(ReadOnlySpan<byte> data, Span<sbyte> w, Span<ushort> blockScales, string tensor, long fileOffset)
    {
        for (int b = 0; b < blockScales.Length; b++)
        {
            var blk = data.Slice(b * GgufBlock.Tq2, GgufBlock.Tq2);
            var x = w.Slice(b * 256, 256);
            for (int h = 0; h < 2; h++)
                for (int l = 0; l < 4; l++)
                    for (int m = 0; m < 32; m++)
                    {
                        int q = (blk[32 * h + m] >> (2 * l)) & 3;
                        if (q == 3) throw BadCode(tensor, fileOffset + (long)b * GgufBlock.Tq2 + 32 * h + m, "TQ2_0");
                        x[128 * h + 32 * l + m] = (sbyte)(q - 1);
                    }
            blockScales[b] = BinaryPrimitives.ReadUInt16LittleEndian(blk[64..]);
        }
    }

    /// <summary>
    /// TQ2_0 blocks straight into row-packed <see cref="Bit1HW.Core.Numerics.TernaryCode"/> bytes
    /// (64 per block; rows are whole blocks, so a tensor's codes are its blocks' codes in order),
    /// each block's fp16 scale bits, and whether the block has a non-zero weight. Code byte j of a
    /// block holds weights 4j..4j+3, which all sit in field l = (j mod 32) / 8 of the four bytes
    /// qs[32·(j / 32) + 4·(j mod 8) + k]; the four fields are gathered into one byte and mapped
    /// field by field by <see cref="Tq2FieldsToCode"/>.
    /// </summary>
    public static void Tq2ToCodes(ReadOnlySpan<byte> data, Span<byte> codes, Span<ushort> blockScales, Span<bool> nonZero, string tensor, long fileOffset)
    {
        for (int b = 0; b < blockScales.Length; b++)
        {
            var blk = data.Slice(b * GgufBlock.Tq2, GgufBlock.Tq2);
            var dst = codes.Slice(b * 64, 64);
            int any = 0;
            for (int j = 0; j < 64; j++)
            {
                int src = 32 * (j >> 5) + 4 * (j & 7), l = (j & 31) >> 3;
                uint v = (BinaryPrimitives.ReadUInt32LittleEndian(blk[src..]) >> (2 * l)) & 0x03030303u;
                byte fields = (byte)(v | v >> 6 | v >> 12 | v >> 18);
                if (((fields >> 1) & fields & 0x55) != 0)
                    throw BadCode(tensor, fileOffset + (long)b * GgufBlock.Tq2 + src + FirstField3(fields), "TQ2_0");
                dst[j] = Tq2FieldsToCode[fields];
                any |= dst[j];
            }
            blockScales[b] = BinaryPrimitives.ReadUInt16LittleEndian(blk[64..]);
            nonZero[b] = any != 0;
        }
    }

    /// <summary>Four TQ2_0 fields q = w + 1 → four 2-bit codes w: q − 1 mod 4 per field (0 → 11, 1 → 00, 2 → 01).</summary>
    private static readonly byte[] Tq2FieldsToCode = [.. Enumerable.Range(0, 256).Select(v =>
        (byte)Enumerable.Range(0, 4).Sum(f => (((v >> (2 * f)) - 1) & 3) << (2 * f)))];

    private static int FirstField3(byte fields)
    {
        int f = 0;
        while (((fields >> (2 * f)) & 3) != 3) f++;
        return f;
    }

    public static void DecodeTq1(ReadOnlySpan<byte> data, Span<sbyte> w, Span<ushort> blockScales)
    {
        for (int b = 0; b < blockScales.Length; b++)
        {
            var blk = data.Slice(b * GgufBlock.Tq1, GgufBlock.Tq1);
            var x = w.Slice(b * 256, 256);
            for (int i = 0; i < 5; i++)
            {
                for (int m = 0; m < 32; m++) x[32 * i + m] = UnpackTrit(blk[m], i);
                for (int m = 0; m < 16; m++) x[160 + 16 * i + m] = UnpackTrit(blk[32 + m], i);
            }
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) x[240 + 4 * i + j] = UnpackTrit(blk[48 + j], i);
            blockScales[b] = BinaryPrimitives.ReadUInt16LittleEndian(blk[52..]);
        }
    }

    /// <summary>Trit i of a base-3 fixed-point byte, minus one, exactly as ggml's reference: ((q·3^i) mod 256)·3 >> 8.</summary>
    public static sbyte UnpackTrit(byte q, int i) => (sbyte)((((byte)(q * Pow3[i])) * 3 >> 8) - 1);

    /// <summary>Weights of one I2_S tensor of <paramref name="w"/>.Length elements; returns the float32 scale.</summary>
    public static float DecodeI2s(ReadOnlySpan<byte> data, Span<sbyte> w, string tensor, long fileOffset, I2sLayout layout = I2sLayout.X86)
    {
        int group = I2sGroup(layout), run = group / 4;
        if (w.Length % group != 0)
            throw new UserInputException($"tensor '{tensor}'", $"{w.Length} elements is not a multiple of the {layout} I2_S group size {group}");
        for (int i = 0; i < w.Length; i++)
        {
            int g = i / group, k = (i % group) / run, p = i % run;
            int q = (data[run * g + p] >> (6 - 2 * k)) & 3;
            if (q == 3) throw BadCode(tensor, fileOffset + run * g + p, "I2_S");
            w[i] = (sbyte)(q - 1);
        }
        return BinaryPrimitives.ReadSingleLittleEndian(data[(w.Length / 4)..]);
    }

    /// <summary>ggml's reference dequantization of TQ2_0, including the non-ternary field 3 → 2·d.</summary>
    public static float[] DequantizeTq2(ReadOnlySpan<byte> data)
    {
        int nb = data.Length / GgufBlock.Tq2;
        var y = new float[nb * 256];
        for (int b = 0; b < nb; b++)
        {
            var blk = data.Slice(b * GgufBlock.Tq2, GgufBlock.Tq2);
            float d = Float16.HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(blk[64..]));
            for (int h = 0; h < 2; h++)
                for (int l = 0; l < 4; l++)
                    for (int m = 0; m < 32; m++)
                        y[b * 256 + 128 * h + 32 * l + m] = (((blk[32 * h + m] >> (2 * l)) & 3) - 1) * d;
        }
        return y;
    }

    /// <summary>ggml's reference dequantization of TQ1_0: (trit − 1)·d.</summary>
    public static float[] DequantizeTq1(ReadOnlySpan<byte> data)
    {
        int nb = data.Length / GgufBlock.Tq1;
        var w = new sbyte[nb * 256];
        var scales = new ushort[nb];
        DecodeTq1(data, w, scales);
        var y = new float[w.Length];
        for (int i = 0; i < y.Length; i++) y[i] = w[i] * Float16.HalfToSingle(scales[i / 256]);
        return y;
    }

    private static int Trit(sbyte v) => v is >= -1 and <= 1 ? v : throw new ArgumentOutOfRangeException(nameof(v), v, "not ternary");

    private static void RequireBlocks(int n)
    {
        if (n % 256 != 0) throw new ArgumentException($"TQ blocks hold 256 weights; {n} is not a multiple");
    }

    private static UserInputException BadCode(string tensor, long offset, string type) =>
        new($"tensor '{tensor}'", $"byte offset {offset}: 2-bit field value 3 is not a ternary {type} code (0 = -1, 1 = 0, 2 = +1)");
}

/// <summary>Which bitnet.cpp build packed an I2_S tensor: x86 (128-weight groups) or ARM (64-weight groups).</summary>
public enum I2sLayout { X86, Arm }

internal static class GgufBlock
{
    public const int Tq2 = 66;
    public const int Tq1 = 54;
}
