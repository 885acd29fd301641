using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler;

/// <summary>
/// A streaming run as the compiler predicts it: <see cref="Cycles"/> = <see cref="StaticCycles"/> +
/// <see cref="StallCycles"/> busy cycles (docs/hardware.md, "Stalls"), the stall cycles split by
/// cause, and the external memory traffic (every burst the program LOADs is read whole).
/// </summary>
public sealed record StreamPrediction(long Cycles, long StaticCycles, long StallCycles, long MacStallCycles, long HaltStallCycles,
    long Bursts, long BytesRead, long MacTiles);

/// <summary>
/// Predicts a streaming program's stall cycles exactly under a <see cref="MemoryTiming"/>, by its
/// own reading of docs/hardware.md ("The stream engine", "Stalls", "Memory timing model"); it
/// shares no code with the simulator. One step per busy cycle c, every decision taken from the
/// state at the start of c (registers), every effect visible from c + 1:
/// <list type="bullet">
/// <item>the stream engine presents the next burst when bursts are pending, fewer than maxOutstanding
/// are in flight and received + in-flight + WordsPerBurst − read ≤ weightDepth words; the model slave
/// takes it in that cycle (A_j = c), and its beats are then fixed: the first at
/// max(t_prev + den/num, A_j + L_m), the others den/num apart, each presented and accepted in cycle
/// ceil(t) (times are kept scaled by num, so integer);</item>
/// <item>a MAC cycle reading stream word k stalls while fewer than k + 1 words have been received;
/// HALT stalls while bursts are pending or in flight; LOAD n queues n bursts;</item>
/// <item>a beat accepted in c adds its completed words to the received count (a word is complete at
/// the beat holding its last bit) and ends its burst if it is the burst's last beat.</item>
/// </list>
/// At most one beat arrives per cycle (BeatsPerCycle ≤ 1) and at most one address is taken.
/// </summary>
public static class StallPredictor
{
    public static StreamPrediction Predict(HardwareConfig config, ReadOnlySpan<uint> program, MemoryTiming timing)
    {
        config.Validate();
        timing.Validate();
        if (!config.IsStreaming) throw new ArgumentException("a host-fed config has no stream to predict", nameof(config));
        var run = new Run(config, timing);
        long cycle = config.FetchCycles, staticCycles = config.FetchCycles;
        for (int i = 0; i < program.Length; i++)
        {
            uint word = program[i];
            staticCycles += config.InstructionCycles(word);
            Opcode op = Isa.OpcodeOf(word);
            if (op == Opcode.Halt)
            {
                while (run.Busy) run.Stall(ref cycle, halt: true);
                run.Step(ref cycle);
                return run.Result(cycle, staticCycles);
            }
            long n = config.InstructionCycles(word);
            bool reads = op == Opcode.Mac && Isa.RepeatCount(word, config.RepeatBits) != 0;
            if (op == Opcode.Load) run.Step(ref cycle, queueBursts: Isa.OperandOf(word));
            else if (!reads) run.Idle(ref cycle, n);
            else
                for (long k = 0; k < n; k++)
                {
                    while (!run.WordReady) run.Stall(ref cycle, halt: false);
                    run.Step(ref cycle, readWord: true);
                }
        }
        throw new ArgumentException("the program has no HALT", nameof(program));
    }

    /// <summary>The stream engine and the model slave, advanced one busy cycle at a time.</summary>
    private sealed class Run(HardwareConfig c, MemoryTiming timing)
    {
        private readonly int _wordsPerBurst = c.WordsPerBurst, _beats = c.Stream!.BurstBeats, _maxOutstanding = c.Stream.MaxOutstanding;
        private readonly long _num = timing.BeatsPerCycleNum, _den = timing.BeatsPerCycleDen, _latency = timing.FirstBeatLatencyCycles;
        private readonly int _beatBits = c.Stream.AxiDataBits, _wordBits = c.StreamWordBits;
        // Beats of issued bursts not yet accepted: (cycle, last beat of its burst), in order.
        private readonly Queue<(long Cycle, bool Last)> _beatsDue = new();
        private long _pending, _outstanding, _inFlightWords, _received, _read, _beatIndex;
        private long _lastBeatTime = long.MinValue;   // scaled by num
        private long _bursts, _macStalls, _haltStalls;

        public bool Busy => _pending > 0 || _outstanding > 0;
        public bool WordReady => _received >= _read + 1;
        private bool CanIssue => _pending > 0 && _outstanding < _maxOutstanding
            && _received + _inFlightWords + _wordsPerBurst - _read <= c.WeightDepth;

        /// <summary>A stall cycle; one that nothing in flight or issuable can ever end is a program the verifier rejects.</summary>
        public void Stall(ref long cycle, bool halt)
        {
            if (_outstanding == 0 && !CanIssue)
                throw new InvalidOperationException($"cycle {cycle}: the program waits for stream words no LOAD brings or the ring cannot take (the schedule verifier rejects it)");
            if (halt) _haltStalls++;
            else _macStalls++;
            Step(ref cycle);
        }

        /// <summary><paramref name="n"/> cycles in which the controller neither reads the ring nor queues bursts.</summary>
        public void Idle(ref long cycle, long n)
        {
            for (long k = 0; k < n; k++) Step(ref cycle);
        }

        /// <summary>One cycle: the stream engine's decision and the beat due in it, on start-of-cycle state; then the controller's effect.</summary>
        public void Step(ref long cycle, long queueBursts = 0, bool readWord = false)
        {
            if (CanIssue) Issue(cycle);
            if (_beatsDue.Count > 0 && _beatsDue.Peek().Cycle == cycle) Accept();
            if (readWord) _read++;
            _pending += queueBursts;
            cycle++;
        }

        private void Issue(long handshake)
        {
            _pending--;
            _outstanding++;
            _inFlightWords += _wordsPerBurst;
            _bursts++;
            for (int b = 0; b < _beats; b++)
            {
                long t = _lastBeatTime == long.MinValue ? long.MinValue : _lastBeatTime + _den;
                if (b == 0) t = Math.Max(t, (handshake + _latency) * _num);
                _lastBeatTime = t;
                _beatsDue.Enqueue(((t + _num - 1) / _num, b == _beats - 1));
            }
        }

        private void Accept()
        {
            var (_, last) = _beatsDue.Dequeue();
            long words = (_beatIndex + 1) * _beatBits / _wordBits - _beatIndex * _beatBits / _wordBits;
            _beatIndex++;
            _received += words;
            _inFlightWords -= words;
            if (last) _outstanding--;
        }

        public StreamPrediction Result(long cycles, long staticCycles) => new(cycles, staticCycles, cycles - staticCycles,
            _macStalls, _haltStalls, _bursts, _bursts * c.Stream!.BurstBytes, _read);
    }
}
