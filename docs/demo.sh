#!/usr/bin/env bash
# `make demo`: the whole flow in the order a user runs it: the built-in default configuration, and the
# iCEBreaker configuration (docs/examples/icebreaker.json) for the FPGA steps.
set -euo pipefail
cd "$(dirname "$0")/.."
b=bin/bit1hw
out=build/demo
mkdir -p "$out"
echo "== 1. hardware configuration (built-in default)"
$b info
echo
echo "== 2. a seeded BitNet-2B-sized layer (FFN down projection: out 2560, in 6912, 8 tokens) through the reference BitLinear"
$b make-layer --out "$out/layer.safetensors" --out-features 2560 --in-features 6912 --tokens 8 --seed 7 --zero-fraction 0.1
$b bitlinear --in "$out/layer.safetensors" --out "$out/bitlinear.safetensors" --act-bits 8
$b quantize --in "$out/layer.safetensors" --out "$out/weight_q.safetensors"
echo
echo "== 3. generate the iCEBreaker engine (docs/examples/icebreaker.json: 16 lanes x 7 rows, memory words in SPRAM) and synthesize it for the iCE40 UP5K with yosys (docs/hardware.md)"
$b gen --target ice40-up5k --out "$out/rtl"
$b synth --target ice40-up5k --yosys-only --out "$out/synth"
echo
echo "== 4. a small layer compiled for the default engine and simulated cycle by cycle"
$b make-layer --out "$out/small.safetensors" --out-features 32 --in-features 512 --tokens 4 --seed 7
$b compile --in "$out/small.safetensors" --asm "$out/small.s" --image "$out/small.b1img" --schedule "$out/small-schedule.png"
$b sim --in "$out/small.safetensors" --out "$out/sim.safetensors" --report "$out/sim.json" --quiet
echo
echo "== 5. the same layer three ways: reference vs C# simulator vs generated RTL under Verilator (docs/verification.md)"
$b cosim --in "$out/small.safetensors"
echo "   and on the iCEBreaker engine's RTL (SPRAM, SB_MAC16 accumulators, under Verilator with the cell models)"
$b cosim --in "$out/small.safetensors" --target ice40-up5k --accumulators mac16 --quiet
echo
echo "== 6. a tiny synthetic BitNet model (GGUF TQ2_0) decoded on the generated RTL under Verilator, every accumulator checked against the reference (docs/model.md)"
$b model new --model-config docs/examples/models/tiny.json --seed 7 --format gguf-tq2 --out "$out/tiny.gguf"
$b decode --model "$out/tiny.gguf" --prompt-tokens "1 15 27" --max-new 4 --backend verilator --compare
echo
echo "== 7. energy: BitNet b1.58 2B-4T vs FP16 at 7 nm, then the simulated run from its activity counters (docs/energy.md)"
$b energy --model bitnet-b1.58-2b-4t --node 7nm
$b energy --from-sim "$out/sim.json" --node 7nm
echo
echo "== 8. the iCEBreaker bitstream (docs/examples/icebreaker-board.json: 16 lanes x 6 rows) with the UART host link, then the small layer run over the simulated board's UART at 115200 baud, checked bit for bit (docs/board.md)"
$b board build --board icebreaker --out "$out/board"
$b board run --port sim --in "$out/small.safetensors" --out "$out/board.safetensors" --report "$out/board.json"
