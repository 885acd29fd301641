## Digilent Arty A7-35T (xc7a35ticsg324-1L) pins for the UART board's Arty top
## bit1hw_arty_uart_board_<tag>_d<cycles per bit> (written by `bit1hw board build --board arty-a7-35t`;
## docs/board.md). 100 MHz oscillator on E3. The FT2232HQ's second channel is the USB serial port:
## the FPGA receives on A9 (uart_txd_in) and sends on D10 (uart_rxd_out).
## The Arty's LEDs light on a high level, and this top drives them active high:
## LD4 (H5) lit = out of reset and ready, LD5 (J5) lit = the last frame was rejected.
set_property -dict { PACKAGE_PIN E3 IOSTANDARD LVCMOS33 } [get_ports clk]
create_clock -name clk -period 10.000 -waveform {0 5} [get_ports clk]
set_property -dict { PACKAGE_PIN A9 IOSTANDARD LVCMOS33 } [get_ports uart_rx]
set_property -dict { PACKAGE_PIN D10 IOSTANDARD LVCMOS33 } [get_ports uart_tx]
set_property -dict { PACKAGE_PIN H5 IOSTANDARD LVCMOS33 } [get_ports led_ready]
set_property -dict { PACKAGE_PIN J5 IOSTANDARD LVCMOS33 } [get_ports led_error]
