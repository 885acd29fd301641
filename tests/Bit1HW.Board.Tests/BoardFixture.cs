using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Board;

namespace Bit1HW.Board.Tests;

/// <summary>The small engine the board tests use, its layers and the reference they are checked against.</summary>
internal static class TestBoard
{
    /// <summary>8 lanes × 2 rows, 64-word data memories, 256 instructions: big enough for real programs, quick to build under Verilator.</summary>
    public static HardwareConfig Config { get; } = new HardwareConfig
    {
        Lanes = 8, Rows = 2, ActBits = 8, PipeEvery = 1, Pe = PeKind.Ternary,
        WeightDepth = 64, ActDepth = 64, OutDepth = 64, InstrDepth = 256, MaxK = 512,
    }.Validate();

    /// <summary>A fast line for CI: 12 MHz / 3 Mbaud = 4 clock cycles per bit.</summary>
    public static UartLink FastLink { get; } = new UartLink { Baud = 3_000_000 }.Validate();

    /// <summary>The real iCEBreaker rate: 12 MHz / 115200 baud = 104 clock cycles per bit.</summary>
    public static UartLink SlowLink { get; } = new UartLink { Baud = 115_200 }.Validate();

    /// <summary>A seeded ternary layer with the activation extremes included.</summary>
    public static Layer Layer(int seed, int tokens, int outFeatures, int inFeatures)
    {
        var rng = new SplitMix64(seed);
        var w = new sbyte[outFeatures * inFeatures];
        var x = new sbyte[tokens * inFeatures];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-1, 2);
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)(i % 17 == 0 ? -128 : i % 19 == 0 ? 127 : rng.Next(-128, 128));
        return new Layer(new Workload(tokens, outFeatures, inFeatures), w, x);
    }

    /// <summary>acc[t, o] = Σ W[o, i] · X[t, i], written here independently of every model.</summary>
    public static int[] Reference(Layer layer)
    {
        Workload s = layer.Shape;
        var acc = new int[s.Tokens * s.OutFeatures];
        for (int t = 0; t < s.Tokens; t++)
            for (int o = 0; o < s.OutFeatures; o++)
            {
                int sum = 0;
                for (int i = 0; i < s.InFeatures; i++) sum += layer.Weights[o * s.InFeatures + i] * layer.Activations[t * s.InFeatures + i];
                acc[t * s.OutFeatures + o] = sum;
            }
        return acc;
    }

    public static ProgramImage Compile(Layer layer) => LayerCompiler.Compile(layer, Config).Image;
}
