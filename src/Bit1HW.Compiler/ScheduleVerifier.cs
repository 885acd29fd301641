using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler;

/// <summary>A schedule that breaks the hardware contract; names the instruction index and cycle.</summary>
public sealed class ScheduleException(int instruction, long cycle, string word, string problem)
    : UserInputException($"instruction {instruction} ({word}) at cycle {cycle}", problem)
{
    public int InstructionIndex { get; } = instruction;
    public long Cycle { get; } = cycle;
}

/// <summary>
/// Proves a program computes the layer, by a symbolic run of the timing contract
/// (docs/hardware.md, "Timing"): a tile read in cycle t joins the accumulators in cycle t + 1 + L and
/// is visible from t + 2 + L; CLR keeps only the tile landing in its own cycle. Each accumulator
/// state is a multiset of (weight word, activation word) tiles; every OUT must see exactly the K
/// tiles of the output word it writes (MemoryLayout), each once — which catches an OUT that is too
/// early, a CLR that drops live tiles, a wrong pointer and a double count alike. It also checks the
/// encoding (defined opcodes, 1 ≤ NOP/MAC count &lt; 2^RepeatBits, operands in range, HALT last), that every tile read
/// lies in the written memory, that every output word ends up written, and the predicted cycle count.
/// Structural conflicts need no separate check: one instruction issues per cycle, MAC is the only
/// reader of wmem/amem, OUT the only writer of omem, and the host port is idle while busy.
/// Cycles 0 .. FetchCycles - 1 fetch; instruction 0 executes in cycle FetchCycles.
/// A streaming program (docs/hardware.md, "Weight streaming over AXI") is checked the same way, its
/// MACs reading stream words in order (stream word s is layout word s mod (RB · KT)), plus the
/// streaming rules: no SETW, no SETS after the first LOAD, no LOAD 0, fewer than 2^28 bursts, every
/// MAC reading only words that earlier LOADs bring, LOADs inside the external memory image, and at
/// most weightDepth words loaded beyond those read (else the last bursts never fit the ring).
/// Stall cycles are not its business: they do not change what the accumulators see (see StallPredictor).
/// </summary>
public static class ScheduleVerifier
{
    public static void Verify(ProgramImage image, MemoryLayout layout)
    {
        HardwareConfig c = image.Config;
        uint[] prog = image.Instructions;
        if (prog.Length > c.InstrDepth)
            throw new UserInputException("program", $"{prog.Length} instructions exceed the instruction memory ({c.InstrDepth} words)");
        var state = new SymbolicState(image, layout);
        long cycle = c.FetchCycles;
        for (int i = 0; i < prog.Length; i++)
        {
            uint word = prog[i];
            CheckEncoding(image, i, cycle, word);
            state.Execute(i, cycle, word);
            cycle += c.InstructionCycles(word);
        }
        if (prog.Length == 0 || Isa.OpcodeOf(prog[^1]) != Opcode.Halt)
            throw new UserInputException("program", $"missing HALT: the last of {prog.Length} instructions must be HALT");
        state.CheckAllOutputsWritten();
        state.CheckStreamDrains();
        if (cycle != image.PredictedCycles)
            throw new UserInputException("program", string.Create(CultureInfo.InvariantCulture,
                $"predicted cycles {image.PredictedCycles} but {c.FetchCycles} + Σ cycles = {cycle}"));
    }

    private static void CheckEncoding(ProgramImage image, int i, long cycle, uint word)
    {
        HardwareConfig c = image.Config;
        Opcode op = Isa.OpcodeOf(word);
        uint a = Isa.OperandOf(word);
        string? problem = op switch
        {
            _ when !Isa.IsDefined(op) => $"undefined opcode 0x{(int)op:x}",
            Opcode.Nop or Opcode.Mac or Opcode.Load when a == 0 => $"{Isa.Mnemonic(op)} 0 is not allowed (a count must be at least 1)",
            Opcode.SetW when c.IsStreaming => "SETW in a streaming program (its MACs read the weight ring in stream order; SETW would do nothing)",
            Opcode.SetS or Opcode.Load when !c.IsStreaming => $"{Isa.Mnemonic(op)} in a host-fed program (the config has no 'stream'; it would do nothing)",
            Opcode.Nop or Opcode.Mac when a >> c.RepeatBits != 0 =>
                $"{Isa.Mnemonic(op)} {a} does not fit the {c.RepeatBits}-bit repeat counter (at most {(1L << c.RepeatBits) - 1}; the hardware would run {a} mod {1L << c.RepeatBits})",
            Opcode.SetW when a >= c.WeightDepth => $"weight address {a} outside 0..{c.WeightDepth - 1}",
            Opcode.SetA when a >= c.ActDepth => $"activation address {a} outside 0..{c.ActDepth - 1}",
            Opcode.Out when a >= c.OutDepth => $"output address {a} outside 0..{c.OutDepth - 1}",
            Opcode.Clr or Opcode.Halt when a != 0 => $"{Isa.Mnemonic(op)} takes no operand but has {a}",
            Opcode.Halt when i != image.Instructions.Length - 1 => "HALT before the end of the program (the rest is unreachable)",
            _ => null,
        };
        if (problem is not null) throw new ScheduleException(i, cycle, Isa.Disassemble(word), problem);
    }

    /// <summary>Accumulator contents and in-flight tiles as sets of tile keys (weight word &lt;&lt; 32 | activation word).</summary>
    private sealed class SymbolicState(ProgramImage image, MemoryLayout layout)
    {
        private readonly int _latency = image.Config.PeLatencyCycles;
        private readonly Queue<(long Land, long Key)> _inFlight = new();
        private readonly List<long> _acc = [];
        private readonly bool[] _written = new bool[layout.OutWords];
        private readonly HardwareConfig _c = image.Config;
        private long _wp, _ap;
        // Streaming: the stream pointer (bursts), bursts queued by LOADs so far, stream words read by MACs so far.
        private long _sp, _loadedBursts, _streamRead;

        public void Execute(int i, long cycle, uint word)
        {
            Land(cycle);
            uint a = Isa.OperandOf(word);
            switch (Isa.OpcodeOf(word))
            {
                case Opcode.SetW: _wp = a; break;
                case Opcode.SetA: _ap = a; break;
                case Opcode.Clr: _acc.Clear(); break;
                case Opcode.Mac: Stream(i, cycle, word, a); break;
                case Opcode.Out: Output(i, cycle, word, (int)a); break;
                case Opcode.SetS: SetStream(i, cycle, word, a); break;
                case Opcode.Load: Load(i, cycle, word, a); break;
            }
        }

        private void SetStream(int i, long cycle, uint word, uint a)
        {
            if (_loadedBursts > 0)
                throw new ScheduleException(i, cycle, Isa.Disassemble(word), "SETS after the first LOAD (a program reads one contiguous stream)");
            _sp = a;
        }

        private void Load(int i, long cycle, uint word, uint n)
        {
            string w = Isa.Disassemble(word);
            if (_loadedBursts + n > Isa.MaxOperand)
                throw new ScheduleException(i, cycle, w, $"the LOADs queue {_loadedBursts + n} bursts in all; the 28-bit pending counter holds at most {Isa.MaxOperand}");
            ExternalMemory m = image.External!;
            ulong first = image.WeightBase + (ulong)(_sp * _c.Stream!.BurstBytes), end = first + (ulong)((_loadedBursts + n) * _c.Stream.BurstBytes);
            if (first < m.BaseAddress || end > m.BaseAddress + (ulong)m.Bytes.Length)
                throw new ScheduleException(i, cycle, w,
                    $"loads bytes 0x{first:x}..0x{end - 1:x}, outside the external memory image at 0x{m.BaseAddress:x}..0x{m.BaseAddress + (ulong)m.Bytes.Length - 1:x}");
            _loadedBursts += n;
        }

        /// <summary>Every queued burst must be issuable: the last one needs room for all loaded words beyond those the MACs read.</summary>
        public void CheckStreamDrains()
        {
            long excess = _loadedBursts * _c.WordsPerBurst - _streamRead;
            if (_c.IsStreaming && excess > _c.WeightDepth)
                throw new UserInputException("program",
                    $"the LOADs bring {excess} stream words more than the MACs read, more than the {_c.WeightDepth}-word ring holds: the last bursts could never be issued and HALT would wait forever");
        }

        // Tiles landing before `cycle` are in the accumulators at its start.
        private void Land(long cycle)
        {
            while (_inFlight.Count > 0 && _inFlight.Peek().Land < cycle) _acc.Add(_inFlight.Dequeue().Key);
        }

        private void Stream(int i, long cycle, uint word, uint n)
        {
            if (_c.IsStreaming)
            {
                StreamFromRing(i, cycle, word, n);
                return;
            }
            if (_wp + n > image.Weights.WrittenWords || _ap + n > image.Activations.WrittenWords)
                throw new ScheduleException(i, cycle, Isa.Disassemble(word),
                    $"reads wmem[{_wp}..{_wp + n - 1}] and amem[{_ap}..{_ap + n - 1}], but only {image.Weights.WrittenWords} weight and {image.Activations.WrittenWords} activation words are loaded");
            for (long k = 0; k < n; k++) _inFlight.Enqueue((cycle + k + 1 + _latency, (_wp + k) << 32 | (_ap + k)));
            _wp += n;
            _ap += n;
        }

        /// <summary>A streaming MAC reads the next n stream words, which must be loaded by earlier LOADs; stream word s is layout word s mod (RB · KT).</summary>
        private void StreamFromRing(int i, long cycle, uint word, uint n)
        {
            long loaded = _loadedBursts * _c.WordsPerBurst;
            if (_streamRead + n > loaded)
                throw new ScheduleException(i, cycle, Isa.Disassemble(word),
                    $"reads stream words {_streamRead}..{_streamRead + n - 1}, but the LOADs before it bring only {loaded} ({_loadedBursts} bursts × {_c.WordsPerBurst} words): it would wait forever");
            if (_ap + n > image.Activations.WrittenWords)
                throw new ScheduleException(i, cycle, Isa.Disassemble(word),
                    $"reads amem[{_ap}..{_ap + n - 1}], but only {image.Activations.WrittenWords} activation words are loaded");
            for (long k = 0; k < n; k++)
                _inFlight.Enqueue((cycle + k + 1 + _latency, (_streamRead + k) % layout.WeightWords << 32 | (_ap + k)));
            _streamRead += n;
            _ap += n;
        }

        private void Output(int i, long cycle, uint word, int outWord)
        {
            string w = Isa.Disassemble(word);
            if (outWord >= _written.Length)
                throw new ScheduleException(i, cycle, w, $"writes omem[{outWord}], which holds no output of this layer (0..{_written.Length - 1})");
            int t = outWord / layout.RowBlocks, b = outWord % layout.RowBlocks;
            var expected = new List<long>(layout.KTiles);
            for (int k = 0; k < layout.KTiles; k++) expected.Add((long)layout.WeightWord(b, k) << 32 | (uint)layout.ActWord(t, k));
            var have = new List<long>(_acc);
            expected.Sort();
            have.Sort();
            if (!expected.SequenceEqual(have)) throw new ScheduleException(i, cycle, w, Explain(expected, have, cycle));
            _written[outWord] = true;
        }

        private string Explain(List<long> expected, List<long> have, long cycle)
        {
            foreach (long key in expected)
            {
                if (have.Contains(key)) continue;
                foreach (var (land, k) in _inFlight)
                    if (k == key)
                        return $"tile {Name(key)} lands in cycle {land} and is visible only from cycle {land + 1}: OUT must wait (t + 2 + L rule)";
                return $"tile {Name(key)} is missing from the accumulators (cleared by a CLR or never streamed)";
            }
            foreach (long key in have)
                if (have.Count(x => x == key) > 1 || !expected.Contains(key))
                    return $"the accumulators hold tile {Name(key)}, which does not belong to this output (or is counted twice): a missing or late CLR";
            return "accumulator contents differ from the expected tiles";
        }

        private static string Name(long key) => $"wmem[{key >> 32}]·amem[{(uint)key}]";

        public void CheckAllOutputsWritten()
        {
            int missing = Array.IndexOf(_written, false);
            if (missing >= 0)
                throw new UserInputException("program", $"output word omem[{missing}] is never written by an OUT");
        }
    }
}
