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

    [Fact]
    public void A_non_ternary_weight_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TernaryMatrix.FromTernary(new sbyte[] { 0, 2, 0, 0 }, 1, 4, 1f, "w"));
    }
}
