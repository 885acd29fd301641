using Bit1HW.Core;
using System.Text;
using Bit1HW.Core.IO;

namespace Bit1HW.Core.Tests;

public class SafeTensorsWriterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Writer_emits_the_documented_bytes_for_one_small_tensor()
    {
        byte[] bytes = new SafeTensorsFile().Add(SafeTensor.FromSingles("a", [1], [1.0f])).ToBytes();
        // {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} is 54 bytes; padded with 2 spaces to 56.
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}  ";
        var expected = new List<byte> { 56, 0, 0, 0, 0, 0, 0, 0 };
        expected.AddRange(Encoding.ASCII.GetBytes(header));
        expected.AddRange([0x00, 0x00, 0x80, 0x3F]);
        Assert.Equal(expected.ToArray(), bytes);
    }

    [Fact]
    public void Tensors_are_ordered_by_name_whatever_the_insertion_order_and_metadata_comes_first()
    {
        var a = new SafeTensorsFile().Add(SafeTensor.FromBytes("z", [1], [9])).Add(SafeTensor.FromBytes("b", [2], [1, 2]));
        a.Metadata["m"] = "1";
        var b = new SafeTensorsFile().Add(SafeTensor.FromBytes("b", [2], [1, 2])).Add(SafeTensor.FromBytes("z", [1], [9]));
        b.Metadata["m"] = "1";
        byte[] bytes = a.ToBytes();
        Assert.Equal(bytes, b.ToBytes());
        string header = Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes, 0));
        Assert.StartsWith("{\"__metadata__\":{\"m\":\"1\"},\"b\":", header);
        Assert.Equal(new byte[] { 1, 2, 9 }, bytes[^3..]);
        Assert.Equal(0, (8 + header.Length) % 8);
    }

    /// <summary>
    /// Any set of tensors (every dtype, shapes with zero and non-zero dimensions, arbitrary bytes) and
    /// any metadata strings survive writing and parsing, and writing the parsed file gives the same
    /// bytes. A failure shrinks to the fewest, smallest tensors and shortest strings that still fail.
    /// </summary>
    [Fact]
    public void Any_tensors_and_metadata_round_trip_through_bytes()
    {
        var tensors = FsCheck.Fluent.ArbMap.Default.ArbFor<(byte DType, byte Rows, byte Cols, byte[] Fill)[]>();
        var metadata = FsCheck.Fluent.ArbMap.Default.ArbFor<(FsCheck.NonNull<string> Key, FsCheck.NonNull<string> Value)[]>();
        Properties.Check(FsCheck.Fluent.Prop.ForAll(tensors, metadata, (specs, meta) =>
        {
            var file = new SafeTensorsFile();
            foreach (var (key, value) in meta.Where(m => Utf16Valid(m.Key.Get) && Utf16Valid(m.Value.Get)))
                file.Metadata[key.Get] = value.Get;
            var types = Enum.GetValues<SafeTensorDType>();
            for (int i = 0; i < specs.Length; i++)
            {
                var (dtype, rows, cols, fill) = specs[i];
                SafeTensorDType t = types[dtype % types.Length];
                long[] shape = [rows % 4, 1 + cols % 5];
                var data = new byte[shape[0] * shape[1] * t.ElementBytes()];
                for (int b = 0; b < data.Length && fill.Length > 0; b++) data[b] = fill[b % fill.Length];
                file.Add(new SafeTensor($"t{i}.{t}", t, shape, data));
            }
            byte[] bytes = file.ToBytes();
            SafeTensorsFile back = SafeTensorsReader.Parse(bytes, "property");
            return file.Tensors.All(t => back.Get(t.Name) is var r && r.DType == t.DType && r.Shape.SequenceEqual(t.Shape) && r.Data.SequenceEqual(t.Data))
                && back.Tensors.Count() == file.Tensors.Count()
                && back.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual(file.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                && back.ToBytes().SequenceEqual(bytes);
        }), 20261130, output);
    }

    /// <summary>A string with no unpaired surrogate (every string a JSON header can carry).</summary>
    private static bool Utf16Valid(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }

    [Fact]
    public void Writing_to_disk_and_reading_back_gives_the_same_floats()
    {
        string dir = Directory.CreateTempSubdirectory("bit1hw-st-").FullName;
        try
        {
            string path = Path.Combine(dir, "x.safetensors");
            float[] v = [0f, -0f, 1.5f, float.Epsilon, -3.25e7f];
            new SafeTensorsFile().Add(SafeTensor.FromSingles("x", [5], v)).Write(path);
            float[] back = SafeTensorsFile.Read(path).Get("x").ToSingles(path);
            Assert.Equal(v.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)]   // 1.0 exact
    [InlineData(0x3F808000u, (ushort)0x3F80)]   // exactly halfway, lower neighbour even: down
    [InlineData(0x3F818000u, (ushort)0x3F82)]   // exactly halfway, lower neighbour odd: up
    [InlineData(0x3F808001u, (ushort)0x3F81)]   // just above halfway: up
    [InlineData(0x3F807FFFu, (ushort)0x3F80)]   // just below halfway: down
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)]   // float.MaxValue rounds to +infinity
    [InlineData(0xFF800000u, (ushort)0xFF80)]   // -infinity
    [InlineData(0x80000000u, (ushort)0x8000)]   // -0.0 keeps its sign
    public void Bfloat16_rounds_to_nearest_even(uint floatBits, ushort bf16)
    {
        Assert.Equal(bf16, SafeTensorDTypes.SingleToBFloat16(BitConverter.Int32BitsToSingle((int)floatBits)));
    }

    [Fact]
    public void Bfloat16_keeps_nan_a_nan_even_when_only_low_mantissa_bits_are_set()
    {
        float nan = BitConverter.Int32BitsToSingle(0x7F800001); // truncation alone would give infinity
        Assert.True(float.IsNaN(SafeTensorDTypes.BFloat16ToSingle(SafeTensorDTypes.SingleToBFloat16(nan))));
    }

    [Fact]
    public void Bfloat16_widening_is_exact_for_every_pattern()
    {
        for (int b = 0; b < 65536; b++)
        {
            float f = SafeTensorDTypes.BFloat16ToSingle((ushort)b);
            if (float.IsNaN(f)) continue;
            Assert.Equal((ushort)b, SafeTensorDTypes.SingleToBFloat16(f));
            Assert.Equal(b << 16, BitConverter.SingleToInt32Bits(f));
        }
    }

    [Fact]
    public void Float16_and_bfloat16_tensors_store_the_rounded_values()
    {
        var f16 = SafeTensor.FromSinglesAs("h", [2], [1f, 65520f], SafeTensorDType.F16);  // 65520 rounds to +inf in half
        Assert.Equal(new byte[] { 0x00, 0x3C, 0x00, 0x7C }, f16.Data);
        var bf = SafeTensor.FromSinglesAs("b", [1], [-1.5f], SafeTensorDType.BF16);
        Assert.Equal(new byte[] { 0xC0, 0xBF }, bf.Data);
    }
}
