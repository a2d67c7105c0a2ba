/* SPDX-License-Identifier: MIT */
/*
 * The printf formatter (format_emit) and the snprintf family built on it;
 * see <veneer/console.h> for what it supports.
 */
#include <stdint.h>
#include <veneer/console.h>

/* One conversion's flags, width and precision. */
struct spec {
    int left;      /* '-': pad on the right */
    int alt;       /* '#': 0x prefix for nonzero %x, leading 0 for %o */
    int zero;      /* '0': pad numbers with zeros after the sign/prefix */
    int width;     /* minimum field width */
    int precision; /* %s: maximum characters; -1 = none */
    int length;    /* -2 hh, -1 h, 0 int, 1 long, 2 long long */
};

struct out {
    void (*put)(void *ctx, char c);
    void *ctx;
    int count;
};

static void out_char(struct out *o, char c)
{
    o->put(o->ctx, c);
    o->count++;
}

static void out_pad(struct out *o, char c, int n)
{
    for (; n > 0; n--)
        out_char(o, c);
}

/* Emit [prefix][digits] padded to the spec's width. */
static void out_field(struct out *o, const struct spec *sp, const char *prefix,
                      const char *body, int len)
{
    int plen = 0, pad;

    while (prefix[plen] != '\0')
        plen++;
    pad = sp->width - plen - len;
    if (!sp->left && !sp->zero)
        out_pad(o, ' ', pad);
    for (int i = 0; i < plen; i++)
        out_char(o, prefix[i]);
    if (!sp->left && sp->zero)
        out_pad(o, '0', pad);
    for (int i = 0; i < len; i++)
        out_char(o, body[i]);
    if (sp->left)
        out_pad(o, ' ', pad);
}

static void out_unsigned(struct out *o, const struct spec *sp,
                         const char *prefix, unsigned long long v,
                         unsigned int base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24]; /* 2^64 in octal is 22 digits */
    int n = sizeof(tmp);

    do {
        tmp[--n] = digits[v % base];
        v /= base;
    } while (v != 0);
    out_field(o, sp, prefix, tmp + n, (int)sizeof(tmp) - n);
}

static void out_string(struct out *o, struct spec *sp, const char *s)
{
    int len = 0;

    if (s == NULL)
        s = "(null)";
    while (s[len] != '\0' && (sp->precision < 0 || len < sp->precision))
        len++;
    sp->zero = 0;
    out_field(o, sp, "", s, len);
}

/* Parse flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){.precision = -1};
    for (;; f++) {
        if (*f == '-')
            sp->left = 1;
        else if (*f == '#')
            sp->alt = 1;
        else if (*f == '0')
            sp->zero = 1;
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->precision = 0;
        if (*f == '*') {
            sp->precision = va_arg(*ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9')
            sp->precision = sp->precision * 10 + (*f++ - '0');
    }
    for (;; f++) {
        if (*f == 'h')
            sp->length--;
        else if (*f == 'l')
            sp->length++;
        else if (*f == 'z' || *f == 'j' || *f == 't')
            sp->length = 2; /* all 64-bit on x86-64 */
        else
            break;
    }
    return f;
}

static unsigned long long arg_unsigned(const struct spec *sp, va_list *ap)
{
    if (sp->length >= 1)
        return va_arg(*ap, unsigned long long);
    if (sp->length == -1)
        return (unsigned short)va_arg(*ap, unsigned int);
    if (sp->length <= -2)
        return (unsigned char)va_arg(*ap, unsigned int);
    return va_arg(*ap, unsigned int);
}

static long long arg_signed(const struct spec *sp, va_list *ap)
{
    if (sp->length >= 1)
        return va_arg(*ap, long long);
    if (sp->length == -1)
        return (short)va_arg(*ap, int);
    if (sp->length <= -2)
        return (signed char)va_arg(*ap, int);
    return va_arg(*ap, int);
}

/* Emit one conversion; returns 0 if c is not a known conversion. */
static int convert(struct out *o, struct spec *sp, char c, va_list *ap)
{
    unsigned long long uv;
    long long sv;
    char ch;

    switch (c) {
    case 'd':
    case 'i':
        sv = arg_signed(sp, ap);
        /* Negate in unsigned arithmetic so LLONG_MIN prints correctly. */
        out_unsigned(o, sp, sv < 0 ? "-" : "",
                     sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
                     10, 0);
        return 1;
    case 'u':
        out_unsigned(o, sp, "", arg_unsigned(sp, ap), 10, 0);
        return 1;
    case 'x':
    case 'X':
        uv = arg_unsigned(sp, ap);
        out_unsigned(o, sp, sp->alt && uv != 0 ? (c == 'X' ? "0X" : "0x") : "",
                     uv, 16, c == 'X');
        return 1;
    case 'o':
        uv = arg_unsigned(sp, ap);
        out_unsigned(o, sp, sp->alt && uv != 0 ? "0" : "", uv, 8, 0);
        return 1;
    case 'p':
        out_unsigned(o, sp, "0x", (uintptr_t)va_arg(*ap, void *), 16, 0);
        return 1;
    case 'c':
        ch = (char)va_arg(*ap, int);
        sp->zero = 0;
        out_field(o, sp, "", &ch, 1);
        return 1;
    case 's':
        out_string(o, sp, va_arg(*ap, const char *));
        return 1;
    case '%':
        out_char(o, '%');
        return 1;
    default:
        return 0;
    }
}

int format_emit(void (*put)(void *ctx, char c), void *ctx, const char *fmt,
                va_list ap)
{
    struct out o = {.put = put, .ctx = ctx};
    struct spec sp;
    va_list aq;

    /* Work on a copy so helpers can take its address portably. */
    va_copy(aq, ap);
    while (*fmt != '\0') {
        const char *start = fmt;

        if (*fmt != '%') {
            out_char(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &aq);
        if (*fmt == '\0' || !convert(&o, &sp, *fmt, &aq)) {
            /* Unknown conversion: print it as written. */
            for (; start < fmt; start++)
                out_char(&o, *start);
            if (*fmt == '\0')
                break;
            out_char(&o, *fmt);
        }
        fmt++;
    }
    va_end(aq);
    return o.count;
}

struct buf_ctx {
    char *buf;
    size_t size;
    size_t pos;
};

static void buf_put(void *ctx, char c)
{
    struct buf_ctx *b = ctx;

    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_ctx b = {.buf = buf, .size = size};
    int n = format_emit(buf_put, &b, fmt, ap);

    if (size > 0)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
