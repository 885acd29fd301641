using System.Runtime.CompilerServices;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// A BitNet b1.58 decoder, one token at a time with a KV cache. Per layer:
/// x += o_proj(attn_sub_norm(attention(rope(q), rope(k), v))) over attn_norm(x), then
/// x += down_proj(ffn_sub_norm(act(gate) · up)) over ffn_norm(x); finally the lm_head over
/// output_norm(x). Each of the seven projections is a BitLinear: quantize the input to int8
/// (shared by q/k/v and by gate/up, which read the same vector), ask the backend for the exact
/// int32 accumulators, dequantize with the weight scale. Attention is grouped-query: head h reads
/// key/value head h / (heads / kv_heads).
/// <para>The per-token path (this class's step, the numerics, the GEMV and lm_head drivers, the
/// worker team, the sampler) is marked AggressiveOptimization, so it runs optimized code from its
/// first call: under tiered compilation a short decode ran mostly in tier-0 code (a 16-token decode
/// of the 13M model: 0.93 ms per token, against 0.35 ms with every method optimized; Zen 4, 2 threads).</para>
/// </summary>
public sealed class Decoder : ITokenDecoder
{
    private readonly BitNetWeights _w;
    private readonly ModelConfig _c;
    private readonly ITernaryLinearBackend _backend;
    private readonly float[][] _kCache, _vCache;
    private readonly int _capacity, _threads;
    /// <summary>Per-step working vectors, allocated once: a step allocates nothing but its logits, so garbage does not grow the resident set token by token.</summary>
    private readonly float[] _x, _t, _q, _k, _v, _attn, _proj, _gate, _up, _h, _scores;
    private readonly sbyte[] _xqHidden, _xqFfn;
    private readonly int[] _acc;
    /// <summary>Returned by every step (ITokenDecoder.Step: valid until the next one); a new array per step was 0.5 MB of garbage on a 128K vocabulary.</summary>
    private readonly float[] _logits;

    public int Position { get; private set; }
    /// <summary>Bytes of 2-bit ternary weights the backend has streamed so far.</summary>
    public long TernaryBytesRead { get; private set; }

    /// <summary>A decoder whose KV cache holds <paramref name="capacity"/> positions, every ternary projection
    /// computed by <paramref name="backend"/>, the lm_head on <paramref name="threads"/> threads (0 = all cores).</summary>
    public Decoder(BitNetWeights w, ITernaryLinearBackend backend, int capacity, int threads = 0)
    {
        _w = w;
        _threads = threads;
        _c = w.Config;
        _backend = backend;
        _capacity = capacity;
        _kCache = new float[_c.NumLayers][];
        _vCache = new float[_c.NumLayers][];
        for (int l = 0; l < _c.NumLayers; l++)
        {
            _kCache[l] = new float[(long)capacity * _c.KvDim];
            _vCache[l] = new float[(long)capacity * _c.KvDim];
        }
        int hidden = _c.HiddenSize, ffn = _c.IntermediateSize;
        (_x, _t, _q, _attn, _proj) = (new float[hidden], new float[hidden], new float[hidden], new float[hidden], new float[hidden]);
        (_k, _v) = (new float[_c.KvDim], new float[_c.KvDim]);
        (_gate, _up, _h) = (new float[ffn], new float[ffn], new float[ffn]);
        _scores = new float[capacity];
        (_xqHidden, _xqFfn) = (new sbyte[hidden], new sbyte[ffn]);
        _acc = new int[Math.Max(ffn, hidden)];
        _logits = new float[_c.VocabSize];
    }

    /// <summary>Feeds <paramref name="token"/> at the next position and returns the logits for the one after it (the same array every step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Step(int token)
    {
        if (Position >= _capacity) throw new InvalidOperationException($"KV cache full at {_capacity} positions");
        var (x, t) = (_x, _t);
        _w.TokenEmbedding.CopyRow(token, x);
        for (int l = 0; l < _c.NumLayers; l++)
        {
            var L = _w.Layers[l];
            Bit1hwNumerics.RmsNorm(x, L.AttnNorm, _c.RmsNormEps, t);
            var attn = Attention(l, L, t);
            Bit1hwNumerics.RmsNorm(attn, L.AttnSubNorm, _c.RmsNormEps, attn);
            Add(x, Linear(L.O, attn, _xqHidden, l, "attn_output", _proj));

            Bit1hwNumerics.RmsNorm(x, L.FfnNorm, _c.RmsNormEps, t);
            float s = Bit1hwNumerics.Quantize(t, _xqHidden);
            var gate = Linear(L.Gate, _xqHidden, s, l, "ffn_gate", _gate);
            var up = Linear(L.Up, _xqHidden, s, l, "ffn_up", _up);
            Bit1hwNumerics.GatedAct(gate, up, _c.Act, _h);
            Bit1hwNumerics.RmsNorm(_h, L.FfnSubNorm, _c.RmsNormEps, _h);
            Add(x, Linear(L.Down, _h, _xqFfn, l, "ffn_down", _proj));
        }
        Bit1hwNumerics.RmsNorm(x, _w.OutputNorm, _c.RmsNormEps, t);
        var logits = _logits;
        _w.LmHead.MatVec(t, logits, _threads);
        Position++;
        return logits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float[] Attention(int l, LayerWeights L, float[] t)
    {
        int hd = _c.HeadDim, kvDim = _c.KvDim, pos = Position;
        var xq = _xqHidden;
        float s = Bit1hwNumerics.Quantize(t, xq);
        var q = Linear(L.Q, xq, s, l, "attn_q", _q);
        var k = Linear(L.K, xq, s, l, "attn_k", _k);
        var v = Linear(L.V, xq, s, l, "attn_v", _v);
        Bit1hwNumerics.Rope(q, _c.NumHeads, hd, pos, _c.RopeTheta);
        Bit1hwNumerics.Rope(k, _c.NumKvHeads, hd, pos, _c.RopeTheta);
        k.CopyTo(_kCache[l], (long)pos * kvDim);
        v.CopyTo(_vCache[l], (long)pos * kvDim);

        var outp = _attn;
        Array.Clear(outp);
        var scores = _scores.AsSpan(0, pos + 1);
        float invSqrt = 1f / MathF.Sqrt(hd);
        int group = _c.NumHeads / _c.NumKvHeads;
        for (int h = 0; h < _c.NumHeads; h++)
        {
            int kvOff = h / group * hd;
            var qh = q.AsSpan(h * hd, hd);
            for (int j = 0; j <= pos; j++)
                scores[j] = Bit1hwNumerics.Dot(qh, _kCache[l].AsSpan(j * kvDim + kvOff, hd)) * invSqrt;
            Bit1hwNumerics.Softmax(scores);
            var oh = outp.AsSpan(h * hd, hd);
            for (int j = 0; j <= pos; j++)
            {
                var vj = _vCache[l].AsSpan(j * kvDim + kvOff, hd);
                for (int i = 0; i < hd; i++) oh[i] += scores[j] * vj[i];
            }
        }
        return outp;
    }

    /// <summary>Quantizes <paramref name="input"/> into <paramref name="xq"/>, then as below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float[] Linear(TernaryMatrix m, float[] input, sbyte[] xq, int layer, string proj, float[] y)
    {
        float s = Bit1hwNumerics.Quantize(input, xq);
        return Linear(m, xq, s, layer, proj, y);
    }

    /// <summary>y = the dequantized product of <paramref name="m"/> and <paramref name="xq"/> (y has m.Rows elements); returns y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float[] Linear(TernaryMatrix m, sbyte[] xq, float actScale, int layer, string proj, float[] y)
    {
        var acc = _acc.AsSpan(0, m.Rows);
        _backend.MatVec(m, xq, acc, new LinearSite(layer, proj, Position));
        TernaryBytesRead += m.PackedLength;
        Bit1hwNumerics.Dequantize(acc, actScale, m.Scale, y);
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(float[] x, float[] d)
    {
        for (int i = 0; i < x.Length; i++) x[i] += d[i];
    }
}
