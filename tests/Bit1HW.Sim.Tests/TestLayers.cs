using Bit1HW.Core;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Sim.Tests;

/// <summary>Seeded layers with corner cases, and the independent scalar reference the simulator is checked against.</summary>
internal static class TestLayers
{
    public static HardwareConfig Config(int lanes, int rows, int actBits, int pipeEvery, PeKind pe) => new HardwareConfig
    {
        Lanes = lanes, Rows = rows, ActBits = actBits, PipeEvery = pipeEvery, Pe = pe,
        WeightDepth = 4096, ActDepth = 256, OutDepth = 256, InstrDepth = 2048,
        MaxK = Math.Min(2048, 256 * lanes),
    }.Validate();

    /// <summary>Mode 0 random, 1 all weights -1 with activations at the minimum, 2 all +1 at the maximum, 3 all weights 0, 4 extremes mixed.</summary>
    public static Layer Make(SplitMix64 rng, Workload shape, HardwareConfig c, int mode)
    {
        var w = new sbyte[shape.OutFeatures * shape.InFeatures];
        var x = new sbyte[shape.Tokens * shape.InFeatures];
        int lo = BitNetQuant.QMin(c.ActBits), hi = BitNetQuant.QMax(c.ActBits);
        int wLo = c.Pe == PeKind.Ternary ? -1 : -128, wHi = c.Pe == PeKind.Ternary ? 1 : 127;
        for (int i = 0; i < w.Length; i++)
            w[i] = (sbyte)(mode switch { 1 => wLo, 2 => wHi, 3 => 0, 4 => rng.Next(2) == 0 ? wLo : wHi, _ => rng.Next(wLo, wHi + 1) });
        for (int i = 0; i < x.Length; i++)
            x[i] = (sbyte)(mode switch { 1 => lo, 2 => hi, 4 => rng.Next(2) == 0 ? lo : hi, _ => rng.Next(lo, hi + 1) });
        return new Layer(shape, w, x);
    }

    /// <summary>acc[t, o] = Σ_i W[o, i] · X[t, i], in 64 bits.</summary>
    public static long[] Reference(Layer layer)
    {
        Workload s = layer.Shape;
        var acc = new long[s.Tokens * s.OutFeatures];
        for (int t = 0; t < s.Tokens; t++)
        for (int o = 0; o < s.OutFeatures; o++)
        {
            long sum = 0;
            for (int i = 0; i < s.InFeatures; i++) sum += layer.Weights[o * s.InFeatures + i] * layer.Activations[t * s.InFeatures + i];
            acc[t * s.OutFeatures + o] = sum;
        }
        return acc;
    }

    /// <summary>Index of the first difference, or -1.</summary>
    public static int FirstDifference(long[] expected, int[] actual)
    {
        for (int i = 0; i < expected.Length; i++) if (expected[i] != actual[i]) return i;
        return -1;
    }
}
