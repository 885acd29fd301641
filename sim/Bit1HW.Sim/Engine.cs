using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Sim;

/// <summary>
/// The whole engine, register by register (docs/hardware.md): memories with registered reads, the
/// controller (busy, done, fetch flag, pc, instruction register, repeat counter, wp, ap), the PE
/// array and its pipeline, the accumulators, the output buffer and the host port. <see cref="Step"/>
/// applies one rising edge: every next-state value is computed from the current state and the
/// inputs, then all registers take it together. Nothing allocates per cycle.
/// Memory words are kept decoded (weights as -1/0/+1 or INT8, activations sign-extended) — the
/// decode is the combinational read path of the spec, done once on write instead of on every read.
/// </summary>
public sealed partial class Engine
{
    private readonly HardwareConfig _c;
    private readonly int _rows, _lanes, _accBits;
    private readonly uint[] _imem;
    private readonly short[] _wmem, _amem;     // [word * rows * lanes + r * lanes + j], [word * lanes + j]
    private readonly int[] _wZeros;            // zero weights per wmem word (activity counter only)
    private readonly int[] _omem;              // [word * rows + r], sign-extended AccBits values
    private readonly int[] _acc;
    private readonly PeArray _pe;
    private readonly bool _clrIgnoresLanding;

    // Controller and datapath registers.
    private bool _busy, _done, _fetch;
    private uint _pc, _ir, _wp, _ap;
    private long _rep;
    private bool _memValid;
    private uint _wAddrQ, _aAddrQ;
    private int _hostRData;

    public Engine(HardwareConfig config) : this(config, SimFault.None) { }

    internal Engine(HardwareConfig config, SimFault fault)
    {
        _c = config.Validate();
        _rows = config.Rows;
        _lanes = config.Lanes;
        _accBits = config.AccBits;
        _imem = new uint[config.InstrDepth];
        _wmem = new short[(long)config.WeightDepth * _rows * _lanes];
        _wZeros = new int[config.WeightDepth];
        Array.Fill(_wZeros, _rows * _lanes);
        _amem = new short[(long)config.ActDepth * _lanes];
        _omem = new int[config.OutDepth * _rows];
        _acc = new int[_rows];
        _pe = new PeArray(config, fault);
        _clrIgnoresLanding = fault == SimFault.ClrIgnoresLandingTile;
        Activity = new ActivityCounters(config, _pe);
    }

    public HardwareConfig Config => _c;
    public ActivityCounters Activity { get; }
    public TopOutputs Outputs => new(_busy, _done, _hostRData, _pc, _pe.OutputValid);
    public bool Busy => _busy;
    public bool Done => _done;
    public uint WeightPointer => _wp;
    public uint ActivationPointer => _ap;
    public int Accumulator(int row) => _acc[row];
    internal int PipelineStages => _pe.Stages;

    /// <summary>One rising edge with these inputs; returns the outputs visible after it.</summary>
    public TopOutputs Step(in TopInputs input)
    {
        Clock(input);
        return Outputs;
    }

    internal void Clock(in TopInputs input)
    {
        if (input.Rst)
        {
            Reset();
            HostWrite(input);
            return;
        }
        _hostRData = HostRead(input.HostRAddr, input.HostRRow);   // read-first: before an OUT writes
        Opcode op = _busy && !_fetch ? Isa.OpcodeOf(_ir) : Opcode.Nop;
        if (op == Opcode.Out) WriteOutput(Isa.OperandOf(_ir));
        UpdateAccumulators(op == Opcode.Clr);
        bool read = op == Opcode.Mac && Isa.OperandOf(_ir) != 0;
        _pe.Clock(_memValid, WeightWord(_wAddrQ), ActWord(_aAddrQ));
        if (read) Activity.Tile(_wZeros[_wp]);
        _memValid = read;
        _wAddrQ = _wp;
        _aAddrQ = _ap;
        Control(input.Start, op);
        HostWrite(input);
    }

    private void Reset()
    {
        _busy = _done = _fetch = false;
        _pc = _wp = _ap = _ir = 0;
        _rep = 0;
        _memValid = false;
        _hostRData = 0;
        Array.Clear(_acc);
        _pe.Reset();
    }

    private ReadOnlySpan<short> WeightWord(uint word) => _wmem.AsSpan((int)word * _rows * _lanes, _rows * _lanes);
    private ReadOnlySpan<short> ActWord(uint word) => _amem.AsSpan((int)word * _lanes, _lanes);

    /// <summary>acc := (CLR ? 0 : acc) + (pe valid ? pe_out : 0), wrapped to AccBits.</summary>
    private void UpdateAccumulators(bool clr)
    {
        bool add = _pe.OutputValid;
        if (!clr && !add) return;
        Activity.AccumulatorUpdate(add);
        int shift = 32 - _accBits;
        for (int r = 0; r < _rows; r++)
        {
            int sum = (clr ? 0 : _acc[r]) + (add && !(clr && _clrIgnoresLanding) ? _pe.Output(r) : 0);
            _acc[r] = (sum << shift) >> shift;
        }
    }

    private void WriteOutput(uint address)
    {
        int word = (int)(address & (uint)(_c.OutDepth - 1));
        _acc.AsSpan().CopyTo(_omem.AsSpan(word * _rows, _rows));
        Activity.OutputWrite();
    }

    private int HostRead(uint address, uint row)
    {
        int word = (int)(address & (uint)(_c.OutDepth - 1));
        uint r = row & (uint)((1 << _c.RowSelectBits) - 1);
        return r < _rows ? _omem[word * _rows + (int)r] : 0;
    }

    /// <summary>
    /// Fetch, execute and sequence: the first busy cycle fetches imem[0]; an instruction then runs
    /// for Isa.Cycles(word) cycles (its repeat counter <c>_rep</c>), and in its last cycle the next
    /// word is fetched so instructions follow with no gap. HALT's last cycle clears busy, sets done.
    /// </summary>
    private void Control(bool start, Opcode op)
    {
        if (!_busy)
        {
            if (start) { _busy = true; _done = false; _pc = 0; _fetch = true; }
            return;
        }
        if (_fetch)
        {
            _ir = _imem[0];
            _rep = 0;
            _fetch = false;
            return;
        }
        uint operand = Isa.OperandOf(_ir);
        switch (op)
        {
            case Opcode.SetW: _wp = operand & (uint)(_c.WeightDepth - 1); break;
            case Opcode.SetA: _ap = operand & (uint)(_c.ActDepth - 1); break;
            case Opcode.Mac when operand != 0:
                _wp = (_wp + 1) & (uint)(_c.WeightDepth - 1);
                _ap = (_ap + 1) & (uint)(_c.ActDepth - 1);
                break;
        }
        if (_rep + 1 < _c.InstructionCycles(_ir)) { _rep++; return; }
        Activity.InstructionIssued();
        if (op == Opcode.Halt) { _busy = false; _done = true; return; }
        _pc = (_pc + 1) & (uint)(_c.InstrDepth - 1);
        _ir = _imem[_pc];
        _rep = 0;
    }
}
