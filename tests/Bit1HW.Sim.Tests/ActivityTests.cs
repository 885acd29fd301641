using System.Text.Json;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Tests;

public class ActivityTests
{
    // lanes 4, rows 2, 8-bit activations, maxK 8: terms 9 bits, PeOutBits 11 (4·128 = 512), AccBits 12 (8·128 = 1024).
    private static readonly HardwareConfig C = new HardwareConfig
    {
        Lanes = 4, Rows = 2, PipeEvery = 1, WeightDepth = 16, ActDepth = 16, OutDepth = 16, InstrDepth = 32, MaxK = 8,
    }.Validate();

    private static (ProgramImage Image, SimResult Result) Run()
    {
        sbyte[] w = [1, 0, -1, 0, 0, 0, 1, 1,     // row 0: 4 zeros
                     -1, -1, 0, 1, 1, 0, 0, 0];   // row 1: 4 zeros
        sbyte[] x = [1, 2, 3, 4, 5, 6, 7, -8];
        ProgramImage image = LayerCompiler.Compile(new Layer(new Workload(1, 2, 8), w, x), C).Image;
        return (image, Simulator.Run(image));
    }

    [Fact]
    public void Counters_match_a_hand_count_of_a_two_tile_layer()
    {
        var (image, r) = Run();
        ActivityCounters a = r.Activity;
        Assert.Equal([1 - 3 + 7 - 8, -1 - 2 + 4 + 5], r.Acc);
        Assert.Equal(2, a.MacTiles);                  // one group, K = 8 = 2 tiles of 4 lanes
        Assert.Equal(16, a.TermsTotal);
        Assert.Equal(8, a.TermsZeroWeight);
        // Per PE and tile: level 1 has 2 adders of 10 bits, level 2 one of 11; × 2 rows × 2 tiles.
        // Accumulator: 2 landing cycles × 2 rows of 12 bits.
        Assert.Equal(new SortedDictionary<int, long> { [10] = 8, [11] = 4, [12] = 4 }, a.AdditionsByWidthBits());
        Assert.Empty(a.MultipliesByWidthBits());
        int n = image.Instructions.Length;
        Assert.Equal(n, a.InstructionsIssued);
        Assert.Equal((2 * 16L, 2 * 32L, 32L * n, 2 * 24L), a.SramReadBits);   // weight word 16 bits, act word 32, out word 24
        Assert.Equal((2 * 16L, 2 * 32L, 32L * n, 1 * 24L), a.SramWriteBits);
        // Registers per tile: read registers 16 + 32; PE stages per row: the term register (4 terms × 9 bits),
        // level 1 (2 nodes × 10) and level 2 (1 × 11). Accumulators: 2 landing cycles + the one CLR of the
        // single group, 2 rows × 12 bits each.
        Assert.Equal(2 * (16 + 32) + 2 * 2 * (4 * 9 + 2 * 10 + 11) + 3 * 2 * 12, a.RegisterBitsWritten);
    }

    [Fact]
    public void The_report_json_has_the_documented_shape()
    {
        var (_, r) = Run();
        using JsonDocument doc = JsonDocument.Parse(r.ToReport().ToJson());
        JsonElement root = doc.RootElement;
        Assert.Equal(["config", "workload", "cycles", "predictedCycles", "activity"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, root.GetProperty("config").GetProperty("lanes").GetInt32());
        Assert.Equal(8, root.GetProperty("workload").GetProperty("inFeatures").GetInt32());
        JsonElement act = root.GetProperty("activity");
        Assert.Equal(["cycles", "predictedCycles", "instructionsIssued", "macTiles", "termsTotal", "termsZeroWeight",
            "additionsByWidthBits", "multipliesByWidthBits", "sramReadBits", "sramWriteBits", "registerBitsWritten"],
            act.EnumerateObject().Select(p => p.Name));
        Assert.Equal(8, act.GetProperty("additionsByWidthBits").GetProperty("10").GetInt64());
        Assert.Equal(["weight", "activation", "instruction", "output"], act.GetProperty("sramReadBits").EnumerateObject().Select(p => p.Name));
        Assert.Equal(r.Cycles, root.GetProperty("cycles").GetInt64());
    }

    [Fact]
    public void A_mac_pe_counts_one_8_bit_multiply_per_term()
    {
        HardwareConfig c = C with { Pe = PeKind.Mac };
        sbyte[] w = [-128, 127, 5, 0, 1, 2, 3, 4];
        ProgramImage image = LayerCompiler.Compile(new Layer(new Workload(1, 1, 8), w, [-128, -128, 1, 1, 1, 1, 1, 1]), c).Image;
        SimResult r = Simulator.Run(image);
        Assert.Equal([128 * 128 - 128 * 127 + 5 + 1 + 2 + 3 + 4], r.Acc);
        Assert.Equal(new SortedDictionary<int, long> { [8] = 16 }, r.Activity.MultipliesByWidthBits());
    }
}
