using Bit1HW.Core;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Models;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Tests;

public class AnalyticModelTests
{
    // hidden 4, intermediate 8, 2 layers, 2 heads of dim 2, 1 KV head (KV dim 2), vocab 10.
    private const string Tiny = """
        { "hidden_size": 4, "intermediate_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
          "num_key_value_heads": 1, "vocab_size": 10, "tie_word_embeddings": true, "hidden_act": "silu" }
        """;

    private static ModelArchitecture TinyModel => ModelArchitecture.Parse(Tiny, "tiny", "tiny.json");

    [Fact]
    public void A_tiny_model_costs_what_a_hand_count_gives_at_45nm()
    {
        AnalyticResult r = AnalyticEnergyModel.Estimate(TinyModel, TechnologyNode.Resolve("45nm"), sequenceTokens: 3, includeLmHead: false);
        // Per layer: q 4·4 = 16, k 4·2 = 8, v 8, o 16, gate 4·8 = 32, up 32, down 32 → 144 weights; 2 layers → 288.
        // BitNet linear: 288 × 0.03 = 8.64 pJ. FP16 linear: 288 × (1.1 + 0.4) = 432 pJ.
        // Attention over 3 tokens: average context (3 + 1) / 2 = 2; QK and AV each 4 · 2 = 8 MACs per layer,
        // 2 matmuls × 2 layers → 32 FP16 MACs = 48 pJ in both.
        Assert.Equal(8.64 + 48, r.BitNetPicojoulesPerToken, 9);
        Assert.Equal(432 + 48, r.Fp16PicojoulesPerToken, 9);
        Assert.Equal((8.64 + 48) * 3, r.BitNetPicojoulesPerSequence, 9);
        Assert.Equal(480 / 56.64, r.Fp16OverBitNet, 9);
        Assert.Equal(new[] { 32.0, 16, 16, 32, 64, 64, 64, 16, 16 }, r.Layers.Select(l => l.MacsPerToken));
        // lm_head: 4 × 10 = 40 FP16 MACs = 60 pJ, reported but not counted.
        Assert.Equal(60, r.LmHead.Fp16Picojoules, 9);
        // Weights per token: 288 × 16 bits = 4608 bits = 576 bytes; DRAM 4608 / 64 × 1300 = 93 600 pJ;
        // SRAM (1 MB entry) 4608 / 64 × 100 = 7200 pJ. At 2 bits: 72 bytes, 11 700 pJ, 900 pJ.
        WeightTraffic fp16 = Assert.Single(r.Memory, m => m.Label == "FP16");
        Assert.Equal(576, fp16.BytesPerToken, 9);
        Assert.Equal(93600, fp16.DramPicojoules, 6);
        Assert.Equal(7200, fp16.SramPicojoules, 6);
        WeightTraffic two = Assert.Single(r.Memory, m => m.Label == "2-bit");
        Assert.Equal(72, two.BytesPerToken, 9);
        Assert.Equal(11700, two.DramPicojoules, 6);
        Assert.Equal(900, two.SramPicojoules, 6);
        WeightTraffic ternary = Assert.Single(r.Memory, m => m.Label == "1.58-bit");
        Assert.Equal(288 * 1.58 / 8, ternary.BytesPerToken, 9);
    }

    [Fact]
    public void Including_the_lm_head_adds_it_to_both_totals_at_7nm()
    {
        AnalyticResult r = AnalyticEnergyModel.Estimate(TinyModel, TechnologyNode.Resolve("7nm"), sequenceTokens: 1, includeLmHead: true);
        // 7 nm: INT8 add 0.007, FP16 MAC 0.5. Linear 288 weights; attention context 1 → 2 × 4 × 1 × 2 layers = 16 MACs;
        // lm_head 40 MACs.
        Assert.Equal(288 * 0.007 + (16 + 40) * 0.5, r.BitNetPicojoulesPerToken, 9);
        Assert.Equal((288 + 16 + 40) * 0.5, r.Fp16PicojoulesPerToken, 9);
    }

    [Fact]
    public void A_large_model_approaches_the_per_weight_ratio_when_attention_is_short()
    {
        var m = ModelArchitecture.Resolve("bitnet-b1.58-70b");
        AnalyticResult r = AnalyticEnergyModel.Estimate(m, TechnologyNode.Resolve("7nm"), sequenceTokens: 1, includeLmHead: false);
        Assert.InRange(r.Fp16OverBitNet, 70.0, 71.43);
    }

    [Fact]
    public void The_7b_shape_has_llama_2_7b_weight_count_without_norms()
    {
        // LLaMA-2 7B has 6 738 415 616 parameters; its 65 RMSNorm vectors of 4096 (2 per layer + final) are 266 240.
        var m = ModelArchitecture.Resolve("bitnet-b1.58-7b");
        Assert.Equal(6_738_415_616L - 65 * 4096, m.TotalWeights);
    }

    [Fact]
    public void The_2b_4t_shape_matches_its_hugging_face_config()
    {
        var m = ModelArchitecture.Resolve("bitnet-b1.58-2b-4t");
        Assert.Equal((2560L, 6912L, 30L, 20L, 5L, 128256L, true, "relu2"),
            (m.HiddenSize, m.IntermediateSize, m.Layers, m.AttentionHeads, m.KeyValueHeads, m.VocabSize, m.TiedEmbeddings, m.HiddenAct));
        // KV dim 5 × 128 = 640: per layer 2·2560² + 2·2560·640 + 3·2560·6912 = 69 468 160 linear weights.
        Assert.Equal(30L * 69_468_160, m.LinearWeights);
    }

    [Fact]
    public void Every_shipped_model_loads_and_names_its_source()
    {
        Assert.Equal(16, ModelArchitecture.ShippedIds.Count);
        foreach (string id in ModelArchitecture.ShippedIds)
        {
            var m = ModelArchitecture.Resolve(id);
            Assert.NotEqual("user config", m.Source);
            Assert.Equal(0, m.AttentionHeads % m.KeyValueHeads);
        }
    }

    [Fact]
    public void The_gemma_3_shape_uses_its_head_dim_not_hidden_over_heads()
    {
        // 4 heads of 256 on hidden 1152 (1152 / 4 would be 288): q and o are 1152 × 1024, k and v 1152 × 256.
        var m = ModelArchitecture.Resolve("gemma-3-1b");
        Assert.Equal((256L, 1024L, 256L), (m.HeadDim, m.QueryDim, m.KeyValueDim));
        Assert.Equal(26L * (2 * 1152 * 1024 + 2 * 1152 * 256 + 3 * 1152 * 6912), m.LinearWeights);
    }

    [Fact]
    public void A_plain_mlp_has_up_and_down_only_as_in_bitnet_v1()
    {
        // 6.7B: 4h² attention + 2 × 4h² MLP = 12h² per layer, 32 layers of h = 4096.
        var m = ModelArchitecture.Resolve("bitnet-v1-6.7b");
        Assert.Equal(["q", "k", "v", "o", "up", "down"], m.LinearLayers.Select(l => l.Name));
        Assert.Equal(12L * 4096 * 4096 * 32, m.LinearWeights);
    }

    [Fact]
    public void A_given_head_dim_frees_the_hidden_size_from_dividing_by_the_heads()
    {
        var m = ModelArchitecture.Parse(Tiny.Replace("\"hidden_size\": 4,", "\"hidden_size\": 5, \"head_dim\": 3,"), "x", "x.json");
        Assert.Equal((3L, 6L, 3L), (m.HeadDim, m.QueryDim, m.KeyValueDim));
        Assert.Equal(5 * 6 + 5 * 3 + 5 * 3 + 6 * 5 + 3 * 5 * 8, m.LinearLayers.Sum(l => l.Weights));
    }

    [Theory]
    [InlineData("\"hidden_size\": 4, ", "", "hidden_size", "missing")]
    [InlineData("\"vocab_size\": 10, ", "", "vocab_size", "missing")]
    [InlineData("\"num_attention_heads\": 2", "\"num_attention_heads\": 3", "num_attention_heads", "does not divide hidden_size 4")]
    [InlineData("\"num_key_value_heads\": 1", "\"num_key_value_heads\": 4", "num_key_value_heads", "does not divide num_attention_heads 2")]
    [InlineData("\"num_hidden_layers\": 2", "\"num_hidden_layers\": -2", "num_hidden_layers", "at least 1")]
    [InlineData("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": 1", "tie_word_embeddings", "true or false")]
    [InlineData("\"hidden_size\": 4,", "\"hidden_size\": 4, \"head_dim\": 0,", "head_dim", "at least 1")]
    [InlineData("\"hidden_size\": 4,", "\"hidden_size\": 4, \"head_dim\": 40000,", "head_dim", "above 65536")]
    [InlineData("\"hidden_size\": 4,", "\"hidden_size\": 4, \"_bit1hw\": { \"mlp\": \"swiglu\" },", "_bit1hw.mlp", "gated (gate, up, down) or plain")]
    public void Bad_model_configs_are_user_errors_naming_the_field(string find, string replace, string field, string problem)
    {
        Assert.Contains(find, Tiny);
        var e = Assert.Throws<UserInputException>(() => ModelArchitecture.Parse(Tiny.Replace(find, replace), "x", "x.json"));
        Assert.Contains($"x.json: field '{field}'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Missing_kv_heads_default_to_the_attention_heads_as_in_hugging_face()
    {
        var m = ModelArchitecture.Parse(Tiny.Replace("\"num_key_value_heads\": 1,", ""), "x", "x.json");
        Assert.Equal(2, m.KeyValueHeads);
    }
}
