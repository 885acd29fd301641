#!/usr/bin/env bash
# `make demo`: the main flow on the built-in default configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
b=bin/bit1hw
out=build/demo
mkdir -p "$out"
echo "== hardware configuration (built-in default)"
$b info

echo "== generate the default engine's Verilog (docs/hardware.md, \"Generator\")"
$b gen --out "$out/rtl"
echo "== synthesize it for iCE40 UP5K with yosys (cell counts; bin/bit1hw synth without --yosys-only also places it)"
$b synth --target ice40-up5k --yosys-only --out "$out/synth"
