# SPDX-License-Identifier: MIT
# Compiler flags and pattern rules shared by every fragment.
#
# Object trees (mirroring the source path):
#   $(BUILD)/obj/...       host code (veneerd, dom0 tools, tests)
#   $(BUILD)/asan/...      host code built with ASan+UBSan
#   $(BUILD)/gobj/...      freestanding guest code (pv-drivers, test guests)
#   $(BUILD)/sobj/...      the domain stub (freestanding, static, fixed address)

CC ?= gcc
WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
            -Wshadow -Wformat=2 -Wvla -Wpointer-arith
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -D_GNU_SOURCE -Iabi -MMD -MP
ASAN_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) -D_GNU_SOURCE -Iabi -MMD -MP \
               -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
ASAN_LDFLAGS := -fsanitize=address,undefined
# Guest kernels run at CPL 3 under Veneer but are still kernels: no libc,
# no red zone (bounce frames are written below the guest's rsp), no SSE in
# kernel code, no stack protector (no TLS canary).
GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -ffreestanding -fno-builtin \
                -fno-pic -fno-pie -mno-red-zone -mno-sse -mno-mmx -mno-sse2 \
                -mno-avx -fno-stack-protector -fno-asynchronous-unwind-tables \
                -fcf-protection=none -fno-delete-null-pointer-checks \
                -Iabi -Ipv-drivers/include -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
                 -Wl,-z,noexecstack -Wl,-z,max-page-size=4096
# The stub is position-dependent at a fixed high address: compile with
# -fpie for RIP-relative code, link non-PIE with its own linker script.
STUB_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -ffreestanding -fno-builtin \
               -fpie -mno-red-zone -fno-stack-protector \
               -fno-asynchronous-unwind-tables -fcf-protection=none \
               -mgeneral-regs-only -Iabi -Ihypervisor -MMD -MP

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c $< -o $@

$(BUILD)/gobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/gobj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/sobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STUB_CFLAGS) -c $< -o $@

$(BUILD)/sobj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(STUB_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# objs_of(tree, sources): object paths for sources in a tree.
objs_of = $(patsubst %.S,$(BUILD)/$(1)/%.o,$(patsubst %.c,$(BUILD)/$(1)/%.o,$(2)))

# $(call host_prog,OUTPUT,SOURCES,LDLIBS): a host program.
define host_prog
$(1): $(call objs_of,obj,$(2))
	@mkdir -p $$(dir $$@)
	$$(CC) -o $$@ $$^ $(3)
endef

# $(call unit_test,NAME,SOURCES,LDLIBS): a Criterion test, built normally
# and with ASan+UBSan.
define unit_test
UNIT_TESTS += $(BUILD)/tests/$(1)
ASAN_UNIT_TESTS += $(BUILD)/asan/tests/$(1)
$(BUILD)/tests/$(1): $(call objs_of,obj,$(2))
	@mkdir -p $$(dir $$@)
	$$(CC) -o $$@ $$^ -lcriterion $(3)
$(BUILD)/asan/tests/$(1): $(call objs_of,asan,$(2))
	@mkdir -p $$(dir $$@)
	$$(CC) $(ASAN_LDFLAGS) -o $$@ $$^ -lcriterion $(3)
endef

-include $(shell find $(BUILD)/obj $(BUILD)/asan $(BUILD)/gobj $(BUILD)/sobj \
    -name '*.d' -type f 2>/dev/null)
