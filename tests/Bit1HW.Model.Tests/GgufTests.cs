using System.Text;
using Bit1HW.Core;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Tests;

public class GgufTests
{
    /// <summary>A GGUF v3 file spelled out byte by byte: one string key, one F32 tensor of two elements.</summary>
    private static byte[] HandFile(uint version = 3, uint tensorType = 0, ulong offset = 0, ulong dim0 = 2)
    {
        var b = new List<byte>();
        void U32(uint v) => b.AddRange(BitConverter.GetBytes(v));
        void U64(ulong v) => b.AddRange(BitConverter.GetBytes(v));
        void Str(string s) { U64((ulong)s.Length); b.AddRange(Encoding.ASCII.GetBytes(s)); }
        b.AddRange("GGUF"u8.ToArray());
        U32(version);
        U64(1);                 // tensors
        U64(1);                 // key/values
        Str("general.architecture"); U32(8); Str("bitnet");
        Str("w"); U32(1); U64(dim0); U32(tensorType); U64(offset);
        while (b.Count % 32 != 0) b.Add(0);   // data section aligned to 32
        b.AddRange(BitConverter.GetBytes(1.5f));
        b.AddRange(BitConverter.GetBytes(-2f));
        return [.. b];
    }

    private static GgufFile Parse(byte[] bytes) => GgufReader.Read(new MemoryStream(bytes), "test.gguf");

    [Fact]
    public void A_hand_written_v3_file_parses_to_its_spelled_out_fields()
    {
        var bytes = HandFile();
        var f = Parse(bytes);
        Assert.Equal(3u, f.Version);
        Assert.Equal("bitnet", f.Get("general.architecture")!.Value);
        var t = Assert.Single(f.Tensors);
        Assert.Equal("w", t.Name);
        Assert.Equal([2L], t.Dims);
        Assert.Equal(GgmlType.F32, t.Type);
        // header: 4+4+8+8 + (8+20+4+8+6) + (8+1+4+8+4+8) = 24 + 46 + 33 = 103 → data at 128
        Assert.Equal(128, f.DataOffset);
        Assert.Equal(1.5f, BitConverter.ToSingle(bytes, (int)f.DataOffset));
    }

    [Fact]
    public void Version_2_is_read_the_same_way()
    {
        Assert.Equal(2u, Parse(HandFile(version: 2)).Version);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(4u)]
    [InlineData(0x03000000u)] // a big-endian v3 file read little-endian
    public void Unsupported_versions_are_bad_input(uint version)
    {
        var e = Assert.Throws<UserInputException>(() => Parse(HandFile(version: version)));
        Assert.Contains("unsupported GGUF version", e.Message);
        Assert.Contains("byte offset 4", e.Message);
    }

    [Fact]
    public void A_wrong_magic_is_bad_input()
    {
        var b = HandFile();
        b[0] = (byte)'X';
        Assert.Contains("not a GGUF file", Assert.Throws<UserInputException>(() => Parse(b)).Message);
    }

    [Fact]
    public void Every_truncation_of_the_header_or_data_is_bad_input()
    {
        var b = HandFile();
        for (int n = 0; n < b.Length; n++)
            Assert.Throws<UserInputException>(() => Parse(b[..n]));
    }

    [Fact]
    public void Tensor_data_past_the_end_of_the_file_names_tensor_and_offset()
    {
        var e = Assert.Throws<UserInputException>(() => Parse(HandFile(dim0: 3)));
        Assert.Contains("tensor 'w' data (12 bytes) runs past the end", e.Message);
        Assert.Contains("byte offset 128", e.Message);
    }

    [Fact]
    public void A_misaligned_tensor_offset_is_bad_input()
    {
        var e = Assert.Throws<UserInputException>(() => Parse(HandFile(offset: 4)));
        Assert.Contains("not a multiple of the alignment 32", e.Message);
    }

    [Fact]
    public void An_unknown_tensor_type_names_the_tensor_and_offset()
    {
        var e = Assert.Throws<UserInputException>(() => Parse(HandFile(tensorType: 12)));
        Assert.Contains("tensor 'w' has unknown or unsupported ggml type 12", e.Message);
        Assert.Contains("byte offset 91", e.Message);
    }

    [Fact]
    public void A_TQ2_0_row_that_is_not_whole_blocks_is_bad_input()
    {
        var e = Assert.Throws<UserInputException>(() => Parse(HandFile(tensorType: 35, dim0: 100)));
        Assert.Contains("row length 100 is not a multiple of the TQ2_0 block size 256", e.Message);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Every_metadata_type_round_trips_through_writer_and_reader(uint version)
    {
        var meta = new List<KeyValuePair<string, GgufValue>>
        {
            new("u8", new(GgufValueType.UInt8, (byte)200)),
            new("i8", new(GgufValueType.Int8, (sbyte)-100)),
            new("u16", new(GgufValueType.UInt16, (ushort)60000)),
            new("i16", new(GgufValueType.Int16, (short)-30000)),
            new("u32", new(GgufValueType.UInt32, 4000000000u)),
            new("i32", new(GgufValueType.Int32, -2000000000)),
            new("f32", new(GgufValueType.Float32, 0.1f)),
            new("bool", new(GgufValueType.Bool, true)),
            new("str", new(GgufValueType.String, "héllo")),
            new("u64", new(GgufValueType.UInt64, ulong.MaxValue)),
            new("i64", new(GgufValueType.Int64, long.MinValue)),
            new("f64", new(GgufValueType.Float64, Math.PI)),
            new("arr", new(GgufValueType.Array, new GgufArray(GgufValueType.String, ["a", "bc", ""]))),
            new("nested", new(GgufValueType.Array, new GgufArray(GgufValueType.Array,
                [new GgufArray(GgufValueType.Int32, [1, 2]), new GgufArray(GgufValueType.Int32, [])]))),
            new("general.alignment", GgufValue.Of(64u)),
        };
        var tensors = new List<GgufTensorSource>
        {
            new("a", [3], GgmlType.F32, s => s.Write(new byte[12])),
            new("b", [256, 2], GgmlType.TQ2_0, s => s.Write(new byte[132])),
        };
        var ms = new MemoryStream();
        GgufWriter.Write(ms, version, meta, tensors);
        var bytes = ms.ToArray();
        var f = Parse(bytes);
        Assert.Equal(version, f.Version);
        Assert.Equal(64u, f.Alignment);
        Assert.Equal(meta.Select(kv => kv.Key), f.Metadata.Select(kv => kv.Key));
        for (int i = 0; i < meta.Count; i++)
        {
            Assert.Equal(meta[i].Value.Type, f.Metadata[i].Value.Type);
            Assert.Equal(meta[i].Value.ToString(), f.Metadata[i].Value.ToString());
        }
        Assert.Equal(0, f.DataOffset % 64);
        Assert.Equal(64, f.Tensors[1].Offset);
        Assert.Equal(132, f.Tensors[1].ByteSize);
        var again = new MemoryStream();
        GgufWriter.Write(again, version, f.Metadata, tensors);
        Assert.Equal(bytes, again.ToArray());
    }
}
