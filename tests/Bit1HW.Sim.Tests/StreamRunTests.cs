using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Testing;
using Xunit.Abstractions;

namespace Bit1HW.Sim.Tests;

/// <summary>
/// Streaming runs of seeded layers under every kind of memory: the sums equal the reference, the
/// busy cycles are N_static + the counted stalls, and the traffic counters are the bursts the
/// program loaded. Failure messages carry the seed, the config and the memory model.
/// </summary>
public class StreamRunTests(ITestOutputHelper output)
{
    /// <summary>Words per beat 1, 2, 8 and 1/4 (a word spanning beats), both packings, odd lanes, several pipelines.</summary>
    public static TheoryData<int, int, int, int, int, WeightPacking, int, int> Configs => new()
    {
        { 16, 4, 128, 4, 2, WeightPacking.TwoBit, 16, 1 },
        { 8, 2, 64, 2, 3, WeightPacking.TwoBit, 16, 2 },
        { 16, 8, 64, 8, 1, WeightPacking.TwoBit, 8, 1 },
        { 16, 1, 256, 1, 4, WeightPacking.TwoBit, 64, 3 },
        { 16, 5, 128, 2, 2, WeightPacking.Base3, 8, 1 },
        { 20, 8, 64, 16, 1, WeightPacking.Base3, 8, 2 },
        { 5, 8, 32, 4, 3, WeightPacking.Base3, 8, 1 },
        { 64, 8, 1024, 2, 8, WeightPacking.TwoBit, 32, 4 },
        { 40, 8, 64, 16, 4, WeightPacking.Base3, 16, 2 },
    };

    private static IEnumerable<MemoryModel> Memories(SplitMix64 rng)
    {
        var timing = new MemoryTiming(rng.Next(1, 31), rng.Next(1, 4), 4);
        yield return MemoryModel.Nominal(timing);
        yield return MemoryModel.Slower(timing);
        yield return MemoryModel.RandomBackpressure(timing, rng.NextUInt64());
        yield return MemoryModel.Nominal(new MemoryTiming(1));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Streamed_sums_equal_the_reference_under_every_memory_and_cycles_are_N_static_plus_stalls(
        int lanes, int rows, int axiDataBits, int burstBeats, int maxOutstanding, WeightPacking packing, int weightDepth, int pipeEvery)
    {
        HardwareConfig c = StreamImages.Config(lanes, rows, axiDataBits, burstBeats, maxOutstanding, packing, weightDepth, pipeEvery);
        int seed = TestSeed.Seed(1212 + lanes * 31 + rows, output);
        var rng = new SplitMix64(seed);
        for (int round = 0; round < 6; round++)
        {
            var shape = new Workload(rng.Next(1, 4), rng.Next(1, 2 * rows + 2), rng.Next(1, 3 * lanes + 6));
            Layer layer = TestLayers.Make(rng, shape, c, round % 5);
            ProgramImage image = StreamImages.Image(c, layer);
            long bursts = StreamImages.Encode(c, StreamImages.StreamWords(c, layer)).Length / c.Stream!.BurstBytes;
            long[] expected = TestLayers.Reference(layer);
            foreach (MemoryModel memory in Memories(rng))
            {
                string where = $"seed {seed}, round {round}, {c.Tag} depth {c.WeightDepth}, {shape}, memory {memory}";
                SimResult r = Simulator.Run(image, memory, SimPath.CycleByCycle);
                int diff = TestLayers.FirstDifference(expected, r.Acc);
                Assert.True(diff < 0, $"{where}: acc[{diff}] = {(diff < 0 ? 0 : r.Acc[diff])}, reference {(diff < 0 ? 0 : expected[diff])}");
                Assert.True(r.Cycles == image.PredictedCycles + r.Activity.StallCycles,
                    $"{where}: {r.Cycles} cycles, N_static {image.PredictedCycles} + {r.Activity.StallCycles} stalls");
                Assert.True(r.Activity.Bursts == bursts && r.Activity.ExternalBytesRead == bursts * c.Stream.BurstBytes,
                    $"{where}: {r.Activity.Bursts} bursts, {r.Activity.ExternalBytesRead} bytes; {bursts} loaded");
                Assert.Equal((long)shape.Tokens * StreamImages.Ceil(shape.OutFeatures, rows) * StreamImages.Ceil(shape.InFeatures, lanes), r.Activity.MacTiles);
            }
        }
    }

    [Fact]
    public void A_base3_stream_moves_1_point_6_bits_per_weight()
    {
        // 80 weights per word in 16 bytes: 128 bits where 2-bit codes would take 160.
        HardwareConfig c = StreamImages.Config(16, 5, 128, 1, 2, WeightPacking.Base3, 8);
        Assert.Equal(128, c.StreamWordBits);
        var rng = new SplitMix64(TestSeed.Seed(3, output));
        for (int mode = 0; mode < 5; mode++)
        {
            Layer layer = TestLayers.Make(rng, new Workload(2, 10, 16 * 4), c, mode);
            SimResult r = Simulator.Run(StreamImages.Image(c, layer), MemoryModel.Default, SimPath.CycleByCycle);
            Assert.Equal(-1, TestLayers.FirstDifference(TestLayers.Reference(layer), r.Acc));
            Assert.Equal(r.Activity.MacTiles * 80 * 16 / 10, r.Activity.ExternalBytesRead * 8);
        }
    }

    [Fact]
    public void Every_base3_byte_decodes_to_its_five_trits_in_the_engine()
    {
        // lanes 5, rows 8: a word is 8 bytes, one per row. Output o reads byte o, which holds the
        // trit quintuple of v = o (o < 243); activations 81, 27, 9, 3, 1 read the weights back as
        // Σ (w_j + 1 - 1) · 3^(4 - j) = v - 121.
        HardwareConfig c = StreamImages.Config(5, 8, 64, 1, 1, WeightPacking.Base3, 4);
        int outputs = 248;
        var w = new sbyte[outputs * 5];
        for (int v = 0; v < 243; v++)
            for (int m = 0, x = v; m < 5; m++, x /= 3) w[5 * v + 4 - m] = (sbyte)(x % 3 - 1);
        var layer = new Layer(new Workload(1, outputs, 5), w, [81, 27, 9, 3, 1]);
        SimResult r = Simulator.Run(StreamImages.Image(c, layer), MemoryModel.Default, SimPath.CycleByCycle);
        for (int v = 0; v < 243; v++) Assert.Equal(v - 121, r.Acc[v]);
    }

    [Fact]
    public void A_beat_outside_the_image_sets_axi_error_and_the_run_still_completes()
    {
        HardwareConfig c = StreamImages.Config(16, 4, 128, 4, 2, WeightPacking.TwoBit, 16);
        Layer layer = TestLayers.Make(new SplitMix64(9), new Workload(1, 8, 64), c, 0);
        ProgramImage good = StreamImages.Image(c, layer);
        ProgramImage cut = StreamImages.Image(c, layer, bytes => bytes[..^16]);   // the last beat is past the image
        List<StreamTimingTests.Cycle> ok = StreamTimingTests.Trace(good, MemoryModel.Default);
        List<StreamTimingTests.Cycle> bad = StreamTimingTests.Trace(cut, MemoryModel.Default);
        Assert.DoesNotContain(ok, t => t.Out.AxiError);
        Assert.False(bad[0].Out.AxiError);
        Assert.True(bad[^1].Out.AxiError);
        Assert.Equal(ok.Count, bad.Count);
        SimResult fast = Simulator.Run(cut), cycle = Simulator.Run(cut, MemoryModel.Default, SimPath.CycleByCycle);
        Assert.Equal(cycle.ToReport().ToJson(), fast.ToReport().ToJson());
        Assert.Equal(cycle.Acc, fast.Acc);
    }

    [Fact]
    public void A_MAC_that_reads_a_word_in_the_cycle_it_arrives_reads_stale_data_and_the_reference_catches_it()
    {
        HardwareConfig c = StreamImages.Config(16, 4, 128, 4, 2, WeightPacking.TwoBit, 16);
        Layer layer = TestLayers.Make(new SplitMix64(10), new Workload(2, 8, 200), c, 0);
        ProgramImage image = StreamImages.Image(c, layer);
        long[] expected = TestLayers.Reference(layer);
        var memory = MemoryModel.Nominal(new MemoryTiming(20));
        SimResult ok = Simulator.Run(image, SimFault.None, memory: memory);
        Assert.True(ok.Activity.StallCycles > 0);
        Assert.Equal(-1, TestLayers.FirstDifference(expected, ok.Acc));
        Assert.NotEqual(-1, TestLayers.FirstDifference(expected, Simulator.Run(image, SimFault.MacReadsBeforeWordArrives, memory: memory).Acc));
    }

    [Fact]
    public void A_program_whose_LOADs_bring_too_few_words_is_reported_instead_of_hanging()
    {
        HardwareConfig c = StreamImages.Config(16, 4, 128, 4, 2, WeightPacking.TwoBit, 16);
        Layer layer = TestLayers.Make(new SplitMix64(11), new Workload(1, 8, 160), c, 0);   // 20 words: 5 bursts
        ProgramImage image = StreamImages.Image(c, layer);
        uint[] prog = (uint[])image.Instructions.Clone();
        prog[1] = ((uint)Opcode.Load << Isa.OperandBits) | 2;
        var starved = new ProgramImage(c, prog, image.Weights, image.Activations, image.Workload, image.OutputWord, image.OutputRow,
            image.PredictedCycles, image.External, image.WeightBase);
        var e = Assert.Throws<InvalidOperationException>(() => Simulator.Run(starved, MemoryModel.Default, SimPath.CycleByCycle));
        Assert.Contains("stream word 8", e.Message);
    }
}
