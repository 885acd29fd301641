using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Simulation;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Tests;

public class SimEnergyTests
{
    // The default configuration (16 lanes, 4 rows, 8-bit activations, ternary): weight memory 512 × 128 bits
    // = 8 KiB, activations 128 × 128 bits = 2 KiB, instructions 256 × 32 bits = 1 KiB, outputs 128 × 4 × 20 bits
    // = 1280 B; all fit the 8 KB table SRAM (10 pJ / 64 bits = 0.15625 pJ per bit).
    internal static string Report(string pe = "ternary", string extraActivity = "", string adds = "\"9\": 400, \"10\": 200", long zero = 250) => $$"""
        {
          "config": { "lanes": 16, "rows": 4, "actBits": 8, "pipeEvery": 2, "pe": "{{pe}}", "weightDepth": 512,
                      "actDepth": 128, "outDepth": 128, "instrDepth": 256, "maxK": 2048 },
          "workload": { "tokens": 2, "outFeatures": 4, "inFeatures": 250 },
          "cycles": 100, "predictedCycles": 100,
          "activity": {
            "instructionsIssued": 10, "macTiles": 16, "termsTotal": 1000, "termsZeroWeight": {{zero}},
            "additionsByWidthBits": { {{adds}} },
            {{extraActivity}}
            "sramReadBits": { "weight": 6400, "activation": 3200, "instruction": 320, "output": 0 },
            "sramWriteBits": { "weight": 0, "activation": 0, "instruction": 0, "output": 640 },
            "registerBitsWritten": 5000
          }
        }
        """;

    private static SimEnergyResult Estimate(string json, string node = "45nm") =>
        SimEnergyModel.Estimate(SimulationReport.Parse(json, "sim.json"), TechnologyNode.Resolve(node));

    [Fact]
    public void Counters_price_to_the_hand_computed_energy_at_45nm()
    {
        SimEnergyResult r = Estimate(Report());
        // Additions: 400 × E(9) + 200 × E(10) = 400 × 0.0325 + 200 × 0.035 = 13 + 7 = 20 pJ.
        Assert.Equal(20, r.Measured.AdditionPicojoules, 9);
        Assert.Equal(0, r.Measured.MultiplyPicojoules);
        // SRAM: (6400 + 3200 + 320 + 640) bits × 0.15625 = 1650 pJ.
        Assert.Equal(1650, r.Measured.SramPicojoules, 9);
        // Registers: 5000 bits × 0.009 pJ (Aladdin's 40 nm flip-flop) = 45 pJ.
        Assert.Equal(45, r.Measured.RegisterPicojoules, 9);
        Assert.Equal(1715 / 2.0, r.PicojoulesPerToken, 9);
        Assert.Equal(20 / 1000.0, r.ArithmeticPicojoulesPerTerm, 12);
        // A quarter of the terms have zero weight: a quarter of the addition energy.
        Assert.Equal(5, r.ZeroWeightPicojoules, 9);
        Assert.Equal(1650 / 1715.0, r.SramShare, 12);
        Assert.Equal(45 / 1715.0, r.RegisterShare, 12);
        Assert.Equal(20 / 1715.0, r.ArithmeticShare, 12);
    }

    [Fact]
    public void The_baselines_are_charged_the_simulated_register_bits_too()
    {
        SimEnergyResult r = Estimate(Report(), "7nm");
        // 5000 bits × 0.0021 pJ (the 45 nm figure scaled like the INT8 add) = 10.5 pJ in every datapath.
        Assert.Equal([10.5, 10.5, 10.5], new[] { r.Measured, r.MacBaseline!, r.Fp16Baseline }.Select(d => Math.Round(d.RegisterPicojoules, 9)));
    }

    [Fact]
    public void A_node_without_a_register_entry_leaves_register_bits_unpriced()
    {
        var node = TechnologyNode.Parse("""
            { "name": "t", "description": "test",
              "arithmetic": [ { "op": "add", "format": "int", "bits": 8, "picojoules": 0.03, "source": "s" },
                              { "op": "add", "format": "int", "bits": 16, "picojoules": 0.05, "source": "s" },
                              { "op": "mul", "format": "int", "bits": 8, "picojoules": 0.2, "source": "s" },
                              { "op": "add", "format": "fp", "bits": 16, "picojoules": 0.4, "source": "s" },
                              { "op": "mul", "format": "fp", "bits": 16, "picojoules": 1.1, "source": "s" } ],
              "sram": [ { "capacityBytes": 1048576, "picojoulesPer64Bits": 10, "source": "s" } ],
              "dram": { "picojoulesPer64Bits": 1300, "source": "s" } }
            """, "t.json");
        SimEnergyResult r = SimEnergyModel.Estimate(SimulationReport.Parse(Report(), "sim.json"), node);
        Assert.False(r.RegistersPriced);
        Assert.Equal(0, r.Measured.RegisterPicojoules);
    }

    [Fact]
    public void The_mac_baseline_multiplies_every_term_and_widens_every_addition_by_seven_bits()
    {
        DatapathEnergy mac = Estimate(Report()).MacBaseline!;
        // Additions at 16 and 17 bits: 400 × 0.05 + 200 × (0.05 + 0.05 / 16) = 20 + 10.625.
        Assert.Equal(30.625, mac.AdditionPicojoules, 9);
        // 1000 INT8 multiplies × 0.2 pJ.
        Assert.Equal(200, mac.MultiplyPicojoules, 9);
        // 8-bit weights: 4 × the weight traffic in a 32 KiB memory (20 pJ / 64 bits): 25 600 × 0.3125 = 8000 pJ;
        // activations, instructions, outputs unchanged: (3200 + 320 + 640) × 0.15625 = 650 pJ.
        Assert.Equal(8650, mac.SramPicojoules, 9);
    }

    [Fact]
    public void The_fp16_baseline_does_one_fp16_mul_and_add_per_term_on_16_bit_data()
    {
        DatapathEnergy fp = Estimate(Report()).Fp16Baseline;
        Assert.Equal(1000 * 0.4, fp.AdditionPicojoules, 9);
        Assert.Equal(1000 * 1.1, fp.MultiplyPicojoules, 9);
        // Weights × 8 in a 64 KiB memory (1 MB entry, 1.5625 pJ / bit): 51 200 × 1.5625 = 80 000;
        // activations × 2 in 4 KiB (8 KB entry): 6400 × 0.15625 = 1000; instructions 50; outputs 100.
        Assert.Equal(81150, fp.SramPicojoules, 9);
    }

    [Fact]
    public void A_mac_report_is_priced_with_its_own_multiplies_and_has_no_projected_mac_baseline()
    {
        SimEnergyResult r = Estimate(Report("mac", "\"multipliesByWidthBits\": { \"8\": 1000 },", "\"16\": 400, \"17\": 200"), "7nm");
        Assert.Equal(1000 * 0.07, r.Measured.MultiplyPicojoules, 9);
        // 7 nm adds: 16 bits tabulated (derived) 0.011667, 17 bits one step of the 16–32 slope above it.
        double slope = (0.023333 - 0.011667) / 16;
        Assert.Equal(400 * 0.011667 + 200 * (0.011667 + slope), r.Measured.AdditionPicojoules, 9);
        Assert.Null(r.MacBaseline);
        Assert.Equal(0, r.ZeroWeightPicojoules);
    }

    [Theory]
    [InlineData("\"termsTotal\": 1000", "\"termsTotal\": -1", "activity.termsTotal", "at least 0")]
    [InlineData("\"tokens\": 2", "\"tokens\": 0", "workload.tokens", "at least 1")]
    [InlineData("\"9\": 400", "\"9\": -400", "activity.additionsByWidthBits.9", "at least 0")]
    [InlineData("\"9\": 400", "\"nine\": 400", "activity.additionsByWidthBits.nine", "bit width")]
    [InlineData("\"output\": 640", "\"output\": 6.5", "activity.sramWriteBits.output", "integer")]
    [InlineData("\"registerBitsWritten\": 5000", "\"registerBitz\": 5000", "activity.registerBitsWritten", "missing")]
    [InlineData("\"lanes\": 16", "\"lanes\": 0", "lanes", "outside")]
    public void Bad_counters_are_user_errors_naming_the_field(string find, string replace, string field, string problem)
    {
        string json = Report();
        Assert.Contains(find, json);
        var e = Assert.Throws<UserInputException>(() => SimulationReport.Parse(json.Replace(find, replace), "sim.json"));
        Assert.Contains($"field '{field}'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void More_zero_weights_than_terms_is_rejected()
    {
        var e = Assert.Throws<UserInputException>(() => SimulationReport.Parse(Report(zero: 1001), "sim.json"));
        Assert.Contains("termsZeroWeight", e.Message);
    }

    [Fact]
    public void A_mac_report_without_multiplies_is_rejected()
    {
        var e = Assert.Throws<UserInputException>(() => SimulationReport.Parse(Report("mac"), "sim.json"));
        Assert.Contains("multipliesByWidthBits", e.Message);
    }

    [Fact]
    public void Unknown_config_fields_from_the_simulator_are_tolerated()
    {
        string json = Report().Replace("\"maxK\": 2048", "\"maxK\": 2048, \"tag\": \"l16_r4_a8_p2_ternary\"");
        Assert.Equal(16, SimulationReport.Parse(json, "sim.json").Config.Lanes);
    }
}
