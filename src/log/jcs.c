/* RFC 8785 canonical JSON; see jcs.h. */
#include "core/alloc.h"
#include "log/jcs.h"
#include "core/jbuf.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The next UTF-16 code unit of a UTF-8 string; *pending carries a low surrogate over. */
static unsigned next_unit(const unsigned char **p, unsigned *pending)
{
    if (*pending) {
        unsigned u = *pending;
        *pending = 0;
        return u;
    }
    const unsigned char *s = *p;
    unsigned cp;
    if (s[0] < 0x80) {
        cp = s[0];
        *p += 1;
    } else if ((s[0] & 0xe0) == 0xc0) {
        cp = (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
        *p += 2;
    } else if ((s[0] & 0xf0) == 0xe0) {
        cp = (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        *p += 3;
    } else {
        cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3f) << 12 | (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
        *p += 4;
    }
    if (cp >= 0x10000) {
        cp -= 0x10000;
        *pending = 0xdc00 | (cp & 0x3ff);
        return 0xd800 | (cp >> 10);
    }
    return cp;
}

/* Compares member names by UTF-16 code units (jansson's strings are valid UTF-8). */
int nt_jcs_name_cmp(const void *a, const void *b)
{
    const unsigned char *x = *(const unsigned char *const *)a, *y = *(const unsigned char *const *)b;
    unsigned px = 0, py = 0;
    while ((*x || px) && (*y || py)) {
        unsigned ux = next_unit(&x, &px), uy = next_unit(&y, &py);
        if (ux != uy)
            return ux < uy ? -1 : 1;
    }
    return (*x || px) ? 1 : (*y || py) ? -1 : 0;
}

void nt_jcs_string(nt_jbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    nt_jb_raw(b, "\"", 1);
    size_t run = 0; /* bytes copied as they are, appended in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        nt_jb_raw(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            nt_jb_raw(b, "\\\"", 2);
            break;
        case '\\':
            nt_jb_raw(b, "\\\\", 2);
            break;
        case '\b':
            nt_jb_raw(b, "\\b", 2);
            break;
        case '\f':
            nt_jb_raw(b, "\\f", 2);
            break;
        case '\n':
            nt_jb_raw(b, "\\n", 2);
            break;
        case '\r':
            nt_jb_raw(b, "\\r", 2);
            break;
        case '\t':
            nt_jb_raw(b, "\\t", 2);
            break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            nt_jb_raw(b, u, 6);
        }
        }
    }
    nt_jb_raw(b, s + run, n - run);
    nt_jb_raw(b, "\"", 1);
}

/* A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3): the shortest
 * digits that read back as the same double (the correctly rounded ones, found by asking printf for
 * one more digit at a time), then fixed notation for decimal exponents in [-6, 21) and
 * exponential notation otherwise; -0 is 0. NaN and infinities have no JSON form: -1. */
int nt_jcs_number(nt_jbuf *b, double d)
{
    if (d != d || d > 1.7976931348623157e308 || d < -1.7976931348623157e308)
        return -1;
    if (d == 0) {
        nt_jb_raw(b, "0", 1);
        return 0;
    }
    char e[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(e, sizeof(e), "%.*e", prec - 1, d);
        if (strtod(e, NULL) == d)
            break;
    }
    /* e is "-d.ddde+XX": its digits, without the point, and the exponent. */
    char digits[24];
    int k = 0, exp10 = 0;
    const char *p = e;
    bool neg = *p == '-';
    if (neg)
        p++;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[k++] = *p;
    if (*p == 'e')
        exp10 = atoi(p + 1);
    while (k > 1 && digits[k - 1] == '0')
        k--;
    digits[k] = '\0';
    int n = exp10 + 1; /* the decimal point goes after n digits */
    if (neg)
        nt_jb_raw(b, "-", 1);
    if (k <= n && n <= 21) { /* an integer: its digits, then zeros */
        nt_jb_raw(b, digits, (size_t)k);
        for (int i = k; i < n; i++)
            nt_jb_raw(b, "0", 1);
    } else if (0 < n && n <= 21) { /* a point inside the digits */
        nt_jb_raw(b, digits, (size_t)n);
        nt_jb_raw(b, ".", 1);
        nt_jb_raw(b, digits + n, (size_t)(k - n));
    } else if (-6 < n && n <= 0) { /* 0.000ddd */
        nt_jb_raw(b, "0.", 2);
        for (int i = 0; i < -n; i++)
            nt_jb_raw(b, "0", 1);
        nt_jb_raw(b, digits, (size_t)k);
    } else { /* d.ddde±x */
        char x[16];
        nt_jb_raw(b, digits, 1);
        if (k > 1) {
            nt_jb_raw(b, ".", 1);
            nt_jb_raw(b, digits + 1, (size_t)(k - 1));
        }
        snprintf(x, sizeof(x), "e%c%d", n - 1 < 0 ? '-' : '+', n - 1 < 0 ? 1 - n : n - 1);
        nt_jb_lit(b, x);
    }
    return 0;
}

static int emit(nt_jbuf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        const char **keys = nt_xmalloc((n + 1) * sizeof(char *));
        if (keys == NULL)
            return -1;
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) keys[i++] = k;
        qsort(keys, n, sizeof(char *), nt_jcs_name_cmp);
        nt_jb_raw(b, "{", 1);
        int rc = 0;
        for (i = 0; i < n && rc == 0; i++) {
            if (i)
                nt_jb_raw(b, ",", 1);
            nt_jcs_string(b, keys[i], strlen(keys[i]));
            nt_jb_raw(b, ":", 1);
            rc = emit(b, json_object_get(v, keys[i]));
        }
        nt_jb_raw(b, "}", 1);
        free(keys);
        return rc;
    }
    case JSON_ARRAY: {
        nt_jb_raw(b, "[", 1);
        size_t i;
        json_t *x;
        json_array_foreach((json_t *)v, i, x)
        {
            if (i)
                nt_jb_raw(b, ",", 1);
            if (emit(b, x) != 0)
                return -1;
        }
        nt_jb_raw(b, "]", 1);
        return 0;
    }
    case JSON_STRING:
        nt_jcs_string(b, json_string_value(v), json_string_length(v));
        return 0;
    case JSON_INTEGER: {
        /* An integer is a double like any number: exact up to 2^53, beyond that as the double
         * it reads as. */
        json_int_t i = json_integer_value(v);
        if (i >= -(1LL << 53) && i <= (1LL << 53)) {
            nt_jb_int(b, i);
            return 0;
        }
        return nt_jcs_number(b, (double)i);
    }
    case JSON_REAL:
        return nt_jcs_number(b, json_real_value(v));
    case JSON_TRUE:
        nt_jb_lit(b, "true");
        return 0;
    case JSON_FALSE:
        nt_jb_lit(b, "false");
        return 0;
    case JSON_NULL:
        nt_jb_lit(b, "null");
        return 0;
    default:
        return -1;
    }
}

char *nt_jcs(const json_t *v)
{
    nt_jbuf b;
    nt_jb_init(&b, 256);
    if (emit(&b, v) != 0) {
        nt_jb_free(&b);
        return NULL;
    }
    size_t len;
    return nt_jb_take(&b, &len);
}
