# SPDX-License-Identifier: MIT
# libvnctl: the dom0 client of veneerd's control socket (connect, one
# request and its reply, descriptors both ways), shared by libvn, libvnev
# and libvngnt. Internal: its header dom0-tools/libvnctl/vnctl.h is not
# installed and it has no archive of its own; each of those libraries'
# archives carries its object, so their users link them as before. The
# top-level Makefile includes this fragment ahead of the other dom0-tools
# ones, which name its variables.

LIBVNCTL_SRCS := dom0-tools/libvnctl/vnctl.c
LIBVNCTL_INC := -Idom0-tools/libvnctl
