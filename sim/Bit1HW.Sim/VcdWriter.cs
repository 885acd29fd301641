using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>
/// Writes a Value Change Dump (IEEE 1364 §18) that GTKWave opens, on the time axis of the tracing
/// Verilator build's <c>rtl.vcd</c> so the two line up: timescale 1 ns, a 10 ns clock, the inputs of
/// rising edge e and the falling clock at 10·e, the edge itself and the registers after it at
/// 10·e + 5. Scopes follow docs/hardware.md ("Waveforms"): the top ports in <c>bit1hw_top_&lt;tag&gt;</c>,
/// and below it <c>ctrl</c>, the four memories and <c>array</c> with one <c>pe_r</c> per row; a
/// streaming engine adds its AXI ports (not the wide rdata) and <c>stream</c> (sp, pending, bursts in
/// flight, words received).
/// Signed values (host_rdata, the PE outputs, the accumulators) are marked signed in the GTKWave
/// save file from <see cref="SaveFile"/>, since VCD has no signedness. Only changes are written;
/// output is byte-stable.
/// </summary>
public sealed class VcdWriter : ICycleObserver
{
    public const int PeriodNanoseconds = 10;

    private readonly TextWriter _out;
    private readonly HardwareConfig _c;
    private readonly VcdVariables _vars = new();
    private readonly List<(VcdVariable Var, Action<TopInputs> Read)> _inputs = [];
    private readonly List<(VcdVariable Var, Action<Engine> Read)> _state = [];
    private readonly VcdVariable _clk;
    private readonly string _top;
    private long _lastTime;

    public VcdWriter(TextWriter output, HardwareConfig config)
    {
        _out = output;
        _c = config;
        _top = "bit1hw_top_" + config.Tag;
        _clk = _vars.Add(_top, "clk", 1);
        DeclarePorts();
        DeclareController();
        DeclareMemories();
        DeclareArray();
        _vars.WriteHeader(output, $"config {config.Tag}; rising edge e at {PeriodNanoseconds}*e+5 ns, its inputs from {PeriodNanoseconds}*e ns");
    }

    private void Input(string scope, string name, int width, Action<VcdVariable, TopInputs> read, bool hex = false)
    {
        VcdVariable v = _vars.Add(scope, name, width, hex: hex);
        _inputs.Add((v, i => read(v, i)));
    }

    private void State(string scope, string name, int width, Action<VcdVariable, Engine> read, bool signed = false, bool hex = false)
    {
        VcdVariable v = _vars.Add(scope, name, width, signed, hex);
        _state.Add((v, e => read(v, e)));
    }

    private void DeclarePorts()
    {
        string t = _top;
        Input(t, "rst", 1, (v, i) => v.Set(i.Rst));
        Input(t, "start", 1, (v, i) => v.Set(i.Start));
        Input(t, "host_we", 1, (v, i) => v.Set(i.HostWe));
        Input(t, "host_sel", 2, (v, i) => v.Set(i.HostSel));
        Input(t, "host_addr", _c.HostAddrBits, (v, i) => v.Set(i.HostAddr));
        Input(t, "host_wdata", _c.HostDataBits, (v, i) => { if (v.Width > 64) v.SetLimbs(i.HostWData); else v.Set(Low64(i.HostWData)); }, hex: true);
        Input(t, "host_raddr", _c.OutAddrBits, (v, i) => v.Set(i.HostRAddr));
        Input(t, "host_rrow", _c.RowSelectBits, (v, i) => v.Set(i.HostRRow));
        State(t, "busy", 1, (v, e) => v.Set(e.Busy));
        State(t, "done", 1, (v, e) => v.Set(e.Done));
        State(t, "host_rdata", _c.AccBits, (v, e) => v.Set(e.Outputs.HostRData), signed: true);
        State(t, "dbg_pc", _c.InstrAddrBits, (v, e) => v.Set(e.ProgramCounter));
        State(t, "dbg_acc_en", 1, (v, e) => v.Set(e.AccumulatorEnable));
        if (_c.Stream is { } st) DeclareStream(st);
    }

    /// <summary>A streaming engine's ports (not the wide rdata) and, in <c>stream</c>, its stream engine's registers.</summary>
    private void DeclareStream(StreamConfig st)
    {
        string t = _top;
        Input(t, "weight_base", st.AxiAddrBits, (v, i) => v.Set((long)i.WeightBase), hex: true);
        Input(t, "m_axi_arready", 1, (v, i) => v.Set(i.ArReady));
        Input(t, "m_axi_rvalid", 1, (v, i) => v.Set(i.RValid));
        Input(t, "m_axi_rresp", 2, (v, i) => v.Set(i.RResp));
        Input(t, "m_axi_rlast", 1, (v, i) => v.Set(i.RLast));
        State(t, "m_axi_arvalid", 1, (v, e) => v.Set(e.Outputs.ArValid));
        State(t, "m_axi_araddr", st.AxiAddrBits, (v, e) => v.Set((long)e.Outputs.ArAddr), hex: true);
        State(t, "dbg_stall", 1, (v, e) => v.Set(e.Stalling));
        State(t, "axi_error", 1, (v, e) => v.Set(e.Outputs.AxiError));
        string s = t + ".stream";
        State(s, "sp", Isa.OperandBits, (v, e) => v.Set(e.StreamPointer));
        State(s, "pending", Isa.OperandBits, (v, e) => v.Set(e.PendingBursts));
        State(s, "in_flight", 6, (v, e) => v.Set(e.BurstsInFlight));
        State(s, "words_received", 32, (v, e) => v.Set(e.StreamWordsReceived));
    }

    private void DeclareController()
    {
        string s = _top + ".ctrl";
        State(s, "busy", 1, (v, e) => v.Set(e.Busy));
        State(s, "done", 1, (v, e) => v.Set(e.Done));
        State(s, "fetch", 1, (v, e) => v.Set(e.Fetching));
        State(s, "pc", _c.InstrAddrBits, (v, e) => v.Set(e.ProgramCounter));
        State(s, "ir", 32, (v, e) => v.Set(e.InstructionRegister), hex: true);
        State(s, "opcode", 4, (v, e) => v.Set((long)e.ExecutingOpcode));
        State(s, "rep", _c.RepeatBits, (v, e) => v.Set(e.RepeatCount));
        State(s, "wp", _c.WeightAddrBits, (v, e) => v.Set(e.WeightPointer));
        State(s, "ap", _c.ActAddrBits, (v, e) => v.Set(e.ActivationPointer));
    }

    /// <summary>Host writes are shown with their inputs; reads and OUT writes with the cycle that does them.</summary>
    private void DeclareMemories()
    {
        (string Name, int Sel, int AddrBits)[] written = [("imem", 0, _c.InstrAddrBits), ("wmem", 1, _c.WeightAddrBits), ("amem", 2, _c.ActAddrBits)];
        foreach (var (name, sel, bits) in written)
        {
            string s = _top + "." + name;
            Input(s, "we", 1, (v, i) => v.Set(i.HostWe && i.HostSel == sel));
            Input(s, "waddr", bits, (v, i) => v.Set(i.HostAddr));
        }
        State(_top + ".wmem", "re", 1, (v, e) => v.Set(MacReads(e)));
        State(_top + ".wmem", "raddr", _c.WeightAddrBits, (v, e) => v.Set(e.WeightReadAddress));
        State(_top + ".amem", "re", 1, (v, e) => v.Set(MacReads(e)));
        State(_top + ".amem", "raddr", _c.ActAddrBits, (v, e) => v.Set(e.ActivationPointer));
        string o = _top + ".omem";
        State(o, "we", 1, (v, e) => v.Set(e.ExecutingOpcode == Opcode.Out));
        State(o, "waddr", _c.OutAddrBits, (v, e) => v.Set(e.ExecutingOpcode == Opcode.Out ? e.Operand : 0));
        Input(o, "raddr", _c.OutAddrBits, (v, i) => v.Set(i.HostRAddr));
    }

    private void DeclareArray()
    {
        string a = _top + ".array";
        State(a, "in_valid", 1, (v, e) => v.Set(e.TileDataValid));
        State(a, "clr", 1, (v, e) => v.Set(e.ExecutingOpcode == Opcode.Clr));
        State(a, "acc_en", 1, (v, e) => v.Set(e.AccumulatorEnable));
        for (int r = 0; r < _c.Rows; r++)
        {
            int row = r;
            State(a, $"acc_{row}", _c.AccBits, (v, e) => v.Set(e.Accumulator(row)), signed: true);
        }
        for (int r = 0; r < _c.Rows; r++)
        {
            int row = r;
            State($"{a}.pe_{row}", "out", _c.PeOutBits, (v, e) => v.Set(e.PeOutput(row)), signed: true);
        }
    }

    private static bool MacReads(Engine e) => e.MacReading;

    private static long Low64(uint[]? limbs) =>
        limbs is null ? 0 : (long)limbs[0] | (limbs.Length > 1 ? (long)limbs[1] << 32 : 0);

    public void AfterEdge(long edge, in TopInputs inputs, Engine engine)
    {
        long fall = edge * PeriodNanoseconds;
        _lastTime = fall + PeriodNanoseconds / 2;
        bool stamped = false;
        _clk.Set(false);
        _clk.WriteChange(_out, ref stamped, fall);
        foreach (var (v, read) in _inputs)
        {
            read(inputs);
            v.WriteChange(_out, ref stamped, fall);
        }
        stamped = false;
        _clk.Set(true);
        _clk.WriteChange(_out, ref stamped, fall + PeriodNanoseconds / 2);
        foreach (var (v, read) in _state)
        {
            read(engine);
            v.WriteChange(_out, ref stamped, fall + PeriodNanoseconds / 2);
        }
    }

    /// <summary>
    /// A GTKWave save file for this VCD (<c>gtkwave sim.gtkw</c>): the signals grouped as ports,
    /// controller, memories and accumulators, signed values in signed decimal.
    /// </summary>
    public string SaveFile(string dumpFileName)
    {
        IEnumerable<WaveSignal> In(string scope) => _vars.All.Where(v => v.Scope == scope && v != _clk)
            .Select(v => new WaveSignal(v.FullName, v.Width, v.Signed, v.Hex, scope == _top ? null : $"{scope[(_top.Length + 1)..].Replace('.', '/')}/{v.Name}"));
        var ports = new List<WaveSignal> { new(_clk.FullName, 1) };
        ports.AddRange(In(_top));
        var memories = new[] { "imem", "wmem", "amem", "omem" }.SelectMany(m => In($"{_top}.{m}"));
        var accumulators = In($"{_top}.array").Concat(Enumerable.Range(0, _c.Rows).SelectMany(r => In($"{_top}.array.pe_{r}")));
        return GtkWaveSave.Build(dumpFileName, _lastTime,
        [
            new WaveGroup("ports", ports),
            new WaveGroup("controller", [.. In($"{_top}.ctrl"), .. In($"{_top}.stream")]),
            new WaveGroup("memories", [.. memories]),
            new WaveGroup("accumulators", [.. accumulators]),
        ]);
    }
}
