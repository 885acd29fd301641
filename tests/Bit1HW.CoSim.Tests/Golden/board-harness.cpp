// Bit1HW Verilator harness for the UART board top bit1hw_uart_board_l8_r2_a8_p1_ternary_d4 (board ABI 1). Generated; do not edit.
#include "Vbit1hw_uart_board_l8_r2_a8_p1_ternary_d4.h"
#include "verilated.h"
#include <cstdint>
struct B1B { VerilatedContext* ctx; Vbit1hw_uart_board_l8_r2_a8_p1_ternary_d4* m; };
extern "C" {
int b1b_abi(void) { return 1; }
void* b1b_create(void) {
  B1B* h = new B1B; h->ctx = new VerilatedContext; h->ctx->randReset(0);
  h->m = new Vbit1hw_uart_board_l8_r2_a8_p1_ternary_d4(h->ctx); h->m->clk = 0; h->m->uart_rx = 1; h->m->eval();
  return h;
}
void b1b_destroy(void* p) { B1B* h = (B1B*)p; h->m->final(); delete h->m; delete h->ctx; delete h; }
// n rising edges with uart_rx = rx; tx[i] = uart_tx after edge i. Returns led_ready_n | led_error_n << 1.
uint32_t b1b_cycles(void* p, uint32_t rx, uint8_t* tx, uint64_t n) {
  B1B* h = (B1B*)p; auto* m = h->m;
  for (uint64_t i = 0; i < n; i++) {
    m->uart_rx = rx; m->clk = 0; m->eval(); m->clk = 1; m->eval();
    tx[i] = m->uart_tx;
  }
  return (uint32_t)m->led_ready_n | ((uint32_t)m->led_error_n << 1);
}
}
