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
$(eval $(call guest_elf,hostile,tests/guests/hostile.c,0x100000000))
$(eval $(call guest_elf,escape,tests/guests/escape.c,0x7e0000000000))
$(eval $(call guest_elf,rawcall,tests/guests/rawcall.c,0x40000000,$(PVFRONT_NOPAGE_NOTES)))
