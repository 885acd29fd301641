using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Sim;

/// <summary>
/// The whole engine, register by register (docs/hardware.md): memories with registered reads, the
/// controller (busy, done, fetch counter, pc, decoded instruction register, repeat counter, wp, ap), the PE
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
    private readonly SimFault _fault;
    private readonly int _repeatBits;
    private readonly uint _wMask, _aMask, _oMask, _iMask, _rowMask;   // address widths of the memories and host_rrow

    // Controller registers: the instruction register holds the word decoded (opcode, operand, its
    // cycle count, whether a MAC reads), as the contract's registered decode does.
    private bool _busy, _done;
    private int _fetchLeft;
    private uint _pc, _wp, _ap;
    private Opcode _op;
    private uint _operand;
    private long _cycles, _rep;
    private bool _macReads;
    // Datapath registers.
    private bool _memValid;
    private uint _wAddrQ, _aAddrQ;
    private int _hostRData;

    public Engine(HardwareConfig config) : this(config, SimFault.None) { }

    /// <summary>An engine with a deliberate bug (tests show co-simulation catches each); <see cref="SimFault.None"/> is the real engine.</summary>
    public Engine(HardwareConfig config, SimFault fault)
    {
        _c = config.Validate();
        _streaming = config.IsStreaming;
        _s = new StreamShape(config);
        _ringRead = new short[_streaming ? config.Rows * config.Lanes : 0];
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
        _fault = fault;
        _repeatBits = fault == SimFault.FullWidthRepeatCount ? Isa.OperandBits : config.RepeatBits;
        Activity = new ActivityCounters(config, _pe);
        _wMask = (uint)config.WeightDepth - 1;
        _aMask = (uint)config.ActDepth - 1;
        _oMask = (uint)config.OutDepth - 1;
        _iMask = (uint)config.InstrDepth - 1;
        _rowMask = (1u << config.RowSelectBits) - 1;
    }

    public HardwareConfig Config => _c;
    public ActivityCounters Activity { get; }
    public TopOutputs Outputs
    {
        get
        {
            bool stalled = Stalled(ExecutingOpcode);
            return StreamOutputs(_pe.OutputValid && !stalled, stalled);
        }
    }
    public bool Busy => _busy;
    public bool Done => _done;
    public uint WeightPointer => _wp;
    public uint ActivationPointer => _ap;
    public int Accumulator(int row) => _acc[row];

    /// <summary>Observation point (coverage): the instruction that executes in the cycle after the last
    /// edge, or null while idle or fetching; <see cref="ExecutingInstruction.CycleIndex"/> 0 is its first cycle.</summary>
    public ExecutingInstruction? Executing => _busy && _fetchLeft == 0 ? new ExecutingInstruction(_op, _operand, _rep) : null;

    /// <summary>Observation point (coverage): row <paramref name="row"/>'s PE output as the accumulators
    /// take it at the next edge, the exact dot product while <c>dbg_acc_en</c> = 1 and 0 otherwise.</summary>
    public int AccumulatorInput(int row) => _pe.OutputValid ? _pe.Output(row) : 0;
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
        Opcode op = ExecutingOpcode;
        bool stalled = Stalled(op), handshake = _streaming && ArValid && input.ArReady;
        if (stalled) Activity.StallCycle();   // only the stream engine and the host port move
        else Execute(input, op);
        if (_streaming) StreamClock(input, handshake);   // after the reads: a slot read at this edge keeps its old word
        HostWrite(input);
    }

    /// <summary>Everything but the stream engine and the host port, in a cycle that is not a stall.</summary>
    private void Execute(in TopInputs input, Opcode op)
    {
        if (op == Opcode.Out) WriteOutput(_operand);
        UpdateAccumulators(op == Opcode.Clr);
        bool read = op == Opcode.Mac && _macReads;
        _pe.Clock(_memValid, _streaming ? _ringRead : WeightWord(_wAddrQ), ActWord(_aAddrQ));
        // A streaming engine's k-th tile since start reads ring slot k into its read register; a
        // host-fed one reads wmem[wp] (kept as an address: nothing writes wmem while busy).
        uint weightAddr = _streaming ? (uint)(_readWords & _wMask) : _wp;
        if (read)
        {
            Activity.Tile(_wZeros[weightAddr]);
            if (_streaming)
            {
                WeightWord(weightAddr).CopyTo(_ringRead);
                _readWords++;
            }
        }
        _memValid = read;
        _wAddrQ = weightAddr;
        _aAddrQ = _ap;
        Control(input, op);
    }

    private void Reset()
    {
        _busy = _done = false;
        _fetchLeft = 0;
        _pc = _wp = _ap = 0;
        Decode(0);
        _memValid = false;
        _hostRData = 0;
        Array.Clear(_acc);
        _pe.Reset();
        if (_streaming) ResetStream();
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
        int word = (int)(address & _oMask);
        _acc.AsSpan().CopyTo(_omem.AsSpan(word * _rows, _rows));
        Activity.OutputWrite();
    }

    private int HostRead(uint address, uint row)
    {
        int word = (int)(address & _oMask);
        uint r = row & _rowMask;
        return r < _rows ? _omem[word * _rows + (int)r] : 0;
    }

    /// <summary>
    /// Fetch, execute and sequence: the first FetchCycles busy cycles fetch and decode imem[0]; an
    /// instruction then runs for InstructionCycles(word) cycles (its repeat counter <c>_rep</c>), and
    /// the next word is decoded by the end of its last cycle, so instructions follow with no gap
    /// (the program has no branches: the next word is always imem[pc + 1]). A MAC whose count is 0
    /// modulo 2^RepeatBits reads nothing and moves no pointer. HALT's last cycle clears busy, sets done.
    /// SETW is a no-op on a streaming engine, SETS and LOAD on a host-fed one. Never called in a stall cycle.
    /// </summary>
    private void Control(in TopInputs input, Opcode op)
    {
        if (!_busy)
        {
            if (!input.Start) return;
            _busy = true;
            _done = false;
            _pc = 0;
            _fetchLeft = _c.FetchCycles;
            if (_streaming) RestartStream(input.WeightBase);
            return;
        }
        if (_fetchLeft > 0)
        {
            if (--_fetchLeft == 0) Decode(_imem[0]);
            return;
        }
        switch (op)
        {
            case Opcode.SetW when !_streaming: _wp = _operand & _wMask; break;
            case Opcode.SetS or Opcode.Load when _streaming: StreamInstruction(op, _operand); break;
            case Opcode.SetA: _ap = _operand & _aMask; break;
            case Opcode.Mac when _macReads:
                _wp = (_wp + 1) & _wMask;
                _ap = (_ap + 1) & _aMask;
                break;
        }
        if (++_rep < _cycles) return;
        Activity.InstructionIssued();
        if (op == Opcode.Halt) { _busy = false; _done = true; return; }
        _pc = (_pc + 1) & _iMask;
        Decode(_imem[_pc]);
    }

    /// <summary>Loads the instruction register: the word's fields, its cycle count and the repeat counter.</summary>
    private void Decode(uint word)
    {
        _op = Isa.OpcodeOf(word);
        _operand = Isa.OperandOf(word);
        _cycles = Isa.Cycles(word, _repeatBits);
        _macReads = _op == Opcode.Mac && Isa.RepeatCount(word, _repeatBits) != 0;
        _rep = 0;
    }
}

/// <summary>An instruction in execution: its opcode (possibly undefined), its 28-bit operand and which of its cycles comes next (0 = the first).</summary>
public readonly record struct ExecutingInstruction(Opcode Op, uint Operand, long CycleIndex);
