# SPDX-License-Identifier: MIT
# libvngnt: grant access for dom0's host processes (backends, vstored)
# over veneerd's control socket. Its one public header is
# dom0-tools/libvngnt/vngnt.h; link $(LIBVNGNT).

LIBVNGNT_SRCS := dom0-tools/libvngnt/vngnt.c $(LIBVNCTL_SRCS)
LIBVNGNT := $(BUILD)/lib/libvngnt.a

BINS += $(LIBVNGNT)

$(BUILD)/obj/dom0-tools/libvngnt/%.o: HOST_CFLAGS += $(LIBVNCTL_INC)

$(LIBVNGNT): $(call objs_of,obj,$(LIBVNGNT_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# The dom0 side of tests/integration/t_gnttab_dom0.sh.
BINS += $(BUILD)/tests/vngnt-check
$(eval $(call host_prog,$(BUILD)/tests/vngnt-check,\
    dom0-tools/libvngnt/vngnt_check.c,))
$(BUILD)/tests/vngnt-check: $(LIBVNGNT) # linked through $$^
