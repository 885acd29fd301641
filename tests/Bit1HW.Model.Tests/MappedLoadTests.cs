using Bit1HW.Core;
using Bit1HW.Model.Decoding;
using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Tests;

/// <summary>
/// Tests that count the bytes the process allocates (GC.GetTotalAllocatedBytes is process-wide) run
/// alone: a test class running beside them would add its own allocations to the count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCountingCollection
{
    public const string Name = "allocation counting";
}

/// <summary>Loading a file maps its float tensors and decodes its ternary tensors once, into the final codes.</summary>
[Collection(AllocationCountingCollection.Name)]
public sealed class MappedLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-mapped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(byte[] bytes, string name = "m.gguf")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static List<float[]> Logits(BitNetWeights w)
    {
        var all = new List<float[]>();
        DecodeRun.Run(w, new ReferenceBackend(2), [1, 5, 9], 4, 0, 1, l => all.Add((float[])l.Clone()));
        return all;
    }

    [Theory]
    [InlineData(ModelFormat.GgufTq2, true)]
    [InlineData(ModelFormat.GgufTq1, true)]
    [InlineData(ModelFormat.GgufI2s, false)]
    public void A_mapped_file_decodes_to_the_same_logits_as_the_same_bytes_read_from_a_stream(ModelFormat format, bool tied)
    {
        byte[] bytes = TinyModels.Gguf(TinyModels.Config(tied), 21, format);
        var mapped = Logits(ModelFile.Load(Write(bytes)));
        var streamed = Logits(TinyModels.Load(bytes));
        Assert.Equal(streamed.Count, mapped.Count);
        for (int s = 0; s < streamed.Count; s++)
            Assert.True(streamed[s].AsSpan().SequenceEqual(mapped[s]), $"{format}: logits differ at step {s}");
    }

    [Fact]
    public void Loading_a_file_allocates_the_ternary_codes_but_not_the_embedding()
    {
        // 4 MB of fp16 embedding, 0.5 MB of 2-bit codes: a copied embedding or a byte per weight would show.
        var c = TinyModels.Config() with { VocabSize = 8192 };
        string path = Write(TinyModels.Gguf(c, 3, ModelFormat.GgufTq2));
        ModelFile.Load(path); // JIT and thread pool warm-up outside the measurement
        GgufReader.ReadFile(path);
        // The header (metadata, the SentencePiece vocabulary) is parsed into objects either way.
        long before = GC.GetTotalAllocatedBytes(precise: true);
        GgufReader.ReadFile(path);
        long header = GC.GetTotalAllocatedBytes(precise: true) - before;
        before = GC.GetTotalAllocatedBytes(precise: true);
        var w = ModelFile.Load(path);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before - header;
        long codes = w.TernaryWeightBytes, embedding = 2L * c.VocabSize * c.HiddenSize;
        Assert.True(allocated < codes + embedding / 4, $"loading allocated {allocated} bytes besides the {header}-byte header for {codes} bytes of codes and a {embedding}-byte embedding");
    }

    [Fact]
    public void A_NaN_in_a_mapped_embedding_is_named_with_its_byte_offset()
    {
        byte[] bytes = TinyModels.Gguf(TinyModels.Config(), 1, ModelFormat.GgufTq2);
        var f = GgufReader.Read(new MemoryStream(bytes), "m.gguf");
        long at = f.DataOffset + f.Find(GgufLayout.TokenEmbd)!.Offset + 2 * 1000;
        bytes[at] = 0x00;
        bytes[at + 1] = 0x7E; // fp16 NaN
        var e = Assert.Throws<UserInputException>(() => ModelFile.Load(Write(bytes)));
        Assert.Contains($"tensor '{GgufLayout.TokenEmbd}'", e.Message);
        Assert.Contains($"byte offset {at}: element 1000 is NaN or infinity", e.Message);
    }

    /// <summary>The per-block scales are checked in buffers reused from tensor to tensor: a later, smaller tensor is judged by its own blocks only.</summary>
    [Theory]
    [InlineData("blk.1.ffn_down.weight", 0, 1)]
    [InlineData("blk.1.attn_k.weight", 0, 4)]
    public void A_block_whose_scale_differs_from_the_first_is_named_with_its_byte_offset(string tensor, int first, int block)
    {
        byte[] bytes = TinyModels.Gguf(TinyModels.Config(), 5, ModelFormat.GgufTq2);
        var f = GgufReader.Read(new MemoryStream(bytes), "m.gguf");
        long at = f.DataOffset + f.Find(tensor)!.Offset + (long)GgmlTypes.Tq2BlockBytes * block + GgmlTypes.Tq2BlockBytes - 2;
        bytes[at] ^= 1; // the fp16 scale's lowest mantissa bit
        var e = Assert.Throws<UserInputException>(() => ModelFile.Load(Write(bytes)));
        Assert.Contains($"tensor '{tensor}'", e.Message);
        Assert.Contains($"byte offset {at}: block {block} scale", e.Message);
        Assert.Contains($"differs from block {first} scale", e.Message);
    }

    [Fact]
    public void Tq2_blocks_decode_straight_to_the_codes_of_their_trits()
    {
        var rng = new SplitMix64(9);
        var trits = new sbyte[4 * 256];
        for (int i = 0; i < trits.Length; i++) trits[i] = (sbyte)((int)(rng.NextUInt64() % 3) - 1);
        trits.AsSpan(256, 256).Clear(); // an all-zero block
        byte[] blocks = TernaryBlocks.EncodeTq2(trits, 0.25f);
        var codes = new byte[trits.Length / 4];
        var scales = new ushort[4];
        var nonZero = new bool[4];
        TernaryBlocks.Tq2ToCodes(blocks, codes, scales, nonZero, "t", 0);
        Assert.Equal(Bit1HW.Core.Numerics.TernaryCode.Pack(trits), codes);
        Assert.Equal([true, false, true, true], nonZero);
        Assert.All(scales, s => Assert.Equal(Float16.SingleToHalf(0.25f), s));
    }

    [Fact]
    public void A_tq2_field_of_3_is_reported_at_the_same_byte_as_the_trit_decoder_reports_it()
    {
        byte[] blocks = TernaryBlocks.EncodeTq2(new sbyte[512], 1f);
        blocks[66 + 32 + 5] |= 0b11 << 4; // block 1, h = 1, m = 5, field l = 2
        var direct = Assert.Throws<UserInputException>(() => TernaryBlocks.Tq2ToCodes(blocks, new byte[128], new ushort[2], new bool[2], "t", 1000));
        var trits = Assert.Throws<UserInputException>(() => TernaryBlocks.DecodeTq2(blocks, new sbyte[512], new ushort[2], "t", 1000));
        Assert.Equal(trits.Message, direct.Message);
        Assert.Contains($"byte offset {1000 + 66 + 32 + 5}", direct.Message);
    }
}
