# SPDX-License-Identifier: MIT
# Test guests: one C file each, linked with libpvfront.a at a chosen base
# so that between them they cover VA 0, low memory, above 4 GiB and the
# top of the guest range (just below VENEER_GUEST_VA_LIMIT).

$(eval $(call guest_elf,hello,tests/guests/hello.c,0x0))
$(eval $(call guest_elf,layout,tests/guests/layout.c,0x1000000))
# The same checks where the bootstrap region is awkward: starting one page
# below a 4 MiB boundary, and ending exactly at VENEER_GUEST_VA_LIMIT.
$(eval $(call guest_elf,layout_odd,tests/guests/layout.c,0x3ff000))
$(eval $(call guest_elf,layout_top,tests/guests/layout.c,0x7effffc00000))
$(eval $(call guest_elf,crash,tests/guests/crash.c,0x400000))
$(eval $(call guest_elf,idle,tests/guests/idle.c,0x200000))
$(eval $(call guest_elf,hostile,tests/guests/hostile.c tests/guests/hostile_pv.c,0x100000000))
$(eval $(call guest_elf,chaos,tests/guests/chaos.c,0x200000000))
$(eval $(call guest_elf,escape,tests/guests/escape.c,0x7e0000000000))
$(eval $(call guest_elf,rawcall,tests/guests/rawcall.c,0x40000000,$(PVFRONT_NOPAGE_NOTES)))
# Feature guests: the PV MMU, ballooning, traps and timers. They share the
# gtest check-and-report helpers.
GTEST_SRCS := tests/guests/gtest.c
$(eval $(call guest_elf,mmu,tests/guests/mmu.c $(GTEST_SRCS),0x80000000))
$(eval $(call guest_elf,traps,tests/guests/traps.c $(GTEST_SRCS),0x10000000))
# The same without a hypercall page: trap returns take the raw iret path.
$(eval $(call guest_elf,traps_raw,tests/guests/traps.c $(GTEST_SRCS),0x10000000,$(PVFRONT_NOPAGE_NOTES)))
$(eval $(call guest_elf,timer,tests/guests/timer.c $(GTEST_SRCS),0x600000))
$(eval $(call guest_elf,balloon,tests/guests/balloon.c $(GTEST_SRCS),0x20000000))
# Grant tables: one guest granting to itself; two guests granting to each
# other (under the daemon); a guest granting to dom0's host processes.
$(eval $(call guest_elf,gnttab,tests/guests/gnttab.c $(GTEST_SRCS),0x30000000))
$(eval $(call guest_elf,gntpair,tests/guests/gntpair.c $(GTEST_SRCS),0x40000000))
$(eval $(call guest_elf,gntdom0,tests/guests/gntdom0.c $(GTEST_SRCS),0x50000000))
# Upcalls, timers and blocking, against veneerd; idle_block is also the
# no-CPU-while-blocked check.
$(eval $(call guest_elf,idle_block,tests/guests/idle_block.c,0x300000))
$(eval $(call guest_elf,upcall_probe,tests/guests/upcall_probe.c,0x2000000))
# Event channels between two domains of one `veneerd run` (ping and pong
# roles), and a sender flooding a victim.
$(eval $(call guest_elf,evchan,tests/guests/evchan.c $(GTEST_SRCS),0x700000))
$(eval $(call guest_elf,evflood,tests/guests/evflood.c $(GTEST_SRCS),0x900000))
# The xenstore client against vstored over the guest's store ring.
$(eval $(call guest_elf,xenstore,tests/guests/xenstore.c $(GTEST_SRCS),0xa00000))
