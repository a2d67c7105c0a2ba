// SPDX-License-Identifier: MIT
// Where the store's socket is: Xen libxenstore's rule (XEN-ABI-FACTS
// §10.6) with Veneer's default directory.
#include <stdio.h>
#include <stdlib.h>

#include "vstore.h"

const char *vstore_socket_path(void)
{
    static char buf[4096];
    const char *p = getenv("XENSTORED_PATH");
    const char *dir = getenv("XENSTORED_RUNDIR");

    if (p != NULL && *p != '\0')
        return p;
    if (dir != NULL && *dir != '\0') {
        int n = snprintf(buf, sizeof(buf), "%s/socket", dir);

        if (n > 0 && (size_t)n < sizeof(buf))
            return buf;
    }
    return VSTORE_DEFAULT_SOCKET;
}
