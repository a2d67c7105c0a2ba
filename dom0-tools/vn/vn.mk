# SPDX-License-Identifier: MIT
# vn, the Veneer command line (docs/vn.md), over libvn.

VN_SRCS := $(addprefix dom0-tools/vn/, main.c util.c table.c cmd_create.c \
    cmd_domain.c cmd_console.c cmd_shutdown.c cmd_host.c host.c)

BINS += $(BUILD)/bin/vn
$(eval $(call host_prog,$(BUILD)/bin/vn,$(VN_SRCS),-lyaml))
$(BUILD)/bin/vn: $(LIBVN) $(LIBVSTORE) # linked through $$^, in this order

$(BUILD)/obj/dom0-tools/vn/%.o: HOST_CFLAGS += -Idom0-tools/libvn \
    -Idom0-tools/libvstore

# tests/integration/t_vn_e2e.sh checks vn's JSON with jq.
DEB_PACKAGES += jq
