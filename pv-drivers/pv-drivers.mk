# SPDX-License-Identifier: MIT
# Guest runtime build: libpvfront.a, the freestanding library every PV
# guest links (entry, ELF notes, hypercall page, console, printf, string,
# page tables and PV MMU helpers, traps, event channels, grant tables,
# shared_info, time, the xenstore client).
#
# Guest code is compiled -fpie although it is linked static and
# position-dependent: guests are linked anywhere in the lower half (VA 0,
# 4 GiB, just below VENEER_GUEST_VA_LIMIT), beyond the reach of the small
# code model's 32-bit absolute addresses, and -fpie makes every reference
# RIP-relative instead.

PVFRONT_SRCS := \
	pv-drivers/entry_x86_64.S \
	pv-drivers/elfnote.S \
	pv-drivers/hypercall_page.S \
	pv-drivers/runtime.c \
	pv-drivers/console.c \
	pv-drivers/format.c \
	pv-drivers/string.c \
	pv-drivers/pagetable.c \
	pv-drivers/pages.c \
	pv-drivers/mmu.c \
	pv-drivers/shinfo.c \
	pv-drivers/traps.c \
	pv-drivers/trap_entry_x86_64.S \
	pv-drivers/evtchn.c \
	pv-drivers/gnttab.c \
	pv-drivers/time.c \
	pv-drivers/xenbus.c
PVFRONT_OBJS := $(call objs_of,gobj,$(PVFRONT_SRCS))
PVFRONT_LIB := $(BUILD)/pv-drivers/libpvfront.a
PVFRONT_LDS := pv-drivers/guest.ld

# Every guest object (runtime, test and example guests) gets -fpie: a
# pattern-specific append, so it is added once per object however many
# guests share it.
$(BUILD)/gobj/%.o: GUEST_CFLAGS += -fpie

# The ELF notes without HYPERCALL_PAGE, for guests that use raw syscall
# hypercalls only; linked before the library, it keeps elfnote.o out.
PVFRONT_NOPAGE_NOTES := $(BUILD)/gobj/pv-drivers/elfnote_nopage.o

$(PVFRONT_NOPAGE_NOTES): pv-drivers/elfnote.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -DRUNTIME_NO_HYPERCALL_PAGE \
		-c $< -o $@

$(PVFRONT_LIB): $(PVFRONT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# $(call guest_elf,NAME,SOURCES,GUEST_BASE[,EXTRA_OBJS]): a test or
# example guest linked at GUEST_BASE with the runtime; EXTRA_OBJS (such as
# $(PVFRONT_NOPAGE_NOTES)) are linked ahead of the library.
define guest_elf
GUESTS += $(BUILD)/guests/$(1).elf
$(BUILD)/guests/$(1).elf: $(call objs_of,gobj,$(2)) $(4) $(PVFRONT_LIB) \
		$(PVFRONT_LDS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(GUEST_LDFLAGS) -T $(PVFRONT_LDS) \
		-Wl,--defsym=GUEST_BASE=$(3) -o $$@ \
		$(call objs_of,gobj,$(2)) $(4) $(PVFRONT_LIB)
endef
