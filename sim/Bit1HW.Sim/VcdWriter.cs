using System.Globalization;
using System.Text;

namespace Bit1HW.Sim;

/// <summary>
/// Writes a Value Change Dump (IEEE 1364 §18) that GTKWave opens: timescale 1 ns, a 10 ns clock.
/// Rising edge e (counted from reset) is at time 10·e + 10 and shows the registers after it; the
/// inputs sampled by that edge are shown from its preceding falling edge at 10·e + 5. Signals: the
/// top ports (module <c>bit1hw_top</c>) plus the controller pointers and every accumulator.
/// Only changes are written; output is byte-stable.
/// </summary>
public sealed class VcdWriter : ICycleObserver
{
    private readonly TextWriter _out;
    private readonly List<(string Name, int Width, string Id)> _signals = [];
    private readonly ulong?[] _last;
    private readonly ulong[] _now;
    private readonly int _rows, _accBits, _pcBits;

    public VcdWriter(TextWriter output, Bit1HW.Core.Hardware.HardwareConfig c)
    {
        _out = output;
        _rows = c.Rows;
        _accBits = c.AccBits;
        _pcBits = c.InstrAddrBits;
        Add("clk", 1); Add("rst", 1); Add("start", 1); Add("host_we", 1); Add("host_sel", 2);
        Add("host_raddr", c.OutAddrBits); Add("host_rrow", c.RowSelectBits);
        Add("busy", 1); Add("done", 1); Add("host_rdata", c.AccBits); Add("dbg_pc", c.InstrAddrBits); Add("dbg_acc_en", 1);
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
        Dump(edge * 10 + 5, 0, 7);
        TopOutputs o = engine.Outputs;
        _now[0] = 1;
        _now[7] = o.Busy ? 1u : 0;
        _now[8] = o.Done ? 1u : 0;
        _now[9] = Bits(o.HostRData, _accBits);
        _now[10] = o.DbgPc & ((1u << _pcBits) - 1);
        _now[11] = o.DbgAccEn ? 1u : 0;
        _now[12] = engine.WeightPointer;
        _now[13] = engine.ActivationPointer;
        for (int r = 0; r < _rows; r++) _now[14 + r] = Bits(engine.Accumulator(r), _accBits);
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
