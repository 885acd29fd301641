namespace Bit1HW.CoSim;

/// <summary>Extremes, bounds hit and toggles (0→1 and 1→0 per bit) of a register's successive values.</summary>
internal sealed class BitTracker(int widthBits, long positiveBound, long negativeBound)
{
    private readonly ulong _mask = widthBits >= 64 ? ulong.MaxValue : (1UL << widthBits) - 1;
    private ulong _rose, _fell;
    private long _min, _max;
    private bool _posHit, _negHit;
    private int _widest = 1;

    /// <summary>Records <paramref name="value"/> after <paramref name="previous"/>; returns the value (the next call's previous).</summary>
    public long Observe(long value, long previous)
    {
        ulong now = (ulong)value & _mask, before = (ulong)previous & _mask;
        _rose |= now & ~before;
        _fell |= before & ~now;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        _posHit |= value == positiveBound;
        _negHit |= value == negativeBound;
        _widest = Math.Max(_widest, 65 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(value < 0 ? ~value : value)));
        return value;
    }

    public RegisterCoverage Report()
    {
        ulong toggled = _rose & _fell;
        double range = Math.Pow(2, widthBits - 1);
        double maxAbs = Math.Max(Math.Abs((double)_min), Math.Abs((double)_max));
        var on = Enumerable.Range(0, widthBits).Where(b => (toggled >> b & 1) != 0).ToList();
        var off = Enumerable.Range(0, widthBits).Where(b => (toggled >> b & 1) == 0).ToList();
        return new RegisterCoverage(widthBits, _min, _max, Math.Round(maxAbs / range, 6), positiveBound, negativeBound, _posHit, _negHit, on, off, _widest);
    }
}

/// <summary>The words of one memory a stream reached, and whether consecutive reads carried into the top address bit or wrapped.</summary>
internal sealed class AddressTracker(int depth)
{
    private readonly bool[] _seen = new bool[depth];
    private int _lowest = int.MaxValue, _highest = -1;
    private bool _carry, _wrapped;

    /// <summary>Records a read of <paramref name="address"/> in <paramref name="cycle"/>; <paramref name="last"/> is the
    /// stream's previous read (it continues the stream when it was the cycle before). Returns this read.</summary>
    public (long Cycle, int Address) Read(int address, long cycle, (long Cycle, int Address) last)
    {
        _seen[address] = true;
        _lowest = Math.Min(_lowest, address);
        _highest = Math.Max(_highest, address);
        if (last.Cycle == cycle - 1 && address == (last.Address + 1) % depth)
        {
            _carry |= address == depth / 2;
            _wrapped |= address == 0;
        }
        return (cycle, address);
    }

    public MemoryCoverage Report(string memory, string access) =>
        new(memory, access, depth, _highest < 0 ? -1 : _lowest, _highest, _seen.Count(s => s), _carry, _wrapped);
}

/// <summary>Executions, operand range and named extremes of one opcode.</summary>
internal sealed class OpcodeTracker
{
    private long _executed, _min = long.MaxValue, _max = long.MinValue;
    private readonly SortedSet<string> _extremes = new(StringComparer.Ordinal);

    public void Observe(uint operand, IEnumerable<string> extremes)
    {
        _executed++;
        _min = Math.Min(_min, operand);
        _max = Math.Max(_max, operand);
        _extremes.UnionWith(extremes);
    }

    public OpcodeCoverage Report(string name) => new(name, _executed, _min, _max, [.. _extremes]);
}
