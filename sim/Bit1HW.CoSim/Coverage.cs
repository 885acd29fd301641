using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>
/// Coverage of one configuration's campaign, measured on the C# simulator's registers (the models
/// agree on every port, and the simulator's accumulators, PE outputs, pointers and decoded
/// instruction are the contract's architectural state). Every number is counted from the cycles
/// that ran, never derived from what the cases were meant to do.
/// </summary>
public sealed record CoverageReport(string Config, int Cases, long Cycles, RegisterCoverage Accumulator, RegisterCoverage PeOutput,
    IReadOnlyList<MemoryCoverage> Memories, IReadOnlyList<OpcodeCoverage> Opcodes)
{
    /// <summary>The accumulator's top bit (its sign bit) rose and fell at least once.</summary>
    public bool TopBitToggled => Accumulator.Toggled.Contains(Accumulator.WidthBits - 1);

    /// <summary>A value that needs every accumulator bit was reached: an accumulator one bit narrower would have overflowed.
    /// (In two's complement any negative value sets the top bit, so a toggle alone does not show that.)</summary>
    public bool TopBitNeeded => Accumulator.WidestValueBits == Accumulator.WidthBits;
}

/// <summary>
/// One register's values: the extremes seen (two's complement of <see cref="WidthBits"/> bits), the
/// largest magnitude as a fraction of the register's range 2^(w-1), the contract's bounds for a
/// legal program (for the accumulator: maxK terms of the largest product of each sign; for the PE
/// output: lanes terms) and whether each was hit exactly, the bits that rose and fell (toggle
/// coverage: a bit counts once it has gone 0→1 and 1→0), and the width of the widest value seen
/// (the fewest two's-complement bits that hold it: a register narrower than that would have failed).
/// </summary>
public sealed record RegisterCoverage(int WidthBits, long Min, long Max, double MaxAbsFractionOfRange, long PositiveBound, long NegativeBound,
    bool PositiveBoundReached, bool NegativeBoundReached, IReadOnlyList<int> Toggled, IReadOnlyList<int> Untoggled, int WidestValueBits);

/// <summary>The words of one memory the engine reached (<see cref="Access"/>: what reached them; -1 when none), and,
/// for a stream read at consecutive addresses (imem, wmem, amem; null for omem), whether it crossed into the upper half
/// (a carry into the top address bit) and wrapped from the last word to 0.</summary>
public sealed record MemoryCoverage(string Memory, string Access, int Depth, int Lowest, int Highest, int Distinct,
    bool? CarryIntoTopBit, bool? Wrapped);

/// <summary>How often an opcode executed, its operand range, and which operand extremes it met.</summary>
public sealed record OpcodeCoverage(string Opcode, long Executed, long MinOperand, long MaxOperand, IReadOnlyList<string> Extremes);

/// <summary>
/// Accumulates coverage over a configuration's cases: <see cref="Observe"/> wraps each case's
/// simulator so that every edge is recorded after it is applied; <see cref="Report"/> summarizes.
/// </summary>
public sealed class CoverageCollector
{
    private readonly HardwareConfig _c;
    private readonly BitTracker _acc, _pe;
    private readonly AddressTracker _imem, _wmem, _amem, _omem;
    private readonly SortedDictionary<int, OpcodeTracker> _ops = [];
    private int _cases;
    private long _cycles;

    public CoverageCollector(HardwareConfig config)
    {
        _c = config;
        long maxTerm = 1L << (config.ActBits - 1);
        long posTerm = config.Pe == PeKind.Ternary ? maxTerm : 128 * maxTerm;
        long negTerm = config.Pe == PeKind.Ternary ? maxTerm : 127 * maxTerm;
        _acc = new BitTracker(config.AccBits, config.MaxK * posTerm, -config.MaxK * negTerm);
        _pe = new BitTracker(config.PeOutBits, config.Lanes * posTerm, -config.Lanes * negTerm);
        _imem = new AddressTracker(config.InstrDepth);
        _wmem = new AddressTracker(config.WeightDepth);
        _amem = new AddressTracker(config.ActDepth);
        _omem = new AddressTracker(config.OutDepth);
    }

    /// <summary>The case's simulator, recording every edge into this collector.</summary>
    public ITopModel Observe(SimulatorModel sim)
    {
        _cases++;
        return new Recorder(this, sim.Engine);
    }

    /// <summary>One case's view: the values each register held after the previous edge, and the last
    /// address each stream read (a carry or wrap counts only between consecutive reads of one case).</summary>
    private sealed class Recorder(CoverageCollector owner, Engine engine) : ITopModel
    {
        public long[] AccPrev { get; } = new long[engine.Config.Rows];
        public long[] PePrev { get; } = new long[engine.Config.Rows];
        public long Cycle { get; set; }
        public (long Cycle, int Address) LastPc { get; set; } = (-2, 0);
        public (long Cycle, int Address) LastW { get; set; } = (-2, 0);
        public (long Cycle, int Address) LastA { get; set; } = (-2, 0);
        public string Name => "sim";

        public TopOutputs Step(in TopInputs inputs)
        {
            TopOutputs o = engine.Step(inputs);
            owner.Record(engine, o, this);
            Cycle++;
            return o;
        }

        public void Dispose() { }
    }

    private void Record(Engine e, in TopOutputs o, Recorder r)
    {
        _cycles++;
        for (int row = 0; row < _c.Rows; row++)
        {
            r.AccPrev[row] = _acc.Observe(e.Accumulator(row), r.AccPrev[row]);
            r.PePrev[row] = _pe.Observe(e.AccumulatorInput(row), r.PePrev[row]);
        }
        if (e.Executing is not { } x) return;
        if (x.Op == Opcode.Mac && Isa.RepeatCount(new Instruction(x.Op, x.Operand).Encode(), _c.RepeatBits) != 0)
        {
            r.LastW = _wmem.Read((int)e.WeightPointer, r.Cycle, r.LastW);
            r.LastA = _amem.Read((int)e.ActivationPointer, r.Cycle, r.LastA);
        }
        if (x.CycleIndex != 0) return;
        // Consecutive instructions are consecutive "reads" of imem whatever their cycle counts.
        var previousPc = r.LastPc.Cycle >= 0 ? (r.Cycle - 1, r.LastPc.Address) : (-2L, 0);
        r.LastPc = _imem.Read((int)o.DbgPc, r.Cycle, previousPc);
        if (x.Op == Opcode.Out) _omem.Read((int)(x.Operand & (uint)(_c.OutDepth - 1)), r.Cycle, (-2, 0));
        int key = Isa.IsDefined(x.Op) ? (int)x.Op : UndefinedKey;
        if (!_ops.TryGetValue(key, out OpcodeTracker? t)) _ops[key] = t = new OpcodeTracker();
        t.Observe(x.Operand, Extremes(x.Op, x.Operand));
    }

    /// <summary>The named operand extremes of one executed instruction (docs/verification.md, "Coverage").</summary>
    private IEnumerable<string> Extremes(Opcode op, uint operand)
    {
        int depth = op switch { Opcode.SetW => _c.WeightDepth, Opcode.SetA => _c.ActDepth, Opcode.Out => _c.OutDepth, _ => 0 };
        if (depth > 0)
        {
            if (operand == 0) yield return "operand 0";
            if ((operand & (uint)(depth - 1)) == depth - 1) yield return "top address";
            if (operand >= depth) yield return "operand wraps";
        }
        if (op is Opcode.Nop or Opcode.Mac)
        {
            uint modulus = 1u << _c.RepeatBits, count = operand & (modulus - 1);
            if (count == 0) yield return "count 0";
            if (count == 1) yield return "count 1";
            if (count == modulus - 1) yield return "count max";
            if (operand >= modulus) yield return "count wraps";
        }
    }

    public CoverageReport Report() => new(_c.Tag, _cases, _cycles, _acc.Report(), _pe.Report(),
        [
            _imem.Report("imem", "executed (pc)"),
            _wmem.Report("wmem", "read by MAC (wp)"),
            _amem.Report("amem", "read by MAC (ap)"),
            _omem.Report("omem", "written by OUT") with { CarryIntoTopBit = null, Wrapped = null },
        ],
        _ops.Select(p => p.Value.Report(p.Key == UndefinedKey ? "undefined" : Isa.Mnemonic((Opcode)p.Key))).ToList());

    /// <summary>Every undefined opcode (0x8..0xE) is counted under one entry, after HALT.</summary>
    private const int UndefinedKey = 16;
}
