using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Core.Tests;

public class WidthTests
{
    [Fact]
    public void Negating_minus_128_needs_one_extra_bit()
    {
        // One ternary term with 8-bit activations ranges over [-128, 128]: +128 needs 9 bits.
        Assert.Equal(9, Widths.TernaryAccumulatorBits(1, 8));
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(3, 8)]
    [InlineData(63, 8)]
    [InlineData(65, 4)]
    [InlineData(2560, 8)]
    [InlineData(6912, 8)]
    public void Ternary_width_holds_both_extremes_and_not_one_bit_less(int k, int bits)
    {
        int w = Widths.TernaryAccumulatorBits(k, bits);
        long maxPos = (long)k << (bits - 1);           // all weights -1, all activations -2^(b-1)
        long minNeg = -((long)k << (bits - 1));        // all weights +1, all activations -2^(b-1)
        Assert.InRange(maxPos, -(1L << (w - 1)), (1L << (w - 1)) - 1);
        Assert.InRange(minNeg, -(1L << (w - 1)), (1L << (w - 1)) - 1);
        Assert.True(maxPos > (1L << (w - 2)) - 1, $"K={k} b={bits}: {w - 1} bits would hold {maxPos}, so {w} is not minimal");
    }

    [Fact]
    public void Int8_mac_product_of_two_minus_128_needs_16_bits()
    {
        Assert.Equal(16, Widths.DotProductWidthBits(1, 8, 128)); // (-128)·(-128) = 16384 = 2^14 → 15 + sign
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(16, 4)]
    [InlineData(17, 5)]
    public void CeilLog2_counts_adder_tree_levels(long n, int levels) => Assert.Equal(levels, Widths.CeilLog2(n));
}

public class TernaryCodeTests
{
    [Fact]
    public void Codes_are_the_two_bit_twos_complement_of_the_weight()
    {
        Assert.Equal(0b00, TernaryCode.Encode(0));
        Assert.Equal(0b01, TernaryCode.Encode(1));
        Assert.Equal(0b11, TernaryCode.Encode(-1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(65)]
    public void Pack_then_unpack_round_trips_for_any_length(int count)
    {
        var rng = new SplitMix64(count);
        var w = new sbyte[count];
        for (int i = 0; i < count; i++) w[i] = (sbyte)rng.Next(-1, 2);
        byte[] packed = TernaryCode.Pack(w);
        Assert.Equal((count + 3) / 4, packed.Length);
        Assert.Equal(w, TernaryCode.Unpack(packed, count));
    }

    [Fact]
    public void Pack_places_weight_zero_in_the_low_bits()
    {
        // weights +1, -1, 0, +1 → codes 01, 11, 00, 01 → 0b01_00_11_01
        Assert.Equal(new byte[] { 0b01_00_11_01 }, TernaryCode.Pack([1, -1, 0, 1]));
    }

    [Fact]
    public void Invalid_code_is_an_error_naming_the_weight_not_a_silent_zero()
    {
        var e = Assert.Throws<InvalidDataException>(() => TernaryCode.Unpack([0b00_10_00_00], 4));
        Assert.Contains("weight 2", e.Message);
    }
}

public class IsaTests
{
    [Fact]
    public void Encoding_puts_the_opcode_in_the_top_nibble()
    {
        Assert.Equal(0x3000_0010u, new Instruction(Opcode.Mac, 16).Encode());
        Assert.Equal(0xF000_0000u, new Instruction(Opcode.Halt, 0).Encode());
    }

    [Theory]
    [InlineData(0x0000_0005u, 5)]   // NOP 5
    [InlineData(0x0000_0000u, 1)]   // NOP 0 behaves as one cycle
    [InlineData(0x3000_0007u, 7)]   // MAC 7
    [InlineData(0x3000_0000u, 1)]   // MAC 0
    [InlineData(0x1000_0009u, 1)]   // SETW
    [InlineData(0x8000_0000u, 1)]   // undefined opcode: one-cycle no-op
    public void Cycles_are_a_function_of_the_word(uint word, long cycles) => Assert.Equal(cycles, Isa.Cycles(word, 10));

    [Theory]
    [InlineData(0x3000_03FFu, 10, 1023)]   // MAC 1023: the largest 10-bit count
    [InlineData(0x3000_0400u, 10, 1)]      // MAC 1024 = 0 mod 2^10: one cycle
    [InlineData(0x3000_0405u, 10, 5)]      // MAC 1029 = 5 mod 2^10
    [InlineData(0x0000_0007u, 2, 3)]       // NOP 7 with a 2-bit counter: 3
    [InlineData(0x0000_0004u, 2, 1)]       // NOP 4 with a 2-bit counter: 0, so one cycle
    [InlineData(0x0FFF_FFFFu, 28, 0x0FFF_FFFF)]   // a 28-bit counter uses the whole operand
    [InlineData(0x1000_0400u, 10, 1)]      // SETW is one cycle whatever its operand
    public void Nop_and_mac_counts_are_taken_modulo_2_to_the_repeat_bits(uint word, int repeatBits, long cycles) =>
        Assert.Equal(cycles, Isa.Cycles(word, repeatBits));

    [Theory]
    [InlineData(0)]
    [InlineData(29)]
    public void A_repeat_counter_width_outside_1_to_28_is_an_error(int repeatBits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Isa.RepeatCount(0x3000_0001u, repeatBits));

    [Fact]
    public void Disassembly_of_undefined_words_is_a_raw_word()
    {
        Assert.Equal("MAC 16", Isa.Disassemble(0x3000_0010u));
        Assert.Equal(".word 0x80000000", Isa.Disassemble(0x8000_0000u));
        Assert.Equal(".word 0x40000001", Isa.Disassemble(0x4000_0001u)); // CLR with a stray operand
    }
}

public class HardwareConfigTests
{
    [Fact]
    public void Default_config_derives_the_documented_values()
    {
        var c = HardwareConfig.Default.Validate();
        Assert.Equal(4, c.TreeLevels);
        Assert.Equal(5, c.PeLatencyCycles);                 // the term register, then a register after each of the 4 levels
        Assert.Equal(10, c.RepeatBits);                     // weightDepth 512: 9 address bits, + 1
        Assert.Equal(2, c.FetchCycles);
        Assert.Equal(Widths.TernaryAccumulatorBits(16, 8), c.PeOutBits);
        Assert.Equal(20, c.AccBits);                        // 2048·128 = 2^18 → 19 bits + sign
        Assert.Equal(128, c.WeightWordBits);
        Assert.Equal("l16_r4_a8_p1_ternary", c.Tag);
    }

    [Theory]
    [InlineData(1, 1, 1)]       // D = 0: the term register is the PE output
    [InlineData(1, 64, 1)]      // D = 0 and pipeEvery > D
    [InlineData(2, 1, 2)]
    [InlineData(3, 1, 3)]       // odd lane count: D = 2
    [InlineData(5, 2, 3)]       // odd: D = 3, registers after levels 2 and 3
    [InlineData(7, 1, 4)]
    [InlineData(7, 2, 3)]
    [InlineData(16, 3, 3)]      // D = 4: after levels 3 and 4
    [InlineData(256, 3, 4)]     // D = 8: after levels 3, 6 and 8
    [InlineData(33, 64, 2)]     // pipeEvery > D: one register after the last level
    [InlineData(4096, 1, 13)]
    public void Pe_latency_is_the_term_register_plus_one_register_per_pipe_group(int lanes, int pipeEvery, int latency)
    {
        var c = new HardwareConfig { Lanes = lanes, PipeEvery = pipeEvery, MaxK = lanes };
        Assert.Equal(latency, c.Validate().PeLatencyCycles);
    }

    [Theory]
    [InlineData(512, 128, 10)]
    [InlineData(2, 2, 2)]               // the smallest memories: 1 address bit each
    [InlineData(8, 1024, 11)]           // the activation memory is the deeper one
    [InlineData(1 << 20, 2, 21)]        // the largest memory: 20 address bits
    public void Repeat_bits_are_one_more_than_the_wider_of_the_weight_and_activation_addresses(int weightDepth, int actDepth, int bits)
    {
        var c = new HardwareConfig { Lanes = 1, WeightDepth = weightDepth, ActDepth = actDepth, MaxK = 1 }.Validate();
        Assert.Equal(bits, c.RepeatBits);
        // One MAC can stream either memory end to end: its depth is a legal count.
        Assert.Equal(Math.Max(weightDepth, actDepth), c.InstructionCycles(new Instruction(Opcode.Mac, (uint)Math.Max(weightDepth, actDepth)).Encode()));
        Assert.Equal(1, c.InstructionCycles(new Instruction(Opcode.Mac, 1u << bits).Encode()));
    }

    [Theory]
    [InlineData("{\"lanes\": 0}", "lanes", "0 is outside 1..4096")]
    [InlineData("{\"actBits\": 9}", "actBits", "9 is outside 2..8")]
    [InlineData("{\"pipeEvery\": 0}", "pipeEvery", "0 is outside 1..64")]
    [InlineData("{\"weightDepth\": 100}", "weightDepth", "power of two")]
    [InlineData("{\"maxK\": 1000000}", "maxK", "outside 1..2048")]
    public void Out_of_range_fields_are_named_with_their_value(string json, string field, string problem)
    {
        var e = Assert.Throws<UserInputException>(() => HardwareConfig.Parse(json, "cfg.json"));
        Assert.Contains($"field '{field}'", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith("cfg.json", e.Message);
    }

    [Fact]
    public void Unknown_fields_and_bad_json_are_errors()
    {
        Assert.Throws<UserInputException>(() => HardwareConfig.Parse("{\"lane\": 4}"));
        Assert.Throws<UserInputException>(() => HardwareConfig.Parse("{\"lanes\": "));
        Assert.Throws<UserInputException>(() => HardwareConfig.Parse("{\"pe\": \"fp16\"}"));
    }

    [Fact]
    public void A_config_that_sets_only_lanes_derives_maxK_from_lanes_and_actDepth()
    {
        var c = HardwareConfig.Parse("{\"lanes\": 13}", "cfg.json");
        Assert.Equal(13 * 128, c.MaxK);
        Assert.False(c.MaxKIsGiven);
        Assert.Equal(13 * 128, (HardwareConfig.Default with { Lanes = 13 }).Validate().MaxK);
        Assert.Equal(2048, HardwareConfig.Default.MaxK);
    }

    [Fact]
    public void A_derived_maxK_is_capped_where_the_accumulator_would_pass_32_bits()
    {
        // INT8 MAC: K terms of up to 128 x 128 = 2^14 need bitlength(K * 2^14) + 1 bits, so K < 2^17.
        var c = new HardwareConfig { Lanes = 2048, ActDepth = 1 << 12, Pe = PeKind.Mac }.Validate();
        Assert.Equal(32, c.AccBits);
        Assert.Equal((1 << 17) - 1, c.MaxK);
        Assert.Equal(33, Widths.DotProductWidthBits(c.MaxK + 1L, 8, 128));
    }

    [Fact]
    public void A_given_maxK_is_kept_and_a_too_large_one_names_the_derivable_value()
    {
        var kept = HardwareConfig.Parse("{\"lanes\": 13, \"maxK\": 100}");
        Assert.Equal(100, kept.MaxK);
        var e = Assert.Throws<UserInputException>(() => HardwareConfig.Parse("{\"lanes\": 13, \"maxK\": 2048}", "cfg.json"));
        Assert.Contains("field 'maxK'", e.Message);
        Assert.Contains("leave maxK out to derive it (1664 here)", e.Message);
    }

    [Fact]
    public void A_derived_maxK_equals_the_same_value_given_explicitly()
    {
        var given = HardwareConfig.Parse(HardwareConfig.Default.ToJson());
        Assert.True(given.MaxKIsGiven);
        Assert.Equal(HardwareConfig.Default, given);
        Assert.Equal(HardwareConfig.Default.GetHashCode(), given.GetHashCode());
        Assert.NotEqual(HardwareConfig.Default, given with { MaxK = 1024 });
    }

    [Fact]
    public void Json_round_trips_byte_stably()
    {
        var c = new HardwareConfig { Lanes = 7, Rows = 3, ActBits = 4, Pe = PeKind.Mac, MaxK = 100 };
        string json = c.ToJson();
        Assert.Equal(c, HardwareConfig.Parse(json));
        Assert.Equal(json, HardwareConfig.Parse(json).ToJson());
        Assert.DoesNotContain("\r", json);
    }
}
