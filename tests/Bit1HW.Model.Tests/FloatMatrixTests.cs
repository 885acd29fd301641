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
