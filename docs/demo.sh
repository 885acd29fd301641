#!/usr/bin/env bash
# `make demo`: the main flow on the built-in default configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
b=bin/bit1hw
out=build/demo
mkdir -p "$out"
echo "== hardware configuration (built-in default)"
$b info
echo "== energy: BitNet b1.58 2B-4T, ternary vs FP16 at 7 nm (docs/energy.md)"
$b energy --model bitnet-b1.58-2b-4t --node 7nm
echo "== a seeded BitNet-2B-sized layer (FFN down projection: out 2560, in 6912, 8 tokens) through the reference BitLinear"
$b make-layer --out "$out/layer.safetensors" --out-features 2560 --in-features 6912 --tokens 8 --seed 7 --zero-fraction 0.1
$b bitlinear --in "$out/layer.safetensors" --out "$out/bitlinear.safetensors" --act-bits 8
$b quantize --in "$out/layer.safetensors" --out "$out/weight_q.safetensors"
echo "== a small layer compiled for the default engine and simulated cycle by cycle (docs/hardware.md)"
$b make-layer --out "$out/small.safetensors" --out-features 32 --in-features 512 --tokens 4 --seed 7
$b compile --in "$out/small.safetensors" --asm "$out/small.s" --image "$out/small.b1img"
$b sim --in "$out/small.safetensors" --out "$out/sim.safetensors" --report "$out/sim.json" --quiet
echo "== energy of that simulated run, from its activity counters"
$b energy --from-sim "$out/sim.json" --node 7nm
echo "== a tiny synthetic BitNet model, decoded bit-exactly (docs/model.md)"
$b model new --config examples/models/tiny.json --seed 7 --format gguf-tq2 --out "$out/tiny.gguf"
$b decode --model "$out/tiny.gguf" --prompt-tokens "1 15 27" --max-new 4 --backend sim --compare
