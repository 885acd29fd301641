using System.Globalization;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>A broken AXI rule: the cycle, the model whose bus it was on, and what happened.</summary>
public sealed record ProtocolViolation(long Cycle, string Model, string Rule)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"cycle {Cycle}: {Model}: {Rule}");
}

/// <summary>
/// Watches one engine's AXI4 read channels cycle by cycle (AMBA AXI4, the read address and read data
/// channels) and reports the first broken rule. In each cycle it sees what the master showed (the
/// engine's outputs after the previous edge) and what the slave drove (the inputs of the edge that ends
/// the cycle). Master rules: ARVALID, once raised, stays 1 until ARREADY, with ARADDR, ARLEN, ARSIZE
/// and ARBURST stable; every burst has the configuration's shape (arlen = burstBeats − 1, arsize =
/// log2 of the beat bytes, INCR) and a beat-aligned address that does not cross a 4 KB boundary;
/// RREADY is 1 (docs/hardware.md). Slave rules, which the engine relies on: no beat without an
/// outstanding burst, RLAST on exactly the last beat of each burst, and RVALID/RDATA held while
/// RREADY is 0. A host-fed engine has no AXI ports and is not checked.
/// </summary>
public sealed class AxiProtocolChecker
{
    private readonly StreamConfig _stream;
    private readonly string _model;
    private readonly Queue<int> _burstBeats = new();
    private int _beat;
    private long _cycle;
    private TopOutputs _lastMaster;
    private bool _arWaiting, _rWaiting;
    private uint[] _lastRData = [];

    public AxiProtocolChecker(HardwareConfig config, string model)
    {
        _stream = config.Stream ?? throw new ArgumentException("only a streaming engine has AXI ports", nameof(config));
        _model = model;
    }

    /// <summary>The first violation so far, or null; checking stops there.</summary>
    public ProtocolViolation? Violation { get; private set; }

    /// <summary>One cycle: <paramref name="master"/> shown by the engine, <paramref name="slave"/> driven by the slave.</summary>
    public void Cycle(in TopOutputs master, in TopInputs slave)
    {
        if (Violation is null && Rule(master, slave) is { } rule) Violation = new ProtocolViolation(_cycle, _model, rule);
        _cycle++;
    }

    private string? Rule(in TopOutputs master, in TopInputs slave)
    {
        if (_arWaiting)
        {
            if (!master.ArValid) return "ARVALID fell before ARREADY (VALID must be held until the handshake)";
            if (master.ArAddr != _lastMaster.ArAddr || master.ArLen != _lastMaster.ArLen || master.ArSize != _lastMaster.ArSize
                || master.ArBurst != _lastMaster.ArBurst)
                return Inv($"the AR payload changed while waiting for ARREADY (araddr 0x{_lastMaster.ArAddr:x} → 0x{master.ArAddr:x}, arlen {_lastMaster.ArLen} → {master.ArLen})");
        }
        if (master.ArValid && Shape(master) is { } shape) return shape;
        if (_cycle > 0 && !master.RReady) return "RREADY is 0 (the engine reserves ring room at issue, so it must always accept)";
        if (_rWaiting && (!slave.RValid || !slave.RData.AsSpan().SequenceEqual(_lastRData)))
            return "RVALID fell or RDATA changed before RREADY";
        if (slave.RValid)
        {
            if (_burstBeats.Count == 0) return "a read beat (RVALID) with no outstanding burst";
            bool last = _beat == _burstBeats.Peek() - 1;
            if (slave.RLast != last)
                return Inv($"RLAST = {(slave.RLast ? 1 : 0)} on beat {_beat} of a {_burstBeats.Peek()}-beat burst");
        }
        // The edge that ends the cycle: handshakes.
        if (master.ArValid && slave.ArReady) _burstBeats.Enqueue(master.ArLen + 1);
        _arWaiting = master.ArValid && !slave.ArReady;
        if (slave.RValid && master.RReady && ++_beat == _burstBeats.Peek())
        {
            _burstBeats.Dequeue();
            _beat = 0;
        }
        _rWaiting = slave.RValid && !master.RReady;
        if (_rWaiting) _lastRData = slave.RData?.ToArray() ?? [];
        _lastMaster = master;
        return null;
    }

    private string? Shape(in TopOutputs m)
    {
        int beatBytes = _stream.AxiDataBits / 8;
        if (m.ArLen != _stream.BurstBeats - 1) return Inv($"ARLEN = {m.ArLen}, the configuration's bursts have {_stream.BurstBeats} beats (ARLEN {_stream.BurstBeats - 1})");
        if (m.ArSize != Widths.CeilLog2(beatBytes)) return Inv($"ARSIZE = {m.ArSize}, {beatBytes}-byte beats need {Widths.CeilLog2(beatBytes)}");
        if (m.ArBurst != 1) return Inv($"ARBURST = {m.ArBurst}, not INCR (1)");
        if (m.ArAddr % (ulong)beatBytes != 0) return Inv($"ARADDR 0x{m.ArAddr:x} is not aligned to the {beatBytes}-byte beat");
        if (m.ArAddr % 4096 + (ulong)_stream.BurstBytes > 4096) return Inv($"the burst at 0x{m.ArAddr:x} crosses a 4 KB boundary");
        return null;
    }

    private static string Inv(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
}
