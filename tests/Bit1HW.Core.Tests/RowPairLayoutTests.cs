using Bit1HW.Core.Numerics;

namespace Bit1HW.Core.Tests;

public class RowPairLayoutTests
{
    private static TernaryMatrix Random(int rows, int cols, ulong seed)
    {
        var t = new sbyte[rows * cols];
        ulong s = seed;
        for (int i = 0; i < t.Length; i++)
        {
            s = s * 6364136223846793005UL + 1442695040888963407UL;
            t[i] = (sbyte)((int)(s >> 33) % 3 - 1);
        }
        return TernaryMatrix.FromTernary(t, rows, cols, 0.5f, "w");
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 256)]
    [InlineData(5, 640)]
    [InlineData(6, 700)]
    [InlineData(7, 2561)]
    public void Row_pairs_hold_the_same_weights_and_give_back_the_same_packed_rows(int rows, int cols)
    {
        var m = Random(rows, cols, (ulong)(rows * 1000 + cols));
        var p = m.ToRowPairs();
        Assert.Null(m.RowPairs);
        Assert.NotNull(p.RowPairs);
        Assert.Equal(m.PackedLength, p.RowPairs!.Length);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                Assert.True(m.Get(r, c) == p.Get(r, c), $"[{r}, {c}]");
        Assert.Equal(m.ToValues(), p.ToValues());
        Assert.Equal(m.Packed, p.Packed);
        Assert.Equal(m.Packed, p.WithScale(2f).Packed);
    }

    [Fact]
    public void A_pair_takes_its_two_rows_64_bytes_at_a_time_then_their_tails()
    {
        // 3 rows of 700 columns: 175 bytes a row = two 64-byte blocks and a 47-byte tail; row 2 stays as it is.
        var m = Random(3, 700, 7);
        var pairs = m.ToRowPairs().RowPairs!;
        byte[] rows = m.Packed;
        Assert.Equal(rows.AsSpan(0, 64).ToArray(), pairs.AsSpan(0, 64).ToArray());
        Assert.Equal(rows.AsSpan(175, 64).ToArray(), pairs.AsSpan(64, 64).ToArray());
        Assert.Equal(rows.AsSpan(64, 64).ToArray(), pairs.AsSpan(128, 64).ToArray());
        Assert.Equal(rows.AsSpan(175 + 64, 64).ToArray(), pairs.AsSpan(192, 64).ToArray());
        Assert.Equal(rows.AsSpan(128, 47).ToArray(), pairs.AsSpan(256, 47).ToArray());
        Assert.Equal(rows.AsSpan(175 + 128, 47).ToArray(), pairs.AsSpan(303, 47).ToArray());
        Assert.Equal(rows.AsSpan(350, 175).ToArray(), pairs.AsSpan(350, 175).ToArray());
    }

    [Fact]
    public void Owned_codes_taken_as_row_pairs_are_checked_in_row_order_first()
    {
        // Byte 70 is row 1's byte 6: weight 256 + 24 in row order.
        var codes = new byte[2 * 64];
        codes[70] = 0b10;
        var e = Assert.ThrowsAny<Exception>(() => TernaryMatrix.FromPackedOwned(codes, 2, 256, 1f, "w", rowPairs: true));
        Assert.Contains("weight 280", e.Message, StringComparison.Ordinal);
    }
}
