using Bit1HW.Sim;
using System.Runtime.InteropServices;
using Bit1HW.Core.Hardware;

namespace Bit1HW.CoSim;

/// <summary>
/// A Verilator model of the generated top, loaded in-process from the shared library that
/// <see cref="VerilatorBuilder"/> made. One instance is one simulated engine; the library may be
/// loaded once and instantiated many times (each instance has its own VerilatedContext).
/// </summary>
public sealed unsafe class VerilatorModel : ITopModel
{
    [StructLayout(LayoutKind.Sequential)]
    private struct In
    {
        public uint Rst, Start, HostWe, HostSel, HostAddr, HostRAddr, HostRRow, ArReady, RValid, RResp, RLast, Pad;
        public ulong WeightBase;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Out
    {
        public uint Busy, Done, HostRData, DbgPc, DbgAccEn, ArValid, ArLen, ArSize, ArBurst, RReady, DbgStall, AxiError;
        public ulong ArAddr;
    }

    private readonly delegate* unmanaged<void*, In*, uint*, uint*, Out*, void> _step;
    private readonly delegate* unmanaged<void*, ulong, ulong> _run;
    private readonly delegate* unmanaged<void*, void> _destroy;
    private readonly delegate* unmanaged<void*, byte*, int> _traceOpen;
    private readonly uint[] _zeroWData, _zeroRData;
    private readonly int _accBits;
    private void* _handle;

    public string Name => "verilator";

    public VerilatorModel(string libraryPath, HardwareConfig cfg)
    {
        nint lib = NativeLibrary.Load(libraryPath);
        var abi = (delegate* unmanaged<int>)NativeLibrary.GetExport(lib, "b1_abi");
        if (abi() != VerilatorHarness.AbiVersion)
            throw new InvalidOperationException($"{libraryPath}: harness ABI {abi()} but {VerilatorHarness.AbiVersion} expected");
        var limbs = (delegate* unmanaged<int>)NativeLibrary.GetExport(lib, "b1_wdata_limbs");
        int expected = (cfg.HostDataBits + 31) / 32;
        if (limbs() != expected)
            throw new InvalidOperationException($"{libraryPath}: host_wdata has {limbs()} limbs, config says {expected}");
        var create = (delegate* unmanaged<void*>)NativeLibrary.GetExport(lib, "b1_create");
        _step = (delegate* unmanaged<void*, In*, uint*, uint*, Out*, void>)NativeLibrary.GetExport(lib, "b1_step");
        _run = (delegate* unmanaged<void*, ulong, ulong>)NativeLibrary.GetExport(lib, "b1_run");
        _destroy = (delegate* unmanaged<void*, void>)NativeLibrary.GetExport(lib, "b1_destroy");
        _traceOpen = (delegate* unmanaged<void*, byte*, int>)NativeLibrary.GetExport(lib, "b1_trace_open");
        _zeroWData = new uint[expected];
        _zeroRData = new uint[cfg.Stream is { } st ? st.AxiDataBits / 32 : 1];
        _accBits = cfg.AccBits;
        _handle = create();
    }

    /// <summary>Starts writing a VCD of every cycle from now on; false if the library was built without tracing.</summary>
    public bool OpenTrace(string path)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes) return _traceOpen(_handle, p) != 0;
    }

    public TopOutputs Step(in TopInputs inputs)
    {
        ObjectDisposedException.ThrowIf(_handle == null, this);
        var i = new In
        {
            Rst = inputs.Rst ? 1u : 0u,
            Start = inputs.Start ? 1u : 0u,
            HostWe = inputs.HostWe ? 1u : 0u,
            HostSel = (uint)inputs.HostSel,
            HostAddr = inputs.HostAddr,
            HostRAddr = inputs.HostRAddr,
            HostRRow = inputs.HostRRow,
            ArReady = inputs.ArReady ? 1u : 0u,
            RValid = inputs.RValid ? 1u : 0u,
            RResp = (uint)inputs.RResp,
            RLast = inputs.RLast ? 1u : 0u,
            WeightBase = inputs.WeightBase,
        };
        Out o;
        uint[] wdata = inputs.HostWData ?? _zeroWData;
        if (wdata.Length < _zeroWData.Length)
            throw new ArgumentException($"host_wdata has {wdata.Length} limbs, {_zeroWData.Length} needed", nameof(inputs));
        uint[] rdata = inputs.RData ?? _zeroRData;
        if (rdata.Length < _zeroRData.Length)
            throw new ArgumentException($"m_axi_rdata has {rdata.Length} limbs, {_zeroRData.Length} needed", nameof(inputs));
        fixed (uint* w = wdata)
        fixed (uint* r = rdata)
            _step(_handle, &i, w, r, &o);
        return new TopOutputs(o.Busy != 0, o.Done != 0, SignExtend(o.HostRData, _accBits), o.DbgPc, o.DbgAccEn != 0,
            o.ArValid != 0, o.ArAddr, (int)o.ArLen, (int)o.ArSize, (int)o.ArBurst, o.RReady != 0, o.DbgStall != 0, o.AxiError != 0);
    }

    /// <summary>Clocks natively with idle inputs until busy falls; returns the edges clocked (speed measurements).</summary>
    public ulong RunUntilIdle(ulong maxCycles) => _run(_handle, maxCycles);

    internal static int SignExtend(uint value, int bits)
    {
        int shift = 32 - bits;
        return (int)(value << shift) >> shift;
    }

    public void Dispose()
    {
        if (_handle != null)
        {
            _destroy(_handle);
            _handle = null;
        }
    }
}
