# Generic timing constraint for the engine top or the board wrapper: one clock, 100 MHz target.
create_clock -name clk -period 10.000 [get_ports clk]
