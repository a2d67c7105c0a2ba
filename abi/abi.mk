# SPDX-License-Identifier: MIT
# ABI headers: layout golden test and standalone-header checks.
#
# test_abi_layout compares every ABI struct's size and offsets with the
# hand-written tests/unit/abi_layout.golden. It links one translation
# unit per header (tests/unit/abi_hdr/*.c, each including only its
# header) to prove each header is self-contained on the host; the same
# files are also compiled freestanding with the guest flags, and
# asm_headers.S checks the headers that promise -D__ASSEMBLY__ support.
# Those freestanding objects are order-only prerequisites of the test, so
# `make test` builds (and fails on) them without linking them anywhere.

ABI_HDR_SRCS := $(sort $(wildcard tests/unit/abi_hdr/*.c))
ABI_HDR_GOBJS := $(call objs_of,gobj,$(ABI_HDR_SRCS) tests/unit/abi_hdr/asm_headers.S)

$(eval $(call unit_test,test_abi_layout,tests/unit/test_abi_layout.c $(ABI_HDR_SRCS),))

$(BUILD)/tests/test_abi_layout $(BUILD)/asan/tests/test_abi_layout: | $(ABI_HDR_GOBJS)
