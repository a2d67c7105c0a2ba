# SPDX-License-Identifier: MIT
# Grant-table figures for `make bench` (included from bench/bench.mk):
# gntbench, the host driver, and gntloop, its bench guest. bench/run.sh
# runs them after vnbench2.

BENCHES += $(BUILD)/bench/gntbench
$(eval $(call host_prog,$(BUILD)/bench/gntbench,bench/gntbench.c,))

$(eval $(call bench_guest,gntloop,bench/guests/gntloop.c \
    bench/guests/bguest.c bench/hist.c,0x20000000))
