# SPDX-License-Identifier: MIT
# libvn: the toolstack library (control socket, domain builder, store
# entries, monitors) and its YAML config parser. Public header:
# dom0-tools/libvn/libvn.h; link $(LIBVN) $(LIBVSTORE) -lyaml.

LIBVN_CONFIG_SRCS := $(addprefix dom0-tools/libvn/, config.c config_yaml.c \
    config_diag.c config_value.c config_schema.c config_json.c json.c)
LIBVN_SRCS := $(LIBVN_CONFIG_SRCS) $(addprefix dom0-tools/libvn/, ctl.c \
    domain.c dom_store.c store.c build.c names.c)
LIBVN := $(BUILD)/lib/libvn.a

BINS += $(LIBVN)

$(LIBVN): $(call objs_of,obj,$(LIBVN_SRCS) $(LIBVNCTL_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/dom0-tools/libvn/%.o: HOST_CFLAGS += -Idom0-tools/libvstore \
    $(LIBVNCTL_INC)
$(BUILD)/asan/dom0-tools/libvn/%.o: ASAN_CFLAGS += -Idom0-tools/libvstore \
    $(LIBVNCTL_INC)

# Unit tests of the config parser (tests/unit/test_vnconfig.c) see its
# internal header.
$(BUILD)/obj/tests/unit/test_vnconfig.o: HOST_CFLAGS += -Idom0-tools/libvn
$(BUILD)/asan/tests/unit/test_vnconfig.o: ASAN_CFLAGS += -Idom0-tools/libvn
$(eval $(call unit_test,test_vnconfig,tests/unit/test_vnconfig.c \
    $(LIBVN_CONFIG_SRCS) dom0-tools/libvn/names.c,-lyaml))
