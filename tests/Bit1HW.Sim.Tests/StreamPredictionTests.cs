using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Testing;
using Xunit.Abstractions;

namespace Bit1HW.Sim.Tests;

/// <summary>
/// Two independent derivations of docs/hardware.md compared: the simulator (engine + memory slave)
/// runs layers the compiler laid out and scheduled for streaming, and under the nominal memory its
/// busy cycles, stalls, bursts and bytes equal the compiler's <see cref="StallPredictor"/> exactly;
/// under any other memory the sums stay the reference's and cycles = N_static + counted stalls.
/// </summary>
public class StreamPredictionTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(StreamRunTests.Configs), MemberType = typeof(StreamRunTests))]
    public void Under_the_nominal_memory_the_simulated_cycles_equal_the_compilers_prediction(
        int lanes, int rows, int axiDataBits, int burstBeats, int maxOutstanding, WeightPacking packing, int weightDepth, int pipeEvery)
    {
        HardwareConfig c = StreamImages.Config(lanes, rows, axiDataBits, burstBeats, maxOutstanding, packing, weightDepth, pipeEvery);
        int seed = TestSeed.Seed(2026 + lanes * 7 + rows, output);
        var rng = new SplitMix64(seed);
        long stalls = 0;
        for (int round = 0; round < 5; round++)
        {
            var shape = new Workload(rng.Next(1, 4), rng.Next(1, 3 * rows + 2), rng.Next(1, 4 * lanes + 6));
            Layer layer = TestLayers.Make(rng, shape, c, round % 5);
            ProgramImage image = LayerCompiler.Compile(layer, c).Image;
            long[] expected = TestLayers.Reference(layer);
            var timing = new MemoryTiming(rng.Next(1, 40), rng.Next(1, 5), 4);
            StreamPrediction p = StallPredictor.Predict(c, image.Instructions, timing);
            string where = $"seed {seed}, round {round}, {c.Tag} depth {c.WeightDepth}, {shape}, timing {timing}";
            SimResult nominal = Simulator.Run(image, MemoryModel.Nominal(timing), SimPath.CycleByCycle);
            Assert.True(TestLayers.FirstDifference(expected, nominal.Acc) < 0, where);
            Assert.True((nominal.Cycles, nominal.Activity.StallCycles, nominal.Activity.Bursts, nominal.Activity.ExternalBytesRead)
                == (p.Cycles, p.StallCycles, p.Bursts, p.BytesRead),
                $"{where}: simulated {nominal.Cycles} cycles, {nominal.Activity.StallCycles} stalls, {nominal.Activity.Bursts} bursts, "
                + $"{nominal.Activity.ExternalBytesRead} bytes; predicted {p.Cycles}, {p.StallCycles}, {p.Bursts}, {p.BytesRead}");
            Assert.Equal(p.StaticCycles, image.PredictedCycles);
            stalls += p.StallCycles;
            MemoryModel random = MemoryModel.RandomBackpressure(timing, rng.NextUInt64());
            SimResult r = Simulator.Run(image, random, SimPath.CycleByCycle);
            Assert.True(TestLayers.FirstDifference(expected, r.Acc) < 0, $"{where}, {random}");
            Assert.True(r.Cycles == p.StaticCycles + r.Activity.StallCycles, $"{where}, {random}: {r.Cycles} cycles");
            Assert.True(r.Activity.StallCycles >= p.StallCycles, $"{where}, {random}: fewer stalls than the nominal memory");
        }
        Assert.True(stalls > 0, $"seed {seed}: no round stalled, so the comparison says nothing about stalls");
    }
}
