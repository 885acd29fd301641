#!/usr/bin/env bash
# `make demo`: the main flow on the built-in default configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
b=bin/bit1hw
out=build/demo
mkdir -p "$out"
echo "== hardware configuration (built-in default)"
$b info
