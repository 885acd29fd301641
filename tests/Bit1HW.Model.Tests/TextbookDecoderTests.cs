using Bit1HW.Core;
using Bit1HW.Core.Numerics;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Model.Tests;

/// <summary>
/// An independent float64 BitNet forward pass written from the maths (HF modeling_bitnet order),
/// without the decoder's code: it catches structural mistakes (norm placement, GQA head mapping,
/// RoPE pairing, the relu² gate) that backend-vs-backend comparisons cannot. Activation
/// quantization is included; float64 vs float32 rounding can move an int8 value by one, so the
/// logits are compared with a tolerance relative to their spread, not bit for bit.
/// </summary>
public class TextbookDecoderTests
{
    private static double[] Norm(double[] x, float[] g, double eps)
    {
        double ms = x.Sum(v => v * v) / x.Length;
        return x.Select((v, i) => v / Math.Sqrt(ms + eps) * g[i]).ToArray();
    }

    private static double[] BitLinear(TernaryMatrix m, double[] x)
    {
        double s = 127 / Math.Max(x.Max(Math.Abs), 1e-5);
        var q = x.Select(v => Math.Clamp(Math.Round(v * s, MidpointRounding.ToEven), -128, 127)).ToArray();
        var y = new double[m.Rows];
        for (int r = 0; r < m.Rows; r++)
        {
            double acc = 0;
            for (int c = 0; c < m.Cols; c++) acc += m.Get(r, c) * q[c];
            y[r] = acc / s * m.Scale;
        }
        return y;
    }

    private static void Rope(double[] v, int heads, int d, int pos, double theta)
    {
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < d / 2; i++)
            {
                double a = pos * Math.Pow(theta, -2.0 * i / d);
                double x0 = v[h * d + i], x1 = v[h * d + i + d / 2];
                v[h * d + i] = x0 * Math.Cos(a) - x1 * Math.Sin(a);
                v[h * d + i + d / 2] = x1 * Math.Cos(a) + x0 * Math.Sin(a);
            }
    }

    private static List<double[]> Textbook(BitNetWeights w, int[] tokens)
    {
        var c = w.Config;
        int d = c.HeadDim;
        var ks = Enumerable.Range(0, c.NumLayers).Select(_ => new List<double[]>()).ToArray();
        var vs = Enumerable.Range(0, c.NumLayers).Select(_ => new List<double[]>()).ToArray();
        var result = new List<double[]>();
        for (int pos = 0; pos < tokens.Length; pos++)
        {
            var x = Enumerable.Range(0, c.HiddenSize).Select(i => (double)w.TokenEmbedding.Get(tokens[pos], i)).ToArray();
            for (int l = 0; l < c.NumLayers; l++)
            {
                var L = w.Layers[l];
                var t = Norm(x, L.AttnNorm, c.RmsNormEps);
                double[] q = BitLinear(L.Q, t), k = BitLinear(L.K, t), v = BitLinear(L.V, t);
                Rope(q, c.NumHeads, d, pos, c.RopeTheta);
                Rope(k, c.NumKvHeads, d, pos, c.RopeTheta);
                ks[l].Add(k); vs[l].Add(v);
                var o = new double[c.HiddenSize];
                for (int h = 0; h < c.NumHeads; h++)
                {
                    int kvh = h * c.NumKvHeads / c.NumHeads;
                    var sc = ks[l].Select(kj => Enumerable.Range(0, d).Sum(i => q[h * d + i] * kj[kvh * d + i]) / Math.Sqrt(d)).ToArray();
                    double mx = sc.Max();
                    var p = sc.Select(s => Math.Exp(s - mx)).ToArray();
                    double sum = p.Sum();
                    for (int j = 0; j < p.Length; j++)
                        for (int i = 0; i < d; i++) o[h * d + i] += p[j] / sum * vs[l][j][kvh * d + i];
                }
                var a = BitLinear(L.O, Norm(o, L.AttnSubNorm, c.RmsNormEps));
                for (int i = 0; i < x.Length; i++) x[i] += a[i];
                t = Norm(x, L.FfnNorm, c.RmsNormEps);
                double[] g = BitLinear(L.Gate, t), u = BitLinear(L.Up, t);
                var hid = g.Select((gv, i) => Math.Pow(Math.Max(gv, 0), 2) * u[i]).ToArray();
                var dn = BitLinear(L.Down, Norm(hid, L.FfnSubNorm, c.RmsNormEps));
                for (int i = 0; i < x.Length; i++) x[i] += dn[i];
            }
            var f = Norm(x, w.OutputNorm, c.RmsNormEps);
            result.Add(Enumerable.Range(0, c.VocabSize).Select(vId => Enumerable.Range(0, c.HiddenSize).Sum(i => w.LmHead.Get(vId, i) * f[i])).ToArray());
        }
        return result;
    }

    [Fact]
    public void The_decoder_agrees_with_a_float64_textbook_forward_pass()
    {
        var w = TinyModels.Load(TinyModels.Gguf(TinyModels.Config(layers: 2), 21, ModelFormat.GgufTq2));
        int[] tokens = [5, 9, 2, 33];
        var want = Textbook(w, tokens);
        var got = new List<float[]>();
        var dec = new Decoder(w, new ReferenceBackend(), tokens.Length);
        foreach (int t in tokens) got.Add((float[])dec.Step(t).Clone());
        for (int s = 0; s < tokens.Length; s++)
        {
            double spread = want[s].Max() - want[s].Min();
            double worst = want[s].Select((v, i) => Math.Abs(v - got[s][i])).Max();
            Assert.True(worst < 0.02 * spread, $"position {s}: largest logit difference {worst} vs spread {spread}");
        }
    }
}
