using Bit1HW.Core;
using Bit1HW.Core.Numerics;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Model.Tests;

/// <summary>A theory for one GEMV kernel: skipped, with the reason, on a CPU without its instructions.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute(GemvKernel kernel) =>
        Skip = TernaryGemv.IsSupported(kernel) ? null : $"this CPU lacks the instructions of the {kernel} GEMV kernel";
}

/// <summary>Each kernel of the reference backend against the plain definition, on shapes that exercise its groups, tails and pairing.</summary>
public class GemvKernelTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 4 }, { 2, 7, 128 }, { 3, 5, 132 }, { 4, 65, 260 }, { 5, 64, 2560 }, { 6, 3, 6912 },
        { 7, 2, 255 }, { 8, 3, 257 }, { 9, 33, 4096 }, { 10, 1, 1 }, { 11, 4, 383 },
        // Row pairs: an AVX2 group in the rows' tails (640, 700 columns), several chunks with an odd last row.
        { 12, 5, 640 }, { 13, 6, 700 }, { 14, 130, 2560 }, { 15, 101, 2816 },
    };

    private static (TernaryMatrix W, sbyte[] X) Case(int seed, int rows, int cols)
    {
        var rng = new SplitMix64((ulong)seed);
        var t = new sbyte[rows * cols];
        for (int i = 0; i < t.Length; i++) t[i] = (sbyte)((int)(rng.NextUInt64() % 3) - 1);
        var x = new sbyte[cols];
        for (int i = 0; i < cols; i++) x[i] = (sbyte)rng.NextUInt64();
        // Corners: an all −1, an all +1 and an all-zero row; both extreme activations.
        for (int c = 0; c < cols && rows >= 3; c++) (t[c], t[cols + c], t[2 * cols + c]) = ((sbyte)-1, (sbyte)1, (sbyte)0);
        x[0] = -128;
        x[cols - 1] = 127;
        return (TernaryMatrix.FromTernary(t, rows, cols, 1f, "w"), x);
    }

    private static void Check(GemvKernel kernel, int seed, int rows, int cols, int threads)
    {
        var (w, x) = Case(seed, rows, cols);
        var t = w.ToValues();
        // Both orders of the same codes: row-packed, and the row pairs the GGUF loader keeps.
        foreach (var m in new[] { w, w.ToRowPairs() })
        {
            var acc = new int[rows];
            new ReferenceBackend(threads, kernel).MatVec(m, x, acc, default);
            for (int r = 0; r < rows; r++)
            {
                int want = 0;
                for (int c = 0; c < cols; c++) want += t[r * cols + c] * x[c];
                Assert.True(acc[r] == want, $"{kernel}, seed {seed}, {rows}x{cols}, {threads} threads, row pairs {m.RowPairs is not null}: row {r} got {acc[r]}, want {want}");
            }
        }
    }

    [KernelTheory(GemvKernel.Avx512)]
    [MemberData(nameof(Shapes))]
    public void The_avx512_kernel_gives_the_exact_dot_products(int seed, int rows, int cols)
    {
        Check(GemvKernel.Avx512, seed, rows, cols, 1);
        Check(GemvKernel.Avx512, seed, rows, cols, 2);
    }

    [KernelTheory(GemvKernel.Avx2)]
    [MemberData(nameof(Shapes))]
    public void The_avx2_kernel_gives_the_exact_dot_products(int seed, int rows, int cols)
    {
        Check(GemvKernel.Avx2, seed, rows, cols, 1);
        Check(GemvKernel.Avx2, seed, rows, cols, 2);
    }

    [KernelTheory(GemvKernel.Scalar)]
    [MemberData(nameof(Shapes))]
    public void The_scalar_kernel_gives_the_exact_dot_products(int seed, int rows, int cols) => Check(GemvKernel.Scalar, seed, rows, cols, 2);

    /// <summary>
    /// Every weight −1 against every activation −128 makes each int16 lane reach exactly −32768
    /// after 16 groups (2048 columns for AVX2, 4096 for AVX-512), the most the kernels sum before
    /// widening; one group more would wrap.
    /// </summary>
    [Theory]
    [InlineData(2048)]
    [InlineData(4096)]
    [InlineData(6912)]
    public void The_extreme_row_sums_come_out_exactly_at_the_widening_bound(int k)
    {
        var w = TernaryMatrix.FromTernary(Enumerable.Repeat((sbyte)-1, 3 * k).ToArray(), 3, k, 1f, "w");
        var acc = new int[3];
        foreach (var kernel in Enum.GetValues<GemvKernel>().Where(TernaryGemv.IsSupported))
        {
            new ReferenceBackend(1, kernel).MatVec(w, Enumerable.Repeat((sbyte)-128, k).ToArray(), acc, default);
            Assert.True(acc.All(a => a == 128 * k), $"{kernel}, K = {k}: {string.Join(", ", acc)}, want {128 * k}");
            new ReferenceBackend(1, kernel).MatVec(w, Enumerable.Repeat((sbyte)127, k).ToArray(), acc, default);
            Assert.True(acc.All(a => a == -127 * k), $"{kernel}, K = {k}: {string.Join(", ", acc)}, want {-127 * k}");
        }
    }

    [Fact]
    public void The_default_backend_uses_the_widest_kernel_the_cpu_has()
    {
        var want = TernaryGemv.IsSupported(GemvKernel.Avx512) ? GemvKernel.Avx512
            : TernaryGemv.IsSupported(GemvKernel.Avx2) ? GemvKernel.Avx2 : GemvKernel.Scalar;
        Assert.Equal(want, new ReferenceBackend().Kernel);
    }
}
