# SPDX-License-Identifier: MIT
# Veneer top-level build. Non-recursive: each component adds a fragment
# (*.mk) that appends to the lists below; the rules live in mk/rules.mk.
#
#   make            build everything into build/
#   make test       install missing Debian packages, build, run every test
#   make demo       install, build, boot the demo guest and show its console
#   make bench      run the benchmarks
#   make lint       check formatting against .clang-format
#   make fuzz       bounded fuzz runs

BUILD ?= build

# Lists the fragments append to.
BINS :=              # host programs (build/bin, build/libexec)
GUESTS :=            # guest kernels (build/guests/*.elf)
UNIT_TESTS :=        # Criterion test programs (normal build)
ASAN_UNIT_TESTS :=   # the same tests built with ASan+UBSan
BENCHES :=           # benchmark programs and scripts to build first
LINT_SRCS :=         # extra files for make lint (default: all *.c *.h)
FUZZ_SCRIPTS :=      # executables run by make fuzz, each bounded in time

# Debian packages the build and the tests need (installed by make test/demo).
DEB_PACKAGES := build-essential libyaml-dev libssl-dev libcriterion-dev \
                clang-format pkg-config

include mk/rules.mk
include abi/abi.mk
include hypervisor/hypervisor.mk
include pv-drivers/pv-drivers.mk
include tests/guests/guests.mk
include tests/unit/unit.mk
include bench/bench.mk
# The dom0 libraries' shared control-socket client first: their fragments
# name its sources.
include dom0-tools/libvnctl/libvnctl.mk
-include $(filter-out dom0-tools/libvnctl/libvnctl.mk,\
    $(wildcard dom0-tools/*/*.mk))

.DEFAULT_GOAL := all
.PHONY: all deps test unit asan-unit integration demo bench lint fuzz clean

all: $(BINS) $(GUESTS)

deps:
	@mk/install-deps.sh $(DEB_PACKAGES)

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_TESTS) $(ASAN_UNIT_TESTS)
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory asan-unit
	@$(MAKE) --no-print-directory integration

unit: $(UNIT_TESTS)
	@mk/run-units.sh $(UNIT_TESTS)

asan-unit: $(ASAN_UNIT_TESTS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 mk/run-units.sh $(ASAN_UNIT_TESTS)

integration: $(BINS) $(GUESTS)
	@BUILD=$(BUILD) tests/integration/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@echo "== veneerd run $(BUILD)/guests/hello.elf (no daemon: the edit-run loop)"
	$(BUILD)/bin/veneerd run $(BUILD)/guests/hello.elf --memory 16 --cmdline "console=hvc0"
	@BUILD=$(BUILD) mk/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all $(BENCHES)
	@BUILD=$(BUILD) bench/run.sh

lint:
	@mk/lint.sh $(LINT_SRCS)

fuzz: deps
	@$(MAKE) --no-print-directory all
	@for f in $(FUZZ_SCRIPTS); do echo "== $$f"; BUILD=$(BUILD) $$f || exit 1; done

clean:
	rm -rf $(BUILD)
