## Digilent Arty A7-35T (xc7a35ticsg324-1L) pins for the self-test wrapper's Arty top
## bit1hw_arty_board_<tag> (written by `bit1hw board build --board arty-a7-35t`; docs/board.md).
## 100 MHz oscillator on E3; btn_n on the red CK_RST button (C2, active low).
## The Arty's LEDs light on a high level, and this top drives them active high:
## LD4 (H5) lit = self-test passed, LD5 (J5) lit = self-test failed.
set_property -dict { PACKAGE_PIN E3 IOSTANDARD LVCMOS33 } [get_ports clk]
create_clock -name clk -period 10.000 -waveform {0 5} [get_ports clk]
set_property -dict { PACKAGE_PIN C2 IOSTANDARD LVCMOS33 } [get_ports btn_n]
set_property -dict { PACKAGE_PIN H5 IOSTANDARD LVCMOS33 } [get_ports led_pass]
set_property -dict { PACKAGE_PIN J5 IOSTANDARD LVCMOS33 } [get_ports led_fail]
