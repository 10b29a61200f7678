/* The hot-path JSON writer; see jbuf.h. */
#include "core/alloc.h"
#include "core/jbuf.h"
#include "core/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nt_jb_init(nt_jbuf *b, size_t cap)
{
    b->cap = cap ? cap : 256;
    b->len = 0;
    b->p = nt_xmalloc(b->cap);
    b->oom = b->p == NULL;
}

static bool room(nt_jbuf *b, size_t n)
{
    if (b->oom)
        return false;
    if (b->len + n + 1 <= b->cap)
        return true;
    size_t cap = b->cap * 2;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = nt_xrealloc(b->p, cap);
    if (p == NULL) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void nt_jb_raw(nt_jbuf *b, const char *s, size_t n)
{
    if (!room(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void nt_jb_lit(nt_jbuf *b, const char *s)
{
    nt_jb_raw(b, s, strlen(s));
}

void nt_jb_str(nt_jbuf *b, const char *s)
{
    if (s == NULL) {
        nt_jb_lit(b, "null");
        return;
    }
    size_t n = strlen(s);
    if (!room(b, n * 6 + 2))
        return;
    char *o = b->p + b->len;
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            *o++ = '\\';
            *o++ = (char)*p;
        } else if (*p < 0x20) {
            o += sprintf(o, "\\u%04x", *p);
        } else {
            *o++ = (char)*p;
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->p);
}

void nt_jb_int(nt_jbuf *b, int64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
    nt_jb_raw(b, tmp, (size_t)n);
}

void nt_jb_bool(nt_jbuf *b, bool v)
{
    nt_jb_lit(b, v ? "true" : "false");
}

void nt_jb_time(nt_jbuf *b, int64_t us)
{
    if (us == 0) {
        nt_jb_lit(b, "null");
        return;
    }
    char t[NT_TIME_LEN];
    nt_time_local(us, t);
    nt_jb_raw(b, "\"", 1);
    nt_jb_lit(b, t);
    nt_jb_raw(b, "\"", 1);
}

char *nt_jb_take(nt_jbuf *b, size_t *len)
{
    if (b->oom) {
        nt_jb_free(b);
        return NULL;
    }
    b->p[b->len] = '\0';
    char *p = b->p;
    *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void nt_jb_free(nt_jbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void nt_jb_csv(nt_jbuf *b, const char *v, bool last)
{
    v = v ? v : "";
    if (strpbrk(v, ",\"\r\n") != NULL) {
        nt_jb_lit(b, "\"");
        for (const char *c = v; *c; c++) {
            if (*c == '"')
                nt_jb_lit(b, "\"\""); /* a quote inside is doubled */
            else
                nt_jb_raw(b, c, 1);
        }
        nt_jb_lit(b, "\"");
    } else {
        nt_jb_lit(b, v);
    }
    nt_jb_lit(b, last ? "\r\n" : ",");
}

void nt_jb_xml(nt_jbuf *b, const char *s)
{
    for (const char *p = s; p != NULL && *p; p++) {
        switch (*p) {
        case '&':
            nt_jb_lit(b, "&amp;");
            break;
        case '<':
            nt_jb_lit(b, "&lt;");
            break;
        case '>':
            nt_jb_lit(b, "&gt;");
            break;
        case '"':
            nt_jb_lit(b, "&quot;");
            break;
        case '\'':
            nt_jb_lit(b, "&#39;");
            break;
        default:
            nt_jb_raw(b, p, 1);
        }
    }
}
