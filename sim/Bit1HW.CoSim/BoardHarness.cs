using Bit1HW.Core.Hardware;
using Bit1HW.Core.Text;
using Bit1HW.HdlGen;
using Bit1HW.HdlGen.Board;

namespace Bit1HW.CoSim;

/// <summary>
/// The C++ harness of the UART board top (<see cref="BoardRtl"/>), a second harness beside
/// <see cref="VerilatorHarness"/> built by the same <see cref="VerilatorBuilder"/> and cache. Its C ABI
/// clocks the whole board: <c>b1b_cycles</c> holds uart_rx at one level for n rising edges and
/// records uart_tx after each, which is all a model of the serial line needs (the line is modelled
/// bit by bit in C#, <see cref="BoardVerilatorModel"/>'s caller).
/// </summary>
internal static class BoardHarness
{
    /// <summary>Bumped whenever the C ABI below changes, so cached libraries are rebuilt.</summary>
    public const int AbiVersion = 1;

    /// <summary>The harness C++ for a board top, from the template <c>Templates/board-harness.cpp.sbn</c>.</summary>
    public static string Generate(string top) =>
        TextTemplate.Render(typeof(BoardHarness).Assembly, "templates/board-harness.cpp.sbn", new { top, cls = "V" + top, abi = AbiVersion });

    /// <summary>Generates the board design and builds (or loads from the cache) its Verilator library.</summary>
    public static string Build(HardwareConfig cfg, UartLink link, BridgeFaults faults, TextWriter? progress)
    {
        var sources = BoardRtl.Generate(cfg, link, faults)
            .Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal))
            .Select(f => (f.RelativePath, f.Text)).ToList();
        string top = BoardRtl.TopModule(cfg, link);
        return VerilatorBuilder.Build(top, sources, Generate(top), trace: false, progress);
    }
}
