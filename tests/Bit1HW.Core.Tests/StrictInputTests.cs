using System.Text;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;

namespace Bit1HW.Core.Tests;

/// <summary>Every JSON input and the binary readers in Core: totality on hostile bytes, one-line messages (issue 13).</summary>
public class StrictInputTests
{
    private static byte[] SafetensorsBytes(byte[] header, params byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BitConverter.GetBytes((ulong)header.Length).CopyTo(bytes, 0);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private static UserInputException SafetensorsError(byte[] header, params byte[] data) =>
        Assert.Throws<UserInputException>(() => SafeTensorsReader.Parse(SafetensorsBytes(header, data), "t.safetensors"));

    [Fact]
    public void A_safetensors_header_with_invalid_utf8_is_bad_input_naming_the_byte()
    {
        byte[] header = Encoding.UTF8.GetBytes("{\"ab\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}");
        header[3] = 0xFF;
        var e = SafetensorsError(header, 7);
        Assert.Equal("t.safetensors: byte offset 3: byte 0xff is not valid UTF-8 (JSON text must be UTF-8)", e.Message);
    }

    [Fact]
    public void A_repeated_shape_in_a_tensor_entry_is_rejected_not_last_one_wins()
    {
        var e = SafetensorsError(Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"shape\":[1],\"data_offsets\":[0,1]}}"), 7);
        Assert.Equal("t.safetensors: tensor 'w' field 'shape': appears twice in one object (a repeated key)", e.Message);
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]} /* c */}", "not valid JSON: line 1")]
    [InlineData("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],}}", "not valid JSON: line 1")]
    [InlineData("{\"w\\ud800\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", "not valid Unicode")]
    [InlineData("{\"w\":{\"dtype\":\"U8\",\"shape\":[1e999],\"data_offsets\":[0,1]}}", "does not fit a double")]
    public void Comments_trailing_commas_lone_surrogates_and_huge_numbers_are_rejected_in_a_header(string json, string problem) =>
        Assert.Contains(problem, SafetensorsError(Encoding.UTF8.GetBytes(json), 7).Message);

    [Fact]
    public void A_tensor_name_with_a_newline_still_gives_a_one_line_message()
    {
        var e = SafetensorsError(Encoding.UTF8.GetBytes("{\"a\\nb\":{\"dtype\":\"Q9\",\"shape\":[1],\"data_offsets\":[0,1]}}"), 7);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("tensor 'a\\u000ab': unknown dtype 'Q9'", e.Message);
    }

    [Theory]
    [InlineData("{\"lanes\": 4, \"lanes\": 8}", "config: field 'lanes': appears twice in one object")]
    [InlineData("{\"lanes\": 4 // four\n}", "config: not valid JSON: line 1, column 13: '/' is invalid")]
    [InlineData("{\"lanes\": 4,}", "config: not valid JSON: line 1")]
    [InlineData("{\"lanes\": \"x\"}", "config: field 'lanes': \"x\" is not a 32-bit integer")]
    [InlineData("{\"lanes\": 1e3}", "config: field 'lanes': 1e3 is not a 32-bit integer")]
    [InlineData("{\"pe\": \"fpga\"}", "config: field 'pe': \"fpga\" is not \"ternary\" or \"mac\"")]
    [InlineData("{\"lane\": 4}", "config: field 'lane': unknown field (fields: lanes, rows, actBits, pipeEvery, pe, weightDepth")]
    [InlineData("[1]", "config: a hardware config is a JSON object, not array")]
    public void A_hardware_config_names_the_field_and_the_whole_problem(string json, string message)
    {
        var e = Assert.Throws<UserInputException>(() => HardwareConfig.Parse(json));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain("could not be converted to System", e.Message);
    }

    private static (byte[] Bytes, int ConfigAt, int ConfigLength) SmallImage()
    {
        var cfg = HardwareConfig.Default with { Lanes = 1, Rows = 1, MaxK = 8 };
        var image = new ProgramImage(cfg, [0x60000000u], new MemoryImage(cfg.WeightWordBits, cfg.WeightDepth, 0),
            new MemoryImage(cfg.ActWordBits, cfg.ActDepth, 0), new Workload(1, 1, 1), [0], [0], cfg.FetchCycles + 1);
        return (ProgramImageFile.ToBytes(image), 12, Encoding.UTF8.GetByteCount(cfg.ToJson()));
    }

    [Fact]
    public void A_damaged_program_image_gives_one_line()
    {
        var (bytes, at, _) = SmallImage();
        int rows = bytes.AsSpan(at).IndexOf("\"rows\""u8);
        bytes[at + rows] = (byte)'n';     // the JSON reader quotes the bad literal, newlines and all
        var e = Assert.Throws<UserInputException>(() => ProgramImageFile.Parse(bytes, "p.b1img"));
        Assert.StartsWith("p.b1img: embedded config: not valid JSON: line 3, column 3: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_program_image_claiming_more_words_than_it_holds_is_truncated_not_allocated()
    {
        var (bytes, at, length) = SmallImage();
        int count = at + length + 3 * 4 + 8;   // after the config: three i32 workload fields, the i64 predicted cycles
        Assert.Equal(1u, BitConverter.ToUInt32(bytes, count));
        BitConverter.GetBytes(256u).CopyTo(bytes, count);
        var e = Assert.Throws<UserInputException>(() => ProgramImageFile.Parse(bytes, "p.b1img"));
        Assert.Equal("p.b1img: truncated program image: instructions needs 1024 bytes, 20 left", e.Message);
    }

    [Fact]
    public void An_input_file_larger_than_its_limit_is_refused_before_reading()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[100]);
            var e = Assert.Throws<UserInputException>(() => InputFile.ReadBytes(path, 99, "config"));
            Assert.EndsWith("100 bytes is larger than the 99 bytes a config may have", e.Message);
            Assert.Contains("is a directory", Assert.Throws<UserInputException>(() => InputFile.ReadBytes(Path.GetTempPath(), 99, "config")).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
