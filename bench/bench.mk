# SPDX-License-Identifier: MIT
# `make bench` for Veneer core I: vnbench (the host driver and its peer
# loops), exit0 (the spawn floor) and the hcloop bench guest. bench/run.sh
# runs them.

# The clock and the table are vnbench2's too.
BENCH_SHARED_SRCS := bench/clock.c bench/table.c bench/hist.c
VNBENCH_SRCS := bench/vnbench.c bench/spawn.c bench/startup.c \
    bench/hypercall.c bench/handoff.c bench/loops.c bench/trap.c \
    bench/report.c $(BENCH_SHARED_SRCS)

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

# vnbench2, run by bench/run.sh after vnbench and the store comparison:
# Veneer core II (c-e: page-table updates, upcalls, timers) and the
# toolstack (f-h: create to first line, create/destroy rate, memory per
# idle domain), its bench guests, the idle process sleep0 and the PVH
# kernel QEMU boots. libvn's fragment comes after this one: its archives
# are named by path.
VNBENCH2_SRCS := bench/vnbench2.c bench/fig.c bench/child.c \
    bench/procinfo.c bench/vnhost.c bench/gresult.c bench/ptupdate.c \
    bench/mmpeer.c bench/upcall.c bench/sigpeer.c bench/timers.c \
    bench/boot.c bench/domrate.c bench/idlemem.c $(BENCH_SHARED_SRCS)
VNBENCH2_LIBS := $(BUILD)/lib/libvn.a $(BUILD)/lib/libvstore.a

BENCHES += $(BUILD)/bench/vnbench2 $(BUILD)/bench/sleep0 \
    $(BUILD)/bench/qemu_pvh.elf

$(call objs_of,obj,bench/domrate.c bench/idlemem.c): \
    HOST_CFLAGS += -Idom0-tools/libvn
$(BUILD)/bench/vnbench2: $(VNBENCH2_LIBS)
$(eval $(call host_prog,$(BUILD)/bench/vnbench2,$(VNBENCH2_SRCS),\
    $(VNBENCH2_LIBS) -lyaml -lpthread))

$(eval $(call host_prog,$(BUILD)/bench/sleep0,bench/sleep0.c,\
    -static -nostdlib -no-pie -Xlinker --build-id=none))

# A 32-bit ELF with no libc and no dependency file: QEMU's to boot.
$(BUILD)/bench/qemu_pvh.elf: bench/qemu_pvh.S bench/qemu_pvh.ld
	@mkdir -p $(dir $@)
	$(CC) -m32 -c bench/qemu_pvh.S -o $(BUILD)/bench/qemu_pvh.o
	$(LD) -m elf_i386 -T bench/qemu_pvh.ld -o $@ $(BUILD)/bench/qemu_pvh.o

# $(call bench_guest,NAME,SOURCES,GUEST_BASE): a bench guest linked like
# tests/guests (guest_elf) into $(BUILD)/bench/guests, listed in BENCHES.
define bench_guest
BENCHES += $(BUILD)/bench/guests/$(1).elf
$(call objs_of,gobj,$(2)): GUEST_CFLAGS += -Ibench -Ibench/guests
$(BUILD)/bench/guests/$(1).elf: $(call objs_of,gobj,$(2)) $(PVFRONT_LIB) \
		$(PVFRONT_LDS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(GUEST_LDFLAGS) -T $(PVFRONT_LDS) \
		-Wl,--defsym=GUEST_BASE=$(3) -o $$@ \
		$(call objs_of,gobj,$(2)) $(PVFRONT_LIB)
endef

BGUEST_SRCS := bench/guests/bguest.c bench/hist.c
$(eval $(call bench_guest,ptloop,bench/guests/ptloop.c $(BGUEST_SRCS),0x10000000))
$(eval $(call bench_guest,uplat,bench/guests/uplat.c $(BGUEST_SRCS),0x600000))
$(eval $(call bench_guest,idle_block,bench/guests/idle_block.c,0x300000))

# Grant tables (gntbench and its guest).
include bench/gnttab.mk
