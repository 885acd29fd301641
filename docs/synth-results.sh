#!/usr/bin/env bash
# Regenerates the tables of docs/hardware.md "Results": one `bit1hw synth` run per row, then the
# markdown rows read from each report.json (with jq). Usage, after `make setup`:
#   bash docs/synth-results.sh [out-dir]        # default build/results; tables on stdout, progress on stderr
# The iCE40 designs are generated for the part (memory words in SPRAM where that saves block RAM) and
# placed with nextpnr (3 seeds, target 100 MHz) when yosys's cells fit the UP5K; the others get yosys
# figures and a note naming the resource that does not fit. A row whose report.json is already in
# out-dir is not run again (delete it, or the directory, to re-measure).
set -euo pipefail
cd "$(dirname "$0")/.."
b=bin/bit1hw
out=${1:-build/results}
command -v jq >/dev/null || { echo "synth-results: needs jq (make setup installs it)" >&2; exit 3; }

synth() { # name target config [flags...]
  local name=$1 target=$2 config=$3; shift 3
  [ -f "$out/$name/report.json" ] && return 0
  $b synth --target "$target" --config "$config" "$@" --out "$out/$name" >/dev/null
}

# bench.json has 16-word activation memories, so 8 lanes take maxK 8 · 16 = 128 (the others keep 256).
for spec in "8 ternary --max-k 128" "8 mac --max-k 128" "16 ternary" "16 mac" "64 ternary" "64 mac"; do
  set -- $spec
  synth "ice40-$2-$1" ice40-up5k docs/examples/bench.json --lanes "$1" --pe "$2" "${@:3}"
  if [ "$1" = 16 ] && [ "$2" = mac ]; then   # the 16-lane xc7 rows before the slow 64-lane ones
    synth xc7-ternary-16 xc7 docs/examples/bench.json --lanes 16 --pe ternary
    synth xc7-mac-16 xc7 docs/examples/bench.json --lanes 16 --pe mac
  fi
done
for spec in "64 ternary" "64 mac"; do
  set -- $spec
  synth "xc7-$2-$1" xc7 docs/examples/bench.json --lanes "$1" --pe "$2"
done
synth ice40-icebreaker ice40-up5k docs/examples/icebreaker.json
synth ice40-icebreaker-mac16 ice40-up5k docs/examples/icebreaker.json --accumulators mac16 --yosys-only
synth ice40-default ice40-up5k docs/examples/default.json --yosys-only

ice40_row='
  def use(r): [.device[] | select(.resource == r) | "\(.used) (\(.percent)%)"] | first // "n/a";
  def fmax: if .fmaxMhz == null then "n/a: " + (.note | sub("^not placed: does not fit the [^(]*\\(iCEBreaker\\) "; "does not fit "))
            else "\(.fmaxMhz) (\([.placeAndRoute.seeds[].fmaxMhz | tostring] | join(", ")))" end;
  def design_name: .tag + (if ($n | endswith("-mac16")) then ", SB_MAC16 accumulators" else "" end);
  "| \(design_name) | \(.array.luts) | \(.array.ffs) | \(.array.dsps) | \(.lutsPerLane) | \(.design.luts) | \(.design.ffs) | \(use("logic cells")) | \(use("block RAM")) | \(use("SPRAM")) | \(use("DSP")) | \(fmax) |"'
xc7_row='
  def use(r): [.device[] | select(.resource == r) | "\(.used) (\(.percent)%)"] | first;
  "| \(.tag) | \(.array.luts) | \(.array.ffs) | \(.array.dsps) | \(.lutsPerLane) | \(use("LUTs")) | \(use("FFs")) | \(.design.kinds.inverter) | \(.design.kinds.lutRam) | \(use("block RAM")) | \(use("DSP")) |"'

echo "iCE40 UP5K (iCE40UP5K-SG48, iCEBreaker):"
echo
echo "| design | array LUT4 | array FFs | array SB_MAC16 | LUT4 / lane | design LUT4 | design FFs | logic cells (of 5280) | SB_RAM40_4K (of 30) | SPRAM (of 4) | SB_MAC16 (of 8) | Fmax MHz, median (seeds 1, 2, 3) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in ice40-ternary-8 ice40-mac-8 ice40-ternary-16 ice40-mac-16 ice40-ternary-64 ice40-mac-64 ice40-icebreaker ice40-icebreaker-mac16 ice40-default; do
  jq -r --arg n "$n" "$ice40_row" "$out/$n/report.json"
done
echo
echo "Critical paths (median seed, nextpnr-ice40):"
for n in ice40-ternary-8 ice40-mac-8 ice40-ternary-16 ice40-mac-16 ice40-icebreaker; do
  jq -r '. as $r | .placeAndRoute // empty | .medianSeed as $m | .seeds[] | select(.seed == $m) | .criticalPath // empty |
         "- \($r.tag): \(.from) -> \(.to), \(.delayNs) ns (\(.logicNs) logic, \(.routingNs) routing)"' "$out/$n/report.json"
done
echo
echo "Xilinx 7-series (counted against the XC7A35T, Arty A7-35T; yosys only):"
echo
echo "| design | array LUTs | array FFs | array DSP48E1 | LUTs / lane | design LUTs (of 20800) | design FFs (of 41600) | of which INV | LUT-RAM cells | RAMB18 (of 100) | DSP48E1 (of 90) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in xc7-ternary-16 xc7-mac-16 xc7-ternary-64 xc7-mac-64; do
  jq -r "$xc7_row" "$out/$n/report.json"
done
