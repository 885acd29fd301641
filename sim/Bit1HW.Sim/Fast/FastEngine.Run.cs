using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Fast;

public sealed partial class FastEngine
{
    /// <summary>
    /// Pulses start and runs the program in imem until HALT completes: the start edge, FetchCycles
    /// fetch cycles, then every instruction for InstructionCycles(word) cycles, back to back
    /// (docs/hardware.md, "Timing"). Returns the busy cycles, N = FetchCycles + Σ cycles.
    /// Throws when no HALT is reached within <paramref name="maxBusyCycles"/>.
    /// </summary>
    public long Run(long maxBusyCycles)
    {
        long start = _edge;
        long cycle = start + 1 + _c.FetchCycles;     // the edge in which instruction 0 executes
        uint pc = 0;
        _done = false;
        _streamRead = 0;
        while (true)
        {
            uint word = _imem[pc];
            long cycles = Isa.Cycles(word, _repeatBits);
            Opcode op = Isa.OpcodeOf(word);
            switch (op)
            {
                case Opcode.SetW when !_streaming: _wp = Isa.OperandOf(word) & (uint)(_c.WeightDepth - 1); break;
                case Opcode.SetA: _ap = Isa.OperandOf(word) & (uint)(_c.ActDepth - 1); break;
                case Opcode.Mac when Isa.RepeatCount(word, _repeatBits) != 0: Read(cycle, (int)cycles); break;
                case Opcode.Clr: Clear(cycle); break;
                case Opcode.Out: Output(cycle, Isa.OperandOf(word)); break;
            }
            Activity.InstructionIssued();
            cycle += cycles;
            if (op == Opcode.Halt) break;
            if (cycle - start - 1 > maxBusyCycles)
                throw new InvalidOperationException($"the engine is still busy after {maxBusyCycles} cycles");
            pc = (pc + 1) & (uint)(_c.InstrDepth - 1);
        }
        _pc = pc;
        _done = true;
        _edge = cycle;
        LandBefore(_edge);
        _pending.Freeze(_tileValues);
        return cycle - start - 1;
    }

    /// <summary>MAC n from cycle <paramref name="cycle"/>: tile i reads wmem[wp + i], amem[ap + i] (modulo the depths) and lands in cycle + i + 1 + L.</summary>
    private void Read(long cycle, int count)
    {
        long land = cycle + 1 + _latency;
        int done = 0;
        while (done < count)
        {
            // A block never runs past the end of either memory: split where a pointer wraps. A
            // streaming engine's tiles read stream words in order (its store is the whole stream).
            int weight = _streaming ? (int)_streamRead : (int)_wp;
            int n = Math.Min(count - done, Math.Min(_wmem.Depth - weight, _c.ActDepth - (int)_ap));
            if (n == 0) throw new InvalidOperationException($"a MAC reads stream word {weight}, past the {_wmem.Depth} words the stream brought");
            _pending.Add(land + done, n, weight, (int)_ap);
            Activity.Tiles(n, _wmem.ZerosIn(weight, n));
            _streamRead += _streaming ? n : 0;
            _wp = (_wp + (uint)n) & (uint)(_c.WeightDepth - 1);
            _ap = (_ap + (uint)n) & (uint)(_c.ActDepth - 1);
            done += n;
        }
    }

    /// <summary>CLR in <paramref name="cycle"/>: acc := 0 + the tile landing in this cycle, so what landed before is dropped uncomputed.</summary>
    private void Clear(long cycle)
    {
        long before = _fault == FastFault.ClrDropsLandingTile ? cycle + 1 : cycle;
        bool landsNow = _pending.LandsAt(before);
        long dropped = _pending.IsEmpty ? 0 : _pending.TakeBefore(before, _dropSegment, _dropFrozen);
        Array.Clear(_acc);
        // One accumulator load per cycle: the landing tile's cycle is counted when it lands.
        Activity.AccumulatorUpdates(dropped + (landsNow ? 0 : 1), dropped);
    }

    /// <summary>OUT a in <paramref name="cycle"/>: omem[a] := the accumulators at the start of the cycle.</summary>
    private void Output(long cycle, uint address)
    {
        LandBefore(_fault == FastFault.OutSeesLandingTile ? cycle + 1 : cycle);
        int word = (int)(address & (uint)(_c.OutDepth - 1));
        for (int r = 0; r < _rows; r++) _omem[word * _rows + r] = Wrap(_acc[r]);
        Activity.OutputWrite();
    }

    private int[] TileValues(int weight, int act)
    {
        var values = new int[_rows];
        TileKernel.Accumulate(_layout, _wmem, weight, _amem, act, 1, values, _partials, Kernel);
        return values;
    }
}
