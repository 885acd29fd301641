#!/usr/bin/env bash
# Fmax of the PE array alone on the iCE40 UP5K (docs/hardware.md, "Ternary lane term"): `bit1hw synth`
# places only the board design, and the array's act/wgt ports are far wider than the part's pins, so
# this wraps the generated array in a shift register (fed from one pin) that drives rst, in_valid,
# clr, act and wgt, and registers the XOR of every accumulator bit into one output pin: every array
# path is then register to register. Prints the array's SB_LUT4 count and, for seeds 1-3, nextpnr's
# Fmax and the critical path's ends; the median of the three is the figure to quote.
#   bash docs/array-fmax.sh [gen flags...]      e.g.  bash docs/array-fmax.sh --config docs/examples/bench.json
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/array-fmax
rm -rf "$out" && mkdir -p "$out"
bin/bit1hw gen "$@" --out "$out" >/dev/null
num() { grep -o "\"$1\": [0-9]*" "$out/manifest.json" | head -1 | grep -o '[0-9]*$'; }
tag=$(grep -o '"tag": "[^"]*"' "$out/manifest.json" | cut -d'"' -f4)
lanes=$(num lanes); rows=$(num rows); actBits=$(num actBits); accBits=$(num accBits); weightBits=$(num weightBits)
a=$((lanes * actBits)); w=$((rows * lanes * weightBits)); o=$((rows * accBits)); n=$((a + w + 3))
cat > "$out/array_fmax_top.v" <<EOF
module array_fmax_top (input wire clk, input wire din, output reg dout);
    reg [$((n - 1)):0] sr;
    wire acc_en;
    wire [$((o - 1)):0] acc;
    always @(posedge clk) sr <= {sr[$((n - 2)):0], din};
    bit1hw_array_$tag dut (.clk(clk), .rst(sr[0]), .in_valid(sr[1]), .clr(sr[2]), .act(sr[$((a + 2)):3]),
        .wgt(sr[$((a + w + 2)):$((a + 3))]), .acc_en(acc_en), .acc(acc));
    always @(posedge clk) dout <= ^{acc, acc_en};
endmodule
EOF
printf 'set_io clk 35\nset_io din 10\nset_io dout 37\n' > "$out/array_fmax.pcf"
cd "$out"
yosys -q -p "read_verilog -sv bit1hw_array_$tag.v bit1hw_pe_$tag.v; synth_ice40 -top bit1hw_array_$tag; tee -q -o array_stat.txt stat"
echo "array bit1hw_array_$tag: $(grep -E 'SB_LUT4' array_stat.txt | tr -s ' ' | sed 's/^ //') ($lanes lanes x $rows rows)"
yosys -q -p "read_verilog -sv bit1hw_array_$tag.v bit1hw_pe_$tag.v array_fmax_top.v; synth_ice40 -top array_fmax_top -json top.json"
for seed in 1 2 3; do
    nextpnr-ice40 --up5k --package sg48 --json top.json --pcf array_fmax.pcf --freq 150 --seed $seed \
        --log "nextpnr_seed$seed.log" --quiet >/dev/null 2>&1 || true   # exits 1 when 150 MHz is missed
    fmax=$(grep -o "Max frequency for clock '[^']*': [0-9.]* MHz" "nextpnr_seed$seed.log" | tail -1 | grep -o '[0-9.]* MHz')
    path=$(sed -n '/Critical path report for clock/,/ns logic/p' "nextpnr_seed$seed.log" | grep -E 'Source|Sink' | sed -n '1p;$p' |
        awk '{print $NF}' | paste -sd' ' | sed 's/ / -> /')
    echo "seed $seed: $fmax  ($path)"
done
