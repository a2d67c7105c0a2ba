# SPDX-License-Identifier: MIT
# libvstore: the dom0 client library for vstored. Its one public header
# is dom0-tools/libvstore/vstore.h; link $(LIBVSTORE).

LIBVSTORE_SRCS := $(addprefix dom0-tools/libvstore/, path.c conn.c ops.c \
    watch.c)
LIBVSTORE := $(BUILD)/lib/libvstore.a

BINS += $(LIBVSTORE)

$(LIBVSTORE): $(call objs_of,obj,$(LIBVSTORE_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# The library's end-to-end test driver, run by
# tests/integration/t_vstored_libvstore.sh against a live vstored.
BINS += $(BUILD)/tests/libvstore-selftest
$(eval $(call host_prog,$(BUILD)/tests/libvstore-selftest,\
    dom0-tools/libvstore/selftest.c,))
$(BUILD)/tests/libvstore-selftest: $(LIBVSTORE) # linked through $$^
