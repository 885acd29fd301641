using System.Numerics;
using System.Runtime.InteropServices;

namespace Bit1HW.Sim;

/// <summary>
/// The lane terms of one PE, vectorized: term j = w_j · a_j. For a ternary PE w_j is the decoded
/// code (-1, 0, +1), so the product is the hardware's select of a, -a or 0; for the INT8 MAC PE it is
/// the product. |w|, |a| ≤ 128, so every product fits a 16-bit lane exactly before widening.
/// </summary>
internal static class Terms
{
    public static void Multiply(ReadOnlySpan<short> w, ReadOnlySpan<short> a, Span<int> terms)
    {
        int n = w.Length, j = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<short>.Count)
        {
            var wv = MemoryMarshal.Cast<short, Vector<short>>(w);
            var av = MemoryMarshal.Cast<short, Vector<short>>(a);
            var tv = MemoryMarshal.Cast<int, Vector<int>>(terms);
            for (int v = 0; v < wv.Length; v++)
            {
                Vector.Widen(wv[v] * av[v], out Vector<int> lo, out Vector<int> hi);
                tv[2 * v] = lo;
                tv[2 * v + 1] = hi;
            }
            j = wv.Length * Vector<short>.Count;
        }
        for (; j < n; j++) terms[j] = w[j] * a[j];
    }
}
