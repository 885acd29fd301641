using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Flows.Tests;

public class StreamingDecodeTests
{
    // Small memories so projections are cut into several chunks, each with its own place in the DRAM image.
    private static readonly HardwareConfig Streaming = new HardwareConfig
    {
        Lanes = 16, Rows = 4, WeightDepth = 64, ActDepth = 16, OutDepth = 32, InstrDepth = 256, MaxK = 256,
        Stream = new StreamConfig { AxiDataBits = 64, BurstBeats = 8, MaxOutstanding = 2 },
    }.Validate();

    private static List<float[]> Logits(BitNetWeights w, ITernaryLinearBackend b, int[] prompt, int maxNew)
    {
        var all = new List<float[]>();
        DecodeRun.Run(w, b, prompt, maxNew, 0, 1, l => all.Add((float[])l.Clone()));
        return all;
    }

    [Fact]
    public void A_streaming_engine_decodes_bit_identically_to_the_reference_reading_every_weight_from_the_dram_image_once_per_token()
    {
        BitNetWeights w = TinyModel.Load(layers: 1, seed: 13);
        using var sim = AcceleratorBackend.Simulator(Streaming);
        var a = Logits(w, new ReferenceBackend(), [4, 8, 15], 2);
        var b = Logits(w, sim, [4, 8, 15], 2);
        Assert.Equal(a.Count, b.Count);
        for (int s = 0; s < a.Count; s++)
            Assert.True(a[s].AsSpan().SequenceEqual(b[s]), $"step {s}: logits differ");
        // Every decoder step runs every projection once and each run reads its chunks' whole streams,
        // so the bytes read are one DRAM image per step; the image holds every chunk's stream once.
        long imageBytes = 0;
        var planner = new ChunkPlanner(Streaming);
        foreach (var m in w.Ternary)
            foreach (Chunk c in planner.Plan(m.Rows, m.Cols))
                imageBytes += WeightStream.Bytes(MemoryLayout.For(new Workload(1, c.Rows, c.Cols), Streaming), Streaming);
        Assert.Equal(imageBytes, sim.DramImageBytes);
        Assert.True(sim.StallCycles > 0 && sim.StallCycles < sim.Cycles);
        Assert.Equal(0, sim.ExternalBytesRead % sim.DramImageBytes);
        Assert.True(sim.ExternalBytesRead / sim.DramImageBytes >= a.Count);
        Assert.True(sim.HostCycles > 0);
    }

    [Fact]
    public void The_estimate_of_the_decoded_model_equals_the_streaming_decoders_cycles_per_token_exactly()
    {
        BitNetWeights w = TinyModel.Load(layers: 2, seed: 5);
        using var sim = AcceleratorBackend.Simulator(Streaming);
        DecodeResult r = DecodeRun.Run(w, sim, [3, 9], 2, 0, 1);
        // The simulator's default memory: first beat 24 cycles after the address, a beat per cycle.
        StreamEstimate e = StreamEstimator.Estimate(ModelShape.From(w.Config, "tiny"), Streaming, new MemorySystem(100e6, 1e12, 240),
            Energy.Technology.TechnologyNode.Resolve("7nm"));
        Assert.Equal(new MemoryTiming(24), e.Timing);
        Assert.Equal(e.ComputeCyclesPerToken + e.StallCyclesPerToken, sim.Cycles!.Value / r.Steps);
        Assert.Equal(0, sim.Cycles!.Value % r.Steps);
        Assert.Equal(e.StallCyclesPerToken * r.Steps, sim.StallCycles);
        Assert.Equal(e.HostCyclesPerToken * r.Steps, sim.HostCycles);
        Assert.Equal(e.BytesPerToken * r.Steps, sim.ExternalBytesRead);
        Assert.Equal(e.ExternalBytes, sim.DramImageBytes);
    }
}
