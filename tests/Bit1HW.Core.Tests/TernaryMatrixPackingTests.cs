using Bit1HW.Core.Numerics;

namespace Bit1HW.Core.Tests;

public class TernaryMatrixPackingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static sbyte[] Trits(ulong seed, int n)
    {
        var rng = new SplitMix64(seed);
        var t = new sbyte[n];
        for (int i = 0; i < t.Length; i++) t[i] = (sbyte)rng.Next(-1, 2);
        return t;
    }

    [Theory]
    [InlineData(5, 12)]
    [InlineData(3, 7)]
    [InlineData(1, 1)]
    [InlineData(2, 65)]
    public void Packed_rows_are_exactly_TernaryCode_Pack_of_each_row(int rows, int cols)
    {
        sbyte[] t = Trits(77, rows * cols);
        var m = TernaryMatrix.FromTernary(t, rows, cols, 1f, "w");
        for (int r = 0; r < rows; r++)
            Assert.Equal(TernaryCode.Pack(t.AsSpan(r * cols, cols)), m.Packed.AsSpan(r * m.RowStrideBytes, m.RowStrideBytes).ToArray());
        Assert.Equal(t, m.ToValues());
        Assert.Equal(t[^1], m.Get(rows - 1, cols - 1));
    }

    [Fact]
    public void A_matrix_rebuilt_from_its_packed_codes_multiplies_to_the_same_accumulators()
    {
        int rows = 9, cols = 70;
        var a = TernaryMatrix.FromTernary(Trits(5, rows * cols), rows, cols, 0.5f);
        var b = TernaryMatrix.FromPacked(a.Packed, rows, cols, 0.5f);
        var x = new QuantizedActivations(2, cols, 8, Trits(6, 2 * cols).Select(v => (sbyte)(v * 127)).ToArray(), [1f, 1f]);
        var accA = new int[2 * rows];
        var accB = new int[2 * rows];
        BitLinear.Accumulate(a, x, accA);
        BitLinear.Accumulate(b, x, accB);
        Assert.Equal(accA, accB);
        Assert.Equal(a.ToValues(), b.ToValues());
    }

    /// <summary>Any trits as any row count that divides them: packing, unpacking and rebuilding from the packed codes give them back.</summary>
    [Fact]
    public void Any_ternary_matrix_round_trips_through_its_packed_codes()
    {
        Properties.Check(FsCheck.Fluent.Prop.ForAll(Arbitraries.Trits(), FsCheck.Fluent.ArbMap.Default.ArbFor<byte>(), (trits, r) =>
        {
            if (trits.Length == 0) return true;
            int rows = Enumerable.Range(1, Math.Min(8, trits.Length)).Last(d => trits.Length % d == 0 && d <= 1 + r % 8);
            int cols = trits.Length / rows;
            var m = TernaryMatrix.FromTernary(trits, rows, cols, 1f, "w");
            var back = TernaryMatrix.FromPacked(m.Packed, rows, cols, 1f);
            return back.ToValues().SequenceEqual(trits) && TernaryCode.Unpack(TernaryCode.Pack(trits), trits.Length).SequenceEqual(trits)
                && Enumerable.Range(0, rows).All(i => m.Packed.AsSpan(i * m.RowStrideBytes, m.RowStrideBytes).SequenceEqual(TernaryCode.Pack(trits.AsSpan(i * cols, cols))));
        }), 20261130, output);
    }

    [Fact]
    public void Packed_input_with_the_invalid_code_or_dirty_padding_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => TernaryMatrix.FromPacked([0b10], 1, 1, 1f));
        Assert.Throws<InvalidDataException>(() => TernaryMatrix.FromPacked([0b0100], 1, 1, 1f));
    }

    /// <summary>The check reads eight bytes at a time, then the tail: a code 10 in any field of any byte, and dirty padding in any row, is found.</summary>
    [Fact]
    public void An_invalid_code_is_found_in_every_field_of_every_byte_and_dirty_padding_in_every_row()
    {
        const int rows = 3, cols = 65; // 17-byte rows, 51 bytes: six whole words and a tail
        var trits = new sbyte[rows * cols];
        for (int i = 0; i < trits.Length; i++) trits[i] = (sbyte)(i % 3 - 1);
        byte[] clean = TernaryMatrix.FromTernary(trits, rows, cols, 1f, "w").Packed.ToArray();
        for (int b = 0; b < clean.Length; b++)
            for (int f = 0; f < 4; f++)
            {
                if (b % 17 == 16 && f > 0) continue; // padding fields: the next test
                var bad = (byte[])clean.Clone();
                bad[b] = (byte)(bad[b] & ~(3 << 2 * f) | 0b10 << 2 * f);
                var e = Assert.Throws<InvalidDataException>(() => TernaryMatrix.FromPacked(bad, rows, cols, 1f));
                Assert.Contains((b / 17 * cols + 4 * (b % 17) + f).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
            }
        for (int r = 0; r < rows; r++)
        {
            var dirty = (byte[])clean.Clone();
            dirty[17 * r + 16] |= 0b0100;
            var e = Assert.Throws<InvalidDataException>(() => TernaryMatrix.FromPacked(dirty, rows, cols, 1f));
            Assert.Contains($"(row {r})", e.Message);
        }
    }

    [Fact]
    public void A_non_ternary_weight_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TernaryMatrix.FromTernary(new sbyte[] { 0, 2, 0, 0 }, 1, 4, 1f, "w"));
    }
}
