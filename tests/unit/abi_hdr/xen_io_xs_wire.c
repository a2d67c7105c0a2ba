/* SPDX-License-Identifier: MIT */
/*
 * Proves abi/xen/io/xs_wire.h is self-contained: it is the only include of this
 * translation unit, which is compiled hosted (into test_abi_layout) and
 * freestanding (abi/abi.mk).
 */
#include <xen/io/xs_wire.h>
