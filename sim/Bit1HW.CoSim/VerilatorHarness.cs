using System.Globalization;
using System.Text;
using Bit1HW.Core.Hardware;

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

    public static string Generate(HardwareConfig cfg, bool trace)
    {
        string top = TopModuleName(cfg);
        string cls = "V" + top;
        int limbs = (cfg.HostDataBits + 31) / 32;
        var s = new StringBuilder();
        void L(string line) => s.Append(line).Append('\n');
        L($"// Bit1HW Verilator harness for {top} (ABI {AbiVersion}). Generated; do not edit.");
        L($"#include \"{cls}.h\"");
        L("#include \"verilated.h\"");
        if (trace) L("#include \"verilated_vcd_c.h\"");
        L("#include <cstdint>");
        L("struct B1In { uint32_t rst, start, host_we, host_sel, host_addr, host_raddr, host_rrow, arready, rvalid, rresp, rlast, pad; uint64_t weight_base; };");
        L("struct B1Out { uint32_t busy, done, host_rdata, dbg_pc, dbg_acc_en, arvalid, arlen, arsize, arburst, rready, dbg_stall, axi_error; uint64_t araddr; };");
        L($"struct B1H {{ VerilatedContext* ctx; {cls}* m; uint64_t time; {(trace ? "VerilatedVcdC* tfp;" : "void* tfp;")} }};");
        L("static inline void b1_edge(B1H* h) {");
        L("  h->m->clk = 0; h->m->eval();");
        if (trace) L("  if (h->tfp) h->tfp->dump(h->time);");
        L("  h->time += 5; h->m->clk = 1; h->m->eval();");
        if (trace) L("  if (h->tfp) h->tfp->dump(h->time);");
        L("  h->time += 5;");
        L("}");
        L("extern \"C\" {");
        L(Inv($"int b1_abi(void) {{ return {AbiVersion}; }}"));
        L(Inv($"int b1_wdata_limbs(void) {{ return {limbs}; }}"));
        L("void* b1_create(void) {");
        L("  B1H* h = new B1H; h->ctx = new VerilatedContext; h->ctx->randReset(0);");
        if (trace) L("  h->ctx->traceEverOn(true);");
        L($"  h->m = new {cls}(h->ctx); h->time = 0; h->tfp = nullptr;");
        L("  h->m->clk = 0; h->m->rst = 1; h->m->eval();");
        L("  return h;");
        L("}");
        L("void b1_destroy(void* p) {");
        L("  B1H* h = (B1H*)p; h->m->final();");
        if (trace) L("  if (h->tfp) { h->tfp->close(); delete h->tfp; }");
        L("  delete h->m; delete h->ctx; delete h;");
        L("}");
        L("int b1_trace_open(void* p, const char* path) {");
        if (trace)
        {
            L("  B1H* h = (B1H*)p; h->tfp = new VerilatedVcdC; h->m->trace(h->tfp, 99); h->tfp->open(path); return 1;");
        }
        else
        {
            L("  (void)p; (void)path; return 0;");
        }
        L("}");
        L("void b1_step(void* p, const B1In* in, const uint32_t* wdata, const uint32_t* rdata, B1Out* out) {");
        L("  B1H* h = (B1H*)p; auto* m = h->m;");
        L("  m->rst = in->rst; m->start = in->start; m->host_we = in->host_we; m->host_sel = in->host_sel;");
        L("  m->host_addr = in->host_addr; m->host_raddr = in->host_raddr; m->host_rrow = in->host_rrow;");
        L("  " + AssignWide("m->host_wdata", cfg.HostDataBits, "wdata"));
        if (cfg.Stream is { } st)
        {
            string mask = st.AxiAddrBits == 64 ? "~0ull" : Inv($"((1ull << {st.AxiAddrBits}) - 1)");
            L($"  m->weight_base = in->weight_base & {mask}; m->m_axi_arready = in->arready; m->m_axi_rvalid = in->rvalid;");
            L("  m->m_axi_rresp = in->rresp; m->m_axi_rlast = in->rlast;");
            L("  " + AssignWide("m->m_axi_rdata", st.AxiDataBits, "rdata"));
        }
        else
        {
            L("  (void)rdata;");
        }
        L("  b1_edge(h);");
        L("  out->busy = m->busy; out->done = m->done; out->host_rdata = (uint32_t)m->host_rdata;");
        L("  out->dbg_pc = m->dbg_pc; out->dbg_acc_en = m->dbg_acc_en;");
        if (cfg.IsStreaming)
        {
            L("  out->arvalid = m->m_axi_arvalid; out->araddr = m->m_axi_araddr; out->arlen = m->m_axi_arlen;");
            L("  out->arsize = m->m_axi_arsize; out->arburst = m->m_axi_arburst; out->rready = m->m_axi_rready;");
            L("  out->dbg_stall = m->dbg_stall; out->axi_error = m->axi_error;");
        }
        else
        {
            L("  out->arvalid = 0; out->araddr = 0; out->arlen = 0; out->arsize = 0; out->arburst = 0; out->rready = 0;");
            L("  out->dbg_stall = 0; out->axi_error = 0;");
        }
        L("}");
        L("// Clocks with idle inputs until busy falls (or max_cycles); returns the edges clocked.");
        L("uint64_t b1_run(void* p, uint64_t max_cycles) {");
        L("  B1H* h = (B1H*)p; auto* m = h->m; uint64_t n = 0;");
        L("  m->rst = 0; m->start = 0; m->host_we = 0;");
        L("  while (n < max_cycles) { b1_edge(h); n++; if (!m->busy) break; }");
        L("  return n;");
        L("}");
        L("}");
        return s.ToString();
    }

    private static string AssignWide(string target, int bits, string src) => bits switch
    {
        <= 32 => $"{target} = {src}[0];",
        <= 64 => $"{target} = ((uint64_t){src}[1] << 32) | {src}[0];",
        _ => Inv($"for (int i = 0; i < {(bits + 31) / 32}; i++) {target}[i] = {src}[i];"),
    };

    private static string Inv(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
}
