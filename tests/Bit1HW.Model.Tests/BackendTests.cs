using Bit1HW.Core;
using Bit1HW.Core.Numerics;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Model.Tests;

public class BackendTests
{
    private static (TernaryMatrix W, sbyte[] X) Case(int seed, int rows, int cols)
    {
        var rng = new SplitMix64((ulong)seed);
        var t = new sbyte[rows * cols];
        for (int i = 0; i < t.Length; i++) t[i] = (sbyte)((int)(rng.NextUInt64() % 3) - 1);
        var x = new sbyte[cols];
        for (int i = 0; i < cols; i++) x[i] = (sbyte)(rng.NextUInt64() % 256);
        // corners: an all −1 row, an all +1 row, an all-zero row; the extreme activations present
        if (rows >= 3)
            for (int c = 0; c < cols; c++) { t[c] = -1; t[cols + c] = 1; t[2 * cols + c] = 0; }
        x[0] = -128;
        x[cols - 1] = 127;
        return (TernaryMatrix.FromTernary(t, rows, cols, 1f, "w"), x);
    }

    private static int[] Expected(TernaryMatrix w, sbyte[] x)
    {
        var t = w.ToValues();
        var y = new int[w.Rows];
        for (int r = 0; r < w.Rows; r++)
            for (int c = 0; c < w.Cols; c++) y[r] += t[r * w.Cols + c] * x[c];
        return y;
    }

    [Theory]
    [InlineData(1, 3, 4)]
    [InlineData(2, 7, 128)]
    [InlineData(3, 5, 132)]
    [InlineData(4, 65, 260)]
    [InlineData(5, 64, 2560)]
    [InlineData(6, 3, 6912)]
    public void Every_software_backend_gives_the_exact_dot_products(int seed, int rows, int cols)
    {
        var (w, x) = Case(seed, rows, cols);
        int[] want = Expected(w, x);
        foreach (ITernaryLinearBackend b in new ITernaryLinearBackend[] { new ReferenceBackend(1), new ReferenceBackend(2), new ScalarBackend(), new CoreBackend() })
        {
            var acc = new int[rows];
            b.MatVec(w, x, acc, new LinearSite(0, "t", 0));
            for (int r = 0; r < rows; r++)
                Assert.True(acc[r] == want[r], $"seed {seed} {rows}x{cols} backend {b.Name}: row {r} got {acc[r]} want {want[r]}");
        }
    }

    [Fact]
    public void The_extreme_row_sums_come_out_exactly()
    {
        // all weights −1 against all activations −128: +128·K, the largest accumulator
        int k = 6912;
        var w = TernaryMatrix.FromTernary(Enumerable.Repeat((sbyte)-1, k).ToArray(), 1, k, 1f, "w");
        var x = Enumerable.Repeat((sbyte)-128, k).ToArray();
        var acc = new int[1];
        new ReferenceBackend().MatVec(w, x, acc, default);
        Assert.Equal(128 * k, acc[0]);
    }

    /// <summary>A backend with an injected fault: one accumulator off by one at one site.</summary>
    private sealed class FaultyBackend(int layer, string proj, int pos, int row) : ITernaryLinearBackend
    {
        private readonly ReferenceBackend _inner = new();
        public string Name => "faulty";
        public long? Cycles => null;
        public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
        {
            _inner.MatVec(w, xq, acc, site);
            if (site.Layer == layer && site.Projection == proj && site.Position == pos) acc[row] += 1;
        }
    }

    [Fact]
    public void Compare_catches_an_injected_fault_and_names_layer_projection_position_and_row()
    {
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(), 3, ModelFormat.GgufTq2));
        var cmp = new CompareBackend(new ScalarBackend(), new FaultyBackend(1, "ffn_up", 2, 17));
        var e = Assert.Throws<BackendMismatchException>(() => DecodeRun.Run(w, cmp, [1, 2, 3, 4], 2, 0, 1));
        Assert.Contains("layer 1 ffn_up at position 2: row 17", e.Message);
    }

    [Fact]
    public void Compare_passes_when_the_backends_agree()
    {
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(), 3, ModelFormat.GgufTq2));
        var cmp = new CompareBackend(new ScalarBackend(), new ReferenceBackend());
        var r = DecodeRun.Run(w, cmp, [1, 2, 3], 3, 0, 1);
        Assert.Equal(3, r.Generated.Length);
        Assert.True(cmp.Comparisons > 0);
    }
}
