# SPDX-License-Identifier: MIT
# vstored_bench (included from dom0-tools/vstored/vstored.mk): the store
# against an echo server on the same socket type. Run it with
#   build/bench/vstored_bench --vstored build/bin/vstored [--seconds S]

BENCHES += $(BUILD)/bench/vstored_bench
$(eval $(call host_prog,$(BUILD)/bench/vstored_bench,bench/vstored_bench.c \
    bench/vstored_bench_echo.c,-lpthread))
