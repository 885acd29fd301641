using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>
/// Activity counters of one run (docs/hardware.md, "Simulator report"); <see cref="ToRecord"/> turns
/// them into Core's <see cref="ActivityRecord"/>. The engine counts events
/// (tiles, zero weights, accumulator updates, memory accesses); per-event bit and adder counts come
/// from the PE array's own structure.
/// </summary>
public sealed class ActivityCounters
{
    private readonly HardwareConfig _c;
    private readonly SortedDictionary<int, long> _addersPerPe;
    private readonly long _registerBitsPerTile;

    internal ActivityCounters(HardwareConfig config, PeArray pe)
    {
        _c = config;
        _addersPerPe = PeArray.AddersByWidth(config);
        _registerBitsPerTile = pe.RegisterBitsPerPe(config) * config.Rows;
    }

    /// <summary>Counters for an engine without a per-edge PE array (the fast path); the structure is the same.</summary>
    internal ActivityCounters(HardwareConfig config) : this(config, new PeArray(config, SimFault.None)) { }

    /// <summary>Zeroed counters for the same configuration (one per run of a reused engine).</summary>
    internal ActivityCounters(ActivityCounters structure)
    {
        _c = structure._c;
        _addersPerPe = structure._addersPerPe;
        _registerBitsPerTile = structure._registerBitsPerTile;
    }

    public long Cycles { get; internal set; }
    public long PredictedCycles { get; internal set; }
    public long InstructionsIssued { get; private set; }
    public long MacTiles { get; private set; }
    public long TermsZeroWeight { get; private set; }
    public long AccumulatorAdds { get; private set; }
    public long AccumulatorLoads { get; private set; }
    public long OutputWrites { get; private set; }
    public long OutputReads { get; internal set; }
    private readonly long[] _hostWriteBits = new long[3];
    /// <summary>Streaming engines: busy cycles in which the executing instruction waited (dbg_stall = 1).</summary>
    public long StallCycles { get; private set; }
    /// <summary>Streaming engines: AXI bursts issued (address handshakes).</summary>
    public long Bursts { get; private set; }
    /// <summary>Streaming engines: bytes of the beats accepted from external memory.</summary>
    public long ExternalBytesRead { get; private set; }

    internal void Tile(int zeroWeights) { MacTiles++; TermsZeroWeight += zeroWeights; }
    internal void AccumulatorUpdate(bool add) { AccumulatorLoads++; if (add) AccumulatorAdds++; }
    internal void InstructionIssued() => InstructionsIssued++;
    internal void Tiles(long tiles, long zeroWeights) { MacTiles += tiles; TermsZeroWeight += zeroWeights; }
    internal void AccumulatorUpdates(long loads, long adds) { AccumulatorLoads += loads; AccumulatorAdds += adds; }
    internal void OutputWrite() => OutputWrites++;
    internal void HostWrite(int sel, long bits) => _hostWriteBits[sel] += bits;
    internal void StallCycle() => StallCycles++;
    internal void Burst() => Bursts++;
    internal void BeatRead(int bytes) => ExternalBytesRead += bytes;
    /// <summary>The stream engine wrote one word into the weight ring (counted as a weight-memory write).</summary>
    internal void RingWrite() => _hostWriteBits[1] += _c.WeightWordBits;
    internal void StreamTotals(long stallCycles, long bursts, long bytes, long ringWords)
    {
        StallCycles += stallCycles;
        Bursts += bursts;
        ExternalBytesRead += bytes;
        _hostWriteBits[1] += ringWords * _c.WeightWordBits;
    }

    public long TermsTotal => MacTiles * _c.Rows * _c.Lanes;

    public SortedDictionary<int, long> AdditionsByWidthBits()
    {
        var result = new SortedDictionary<int, long>();
        if (MacTiles > 0)
            foreach (var (width, perPe) in _addersPerPe) result[width] = perPe * _c.Rows * MacTiles;
        if (AccumulatorAdds > 0) result[_c.AccBits] = result.GetValueOrDefault(_c.AccBits) + AccumulatorAdds * _c.Rows;
        return result;
    }

    public SortedDictionary<int, long> MultipliesByWidthBits()
    {
        var result = new SortedDictionary<int, long>();
        if (_c.Pe == PeKind.Mac && MacTiles > 0) result[_c.WeightBits] = TermsTotal;
        return result;
    }

    public (long Weight, long Activation, long Instruction, long Output) SramReadBits =>
        (MacTiles * _c.WeightWordBits, MacTiles * _c.ActWordBits, InstructionsIssued * 32, OutputReads * _c.OutWordBits);

    public (long Weight, long Activation, long Instruction, long Output) SramWriteBits =>
        (_hostWriteBits[1], _hostWriteBits[2], _hostWriteBits[0], OutputWrites * _c.OutWordBits);

    public long RegisterBitsWritten =>
        MacTiles * (_c.WeightWordBits + _c.ActWordBits) + MacTiles * _registerBitsPerTile
        + AccumulatorLoads * _c.Rows * _c.AccBits;

    /// <summary>The counters as Core's activity record, which the energy model prices.</summary>
    public ActivityRecord ToRecord()
    {
        var (rw, ra, ri, ro) = SramReadBits;
        var (ww, wa, wi, wo) = SramWriteBits;
        return new ActivityRecord(InstructionsIssued, MacTiles, TermsTotal, TermsZeroWeight,
            AdditionsByWidthBits(), MultipliesByWidthBits(), new MemoryBits(rw, ra, ri, ro), new MemoryBits(ww, wa, wi, wo),
            RegisterBitsWritten);
    }
}
