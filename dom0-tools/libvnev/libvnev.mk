# SPDX-License-Identifier: MIT
# libvnev: event channels for host processes (dom0's end of a guest's
# channel) over veneerd's control socket. Its one public header is
# dom0-tools/libvnev/vnev.h; link $(LIBVNEV), nothing else.

LIBVNEV_SRCS := dom0-tools/libvnev/vnev.c $(LIBVNCTL_SRCS)
LIBVNEV := $(BUILD)/lib/libvnev.a

BINS += $(LIBVNEV)

$(BUILD)/obj/dom0-tools/libvnev/%.o: HOST_CFLAGS += $(LIBVNCTL_INC)

$(LIBVNEV): $(call objs_of,obj,$(LIBVNEV_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# The library's end-to-end driver and the dom0 figures of the event-channel
# benchmark (tests/integration/t_evtchn_dom0.sh, bench/evbench.sh).
BINS += $(BUILD)/tests/vnev-ping
$(eval $(call host_prog,$(BUILD)/tests/vnev-ping,\
    dom0-tools/libvnev/vnev_ping.c $(LIBVNEV_SRCS),))
