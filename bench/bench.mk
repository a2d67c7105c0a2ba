# SPDX-License-Identifier: MIT
# `make bench` for Veneer core I: vnbench (the host driver and its peer
# loops), exit0 (the spawn floor) and the hcloop bench guest. bench/run.sh
# runs them.

VNBENCH_SRCS := bench/vnbench.c bench/spawn.c bench/startup.c \
    bench/hypercall.c bench/handoff.c bench/loops.c bench/trap.c bench/hist.c \
    bench/report.c

BENCHES += $(BUILD)/bench/vnbench $(BUILD)/bench/exit0 \
    $(BUILD)/bench/guests/hcloop.elf

$(eval $(call host_prog,$(BUILD)/bench/vnbench,$(VNBENCH_SRCS),-lpthread))

# No libc, static, non-PIE: the same kind of image as the domain stub.
$(eval $(call host_prog,$(BUILD)/bench/exit0,bench/exit0.c,\
    -static -nostdlib -no-pie -Xlinker --build-id=none))

# Bench guests: linked like tests/guests (guest_elf), but listed in BENCHES.
HCLOOP_OBJS := $(call objs_of,gobj,bench/guests/hcloop.c bench/hist.c)
HCLOOP_BASE := 0x400000

$(HCLOOP_OBJS): GUEST_CFLAGS += $(GUEST_PIE_CFLAGS) -Ibench

$(BUILD)/bench/guests/hcloop.elf: $(HCLOOP_OBJS) $(PVFRONT_LIB) $(PVFRONT_LDS)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_LDFLAGS) -T $(PVFRONT_LDS) \
		-Wl,--defsym=GUEST_BASE=$(HCLOOP_BASE) -o $@ \
		$(HCLOOP_OBJS) $(PVFRONT_LIB)
