using Bit1HW.Core.Numerics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// The plainest possible ternary GEMV: decode every 2-bit code with <see cref="TernaryCode.Decode"/>
/// and add or subtract the activation. Slow; written independently of <see cref="ReferenceBackend"/>
/// so that each checks the other (decode --backend scalar, --compare).
/// </summary>
public sealed class ScalarBackend : ITernaryLinearBackend
{
    public string Name => "scalar";
    public long? Cycles => null;

    public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        for (int r = 0; r < w.Rows; r++)
        {
            int sum = 0;
            for (int c = 0; c < w.Cols; c++)
            {
                sbyte t = w.Get(r, c);
                if (t > 0) sum += xq[c];
                else if (t < 0) sum -= xq[c];
            }
            acc[r] = sum;
        }
    }
}

/// <summary>
/// Runs the reference and another backend on every ternary linear, hands the other backend's
/// integers on to the decoder, and throws <see cref="BackendMismatchException"/> at the first
/// differing accumulator, naming layer, projection, position and row.
/// </summary>
public sealed class CompareBackend(ITernaryLinearBackend reference, ITernaryLinearBackend other) : ITernaryLinearBackend
{
    public string Name => $"{other.Name} (compared with {reference.Name})";
    public long? Cycles => other.Cycles;
    public long Comparisons { get; private set; }

    public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        var expected = new int[w.Rows];
        reference.MatVec(w, xq, expected, site);
        other.MatVec(w, xq, acc, site);
        for (int r = 0; r < w.Rows; r++)
        {
            Comparisons++;
            if (acc[r] != expected[r])
                throw new BackendMismatchException(
                    $"{site}: row {r} of {w.Name}: {reference.Name} accumulator {expected[r]}, {other.Name} {acc[r]}");
        }
    }
}
