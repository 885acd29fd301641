using Bit1HW.Model.Formats;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// The float arithmetic of llama.cpp's x86 AVX2 CPU build (ggml) for the BitNet graph, one token per
/// call, written from its description in docs/numerics.md ("llama.cpp numerics"): Q8_K activation
/// quantization, ggml's RMSNorm, RoPE cache and softmax order, the AVX2 exp approximation behind
/// softmax and SiLU, and the lane sums of its SIMD dot products with their fixed reduction trees.
/// Every operation order here was checked against LLamaSharp 0.30.0's AVX2 build, whose logits it
/// reproduces bit for bit on the test models (tests/Bit1HW.LlamaCpp.Tests).
/// </summary>
internal static class LlamaCppNumerics
{
    /// <summary>ggml's QK_K: activations are quantized to Q8_K in blocks of this many values.</summary>
    public const int BlockSize = 256;
    /// <summary>Float lanes of an AVX2 register: every SIMD sum below keeps this many partial sums.</summary>
    public const int Lanes = 8;

    /// <summary>
    /// Q8_K quantization of <paramref name="x"/> (a multiple of 256 long): per block, max is the value
    /// of largest magnitude (the first one on ties), iscale = −127 / max, q = min(127, round(iscale·x))
    /// with round half to even, and the block scale d = 1 / iscale. An all-zero block has d = 0.
    /// </summary>
    public static void QuantizeQ8K(ReadOnlySpan<float> x, Span<sbyte> q, Span<float> d)
    {
        for (int b = 0; b < d.Length; b++)
        {
            var xb = x.Slice(b * BlockSize, BlockSize);
            var qb = q.Slice(b * BlockSize, BlockSize);
            float amax = 0, max = 0;
            foreach (float v in xb)
            {
                float a = MathF.Abs(v);
                if (a > amax) { amax = a; max = v; }
            }
            if (amax == 0) { d[b] = 0; qb.Clear(); continue; }
            float iscale = -127f / max;
            for (int j = 0; j < BlockSize; j++)
                qb[j] = (sbyte)Math.Min(127, (int)MathF.Round(iscale * xb[j], MidpointRounding.ToEven));
            d[b] = 1 / iscale;
        }
    }

    /// <summary>RMSNorm as ggml: float32 squares summed in float64 in order, mean and 1/√(mean + eps) in float32, y = (x·scale)·g.</summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float eps, Span<float> y)
    {
        double sum = 0;
        foreach (float v in x) sum += v * v;
        float mean = (float)(sum / x.Length);
        float scale = 1.0f / MathF.Sqrt(mean + eps);
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * scale * g[i];
    }

    /// <summary>
    /// NEOX RoPE as ggml's rope cache: θ₀ = pos, θᵢ₊₁ = θᵢ · base^(−2/d) in float32 (powf once), cos and
    /// sin of the float32 angle; element i of a head pairs with i + d/2. The compiler contracted ggml's
    /// x0·cos − x1·sin and x0·sin + x1·cos into fused multiply-adds: x0·cos − round(x1·sin) and
    /// x0·sin + round(x1·cos), each rounded once.
    /// </summary>
    public static void Rope(Span<float> x, int heads, int headDim, int pos, float theta)
    {
        int half = headDim / 2;
        float thetaScale = MathF.Pow(theta, -2.0f / headDim);
        float angle = pos;
        for (int i = 0; i < half; i++)
        {
            float c = MathF.Cos(angle), s = MathF.Sin(angle);
            for (int h = 0; h < heads; h++)
            {
                int a = h * headDim + i, b = a + half;
                float xa = x[a], xb = x[b];
                x[a] = MathF.FusedMultiplyAdd(xa, c, -(xb * s));
                x[b] = MathF.FusedMultiplyAdd(xa, s, xb * c);
            }
            angle *= thetaScale;
        }
    }

    /// <summary>
    /// ggml's softmax over scores x[0..n) (the masked positions after them are exp(−∞) = 0): exp(x − max)
    /// with <see cref="ExpF"/>, summed per 8 values with <see cref="Hsum8"/> into a float64 total, then
    /// every value times float32(1 / total).
    /// </summary>
    public static void Softmax(Span<float> x)
    {
        float m = float.NegativeInfinity;
        foreach (float v in x) m = MathF.Max(m, v);
        double sum = 0;
        Span<float> chunk = stackalloc float[Lanes];
        for (int c = 0; c < x.Length; c += Lanes)
        {
            chunk.Clear();
            for (int i = c; i < Math.Min(x.Length, c + Lanes); i++) chunk[i - c] = x[i] = ExpF(x[i] - m);
            sum += Hsum8(chunk);
        }
        float inv = (float)(1.0 / sum);
        for (int i = 0; i < x.Length; i++) x[i] *= inv;
    }

    /// <summary>ggml's AVX2 SiLU: x / (1 + <see cref="ExpF"/>(−x)).</summary>
    public static float Silu(float x) => x / (1f + ExpF(0f - x));

    /// <summary>
    /// The reduction of eight float lanes that ggml's hsum_float_8 performs (in the TQ dot products and
    /// the softmax sum): ((x4 + x0) + (x6 + x2)) + ((x5 + x1) + (x7 + x3)).
    /// </summary>
    public static float Hsum8(ReadOnlySpan<float> x) => ((x[4] + x[0]) + (x[6] + x[2])) + ((x[5] + x[1]) + (x[7] + x[3]));

    /// <summary>
    /// ggml_vec_dot_f16 (AVX2) on values already rounded to fp16: 32 float lanes (four registers of 8)
    /// accumulate a[i]·b[i] for i ≡ lane (mod 32) by fused multiply-add over the whole blocks of 32;
    /// registers 0+2 and 1+3, then 0+1, then the two 128-bit halves, then two horizontal adds,
    /// ((r0 + r1) + (r2 + r3)); the terms after the last whole block are added in float64.
    /// </summary>
    public static float DotF16(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Span<float> s = stackalloc float[32];
        s.Clear();
        int np = a.Length & ~31;
        for (int i = 0; i < np; i += 32)
            for (int t = 0; t < 32; t++) s[t] = MathF.FusedMultiplyAdd(a[i + t], b[i + t], s[t]);
        for (int t = 0; t < 8; t++) { s[t] += s[16 + t]; s[8 + t] += s[24 + t]; }
        for (int t = 0; t < 8; t++) s[t] += s[8 + t];
        float r0 = s[0] + s[4], r1 = s[1] + s[5], r2 = s[2] + s[6], r3 = s[3] + s[7];
        double sum = (r0 + r1) + (r2 + r3);
        for (int i = np; i < a.Length; i++) sum += a[i] * b[i];
        return (float)sum;
    }

    // The constants of ggml's AVX2 ggml_v_expf (ARM's optimized-routines expf), as hex floats.
    private static readonly float Shift = Hex(0x800000, 23);          // 0x1.8p23
    private static readonly float InvLn2 = Hex(0x715476, 0);          // 0x1.715476p+0
    private static readonly float Ln2Hi = Hex(0x62e400, -1);          // 0x1.62e4p-1
    private static readonly float Ln2Lo = Hex(0x7f7d1c, -20);         // 0x1.7f7d1cp-20
    private static readonly float C0 = Hex(0x0e4020, -7), C1 = Hex(0x573e2e, -5), C2 = Hex(0x555e66, -3),
        C3 = Hex(0xfffdb6, -2), C4 = Hex(0xffffec, -1);

    /// <summary>The float 0x1.ffffffp(exp) written as its 24 fraction bits (six hex digits) and exponent.</summary>
    private static float Hex(int fraction24, int exp) => (float)((1 + fraction24 / 16777216.0) * Math.Pow(2, exp));

    /// <summary>
    /// e^x as ggml's AVX2 ggml_v_expf computes it, lane by lane: n = round(x/ln2) by the 1.5·2²³
    /// shift, b = x − n·ln2 in two parts, a degree-5 polynomial j, result k + k·j with k = 2ⁿ; for
    /// |n| &gt; 126 the scale is split in two factors, and for |n| &gt; 192 the result saturates (to 0 for
    /// x → −∞). Within 1.5 ulp of e^x, but not libm's expf.
    /// </summary>
    public static float ExpF(float x)
    {
        float z = MathF.FusedMultiplyAdd(x, InvLn2, Shift);
        float n = z - Shift;
        float b = MathF.FusedMultiplyAdd(-n, Ln2Lo, MathF.FusedMultiplyAdd(-n, Ln2Hi, x));
        uint e = BitConverter.SingleToUInt32Bits(z) << 23;
        float k = BitConverter.UInt32BitsToSingle(e + BitConverter.SingleToUInt32Bits(1f));
        float u = b * b;
        float j = MathF.FusedMultiplyAdd(
            MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(C0, b, C1), u, MathF.FusedMultiplyAdd(C2, b, C3)), u, C4 * b);
        float an = MathF.Abs(n);
        if (!(an > 126)) return MathF.FusedMultiplyAdd(k, j, k);
        uint g = n <= 0 ? 0x82000000u : 0u;
        float s1 = BitConverter.UInt32BitsToSingle(g + 0x7f000000u);
        float s2 = BitConverter.UInt32BitsToSingle(e - g);
        return an > 192 ? s1 * s1 : MathF.FusedMultiplyAdd(s2, j, s2) * s1;
    }

    public static ushort ToHalf(float v) => Float16.SingleToHalf(v);

    public static float Half(ushort h) => Float16.HalfToSingle(h);

    /// <summary><paramref name="x"/> rounded in place to <paramref name="type"/>'s precision (F16, BF16; F32 unchanged).</summary>
    public static void RoundTo(Gguf.GgmlType type, Span<float> x)
    {
        for (int i = 0; i < x.Length; i++)
            x[i] = type switch
            {
                Gguf.GgmlType.F16 => Half(ToHalf(x[i])),
                Gguf.GgmlType.BF16 => Float16.BFloat16ToSingle(Float16.SingleToBFloat16(x[i])),
                _ => x[i],
            };
    }
}
