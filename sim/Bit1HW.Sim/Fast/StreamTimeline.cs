using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Fast;

/// <summary>What a streaming run's memory traffic did: its stall cycles and the bursts it read, in issue order.</summary>
internal sealed record StreamTraffic(long StaticCycles, long StallCycles, List<ulong> BurstAddresses, long BytesRead, long RingWords, bool AxiError);

/// <summary>
/// The timing half of the fast path for a streaming engine. A stall freezes everything but the
/// stream engine (docs/hardware.md, "Stalls"), so the datapath of a streaming run is the static
/// schedule with the k-th tile reading stream word k, whatever the memory does; only the number of
/// stall cycles depends on it. This walks the program an instruction at a time, like the fast
/// path, but steps the stream engine and the <see cref="MemorySlave"/> through every busy cycle
/// (stretches with nothing pending or in flight in one step when the slave has no randomness): a
/// MAC's tile waits while its word has not arrived, HALT while bursts are pending or in flight.
/// The stream engine's rules are the cycle path's (<c>Engine.Stream.cs</c>); tests compare the two
/// paths on cycles, counters and sums.
/// </summary>
internal sealed class StreamTimeline
{
    private readonly HardwareConfig _c;
    private readonly MemorySlave _slave;
    private readonly int _wordsPerBurst, _burstBeats, _maxOutstanding, _beatBytes, _wordsPerBeat, _beatsPerWord;
    private readonly ulong _weightBase, _addrMask;
    private readonly List<ulong> _bursts = [];
    private uint _sp, _pending;
    private int _inFlight, _beatInBurst, _beatInWord;
    private long _issued, _received, _read, _stalls, _bytes;
    private bool _axiError;
    private readonly FastFault _fault;

    private StreamTimeline(HardwareConfig config, MemorySlave slave, ulong weightBase, FastFault fault)
    {
        _fault = fault;
        StreamConfig st = config.Stream!;
        _c = config;
        _slave = slave;
        _wordsPerBurst = config.WordsPerBurst;
        _burstBeats = st.BurstBeats;
        _maxOutstanding = st.MaxOutstanding;
        _beatBytes = st.AxiDataBits / 8;
        _wordsPerBeat = Math.Max(1, st.AxiDataBits / config.StreamWordBits);
        _beatsPerWord = Math.Max(1, config.StreamWordBits / st.AxiDataBits);
        _weightBase = weightBase;
        _addrMask = st.AxiAddrBits == 64 ? ulong.MaxValue : (1UL << st.AxiAddrBits) - 1;
    }

    /// <summary>
    /// Runs the program in <paramref name="imem"/> from its start edge (sp as after reset), the
    /// slave having seen <paramref name="edgesBeforeStart"/> idle edges before it, as the cycle path's
    /// slave sees the host's loading edges.
    /// </summary>
    public static StreamTraffic Run(HardwareConfig config, uint[] imem, MemorySlave slave, ulong weightBase, long edgesBeforeStart,
        long maxStaticCycles, FastFault fault = FastFault.None)
    {
        slave.Idle(edgesBeforeStart + 1);   // and the start edge
        var t = new StreamTimeline(config, slave, weightBase, fault);
        long staticCycles = t.Execute(imem, maxStaticCycles);
        return new StreamTraffic(staticCycles, t._stalls, t._bursts, t._bytes, t._received, t._axiError);
    }

    private long Execute(uint[] imem, long maxStaticCycles)
    {
        Cycles(_c.FetchCycles);
        long staticCycles = _c.FetchCycles;
        for (uint pc = 0; ; pc = (pc + 1) & (uint)(_c.InstrDepth - 1))
        {
            uint word = imem[pc];
            Opcode op = Isa.OpcodeOf(word);
            uint operand = Isa.OperandOf(word);
            long cycles = Isa.Cycles(word, _c.RepeatBits);
            staticCycles += cycles;
            switch (op)
            {
                case Opcode.Mac when Isa.RepeatCount(word, _c.RepeatBits) != 0:
                    for (long i = 0; i < cycles; i++)
                    {
                        while (_received <= _read) Stall(pc);
                        Cycle();
                        _read++;
                    }
                    break;
                case Opcode.Halt:
                    while ((_pending != 0 || _inFlight != 0) && _fault != FastFault.HaltIgnoresTraffic) Stall(pc);
                    Cycle();
                    return staticCycles;
                case Opcode.SetS:
                    Cycle();
                    _sp = operand;
                    break;
                case Opcode.Load:
                    Cycle();
                    _pending = (_pending + operand) & Isa.OperandMask;
                    _sp = (_sp + operand) & Isa.OperandMask;
                    break;
                default:
                    Cycles(cycles);
                    break;
            }
            if (staticCycles > maxStaticCycles)
                throw new InvalidOperationException($"the engine is still busy after {maxStaticCycles} cycles");
        }
    }

    private void Stall(uint pc)
    {
        if (_pending == 0 && _inFlight == 0 && _received <= _read)
            throw new InvalidOperationException($"instruction {pc}: a MAC waits for stream word {_received}, but no burst is pending or in flight (the program's LOADs bring too few words)");
        _stalls++;
        Cycle();
    }

    /// <summary><paramref name="count"/> cycles in which the controller does not touch the stream engine.</summary>
    private void Cycles(long count)
    {
        for (; count > 0; count--)
        {
            if (_pending == 0 && _inFlight == 0)
            {
                _slave.Idle(count);
                return;
            }
            Cycle();
        }
    }

    /// <summary>One busy cycle of the stream engine and the slave; decisions from the state at its start.</summary>
    private void Cycle()
    {
        bool arValid = _pending != 0 && _inFlight < _maxOutstanding && _issued + _wordsPerBurst - _read <= _c.WeightDepth;
        ulong address = (_weightBase + ((_sp - _pending) & Isa.OperandMask) * (ulong)_c.Stream!.BurstBytes) & _addrMask;
        bool handshake = arValid && _slave.ArReady, beat = _slave.RValid && _inFlight > 0;
        if (beat && _slave.RResp != 0) _axiError = true;
        _slave.Clock(new TopOutputs(true, false, 0, 0, false, arValid, address, _burstBeats - 1, RReady: true));
        if (handshake)
        {
            _pending = (_pending - 1) & Isa.OperandMask;
            _inFlight++;
            _issued += _wordsPerBurst;
            _bursts.Add(address);
        }
        if (!beat) return;
        _bytes += _beatBytes;
        if (_beatsPerWord == 1) _received += _wordsPerBeat;
        else if (++_beatInWord == _beatsPerWord)
        {
            _beatInWord = 0;
            _received++;
        }
        if (++_beatInBurst == _burstBeats)
        {
            _beatInBurst = 0;
            _inFlight--;
        }
    }
}
