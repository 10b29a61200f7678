/* Screening: names and handles read into tokens (roles, plain and toned forms, sounds). */
#include "index/screen_int.h"

/* ---- reading names and handles into tokens ---- */

static bool has_digit(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return true;
    return false;
}

/* The length of a quote mark at s (", ', “, ”, ‘, ’, or a parenthesis), or 0. */
static size_t quote_at(const char *s)
{
    if (*s == '"' || *s == '\'' || *s == '(' || *s == ')')
        return 1;
    if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] >= 0x98 && (unsigned char)s[2] <= 0x9D)
        return 3;
    return 0;
}

/* A name without what it holds in quotes or parentheses: a nickname ("Nguyễn Thị Lan “Bông”",
 * "Nguyễn Văn Tý (Tèo)") is not part of the name. The name as it is when nothing else is left or a
 * quote is not closed. */
static const char *unquoted(const char *s, char *out, size_t cap)
{
    size_t o = 0, words = 0;
    bool inside = false, letter = false;
    for (const char *p = s; *p;) {
        size_t q = quote_at(p);
        if (q > 0) {
            inside = !inside;
            if (o + 1 < cap)
                out[o++] = ' ';
            p += q;
            continue;
        }
        if (!inside && o + 1 < cap) {
            bool l = (unsigned char)*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
            words += l && !letter;
            letter = l;
            out[o++] = *p;
        } else if (!inside)
            return s;
        p++;
    }
    out[o] = '\0';
    return inside || words == 0 ? s : out;
}

/* A name's tokens: plain and toned side by side, digits dropped, nicknames in quotes left out. */
int nt__scr_name_toks(const char *s, toks *t)
{
    char plain[NT_KEY_MAX], toned[NT_KEY_MAX], bare[NT_KEY_MAX];
    t->n = 0;
    s = unquoted(s, bare, sizeof(bare));
    if (nt_text_search_key(s, plain, sizeof(plain)) < 0)
        return NT_EINVAL;
    bool paired = nt_name_toned(s, toned, sizeof(toned)) >= 0;
    char *pt[MAXTOK * 2], *tt[MAXTOK * 2];
    int np = nt_text_tokens(plain, pt, MAXTOK * 2), nt = paired ? nt_text_tokens(toned, tt, MAXTOK * 2) : 0;
    paired = paired && np == nt;
    for (int i = 0; i < np; i++) {
        size_t n = strlen(pt[i]);
        if (has_digit(pt[i])) { /* "Cúc2": the letters only */
            char buf[TOKLEN];
            size_t o = 0;
            for (const char *c = pt[i]; *c && o + 1 < sizeof(buf); c++)
                if (*c >= 'a' && *c <= 'z')
                    buf[o++] = *c;
            push_tok(t, buf, o, NULL);
        } else
            push_tok(t, pt[i], n, paired ? tt[i] : NULL);
    }
    return 0;
}

int nt__scr_handle_toks(const char *h, bool edges, toks *t)
{
    char buf[NT_KEY_MAX];
    t->n = 0;
    /* "tiktok:@x", "https://www.tiktok.com/@x?lang=vi": the handle only */
    char copy[256];
    const char *slash = strrchr(h, '/');
    if (slash != NULL && slash[1] == '\0') { /* ".../@x/" */
        size_t n = (size_t)(slash - h) < sizeof(copy) ? (size_t)(slash - h) : sizeof(copy) - 1;
        memcpy(copy, h, n);
        copy[n] = '\0';
        h = copy;
        slash = strrchr(h, '/');
    }
    if (slash != NULL)
        h = slash + 1;
    const char *colon = strchr(h, ':');
    if (colon != NULL)
        h = colon + 1;
    char bare[256];
    nt_strlcpy(bare, h, sizeof(bare));
    char *query = strchr(bare, '?');
    if (query != NULL)
        *query = '\0';
    h = bare;
    if (nt_handle_tokens(h, NT_HT_FILLERS | (edges ? NT_HT_EDGES : 0), buf, sizeof(buf)) < 0)
        return NT_EINVAL;
    char *pt[MAXTOK * 2];
    int n = nt_text_tokens(buf, pt, MAXTOK * 2);
    for (int i = 0; i < n; i++)
        push_tok(t, pt[i], strlen(pt[i]), NULL);
    return 0;
}

/* The last number in a handle with a digit that leetspeak does not use ("@lan_96", "@thu1990"); -1. */
int nt__scr_handle_number(const char *h)
{
    int last = -1;
    for (const char *p = h; *p;) {
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        int v = 0, len = 0;
        bool plain = false;
        for (; *p >= '0' && *p <= '9'; p++, len++) {
            v = len < 4 ? v * 10 + (*p - '0') : v;
            plain = plain || (*p != '0' && *p != '1' && *p != '3');
        }
        if (plain)
            last = v;
    }
    return last;
}

/* Cuts letters with no spaces ("lanthao", "nguyenanhthien") into the syllables of the registry's
 * names: fewest pieces, then the commonest; letters no syllable covers cost more than a piece.
 * Writes the pieces to out; returns how many, and whether every letter was covered. */
int nt__scr_segment(const nt_screen *ix, const char *s, size_t n, char pieces[][TOKLEN], int max, bool *whole, bool initials)
{
    float cost[TOKLEN + 1];
    int from[TOKLEN + 1];
    bool known[TOKLEN + 1];
    cost[0] = 0;
    bool consonants = initials; /* so far */
    for (size_t i = 1; i <= n; i++) {
        /* one letter no syllable covers; leading consonants may be initials ("ntthuy": n t thuy) */
        consonants = consonants && strchr("aeiouy", s[i - 1]) == NULL;
        bool initial = consonants;
        cost[i] = cost[i - 1] + (initial ? 1.4f : 1.6f);
        from[i] = (int)i - 1;
        known[i] = initial;
        for (size_t l = 2; l <= 8 && l <= i; l++) {
            uint32_t id = vfind(ix, s + i - l, l);
            bool filler = nt_name_filler(s + i - l, l);
            if (!filler && (id == NONE || !ix->v[id].syllable))
                continue;
            if (filler && consonants) /* "ntvkhai" is N. T. V. Khải, not "n" "tv" "khai" */
                continue;
            float c =
                cost[i - l] + 1.0f + (filler ? 0.1f : 0.02f * logf(((float)ix->live + 1.0f) / ((float)ix->v[id].seen + 1.0f)));
            if (c < cost[i]) {
                cost[i] = c;
                from[i] = (int)(i - l);
                known[i] = true;
            }
        }
    }
    /* Walk back; runs of uncovered letters make one piece. */
    int ends[TOKLEN + 1], k = 0;
    bool cov[TOKLEN + 1];
    *whole = true;
    for (int i = (int)n; i > 0; i = from[i]) {
        ends[k] = i;
        cov[k++] = known[i];
        *whole = *whole && known[i];
    }
    int out = 0;
    size_t start = 0;
    for (int j = k - 1; j >= 0; j--) {
        size_t end = (size_t)ends[j];
        bool merge = !cov[j] && j > 0 && !cov[j - 1];
        if (merge)
            continue;
        if (out < max && end - start < TOKLEN) {
            memcpy(pieces[out], s + start, end - start);
            pieces[out][end - start] = '\0';
            out++;
        }
        start = end;
    }
    return out;
}

/* The letters of the tokens but the filler words, as one string. */
void nt__scr_concat(const toks *t, char *out, size_t cap)
{
    size_t o = 0;
    for (int i = 0; i < t->n; i++) {
        size_t n = strlen(t->plain[i]);
        if (t->filler[i])
            continue;
        if (o + n + 1 > cap)
            break;
        memcpy(out + o, t->plain[i], n);
        o += n;
    }
    out[o] = '\0';
}

/* A query's leading honorific ("Chị Nguyễn Thị Lan", "anh Tuấn Anh Lê") is no part of the name: it
 * is read as a filler word, when two words or more follow. Written with marks it must be the
 * honorific's own ("Chu" is a family name, "Chú" an uncle); without marks any of their letters. */
void nt__scr_honorific(toks *t)
{
    static const char *const toned[] = {"anh", "bà", "bác", "cô", "cậu", "chị", "chú", "dì", "em", "mợ", "ông", "thầy", NULL};
    static const char *const plain[] = {"anh", "ba", "bac", "co", "cau", "chi", "chu", "di", "em", "mo", "ong", "thay", NULL};
    if (t->n < 3 || t->filler[0])
        return;
    bool marked = t->toned[0][0] != '\0' && strcmp(t->toned[0], t->plain[0]) != 0;
    const char *const *list = marked ? toned : plain;
    const char *w = marked ? t->toned[0] : t->plain[0];
    for (int i = 0; list[i] != NULL; i++)
        if (strcmp(w, list[i]) == 0) {
            t->filler[0] = true;
            return;
        }
}
