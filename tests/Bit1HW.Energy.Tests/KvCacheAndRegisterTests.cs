using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Models;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Tests;

public class KvCacheAndRegisterTests
{
    // hidden 4, intermediate 8, 2 layers, 2 heads of dim 2, 1 KV head (KV dim 2), vocab 10.
    private static ModelArchitecture Tiny => ModelArchitecture.Parse("""
        { "hidden_size": 4, "intermediate_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
          "num_key_value_heads": 1, "vocab_size": 10, "tie_word_embeddings": true }
        """, "tiny", "tiny.json");

    private static AnalyticResult Tiny45 => AnalyticEnergyModel.Estimate(Tiny, TechnologyNode.Resolve("45nm"), sequenceTokens: 3, includeLmHead: false);

    [Fact]
    public void The_kv_cache_writes_one_position_and_reads_every_attended_one_at_16_bits()
    {
        KvCacheTraffic kv = Tiny45.KvCache;
        // Per token: K and V of KV dim 2 in 2 layers = 8 values written; 3 tokens attend to 2 positions
        // on average, so 16 values read. 16 bits each: 128 written, 256 read, 48 bytes.
        Assert.Equal((128.0, 256.0, 48.0), (kv.WriteBitsPerToken, kv.ReadBitsPerToken, kv.BytesPerToken));
        // 384 bits: DRAM 384 / 64 × 1300 = 7800 pJ; SRAM (1 MB entry) 384 / 64 × 100 = 600 pJ.
        Assert.Equal(7800, kv.DramPicojoules, 9);
        Assert.Equal(600, kv.SramPicojoules, 9);
    }

    [Fact]
    public void Registers_take_one_accumulator_write_per_term_priced_at_the_45nm_entry()
    {
        RegisterWrites g = Tiny45.Registers;
        // BitNet, per layer: sums of 4 inputs need 8 + 2 = 10 bits (q 16, k 8, v 8, o 16, gate 32, up 32 weights:
        // 112 × 10 = 1120), down's sums of 8 inputs 8 + 3 = 11 bits (32 × 11 = 352): 1472 bits; 2 layers 2944.
        // Attention: 32 FP16 MACs (QK and AV, 4 × 2 positions × 2 layers each) × 16 bits = 512.
        Assert.Equal(2944 + 512, g.BitNetBitsPerToken);
        // FP16: (288 weights + 32 attention MACs) × 16 bits.
        Assert.Equal(320 * 16, g.Fp16BitsPerToken);
        Assert.Equal(3456 * 0.009, g.BitNetPicojoules!.Value, 9);
        Assert.Equal(5120 * 0.009, g.Fp16Picojoules!.Value, 9);
    }

    [Fact]
    public void The_parts_of_a_token_add_arithmetic_registers_kv_cache_and_weights_from_sram()
    {
        EnergyParts b = Tiny45.Parts(bitnet: true);
        // Arithmetic 56.64 pJ (AnalyticModelTests), registers 3456 × 0.009 = 31.104, KV 600, 1.58-bit weights 288 × 1.58 × 100 / 64.
        double weights = 288 * 1.58 * 100 / 64;
        Assert.Equal((56.64, 31.104, 600.0, weights), (Math.Round(b.ArithmeticPicojoules, 9), Math.Round(b.RegisterPicojoules, 9), b.KvCachePicojoules, b.WeightPicojoules));
        Assert.Equal(56.64 + 31.104 + 600 + weights, b.TotalPicojoules, 9);
        Assert.Equal(600 / b.TotalPicojoules, b.Share(b.KvCachePicojoules), 12);
    }

    [Fact]
    public void A_node_without_a_register_entry_leaves_register_writes_unpriced()
    {
        var node = TechnologyNode.Parse("""
            { "name": "t", "description": "test",
              "arithmetic": [ { "op": "add", "format": "int", "bits": 8, "picojoules": 0.5, "source": "s" },
                              { "op": "add", "format": "fp", "bits": 16, "picojoules": 1, "source": "s" },
                              { "op": "mul", "format": "fp", "bits": 16, "picojoules": 2, "source": "s" } ],
              "sram": [ { "capacityBytes": 1024, "picojoulesPer64Bits": 6.4, "source": "s" } ],
              "dram": { "picojoulesPer64Bits": 640, "source": "s" } }
            """, "t.json");
        AnalyticResult r = AnalyticEnergyModel.Estimate(Tiny, node, 3, false);
        Assert.Null(r.Registers.BitNetPicojoules);
        Assert.Equal(0, r.Parts(bitnet: true).RegisterPicojoules);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 9)]
    [InlineData(3, 10)]
    [InlineData(4, 10)]
    [InlineData(5, 11)]
    [InlineData(2560, 20)]
    [InlineData(6912, 21)]
    public void A_sum_of_n_int8_terms_needs_8_plus_ceil_log2_n_bits(long terms, int bits)
    {
        Assert.Equal(bits, AnalyticEnergyModel.AccumulatorBits(terms));
        // The widths hold the extreme sums exactly: n × −128 and n × 127.
        Assert.InRange(terms * -128, -(1L << (bits - 1)), (1L << (bits - 1)) - 1);
    }

    [Fact]
    public void At_7nm_weights_from_sram_dominate_a_2b_4t_token_and_the_kv_cache_outweighs_bitnets_arithmetic()
    {
        AnalyticResult r = AnalyticEnergyModel.Estimate(ModelArchitecture.Resolve("bitnet-b1.58-2b-4t"), TechnologyNode.Resolve("7nm"), 512, false);
        EnergyParts b = r.Parts(bitnet: true);
        Assert.True(b.Share(b.WeightPicojoules) > 0.9);
        Assert.True(b.KvCachePicojoules > b.ArithmeticPicojoules + b.RegisterPicojoules);
    }
}
