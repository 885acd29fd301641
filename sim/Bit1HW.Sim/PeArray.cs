using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Sim;

/// <summary>Test-only faults that the reference comparison (and later the co-simulation) must catch.</summary>
public enum SimFault { None, ExtraPipelineRegister, DropOddTreeElement, ClrIgnoresLandingTile }

/// <summary>
/// The rows × lanes PE array with its pipeline registers (docs/hardware.md, "Datapath"). Each PE
/// is a binary adder tree of D = ceil(log2 lanes) levels: level ℓ node n adds level ℓ-1 nodes 2n and
/// 2n+1, an odd last node passes up unchanged. A register follows every level k with
/// k mod pipeEvery = 0 and the last level (for one lane, the term itself), so there are L register
/// stages and a tile's sum reaches the last one L cycles after its data leaves the memory read
/// registers; the latency is not a number added anywhere, it is the length of <see cref="_stages"/>.
/// Stage s holds, for every row, the nodes of level <c>_levels[s]</c>. The combinational levels
/// between two registers are evaluated pairwise, level by level, in a scratch buffer: level 1
/// straight from the operands with x86 pmaddwd (exactly w₀a₀ + w₁a₁ per pair), and while every row
/// has an even node count one flat pass covers all rows. Sums are exact 32-bit integers; the level
/// widths of the spec only bound them.
/// </summary>
internal sealed class PeArray
{
    private readonly int _rows, _lanes;
    private readonly int[] _levels;        // tree level held by each register stage
    private readonly int[] _nodes;         // nodes per row in each stage
    private readonly int[][] _stages;      // [stage][row * nodes + node]
    private readonly bool[] _valid;
    private readonly int[] _scratch;
    private readonly bool _dropOdd;

    public PeArray(HardwareConfig config, SimFault fault)
    {
        _rows = config.Rows;
        _lanes = config.Lanes;
        _dropOdd = fault == SimFault.DropOddTreeElement;
        int depth = config.TreeLevels, every = config.PipeEvery;
        var levels = new List<int>();
        for (int k = 1; k <= depth; k++)
            if (k % every == 0 || k == depth) levels.Add(k);
        if (depth == 0) levels.Add(0);
        if (fault == SimFault.ExtraPipelineRegister) levels.Add(levels[^1]);
        _levels = [.. levels];
        _nodes = [.. _levels.Select(NodesAt)];
        _stages = [.. _nodes.Select(n => new int[_rows * n])];
        _valid = new bool[_levels.Length];
        _scratch = new int[_rows * _lanes];
    }

    public int Stages => _levels.Length;
    public bool OutputValid => _valid[^1];
    /// <summary>Row r's value in the last register (the PE output, one node per row).</summary>
    public int Output(int row) => _stages[^1][row];
    public IReadOnlyList<int> StageLevels => _levels;
    public IReadOnlyList<int> StageNodes => _nodes;

    public int NodesAt(int level) => (int)((_lanes + (1L << level) - 1) >> level);

    public void Reset() => Array.Clear(_valid);

    /// <summary>
    /// One rising edge. <paramref name="weights"/> and <paramref name="acts"/> are the words in the
    /// memory read registers (rows·lanes and lanes values), meaningful when <paramref name="dataValid"/>.
    /// Stages update from the last to the first so each reads its predecessor's old value.
    /// </summary>
    public void Clock(bool dataValid, ReadOnlySpan<short> weights, ReadOnlySpan<short> acts)
    {
        for (int s = _levels.Length - 1; s >= 1; s--)
        {
            _valid[s] = _valid[s - 1];
            if (_valid[s]) Reduce(s);
        }
        _valid[0] = dataValid;
        if (dataValid) FirstStage(weights, acts);
    }

    private unsafe void FirstStage(ReadOnlySpan<short> weights, ReadOnlySpan<short> acts)
    {
        int levels = _levels[0];
        fixed (int* stage = _stages[0], scratch = _scratch)
        fixed (short* w = weights, a = acts)
        {
            if (levels == 0 || _dropOdd)
            {
                for (int r = 0; r < _rows; r++) Terms.Multiply(w + r * _lanes, a, scratch + r * _lanes, _lanes);
                ReduceLevels(scratch, scratch, stage, _lanes, levels);
            }
            else
            {
                int pairs = (_lanes + 1) / 2;
                for (int r = 0; r < _rows; r++) Terms.MultiplyPairs(w + r * _lanes, a, scratch + r * pairs, _lanes);
                ReduceLevels(scratch, scratch, stage, pairs, levels - 1);
            }
        }
    }

    private unsafe void Reduce(int s)
    {
        fixed (int* from = _stages[s - 1], to = _stages[s], scratch = _scratch)
            ReduceLevels(from, scratch, to, _nodes[s - 1], _levels[s] - _levels[s - 1]);
    }

    /// <summary>
    /// <paramref name="levels"/> adder-tree levels over every row's <paramref name="count"/> nodes
    /// (row-major, row r at r · count): level ℓ node n = node 2n + node 2n+1 of level ℓ-1, an odd
    /// last node passes up. Reads <paramref name="src"/>, works in <paramref name="scratch"/>, and
    /// leaves the result, rows × remaining nodes, in <paramref name="dst"/>. While every row has an
    /// even count, row boundaries fall between pairs, so one flat pass covers all rows.
    /// </summary>
    private unsafe void ReduceLevels(int* src, int* scratch, int* dst, int count, int levels)
    {
        if (levels == 0)
        {
            CopyInts(src, dst, _rows * count);
            return;
        }
        for (int level = 0; level < levels; level++)
        {
            int* to = level == levels - 1 ? dst : scratch;
            int next = (count + 1) >> 1;
            if ((count & 1) == 0) Terms.PairSums(src, to, _rows * next);
            else
                for (int r = 0; r < _rows; r++)
                {
                    int* f = src + r * count, t = to + r * next;
                    int pairs = count >> 1;
                    for (int n = 0; n < pairs; n++) t[n] = f[2 * n] + f[2 * n + 1];
                    t[pairs] = _dropOdd ? 0 : f[count - 1];
                }
            count = next;
            src = to;
        }
    }

    private static unsafe void CopyInts(int* src, int* dst, int count)
    {
        for (int i = 0; i < count; i++) dst[i] = src[i];
    }

    /// <summary>Adders per PE by output width: level ℓ has floor(n_(ℓ-1) / 2) adders of min(T + ℓ, PeOutBits) bits.</summary>
    public static SortedDictionary<int, long> AddersByWidth(HardwareConfig c)
    {
        var byWidth = new SortedDictionary<int, long>();
        int termBits = c.PeTermBits;
        long count = c.Lanes;
        for (int level = 1; level <= c.TreeLevels; level++)
        {
            int width = Math.Min(termBits + level, c.PeOutBits);
            byWidth[width] = byWidth.GetValueOrDefault(width) + count / 2;
            count = (count + 1) / 2;
        }
        return byWidth;
    }

    /// <summary>Register bits of one PE: every stage's nodes × the width of its level.</summary>
    public long RegisterBitsPerPe(HardwareConfig c)
    {
        long bits = 0;
        for (int s = 0; s < _levels.Length; s++)
            bits += (long)_nodes[s] * Math.Min(c.PeTermBits + _levels[s], c.PeOutBits);
        return bits;
    }
}
