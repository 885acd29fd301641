# Bit1HW — see README.md. `make demo` runs the main flow; `make test` runs setup and the whole suite.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

APT_PACKAGES := verilator iverilog yosys nextpnr-ice40 fpga-icestorm openfpgaloader jq fonts-dejavu-core
TOOLS := verilator iverilog yosys nextpnr-ice40 icepack iceprog openFPGALoader jq
# The charts (ScottPlot, in process) are drawn in DejaVu Sans, so every machine renders the same pixels.
CHART_FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

.PHONY: setup tools build test demo bench clean

setup: tools build

# Installs the open hardware tools from Debian's packages when any is missing.
tools:
	@missing=""; for t in $(TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	[ -f $(CHART_FONT) ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing (Debian: $(APT_PACKAGES))"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

# Builds the CLI into build/cli and a bin/bit1hw launcher (bin/ and build/ are not committed).
build:
	$(DOTNET) build Bit1HW.sln -c $(CONFIG) -nologo -v q
	$(DOTNET) build src/Bit1HW.Cli/Bit1HW.Cli.csproj -c $(CONFIG) -nologo -v q -o build/cli
	@mkdir -p bin
	@printf '#!/bin/sh\nexec "$$(dirname "$$0")/../build/cli/bit1hw" "$$@"\n' > bin/bit1hw
	@chmod +x bin/bit1hw

# The decoder's SIMD paths again on a runtime told the CPU lacks AVX-512, then AVX2 (the narrower
# GEMV kernel is picked, fp16 widens without vpmovsxwd): same integers and logits.
NARROW_SIMD_TESTS = FullyQualifiedName~GemvKernelTests|FullyQualifiedName~LmHeadOrderTests|FullyQualifiedName~DecoderTests|FullyQualifiedName~MappedLoadTests

# The whole suite (and the narrow-SIMD runs above). Prints one closing line "tests: N passed, N failed" summed over all projects.
test: setup
	@set -o pipefail; $(DOTNET) test Bit1HW.sln -c $(CONFIG) --no-build -nologo 2>&1 | tee build/test.log; status=$$?; \
	for isa in AVX512 AVX2; do env DOTNET_Enable$$isa=0 $(DOTNET) test tests/Bit1HW.Model.Tests -c $(CONFIG) --no-build -nologo \
	  --filter "$(NARROW_SIMD_TESTS)" 2>&1 | tee -a build/test.log || status=1; done; \
	awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($$i == "Failed:") f += $$(i+1); if ($$i == "Passed:") p += $$(i+1); if ($$i == "Skipped:") s += $$(i+1) } } \
	     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' build/test.log; exit $$status

demo: setup
	@bash docs/demo.sh

bench: setup
	$(DOTNET) run -c Release --project tests/Bit1HW.Benchmarks -- --filter '*'

clean:
	rm -rf build bin
	$(DOTNET) clean Bit1HW.sln -nologo -v q
