# SPDX-License-Identifier: MIT
# libvstore: the dom0 client library for vstored (header vstore.h here).

LIBVSTORE_SRCS := $(addprefix dom0-tools/libvstore/, path.c)
LIBVSTORE := $(BUILD)/lib/libvstore.a

BINS += $(LIBVSTORE)

$(LIBVSTORE): $(call objs_of,obj,$(LIBVSTORE_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
