using System.Globalization;
using System.Text;

namespace Bit1HW.Sim;

/// <summary>
/// Writes a Value Change Dump (IEEE 1364 §18) that GTKWave opens: timescale 1 ns, a 10 ns clock.
/// Rising edge e (counted from reset) is at time 10·e + 10 and shows the registers after it; the
/// inputs sampled by that edge are shown from its preceding falling edge at 10·e + 5. Signals: the
/// top ports (module <c>bit1hw_top</c>) plus the controller pointers and every accumulator; a
/// streaming config adds its AXI handshake ports, araddr, dbg_stall and axi_error (not the wide
/// rdata). Only changes are written; output is byte-stable.
/// </summary>
public sealed class VcdWriter : ICycleObserver
{
    private readonly TextWriter _out;
    private readonly List<(string Name, int Width, string Id)> _signals = [];
    private readonly ulong?[] _last;
    private readonly ulong[] _now;
    private readonly int _rows, _accBits, _pcBits, _inputs;
    private readonly bool _streaming;

    public VcdWriter(TextWriter output, Bit1HW.Core.Hardware.HardwareConfig c)
    {
        _out = output;
        _rows = c.Rows;
        _accBits = c.AccBits;
        _pcBits = c.InstrAddrBits;
        _streaming = c.IsStreaming;
        Add("clk", 1); Add("rst", 1); Add("start", 1); Add("host_we", 1); Add("host_sel", 2);
        Add("host_raddr", c.OutAddrBits); Add("host_rrow", c.RowSelectBits);
        if (_streaming) { Add("m_axi_arready", 1); Add("m_axi_rvalid", 1); Add("m_axi_rresp", 2); Add("m_axi_rlast", 1); }
        _inputs = _signals.Count;
        Add("busy", 1); Add("done", 1); Add("host_rdata", c.AccBits); Add("dbg_pc", c.InstrAddrBits); Add("dbg_acc_en", 1);
        if (_streaming)
        {
            Add("m_axi_arvalid", 1); Add("m_axi_araddr", c.Stream!.AxiAddrBits); Add("dbg_stall", 1); Add("axi_error", 1);
        }
        Add("wp", c.WeightAddrBits); Add("ap", c.ActAddrBits);
        for (int r = 0; r < c.Rows; r++) Add($"acc_{r}", c.AccBits);
        _last = new ulong?[_signals.Count];
        _now = new ulong[_signals.Count];
        WriteHeader(c.Tag);
    }

    private void Add(string name, int width)
    {
        int n = _signals.Count;
        var id = new StringBuilder();
        do { id.Append((char)('!' + n % 94)); n /= 94; } while (n > 0);
        _signals.Add((name, width, id.ToString()));
    }

    private void WriteHeader(string tag)
    {
        _out.Write("$version bit1hw sim $end\n$timescale 1ns $end\n");
        _out.Write($"$comment config {tag} $end\n$scope module bit1hw_top $end\n");
        foreach (var (name, width, id) in _signals)
            _out.Write(string.Create(CultureInfo.InvariantCulture, $"$var wire {width} {id} {name} $end\n"));
        _out.Write("$upscope $end\n$enddefinitions $end\n");
    }

    public void AfterEdge(long edge, in TopInputs inputs, Engine engine)
    {
        _now[0] = 0;
        _now[1] = inputs.Rst ? 1u : 0;
        _now[2] = inputs.Start ? 1u : 0;
        _now[3] = inputs.HostWe ? 1u : 0;
        _now[4] = (ulong)inputs.HostSel & 3;
        _now[5] = inputs.HostRAddr;
        _now[6] = inputs.HostRRow;
        if (_streaming)
        {
            _now[7] = inputs.ArReady ? 1u : 0;
            _now[8] = inputs.RValid ? 1u : 0;
            _now[9] = (ulong)inputs.RResp & 3;
            _now[10] = inputs.RLast ? 1u : 0;
        }
        Dump(edge * 10 + 5, 0, _inputs);
        TopOutputs o = engine.Outputs;
        _now[0] = 1;
        int i = _inputs;
        _now[i++] = o.Busy ? 1u : 0;
        _now[i++] = o.Done ? 1u : 0;
        _now[i++] = Bits(o.HostRData, _accBits);
        _now[i++] = o.DbgPc & ((1u << _pcBits) - 1);
        _now[i++] = o.DbgAccEn ? 1u : 0;
        if (_streaming)
        {
            _now[i++] = o.ArValid ? 1u : 0;
            _now[i++] = o.ArAddr;
            _now[i++] = o.DbgStall ? 1u : 0;
            _now[i++] = o.AxiError ? 1u : 0;
        }
        _now[i++] = engine.WeightPointer;
        _now[i++] = engine.ActivationPointer;
        for (int r = 0; r < _rows; r++) _now[i + r] = Bits(engine.Accumulator(r), _accBits);
        Dump(edge * 10 + 10, 0, _now.Length);
    }

    private static ulong Bits(int value, int width) => (ulong)(uint)value & ((1UL << width) - 1);

    private void Dump(long time, int from, int to)
    {
        bool stamped = false;
        for (int i = from; i < to; i++)
        {
            if (_last[i] == _now[i]) continue;
            if (!stamped) { _out.Write(string.Create(CultureInfo.InvariantCulture, $"#{time}\n")); stamped = true; }
            _last[i] = _now[i];
            var (_, width, id) = _signals[i];
            if (width == 1) _out.Write($"{_now[i]}{id}\n");
            else _out.Write($"b{Convert.ToString((long)_now[i], 2)} {id}\n");
        }
    }
}
