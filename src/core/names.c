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
                    {"ngh", "n"}, {"ng", "n"}, {"nh", "nh"}, {"kh", "kh"}, {"ch", "ch"}, {"th", "th"}, {"gh", "g"},
                    {"tr", "ch"}, {"ph", "f"}, {"qu", "w"},  {"d", "z"},   {"r", "z"},   {"z", "z"},   {"j", "z"},
                    {"s", "x"},   {"k", "c"},  {"q", "c"},   {"f", "f"},   {"w", "w"}};
    if ((starts(p, "gi") || starts(p, "gy")) && vowel(p[2])) { /* gi before a vowel sounds as d/r/z ("gya" too) */
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
    /* The final consonant: ng, nh and n merge (as the South says them); c, k, ch, kh, tr merge. */
    bool voweled = false;
    for (size_t i = 0; i < o && !voweled; i++)
        voweled = vowel(out[i]);
    if (voweled && o >= 3 && out[o - 2] == 'n' && (out[o - 1] == 'g' || out[o - 1] == 'h'))
        o--;
    else if (voweled && o >= 3 &&
             ((out[o - 2] == 'c' && out[o - 1] == 'h') || (out[o - 2] == 'k' && out[o - 1] == 'h') ||
              (out[o - 2] == 't' && out[o - 1] == 'r')))
        out[--o - 1] = 'c';
    else if (voweled && o >= 2 && out[o - 1] == 'k' && vowel(out[o - 2]))
        out[o - 1] = 'c';
    out[o] = '\0';
    return (int)o;
}

bool nt_name_syllable(const char *t)
{
    /* initial consonant (with teen code's f, j, w, z), one to three vowels, final consonant */
    static const char *const initials[] = {"ngh", "ng", "gh", "gi", "kh", "ph", "th", "tr", "ch", "nh", "qu",
                                           "b",   "c",  "d",  "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",
                                           "s",   "t",  "v",  "x",  "f",  "j",  "w",  "z",  NULL};
    static const char *const finals[] = {"ng", "nh", "ch", "c", "m", "n", "p", "t", "", NULL};
    if (t == NULL || *t == '\0')
        return false;
    const char *p = t;
    for (const char *const *i = initials; *i; i++)
        if (starts(p, *i) && vowel(p[strlen(*i)])) {
            p += strlen(*i);
            break;
        }
    size_t v = 0;
    while (vowel(p[v]))
        v++;
    if (v < 1 || v > 3)
        return false;
    p += v;
    for (const char *const *f = finals; *f; f++)
        if (strcmp(p, *f) == 0)
            return true;
    return false;
}

int nt_name_untelex(const char *t, char *out, size_t cap)
{
    size_t n = t ? strlen(t) : 0, o = 0;
    if (t == NULL || cap < n + 1)
        return -1;
    /* A tone key typed after the syllable (Nguyeenx, Cucs); then the doubled letters and w's. */
    if (n >= 3 && strchr("sfrxj", t[n - 1]) != NULL && (vowel(t[n - 2]) || strchr("cmnptgh", t[n - 2]) != NULL))
        n--;
    for (size_t i = 0; i < n; i++) {
        char c = t[i], d = i + 1 < n ? t[i + 1] : '\0';
        if ((c == 'd' && d == 'd') || (c == 'a' && d == 'a') || (c == 'e' && d == 'e') || (c == 'o' && d == 'o')) {
            out[o++] = c;
            i++;
        } else if ((c == 'a' || c == 'o' || c == 'u') && d == 'w') {
            out[o++] = c;
            i++;
        } else
            out[o++] = c;
    }
    out[o] = '\0';
    return o == strlen(t) ? -1 : (int)o;
}

static bool letter(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

bool nt_name_filler(const char *w, size_t n)
{
    /* What people add to a handle or a stage name around the name itself; sorted, for a binary
     * search (cutting handles into syllables asks this of every substring). */
    static const char *const words[] = {
        "backup",  "beauty", "blog",    "blogger", "chanel",  "channel",  "clip",     "clips",   "club",  "cooking", "daily",
        "diary",   "family", "fan",     "fans",    "fashion", "fb",       "fc",       "film",    "films", "food",    "game",
        "gaming",  "group",  "hd",      "home",    "ig",      "insta",    "kids",     "kitchen", "life",  "live",    "makeup",
        "media",   "mom",    "music",   "new",     "offical", "official", "officiel", "online",  "page",  "real",    "review",
        "reviews", "shop",   "show",    "store",   "stories", "story",    "studio",   "style",   "team",  "the",     "tiktok",
        "travel",  "tv",     "vietnam", "vlog",    "vlogs",   "vn",       "world",    "youtube", "zalo",
    };
    if (n < 2 || n > 8)
        return false;
    size_t lo = 0, hi = sizeof(words) / sizeof(words[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(w, words[mid], n);
        if (c == 0)
            c = words[mid][n] == '\0' ? 0 : -1; /* w is a prefix of the word: it sorts first */
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

static bool leet(char c)
{
    return c == '0' || c == '1' || c == '3';
}

int nt_handle_tokens(const char *handle, unsigned flags, char *out, size_t cap)
{
    char key[NT_KEY_MAX];
    if (handle == NULL || nt_text_search_key(handle, key, sizeof(key)) < 0)
        return -1;
    /* Leetspeak: 0 -> o, 1 -> i, 3 -> e in a run of those digits between letters (th0m, k13u). With
     * NT_HT_EDGES also at the edge of a word (huy3nca0) and before a number (kh0195 -> khoi 95). A
     * year (19xx, 20xx) and a run with other digits in front stay numbers (lan1990, 96). */
    size_t n = strlen(key);
    for (size_t i = 0; i < n;) {
        if (!digit(key[i])) {
            i++;
            continue;
        }
        size_t j = i, k = i;
        while (j < n && digit(key[j]))
            j++;
        while (k < j && leet(key[k]))
            k++;
        bool before = i > 0 && letter(key[i - 1]), after = j < n && letter(key[j]);
        bool year = j - i == 4 && (strncmp(key + i, "19", 2) == 0 || strncmp(key + i, "20", 2) == 0);
        bool convert = false;
        if (k == j && !year) /* only leet digits */
            convert = (before && after) || ((flags & NT_HT_EDGES) && (before || after));
        else if (k > i && !year) /* leet digits, then a number */
            convert = before && (flags & NT_HT_EDGES);
        for (size_t m = i; convert && m < k; m++)
            key[m] = key[m] == '0' ? 'o' : key[m] == '1' ? 'i' : 'e';
        i = j;
    }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && !letter(key[i]))
            i++;
        size_t start = i;
        while (i < n && letter(key[i]))
            i++;
        size_t len = i - start;
        if (len == 0 || (!(flags & NT_HT_FILLERS) && nt_name_filler(key + start, len)))
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
