using Bit1HW.Cli.Backends;
using Bit1HW.Core.Hardware;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Model.Tests;

public class SimBackendTests
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
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(layers: 1), 13, ModelFormat.GgufTq2));
        var sim = new SimBackend(HardwareConfig.Default);
        var a = Logits(w, new ReferenceBackend(), [4, 8, 15], 2);
        var b = Logits(w, sim, [4, 8, 15], 2);
        Assert.Equal(a.Count, b.Count);
        for (int s = 0; s < a.Count; s++)
            for (int i = 0; i < a[s].Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(a[s][i]) == BitConverter.SingleToInt32Bits(b[s][i]),
                    $"step {s} logit {i}: reference {a[s][i]:R}, sim {b[s][i]:R}");
        Assert.True(sim.Cycles > 0);
    }

    [Fact]
    public void Projections_larger_than_the_engine_memories_are_split_and_still_exact()
    {
        // K = 512 > actDepth·lanes of a small engine (8·16 = 128) and 64 rows > its weight memory.
        var small = HardwareConfig.Default with { WeightDepth = 32, ActDepth = 8, OutDepth = 16, InstrDepth = 128, MaxK = 128 };
        var rng = new SplitMix64(5);
        var t = new sbyte[64 * 512];
        for (int i = 0; i < t.Length; i++) t[i] = (sbyte)((int)(rng.Next() % 3) - 1);
        var m = TernaryMatrix.FromTrits("w", 64, 512, 1f, t);
        var x = new sbyte[512];
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next();
        x[0] = -128;
        int[] want = new int[64], got = new int[64];
        new ScalarBackend().MatVec(m, x, want, default);
        new SimBackend(small).MatVec(m, x, got, default);
        Assert.Equal(want, got);
    }
}
