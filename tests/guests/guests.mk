# SPDX-License-Identifier: MIT
# Test guests: one C file each, linked with libpvfront.a at a chosen base
# so that between them they cover VA 0, low memory, above 4 GiB and the
# top of the guest range (just below VENEER_GUEST_VA_LIMIT).

$(eval $(call guest_elf,hello,tests/guests/hello.c,0x0))
