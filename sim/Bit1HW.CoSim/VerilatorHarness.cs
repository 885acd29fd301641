using Bit1HW.Core.Hardware;
using Bit1HW.Core.Text;

namespace Bit1HW.CoSim;

/// <summary>
/// Writes the C++ harness that turns a Verilated top into a shared library with a small C ABI:
/// create/destroy, one rising edge with given inputs (<c>b1_step</c>), a native run-until-idle loop
/// for speed measurements (<c>b1_run</c>), and optional VCD tracing. The harness is generated per
/// configuration because Verilator gives each port a C++ type by its width (8/16/32/64 bits or a
/// wide array), and the C# side only ever sees 32-bit limbs. A streaming top's ports (weight_base,
/// the AXI read channels, dbg_stall, axi_error) travel in the same structs; a host-fed harness leaves
/// them 0. weight_base and araddr (up to 64 bits) are 64-bit fields, m_axi_rdata comes as limbs.
/// </summary>
internal static class VerilatorHarness
{
    /// <summary>Bumped whenever the C ABI below changes, so cached libraries are rebuilt.</summary>
    public const int AbiVersion = 2;

    public static string TopModuleName(HardwareConfig cfg) => "bit1hw_top_" + cfg.Tag;

    /// <summary>The harness C++ for one configuration, from the template <c>Templates/harness.cpp.sbn</c>.</summary>
    public static string Generate(HardwareConfig cfg, bool trace)
    {
        string top = TopModuleName(cfg);
        var model = new
        {
            top,
            cls = "V" + top,
            abi = AbiVersion,
            trace,
            limbs = (cfg.HostDataBits + 31) / 32,
            wdata_bits = cfg.HostDataBits,
            streaming = cfg.IsStreaming,
            addr_mask = cfg.Stream is { AxiAddrBits: < 64 } st ? $"((1ull << {st.AxiAddrBits}) - 1)" : "~0ull",
            rdata_bits = cfg.Stream?.AxiDataBits ?? 0,
            rdata_limbs = (cfg.Stream?.AxiDataBits ?? 0) / 32,
        };
        return TextTemplate.Render(typeof(VerilatorHarness).Assembly, "templates/harness.cpp.sbn", model);
    }
}
