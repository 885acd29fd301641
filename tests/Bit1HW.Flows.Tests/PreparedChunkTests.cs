using Bit1HW.Core.Hardware;
using Bit1HW.Model.Decoding;
using Bit1HW.Sim;

namespace Bit1HW.Flows.Tests;

/// <summary>
/// The simulator backend keeps every compiled chunk across tokens and runs it on the fast path;
/// it must decode exactly like compiling and simulating every chunk afresh cycle by cycle.
/// </summary>
public class PreparedChunkTests
{
    public static TheoryData<int> Configs => new() { 0, 1 };

    // Config 1: K = 256 > actDepth · lanes = 128, so every projection is also cut into K chunks.
    private static HardwareConfig Config(int which) => which == 0 ? HardwareConfig.Default
        : new HardwareConfig { Lanes = 16, WeightDepth = 32, ActDepth = 8, OutDepth = 16, InstrDepth = 128, MaxK = 128 }.Validate();

    [Theory]
    [MemberData(nameof(Configs))]
    public void Kept_chunks_on_the_fast_path_give_the_cycle_paths_logits_cycles_and_energy_token_after_token(int which)
    {
        var w = TinyModel.Load(layers: 1, seed: 21);
        HardwareConfig c = Config(which);
        using var fast = AcceleratorBackend.Simulator(c, "7nm", SimPath.Fast);
        using var cycle = AcceleratorBackend.Simulator(c, "7nm", SimPath.CycleByCycle);
        int[] prompt = [4, 8, 15];
        var a = new List<float[]>();
        var b = new List<float[]>();
        DecodeResult ra = DecodeRun.Run(w, cycle, prompt, 3, 0, 1, l => a.Add((float[])l.Clone()));
        DecodeResult rb = DecodeRun.Run(w, fast, prompt, 3, 0, 1, l => b.Add((float[])l.Clone()));
        Assert.Equal(ra.Generated, rb.Generated);
        for (int s = 0; s < a.Count; s++)
            Assert.True(a[s].AsSpan().SequenceEqual(b[s]), $"{c.Tag}: step {s} logits differ");
        Assert.Equal(cycle.Cycles, fast.Cycles);
        Assert.Equal(BitConverter.DoubleToInt64Bits(cycle.Picojoules), BitConverter.DoubleToInt64Bits(fast.Picojoules));
    }

    [Fact]
    public void Each_chunk_is_compiled_once_per_model_and_configuration()
    {
        var w = TinyModel.Load(layers: 1, seed: 21);
        using var fast = AcceleratorBackend.Simulator(Config(1));
        DecodeRun.Run(w, fast, [4], 1, 0, 1);
        int afterOneToken = fast.ChunksCompiled;
        long cyclesOneToken = fast.Cycles!.Value;
        DecodeRun.Run(w, fast, [4, 8, 15], 3, 0, 1);
        Assert.True(afterOneToken > 10, $"{afterOneToken} chunks");
        Assert.Equal(afterOneToken, fast.ChunksCompiled);
        Assert.Equal(6 * cyclesOneToken, fast.Cycles);   // 1 + 5 decoder steps, every one the same programs
    }
}
