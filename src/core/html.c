/* The template layer of the web pages; see html.h. */
#include "core/html.h"
#include "core/alloc.h"
#include "core/util.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void nt_html_time(char *out, size_t cap, int64_t us)
{
    char t[NT_TIME_LEN]; /* 2026-11-30T19:56:27.707+07:00 */
    nt_time_local(us, t);
    snprintf(out, cap, "%.2s/%.2s/%.4s %.5s", t + 8, t + 5, t, t + 11);
}

void nt_html_vnd(char *out, size_t cap, int64_t amount)
{
    char digits[32];
    bool neg = amount < 0;
    unsigned long long v = neg ? 0ULL - (unsigned long long)amount : (unsigned long long)amount;
    int n = snprintf(digits, sizeof(digits), "%llu", v);
    char grouped[48];
    size_t o = 0;
    if (neg)
        grouped[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[o++] = '.';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    snprintf(out, cap, "%s\xc2\xa0\xe2\x82\xab", grouped); /* a no-break space, then ₫ */
}

static void url_encoded(nt_jbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
            nt_jb_raw(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            nt_jb_raw(b, e, 3);
        }
    }
}

void nt_html(nt_jbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (pct == NULL) {
            nt_jb_raw(b, p, strlen(p));
            break;
        }
        nt_jb_raw(b, p, (size_t)(pct - p));
        char tmp[64];
        switch (pct[1]) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s != NULL)
                nt_jb_xml(b, s);
            break;
        }
        case 'R': {
            const char *s = va_arg(ap, const char *);
            if (s != NULL)
                nt_jb_raw(b, s, strlen(s));
            break;
        }
        case 'u': {
            const char *s = va_arg(ap, const char *);
            if (s != NULL)
                url_encoded(b, s); /* only [A-Za-z0-9%-._~] come out: nothing left to escape */
            break;
        }
        case 'd':
            nt_jb_int(b, va_arg(ap, int));
            break;
        case 'D':
            nt_jb_int(b, va_arg(ap, int64_t));
            break;
        case 'T':
            nt_html_time(tmp, sizeof(tmp), va_arg(ap, int64_t));
            nt_jb_raw(b, tmp, strlen(tmp));
            break;
        case 'V':
            nt_html_vnd(tmp, sizeof(tmp), va_arg(ap, int64_t));
            nt_jb_raw(b, tmp, strlen(tmp));
            break;
        case '%':
            nt_jb_raw(b, "%", 1);
            break;
        default: /* a format of ours with a mistake: fail loudly in every build */
            NT_ASSERT(!"unknown conversion in an HTML format");
        }
        p = pct + (pct[1] ? 2 : 1);
    }
    va_end(ap);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes a form's part [v, stop) ('+' a space, %XX a byte; a broken escape stays as it is) into
 * out, which has room for it; its length. */
static size_t form_decode(const char *v, const char *stop, char *out)
{
    char *o = out;
    for (; v < stop; v++) {
        if (*v == '+')
            *o++ = ' ';
        else if (*v == '%' && stop - v >= 3 && hexval(v[1]) >= 0 && hexval(v[2]) >= 0)
            *o++ = (char)(hexval(v[1]) * 16 + hexval(v[2])), v += 2;
        else
            *o++ = *v;
    }
    return (size_t)(o - out);
}

char *nt_form_value(const char *body, size_t len, const char *name)
{
    size_t n = strlen(name);
    const char *end = body + len;
    char key[256];
    for (const char *p = body; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        /* Names are compared decoded: browsers send "a[0].b" as "a%5B0%5D.b". */
        if (eq != NULL && (size_t)(eq - p) < sizeof(key) && form_decode(p, eq, key) == n && memcmp(key, name, n) == 0) {
            char *out = nt_xmalloc((size_t)(stop - eq));
            out[form_decode(eq + 1, stop, out)] = '\0';
            return out;
        }
        p = stop + 1;
    }
    return NULL;
}

/* Finds needle (n bytes) in [from, end); NULL when absent. */
static const char *find(const char *from, const char *end, const char *needle, size_t n)
{
    for (const char *p = from; p + n <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (p == NULL || p + n > end)
            return NULL;
        if (memcmp(p, needle, n) == 0)
            return p;
    }
    return NULL;
}

bool nt_multipart_part(const char *content_type, const char *body, size_t len, const char *name, size_t *at, size_t *part_len)
{
    const char *b = content_type ? strstr(content_type, "boundary=") : NULL;
    if (b == NULL || strncasecmp(content_type, "multipart/form-data", 19) != 0)
        return false;
    b += 9;
    char delim[80] = "\r\n--";
    size_t d = 4;
    bool quoted = *b == '"';
    for (b += quoted; *b && d < sizeof(delim) - 1 && (quoted ? *b != '"' : (*b != ';' && *b != ' ')); b++)
        delim[d++] = *b;
    if (d == 4 || d > 74) /* RFC 2046: 1 to 70 characters */
        return false;
    delim[d] = '\0';
    const char *end = body + len;
    /* The first delimiter may open the body without the CRLF before it. */
    const char *head = NULL;
    if (len >= d - 2 && memcmp(body, delim + 2, d - 2) == 0) {
        head = body + d - 2;
    } else {
        const char *first = find(body, end, delim, d);
        head = first ? first + d : NULL;
    }
    while (head != NULL) {
        if (head + 2 > end || memcmp(head, "--", 2) == 0)
            return false; /* the closing delimiter */
        const char *eol = find(head, end, "\r\n", 2), *blank = eol ? find(eol, end, "\r\n\r\n", 4) : NULL;
        if (eol == NULL || blank == NULL)
            return false;
        const char *content = blank + 4, *next = find(content, end, delim, d);
        if (next == NULL)
            return false;
        /* The part's headers: its Content-Disposition names it. */
        char want[128];
        int wn = snprintf(want, sizeof(want), "name=\"%s\"", name);
        bool named = false;
        for (const char *h = eol + 2; h < blank + 2 && !named;) {
            const char *hend = find(h, blank + 2, "\r\n", 2);
            if (hend == NULL)
                break;
            if ((size_t)(hend - h) > 20 && strncasecmp(h, "content-disposition:", 20) == 0 && wn > 0 && (size_t)wn < sizeof(want)) {
                const char *f = find(h, hend, want, (size_t)wn);
                named = f != NULL && (f[-1] == ' ' || f[-1] == ';');
            }
            h = hend + 2;
        }
        if (named) {
            *at = (size_t)(content - body);
            *part_len = (size_t)(next - content);
            return true;
        }
        head = next + d;
    }
    return false;
}
