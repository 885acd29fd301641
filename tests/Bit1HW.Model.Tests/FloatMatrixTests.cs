using Bit1HW.Model.Formats;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Tests;

public class FloatMatrixTests
{
    [Fact]
    public void The_vectorised_fp16_widening_is_exact_for_every_finite_half()
    {
        // One row per half value, each dotted with a one-hot vector: the dot product is the widened value.
        var halves = Enumerable.Range(0, 65536).Select(i => (ushort)i).Where(h => (h & 0x7C00) != 0x7C00).ToArray();
        int n = halves.Length / 8 * 8;
        var m = new FloatMatrix("t", GgmlType.F16, n / 8, 8, null, halves[..n]);
        for (int r = 0; r < m.Rows; r++)
            for (int j = 0; j < 8; j++)
            {
                var onehot = new float[8];
                onehot[j] = 1f;
                float want = (float)BitConverter.UInt16BitsToHalf(halves[8 * r + j]);
                float got = m.Dot(r, onehot);
                Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got) || (want == 0 && got == 0),
                    $"half 0x{halves[8 * r + j]:X4}: want {want}, got {got}");
            }
    }

    [Fact]
    public void Bfloat16_widening_puts_the_bits_in_the_top_half()
    {
        Assert.Equal(1.0f, Float16.BFloat16ToSingle(0x3F80));
        Assert.Equal(-2.0f, Float16.BFloat16ToSingle(0xC000));
        Assert.Equal((ushort)0x3F80, Float16.SingleToBFloat16(1.00390625f)); // halfway between 0x3F80 and 0x3F81 → even
    }
}

/// <summary>The lm_head's dot products against a plain transcription of the order docs/model.md fixes.</summary>
public class LmHeadOrderTests
{
    /// <summary>Eight lanes over blocks of eight columns (product rounded, then added), lanes added 0..7 to 0, then the rest in order.</summary>
    private static float Contract(float[] w, float[] x)
    {
        var lanes = new float[8];
        int blocks = x.Length / 8;
        for (int b = 0; b < blocks; b++)
            for (int l = 0; l < 8; l++) lanes[l] += w[8 * b + l] * x[8 * b + l];
        float sum = 0;
        for (int l = 0; l < 8; l++) sum += lanes[l];
        for (int c = blocks * 8; c < x.Length; c++) sum += w[c] * x[c];
        return sum;
    }

    [Theory]
    [InlineData("F16", 1, 1)]
    [InlineData("F16", 3, 7)]
    [InlineData("F16", 5, 8)]
    [InlineData("F16", 9, 2561)]
    [InlineData("F16", 4099, 64)]
    [InlineData("F16", 9, 2561, 1e5f)] // inputs beyond 2^15: the AVX-512 fp16 path must step aside
    [InlineData("F16", 4099, 64, 40000f)]
    [InlineData("F16", 6, 2563)] // quads: two rows left in row order, three columns after the last block
    [InlineData("F16", 4098, 67, 40000f)]
    [InlineData("BF16", 7, 65)]
    [InlineData("BF16", 4099, 64)]
    [InlineData("F32", 6, 63)]
    [InlineData("F32", 4099, 64)]
    public void Every_row_of_the_lm_head_sums_in_the_contract_order_on_any_thread_count(string typeName, int rows, int cols, float xRange = 3)
    {
        var type = Enum.Parse<GgmlType>(typeName);
        var rng = new Bit1HW.Core.SplitMix64((ulong)(rows * 7919 + cols));
        float Next() => (float)((double)(rng.NextUInt64() >> 11) / (1UL << 53) * 2 - 1);
        var x = Enumerable.Range(0, cols).Select(_ => Next() * xRange).ToArray();
        var values = Enumerable.Range(0, rows * cols).Select(_ => Next()).ToArray();
        FloatMatrix m = type switch
        {
            GgmlType.F32 => new FloatMatrix("h", type, rows, cols, values, null),
            GgmlType.F16 => new FloatMatrix("h", type, rows, cols, null, values.Select(Float16.SingleToHalf).ToArray()),
            _ => new FloatMatrix("h", type, rows, cols, null, values.Select(Float16.SingleToBFloat16).ToArray()),
        };
        // fp16 also as the GGUF loader keeps it: rows in quads (same values, same bits).
        var quads = type == GgmlType.F16 ? FloatMatrix.F16InQuads("h", rows, cols, values.Select(Float16.SingleToHalf).ToArray()) : m;
        foreach (var (threads, q) in new[] { (1, m), (2, m), (3, m), (1, quads), (2, quads), (3, quads) })
        {
            var y = new float[rows];
            q.MatVec(x, y, threads);
            var row = new float[cols];
            for (int r = 0; r < rows; r++)
            {
                var w = Enumerable.Range(0, cols).Select(c => m.Get(r, c)).ToArray();
                q.CopyRow(r, row);
                Assert.Equal(w, row);
                float want = Contract(w, x);
                Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(y[r]),
                    $"{type} {rows}x{cols}, {threads} threads, quads {q != m}: row {r} got {y[r]:R}, want {want:R}");
                if (threads == 1) Assert.Equal(BitConverter.SingleToInt32Bits(want), BitConverter.SingleToInt32Bits(q.Dot(r, x)));
            }
        }
    }
}
