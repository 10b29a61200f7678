/* Subjects of a check; see subject.h. */
#include "core/subject.h"
#include <stdio.h>
#include <string.h>

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool handle_char(char c)
{
    return id_char(c) || c == '.';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* "platform" and a handle into out's key. */
static const char *on_platform(const char *platform, const char *handle, size_t len, nt_subject *out)
{
    if (!nt_platform_known(platform))
        return "unknown_platform";
    char h[NT_HANDLE_MAX], norm[NT_HANDLE_MAX];
    if (len == 0 || len >= sizeof(h))
        return "invalid_handle";
    memcpy(h, handle, len);
    h[len] = '\0';
    if (nt_handle_normalize(platform, h, norm) != 0)
        return "invalid_handle";
    out->kind = NT_SUBJECT_HANDLE;
    nt_strlcpy(out->platform, platform, sizeof(out->platform));
    snprintf(out->key, sizeof(out->key), "%s:%s", platform, norm);
    return NULL;
}

/* The hosts of the supported platforms' profile pages, and whether a handle there starts with "@". */
static const struct {
    const char *host, *platform;
    bool at;
} hosts[] = {
    {"tiktok.com", "tiktok", true},
    {"facebook.com", "facebook", false},
    {"fb.com", "facebook", false},
    {"instagram.com", "instagram", false},
    {"youtube.com", "youtube", true},
    {"zalo.me", "zalo", false},
    {"x.com", "x", false},
    {"twitter.com", "x", false},
    {"threads.net", "threads", true},
    {"threads.com", "threads", true},
};

/* First path segments that are pages of the site, not someone's profile. */
static bool reserved_segment(const char *seg, size_t n)
{
    static const char *const pages[] = {"profile.php", "people",  "pages",   "groups",  "watch",   "share", "p",    "reel",
                                        "reels",       "explore", "stories", "hashtag", "channel", "c",     "user", "i",
                                        "search",      "intent",  "home",    "video",   "login",   NULL};
    for (const char *const *w = pages; *w; w++)
        if (strlen(*w) == n && strncmp(*w, seg, n) == 0)
            return true;
    return false;
}

/* A profile URL: [scheme://][www.|m.]host/handle[/...][?...][#...]. */
static const char *from_url(const char *s, nt_subject *out)
{
    const char *p = s;
    if (strncmp(p, "https://", 8) == 0)
        p += 8;
    else if (strncmp(p, "http://", 7) == 0)
        p += 7;
    const char *slash = strchr(p, '/');
    size_t hl = slash ? (size_t)(slash - p) : strlen(p);
    char host[64];
    if (hl == 0 || hl >= sizeof(host))
        return "not_a_subject";
    for (size_t i = 0; i < hl; i++)
        host[i] = lower(p[i]);
    host[hl] = '\0';
    const char *h = host;
    if (strncmp(h, "www.", 4) == 0)
        h += 4;
    else if (strncmp(h, "m.", 2) == 0)
        h += 2;
    for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        if (strcmp(hosts[i].host, h) != 0)
            continue;
        const char *seg = slash ? slash + 1 : "";
        size_t n = strcspn(seg, "/?#");
        if (hosts[i].at && (n < 2 || seg[0] != '@'))
            return "invalid_handle"; /* youtube.com/channel/…, tiktok.com/video/…: no handle */
        if (reserved_segment(seg, n))
            return "invalid_handle"; /* facebook.com/profile.php?id=…: an account number, not a handle */
        for (size_t k = hosts[i].at ? 1 : 0; k < n; k++)
            if (!handle_char(seg[k]))
                return "invalid_handle";
        return on_platform(hosts[i].platform, seg, n, out);
    }
    return slash != NULL && strchr(host, '.') != NULL ? "unknown_platform" : "not_a_subject";
}

const char *nt_subject_parse(const char *s, nt_subject *out)
{
    memset(out, 0, sizeof(*out));
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= 512)
        return "not_a_subject";
    char t[512];
    memcpy(t, s, n);
    t[n] = '\0';
    if (strncmp(t, "http://", 7) == 0 || strncmp(t, "https://", 8) == 0)
        return from_url(t, out);
    const char *colon = strchr(t, ':'), *slash = strchr(t, '/');
    if (slash != NULL && (colon == NULL || colon > slash))
        return from_url(t, out); /* tiktok.com/@x */
    if (colon != NULL) {
        char platform[NT_PLATFORM_MAX];
        size_t pl = (size_t)(colon - t);
        if (pl == 0 || pl >= sizeof(platform))
            return "unknown_platform";
        for (size_t i = 0; i < pl; i++)
            platform[i] = lower(t[i]);
        platform[pl] = '\0';
        return on_platform(platform, colon + 1, strlen(colon + 1), out);
    }
    bool digit = false, idform = true, handleform = true, dot = false;
    for (const char *c = t[0] == '@' ? t + 1 : t; *c; c++) {
        digit = digit || (*c >= '0' && *c <= '9');
        dot = dot || *c == '.';
        idform = idform && id_char(*c);
        handleform = handleform && handle_char(*c);
    }
    if (t[0] == '@' || (handleform && dot)) { /* a handle without its platform */
        const char *h = t[0] == '@' ? t + 1 : t;
        if (!handleform || *h == '\0' || strlen(h) >= sizeof(out->handle))
            return "invalid_handle";
        out->kind = NT_SUBJECT_ANY_HANDLE;
        nt_strlcpy(out->handle, h, sizeof(out->handle));
        return NULL;
    }
    if (idform && n < NT_ID_LEN) {
        out->kind = NT_SUBJECT_PERSON;
        out->name_like = !digit;
        nt_strlcpy(out->id, t, sizeof(out->id));
        return NULL;
    }
    /* Letters (any script) and spaces, hyphens, apostrophes, dots: a name. */
    bool letters = false;
    for (const unsigned char *c = (const unsigned char *)t; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c >= 0x80)
            letters = true;
        else if (!(*c == ' ' || *c == '-' || *c == '\'' || *c == '.'))
            return "not_a_subject";
    }
    return letters ? "is_a_name" : "not_a_subject";
}
