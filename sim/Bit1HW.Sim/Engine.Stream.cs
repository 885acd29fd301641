using System.Numerics;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>
/// The stream engine of a streaming configuration (docs/hardware.md, "Weight streaming over AXI"):
/// <c>sp</c> and <c>pending</c> (28-bit, set by SETS/LOAD), the AR channel (a burst is presented while
/// one is pending, fewer than maxOutstanding are in flight and the ring has room for it; the
/// conditions only improve until its handshake, so arvalid stays up with a stable address), the
/// R channel (rready always 1; each accepted beat's words go into the ring in stream order) and the
/// stall rule. The ring is wmem itself: stream word n lives in slot n mod weightDepth, and the k-th
/// tile read since start reads slot k mod weightDepth. Counters are words since start: issued
/// (WordsPerBurst per handshake), received and read; room = weightDepth − (issued − read).
/// </summary>
public sealed partial class Engine
{
    /// <summary>The constants of a streaming configuration (zero-sized for a host-fed one).</summary>
    private sealed class StreamShape
    {
        public readonly int WordsPerBurst, BurstBeats, MaxOutstanding, WordBits, BeatBits, BurstBytes, ArSize;
        public readonly int BeatsPerWord;         // > 1 when a word spans several beats, else 1
        public readonly ulong AddrMask;
        public readonly bool Base3;
        public readonly uint[] WordLimbs;         // a word that spans several beats, assembled

        public StreamShape(HardwareConfig config)
        {
            if (config.Stream is not { } st) { WordLimbs = []; return; }
            WordsPerBurst = config.WordsPerBurst;
            BurstBeats = st.BurstBeats;
            MaxOutstanding = st.MaxOutstanding;
            WordBits = config.StreamWordBits;
            BeatBits = st.AxiDataBits;
            BurstBytes = st.BurstBytes;
            ArSize = BitOperations.Log2((uint)st.AxiDataBits / 8);
            BeatsPerWord = Math.Max(1, WordBits / BeatBits);
            AddrMask = st.AxiAddrBits == 64 ? ulong.MaxValue : (1UL << st.AxiAddrBits) - 1;
            Base3 = st.Packing == WeightPacking.Base3;
            WordLimbs = new uint[MemoryImage.LimbCount(WordBits)];
        }
    }

    private readonly bool _streaming;
    private readonly StreamShape _s;
    private readonly short[] _ringRead;         // the weight read register: the ring word read in the last MAC cycle
    private ulong _weightBase;
    private uint _sp, _pending;
    private int _inFlight, _beatInBurst, _beatInWord;
    private long _issuedWords, _receivedWords, _readWords;
    private bool _axiError;

    /// <summary>arvalid: a burst is pending, fewer than maxOutstanding are in flight, and the ring has room for its words.</summary>
    private bool ArValid => _streaming && _pending != 0 && _inFlight < _s.MaxOutstanding
        && (_issuedWords + _s.WordsPerBurst - _readWords <= _c.WeightDepth || _fault == SimFault.IssueIgnoresRingRoom);

    /// <summary>The next burst's address: weight_base + (sp − pending) · BurstBytes, modulo 2^axiAddrBits.</summary>
    private ulong ArAddr => (_weightBase + ((_sp - _pending) & Isa.OperandMask) * (ulong)_s.BurstBytes) & _s.AddrMask;

    /// <summary>The executing instruction cannot proceed: a MAC whose stream word has not arrived, or HALT with traffic outstanding.</summary>
    private bool Stalled(Opcode executing) => _streaming
        && (executing == Opcode.Mac && _macReads && _receivedWords + (_fault == SimFault.MacReadsBeforeWordArrives ? 1 : 0) <= _readWords
            || executing == Opcode.Halt && (_pending != 0 || _inFlight != 0));

    private TopOutputs StreamOutputs(bool accEn, bool stalled) => _streaming
        ? new(_busy, _done, _hostRData, _pc, accEn, ArValid, ArAddr, _s.BurstBeats - 1,
            _s.ArSize, 1, true, stalled, _axiError)
        : new(_busy, _done, _hostRData, _pc, accEn);

    /// <summary>The executing MAC stalls for a word that nothing pending or in flight will bring: it would stall forever.</summary>
    public bool StarvedForever => Stalled(ExecutingOpcode) && _op == Opcode.Mac && _pending == 0 && _inFlight == 0;

    /// <summary>Stream words the ring has received since start (0 on a host-fed engine).</summary>
    public long StreamWordsReceived => _receivedWords;

    /// <summary>The start edge: the ring is empty, nothing is pending or in flight; weight_base is sampled.</summary>
    private void RestartStream(ulong weightBase)
    {
        _weightBase = weightBase;
        _pending = 0;
        _inFlight = _beatInBurst = _beatInWord = 0;
        _issuedWords = _receivedWords = _readWords = 0;
        _axiError = false;
    }

    /// <summary>rst: as a start, and sp := 0.</summary>
    private void ResetStream()
    {
        RestartStream(0);
        _sp = 0;
    }

    /// <summary>SETS a / LOAD n, executed (not stalled) in this cycle.</summary>
    private void StreamInstruction(Opcode op, uint operand)
    {
        if (op == Opcode.SetS) _sp = operand;
        else
        {
            _pending = (_pending + operand) & Isa.OperandMask;
            _sp = (_sp + operand) & Isa.OperandMask;
        }
    }

    /// <summary>
    /// The AXI side of one edge: the AR handshake (arvalid and arready, from the state before the edge) and
    /// the acceptance of a beat (rvalid; rready is 1). A beat with nothing in flight is ignored (the
    /// co-simulation's protocol checker reports it).
    /// </summary>
    private void StreamClock(in TopInputs input, bool handshake)
    {
        if (handshake)
        {
            _pending = (_pending - 1) & Isa.OperandMask;
            _inFlight++;
            _issuedWords += _s.WordsPerBurst;
            Activity.Burst();
        }
        if (!input.RValid || _inFlight == 0) return;
        uint[] beat = input.RData ?? throw new ArgumentException("rvalid = 1 needs RData", nameof(input));
        if (input.RResp != 0) _axiError = true;
        Activity.BeatRead(_s.BeatBits / 8);
        AcceptBeat(beat);
        if (++_beatInBurst == _s.BurstBeats)
        {
            _beatInBurst = 0;
            _inFlight--;
        }
    }

    /// <summary>Writes the beat's words into the ring in stream order (a word spanning beats when its last beat arrives).</summary>
    private void AcceptBeat(uint[] beat)
    {
        if (_s.BeatsPerWord == 1)
        {
            for (int offset = 0; offset + _s.WordBits <= _s.BeatBits; offset += _s.WordBits) StoreStreamWord(beat, offset);
            return;
        }
        int limbs = _s.BeatBits / 32;
        Array.Copy(beat, 0, _s.WordLimbs, _beatInWord * limbs, limbs);
        if (++_beatInWord < _s.BeatsPerWord) return;
        _beatInWord = 0;
        StoreStreamWord(_s.WordLimbs, 0);
    }

    /// <summary>Decodes the stream word at bit <paramref name="offset"/> of <paramref name="limbs"/> into ring slot received mod weightDepth.</summary>
    private void StoreStreamWord(uint[] limbs, int offset)
    {
        int n = _rows * _lanes, slot = (int)(_receivedWords & _wMask), zeros = 0;
        Span<short> dst = _wmem.AsSpan(slot * n, n);
        StreamWord.Decode(limbs, offset, _s.Base3, dst);
        foreach (short w in dst) if (w == 0) zeros++;
        _wZeros[slot] = zeros;
        _receivedWords++;
        Activity.RingWrite();
    }
}
