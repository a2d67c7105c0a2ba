# SPDX-License-Identifier: MIT
# vstored, the xenstore-compatible store daemon, its unit tests, fuzzer and
# integration tests. The client library has its own fragment
# (dom0-tools/libvstore/libvstore.mk); the benchmark lives in bench/.

# The store core: request bytes in, reply bytes out, no sockets. Unit
# tests and the fuzzer link exactly this.
VSTORED_CORE_SRCS := $(addprefix dom0-tools/vstored/, htab.c obuf.c path.c \
    perms.c tree.c domain.c access.c txn.c watch.c conn.c dispatch.c \
    ops_node.c ops_misc.c ring.c log.c)
VSTORED_SRCS := $(VSTORED_CORE_SRCS) $(addprefix dom0-tools/vstored/, \
    loop.c unix.c guest.c main.c)

# The guest-ring transport maps rings with libvngnt and binds their event
# channels with libvnev (guest.c).
BINS += $(BUILD)/bin/vstored
$(eval $(call host_prog,$(BUILD)/bin/vstored,$(VSTORED_SRCS) \
    dom0-tools/libvstore/path.c $(sort $(LIBVNGNT_SRCS) $(LIBVNEV_SRCS)),))

# main.c uses the client library's socket-path rule, guest.c the dom0
# grant and event-channel libraries; tests include the store's internal
# header.
$(BUILD)/obj/dom0-tools/vstored/%.o: HOST_CFLAGS += -Idom0-tools/libvstore \
    -Idom0-tools/libvngnt -Idom0-tools/libvnev
$(BUILD)/obj/tests/unit/test_vstore%.o: HOST_CFLAGS += -Idom0-tools/vstored
$(BUILD)/asan/tests/unit/test_vstore%.o: ASAN_CFLAGS += -Idom0-tools/vstored

VSTORE_TEST_UTIL := tests/unit/test_vstore_util.c $(VSTORED_CORE_SRCS)
$(eval $(call unit_test,test_vstore_tree,tests/unit/test_vstore_tree.c \
    $(VSTORE_TEST_UTIL),))
$(eval $(call unit_test,test_vstore_txn,tests/unit/test_vstore_txn.c \
    $(VSTORE_TEST_UTIL),))
$(eval $(call unit_test,test_vstore_watch,tests/unit/test_vstore_watch.c \
    $(VSTORE_TEST_UTIL),))
$(eval $(call unit_test,test_vstore_quota,tests/unit/test_vstore_quota.c \
    $(VSTORE_TEST_UTIL),))
$(eval $(call unit_test,test_vstore_msg,tests/unit/test_vstore_msg.c \
    $(VSTORE_TEST_UTIL),))
$(eval $(call unit_test,test_vstore_ring,tests/unit/test_vstore_ring.c \
    $(VSTORE_TEST_UTIL),))

# Integration tests drive Debian's xenstore-* tools against vstored.
DEB_PACKAGES += xenstore-utils

# make fuzz: the message-handling fuzzer, built with clang by its script.
FUZZ_SCRIPTS += dom0-tools/vstored/fuzz/run-fuzz.sh \
    dom0-tools/vstored/fuzz/run-fuzz-ring.sh
FUZZ_CFLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -Iabi -Idom0-tools/vstored \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
$(BUILD)/fuzz/fuzz_vstore_msg: dom0-tools/vstored/fuzz/fuzz_msg.c \
    $(VSTORED_CORE_SRCS) $(wildcard dom0-tools/vstored/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ dom0-tools/vstored/fuzz/fuzz_msg.c \
	    $(VSTORED_CORE_SRCS)
# The same for the ring page (ring.c) played by a hostile guest.
$(BUILD)/fuzz/fuzz_vstore_ring: dom0-tools/vstored/fuzz/fuzz_ring.c \
    $(VSTORED_CORE_SRCS) $(wildcard dom0-tools/vstored/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ dom0-tools/vstored/fuzz/fuzz_ring.c \
	    $(VSTORED_CORE_SRCS)

# The benchmark's fragment (bench/vstored.mk is ours; bench/bench.mk is not).
include bench/vstored.mk
