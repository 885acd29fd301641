using Bit1HW.Core;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Xunit.Abstractions;

namespace Bit1HW.Sim.Tests;

public class EndToEndTests(ITestOutputHelper output)
{
    private static readonly int[] Sizes = [1, 3, 7, 63, 65];

    [Theory]
    [InlineData(101, 16, 4, 8, 2, PeKind.Ternary)]
    [InlineData(102, 7, 3, 4, 1, PeKind.Ternary)]
    [InlineData(103, 5, 1, 8, 3, PeKind.Mac)]
    [InlineData(104, 1, 2, 8, 1, PeKind.Ternary)]
    [InlineData(105, 33, 5, 4, 2, PeKind.Mac)]
    [InlineData(106, 64, 16, 8, 3, PeKind.Ternary)]
    [InlineData(107, 3, 7, 4, 2, PeKind.Ternary)]
    public void Simulated_outputs_and_cycles_match_the_reference_and_the_prediction(int seedBase, int lanes, int rows, int actBits, int pipeEvery, PeKind pe)
    {
        int seed = TestSeed.Seed(seedBase, output);
        var rng = new SplitMix64(seed);
        HardwareConfig c = TestLayers.Config(lanes, rows, actBits, pipeEvery, pe);
        int n = 0;
        foreach (int outF in Sizes)
        foreach (int inF in Sizes)
        {
            var shape = new Workload(rng.Next(1, 4), outF, inF);
            Layer layer = TestLayers.Make(rng, shape, c, n++ % 5);
            ProgramImage image = LayerCompiler.Compile(layer, c).Image;
            SimResult r = Simulator.Run(image);
            long[] expected = TestLayers.Reference(layer);
            int diff = TestLayers.FirstDifference(expected, r.Acc);
            string where = $"seed {seed}, config {c.Tag}, shape {shape}";
            Assert.True(diff < 0, diff < 0 ? "" : $"{where}: acc[{diff}] = {r.Acc[diff]}, reference {expected[diff]}");
            Assert.True(image.PredictedCycles == r.Cycles, $"{where}: predicted {image.PredictedCycles} cycles, simulated {r.Cycles}");
            Assert.Equal(r.Cycles, r.Activity.Cycles);
            if (pe == PeKind.Ternary) Assert.Equal(CoreBitLinear(layer, actBits), r.Acc);
        }
    }

    /// <summary>Core's BitLinear accumulation (the reference the CLI checks against) on the same integers.</summary>
    private static int[] CoreBitLinear(Layer layer, int actBits)
    {
        Workload s = layer.Shape;
        var w = Bit1HW.Core.Numerics.TernaryMatrix.FromTernary(layer.Weights, s.OutFeatures, s.InFeatures, 1f);
        var x = new Bit1HW.Core.Numerics.QuantizedActivations(s.Tokens, s.InFeatures, actBits, layer.Activations, new float[s.Tokens]);
        var acc = new int[s.Tokens * s.OutFeatures];
        Bit1HW.Core.Numerics.BitLinear.Accumulate(w, x, acc);
        return acc;
    }

    [Theory]
    [InlineData((int)SimFault.ExtraPipelineRegister, 16, 4)]
    [InlineData((int)SimFault.DropOddTreeElement, 7, 3)]
    [InlineData((int)SimFault.ClrIgnoresLandingTile, 16, 4)]
    public void An_injected_simulator_fault_makes_the_reference_comparison_fail(int faultId, int lanes, int rows)
    {
        var fault = (SimFault)faultId;
        int seed = TestSeed.Get(7);
        output.WriteLine($"seed {seed}");
        HardwareConfig c = TestLayers.Config(lanes, rows, 8, 2, PeKind.Ternary);
        Layer layer = TestLayers.Make(new SplitMix64(seed), new Workload(3, 9, 45), c, 0);
        ProgramImage image = LayerCompiler.Compile(layer, c).Image;
        long[] expected = TestLayers.Reference(layer);
        Assert.Equal(-1, TestLayers.FirstDifference(expected, Simulator.Run(image).Acc));
        Assert.True(TestLayers.FirstDifference(expected, Simulator.Run(image, fault).Acc) >= 0, $"fault {fault} went unnoticed");
    }
}

public class AllocationTests
{
    [Fact]
    public void A_run_allocates_nothing_per_cycle()
    {
        HardwareConfig c = TestLayers.Config(16, 4, 8, 1, PeKind.Ternary);
        ProgramImage image = LayerCompiler.Compile(TestLayers.Make(new SplitMix64(5), new Workload(4, 32, 512), c, 0), c).Image;
        Engine engine = Simulator.Load(image);
        Simulator.Execute(engine, image);   // warm-up: JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        long cycles = Simulator.Execute(engine, image);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(cycles > 1000, $"{cycles} cycles");
        Assert.True(bytes < 256, $"{bytes} bytes allocated over {cycles} cycles (one clocking helper per run is expected)");
    }
}
