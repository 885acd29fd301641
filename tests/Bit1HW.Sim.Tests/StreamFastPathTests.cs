using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim.Fast;
using Bit1HW.Testing;
using Xunit.Abstractions;

namespace Bit1HW.Sim.Tests;

/// <summary>The fast path against the cycle path on streaming images: the same sums, cycles, stalls and report, under every memory.</summary>
public class StreamFastPathTests(ITestOutputHelper output)
{
    private static IEnumerable<MemoryModel> Memories(SplitMix64 rng)
    {
        var timing = new MemoryTiming(rng.Next(1, 40), rng.Next(1, 5), 4);
        yield return MemoryModel.Nominal(timing);
        yield return MemoryModel.Slower(timing);
        yield return MemoryModel.RandomBackpressure(timing, rng.NextUInt64());
    }

    [Theory]
    [MemberData(nameof(StreamRunTests.Configs), MemberType = typeof(StreamRunTests))]
    public void The_fast_path_gives_the_cycle_paths_sums_cycles_and_counters_on_streaming_images(
        int lanes, int rows, int axiDataBits, int burstBeats, int maxOutstanding, WeightPacking packing, int weightDepth, int pipeEvery)
    {
        HardwareConfig c = StreamImages.Config(lanes, rows, axiDataBits, burstBeats, maxOutstanding, packing, weightDepth, pipeEvery);
        int seed = TestSeed.Seed(17 + lanes * 5 + rows, output);
        var rng = new SplitMix64(seed);
        for (int round = 0; round < 6; round++)
        {
            var shape = new Workload(rng.Next(1, 4), rng.Next(1, 3 * rows + 2), rng.Next(1, 4 * lanes + 6));
            Layer layer = TestLayers.Make(rng, shape, c, round % 5);
            // Half the rounds the compiler's schedule, half the hand-written one (an extra SETA per group, SETS 3).
            ProgramImage image = round % 2 == 0 ? LayerCompiler.Compile(layer, c).Image : StreamImages.Image(c, layer);
            foreach (MemoryModel memory in Memories(rng))
            {
                string where = $"seed {seed}, round {round}, {c.Tag} depth {c.WeightDepth}, {shape}, memory {memory}";
                SimResult slow = Simulator.Run(image, memory, SimPath.CycleByCycle);
                foreach (KernelIsa isa in new[] { KernelIsa.Scalar, TileKernel.Best }.Distinct())
                {
                    SimResult fast = Simulator.RunFastStreaming(image, memory, isa);
                    Assert.True(slow.Acc.AsSpan().SequenceEqual(fast.Acc), $"{where}, {isa}: sums differ");
                    Assert.True((slow.Cycles, slow.Activity.StallCycles, slow.Activity.Bursts, slow.Activity.ExternalBytesRead)
                        == (fast.Cycles, fast.Activity.StallCycles, fast.Activity.Bursts, fast.Activity.ExternalBytesRead),
                        $"{where}, {isa}: cycle path {slow.Cycles} cycles, {slow.Activity.StallCycles} stalls, {slow.Activity.Bursts} bursts; "
                        + $"fast path {fast.Cycles}, {fast.Activity.StallCycles}, {fast.Activity.Bursts}");
                    Assert.Equal(slow.ToReport().ToJson(), fast.ToReport().ToJson());
                }
            }
        }
    }

    [Theory]
    [InlineData((int)FastFault.LandOneCycleLate)]
    [InlineData((int)FastFault.ClrDropsLandingTile)]
    [InlineData((int)FastFault.HaltIgnoresTraffic)]
    public void The_comparison_catches_a_planted_fast_path_fault_on_streaming_images(int faultId)
    {
        var fault = (FastFault)faultId;
        HardwareConfig c = StreamImages.Config(16, 4, 128, 4, 1, WeightPacking.TwoBit, 16);   // one outstanding: the extra burst comes last
        Layer layer = TestLayers.Make(new SplitMix64(8), new Workload(2, 9, 100), c, 0);
        // LOAD one burst more than the MACs need, so HALT has traffic to wait for.
        ProgramImage compiled = LayerCompiler.Compile(layer, c).Image;
        uint[] prog = (uint[])compiled.Instructions.Clone();
        prog[1] += 1;
        byte[] bytes = [.. compiled.External!.Bytes, .. new byte[c.Stream!.BurstBytes]];
        var image = new ProgramImage(c, prog, compiled.Weights, compiled.Activations, compiled.Workload, compiled.OutputWord,
            compiled.OutputRow, compiled.PredictedCycles, new ExternalMemory(compiled.External.BaseAddress, bytes), compiled.WeightBase);
        var memory = MemoryModel.Nominal(new MemoryTiming(60));
        SimResult slow = Simulator.Run(image, memory, SimPath.CycleByCycle);
        Assert.Equal(slow.ToReport().ToJson(), Simulator.RunFastStreaming(image, memory, TileKernel.Best).ToReport().ToJson());
        Assert.True(StallPredictor.Predict(c, prog, memory.Timing).HaltStallCycles > 0);
        SimResult bad = Simulator.RunFastStreaming(image, memory, TileKernel.Best, fault);
        Assert.False(slow.Acc.AsSpan().SequenceEqual(bad.Acc) && slow.Cycles == bad.Cycles, $"{fault} not caught");
    }

    [Fact]
    public void Simulator_Run_takes_the_fast_path_for_streaming_images_by_default()
    {
        HardwareConfig c = StreamImages.Config(16, 4, 128, 4, 2, WeightPacking.TwoBit, 16);
        Layer layer = TestLayers.Make(new SplitMix64(4), new Workload(2, 9, 100), c, 0);
        ProgramImage image = LayerCompiler.Compile(layer, c).Image;
        SimResult byDefault = Simulator.Run(image);
        SimResult cycle = Simulator.Run(image, MemoryModel.Default, SimPath.CycleByCycle);
        Assert.Equal(cycle.ToReport().ToJson(), byDefault.ToReport().ToJson());
        Assert.Equal(-1, TestLayers.FirstDifference(TestLayers.Reference(layer), byDefault.Acc));
        Assert.True(byDefault.Activity.StallCycles > 0);
    }

    [Fact]
    public void The_fast_path_reports_a_starved_MAC_as_the_cycle_path_does()
    {
        HardwareConfig c = StreamImages.Config(16, 4, 128, 4, 2, WeightPacking.TwoBit, 16);
        Layer layer = TestLayers.Make(new SplitMix64(11), new Workload(1, 8, 160), c, 0);
        ProgramImage image = StreamImages.Image(c, layer);
        uint[] prog = (uint[])image.Instructions.Clone();
        prog[1] = ((uint)Opcode.Load << Isa.OperandBits) | 2;
        var starved = new ProgramImage(c, prog, image.Weights, image.Activations, image.Workload, image.OutputWord, image.OutputRow,
            image.PredictedCycles, image.External, image.WeightBase);
        var e = Assert.Throws<InvalidOperationException>(() => Simulator.Run(starved));
        Assert.Contains("stream word 8", e.Message);
    }

    [Fact]
    public void A_prepared_streaming_program_reruns_with_new_activations_as_fresh_cycle_path_runs_do()
    {
        HardwareConfig c = StreamImages.Config(16, 5, 128, 2, 2, WeightPacking.Base3, 8);
        var rng = new SplitMix64(TestSeed.Seed(31, output));
        Layer first = TestLayers.Make(rng, new Workload(2, 12, 90), c, 0);
        Layer second = first with { Activations = TestLayers.Make(rng, first.Shape, c, 0).Activations };
        ProgramImage a = LayerCompiler.Compile(first, c).Image, b = LayerCompiler.Compile(second, c).Image;
        foreach (MemoryModel memory in new[] { MemoryModel.Nominal(new MemoryTiming(9)), MemoryModel.RandomBackpressure(new MemoryTiming(9), 5) })
        {
            var prepared = new PreparedProgram(a, memory: memory);
            var engine = new FastEngine(c);
            foreach (ProgramImage image in new[] { a, b, a })
            {
                SimResult fast = prepared.Run(engine, image.Activations);
                SimResult slow = Simulator.Run(image, memory, SimPath.CycleByCycle);
                Assert.Equal(slow.Acc, fast.Acc);
                Assert.Equal(slow.ToReport().ToJson(), fast.ToReport().ToJson());
            }
        }
    }
}
