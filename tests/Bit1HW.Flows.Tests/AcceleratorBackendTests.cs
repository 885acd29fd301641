using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Flows.Tests;

public class AcceleratorBackendTests
{
    private static List<float[]> Logits(BitNetWeights w, ITernaryLinearBackend b, int[] prompt, int maxNew)
    {
        var all = new List<float[]>();
        DecodeRun.Run(w, b, prompt, maxNew, 0, 1, l => all.Add((float[])l.Clone()));
        return all;
    }

    [Fact]
    public void A_tiny_model_gives_bit_identical_logits_on_the_reference_and_the_simulated_accelerator()
    {
        var w = TinyModel.Load(layers: 1, seed: 13);
        var sim = AcceleratorBackend.Simulator(HardwareConfig.Default);
        var a = Logits(w, new ReferenceBackend(), [4, 8, 15], 2);
        var b = Logits(w, sim, [4, 8, 15], 2);
        Assert.Equal(a.Count, b.Count);
        for (int s = 0; s < a.Count; s++)
            for (int i = 0; i < a[s].Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(a[s][i]) == BitConverter.SingleToInt32Bits(b[s][i]),
                    $"step {s} logit {i}: reference {a[s][i]:R}, sim {b[s][i]:R}");
        Assert.True(sim.Cycles > 0);
    }

    // The third backend: the generated RTL itself, under Verilator, driven through the host port.
    [ToolFact("verilator")]
    public void A_tiny_model_gives_bit_identical_logits_and_tokens_on_reference_simulator_and_verilator()
    {
        var w = TinyModel.Load(layers: 1, seed: 13);
        int[] prompt = [4, 8, 15];
        using var sim = AcceleratorBackend.Simulator(HardwareConfig.Default);
        using var rtl = AcceleratorBackend.Verilator(HardwareConfig.Default);
        var a = Logits(w, new ReferenceBackend(), prompt, 3);
        var b = Logits(w, sim, prompt, 3);
        var c = Logits(w, rtl, prompt, 3);
        Assert.Equal(a.Count, c.Count);
        for (int s = 0; s < a.Count; s++)
            for (int i = 0; i < a[s].Length; i++)
            {
                int ra = BitConverter.SingleToInt32Bits(a[s][i]);
                Assert.True(ra == BitConverter.SingleToInt32Bits(b[s][i]), $"step {s} logit {i}: reference {a[s][i]:R}, sim {b[s][i]:R}");
                Assert.True(ra == BitConverter.SingleToInt32Bits(c[s][i]), $"step {s} logit {i}: reference {a[s][i]:R}, verilator {c[s][i]:R}");
            }
        // Identical logits give identical greedy tokens; the RTL ran exactly the simulator's cycles.
        Assert.Equal(a.Select(Argmax), c.Select(Argmax));
        Assert.Equal(sim.Cycles, rtl.Cycles);
        Assert.True(rtl.Cycles > 0);
        // Same programs, same activity: the energy per run is the same number on both backends.
        Assert.True(sim.Picojoules > 0);
        Assert.Equal(BitConverter.DoubleToInt64Bits(sim.Picojoules), BitConverter.DoubleToInt64Bits(rtl.Picojoules));
    }

    [Fact]
    public void Energy_adds_up_over_repeated_work_and_grows_with_the_node()
    {
        var rng = new SplitMix64(9);
        var t = new sbyte[24 * 100];
        for (int i = 0; i < t.Length; i++) t[i] = (sbyte)((int)(rng.NextUInt64() % 3) - 1);
        var m = TernaryMatrix.FromTernary(t, 24, 100, 1f, "w");
        var x = new sbyte[100];
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.NextUInt64();
        var acc = new int[24];
        using var once = AcceleratorBackend.Simulator(HardwareConfig.Default, "7nm");
        once.MatVec(m, x, acc, default);
        using var twice = AcceleratorBackend.Simulator(HardwareConfig.Default, "7nm");
        twice.MatVec(m, x, acc, default);
        twice.MatVec(m, x, acc, default);
        Assert.Equal(2 * once.Picojoules, twice.Picojoules, 9);
        using var old = AcceleratorBackend.Simulator(HardwareConfig.Default, "45nm");
        old.MatVec(m, x, acc, default);
        Assert.True(old.Picojoules > once.Picojoules, $"45 nm {old.Picojoules} pJ should exceed 7 nm {once.Picojoules} pJ");
    }

    private static int Argmax(float[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    // K = 512 > actDepth·lanes of each small engine and 64 rows > its weight memory. The last two
    // are the chunk budget's worst cases: memories of 2 and 4 words give 2- and 3-bit repeat
    // counters, so with L = 7 and L = 4 the compiler splits its NOP padding into several words.
    [Theory]
    [InlineData(16, 32, 8, 16, 128, 128)]
    [InlineData(64, 2, 2, 2, 16, 128)]
    [InlineData(8, 4, 2, 4, 32, 16)]
    public void Projections_larger_than_the_engine_memories_are_split_and_still_exact(
        int lanes, int weightDepth, int actDepth, int outDepth, int instrDepth, int maxK)
    {
        var small = new HardwareConfig
        {
            Lanes = lanes, WeightDepth = weightDepth, ActDepth = actDepth, OutDepth = outDepth, InstrDepth = instrDepth, MaxK = maxK,
        }.Validate();
        var rng = new SplitMix64(5);
        var t = new sbyte[64 * 512];
        for (int i = 0; i < t.Length; i++) t[i] = (sbyte)((int)(rng.NextUInt64() % 3) - 1);
        var m = TernaryMatrix.FromTernary(t, 64, 512, 1f, "w");
        var x = new sbyte[512];
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.NextUInt64();
        x[0] = -128;
        int[] want = new int[64], got = new int[64];
        new ScalarBackend().MatVec(m, x, want, default);
        AcceleratorBackend.Simulator(small).MatVec(m, x, got, default);
        Assert.Equal(want, got);
    }
}
