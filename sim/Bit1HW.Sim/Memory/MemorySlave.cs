using System.Buffers.Binary;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>
/// An AXI4 read slave in front of an <see cref="ExternalMemory"/>, timed by a <see cref="MemoryModel"/>
/// (docs/hardware.md, "Memory timing model"). It accepts an address in any cycle in which arready is
/// 1 (always, unless backpressure withholds it) and returns each burst's arlen + 1 beats in order,
/// INCR from araddr. Number every beat of the run g = 0, 1, …: beat g is due at the rational time
/// t_g = max(t_(g−1) + den/num, A_j + L_m) if it is the first beat of the burst whose handshake was
/// in cycle A_j, and t_(g−1) + den/num otherwise; it is presented in cycle ceil(t_g). A beat held
/// back by an rvalid gap (or not taken because rready is 0) and presented in a later cycle c instead
/// counts as due at c for the next one. Times are kept exactly, in units of 1/num cycle. Bytes
/// outside the image come back as zeros with rresp = DECERR (11). As AXI requires, a beat shown
/// (rvalid = 1) and not taken (rready = 0) stays shown, unchanged, until it is taken; arready may
/// come and go.
///
/// The signals of the current cycle are its properties (a function of its state and of the random
/// draws made for the cycle, never of the master's signals in the same cycle); <see cref="Clock"/>
/// applies the rising edge that ends the cycle, given what the master showed in it.
/// <see cref="Drive"/> puts the signals on an engine's inputs. Nothing allocates per cycle once the
/// burst queue has reached the master's outstanding limit.
/// </summary>
public sealed class MemorySlave
{
    private const int Decerr = 3;
    private readonly ExternalMemory _memory;
    private readonly int _beatBytes, _latency, _num, _den, _arGap, _rGap;
    private readonly SplitMix64 _random;
    private readonly Queue<(ulong Address, int Beats, long HandshakeCycle)> _bursts = new();
    private readonly uint[] _data;
    private long _cycle;
    private long _previousDue = long.MinValue;   // t_(g−1) · num
    private long _due;                           // t_g · num of the beat at the head, when _timed
    private bool _timed, _arHeld, _rHeld, _rPending;   // _rPending: a beat shown and not taken stays shown (AXI)
    private int _beat;

    public MemorySlave(HardwareConfig config, ExternalMemory memory, MemoryModel model)
    {
        StreamConfig stream = config.Stream ?? throw new ArgumentException("a memory slave needs a streaming config", nameof(config));
        _memory = memory;
        Model = model.Validate();
        _beatBytes = stream.AxiDataBits / 8;
        _latency = model.Timing.FirstBeatLatencyCycles;
        _num = model.Timing.BeatsPerCycleNum;
        _den = model.Timing.BeatsPerCycleDen;
        _arGap = model.ArReadyGapPercent;
        _rGap = model.RValidGapPercent;
        _random = new SplitMix64(model.Seed);
        _data = new uint[stream.AxiDataBits / 32];
        Draw();
        Present();
    }

    public MemoryModel Model { get; }
    public bool ArReady { get; private set; }
    public bool RValid { get; private set; }
    /// <summary>m_axi_rdata as little-endian limbs (the same array every cycle; meaningful while <see cref="RValid"/>).</summary>
    public uint[] RData => _data;
    public int RResp { get; private set; }
    public bool RLast { get; private set; }
    /// <summary>Bursts accepted whose last beat has not been taken yet.</summary>
    public int Outstanding => _bursts.Count;

    /// <summary><paramref name="inputs"/> with this cycle's slave signals on the AXI inputs.</summary>
    public TopInputs Drive(in TopInputs inputs) =>
        inputs with { ArReady = ArReady, RValid = RValid, RData = _data, RResp = RResp, RLast = RLast };

    /// <summary>The edge ending the current cycle, in which the master showed <paramref name="master"/>.</summary>
    public void Clock(in TopOutputs master)
    {
        if (master.ArValid && ArReady) _bursts.Enqueue((master.ArAddr, master.ArLen + 1, _cycle));
        _rPending = RValid && !master.RReady;
        if (RValid && master.RReady)
        {
            _previousDue = _cycle == Ceiling(_due) ? _due : _cycle * _num;
            _timed = false;
            if (++_beat == _bursts.Peek().Beats)
            {
                _bursts.Dequeue();
                _beat = 0;
            }
        }
        _cycle++;
        Draw();
        Present();
    }

    /// <summary>
    /// <paramref name="edges"/> edges in which the master presents nothing, with no burst outstanding:
    /// one step for a slave without randomness, else edge by edge (the draws depend on the cycle).
    /// </summary>
    public void Idle(long edges)
    {
        if (_bursts.Count != 0) throw new InvalidOperationException("Idle with bursts outstanding");
        if (Model.HasBackpressure)
        {
            for (long e = 0; e < edges; e++) Clock(default);
            return;
        }
        _cycle += edges;
        Present();
    }

    /// <summary>The random gaps of the new cycle: two draws every cycle, so the sequence depends on the seed and the cycle only.</summary>
    private void Draw()
    {
        _arHeld = _random.Next(100) < _arGap;
        _rHeld = _random.Next(100) < _rGap;
    }

    private void Present()
    {
        ArReady = !_arHeld;
        RValid = false;
        RLast = false;
        RResp = 0;
        if (_bursts.Count == 0) return;
        var (address, beats, handshake) = _bursts.Peek();
        if (!_timed)
        {
            long nominal = _previousDue == long.MinValue ? long.MinValue : _previousDue + _den;
            _due = _beat == 0 ? Math.Max(nominal, (handshake + _latency) * _num) : nominal;
            _timed = true;
        }
        if (!_rPending && (Ceiling(_due) > _cycle || _rHeld)) return;
        RValid = true;
        RLast = _beat == beats - 1;
        ulong at = address + (ulong)_beat * (ulong)_beatBytes;
        if (_memory.Holds(at, _beatBytes))
        {
            ReadOnlySpan<byte> bytes = _memory.Bytes.AsSpan((int)(at - _memory.BaseAddress), _beatBytes);
            for (int i = 0; i < _data.Length; i++) _data[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 * i)..]);
        }
        else
        {
            Array.Clear(_data);
            RResp = Decerr;
        }
    }

    private long Ceiling(long time) => time >= 0 ? (time + _num - 1) / _num : -(-time / _num);
}
