using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Fast;

/// <summary>Test-only faults the fast path's comparison with the cycle path must catch.</summary>
internal enum FastFault { None, LandOneCycleLate, ClrDropsLandingTile, OutSeesLandingTile, HaltIgnoresTraffic }

/// <summary>
/// The engine of docs/hardware.md executed an instruction at a time instead of an edge at a time:
/// a <c>MAC n</c> is a block of n tiles through <see cref="TileKernel"/>, a <c>NOP n</c> one step.
/// It is exact because the machine is statically scheduled: every instruction's duration is a
/// function of its word (<see cref="Isa.Cycles"/>), so the cycle in which each instruction executes
/// and each tile lands (read cycle + 1 + L) is known without stepping, and nothing between two
/// instructions depends on data. What the accumulators hold at an OUT or CLR is the sum of the
/// tiles that landed since the last CLR (a tile landing in the CLR's own cycle is kept), which
/// <see cref="PendingTiles"/> computes from the memories.
///
/// Time is counted in rising edges exactly as on the port: every host operation below is one edge
/// (<see cref="Engine.Step"/> with the same inputs), and <see cref="Run"/> is the start edge plus
/// the busy cycles, so tiles in flight at the end of a run land during later edges, as they do in
/// hardware. Accumulators, output buffer, busy cycles, pointers and activity counters equal the
/// cycle-by-cycle <see cref="Engine"/> after the same sequence (tests compare them); the per-edge
/// engine stays the model for VCD, port-level stepping and co-simulation.
/// </summary>
public sealed partial class FastEngine
{
    private readonly HardwareConfig _c;
    private readonly TileLayout _layout;
    private readonly int _rows, _latency, _repeatBits, _accShift;
    private readonly FastFault _fault;
    private readonly uint[] _imem;
    private WeightStore _wmem;
    private bool _ownsWeights = true;
    private readonly ActStore _amem;
    private readonly int[] _omem;
    private readonly int[] _acc;             // raw sums modulo 2^32; the register is their low AccBits bits
    private readonly int[] _partials;
    private readonly PendingTiles _pending = new();
    private readonly PendingTiles.SegmentSink _addSegment, _dropSegment;
    private readonly PendingTiles.FrozenSink _addFrozen, _dropFrozen;
    private readonly Func<int, int, int[]> _tileValues;
    private uint _pc, _wp, _ap;
    private bool _done;
    private readonly bool _streaming;
    private long _streamRead;                // a streaming engine's tiles read since start: the stream word the next tile reads
    private long _edge;                      // edges applied so far; the next edge is number _edge

    public FastEngine(HardwareConfig config) : this(config, TileKernel.Best) { }

    public FastEngine(HardwareConfig config, KernelIsa isa) : this(config, isa, FastFault.None) { }

    internal FastEngine(HardwareConfig config, KernelIsa isa, FastFault fault)
    {
        _c = config.Validate();
        if (!TileKernel.IsSupported(isa)) throw new PlatformNotSupportedException($"{isa} is not supported by this CPU");
        Kernel = isa;
        _layout = new TileLayout(config);
        _streaming = config.IsStreaming;
        _rows = config.Rows;
        _latency = config.PeLatencyCycles + (fault == FastFault.LandOneCycleLate ? 1 : 0);
        _fault = fault;
        _repeatBits = config.RepeatBits;
        _accShift = 32 - config.AccBits;
        _imem = new uint[config.InstrDepth];
        _wmem = new WeightStore(config, _layout);
        _amem = new ActStore(config, _layout);
        _omem = new int[config.OutDepth * _rows];
        _acc = new int[_rows];
        _partials = new int[_layout.Vectors * 32];
        _addSegment = (w, a, n) => TileKernel.Accumulate(_layout, _wmem, w, _amem, a, n, _acc, _partials, Kernel);
        _dropSegment = (_, _, _) => { };
        _addFrozen = values => { for (int r = 0; r < _rows; r++) _acc[r] += values[r]; };
        _dropFrozen = _ => { };
        _tileValues = TileValues;
        Activity = new ActivityCounters(config);
    }

    public HardwareConfig Config => _c;
    public KernelIsa Kernel { get; }
    public ActivityCounters Activity { get; private set; }
    public bool Done => _done;
    public uint WeightPointer => _wp;
    public uint ActivationPointer => _ap;
    public uint ProgramCounter => _pc;
    /// <summary>Rising edges applied so far.</summary>
    public long Edges => _edge;

    /// <summary>The accumulator register of a row after the edges applied so far (AccBits wide, sign-extended).</summary>
    public int Accumulator(int row)
    {
        LandBefore(_edge);
        return Wrap(_acc[row]);
    }

    /// <summary>Output buffer word <paramref name="word"/>, row <paramref name="row"/>, without an edge (for comparisons).</summary>
    public int OutputWord(int word, int row) => _omem[word * _rows + row];

    /// <summary>An edge with rst = 1: controller, pointers, accumulators and pipeline reset; memories keep their contents.</summary>
    public void Reset()
    {
        _pending.Clear();
        Array.Clear(_acc);
        _pc = _wp = _ap = 0;
        _done = false;
        _edge++;
    }

    /// <summary>An edge with nothing but idle inputs (tiles in flight land).</summary>
    public void Idle(long edges) => _edge += edges;

    /// <summary>host_we with host_sel 0: imem[address] := word (one edge).</summary>
    public void WriteInstruction(uint address, uint word)
    {
        _imem[address & (uint)(_c.InstrDepth - 1)] = word;
        Activity.HostWrite(0, 32);
        _edge++;
    }

    /// <summary>host_we with host_sel 1: wmem[address] := the word in <paramref name="limbs"/> (one edge).</summary>
    public void WriteWeights(uint address, ReadOnlySpan<uint> limbs)
    {
        if (!_ownsWeights)
        {
            _wmem = _wmem.Clone();
            _ownsWeights = true;
        }
        _wmem.Write((int)(address & (uint)(_c.WeightDepth - 1)), limbs);
        Activity.HostWrite(1, _c.WeightWordBits);
        _edge++;
    }

    /// <summary>host_we with host_sel 2: amem[address] := the word in <paramref name="limbs"/> (one edge).</summary>
    public void WriteActivations(uint address, ReadOnlySpan<uint> limbs)
    {
        _amem.Write((int)(address & (uint)(_c.ActDepth - 1)), limbs);
        Activity.HostWrite(2, _c.ActWordBits);
        _edge++;
    }

    /// <summary>
    /// Makes <paramref name="store"/> the weight memory, as if its <paramref name="writtenWords"/>
    /// words had been written through the host port in as many edges (counted in the activity).
    /// The store is shared, not copied: prepare it once (<see cref="PreparedProgram"/>) and swap it in.
    /// </summary>
    internal void UseWeights(WeightStore store, int writtenWords)
    {
        _wmem = store;
        _ownsWeights = false;
        Activity.HostWrite(1, (long)_c.WeightWordBits * writtenWords);
        _edge += writtenWords;
    }

    /// <summary>
    /// A streaming engine: <paramref name="stream"/> holds the run's whole weight stream, word k
    /// being what the k-th tile since start reads from the ring (the stream engine's room and stall
    /// rules guarantee it is there). No edges and no host writes: the ring writes are counted from
    /// the traffic (<see cref="StreamTimeline"/>).
    /// </summary>
    internal void UseStream(WeightStore stream)
    {
        _wmem = stream;
        _ownsWeights = false;
    }

    /// <summary>
    /// After <see cref="Run"/> in static time: the run's <paramref name="stallCycles"/> happened, so
    /// busy fell that much later and tiles still in flight land that much later.
    /// </summary>
    internal void Stalled(long stallCycles)
    {
        _edge += stallCycles;
        _pending.Delay(stallCycles);
    }

    /// <summary>host_raddr/host_rrow for one edge: returns host_rdata after it (read-first; 0 for a row ≥ rows).</summary>
    public int ReadOutput(uint word, uint row)
    {
        _edge++;
        uint w = word & (uint)(_c.OutDepth - 1), r = row & (uint)((1 << _c.RowSelectBits) - 1);
        return r < _rows ? _omem[w * _rows + r] : 0;
    }

    /// <summary>Returns the counters so far and starts new ones (a reused engine reports each run alone).</summary>
    internal ActivityCounters TakeActivity()
    {
        LandBefore(_edge);
        ActivityCounters taken = Activity;
        Activity = new ActivityCounters(taken);
        return taken;
    }

    private int Wrap(int sum) => (sum << _accShift) >> _accShift;

    /// <summary>Adds every tile landing before <paramref name="cycle"/> into the accumulators.</summary>
    private void LandBefore(long cycle)
    {
        if (_pending.IsEmpty) return;
        long landed = _pending.TakeBefore(cycle, _addSegment, _addFrozen);
        Activity.AccumulatorUpdates(landed, landed);
    }
}
