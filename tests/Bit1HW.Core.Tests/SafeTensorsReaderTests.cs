using System.Text;
using Bit1HW.Core.IO;

namespace Bit1HW.Core.Tests;

public class SafeTensorsReaderTests
{
    /// <summary>File bytes spelled out by hand: little-endian header length, the JSON text given, then the data bytes.</summary>
    private static byte[] FileBytes(string json, params byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new List<byte>();
        ulong n = (ulong)header.Length;
        for (int i = 0; i < 8; i++) bytes.Add((byte)(n >> (8 * i)));
        bytes.AddRange(header);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static string ErrorOf(byte[] bytes) =>
        Assert.Throws<UserInputException>(() => SafeTensorsReader.Parse(bytes, "t.safetensors")).Message;

    [Fact]
    public void Reads_a_hand_written_file_with_two_dtypes_and_metadata()
    {
        byte[] bytes = FileBytes(
            "{\"__metadata__\":{\"k\":\"v\"},\"b\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[4,8]}," +
            "\"a\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[0,4]}}",
            0x80, 0x3F, 0xC0, 0xBF,       // bf16 1.0 and -1.5
            0xFF, 0xFF, 0x02, 0x01);      // int16 -1 and 258
        SafeTensorsFile f = SafeTensorsReader.Parse(bytes, "t.safetensors");
        Assert.Equal("v", f.Metadata["k"]);
        Assert.Equal(new[] { 1.0f, -1.5f }, f.Get("a").ToSingles("t"));
        Assert.Equal(new long[] { 1, 2 }, f.Get("a").Shape);
        Assert.Equal(SafeTensorDType.I16, f.Get("b").DType);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0x02, 0x01 }, f.Get("b").Data);
    }

    [Fact]
    public void An_opened_file_reads_each_tensor_when_asked_and_a_file_shortened_meanwhile_is_named()
    {
        byte[] bytes = FileBytes(
            "{\"__metadata__\":{\"k\":\"v\"},\"b\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[4,8]}," +
            "\"a\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[0,4]}}",
            0x80, 0x3F, 0xC0, 0xBF, 0xFF, 0xFF, 0x02, 0x01);
        string path = Path.Combine(Directory.CreateTempSubdirectory("bit1hw-st-open-").FullName, "t.safetensors");
        try
        {
            File.WriteAllBytes(path, bytes);
            SafeTensorsFile f = SafeTensorsFile.Open(path);
            Assert.Equal("v", f.Metadata["k"]);
            Assert.Equal(new[] { 1.0f, -1.5f }, f.Get("a").ToSingles("t"));
            var into = new byte[4];
            f.Get("b").CopyTo(into);
            Assert.Equal(new byte[] { 0xFF, 0xFF, 0x02, 0x01 }, into);
            Assert.Equal(4, f.Get("b").ByteLength);
            Assert.Throws<ArgumentException>(() => f.Get("b").CopyTo(new byte[3]));
            // The header was checked on opening; the bytes are read now, so a later change shows here.
            File.WriteAllBytes(path, bytes[..^2]);
            var e = Assert.Throws<UserInputException>(() => f.Get("b").Data);
            Assert.Contains("file changed while it was being read", e.Message);
            Assert.Contains("t.safetensors", e.Message);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); }
    }

    [Fact]
    public void Reads_float16_through_half()
    {
        byte[] bytes = FileBytes("{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}}",
            0x00, 0x3C,   // 1.0
            0x00, 0xC0,   // -2.0
            0x01, 0x00);  // smallest subnormal 2^-24
        Assert.Equal(new[] { 1f, -2f, MathF.Pow(2, -24) }, SafeTensorsReader.Parse(bytes, "t").Get("h").ToSingles("t"));
    }

    [Fact]
    public void A_scalar_and_an_empty_tensor_are_legal()
    {
        byte[] bytes = FileBytes("{\"s\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]},\"e\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[1,1]}}", 7);
        var f = SafeTensorsReader.Parse(bytes, "t");
        Assert.Equal(new byte[] { 7 }, f.Get("s").Data);
        Assert.Empty(f.Get("e").Data);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bit1hw-missing-{Guid.NewGuid():N}.safetensors");
        var e = Assert.Throws<UserInputException>(() => SafeTensorsReader.Read(path));
        Assert.Equal($"{path}: file not found", e.Message);
    }

    [Fact]
    public void Fewer_than_eight_bytes_is_not_a_safetensors_file() =>
        Assert.Contains("5 bytes, at least 8 needed", ErrorOf([1, 0, 0, 0, 0]));

    [Fact]
    public void A_header_length_past_the_end_is_rejected() =>
        Assert.Contains("header length 100 runs past the end of the file (10 bytes)", ErrorOf([100, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']));

    [Fact]
    public void Bad_json_is_rejected() => Assert.Contains("not valid JSON", ErrorOf(FileBytes("{\"a\":")));

    [Fact]
    public void A_json_array_header_is_rejected() => Assert.Contains("not a JSON object", ErrorOf(FileBytes("[]")));

    [Fact]
    public void An_unknown_dtype_is_named_with_its_tensor()
    {
        string m = ErrorOf(FileBytes("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 0));
        Assert.StartsWith("t.safetensors: tensor 'w': unknown dtype 'F8_E4M3'", m);
    }

    [Fact]
    public void Offsets_past_the_data_are_rejected() =>
        Assert.Contains("tensor 'w': data_offsets [0, 8] run past the 4 data bytes",
            ErrorOf(FileBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 0, 0, 0, 0)));

    [Fact]
    public void Offsets_that_disagree_with_dtype_times_shape_are_rejected() =>
        Assert.Contains("hold 4 bytes but F32 × [2] needs 8",
            ErrorOf(FileBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 0, 0, 0, 0)));

    [Fact]
    public void Overlapping_tensors_are_rejected() =>
        Assert.Contains("tensor 'b': data_offsets [2, 6] overlap the previous tensor, which ends at 4",
            ErrorOf(FileBytes("{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[2,6]}}",
                0, 0, 0, 0, 0, 0)));

    [Fact]
    public void A_gap_between_tensors_is_rejected() =>
        Assert.Contains("tensor 'b': data_offsets begin at 5, leaving bytes 4..4 uncovered",
            ErrorOf(FileBytes("{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[5,6]}}",
                0, 0, 0, 0, 0, 0)));

    [Fact]
    public void Trailing_bytes_not_covered_by_any_tensor_are_rejected() =>
        Assert.Contains("tensors cover 1 data bytes but the file holds 3",
            ErrorOf(FileBytes("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 0, 0, 0)));

    [Fact]
    public void A_tensor_named_twice_is_rejected() =>
        Assert.Contains("tensor 'a': appears twice",
            ErrorOf(FileBytes("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 0, 0)));

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}", "'shape' holds -1")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0]}}", "'data_offsets' has 1 entries, 2 expected")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", "missing or non-array 'shape'")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":1}}", "unknown field 'x'")]
    [InlineData("{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", "value of 'k' is not a string")]
    public void Malformed_entries_are_named(string json, string problem) => Assert.Contains(problem, ErrorOf(FileBytes(json, 0)));

    [Fact]
    public void Float_conversion_of_an_integer_tensor_is_a_user_error()
    {
        var f = SafeTensorsReader.Parse(FileBytes("{\"a\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 0), "t");
        Assert.Contains("tensor 'a': dtype I8 is not a float type", Assert.Throws<UserInputException>(() => f.Get("a").ToSingles("t")).Message);
        Assert.Contains("tensor 'b': not found; the file has 'a'", Assert.Throws<UserInputException>(() => f.Get("b")).Message);
    }
}
