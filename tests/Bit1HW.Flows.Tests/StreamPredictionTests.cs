using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;
using Bit1HW.Testing;
using Xunit.Abstractions;

namespace Bit1HW.Flows.Tests;

/// <summary>
/// The compiler's stall predictor against the cycle-accurate simulator, two independent readings of
/// docs/hardware.md: under the stated memory model the busy and stall cycles agree exactly; under a
/// slower memory or random backpressure the outputs do not change and N = N_static + measured S.
/// </summary>
public class StreamPredictionTests(ITestOutputHelper output)
{
    private static HardwareConfig Streaming(int lanes, int rows, int axiBits, int beats, int outstanding, int depth, WeightPacking packing) =>
        new HardwareConfig
        {
            Lanes = lanes, Rows = rows, WeightDepth = depth, ActDepth = 256, OutDepth = 256, InstrDepth = 1024, MaxK = Math.Min(1024, 256 * lanes),
            Stream = new StreamConfig { AxiDataBits = axiBits, BurstBeats = beats, MaxOutstanding = outstanding, Packing = packing },
        }.Validate();

    [Theory]
    // lanes, rows, axi bits, beats, outstanding, ring, packing, latency, rate num/den, seed
    [InlineData(16, 4, 128, 4, 2, 16, WeightPacking.TwoBit, 3, 1, 1, 1)]      // a beat per word
    [InlineData(16, 4, 32, 8, 1, 8, WeightPacking.TwoBit, 7, 2, 3, 2)]        // four beats per word, one burst in flight
    [InlineData(16, 2, 128, 2, 4, 32, WeightPacking.TwoBit, 20, 1, 1, 3)]     // two words per beat, long latency
    [InlineData(16, 5, 128, 4, 3, 16, WeightPacking.Base3, 5, 3, 4, 4)]       // base3: 80 weights in 128 bits
    [InlineData(8, 5, 64, 16, 2, 64, WeightPacking.Base3, 1, 1, 2, 5)]        // base3: 40 weights in 64 bits
    [InlineData(1, 1, 32, 1, 1, 32, WeightPacking.TwoBit, 2, 1, 1, 6)]        // one weight per word, 16 per beat
    public void The_predicted_cycles_equal_the_simulated_ones_under_the_model_and_outputs_never_depend_on_memory(
        int lanes, int rows, int axiBits, int beats, int outstanding, int depth, WeightPacking packing, int latency, int num, int den, int seed)
    {
        HardwareConfig c = Streaming(lanes, rows, axiBits, beats, outstanding, depth, packing);
        var timing = new MemoryTiming(latency, num, den);
        SplitMix64 rng = TestSeed.Rng(seed, output);
        foreach (var (tokens, outF, inF) in new[] { (1, 1, 1), (1, 7, 3 * lanes + 1), (2, 2 * rows + 1, 5 * lanes), (1, 9, Math.Min(70, c.MaxK)) })
        {
            var (layer, want) = RandomLayer(rng, tokens, outF, inF);
            ProgramImage image = LayerCompiler.Compile(layer, c).Image;
            StreamPrediction p = StallPredictor.Predict(c, image.Instructions, timing);
            string what = $"{c.Tag} {tokens}x{outF}x{inF} under {timing}";
            Assert.Equal(image.PredictedCycles, p.StaticCycles);
            SimResult nominal = Simulator.Run(image, MemoryModel.Nominal(timing));
            Assert.True(want.AsSpan().SequenceEqual(nominal.Acc), $"{what}: outputs differ from the reference");
            Assert.True(p.Cycles == nominal.Cycles, $"{what}: predicted {p.Cycles} cycles ({p.StallCycles} stalls), simulated {nominal.Cycles} ({nominal.Activity.StallCycles})");
            Assert.Equal(p.StallCycles, nominal.Activity.StallCycles);
            Assert.Equal(p.Bursts, nominal.Activity.Bursts);
            Assert.Equal(p.BytesRead, nominal.Activity.ExternalBytesRead);
            foreach (MemoryModel other in new[] { MemoryModel.Slower(timing), MemoryModel.RandomBackpressure(timing, (ulong)seed) })
            {
                SimResult r = Simulator.Run(image, other);
                Assert.True(want.AsSpan().SequenceEqual(r.Acc), $"{what}, memory {other}: outputs differ");
                Assert.Equal(image.PredictedCycles + r.Activity.StallCycles, r.Cycles);
                Assert.True(r.Cycles >= p.Cycles, $"{what}, memory {other}: {r.Cycles} cycles, fewer than the nominal {p.Cycles}");
            }
        }
    }

    private static (Layer Layer, int[] Want) RandomLayer(SplitMix64 rng, int tokens, int outF, int inF)
    {
        var w = new sbyte[outF * inF];
        var x = new sbyte[tokens * inF];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)(i % 13 == 0 ? -1 : rng.Next(-1, 2));
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)(i % 17 == 0 ? -128 : i % 17 == 1 ? 127 : rng.Next(-128, 128));
        var want = new int[tokens * outF];
        for (int t = 0; t < tokens; t++)
        for (int o = 0; o < outF; o++)
        {
            int s = 0;
            for (int i = 0; i < inF; i++) s += w[o * inF + i] * x[t * inF + i];
            want[t * outF + o] = s;
        }
        return (new Layer(new Workload(tokens, outF, inF), w, x), want);
    }
}
