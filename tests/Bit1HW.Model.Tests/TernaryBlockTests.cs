using Bit1HW.Core.Numerics;
using Bit1HW.Core;
using Bit1HW.Model.Formats;

namespace Bit1HW.Model.Tests;

public class TernaryBlockTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static byte[] Tq2HandBlock()
    {
        var b = new byte[66];
        Array.Fill(b, (byte)0x55, 0, 64);   // every field 01 → weight 0
        b[0] = 0b00_10_01_00;              // fields l=0..3: 00 (−1), 01 (0), 10 (+1), 00 (−1) → weights 0, 32, 64, 96
        b[33] = 0b00_00_00_10;             // h=1, m=1: l=0 → +1 (weight 129); l=1..3 → −1 (161, 193, 225)
        b[64] = 0x00; b[65] = 0x40;        // fp16 0x4000 = 2.0
        return b;
    }

    [Fact]
    public void A_hand_written_TQ2_0_block_dequantizes_to_hand_computed_values()
    {
        float[] y = TernaryBlocks.DequantizeTq2(Tq2HandBlock());
        var expected = new float[256];
        expected[0] = -2; expected[64] = 2; expected[96] = -2;
        expected[129] = 2; expected[161] = -2; expected[193] = -2; expected[225] = -2;
        Assert.Equal(expected, y);
    }

    [Fact]
    public void Encoding_the_hand_TQ2_0_weights_reproduces_the_hand_bytes()
    {
        var w = new sbyte[256];
        w[0] = -1; w[64] = 1; w[96] = -1; w[129] = 1; w[161] = -1; w[193] = -1; w[225] = -1;
        Assert.Equal(Tq2HandBlock(), TernaryBlocks.EncodeTq2(w, 2.0f));
    }

    [Fact]
    public void TQ2_0_field_3_dequantizes_to_two_d_like_ggml_but_is_rejected_as_a_ternary_code()
    {
        var b = Tq2HandBlock();
        b[5] = 0x57; // weight 5 gets field 3
        Assert.Equal(4f, TernaryBlocks.DequantizeTq2(b)[5]);
        var e = Assert.Throws<UserInputException>(() =>
            TernaryBlocks.DecodeTq2(b, new sbyte[256], new ushort[1], "blk.0.attn_q.weight", 1000));
        Assert.Contains("blk.0.attn_q.weight", e.Message);
        Assert.Contains("byte offset 1005", e.Message);
    }

    private static byte[] Tq1HandBlock()
    {
        var b = new byte[54];
        Array.Fill(b, (byte)128, 0, 48);   // five zero weights: trits 1,1,1,1,1 → ceil(121·256/243) = 128
        Array.Fill(b, (byte)127, 48, 4);   // four zero weights, shifted: 40·3 = 120 → ceil(120·256/243) = 127
        b[0] = 207;                        // weights 0,32,64,96,128 = +1,0,−1,+1,0: trits 2,1,0,2,1 = 196 → ceil(196·256/243) = 207
        b[32] = 255;                       // weights 160,176,192,208,224 = +1: trits 2,2,2,2,2 = 242 → 255
        b[48] = 67;                        // weights 240,244,248,252 = −1,+1,0,−1: trits 0,2,1,0 = 21, ·3 = 63 → 67
        b[52] = 0x00; b[53] = 0x38;        // fp16 0x3800 = 0.5
        return b;
    }

    private static sbyte[] Tq1HandWeights()
    {
        var w = new sbyte[256];
        w[0] = 1; w[64] = -1; w[96] = 1;
        w[160] = 1; w[176] = 1; w[192] = 1; w[208] = 1; w[224] = 1;
        w[240] = -1; w[244] = 1; w[252] = -1;
        return w;
    }

    [Fact]
    public void A_hand_written_TQ1_0_block_decodes_to_hand_computed_trits_and_values()
    {
        var w = new sbyte[256];
        var d = new ushort[1];
        TernaryBlocks.DecodeTq1(Tq1HandBlock(), w, d);
        Assert.Equal(Tq1HandWeights(), w);
        Assert.Equal((ushort)0x3800, d[0]);
        float[] y = TernaryBlocks.DequantizeTq1(Tq1HandBlock());
        Assert.Equal(0.5f, y[0]);
        Assert.Equal(-0.5f, y[252]);
        Assert.Equal(0f, y[1]);
    }

    [Fact]
    public void Encoding_the_hand_TQ1_0_weights_reproduces_the_hand_bytes()
    {
        Assert.Equal(Tq1HandBlock(), TernaryBlocks.EncodeTq1(Tq1HandWeights(), 0.5f));
    }

    [Theory]
    [InlineData(207, 0, 1)]
    [InlineData(207, 1, 0)]
    [InlineData(207, 2, -1)]
    [InlineData(207, 3, 1)]
    [InlineData(207, 4, 0)]
    [InlineData(0, 0, -1)]
    [InlineData(255, 4, 1)]
    public void TQ1_0_fixed_point_unpacking_matches_hand_arithmetic(int b, int i, int expected)
    {
        // trit i = ((b·3^i) mod 256)·3 >> 8, e.g. 207·9 = 1863 ≡ 71, 71·3 = 213 → 0 → weight −1.
        Assert.Equal((sbyte)expected, TernaryBlocks.UnpackTrit((byte)b, i));
    }

    [Fact]
    public void Every_TQ1_0_byte_value_unpacks_to_ternary_trits()
    {
        for (int b = 0; b < 256; b++)
            for (int i = 0; i < 5; i++)
                Assert.InRange(TernaryBlocks.UnpackTrit((byte)b, i), -1, 1);
    }

    [Fact]
    public void A_hand_written_I2_S_tensor_decodes_to_hand_computed_weights_and_scale()
    {
        var b = new byte[128 / 4 + 32];
        Array.Fill(b, (byte)0x55, 0, 32);
        b[0] = 0b10_01_00_01;        // bits 7-6 → weight 0 = +1, 5-4 → weight 32 = 0, 3-2 → weight 64 = −1, 1-0 → weight 96 = 0
        b[32] = 0x00; b[33] = 0x00; b[34] = 0x80; b[35] = 0x3E; // float32 0.25
        var w = new sbyte[128];
        float scale = TernaryBlocks.DecodeI2s(b, w, "t", 0);
        var expected = new sbyte[128];
        expected[0] = 1; expected[64] = -1;
        Assert.Equal(expected, w);
        Assert.Equal(0.25f, scale);
        Assert.Equal(b, TernaryBlocks.EncodeI2s(expected, 0.25f));
    }

    /// <summary>
    /// Any trits, padded with zeros to whole 256-weight blocks (at least one), round-trip through
    /// TQ2_0, TQ1_0 and both I2_S layouts, and every block keeps its scale. FsCheck shrinks a failure
    /// to the shortest trit list that still fails.
    /// </summary>
    [Fact]
    public void Any_trits_round_trip_through_all_three_encodings()
    {
        Properties.Check(FsCheck.Fluent.Prop.ForAll(Arbitraries.Trits(), trits =>
        {
            int n = Math.Max(256, (trits.Length + 255) / 256 * 256);
            var w = new sbyte[n];
            trits.CopyTo(w, 0);
            var got = new sbyte[n];
            var scales = new ushort[n / 256];
            TernaryBlocks.DecodeTq2(TernaryBlocks.EncodeTq2(w, 0.125f), got, scales, "t", 0);
            bool tq2 = w.SequenceEqual(got) && scales.All(s => Float16.HalfToSingle(s) == 0.125f);
            Array.Clear(got);
            TernaryBlocks.DecodeTq1(TernaryBlocks.EncodeTq1(w, 0.125f), got, scales);
            bool tq1 = w.SequenceEqual(got) && scales.All(s => Float16.HalfToSingle(s) == 0.125f);
            bool i2s = true;
            foreach (I2sLayout layout in Enum.GetValues<I2sLayout>())
            {
                Array.Clear(got);
                i2s &= TernaryBlocks.DecodeI2s(TernaryBlocks.EncodeI2s(w, 0.3f, layout), got, "t", 0, layout) == 0.3f && w.SequenceEqual(got);
            }
            return FsCheck.Fluent.Prop.And(FsCheck.Fluent.Prop.And(FsCheck.Fluent.Prop.Label(tq2, "TQ2_0"), FsCheck.Fluent.Prop.Label(tq1, "TQ1_0")),
                FsCheck.Fluent.Prop.Label(i2s, "I2_S"));
        }), 20261130, output);
    }

    [Fact]
    public void All_243_five_trit_patterns_round_trip_through_TQ1_0_packing()
    {
        for (int v = 0; v < 243; v++)
        {
            var w = new sbyte[256];
            for (int i = 0, x = v; i < 5; i++, x /= 3) w[32 * (4 - i)] = (sbyte)(x % 3 - 1);
            var got = new sbyte[256];
            TernaryBlocks.DecodeTq1(TernaryBlocks.EncodeTq1(w, 1f), got, new ushort[1]);
            Assert.True(w.SequenceEqual(got), $"pattern {v}");
        }
    }
}
