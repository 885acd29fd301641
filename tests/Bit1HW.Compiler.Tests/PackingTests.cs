using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Compiler.Tests;

public class PackingTests
{
    // Lanes 16 and 8 ternary take the byte-at-a-time path, the others the field-by-field one.
    [Theory]
    [InlineData(16, 4, PeKind.Ternary, 9, 70)]
    [InlineData(8, 3, PeKind.Ternary, 7, 16)]
    [InlineData(7, 2, PeKind.Ternary, 5, 30)]
    [InlineData(16, 4, PeKind.Mac, 6, 33)]
    public void Packed_weights_hold_each_code_at_its_documented_word_row_and_lane(int lanes, int rows, PeKind pe, int outFeatures, int inFeatures)
    {
        var c = new HardwareConfig { Lanes = lanes, Rows = rows, Pe = pe, MaxK = Math.Min(2048, 128 * lanes) }.Validate();
        var rng = new Random(5);
        var w = new sbyte[outFeatures * inFeatures];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)(pe == PeKind.Ternary ? rng.Next(-1, 2) : rng.Next(-128, 128));
        var layer = new Layer(new Workload(1, outFeatures, inFeatures), w, new sbyte[inFeatures]);
        MemoryLayout layout = MemoryLayout.For(layer.Shape, c);
        MemoryImage m = layout.PackWeights(layer, c);
        for (int b = 0; b < layout.RowBlocks; b++)
            for (int k = 0; k < layout.KTiles; k++)
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < lanes; j++)
                    {
                        int o = b * rows + r, i = k * lanes + j;
                        sbyte weight = o < outFeatures && i < inFeatures ? w[o * inFeatures + i] : (sbyte)0;   // padding is weight 0
                        uint want = pe == PeKind.Ternary ? TernaryCode.Encode(weight) : (byte)weight;
                        Assert.Equal(want, m.GetBits(layout.WeightWord(b, k), (r * lanes + j) * c.WeightBits, c.WeightBits));
                    }
    }

    // Lanes 16 with 8-bit activations take the byte-copy path, the others the field-by-field one.
    [Theory]
    [InlineData(16, 8, 3, 70)]
    [InlineData(16, 8, 1, 2048)]
    [InlineData(7, 8, 2, 30)]
    [InlineData(16, 5, 2, 33)]
    public void Packed_activations_hold_each_value_at_its_documented_word_and_lane(int lanes, int actBits, int tokens, int inFeatures)
    {
        var c = new HardwareConfig { Lanes = lanes, ActBits = actBits, ActDepth = 256, MaxK = Math.Min(2048, 256 * lanes) }.Validate();
        var rng = new Random(3);
        int lo = -(1 << (actBits - 1)), hi = (1 << (actBits - 1)) - 1;
        var x = new sbyte[tokens * inFeatures];
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)(i % 7 == 0 ? lo : i % 7 == 1 ? hi : rng.Next(lo, hi + 1));
        MemoryLayout layout = MemoryLayout.For(new Workload(tokens, 1, inFeatures), c);
        MemoryImage m = layout.PackActivations(x, inFeatures, c);
        Assert.Equal(tokens * layout.KTiles, m.WrittenWords);
        for (int t = 0; t < tokens; t++)
            for (int k = 0; k < layout.KTiles; k++)
                for (int j = 0; j < lanes; j++)
                {
                    int i = k * lanes + j;
                    int want = i < inFeatures ? x[t * inFeatures + i] : 0;   // padding lanes are 0
                    Assert.Equal(want, m.GetSigned(layout.ActWord(t, k), j * actBits, actBits));
                }
    }
}
