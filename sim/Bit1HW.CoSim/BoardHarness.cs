using Bit1HW.Core.Hardware;
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

    public static string Generate(string top)
    {
        string cls = "V" + top;
        string[] lines =
        [
            $"// Bit1HW Verilator harness for the UART board top {top} (board ABI {AbiVersion}). Generated; do not edit.",
            $"#include \"{cls}.h\"",
            "#include \"verilated.h\"",
            "#include <cstdint>",
            $"struct B1B {{ VerilatedContext* ctx; {cls}* m; }};",
            "extern \"C\" {",
            $"int b1b_abi(void) {{ return {AbiVersion}; }}",
            "void* b1b_create(void) {",
            "  B1B* h = new B1B; h->ctx = new VerilatedContext; h->ctx->randReset(0);",
            $"  h->m = new {cls}(h->ctx); h->m->clk = 0; h->m->uart_rx = 1; h->m->eval();",
            "  return h;",
            "}",
            "void b1b_destroy(void* p) { B1B* h = (B1B*)p; h->m->final(); delete h->m; delete h->ctx; delete h; }",
            "// n rising edges with uart_rx = rx; tx[i] = uart_tx after edge i. Returns led_ready_n | led_error_n << 1.",
            "uint32_t b1b_cycles(void* p, uint32_t rx, uint8_t* tx, uint64_t n) {",
            "  B1B* h = (B1B*)p; auto* m = h->m;",
            "  for (uint64_t i = 0; i < n; i++) {",
            "    m->uart_rx = rx; m->clk = 0; m->eval(); m->clk = 1; m->eval();",
            "    tx[i] = m->uart_tx;",
            "  }",
            "  return (uint32_t)m->led_ready_n | ((uint32_t)m->led_error_n << 1);",
            "}",
            "}",
        ];
        return string.Join("\n", lines) + "\n";
    }

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
