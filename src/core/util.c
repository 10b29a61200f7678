/* Random ids, clocks, RFC 3339 times and encodings. */
#include "core/util.h"
#include "core/err.h"
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define VN_OFFSET_US (7LL * 3600 * 1000000)

void nt_id_new(const char *prefix, char *out, size_t cap)
{
    static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    unsigned char raw[10];
    randombytes_buf(raw, sizeof(raw));
    size_t pl = strlen(prefix);
    if (cap < pl + 17) {
        if (cap > 0)
            out[0] = '\0';
        return;
    }
    memcpy(out, prefix, pl);
    /* 80 bits -> 16 symbols of 5 bits. */
    uint64_t acc = 0;
    int bits = 0;
    size_t o = pl, i = 0;
    while (o < pl + 16) {
        if (bits < 5) {
            acc = (acc << 8) | raw[i++];
            bits += 8;
        }
        out[o++] = alphabet[(acc >> (bits - 5)) & 31];
        bits -= 5;
    }
    out[o] = '\0';
}

void nt_random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof(raw))
        nbytes = sizeof(raw);
    randombytes_buf(raw, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, raw, nbytes);
}

int64_t nt_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t nt_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void nt_deadline_ms(int64_t ms, struct timespec *out)
{
    clock_gettime(CLOCK_REALTIME, out);
    out->tv_sec += (time_t)(ms / 1000);
    out->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (out->tv_nsec >= 1000000000L) {
        out->tv_sec++;
        out->tv_nsec -= 1000000000L;
    }
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm): no libc time zone
 * machinery, which takes a process-wide lock on every call. */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static char *put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

static void fmt_time(int64_t us, int64_t offset_us, const char *suffix, char out[NT_TIME_LEN])
{
    int64_t t = us + offset_us;
    int64_t secs = t >= 0 ? t / 1000000 : (t - 999999) / 1000000;
    unsigned ms = (unsigned)((t - secs * 1000000) / 1000);
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    unsigned sod = (unsigned)(secs - days * 86400);
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        nt_strlcpy(out, "0000-00-00T00:00:00.000Z", NT_TIME_LEN);
        return;
    }
    char *p = out;
    p = put2(p, (unsigned)y / 100);
    p = put2(p, (unsigned)y % 100);
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p++ = 'T';
    p = put2(p, sod / 3600);
    *p++ = ':';
    p = put2(p, sod / 60 % 60);
    *p++ = ':';
    p = put2(p, sod % 60);
    *p++ = '.';
    *p++ = (char)('0' + ms / 100);
    p = put2(p, ms % 100);
    nt_strlcpy(p, suffix, NT_TIME_LEN - (size_t)(p - out));
}

void nt_time_utc(int64_t us, char out[NT_TIME_LEN])
{
    fmt_time(us, 0, "Z", out);
}

void nt_time_local(int64_t us, char out[NT_TIME_LEN])
{
    fmt_time(us, VN_OFFSET_US, "+07:00", out);
}

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int nt_time_parse(const char *s, int64_t *us)
{
    int Y, M, D, h, mi, sec;
    const char *p = s;
    if (s == NULL || digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) || *p++ != '-' || digits(&p, 2, &D))
        return NT_EINVAL;
    if (*p == '\0') { /* a date alone: that day, from midnight in Vietnam */
        static const int mdays0[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap0 = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
        if (M < 1 || M > 12 || D < 1 || D > mdays0[M - 1] || (M == 2 && D == 29 && !leap0))
            return NT_EINVAL;
        *us = (days_from_civil(Y, M, D) * 86400 - 7 * 3600) * 1000000;
        return 0;
    }
    if (*p != 'T' && *p != 't' && *p != ' ')
        return NT_EINVAL;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &sec))
        return NT_EINVAL;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || mi > 59 || sec > 60)
        return NT_EINVAL;
    bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
    if (M == 2 && D == 29 && !leap)
        return NT_EINVAL;
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        while (*p >= '0' && *p <= '9') {
            if (n < 6) {
                frac = frac * 10 + (*p - '0');
                n++;
            }
            p++;
        }
        if (n == 0)
            return NT_EINVAL;
        while (n++ < 6)
            frac *= 10;
    }
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om;
        p++;
        if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
            return NT_EINVAL;
        off = sign * ((int64_t)oh * 3600 + om * 60);
    } else {
        return NT_EINVAL;
    }
    if (*p != '\0')
        return NT_EINVAL;
    if (sec == 60)
        sec = 59; /* leap second: clamp */
    int64_t secs = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sec - off;
    *us = secs * 1000000 + frac;
    return 0;
}

void nt_time_show(const char *utc, char out[NT_TIME_LEN])
{
    int64_t us;
    if (utc != NULL && nt_time_parse(utc, &us) == 0)
        nt_time_local(us, out);
    else
        nt_strlcpy(out, utc != NULL ? utc : "", NT_TIME_LEN);
}

int nt_current_year(void)
{
    time_t secs = (time_t)((nt_now_us() + VN_OFFSET_US) / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    return tm.tm_year + 1900;
}

int nt_b64url_encode(const void *in, size_t n, char *out, size_t cap)
{
    size_t need = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (cap < need)
        return -1;
    sodium_bin2base64(out, cap, in, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return (int)strlen(out);
}

int nt_b64url_decode(const char *in, void *out, size_t cap)
{
    size_t len = 0;
    if (sodium_base642bin(out, cap, in, strlen(in), NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    return (int)len;
}

uint64_t nt_hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    /* FNV-1a's low bits, which pick the bucket, barely depend on the high bits of its state:
     * sequential ids ("p0000001", "p0000002") would cluster. A final mix spreads them. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

int nt_strlcpy(char *dst, const char *src, size_t cap)
{
    size_t n = strlen(src);
    if (cap == 0)
        return -1;
    if (n >= cap) {
        memcpy(dst, src, cap - 1);
        dst[cap - 1] = '\0';
        return -1;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

bool nt_str_one_of(const char *s, const char *const *list)
{
    for (; s != NULL && *list != NULL; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

bool nt_streq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}
