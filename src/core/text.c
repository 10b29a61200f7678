/* Vietnamese text normalisation with utf8proc, and platform handle rules. */
#include "core/text.h"
#include "core/err.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool nt_text_valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0 || cp == 0)
            return false;
        p += k;
    }
    return true;
}

size_t nt_text_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static bool is_space(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

char *nt_text_nfc(const char *s)
{
    if (s == NULL || !nt_text_valid_utf8(s, strlen(s)))
        return NULL;
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
    if (nfc == NULL)
        return NULL;
    size_t n = strlen((char *)nfc);
    char *out = malloc(n + 1);
    if (out == NULL) {
        free(nfc);
        return NULL;
    }
    /* Collapse white space; drop it at both ends. */
    const unsigned char *p = nfc, *end = nfc + n;
    size_t o = 0;
    bool pending = false;
    while (p < end) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0)
            break;
        if (is_space(cp)) {
            pending = o > 0;
        } else {
            if (pending)
                out[o++] = ' ';
            pending = false;
            memcpy(out + o, p, (size_t)k);
            o += (size_t)k;
        }
        p += k;
    }
    out[o] = '\0';
    free(nfc);
    return out;
}

/* Precomposed Latin letters (U+00C0..U+1EFF, every Vietnamese one among them) with their keys, so
 * that names written in NFC need no Unicode tables: the toned key's letter (case-folded, UTF-8) and
 * the search key's (one ASCII letter). Built once from utf8proc itself, so both paths agree. */
#define FAST_LO 0x00C0
#define FAST_HI 0x1F00
static struct fast_letter {
    char toned[4];
    unsigned char toned_len; /* 0: not a letter the fast path knows */
    char plain;
} fast[FAST_HI - FAST_LO];
static pthread_once_t fast_once = PTHREAD_ONCE_INIT;

static void fast_init(void)
{
    for (utf8proc_int32_t cp = FAST_LO; cp < FAST_HI; cp++) {
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
            continue;
        utf8proc_uint8_t in[4], *t = NULL, *pl = NULL;
        utf8proc_ssize_t n = utf8proc_encode_char(cp, in);
        in[n] = 0;
        utf8proc_ssize_t tn = utf8proc_map(in, 0, &t, UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
        utf8proc_ssize_t pn = utf8proc_map(in, 0, &pl,
                                           UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                               UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
        char plain = cp == 0x0111 || cp == 0x0110 ? 'd' : pn == 1 && pl[0] >= 'a' && pl[0] <= 'z' ? (char)pl[0] : 0;
        utf8proc_int32_t one;
        if (plain && tn > 0 && tn <= 4 && utf8proc_iterate(t, tn, &one) == tn) {
            struct fast_letter *f = &fast[cp - FAST_LO];
            memcpy(f->toned, t, (size_t)tn);
            f->toned_len = (unsigned char)tn;
            f->plain = plain;
        }
        free(t);
        free(pl);
    }
}

/* The key of s by the table above; -2 when s has anything the table does not know. */
static int fast_key(const char *s, bool marks, char *out, size_t cap)
{
    pthread_once(&fast_once, fast_init);
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    bool pending = false;
    while (*p) {
        char one[4];
        size_t len = 0;
        if (*p < 0x80) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
                one[len++] = (char)*p;
            else if (*p >= 'A' && *p <= 'Z')
                one[len++] = (char)(*p + 32);
            p++;
        } else {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate(p, 4, &cp);
            if (k <= 0 || cp < FAST_LO || cp >= FAST_HI || fast[cp - FAST_LO].toned_len == 0)
                return -2;
            const struct fast_letter *f = &fast[cp - FAST_LO];
            if (marks) {
                memcpy(one, f->toned, f->toned_len);
                len = f->toned_len;
            } else
                one[len++] = f->plain;
            p += k;
        }
        if (len == 0) {
            pending = o > 0;
            continue;
        }
        if (o + (pending ? 1 : 0) + len + 1 > cap)
            return -1;
        if (pending)
            out[o++] = ' ';
        pending = false;
        memcpy(out + o, one, len);
        o += len;
    }
    out[o] = '\0';
    return (int)o;
}

/* A key of s: mapped by utf8proc with flags, then letters and digits (and, with marks, combining
 * marks) kept and every run of anything else turned into one space. With fold_d, đ/Đ become d. */
static int text_key(const char *s, int flags, bool marks, bool fold_d, char *out, size_t cap)
{
    if (s == NULL || cap == 0)
        return -1;
    /* Most names and handles: the same key without the Unicode tables. */
    int fk = fast_key(s, marks, out, cap);
    if (fk != -2) {
        if (fk < 0)
            out[0] = '\0';
        return fk;
    }
    if (!nt_text_valid_utf8(s, strlen(s)))
        return -1;
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m, (utf8proc_option_t)flags);
    if (n < 0)
        return -1;
    const unsigned char *p = m, *end = m + n;
    size_t o = 0;
    bool pending = false;
    int rc = -1;
    while (p < end) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0)
            goto out;
        p += k;
        if (fold_d && (cp == 0x0111 || cp == 0x0110)) /* đ Đ have no decomposition */
            cp = 'd';
        utf8proc_category_t cat = utf8proc_category(cp);
        bool keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= (marks ? UTF8PROC_CATEGORY_ME : UTF8PROC_CATEGORY_LO)) ||
                    (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (!keep) {
            pending = o > 0;
            continue;
        }
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t el = utf8proc_encode_char(cp, enc);
        if (o + (pending ? 1 : 0) + (size_t)el + 1 > cap)
            goto out;
        if (pending)
            out[o++] = ' ';
        pending = false;
        memcpy(out + o, enc, (size_t)el);
        o += (size_t)el;
    }
    out[o] = '\0';
    rc = (int)o;
out:
    free(m);
    if (rc < 0)
        out[0] = '\0';
    return rc;
}

int nt_text_search_key(const char *s, char *out, size_t cap)
{
    return text_key(
        s, UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
        false, true, out, cap);
}

int nt_text_toned_key(const char *s, char *out, size_t cap)
{
    return text_key(s, UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD, true, false, out, cap);
}

int nt_text_tokens(char *buf, char **tokens, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t != NULL && n < max; t = strtok_r(NULL, " ", &save))
        tokens[n++] = t;
    return n;
}

const char *const nt_platforms[] = {"tiktok", "facebook", "instagram", "youtube", "zalo", "x", "threads", NULL};

struct handle_rule {
    const char *platform;
    const char *extra; /* allowed besides a-z 0-9 */
    int min, max;
    bool ignore_periods;
};

/* From each platform's published username rules. */
static const struct handle_rule rules[] = {
    {"tiktok", "._", 2, 24, false},   {"facebook", "._", 5, 50, true}, {"instagram", "._", 1, 30, false},
    {"youtube", "._-", 3, 30, false}, {"zalo", "._", 2, 40, false},    {"x", "_", 1, 15, false},
    {"threads", "._", 1, 30, false},
};

bool nt_platform_known(const char *platform)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (strcmp(rules[i].platform, platform) == 0)
            return true;
    return false;
}

int nt_subject_handle(const char *subject, char platform[NT_PLATFORM_MAX], char key[NT_SUBJECT_KEY_MAX])
{
    const char *colon = strchr(subject, ':');
    if (colon == NULL)
        return 1;
    size_t pl = (size_t)(colon - subject);
    if (pl >= NT_PLATFORM_MAX)
        return NT_EINVAL;
    memcpy(platform, subject, pl);
    platform[pl] = '\0';
    char h[NT_HANDLE_MAX];
    if (nt_handle_normalize(platform, colon + 1, h) != 0)
        return NT_EINVAL;
    memcpy(key, platform, pl);
    key[pl] = ':';
    memcpy(key + pl + 1, h, strlen(h) + 1);
    return 0;
}

int nt_handle_normalize(const char *platform, const char *handle, char out[NT_HANDLE_MAX])
{
    const struct handle_rule *r = NULL;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (strcmp(rules[i].platform, platform) == 0) {
            r = &rules[i];
            break;
        }
    if (r == NULL || handle == NULL)
        return NT_EINVAL;
    /* The characters the platform allows beyond a-z and 0-9, as a table (this is on the check path). */
    bool extra[256] = {false};
    for (const char *e = r->extra; *e; e++)
        extra[(unsigned char)*e] = true;
    const char *p = handle;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '@')
        p++;
    size_t o = 0;
    for (; *p != '\0' && *p != ' ' && *p != '\t'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || extra[c]))
            return NT_EINVAL;
        if (c == '.' && r->ignore_periods)
            continue;
        if (o + 1 >= NT_HANDLE_MAX)
            return NT_EINVAL;
        out[o++] = (char)c;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '\0')
        return NT_EINVAL;
    out[o] = '\0';
    if ((int)o < r->min || (int)o > r->max)
        return NT_EINVAL;
    return 0;
}
