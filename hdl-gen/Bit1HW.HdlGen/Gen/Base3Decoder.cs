using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The base3 decoder on the write side of the ring (docs/hardware.md, "External memory image"):
/// byte k of a stream word holds weights 5k..5k+4 as q = ceil(256 · v / 243); five times
/// x := 3·q (q + 2q, 10 bits), trit := x[9:8], q := x[7:0] give the trits w + 1 in order. Each trit
/// t becomes the 2-bit TernaryCode {t == 0, t != 1} (0 → 11 = -1, 1 → 00 = 0, 2 → 01 = +1). Weights
/// of the padding (index ≥ rows · lanes) are not decoded. Per byte: five 10-bit adders, no multiplier.
/// </summary>
internal static class Base3Decoder
{
    /// <summary>The ring line (W words of WeightWordBits) decoded from a beat's W stream words.</summary>
    public static Expr DecodeLine(ModuleBuilder m, HardwareConfig cfg, RingGeometry g, Expr streamLine)
    {
        int words = g.WordsPerBeat;
        var decoded = new Expr[words];
        for (int n = 0; n < words; n++)
            decoded[words - 1 - n] = Word(m, cfg, n, Bits(streamLine, n * cfg.StreamWordBits, cfg.StreamWordBits));
        return words == 1 ? decoded[0] : Cat(decoded);
    }

    private static Expr Word(ModuleBuilder m, HardwareConfig cfg, int n, Expr word)
    {
        int weights = cfg.Rows * cfg.Lanes;
        var x10 = VType.U(10);
        var codes = new List<Expr>(weights);
        var leftovers = new List<Expr>();
        for (int k = 0; k * 5 < weights; k++)
        {
            m.Comment($"Stream word {n}, byte {k}: weights {5 * k}..{Math.Min(5 * k + 4, weights - 1)}.");
            Expr q = Bits(word, 8 * k, 8);
            int count = Math.Min(5, weights - 5 * k);
            for (int t = 0; t < count; t++)
            {
                Ref x = m.Wire($"b3_w{n}_byte{k}_x{t}", Add(Ext(q, x10), Cat(q, C(0, VType.Bit)), x10));
                Ref trit = m.Wire($"b3_w{n}_byte{k}_trit{t}", Bits(x, 8, 2));
                int i = 5 * k + t;
                codes.Add(m.Wire($"b3_w{n}_code{i}", Cat(EqC(trit, 0), Ne(trit, C(1, VType.U(2))))));
                q = Bits(x, 0, 8);
            }
            leftovers.Add(q);
        }
        int usedBytes = (weights + 4) / 5;
        if (usedBytes * 8 < cfg.StreamWordBits) leftovers.Add(Bits(word, usedBytes * 8, cfg.StreamWordBits - usedBytes * 8));
        // The last remainder of every byte (and any padding byte) is not needed: name it so lint knows.
        leftovers.Reverse();
        m.Wire($"unused_b3_w{n}_rest", Cat([.. leftovers]));
        codes.Reverse();
        return m.Wire($"b3_word{n}", Cat([.. codes]));
    }
}
