/* Screening's forms of names and handles; see names.h. */
#include "core/names.h"
#include "core/text.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int nt_name_toned(const char *s, char *out, size_t cap)
{
    return nt_text_toned_key(s, out, cap);
}

static bool starts(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static bool vowel(char c)
{
    return c != '\0' && strchr("aeiouy", c) != NULL;
}

int nt_name_sound(const char *t, char *out, size_t cap)
{
    size_t n = t ? strlen(t) : 0;
    if (t == NULL || cap < n + 2)
        return -1;
    size_t o = 0;
    const char *p = t;
    /* The initial consonant: the spellings one sound has across regions and teen code. */
    static const struct {
        const char *from, *to;
    } initials[] = {/* two-letter consonants first, so that "kh" is not "k" + "h" */
                    {"ngh", "ng"}, {"ng", "ng"}, {"nh", "nh"}, {"kh", "kh"}, {"ch", "ch"}, {"th", "th"}, {"gh", "g"},
                    {"tr", "ch"},  {"ph", "f"},  {"qu", "w"},  {"d", "z"},   {"r", "z"},   {"z", "z"},   {"j", "z"},
                    {"s", "x"},    {"k", "c"},   {"q", "c"},   {"f", "f"},   {"w", "w"}};
    if (starts(p, "gi") && vowel(p[2])) { /* gi before a vowel sounds as d/r/z */
        out[o++] = 'z';
        p += 2;
    } else {
        for (size_t i = 0; i < sizeof(initials) / sizeof(initials[0]); i++)
            if (starts(p, initials[i].from)) {
                size_t l = strlen(initials[i].to);
                memcpy(out + o, initials[i].to, l);
                o += l;
                p += strlen(initials[i].from);
                break;
            }
    }
    for (; *p; p++) {
        char c = *p == 'y' ? 'i' : *p;
        if (c < 'a' || c > 'z')
            return -1;
        out[o++] = c;
    }
    if (o >= 2 && out[o - 2] == 'n' && (out[o - 1] == 'g' || out[o - 1] == 'h')) /* final ng, nh and n merge */
        o--;
    out[o] = '\0';
    return (int)o;
}

static bool filler(const char *w, size_t n)
{
    static const char *const words[] = {"official", "offical", "real", "tv", "vlog", "vlogs", "backup", "new",
                                        "channel",  "page",    "fan",  "fc", "the",  "chinh", "thuc",   NULL};
    for (const char *const *f = words; *f; f++)
        if (strlen(*f) == n && strncmp(*f, w, n) == 0)
            return true;
    return false;
}

int nt_handle_tokens(const char *handle, char *out, size_t cap)
{
    char key[NT_KEY_MAX];
    if (handle == NULL || nt_text_search_key(handle, key, sizeof(key)) < 0)
        return -1;
    /* Leetspeak between letters: th0m -> thom, ng0c -> ngoc; a digit at an edge is a number. */
    size_t n = strlen(key);
    for (size_t i = 1; i + 1 < n; i++) {
        bool between = key[i - 1] >= 'a' && key[i - 1] <= 'z' && key[i + 1] >= 'a' && key[i + 1] <= 'z';
        if (between && (key[i] == '0' || key[i] == '1' || key[i] == '3'))
            key[i] = key[i] == '0' ? 'o' : key[i] == '1' ? 'i' : 'e';
    }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && !(key[i] >= 'a' && key[i] <= 'z'))
            i++;
        size_t start = i;
        while (i < n && key[i] >= 'a' && key[i] <= 'z')
            i++;
        size_t len = i - start;
        if (len == 0 || filler(key + start, len))
            continue;
        if (o + len + 2 > cap)
            return -1;
        if (o > 0)
            out[o++] = ' ';
        memcpy(out + o, key + start, len);
        o += len;
    }
    if (cap == 0)
        return -1;
    out[o] = '\0';
    return (int)o;
}
