// Bit1HW Verilator harness for bit1hw_top_l16_r4_a8_p1_ternary (ABI 2). Generated; do not edit.
#include "Vbit1hw_top_l16_r4_a8_p1_ternary.h"
#include "verilated.h"
#include "verilated_vcd_c.h"
#include <cstdint>
struct B1In { uint32_t rst, start, host_we, host_sel, host_addr, host_raddr, host_rrow, arready, rvalid, rresp, rlast, pad; uint64_t weight_base; };
struct B1Out { uint32_t busy, done, host_rdata, dbg_pc, dbg_acc_en, arvalid, arlen, arsize, arburst, rready, dbg_stall, axi_error; uint64_t araddr; };
struct B1H { VerilatedContext* ctx; Vbit1hw_top_l16_r4_a8_p1_ternary* m; uint64_t time; VerilatedVcdC* tfp; };
static inline void b1_edge(B1H* h) {
  h->m->clk = 0; h->m->eval();
  if (h->tfp) h->tfp->dump(h->time);
  h->time += 5; h->m->clk = 1; h->m->eval();
  if (h->tfp) h->tfp->dump(h->time);
  h->time += 5;
}
extern "C" {
int b1_abi(void) { return 2; }
int b1_wdata_limbs(void) { return 4; }
void* b1_create(void) {
  B1H* h = new B1H; h->ctx = new VerilatedContext; h->ctx->randReset(0);
  h->ctx->traceEverOn(true);
  h->m = new Vbit1hw_top_l16_r4_a8_p1_ternary(h->ctx); h->time = 0; h->tfp = nullptr;
  h->m->clk = 0; h->m->rst = 1; h->m->eval();
  return h;
}
void b1_destroy(void* p) {
  B1H* h = (B1H*)p; h->m->final();
  if (h->tfp) { h->tfp->close(); delete h->tfp; }
  delete h->m; delete h->ctx; delete h;
}
int b1_trace_open(void* p, const char* path) {
  B1H* h = (B1H*)p; h->tfp = new VerilatedVcdC;
  h->tfp->set_time_unit("1ns"); h->tfp->set_time_resolution("1ns");  // the simulator's sim.vcd axis
  h->m->trace(h->tfp, 99); h->tfp->open(path); return 1;
}
void b1_step(void* p, const B1In* in, const uint32_t* wdata, const uint32_t* rdata, B1Out* out) {
  B1H* h = (B1H*)p; auto* m = h->m;
  m->rst = in->rst; m->start = in->start; m->host_we = in->host_we; m->host_sel = in->host_sel;
  m->host_addr = in->host_addr; m->host_raddr = in->host_raddr; m->host_rrow = in->host_rrow;
  for (int i = 0; i < 4; i++) m->host_wdata[i] = wdata[i];
  (void)rdata;
  b1_edge(h);
  out->busy = m->busy; out->done = m->done; out->host_rdata = (uint32_t)m->host_rdata;
  out->dbg_pc = m->dbg_pc; out->dbg_acc_en = m->dbg_acc_en;
  out->arvalid = 0; out->araddr = 0; out->arlen = 0; out->arsize = 0; out->arburst = 0; out->rready = 0;
  out->dbg_stall = 0; out->axi_error = 0;
}
// Clocks with idle inputs until busy falls (or max_cycles); returns the edges clocked.
uint64_t b1_run(void* p, uint64_t max_cycles) {
  B1H* h = (B1H*)p; auto* m = h->m; uint64_t n = 0;
  m->rst = 0; m->start = 0; m->host_we = 0;
  while (n < max_cycles) { b1_edge(h); n++; if (!m->busy) break; }
  return n;
}
}
