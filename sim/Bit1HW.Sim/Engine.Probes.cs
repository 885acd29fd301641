using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>
/// Read-only views of registers that are not ports, for waveforms (<see cref="VcdWriter"/>). The
/// per-cycle path never calls them.
/// </summary>
public sealed partial class Engine
{
    /// <summary>Busy and still in the fetch cycles before instruction 0 executes.</summary>
    internal bool Fetching => _busy && _fetchLeft > 0;
    internal uint ProgramCounter => _pc;
    /// <summary>The decoded instruction register as a word (opcode and operand).</summary>
    internal uint InstructionRegister => ((uint)_op << Isa.OperandBits) | _operand;
    internal long RepeatCount => _rep;
    /// <summary>The memory read registers hold a tile this cycle (the PE array's input is valid).</summary>
    internal bool TileDataValid => _memValid;
    internal bool PeOutputValid => _pe.OutputValid;
    /// <summary>The PE output is added into the accumulators this cycle (dbg_acc_en: valid and not a stall cycle).</summary>
    internal bool AccumulatorEnable => _pe.OutputValid && !Stalled(ExecutingOpcode);
    internal int PeOutput(int row) => _pe.Output(row);

    /// <summary>The instruction executing in the cycle after the last edge (NOP while idle or fetching).</summary>
    internal Opcode ExecutingOpcode => _busy && _fetchLeft == 0 ? _op : Opcode.Nop;

    /// <summary>A MAC reads a tile from wmem and amem in the cycle after the last edge.</summary>
    internal bool MacReading => ExecutingOpcode == Opcode.Mac && _macReads && !Stalled(ExecutingOpcode);

    /// <summary>The wmem word a reading MAC reads: the ring slot of the next stream word on a streaming engine, else wp.</summary>
    internal uint WeightReadAddress => _streaming ? (uint)(_readWords & _wMask) : _wp;

    /// <summary>Streaming engines: the stream engine's registers.</summary>
    internal uint StreamPointer => _sp;
    internal uint PendingBursts => _pending;
    internal int BurstsInFlight => _inFlight;
    internal bool Stalling => Stalled(ExecutingOpcode);

    /// <summary>The executing instruction's operand (OUT's output word).</summary>
    internal uint Operand => _operand;
}
