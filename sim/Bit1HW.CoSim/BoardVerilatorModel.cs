using System.Runtime.InteropServices;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Board;

namespace Bit1HW.CoSim;

/// <summary>
/// The whole UART board (bridge, engine and memories) under Verilator, loaded in-process: the
/// only inputs are the clock and the uart_rx level, the only outputs uart_tx and the LEDs.
/// </summary>
public sealed unsafe class BoardVerilatorModel : IDisposable
{
    private readonly delegate* unmanaged<void*, uint, byte*, ulong, uint> _cycles;
    private readonly delegate* unmanaged<void*, void> _destroy;
    private void* _handle;

    public HardwareConfig Config { get; }
    public UartLink Link { get; }
    /// <summary>Rising edges clocked since the model was created.</summary>
    public long Cycle { get; private set; }
    public bool LedReady { get; private set; }
    public bool LedError { get; private set; }

    private BoardVerilatorModel(string libraryPath, HardwareConfig cfg, UartLink link)
    {
        nint lib = NativeLibrary.Load(libraryPath);
        var abi = (delegate* unmanaged<int>)NativeLibrary.GetExport(lib, "b1b_abi");
        if (abi() != BoardHarness.AbiVersion)
            throw new InvalidOperationException($"{libraryPath}: board harness ABI {abi()} but {BoardHarness.AbiVersion} expected");
        var create = (delegate* unmanaged<void*>)NativeLibrary.GetExport(lib, "b1b_create");
        _cycles = (delegate* unmanaged<void*, uint, byte*, ulong, uint>)NativeLibrary.GetExport(lib, "b1b_cycles");
        _destroy = (delegate* unmanaged<void*, void>)NativeLibrary.GetExport(lib, "b1b_destroy");
        Config = cfg;
        Link = link;
        _handle = create();
    }

    /// <summary>Generates the board design for <paramref name="cfg"/> and <paramref name="link"/>, builds it
    /// with Verilator (or loads it from the cache; messages go to <paramref name="progress"/>) and powers it up.
    /// <paramref name="faults"/> plants bridge bugs, for tests only.</summary>
    public static BoardVerilatorModel Create(HardwareConfig cfg, UartLink link, TextWriter? progress = null, BridgeFaults faults = BridgeFaults.None)
    {
        cfg.Validate();
        link.Validate();
        return new BoardVerilatorModel(BoardHarness.Build(cfg, link, faults, progress), cfg, link);
    }

    /// <summary>Clocks <c>tx.Length</c> rising edges with uart_rx held at <paramref name="rx"/>; tx[i] is uart_tx after edge i.</summary>
    public void Run(bool rx, Span<byte> tx)
    {
        ObjectDisposedException.ThrowIf(_handle == null, this);
        if (tx.Length == 0) return;
        uint leds;
        fixed (byte* p = tx) leds = _cycles(_handle, rx ? 1u : 0u, p, (ulong)tx.Length);
        Cycle += tx.Length;
        LedReady = (leds & 1) == 0;
        LedError = (leds & 2) == 0;
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
