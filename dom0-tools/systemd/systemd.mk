# SPDX-License-Identifier: MIT
# `make install` and `make uninstall`: the binaries, libraries, headers,
# systemd units (with their paths filled in) and documents under PREFIX
# (docs/vn.md "INSTALLING"). DESTDIR stages the tree elsewhere.

PREFIX ?= /usr/local
DESTDIR ?=
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system

INSTALL_BIN := $(DESTDIR)$(PREFIX)/bin
INSTALL_SBIN := $(DESTDIR)$(PREFIX)/sbin
INSTALL_LIBEXEC := $(DESTDIR)$(PREFIX)/libexec
INSTALL_LIB := $(DESTDIR)$(PREFIX)/lib
INSTALL_INC := $(DESTDIR)$(PREFIX)/include/veneer
INSTALL_DOC := $(DESTDIR)$(PREFIX)/share/doc/veneer
INSTALL_UNITS := $(DESTDIR)$(SYSTEMD_UNITDIR)
INSTALL_DOCS := docs/vn.md docs/config.md docs/cli.md docs/vstored.md \
    docs/architecture.md
INSTALL_UNIT_FILES := veneerd.service vstored.service

.PHONY: install uninstall

install: all
	install -d $(INSTALL_BIN) $(INSTALL_SBIN) $(INSTALL_LIBEXEC) \
	    $(INSTALL_LIB) $(INSTALL_INC) $(INSTALL_DOC) $(INSTALL_UNITS)
	install -m 0755 $(BUILD)/bin/vn $(INSTALL_BIN)/vn
	install -m 0755 $(BUILD)/bin/veneerd $(BUILD)/bin/vstored $(INSTALL_SBIN)/
	install -m 0755 $(BUILD)/libexec/veneer-stub $(INSTALL_LIBEXEC)/
	install -m 0644 $(LIBVN) $(LIBVSTORE) $(INSTALL_LIB)/
	install -m 0644 dom0-tools/libvn/libvn.h dom0-tools/libvstore/vstore.h \
	    abi/veneer/control.h $(INSTALL_INC)/
	install -m 0644 $(wildcard $(INSTALL_DOCS)) $(INSTALL_DOC)/
	for u in $(INSTALL_UNIT_FILES); do \
	    sed -e 's|@SBINDIR@|$(PREFIX)/sbin|g' \
	        -e 's|@DOCDIR@|$(PREFIX)/share/doc/veneer|g' \
	        dom0-tools/systemd/$$u >$(INSTALL_UNITS)/$$u && \
	    chmod 0644 $(INSTALL_UNITS)/$$u || exit 1; \
	done

uninstall:
	rm -f $(INSTALL_BIN)/vn $(INSTALL_SBIN)/veneerd $(INSTALL_SBIN)/vstored \
	    $(INSTALL_LIBEXEC)/veneer-stub $(INSTALL_LIB)/libvn.a \
	    $(INSTALL_LIB)/libvstore.a $(INSTALL_INC)/libvn.h \
	    $(INSTALL_INC)/vstore.h $(INSTALL_INC)/control.h \
	    $(addprefix $(INSTALL_UNITS)/,$(INSTALL_UNIT_FILES)) \
	    $(addprefix $(INSTALL_DOC)/,$(notdir $(INSTALL_DOCS)))
	-rmdir $(INSTALL_INC) $(INSTALL_DOC) 2>/dev/null
