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
    internal int PeOutput(int row) => _pe.Output(row);

    /// <summary>The instruction executing in the cycle after the last edge (NOP while idle or fetching).</summary>
    internal Opcode ExecutingOpcode => _busy && _fetchLeft == 0 ? _op : Opcode.Nop;

    /// <summary>A MAC reads a tile from wmem and amem in the cycle after the last edge.</summary>
    internal bool MacReading => ExecutingOpcode == Opcode.Mac && _macReads;

    /// <summary>The executing instruction's operand (OUT's output word).</summary>
    internal uint Operand => _operand;
}
