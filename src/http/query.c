/* Request-target parsing with fixed limits; see query.h. */
#include "http/query.h"
#include "core/text.h"
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes src[0..n) into *dst (advancing it); plus_space turns '+' into ' ' (query strings). */
static int decode(const char *src, size_t n, char **dst, const char *end, bool plus_space)
{
    char *start = *dst, *o = *dst;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexval(src[i + 1]), lo = hexval(src[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        }
        if (o + 1 >= end)
            return -1;
        *o++ = c;
    }
    *o++ = '\0';
    if (!nt_text_valid_utf8(start, (size_t)(o - start - 1)))
        return -1;
    *dst = o;
    return 0;
}

int nt_uri_parse(const char *raw, nt_uri *u, nt_err *err)
{
    u->nsegs = 0;
    u->nparams = 0;
    size_t len = strlen(raw);
    if (len > NT_URI_MAX_LEN)
        return nt_err_field(err, "(uri)", "too_long", NT_URI_MAX_LEN);
    if (raw[0] != '/')
        return nt_err_field(err, "(path)", "invalid", 0);
    const char *q = strchr(raw, '?');
    const char *path_end = q ? q : raw + len;
    const char *hash = memchr(raw, '#', len);
    if (hash != NULL)
        return nt_err_field(err, "(uri)", "invalid", 0);
    char *o = u->buf, *end = u->buf + sizeof(u->buf);
    /* Path: split on '/', then decode each segment, so an encoded %2F stays inside its segment. */
    const char *p = raw + 1;
    while (p <= path_end) {
        const char *slash = memchr(p, '/', (size_t)(path_end - p));
        const char *seg_end = slash ? slash : path_end;
        if (seg_end > p || slash != NULL) {
            if (seg_end == p) /* empty segment: "//" or a trailing "/" */
                return nt_err_field(err, "(path)", "invalid", 0);
            if (u->nsegs >= NT_URI_MAX_SEGS)
                return nt_err_field(err, "(path)", "too_many", NT_URI_MAX_SEGS);
            u->segs[u->nsegs] = o;
            if (decode(p, (size_t)(seg_end - p), &o, end, false) != 0)
                return nt_err_field(err, "(path)", "invalid", 0);
            u->nsegs++;
        }
        if (slash == NULL)
            break;
        p = slash + 1;
    }
    if (q == NULL)
        return 0;
    p = q + 1;
    const char *qend = raw + len;
    while (p < qend) {
        const char *amp = memchr(p, '&', (size_t)(qend - p));
        const char *pe = amp ? amp : qend;
        if (pe > p) {
            const char *eq = memchr(p, '=', (size_t)(pe - p));
            const char *ne = eq ? eq : pe;
            if (ne == p)
                return nt_err_field(err, "(query)", "invalid", 0);
            if (u->nparams >= NT_URI_MAX_PARAMS)
                return nt_err_field(err, "(query)", "too_many", NT_URI_MAX_PARAMS);
            char *name = o;
            if (decode(p, (size_t)(ne - p), &o, end, true) != 0)
                return nt_err_field(err, "(query)", "invalid", 0);
            char *value = o;
            if (decode(eq ? eq + 1 : pe, eq ? (size_t)(pe - eq - 1) : 0, &o, end, true) != 0)
                return nt_err_field(err, name, "invalid", 0);
            if (nt_uri_param(u, name) != NULL)
                return nt_err_field(err, name, "duplicate", 0);
            u->params[u->nparams].name = name;
            u->params[u->nparams].value = value;
            u->nparams++;
        }
        if (amp == NULL)
            break;
        p = amp + 1;
    }
    return 0;
}

const char *nt_uri_param(const nt_uri *u, const char *name)
{
    for (int i = 0; i < u->nparams; i++)
        if (strcmp(u->params[i].name, name) == 0)
            return u->params[i].value;
    return NULL;
}
