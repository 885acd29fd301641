using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>
/// Read-only views of registers that are not ports, for waveforms (<see cref="VcdWriter"/>). The
/// per-cycle path never calls them.
/// </summary>
public sealed partial class Engine
{
    internal bool Fetching => _fetch;
    internal uint ProgramCounter => _pc;
    internal uint InstructionRegister => _ir;
    internal long RepeatCount => _rep;
    /// <summary>The memory read registers hold a tile this cycle (the PE array's input is valid).</summary>
    internal bool TileDataValid => _memValid;
    internal bool PeOutputValid => _pe.OutputValid;
    internal int PeOutput(int row) => _pe.Output(row);

    /// <summary>The instruction executing in the cycle after the last edge (NOP while idle or fetching).</summary>
    internal Opcode ExecutingOpcode => _busy && !_fetch ? Isa.OpcodeOf(_ir) : Opcode.Nop;
}
