using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Sim;

/// <summary>
/// Test-only faults that the checks must catch: the first three the reference comparison and the
/// co-simulation; FullWidthRepeatCount (NOP/MAC counts not taken modulo 2^RepeatBits, which compiled
/// programs never exercise) the random-program check against the timing rules. The streaming
/// faults: MacReadsBeforeWordArrives (the stall test off by one: a MAC reads a ring slot in the
/// cycle its word arrives, i.e. stale data) and IssueIgnoresRingRoom (bursts issued without room,
/// overwriting words not yet read), which the reference comparison under fast memory catches.
/// </summary>
public enum SimFault
{
    None, ExtraPipelineRegister, DropOddTreeElement, ClrIgnoresLandingTile, FullWidthRepeatCount,
    MacReadsBeforeWordArrives, IssueIgnoresRingRoom,
}

/// <summary>
/// The rows × lanes PE array with its pipeline registers (docs/hardware.md, "Datapath"). Register
/// stage 0 holds every lane term w_j · a_j ("level 0"); then each PE is a binary adder tree of
/// D = ceil(log2 lanes) levels: level ℓ node n adds level ℓ-1 nodes 2n and 2n+1, an odd last node
/// passes up unchanged. A register follows every level k with k mod pipeEvery = 0 and the last level
/// (for one lane, D = 0 and the term register is the last), so there are L = 1 + ceil(D / pipeEvery)
/// register stages and a tile's sum reaches the last one L cycles after its data leaves the memory
/// read registers; the latency is not a number added anywhere, it is the number of stages.
/// The term stage is 16-bit (|w·a| ≤ 128·128 fits a short); stage s ≥ 1 holds, for every row, the
/// nodes of level <c>_levels[s]</c> as exact 32-bit sums (the level widths of the spec only bound
/// them). The combinational levels between two registers are evaluated pairwise, level by level, in
/// a scratch buffer: level 1 straight from the term register with x86 pmaddwd against ones (exactly
/// t₀ + t₁ per pair), and while every row has an even node count one flat pass covers all rows.
/// </summary>
internal sealed class PeArray
{
    private readonly int _rows, _lanes;
    private readonly int[] _levels;        // tree level held by each register stage (stage 0: level 0, the terms)
    private readonly int[] _nodes;         // nodes per row in each stage
    private readonly short[] _terms;       // stage 0: [row * lanes + lane]
    private readonly int[][] _sums;        // stage s ≥ 1 at _sums[s - 1]: [row * nodes + node]
    private readonly bool[] _valid;
    private readonly short[] _ones;
    private readonly int[] _scratch;
    private readonly bool _dropOdd;
    // The arrays above live on the pinned heap, so the per-cycle code keeps raw pointers to them.
    private readonly unsafe short* _termsAt, _onesAt;
    private readonly unsafe int** _sumsAt;
    private readonly unsafe int* _scratchAt;
    private readonly nint[] _sumsAtOwner;

    public PeArray(HardwareConfig config, SimFault fault)
    {
        _rows = config.Rows;
        _lanes = config.Lanes;
        _dropOdd = fault == SimFault.DropOddTreeElement;
        int depth = config.TreeLevels, every = config.PipeEvery;
        var levels = new List<int> { 0 };
        for (int k = 1; k <= depth; k++)
            if (k % every == 0 || k == depth) levels.Add(k);
        if (fault == SimFault.ExtraPipelineRegister) levels.Add(levels[^1]);
        _levels = [.. levels];
        _nodes = [.. _levels.Select(NodesAt)];
        _terms = GC.AllocateArray<short>(_rows * _lanes, pinned: true);
        _sums = [.. _nodes.Skip(1).Select(n => GC.AllocateArray<int>(_rows * n, pinned: true))];
        _valid = new bool[_levels.Length];
        _ones = GC.AllocateArray<short>(_rows * _lanes, pinned: true);
        Array.Fill(_ones, (short)1);
        _scratch = GC.AllocateArray<int>(_rows * _lanes, pinned: true);
        _sumsAtOwner = GC.AllocateArray<nint>(_sums.Length + 1, pinned: true);
        unsafe
        {
            _termsAt = (short*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_terms));
            _onesAt = (short*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_ones));
            _scratchAt = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_scratch));
            _sumsAt = (int**)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_sumsAtOwner));
            for (int s = 0; s < _sums.Length; s++)
                _sumsAt[s] = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_sums[s]));
        }
    }

    public int Stages => _levels.Length;
    public bool OutputValid => _valid[^1];
    /// <summary>Row r's value in the last register (the PE output, one node per row).</summary>
    public int Output(int row) => _sums.Length == 0 ? _terms[row] : _sums[^1][row];
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
            if (!_valid[s]) continue;
            if (s == 1) ReduceTerms();
            else Reduce(s);
        }
        _valid[0] = dataValid;
        if (dataValid) FormTerms(weights, acts);
    }

    /// <summary>Stage 0: term j of row r = w[r, j] · a[j] (the ternary select of a, -a or 0; or the INT8 product).</summary>
    private unsafe void FormTerms(ReadOnlySpan<short> weights, ReadOnlySpan<short> acts)
    {
        fixed (short* w = weights, a = acts)
            for (int r = 0; r < _rows; r++) Terms.Multiply(w + r * _lanes, a, _termsAt + r * _lanes, _lanes);
    }

    /// <summary>
    /// Stage 1 from the term register: levels 1.._levels[1], level 1 by pmaddwd with ones. With an
    /// even lane count no pair crosses a row, so one pass over all rows forms level 1.
    /// </summary>
    private unsafe void ReduceTerms()
    {
        int levels = _levels[1];
        short* terms = _termsAt;
        int* stage = _sumsAt[0], scratch = _scratchAt;
        if (levels == 0 || _dropOdd)
        {
            for (int i = 0; i < _rows * _lanes; i++) scratch[i] = terms[i];
            ReduceLevels(scratch, scratch, stage, _lanes, levels);
            return;
        }
        int pairs = (_lanes + 1) / 2;
        int* to = levels == 1 ? stage : scratch;
        if ((_lanes & 1) == 0) Terms.MultiplyPairs(terms, _onesAt, to, _rows * _lanes);
        else
            for (int r = 0; r < _rows; r++) Terms.MultiplyPairs(terms + r * _lanes, _onesAt, to + r * pairs, _lanes);
        if (levels > 1) ReduceLevels(scratch, scratch, stage, pairs, levels - 1);
    }

    private unsafe void Reduce(int s) =>
        ReduceLevels(_sumsAt[s - 2], _scratchAt, _sumsAt[s - 1], _nodes[s - 1], _levels[s] - _levels[s - 1]);

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
