namespace Bit1HW.Flows.Explore;

/// <summary>
/// The Pareto front of an exploration: fewer LUTs is better, more tokens/s is better. A point is on
/// the front when every point with at most its LUTs (ties: listed before it) is slower by more
/// than <see cref="MinGain"/>, i.e. it is at least 1 % faster than anything as small: without that
/// margin a memory-bound front goes on through ever larger engines that gain a few parts per
/// thousand. Points with equal LUTs are taken fastest first, then lowest J/token, then in
/// enumeration order, so of two equal points only the first is on the front. J/token is reported
/// and coloured in the chart, not an objective of the front.
/// </summary>
public static class ParetoFront
{
    /// <summary>How much faster than every smaller point a point must be to join the front.</summary>
    public const double MinGain = 1.01;

    public readonly record struct Candidate(int Luts, double TokensPerSecond, double JoulesPerToken);

    /// <summary>Whether each candidate is on the front, in the candidates' order. O(n log n): a sweep in LUT order.</summary>
    public static bool[] Of(IReadOnlyList<Candidate> points)
    {
        var order = Enumerable.Range(0, points.Count)
            .OrderBy(i => points[i].Luts).ThenByDescending(i => points[i].TokensPerSecond)
            .ThenBy(i => points[i].JoulesPerToken).ThenBy(i => i).ToArray();
        var front = new bool[points.Count];
        double best = double.NegativeInfinity;
        foreach (int i in order)
        {
            // In this order every earlier point has at most these LUTs: this one joins only if clearly faster.
            if (points[i].TokensPerSecond > best * MinGain || best == double.NegativeInfinity)
            {
                front[i] = true;
                best = points[i].TokensPerSecond;
            }
        }
        return front;
    }

    /// <summary>
    /// Non-dominated sorting: 0 for the front, 1 for the front of what remains, and so on. Used to
    /// pick the points near the front when it has fewer points than are to be synthesized.
    /// </summary>
    public static int[] Layers(IReadOnlyList<Candidate> points)
    {
        var layer = new int[points.Count];
        var remaining = Enumerable.Range(0, points.Count).ToList();
        for (int l = 0; remaining.Count > 0; l++)
        {
            bool[] onFront = Of([.. remaining.Select(i => points[i])]);
            var next = new List<int>();
            for (int k = 0; k < remaining.Count; k++)
            {
                if (onFront[k]) layer[remaining[k]] = l;
                else next.Add(remaining[k]);
            }
            remaining = next;
        }
        return layer;
    }

    /// <summary>
    /// Up to <paramref name="n"/> points to synthesize, in index order: among the points
    /// <paramref name="eligible"/> allows (all when it is null), their front's points spread evenly
    /// along it by LUTs (both ends included), then, when that front is smaller than n, the next
    /// layers' points the same way.
    /// </summary>
    public static IReadOnlyList<int> NearFront(IReadOnlyList<Candidate> points, int n, Func<int, bool>? eligible = null)
    {
        int[] subset = [.. Enumerable.Range(0, points.Count).Where(i => eligible?.Invoke(i) ?? true)];
        int[] layers = Layers([.. subset.Select(i => points[i])]);
        int deepest = layers.Length == 0 ? -1 : layers.Max();
        var chosen = new List<int>();
        for (int l = 0; chosen.Count < n && l <= deepest; l++)
        {
            var members = Enumerable.Range(0, subset.Length).Where(k => layers[k] == l).Select(k => subset[k])
                .OrderBy(i => points[i].Luts).ThenBy(i => i).ToList();
            chosen.AddRange(Spread(members, n - chosen.Count));
        }
        chosen.Sort();
        return chosen;
    }

    /// <summary>k members evenly spaced by position (first and last included), or all when there are at most k.</summary>
    private static IEnumerable<int> Spread(List<int> members, int k)
    {
        if (members.Count <= k) return members;
        if (k == 1) return [members[0]];
        return Enumerable.Range(0, k).Select(j => members[(int)Math.Round(j * (members.Count - 1) / (double)(k - 1))]).Distinct();
    }
}
