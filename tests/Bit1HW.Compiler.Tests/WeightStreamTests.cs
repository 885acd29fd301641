using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Compiler.Tests;

public class WeightStreamTests
{
    [Fact]
    public void Every_base3_byte_decodes_to_the_five_weights_it_encodes()
    {
        Span<sbyte> back = stackalloc sbyte[5];
        for (int v = 0; v < 243; v++)
        {
            var w = new sbyte[5];
            for (int m = 0, x = v; m < 5; m++, x /= 3) w[4 - m] = (sbyte)(x % 3 - 1);
            var word = new byte[1];
            WeightStream.PackWord(w, WeightPacking.Base3, word);
            WeightStream.DecodeBase3Byte(word[0], back);
            Assert.True(back.SequenceEqual(w), $"v = {v}: byte {word[0]}");
        }
    }

    [Fact]
    public void A_base3_word_pads_its_last_byte_with_zero_weights()
    {
        // 7 weights: byte 0 holds weights 0-4, byte 1 weights 5, 6 and three zeros (trit 1 each).
        sbyte[] w = [1, 1, 1, 1, 1, -1, 0];
        var word = new byte[2];
        WeightStream.PackWord(w, WeightPacking.Base3, word);
        Assert.Equal(WeightStream.Base3Byte(242), word[0]);
        Assert.Equal(WeightStream.Base3Byte(0 * 81 + 1 * 27 + 1 * 9 + 1 * 3 + 1), word[1]);
    }

    private static Layer RandomLayer(int tokens, int outF, int inF, int seed)
    {
        var rng = new Random(seed);
        var w = new sbyte[outF * inF];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)(i % 11 == 0 ? -1 : rng.Next(-1, 2));
        return new Layer(new Workload(tokens, outF, inF), w, new sbyte[tokens * inF]);
    }

    [Theory]
    [InlineData(16, 4, 1, 9, 70)]
    [InlineData(8, 2, 3, 5, 20)]
    public void A_2bit_stream_is_the_host_fed_wmem_words_in_group_order_once_per_token(int lanes, int rows, int tokens, int outF, int inF)
    {
        var host = new HardwareConfig { Lanes = lanes, Rows = rows, MaxK = 128 * lanes }.Validate();
        var streaming = host with { Stream = new StreamConfig { AxiDataBits = 32, BurstBeats = 16 } };
        streaming.Validate();
        Layer layer = RandomLayer(tokens, outF, inF, 3);
        MemoryLayout layout = MemoryLayout.For(layer.Shape, host);
        MemoryImage wmem = layout.PackWeights(layer, host);
        byte[] stream = WeightStream.Build(layer, layout, streaming);
        Assert.Equal(0, stream.Length % streaming.Stream!.BurstBytes);
        int wordBytes = host.WeightWordBits / 8;
        for (int s = 0; s < tokens * layout.WeightWords; s++)
        {
            var want = System.Runtime.InteropServices.MemoryMarshal.AsBytes(wmem.Word(s % layout.WeightWords)).Slice(0, wordBytes);
            Assert.True(stream.AsSpan(s * wordBytes, wordBytes).SequenceEqual(want), $"stream word {s}");
        }
        Assert.All(stream[(tokens * layout.WeightWords * wordBytes)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_base3_stream_word_decodes_to_the_tile_of_its_group()
    {
        var c = new HardwareConfig { Lanes = 16, Rows = 5, Stream = new StreamConfig { AxiDataBits = 128, Packing = WeightPacking.Base3 } }.Validate();
        Assert.Equal(128, c.StreamWordBits);   // 80 weights in 16 bytes
        Layer layer = RandomLayer(1, 7, 40, 9);
        MemoryLayout layout = MemoryLayout.For(layer.Shape, c);
        byte[] stream = WeightStream.Build(layer, layout, c);
        Span<sbyte> five = stackalloc sbyte[5];
        for (int b = 0; b < layout.RowBlocks; b++)
        for (int k = 0; k < layout.KTiles; k++)
        {
            int s = b * layout.KTiles + k;
            for (int i = 0; i < 80; i++)
            {
                WeightStream.DecodeBase3Byte(stream[s * 16 + i / 5], five);
                int o = b * 5 + i / 16, col = k * 16 + i % 16;
                sbyte want = o < 7 && col < 40 ? layer.Weights[o * 40 + col] : (sbyte)0;
                Assert.Equal(want, five[i % 5]);
            }
        }
    }

    [Fact]
    public void Streams_laid_out_in_one_address_space_follow_each_other_burst_aligned()
    {
        var c = new HardwareConfig { Stream = new StreamConfig { AxiDataBits = 128, BurstBeats = 4 } }.Validate();
        var space = new StreamAddressSpace(c, baseAddress: 0x1000);
        Assert.Equal(new StreamPlacement(0, 3), space.Add("q", 3));
        Assert.Equal(new StreamPlacement(3, 5), space.Add("k", 5));
        Assert.Equal(8 * 64, space.Bytes);
    }

    [Fact]
    public void A_model_beyond_the_axi_address_space_is_a_one_line_error_naming_the_stream()
    {
        var c = new HardwareConfig { Stream = new StreamConfig { AxiDataBits = 1024, BurstBeats = 32, AxiAddrBits = 32 }, WeightDepth = 2048 }.Validate();
        var space = new StreamAddressSpace(c);
        space.Add("layer 0", 1 << 19);   // 2 GiB of 4 KiB bursts
        var e = Assert.Throws<UserInputException>(() => space.Add("layer 1 ffn_up", 1 << 19 | 1));
        Assert.Contains("layer 1 ffn_up", e.Message);
        Assert.Contains("32-bit AXI address space", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
