using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Tests;

public class TernaryMatrixTests
{
    [Fact]
    public void Packed_rows_are_exactly_Core_TernaryCode_Pack_of_each_row()
    {
        var rng = new SplitMix64(77);
        int rows = 5, cols = 12;
        var t = new sbyte[rows * cols];
        for (int i = 0; i < t.Length; i++) t[i] = (sbyte)((int)(rng.Next() % 3) - 1);
        var m = TernaryMatrix.FromTrits("w", rows, cols, 1f, t);
        for (int r = 0; r < rows; r++)
            Assert.Equal(TernaryCode.Pack(t.AsSpan(r * cols, cols)), m.Packed.AsSpan(r * cols / 4, cols / 4).ToArray());
        Assert.Equal(t, m.ToTrits());
    }

    [Fact]
    public void A_non_ternary_weight_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TernaryMatrix.FromTrits("w", 1, 4, 1f, new sbyte[] { 0, 2, 0, 0 }));
    }
}
