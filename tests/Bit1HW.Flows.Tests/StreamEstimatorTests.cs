using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Technology;
using Bit1HW.Model;
using Bit1HW.Sim;

namespace Bit1HW.Flows.Tests;

public class StreamEstimatorTests
{
    // Small memories so the tiny model's projections are cut: outDepth 16 → at most 16 row blocks per
    // chunk, maxK 256 → the 512-column down projection in two K chunks.
    private static readonly HardwareConfig Small = new HardwareConfig
    {
        Lanes = 16, Rows = 4, WeightDepth = 64, ActDepth = 16, OutDepth = 16, InstrDepth = 256, MaxK = 256,
        Stream = new StreamConfig { AxiDataBits = 64, BurstBeats = 8, MaxOutstanding = 2 },
    }.Validate();

    private static string Repo(string relative) => RepoPaths.Of(relative);

    [Fact]
    public void The_estimate_of_a_small_model_equals_the_simulated_runs_of_its_chunks_cycle_for_cycle()
    {
        ModelShape shape = ModelShape.Resolve(Repo("docs/examples/models/tiny.json"));
        var memory = new MemorySystem(100e6, 300e6, 70);   // 300 MB/s at 100 MHz: 3/8 of a 8-byte beat per cycle, 7 cycles
        StreamEstimate e = StreamEstimator.Estimate(shape, Small, memory, TechnologyNode.Resolve("7nm"));
        Assert.Equal(new MemoryTiming(7, 3, 8), e.Timing);
        var planner = new ChunkPlanner(Small);
        var rng = new SplitMix64(12);
        foreach (ProjectionEstimate p in e.Projections)
        {
            long busy = 0, stalls = 0, bytes = 0;
            IReadOnlyList<Chunk> chunks = planner.Plan(p.Projection.OutFeatures, p.Projection.InFeatures);
            foreach (Chunk chunk in chunks)
            {
                var w = new sbyte[chunk.Rows * chunk.Cols];
                var x = new sbyte[chunk.Cols];
                for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-1, 2);
                for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next(-128, 128);
                ProgramImage image = LayerCompiler.Compile(new Layer(new Workload(1, chunk.Rows, chunk.Cols), w, x), Small).Image;
                SimResult r = Simulator.Run(image, MemoryModel.Nominal(e.Timing));
                busy += r.Cycles;
                stalls += r.Activity.StallCycles;
                bytes += r.Activity.ExternalBytesRead;
            }
            Assert.True(chunks.Count > 1 || p.Projection.Name is "k" or "v", $"{p.Projection.Name}: expected the small memories to cut it");
            Assert.Equal(chunks.Count, p.Runs);
            Assert.Equal(busy, p.ComputeCycles + p.StallCycles);
            Assert.Equal(stalls, p.StallCycles);
            Assert.Equal(bytes, p.StreamBytes);
        }
    }

    // docs/performance.md publishes these figures; a change to the schedule or the predictor shows here first.
    [Theory]
    [InlineData("docs/examples/kv260-stream.json", 8_271_270, 1_913_760, 939_930, 521_011_200, 22.47)]
    [InlineData("docs/examples/kv260-stream-base3.json", 6_621_390, 1_533_240, 897_330, 417_054_720, 27.62)]
    public void The_published_2b_4t_estimate_beside_the_kv260_peer_holds(string config, long compute, long stall, long host, long bytes, double tokensPerSecond)
    {
        StreamEstimate e = StreamEstimator.Estimate(ModelShape.Resolve("bitnet-b1.58-2b-4t"), HardwareConfig.Load(Repo(config)),
            new MemorySystem(250e6, 12.8e9, 120), TechnologyNode.Resolve("7nm"));
        Assert.Equal((compute, stall, host, bytes), (e.ComputeCyclesPerToken, e.StallCyclesPerToken, e.HostCyclesPerToken, e.BytesPerToken));
        Assert.Equal(tokensPerSecond, Math.Round(e.TokensPerSecond, 2));
        Assert.True(e.BandwidthBound);
        Assert.True(e.StreamEfficiency > 0.99, $"{e.StreamEfficiency}");
    }

    [Fact]
    public void A_gguf_file_and_its_config_json_give_the_same_projections()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bit1hw-est-{Guid.NewGuid():N}.gguf");
        try
        {
            ModelFile.WriteSynthetic(ModelConfig.Load(Repo("docs/examples/models/tiny.json")), 7, ModelFormat.GgufTq2, path);
            ModelShape fromGguf = ModelShape.Resolve(path), fromJson = ModelShape.Resolve(Repo("docs/examples/models/tiny.json"));
            Assert.Equal(fromJson.Layers, fromGguf.Layers);
            Assert.Equal(fromJson.Projections, fromGguf.Projections);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_bandwidth_above_the_port_is_capped_at_one_beat_per_cycle_and_the_design_becomes_compute_bound()
    {
        ModelShape shape = ModelShape.Resolve("bitnet-b1.58-700m");
        var wide = Small with { Stream = Small.Stream! with { AxiDataBits = 256, BurstBeats = 2 } };
        StreamEstimate e = StreamEstimator.Estimate(shape, wide, new MemorySystem(100e6, 100e9, 100), TechnologyNode.Resolve("7nm"));
        Assert.Equal(new MemoryTiming(10, 1, 1), e.Timing);
        Assert.False(e.BandwidthBound);   // 64 weights per cycle in the PE array, 128 per 256-bit beat
        Assert.True(StreamEstimator.Estimate(shape, Small, new MemorySystem(100e6, 100e9, 100), TechnologyNode.Resolve("7nm")).BandwidthBound);   // 32 per 64-bit beat
    }

    [Theory]
    [InlineData(0.0, 12.8, "--clock-mhz")]
    [InlineData(250.0, 0.0, "--bandwidth-gbs")]
    [InlineData(250.0, -3.0, "--bandwidth-gbs")]
    [InlineData(double.NaN, 1.0, "--clock-mhz")]
    public void A_clock_or_bandwidth_that_is_not_positive_is_a_one_line_error_naming_the_flag(double mhz, double gbs, string flag)
    {
        var e = Assert.Throws<UserInputException>(() =>
            StreamEstimator.Estimate(ModelShape.Resolve("bitnet-b1.58-2b-4t"), Small, new MemorySystem(mhz * 1e6, gbs * 1e9, 100), TechnologyNode.Resolve("7nm")));
        Assert.StartsWith(flag, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_model_larger_than_the_axi_address_space_is_a_one_line_error_naming_the_projection()
    {
        var narrow = Small with { Stream = Small.Stream! with { AxiAddrBits = 32 } };
        var e = Assert.Throws<UserInputException>(() =>
            StreamEstimator.Estimate(ModelShape.Resolve("bitnet-b1.58-70b"), narrow, new MemorySystem(250e6, 12.8e9, 100), TechnologyNode.Resolve("7nm")));
        Assert.Contains("32-bit AXI address space", e.Message);
        Assert.Contains("block", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_host_fed_config_is_refused_with_a_pointer_to_the_stream_object()
    {
        var e = Assert.Throws<UserInputException>(() =>
            StreamEstimator.Estimate(ModelShape.Resolve("bitnet-b1.58-2b-4t"), HardwareConfig.Default, new MemorySystem(250e6, 12.8e9, 100), TechnologyNode.Resolve("7nm")));
        Assert.Contains("'stream'", e.Message);
    }
}
