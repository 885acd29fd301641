## Digilent Arty A7-35T (xc7a35ticsg324-1L) pins for the board wrapper bit1hw_board_<tag>.
## 100 MHz oscillator on E3; btn_n on the red CK_RST button (C2, active low);
## the LEDs LD4/LD5 (H5, J5) are active high, so a lit LD4 means "not passed" and a lit LD5 "not failed".
set_property -dict { PACKAGE_PIN E3 IOSTANDARD LVCMOS33 } [get_ports clk]
create_clock -name clk -period 10.000 -waveform {0 5} [get_ports clk]
set_property -dict { PACKAGE_PIN C2 IOSTANDARD LVCMOS33 } [get_ports btn_n]
set_property -dict { PACKAGE_PIN H5 IOSTANDARD LVCMOS33 } [get_ports led_pass_n]
set_property -dict { PACKAGE_PIN J5 IOSTANDARD LVCMOS33 } [get_ports led_fail_n]
