// SPDX-License-Identifier: MIT
// Helpers for the vstored unit tests (see test_vstore.h).
#include <stdio.h>

#include "test_vstore.h"

#define T_MAX_EVENTS 256

struct tevent {
    struct conn *c;
    char text[2 * PATH_BUF];
};

static struct tevent events[T_MAX_EVENTS];
static unsigned nevents;
static uint32_t next_req = 100;

struct store *t_store(const struct limits *lim)
{
    struct limits def;

    if (lim == NULL) {
        limits_default(&def);
        lim = &def;
    }
    nevents = 0;
    /* Expected warnings (cut-offs, oversized payloads) stay out of the
     * test output. */
    log_init(LOG_TO_FILE, "/dev/null", 0);
    return store_create(lim);
}

struct conn *t_conn(struct store *st, uint32_t domid)
{
    return conn_create(st, domid, NULL, NULL);
}

static int t_errno(const char *name)
{
    for (size_t i = 0; i < XSD_ERRORS_COUNT; i++) {
        if (strcmp(xsd_errors[i].errstring, name) == 0)
            return xsd_errors[i].errnum;
    }
    return -1;
}

/* Move c's queued events into the event list; return the first other
 * message (a reply) in hdr and out, or false if there is none. */
static bool t_pull(struct conn *c, struct xsd_sockmsg *hdr, char *out)
{
    while (obuf_len(&c->out) >= sizeof(*hdr)) {
        memcpy(hdr, obuf_data(&c->out), sizeof(*hdr));
        if (obuf_len(&c->out) < sizeof(*hdr) + hdr->len)
            return false;
        memcpy(out, obuf_data(&c->out) + sizeof(*hdr), hdr->len);
        out[hdr->len] = '\0';
        obuf_consume(&c->out, sizeof(*hdr) + hdr->len);
        if (hdr->type != XS_WATCH_EVENT)
            return true;
        if (nevents < T_MAX_EVENTS) {
            events[nevents].c = c;
            snprintf(events[nevents].text, sizeof(events[0].text), "%s %s", out,
                     out + strlen(out) + 1);
            nevents++;
        }
    }
    return false;
}

int t_req(struct conn *c, uint32_t type, uint32_t tx, const void *data,
          size_t len, struct treply *r)
{
    struct xsd_sockmsg hdr = {
        .type = type, .req_id = next_req++, .tx_id = tx, .len = (uint32_t)len};
    static struct treply scratch;
    char msg[sizeof(hdr) + XENSTORE_PAYLOAD_MAX + 64];

    if (r == NULL)
        r = &scratch;
    memcpy(msg, &hdr, sizeof(hdr));
    memcpy(msg + sizeof(hdr), data, len);
    conn_input(c, msg, sizeof(hdr) + len);
    if (!t_pull(c, &hdr, r->data))
        return -1; /* no reply at all: a test failure */
    r->type = hdr.type;
    r->len = hdr.len;
    if (hdr.type == XS_ERROR)
        return t_errno(r->data);
    return hdr.type == type ? 0 : -2;
}

/* Build "a\0b\0" from up to two strings, plus an optional raw tail. */
static size_t t_args(char *buf, const char *a, const char *b)
{
    size_t n = strlen(a) + 1;

    memcpy(buf, a, n);
    if (b != NULL) {
        memcpy(buf + n, b, strlen(b) + 1);
        n += strlen(b) + 1;
    }
    return n;
}

int t_write(struct conn *c, uint32_t tx, const char *path, const char *val)
{
    char buf[XENSTORE_PAYLOAD_MAX + PATH_BUF];
    size_t n = t_args(buf, path, val);

    return t_req(c, XS_WRITE, tx, buf, n - 1, NULL); /* value: no NUL */
}

int t_read(struct conn *c, uint32_t tx, const char *path, char *out)
{
    struct treply r;
    int rc = t_req(c, XS_READ, tx, path, strlen(path) + 1, &r);

    if (rc == 0 && out != NULL)
        memcpy(out, r.data, r.len + 1);
    return rc;
}

int t_mkdir(struct conn *c, uint32_t tx, const char *path)
{
    return t_req(c, XS_MKDIR, tx, path, strlen(path) + 1, NULL);
}

int t_rm(struct conn *c, uint32_t tx, const char *path)
{
    return t_req(c, XS_RM, tx, path, strlen(path) + 1, NULL);
}

/* NUL-separated list to a comma-separated string. */
static void t_join(const struct treply *r, char *out)
{
    size_t o = 0;

    for (uint32_t i = 0; i < r->len; i++) {
        if (r->data[i] != '\0')
            out[o++] = r->data[i];
        else if (i + 1 < r->len)
            out[o++] = ',';
    }
    out[o] = '\0';
}

int t_dir(struct conn *c, uint32_t tx, const char *path, char *out)
{
    struct treply r;
    int rc = t_req(c, XS_DIRECTORY, tx, path, strlen(path) + 1, &r);

    if (rc == 0 && out != NULL)
        t_join(&r, out);
    return rc;
}

int t_get_perms(struct conn *c, uint32_t tx, const char *path, char *out)
{
    struct treply r;
    int rc = t_req(c, XS_GET_PERMS, tx, path, strlen(path) + 1, &r);

    if (rc == 0 && out != NULL)
        t_join(&r, out);
    return rc;
}

int t_set_perms(struct conn *c, uint32_t tx, const char *path,
                const char *perms)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t n = strlen(path) + 1, pl = strlen(perms);

    memcpy(buf, path, n);
    memcpy(buf + n, perms, pl + 1);
    for (size_t i = n; i < n + pl; i++) {
        if (buf[i] == ',')
            buf[i] = '\0';
    }
    return t_req(c, XS_SET_PERMS, tx, buf, n + pl + 1, NULL);
}

int t_watch(struct conn *c, const char *path, const char *token)
{
    char buf[2 * PATH_BUF];

    return t_req(c, XS_WATCH, 0, buf, t_args(buf, path, token), NULL);
}

int t_unwatch(struct conn *c, const char *path, const char *token)
{
    char buf[2 * PATH_BUF];

    return t_req(c, XS_UNWATCH, 0, buf, t_args(buf, path, token), NULL);
}

int t_txn_start(struct conn *c, uint32_t *tx)
{
    struct treply r;
    int rc = t_req(c, XS_TRANSACTION_START, 0, "", 1, &r);

    if (rc == 0)
        *tx = (uint32_t)strtoul(r.data, NULL, 10);
    return rc;
}

int t_txn_end(struct conn *c, uint32_t tx, bool commit)
{
    return t_req(c, XS_TRANSACTION_END, tx, commit ? "T" : "F", 2, NULL);
}

/* args: comma-separated, sent NUL-separated. */
int t_domid_op(struct conn *c, uint32_t type, const char *args,
               struct treply *r)
{
    char buf[256];
    size_t n = strlen(args) + 1;

    memcpy(buf, args, n);
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == ',')
            buf[i] = '\0';
    }
    return t_req(c, type, 0, buf, n, r);
}

static void t_collect(struct conn *c)
{
    struct xsd_sockmsg hdr;
    static char out[XENSTORE_PAYLOAD_MAX + 1];

    while (t_pull(c, &hdr, out))
        ; /* stray replies are dropped */
}

bool t_event(struct conn *c, char *out)
{
    t_collect(c);
    for (unsigned i = 0; i < nevents; i++) {
        if (events[i].c != c)
            continue;
        strcpy(out, events[i].text);
        memmove(&events[i], &events[i + 1],
                (nevents - i - 1) * sizeof(events[0]));
        nevents--;
        return true;
    }
    return false;
}

unsigned t_nevents(struct conn *c)
{
    unsigned n = 0;

    t_collect(c);
    for (unsigned i = 0; i < nevents; i++)
        n += events[i].c == c;
    return n;
}
