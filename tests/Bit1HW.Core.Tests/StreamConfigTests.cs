using Bit1HW.Core.Hardware;

namespace Bit1HW.Core.Tests;

/// <summary>The streaming part of the configuration contract (docs/hardware.md, "Weight streaming over AXI").</summary>
public class StreamConfigTests
{
    private const string Streaming = """
        { "lanes": 16, "rows": 8, "weightDepth": 512, "actDepth": 512, "outDepth": 1024, "instrDepth": 4096, "maxK": 8192,
          "stream": { "axiDataBits": 256, "burstBeats": 16, "maxOutstanding": 4 } }
        """;

    [Fact]
    public void A_config_without_a_stream_object_is_host_fed_and_its_json_has_no_stream_key()
    {
        Assert.False(HardwareConfig.Default.IsStreaming);
        Assert.DoesNotContain("stream", HardwareConfig.Default.ToJson());
        Assert.Equal(0, HardwareConfig.Default.WordsPerBurst);
    }

    [Fact]
    public void A_stream_object_sets_the_derived_numbers_and_round_trips_through_json()
    {
        HardwareConfig c = HardwareConfig.Parse(Streaming);
        Assert.True(c.IsStreaming);
        Assert.Equal(256, c.StreamWordBits);                 // 16 lanes × 8 rows × 2 bits
        Assert.Equal(512, c.Stream!.BurstBytes);             // 16 beats × 32 bytes
        Assert.Equal(16, c.WordsPerBurst);
        Assert.Equal(40, c.Stream.AxiAddrBits);              // default
        Assert.Equal("l16_r8_a8_p1_ternary_s256", c.Tag);
        Assert.Equal(c, HardwareConfig.Parse(c.ToJson()));
    }

    [Fact]
    public void Base3_packing_stores_five_weights_per_byte()
    {
        // 80 weights per word: 16 bytes in base 3 against 20 bytes at 2 bits.
        HardwareConfig c = HardwareConfig.Parse("""
            { "lanes": 16, "rows": 5, "stream": { "axiDataBits": 128, "packing": "base3" } }
            """);
        Assert.Equal(128, c.StreamWordBits);
        Assert.Equal(160, c.WeightWordBits);
        Assert.Equal(16, c.WordsPerBurst);
        Assert.EndsWith("_s128_b3", c.Tag);
    }

    [Theory]
    [InlineData("""{ "stream": { "axiDataBits": 96 } }""", "stream.axiDataBits")]
    [InlineData("""{ "stream": { "burstBeats": 256, "axiDataBits": 1024 } }""", "stream.burstBeats")]       // 32 KB burst
    [InlineData("""{ "stream": { "maxOutstanding": 0 } }""", "stream.maxOutstanding")]
    [InlineData("""{ "stream": { "axiAddrBits": 31 } }""", "stream.axiAddrBits")]
    [InlineData("""{ "stream": { "packing": "tq1" } }""", "stream.packing")]
    [InlineData("""{ "stream": { "beats": 4 } }""", "stream.beats")]
    [InlineData("""{ "stream": 4 }""", "'stream'")]
    [InlineData("""{ "pe": "mac", "stream": { } }""", "'pe'")]
    [InlineData("""{ "lanes": 13, "maxK": 1664, "stream": { } }""", "stream.axiDataBits")]               // 104-bit words, 128-bit beats
    [InlineData("""{ "weightDepth": 32, "stream": { } }""", "weightDepth")]                              // 5 bursts × 16 words
    public void Bad_stream_fields_are_one_line_errors_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<UserInputException>(() => HardwareConfig.Parse(json));
        Assert.Contains(field, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(0x6000_0005u, "SETS 5")]
    [InlineData(0x7000_0010u, "LOAD 16")]
    public void Sets_and_load_are_defined_one_cycle_instructions(uint word, string text)
    {
        Assert.Equal(text, Isa.Disassemble(word));
        Assert.Equal(1, HardwareConfig.Default.InstructionCycles(word));
    }

    [Fact]
    public void A_memory_timing_must_be_at_most_one_beat_per_cycle()
    {
        Assert.Throws<UserInputException>(() => new MemoryTiming(10, 5, 4).Validate());
        Assert.Throws<UserInputException>(() => new MemoryTiming(0).Validate());
        Assert.Equal(new MemoryTiming(20, 4, 5), new MemoryTiming(20, 4, 5).Validate());
    }
}
