using Bit1HW.Core;
using Bit1HW.Core.Numerics;
using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// The BitNet decoder with llama.cpp's numerics (docs/numerics.md, "llama.cpp numerics"): the same
/// graph as <see cref="Decoder"/>, but every ternary projection quantizes its input to Q8_K (int8
/// per 256-value block, one float scale per block) instead of BitNet's per-token absmax, K and V
/// are cached in fp16, Q and the softmax probabilities are rounded to fp16 for the attention
/// products, and the lm_head input is rounded to the lm_head's storage type. Norms, RoPE, softmax
/// and every dot product follow the float order of llama.cpp's AVX2 build, so its logits are
/// reproduced bit for bit (<see cref="LlamaCppNumerics"/>).
/// <para>
/// ggml's ternary kernel splits each block's integer sum over eight SIMD lanes, and the float
/// result depends on that split, so the decoder builds the lane sums from the 2-bit codes. The
/// backend still computes the integers that matter to hardware: each matrix is cut once into
/// 256-column slices (cached copies of the codes), slice b multiplies block b of the activations,
/// and the backend's exact block sums must equal the lanes' total (else
/// <see cref="BackendMismatchException"/>), so an accelerator backend runs under these numerics too.
/// </para>
/// </summary>
internal sealed class LlamaCppDecoder : ITokenDecoder
{
    /// <summary>Test-only faults that a comparison with llama.cpp must catch.</summary>
    internal enum Fault { None, ProbabilitiesInF32, QueryInF32 }

    private const int Block = LlamaCppNumerics.BlockSize;
    private const int Lanes = LlamaCppNumerics.Lanes;
    private readonly BitNetWeights _w;
    private readonly ModelConfig _c;
    private readonly ITernaryLinearBackend _backend;
    private readonly ushort[][] _kCache, _vCache;
    private readonly int _capacity;
    private readonly Dictionary<TernaryMatrix, TernaryMatrix[]> _slices = new(ReferenceEqualityComparer.Instance);

    private readonly Fault _fault;

    public int Position { get; private set; }
    public long TernaryBytesRead { get; private set; }

    public LlamaCppDecoder(BitNetWeights w, ITernaryLinearBackend backend, int capacity, Fault fault = Fault.None)
    {
        _fault = fault;
        foreach (var m in w.Ternary)
            if (m.Cols % Block != 0)
                throw new UserInputException($"tensor '{m.Name}'",
                    $"{m.Cols} columns: llama.cpp numerics quantize activations in blocks of {Block} (Q8_K), as llama.cpp's TQ1_0/TQ2_0 rows are");
        _w = w;
        _c = w.Config;
        _backend = backend;
        _capacity = capacity;
        _kCache = new ushort[_c.NumLayers][];
        _vCache = new ushort[_c.NumLayers][];
        for (int l = 0; l < _c.NumLayers; l++)
        {
            _kCache[l] = new ushort[(long)capacity * _c.KvDim];
            _vCache[l] = new ushort[(long)capacity * _c.KvDim];
        }
    }

    public float[] Step(int token)
    {
        if (Position >= _capacity) throw new InvalidOperationException($"KV cache full at {_capacity} positions");
        int hidden = _c.HiddenSize;
        float eps = _c.RmsNormEps;
        var x = new float[hidden];
        _w.TokenEmbedding.CopyRow(token, x);
        var t = new float[hidden];
        for (int l = 0; l < _c.NumLayers; l++)
        {
            var L = _w.Layers[l];
            LlamaCppNumerics.RmsNorm(x, L.AttnNorm, eps, t);
            var attn = Attention(l, L, Quantize(t));
            LlamaCppNumerics.RmsNorm(attn, L.AttnSubNorm, eps, attn);
            Add(x, Linear(L.O, Quantize(attn), l, "attn_output"));

            LlamaCppNumerics.RmsNorm(x, L.FfnNorm, eps, t);
            var a = Quantize(t);
            var gate = Linear(L.Gate, a, l, "ffn_gate");
            var up = Linear(L.Up, a, l, "ffn_up");
            var h = new float[_c.IntermediateSize];
            for (int i = 0; i < h.Length; i++)
                h[i] = (_c.Act == HiddenAct.Silu ? LlamaCppNumerics.Silu(gate[i]) : gate[i] > 0 ? gate[i] * gate[i] : 0f) * up[i];
            LlamaCppNumerics.RmsNorm(h, L.FfnSubNorm, eps, h);
            Add(x, Linear(L.Down, Quantize(h), l, "ffn_down"));
        }
        LlamaCppNumerics.RmsNorm(x, _w.OutputNorm, eps, t);
        var head = _w.LmHead;
        LlamaCppNumerics.RoundTo(head.Type, t);
        var logits = new float[_c.VocabSize];
        Parallel.For(0, (logits.Length + 4095) / 4096, b =>
        {
            var row = new float[hidden];
            int end = Math.Min(logits.Length, (b + 1) * 4096);
            for (int v = b * 4096; v < end; v++)
            {
                head.CopyRow(v, row);
                logits[v] = LlamaCppNumerics.DotF16(row, t);
            }
        });
        Position++;
        return logits;
    }

    private float[] Attention(int l, LayerWeights L, Q8K a)
    {
        int hd = _c.HeadDim, kvDim = _c.KvDim, pos = Position;
        var q = Linear(L.Q, a, l, "attn_q");
        var k = Linear(L.K, a, l, "attn_k");
        var v = Linear(L.V, a, l, "attn_v");
        LlamaCppNumerics.Rope(q, _c.NumHeads, hd, pos, _c.RopeTheta);
        LlamaCppNumerics.Rope(k, _c.NumKvHeads, hd, pos, _c.RopeTheta);
        for (int i = 0; i < kvDim; i++)
        {
            _kCache[l][(long)pos * kvDim + i] = LlamaCppNumerics.ToHalf(k[i]);
            _vCache[l][(long)pos * kvDim + i] = LlamaCppNumerics.ToHalf(v[i]);
        }
        if (_fault != Fault.QueryInF32) LlamaCppNumerics.RoundTo(GgmlType.F16, q);

        // llama.cpp attends over its KV cache view padded to a multiple of 32 cells; the padding is
        // masked (probability 0), but it decides which SIMD lane each position lands in.
        int kvLen = (pos + 1 + 31) / 32 * 32;
        var outp = new float[_c.HiddenSize];
        var p = new float[kvLen];
        var kj = new float[hd];
        var vi = new float[kvLen];
        float scale = 1f / MathF.Sqrt(hd);
        int group = _c.NumHeads / _c.NumKvHeads;
        for (int h = 0; h < _c.NumHeads; h++)
        {
            int kvOff = h / group * hd;
            for (int j = 0; j <= pos; j++)
            {
                for (int i = 0; i < hd; i++) kj[i] = LlamaCppNumerics.Half(_kCache[l][(long)j * kvDim + kvOff + i]);
                p[j] = LlamaCppNumerics.DotF16(q.AsSpan(h * hd, hd), kj) * scale;
            }
            LlamaCppNumerics.Softmax(p.AsSpan(0, pos + 1));
            if (_fault != Fault.ProbabilitiesInF32) LlamaCppNumerics.RoundTo(GgmlType.F16, p);
            for (int i = 0; i < hd; i++)
            {
                for (int j = 0; j <= pos; j++) vi[j] = LlamaCppNumerics.Half(_vCache[l][(long)j * kvDim + kvOff + i]);
                outp[h * hd + i] = LlamaCppNumerics.DotF16(p, vi);
            }
        }
        return outp;
    }

    private readonly record struct Q8K(sbyte[] Q, float[] D);

    private static Q8K Quantize(float[] x)
    {
        var q = new sbyte[x.Length];
        var d = new float[x.Length / Block];
        LlamaCppNumerics.QuantizeQ8K(x, q, d);
        return new Q8K(q, d);
    }

    /// <summary>
    /// A ternary projection as ggml's AVX2 TQ1_0/TQ2_0 × Q8_K dot product computes it. Per 256-column
    /// block b, eight int32 lanes: lane u covers the 32 columns 32c + 4u + e (c = 0..7, e = 0..3) and
    /// holds Σ (w + 1)·q over them minus Σ q over columns 32u..32u+31 (the codes are stored as w + 1
    /// and the block's q sums are subtracted per lane). Each lane accumulates float(lane)·(d_b·β) over
    /// the blocks; <see cref="LlamaCppNumerics.Hsum8"/> adds the lanes. The lanes add up to the exact
    /// block sum Σ w·q, which the backend computes on the 256-column slice and which must agree.
    /// </summary>
    private float[] Linear(TernaryMatrix m, Q8K a, int layer, string proj)
    {
        int blocks = m.Cols / Block;
        var corr = new int[blocks * Lanes];
        for (int b = 0; b < blocks; b++)
            for (int u = 0; u < Lanes; u++)
            {
                int s = 0;
                for (int c = 0; c < 8; c++)
                    for (int e = 0; e < 4; e++) s += a.Q[b * Block + 32 * c + 4 * u + e] - a.Q[b * Block + 32 * u + 4 * c + e];
                corr[b * Lanes + u] = s;
            }
        var y = new float[m.Rows];
        var laneSums = new int[blocks][];
        for (int b = 0; b < blocks; b++) laneSums[b] = new int[m.Rows];
        Parallel.For(0, m.Rows, r =>
        {
            Span<float> lanes = stackalloc float[Lanes];
            lanes.Clear();
            for (int b = 0; b < blocks; b++)
            {
                float d = a.D[b] * m.Scale;
                int total = 0;
                for (int u = 0; u < Lanes; u++)
                {
                    int wq = LaneDot(m, r, b, u, a.Q);
                    total += wq;
                    lanes[u] = MathF.FusedMultiplyAdd(wq + corr[b * Lanes + u], d, lanes[u]);
                }
                laneSums[b][r] = total;
            }
            y[r] = LlamaCppNumerics.Hsum8(lanes);
        });
        var blockSums = BackendBlockSums(m, a, layer, proj);
        for (int b = 0; b < blocks; b++)
            for (int r = 0; r < m.Rows; r++)
                if (laneSums[b][r] != blockSums[b][r])
                    throw new BackendMismatchException(
                        $"{new LinearSite(layer, proj, Position)}: row {r} block {b} of {m.Name}: the codes give {laneSums[b][r]}, {_backend.Name} {blockSums[b][r]}");
        TernaryBytesRead += m.PackedLength;
        return y;
    }

    /// <summary>Σ w·q over the columns 256b + 32c + 4u + e (c = 0..7, e = 0..3) of row r: one code byte per c.</summary>
    private static int LaneDot(TernaryMatrix m, int r, int b, int u, sbyte[] q)
    {
        int sum = 0;
        long rowStart = (long)r * m.RowStrideBytes;
        for (int c = 0; c < 8; c++)
        {
            int col = b * Block + 32 * c + 4 * u;
            int codes = m.Packed[rowStart + col / 4];
            for (int e = 0; e < 4; e++)
            {
                int code = (codes >> (2 * e)) & 3;
                sum += code == 1 ? q[col + e] : code == 3 ? -q[col + e] : 0;
            }
        }
        return sum;
    }

    /// <summary>The backend's exact Σ w·q of every 256-column block (one call per block on a cached slice of the codes).</summary>
    private int[][] BackendBlockSums(TernaryMatrix m, Q8K a, int layer, string proj)
    {
        var slices = Slices(m);
        var sums = new int[slices.Length][];
        for (int b = 0; b < slices.Length; b++)
        {
            sums[b] = new int[m.Rows];
            _backend.MatVec(slices[b], a.Q.AsSpan(b * Block, Block), sums[b], new LinearSite(layer, proj, Position));
        }
        return sums;
    }

    private TernaryMatrix[] Slices(TernaryMatrix m)
    {
        if (_slices.TryGetValue(m, out var s)) return s;
        const int sliceBytes = Block / 4;
        s = new TernaryMatrix[m.Cols / Block];
        for (int b = 0; b < s.Length; b++)
        {
            var packed = new byte[(long)m.Rows * sliceBytes];
            for (int r = 0; r < m.Rows; r++)
                m.Packed.AsSpan((int)((long)r * m.RowStrideBytes + b * sliceBytes), sliceBytes).CopyTo(packed.AsSpan(r * sliceBytes));
            s[b] = TernaryMatrix.FromPacked(packed, m.Rows, Block, m.Scale, $"{m.Name}[:, {b * Block}:{(b + 1) * Block}]");
        }
        _slices[m] = s;
        return s;
    }

    private static void Add(float[] x, float[] d)
    {
        for (int i = 0; i < x.Length; i++) x[i] += d[i];
    }
}
