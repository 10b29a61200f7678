/* Screening's in-memory name index and matcher; see screen.h. */
#include "index/screen.h"
#include "core/err.h"
#include "core/names.h"
#include "core/text.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAXTOK   NT_SCREEN_MAX_TOKENS
#define TOKLEN   NT_SCREEN_TOKEN_LEN
#define NONE     UINT32_MAX
#define MAXX     64  /* expansions of one query token */
#define KEEP     128 /* candidates per reading scored in full */
#define READINGS 4

/* Similarities of the forms a query token can meet a candidate's token in. */
#define SIM_TONED      1.00f
#define SIM_PLAIN      0.92f /* the query wrote no marks */
#define SIM_PLAIN_DIFF 0.85f /* the query wrote other marks */
#define SIM_SOUND      0.80f
#define SIM_TYPO       0.70f
#define SIM_INITIAL    0.60f
#define MIDDLE_MISS    0.3f  /* the share of its weight a middle name costs when dropped */
#define MIDDLE_ADDED   0.6f  /* and when the query has one the candidate lacks */
#define OTHER_KIND     0.97f /* a name query meeting a handle, a handle query meeting a name */
#define OTHER_NUMBER   0.98f /* a handle query with a number meeting a handle without it */
#define YEAR_HINT      0.97f /* a year in a handle ("@thucuc1990") that is not the birth year */

enum { FAMILY, MIDDLE, GIVEN, OTHER, FILLER };
static const char *const role_names[] = {"family", "middle", "given", "other", "filler"};
enum { VIA_NAME, VIA_ALIAS, VIA_HANDLE };
static const char *const via_names[] = {"name", "alias", "handle"};
enum { P_DEAD = 1, P_FLAG = 2 };

/* ---- small containers ---- */

typedef struct {
    uint32_t *a;
    uint32_t n, cap;
} u32vec;

/* Makes room for one more item in *arr (n items of size bytes, *cap allocated): doubles, from
 * first. 0 or NT_ENOMEM (arr unchanged). */
static int room(void *arr, uint32_t n, uint32_t *cap, size_t size, uint32_t first)
{
    if (n < *cap)
        return 0;
    uint32_t c = *cap ? *cap * 2 : first;
    void *a = realloc(*(void **)arr, (size_t)c * size);
    if (a == NULL)
        return NT_ENOMEM;
    *(void **)arr = a;
    *cap = c;
    return 0;
}

/* A posting: the person, beside the entry (whose liveness is a bit in `dead`), so that walking a
 * list touches one array per posting. */
typedef struct {
    uint32_t p, e;
} post_t;
typedef struct {
    post_t *a;
    uint32_t n, cap;
} pvec;

static int ppush(pvec *v, uint32_t p, uint32_t e)
{
    if (room(&v->a, v->n, &v->cap, sizeof(*v->a), 4) != 0)
        return NT_ENOMEM;
    v->a[v->n].p = p;
    v->a[v->n++].e = e;
    return 0;
}

static int vpush(u32vec *v, uint32_t x)
{
    if (room(&v->a, v->n, &v->cap, sizeof(*v->a), 4) != 0)
        return NT_ENOMEM;
    v->a[v->n++] = x;
    return 0;
}

/* A multimap from 64-bit hashes to 32-bit values, open addressing; h == 0 marks a free slot. */
typedef struct {
    uint64_t h;
    uint32_t v;
} mslot;
typedef struct {
    mslot *s;
    size_t cap, n;
} mmap_t;

static uint64_t hkey(uint64_t h)
{
    return h ? h : 1;
}

static int mm_grow(mmap_t *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    mslot *s = calloc(cap, sizeof(*s));
    if (s == NULL)
        return NT_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->s[i].h) {
            size_t j = m->s[i].h & (cap - 1);
            while (s[j].h)
                j = (j + 1) & (cap - 1);
            s[j] = m->s[i];
        }
    free(m->s);
    m->s = s;
    m->cap = cap;
    return 0;
}

static int mm_put(mmap_t *m, uint64_t h, uint32_t v)
{
    h = hkey(h);
    if ((m->n + 1) * 10 > m->cap * 7 && mm_grow(m) != 0)
        return NT_ENOMEM;
    size_t j = h & (m->cap - 1);
    while (m->s[j].h) {
        if (m->s[j].h == h && m->s[j].v == v)
            return 0;
        j = (j + 1) & (m->cap - 1);
    }
    m->s[j].h = h;
    m->s[j].v = v;
    m->n++;
    return 0;
}

/* Iterates the values stored under h: `for (size_t it = mm_first(m, h); it != SIZE_MAX; it = mm_next(m, h, it))`. */
static size_t mm_scan(const mmap_t *m, uint64_t h, size_t j)
{
    for (; m->s[j].h; j = (j + 1) & (m->cap - 1))
        if (m->s[j].h == h)
            return j;
    return SIZE_MAX;
}

static size_t mm_first(const mmap_t *m, uint64_t h)
{
    return m->cap ? mm_scan(m, hkey(h), hkey(h) & (m->cap - 1)) : SIZE_MAX;
}

static size_t mm_next(const mmap_t *m, uint64_t h, size_t it)
{
    return mm_scan(m, hkey(h), (it + 1) & (m->cap - 1));
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 32);
}

/* Strings that live as long as the index. */
typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

/* ---- the index ---- */

typedef struct vtok {
    const char *s;
    uint8_t len;
    bool syllable;  /* seen in a legal name or an alias */
    uint32_t df;    /* persons whose legal name has it */
    uint32_t seen;  /* names and aliases it was seen in */
    uint64_t sound; /* hash of its sound key */
    float w;        /* rarity weight */
    pvec post;      /* entries */
} vtok;

/* Entries that hold two tokens: what a query of several words walks first (the pair of a family
 * name and a given name is far rarer than either). */
typedef struct pairpost {
    uint32_t a, b;
    pvec post;
} pairpost;

typedef struct entry {
    uint32_t person, tok; /* tok: offset in the token pools */
    uint8_t ntok, via;
    int16_t number; /* a handle's number ("@lan96": 96), or -1 */
    const char *text;
} entry;

typedef struct person {
    const char *id, *name;
    uint32_t first, n; /* its live entries */
    int16_t birth_year;
    char gender;
    uint8_t flags;
} person;

typedef struct slot {
    uint32_t stamp, bits;
    float acc;
} slot;

typedef struct scratch {
    struct scratch *next;
    slot *slots; /* per person */
    uint32_t serial;
    size_t cap;
    u32vec touched;
} scratch;

struct nt_screen {
    pthread_rwlock_t rw;
    pthread_mutex_t pool_lock;
    scratch *pool;
    chunk *arena;
    size_t arena_bytes;
    /* plain tokens */
    vtok *v;
    uint32_t nv, capv;
    mmap_t vmap, sounds, deletes;
    /* toned tokens */
    const char **toned;
    uint32_t nt, capt;
    mmap_t tmap;
    /* persons and their entries */
    person *p;
    uint32_t np, capp, live;
    mmap_t pmap;
    entry *e;
    uint32_t ne, cape;
    uint32_t *tokp, *tonp;
    uint8_t *rolep;
    uint32_t ntp, captp;
    mmap_t concat; /* hash of an entry's letters -> its group in `letters` */
    struct lettergroup {
        uint64_t h;
        pvec post;
    } * letters;
    uint32_t nletters, capletters;
    pairpost *pairs;
    uint32_t npairs, cappairs;
    mmap_t cutmap; /* a handle word's syllables, as first cut (writers only): hash -> cuts[] */
    const char **cuts;
    uint32_t ncuts, capcuts;
    mmap_t pairmap;
    uint32_t weighed_at; /* live persons when the weights were computed */
    uint64_t *dead;      /* a bit per entry no longer live (its person changed or left) */
    size_t deadcap, ndead;
};

static uint64_t pair_hash(uint32_t a, uint32_t b)
{
    uint64_t h = ((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

static uint32_t pair_find(const nt_screen *ix, uint32_t a, uint32_t b)
{
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint64_t h = pair_hash(a, b);
    for (size_t it = mm_first(&ix->pairmap, h); it != SIZE_MAX; it = mm_next(&ix->pairmap, h, it)) {
        const pairpost *p = &ix->pairs[ix->pairmap.s[it].v];
        if (p->a == a && p->b == b)
            return ix->pairmap.s[it].v;
    }
    return NONE;
}

static int pair_add(nt_screen *ix, uint32_t a, uint32_t b, uint32_t p, uint32_t e)
{
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint32_t id = pair_find(ix, a, b);
    if (id == NONE) {
        if (room(&ix->pairs, ix->npairs, &ix->cappairs, sizeof(*ix->pairs), 4096) != 0)
            return NT_ENOMEM;
        id = ix->npairs++;
        ix->pairs[id] = (pairpost){.a = a, .b = b};
        if (mm_put(&ix->pairmap, pair_hash(a, b), id) != 0)
            return NT_ENOMEM;
    }
    pvec *v = &ix->pairs[id].post;
    return v->n > 0 && v->a[v->n - 1].e == e ? 0 : ppush(v, p, e);
}

/* The entries whose letters hash to h (the same letters as one string), or NULL. */
static const pvec *letters_find(const nt_screen *ix, uint64_t h)
{
    for (size_t it = mm_first(&ix->concat, h); it != SIZE_MAX; it = mm_next(&ix->concat, h, it))
        if (ix->letters[ix->concat.s[it].v].h == h)
            return &ix->letters[ix->concat.s[it].v].post;
    return NULL;
}

static int letters_add(nt_screen *ix, uint64_t h, uint32_t p, uint32_t e)
{
    pvec *v = (pvec *)letters_find(ix, h);
    if (v == NULL) {
        if (room(&ix->letters, ix->nletters, &ix->capletters, sizeof(*ix->letters), 4096) != 0)
            return NT_ENOMEM;
        uint32_t id = ix->nletters++;
        ix->letters[id] = (struct lettergroup){.h = h};
        if (mm_put(&ix->concat, h, id) != 0)
            return NT_ENOMEM;
        v = &ix->letters[id].post;
    }
    return ppush(v, p, e);
}

static const char *keep_str(nt_screen *ix, const char *s, size_t n)
{
    if (ix->arena == NULL || ix->arena->used + n + 1 > ix->arena->cap) {
        size_t cap = n + 1 > (1 << 20) ? n + 1 : (1 << 20);
        chunk *c = malloc(sizeof(chunk) + cap);
        if (c == NULL)
            return NULL;
        c->next = ix->arena;
        c->used = 0;
        c->cap = cap;
        ix->arena = c;
        ix->arena_bytes += cap;
    }
    char *d = ix->arena->data + ix->arena->used;
    memcpy(d, s, n);
    d[n] = '\0';
    ix->arena->used += n + 1;
    return d;
}

static float weight_of(const nt_screen *ix, uint32_t df)
{
    float w = logf(((float)ix->live + 1.0f) / ((float)df + 1.0f));
    return w < 0.05f ? 0.05f : w > 8.0f ? 8.0f : w;
}

static uint32_t vfind(const nt_screen *ix, const char *s, size_t n)
{
    uint64_t h = hash_bytes(s, n);
    for (size_t it = mm_first(&ix->vmap, h); it != SIZE_MAX; it = mm_next(&ix->vmap, h, it)) {
        const vtok *t = &ix->v[ix->vmap.s[it].v];
        if (t->len == n && memcmp(t->s, s, n) == 0)
            return ix->vmap.s[it].v;
    }
    return NONE;
}

static uint32_t tfind(const nt_screen *ix, const char *s)
{
    size_t n = strlen(s);
    uint64_t h = hash_bytes(s, n);
    for (size_t it = mm_first(&ix->tmap, h); it != SIZE_MAX; it = mm_next(&ix->tmap, h, it))
        if (strcmp(ix->toned[ix->tmap.s[it].v], s) == 0)
            return ix->tmap.s[it].v;
    return NONE;
}

static uint64_t sound_hash(const char *s)
{
    char k[TOKLEN + 2];
    int n = nt_name_sound(s, k, sizeof(k));
    return n < 0 ? 0 : hash_bytes(k, (size_t)n);
}

static uint32_t vadd(nt_screen *ix, const char *s)
{
    size_t n = strlen(s);
    uint32_t id = vfind(ix, s, n);
    if (id != NONE)
        return id;
    if (room(&ix->v, ix->nv, &ix->capv, sizeof(*ix->v), 1024) != 0)
        return NONE;
    vtok *t = &ix->v[ix->nv];
    memset(t, 0, sizeof(*t));
    if ((t->s = keep_str(ix, s, n)) == NULL)
        return NONE;
    t->len = (uint8_t)n;
    t->sound = sound_hash(s);
    t->w = weight_of(ix, 0);
    id = ix->nv++;
    if (mm_put(&ix->vmap, hash_bytes(s, n), id) != 0 || mm_put(&ix->sounds, t->sound, id) != 0)
        return NONE;
    /* The token and each of its one-letter deletions, for typos within one edit. */
    if (n >= 2) {
        char d[TOKLEN];
        mm_put(&ix->deletes, hash_bytes(s, n), id);
        for (size_t i = 0; i < n; i++) {
            memcpy(d, s, i);
            memcpy(d + i, s + i + 1, n - i - 1);
            mm_put(&ix->deletes, hash_bytes(d, n - 1), id);
        }
    }
    return id;
}

static uint32_t tadd(nt_screen *ix, const char *s)
{
    uint32_t id = tfind(ix, s);
    if (id != NONE)
        return id;
    if (room(&ix->toned, ix->nt, &ix->capt, sizeof(*ix->toned), 1024) != 0)
        return NONE;
    if ((ix->toned[ix->nt] = keep_str(ix, s, strlen(s))) == NULL)
        return NONE;
    id = ix->nt++;
    return mm_put(&ix->tmap, hash_bytes(s, strlen(s)), id) == 0 ? id : NONE;
}

/* Damerau-Levenshtein distance of at most one (one insertion, deletion, substitution or swap). */
static bool within_one(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > lb)
        return within_one(b, lb, a, la);
    if (lb - la > 1)
        return false;
    size_t i = 0;
    while (i < la && a[i] == b[i])
        i++;
    if (i == la)
        return true;
    if (la == lb)
        return strcmp(a + i + 1, b + i + 1) == 0 ||
               (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0);
    return strcmp(a + i, b + i + 1) == 0;
}

/* ---- reading names and handles into tokens ---- */

typedef struct toks {
    int n;
    char plain[MAXTOK][TOKLEN];
    char toned[MAXTOK][TOKLEN * 2]; /* "" when unknown */
    bool filler[MAXTOK];            /* official, real, tv, vlog, ... */
} toks;

static bool has_digit(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return true;
    return false;
}

static void push_tok(toks *t, const char *plain, size_t n, const char *toned)
{
    if (t->n >= MAXTOK || n == 0 || n >= TOKLEN)
        return;
    memcpy(t->plain[t->n], plain, n);
    t->plain[t->n][n] = '\0';
    if (toned != NULL && strlen(toned) < sizeof(t->toned[0]))
        strcpy(t->toned[t->n], toned);
    else
        t->toned[t->n][0] = '\0';
    t->filler[t->n] = nt_name_filler(plain, n);
    t->n++;
}

/* A name's tokens: plain and toned side by side, digits dropped. */
static int name_toks(const char *s, toks *t)
{
    char plain[NT_KEY_MAX], toned[NT_KEY_MAX];
    t->n = 0;
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

static int handle_toks(const char *h, bool edges, toks *t)
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
static int handle_number(const char *h)
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

static bool is_syllable(const nt_screen *ix, const char *s, size_t n)
{
    uint32_t id = n >= 2 ? vfind(ix, s, n) : NONE;
    return id != NONE && ix->v[id].syllable;
}

/* Cuts letters with no spaces ("lanthao", "nguyenanhthien") into the syllables of the registry's
 * names: fewest pieces, then the commonest; letters no syllable covers cost more than a piece.
 * Writes the pieces to out; returns how many, and whether every letter was covered. */
static int segment(const nt_screen *ix, const char *s, size_t n, char pieces[][TOKLEN], int max, bool *whole)
{
    float cost[TOKLEN + 1];
    int from[TOKLEN + 1];
    bool known[TOKLEN + 1];
    cost[0] = 0;
    bool consonants = true; /* so far */
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

/* A writer's memory of how a word was cut ("lanthao" -> "lan thao"; "" for not at all). */
static const char *cut_seen(const nt_screen *ix, const char *s, size_t n)
{
    uint64_t h = hash_bytes(s, n);
    for (size_t it = mm_first(&ix->cutmap, h); it != SIZE_MAX; it = mm_next(&ix->cutmap, h, it)) {
        const char *c = ix->cuts[ix->cutmap.s[it].v];
        if (strncmp(c, s, n) == 0 && c[n] == '=')
            return c + n + 1;
    }
    return NULL;
}

static void cut_keep(nt_screen *ix, const char *s, size_t n, char pieces[][TOKLEN], int k)
{
    char buf[TOKLEN * (MAXTOK + 2)];
    size_t o = 0;
    memcpy(buf, s, n);
    o = n;
    buf[o++] = '=';
    for (int j = 0; j < k; j++) {
        size_t l = strlen(pieces[j]);
        if (o + l + 2 > sizeof(buf))
            return;
        if (j)
            buf[o++] = ' ';
        memcpy(buf + o, pieces[j], l);
        o += l;
    }
    if (room(&ix->cuts, ix->ncuts, &ix->capcuts, sizeof(*ix->cuts), 1024) != 0)
        return;
    const char *kept = keep_str(ix, buf, o);
    if (kept != NULL && mm_put(&ix->cutmap, hash_bytes(s, n), ix->ncuts) == 0)
        ix->cuts[ix->ncuts++] = kept;
}

/* Replaces each word that is no Vietnamese syllable by the syllables that cover all its letters
 * (if none do, it stays: a typo, or letters to compare as they are). A writer passes itself as `w`
 * to remember each cut: handles repeat, and cutting costs. */
static void cut(const nt_screen *ix, toks *t, nt_screen *w)
{
    toks o = {0};
    for (int i = 0; i < t->n; i++) {
        const char *s = t->plain[i];
        size_t n = strlen(s);
        char pieces[MAXTOK][TOKLEN];
        bool whole = false;
        int k = 0;
        const char *seen;
        if (n >= 4 && !t->filler[i] && w != NULL && (seen = cut_seen(ix, s, n)) != NULL) {
            for (const char *p = seen; *p && k < MAXTOK;) {
                size_t l = strcspn(p, " ");
                memcpy(pieces[k], p, l);
                pieces[k++][l] = '\0';
                p += l + (p[l] == ' ');
            }
        } else if (n >= 4 && !t->filler[i] && !is_syllable(ix, s, n) && !nt_name_syllable(s)) {
            k = segment(ix, s, n, pieces, MAXTOK, &whole);
            if (!whole) /* a typo, or letters no syllable covers: compared as they are */
                k = 0;
            if (w != NULL)
                cut_keep(w, s, n, pieces, k);
        }
        if (k >= 2)
            for (int j = 0; j < k; j++)
                push_tok(&o, pieces[j], strlen(pieces[j]), NULL);
        else
            push_tok(&o, s, n, t->toned[i][0] ? t->toned[i] : NULL);
    }
    *t = o;
}

/* The letters of the tokens but the filler words, as one string. */
static void concat(const toks *t, char *out, size_t cap)
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

/* ---- writers ---- */

nt_screen *nt_screen_new(void)
{
    nt_screen *ix = calloc(1, sizeof(*ix));
    if (ix == NULL)
        return NULL;
    pthread_rwlock_init(&ix->rw, NULL);
    pthread_mutex_init(&ix->pool_lock, NULL);
    return ix;
}

void nt_screen_free(nt_screen *ix)
{
    if (ix == NULL)
        return;
    for (uint32_t i = 0; i < ix->nv; i++)
        free(ix->v[i].post.a);
    free(ix->v);
    for (uint32_t i = 0; i < ix->npairs; i++)
        free(ix->pairs[i].post.a);
    free(ix->pairs);
    for (uint32_t i = 0; i < ix->nletters; i++)
        free(ix->letters[i].post.a);
    free(ix->letters);
    free(ix->cuts);
    free(ix->toned);
    free(ix->p);
    free(ix->e);
    free(ix->tokp);
    free(ix->tonp);
    free(ix->rolep);
    mmap_t *maps[] = {&ix->vmap, &ix->sounds, &ix->deletes, &ix->tmap, &ix->pmap, &ix->concat, &ix->pairmap, &ix->cutmap};
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
        free(maps[i]->s);
    for (chunk *c = ix->arena, *next; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    for (scratch *s = ix->pool, *next; s != NULL; s = next) {
        next = s->next;
        free(s->slots);
        free(s->touched.a);
        free(s);
    }
    free(ix->dead);
    pthread_mutex_destroy(&ix->pool_lock);
    pthread_rwlock_destroy(&ix->rw);
    free(ix);
}

static uint32_t pfind(const nt_screen *ix, const char *id)
{
    uint64_t h = hash_bytes(id, strlen(id));
    for (size_t it = mm_first(&ix->pmap, h); it != SIZE_MAX; it = mm_next(&ix->pmap, h, it))
        if (strcmp(ix->p[ix->pmap.s[it].v].id, id) == 0)
            return ix->pmap.s[it].v;
    return NONE;
}

static void df_change(nt_screen *ix, uint32_t pi, int by)
{
    const person *p = &ix->p[pi];
    for (uint32_t e = p->first; e < p->first + p->n; e++) {
        if (ix->e[e].via != VIA_NAME)
            continue;
        const entry *en = &ix->e[e];
        for (uint32_t k = 0; k < en->ntok; k++) {
            uint32_t v = ix->tokp[en->tok + k];
            bool first = true; /* count a token once per name */
            for (uint32_t j = 0; j < k; j++)
                first = first && ix->tokp[en->tok + j] != v;
            if (first && v != NONE) {
                ix->v[v].df = (uint32_t)((int64_t)ix->v[v].df + by);
                ix->v[v].w = weight_of(ix, ix->v[v].df);
            }
        }
    }
}

void nt_screen_reweigh(nt_screen *ix)
{
    for (uint32_t i = 0; i < ix->nv; i++)
        ix->v[i].w = weight_of(ix, ix->v[i].df);
    ix->weighed_at = ix->live;
}

static void retire(nt_screen *ix, uint32_t pi)
{
    df_change(ix, pi, -1);
    const person *p = &ix->p[pi];
    size_t need = (ix->ne + 63) / 64;
    if (need > ix->deadcap) {
        size_t cap = need * 2;
        uint64_t *d = realloc(ix->dead, cap * sizeof(*d));
        if (d == NULL)
            return; /* its postings stay: a query rescoring them sees the person's new names only */
        memset(d + ix->deadcap, 0, (cap - ix->deadcap) * sizeof(*d));
        ix->dead = d;
        ix->deadcap = cap;
    }
    for (uint32_t e = p->first; e < p->first + p->n; e++) {
        ix->dead[e / 64] |= 1ULL << (e % 64);
        ix->ndead++;
    }
    ix->p[pi].n = 0;
}

static int add_entry(nt_screen *ix, uint32_t pi, int via, const char *text, const toks *t, const toks *legal)
{
    if (t->n == 0)
        return 0;
    if (room(&ix->e, ix->ne, &ix->cape, sizeof(*ix->e), 4096) != 0)
        return NT_ENOMEM;
    if (ix->ntp + MAXTOK > ix->captp) {
        uint32_t cap = ix->captp ? ix->captp * 2 : 16384;
        uint32_t *a = realloc(ix->tokp, cap * sizeof(*a)), *b = a ? realloc(ix->tonp, cap * sizeof(*b)) : NULL;
        if (a != NULL)
            ix->tokp = a;
        if (b != NULL)
            ix->tonp = b;
        uint8_t *r = b ? realloc(ix->rolep, cap) : NULL;
        if (r == NULL)
            return NT_ENOMEM;
        ix->rolep = r;
        ix->captp = cap;
    }
    uint32_t ei = ix->ne;
    entry *en = &ix->e[ei];
    en->person = pi;
    en->tok = ix->ntp;
    en->ntok = (uint8_t)t->n;
    en->via = (uint8_t)via;
    en->number = (int16_t)(via == VIA_HANDLE ? handle_number(text) : -1);
    if ((en->text = keep_str(ix, text, strlen(text))) == NULL)
        return NT_ENOMEM;
    for (int k = 0; k < t->n; k++) {
        uint32_t v = vadd(ix, t->plain[k]);
        if (v == NONE)
            return NT_ENOMEM;
        if (via != VIA_HANDLE && t->plain[k][1] != '\0' && !t->filler[k]) {
            ix->v[v].syllable = true;
            ix->v[v].seen++;
        }
        uint32_t tn = t->toned[k][0] ? tadd(ix, t->toned[k]) : NONE;
        uint8_t role = OTHER;
        if (via == VIA_NAME)
            role = k == t->n - 1 ? GIVEN : k == 0 ? FAMILY : MIDDLE;
        else if (t->filler[k])
            role = FILLER;
        else if (legal->n > 0) {
            if (strcmp(t->plain[k], legal->plain[legal->n - 1]) == 0)
                role = GIVEN;
            else if (legal->n > 1 && strcmp(t->plain[k], legal->plain[0]) == 0)
                role = FAMILY;
            else
                for (int j = 1; j < legal->n - 1; j++)
                    if (strcmp(t->plain[k], legal->plain[j]) == 0)
                        role = MIDDLE;
        }
        ix->tokp[ix->ntp + k] = v;
        ix->tonp[ix->ntp + k] = tn;
        ix->rolep[ix->ntp + k] = role;
        bool again = false; /* one posting per entry and token */
        for (int j = 0; j < k; j++)
            again = again || ix->tokp[ix->ntp + j] == v;
        if (!again && ppush(&ix->v[v].post, pi, ei) != 0)
            return NT_ENOMEM;
    }
    /* Every pair of its words (not fillers, not initials). */
    for (int i = 0; i < t->n; i++)
        for (int j = i + 1; j < t->n; j++)
            if (!t->filler[i] && !t->filler[j] && t->plain[i][1] && t->plain[j][1] &&
                pair_add(ix, ix->tokp[ix->ntp + i], ix->tokp[ix->ntp + j], pi, ei) != 0)
                return NT_ENOMEM;
    ix->ntp += (uint32_t)t->n;
    char letters[TOKLEN * MAXTOK];
    concat(t, letters, sizeof(letters));
    if (strlen(letters) >= 4 && letters_add(ix, hash_bytes(letters, strlen(letters)), pi, ei) != 0)
        return NT_ENOMEM;
    ix->ne++;
    return 0;
}

int nt_screen_put(nt_screen *ix, const nt_screen_person *in)
{
    if (in == NULL || in->id == NULL || in->name == NULL || strlen(in->id) >= NT_ID_LEN)
        return NT_EINVAL;
    toks legal;
    if (name_toks(in->name, &legal) != 0)
        return NT_EINVAL;
    pthread_rwlock_wrlock(&ix->rw);
    int rc = 0;
    uint32_t pi = pfind(ix, in->id);
    if (pi == NONE) {
        if (room(&ix->p, ix->np, &ix->capp, sizeof(*ix->p), 1024) != 0) {
            rc = NT_ENOMEM;
            goto out;
        }
        pi = ix->np;
        memset(&ix->p[pi], 0, sizeof(person));
        if ((ix->p[pi].id = keep_str(ix, in->id, strlen(in->id))) == NULL ||
            mm_put(&ix->pmap, hash_bytes(in->id, strlen(in->id)), pi) != 0) {
            rc = NT_ENOMEM;
            goto out;
        }
        ix->np++;
        ix->live++;
    } else if (ix->p[pi].flags & P_DEAD) {
        ix->p[pi].flags &= (uint8_t)~P_DEAD;
        ix->live++;
    } else
        retire(ix, pi);
    person *p = &ix->p[pi];
    if ((p->name = keep_str(ix, in->name, strlen(in->name))) == NULL) {
        rc = NT_ENOMEM;
        goto out;
    }
    p->birth_year = (int16_t)(in->birth_year > 0 && in->birth_year < 3000 ? in->birth_year : 0);
    p->gender = in->gender;
    uint32_t first = ix->ne;
    /* The legal name as written; aliases and handles cut into the syllables of the names so far. */
    rc = add_entry(ix, pi, VIA_NAME, in->name, &legal, &legal);
    for (size_t i = 0; rc == 0 && i < in->naliases; i++) {
        toks t;
        if (in->aliases[i] != NULL && name_toks(in->aliases[i], &t) == 0) {
            cut(ix, &t, ix);
            rc = add_entry(ix, pi, VIA_ALIAS, in->aliases[i], &t, &legal);
        }
    }
    for (size_t i = 0; rc == 0 && i < in->nhandles; i++) {
        toks t;
        if (in->handles[i] != NULL && handle_toks(in->handles[i], false, &t) == 0) {
            cut(ix, &t, ix);
            rc = add_entry(ix, pi, VIA_HANDLE, in->handles[i], &t, &legal);
        }
    }
    p = &ix->p[pi];
    p->first = first;
    p->n = ix->ne - first;
    df_change(ix, pi, +1);
    if (ix->live > ix->weighed_at + ix->weighed_at / 10 + 16 || ix->live + ix->live / 10 < ix->weighed_at)
        nt_screen_reweigh(ix);
out:
    pthread_rwlock_unlock(&ix->rw);
    return rc;
}

void nt_screen_del(nt_screen *ix, const char *id)
{
    pthread_rwlock_wrlock(&ix->rw);
    uint32_t pi = pfind(ix, id);
    if (pi != NONE && !(ix->p[pi].flags & P_DEAD)) {
        retire(ix, pi);
        ix->p[pi].flags |= P_DEAD;
        ix->live--;
    }
    pthread_rwlock_unlock(&ix->rw);
}

void nt_screen_flag(nt_screen *ix, const char *id, bool on)
{
    pthread_rwlock_wrlock(&ix->rw);
    uint32_t pi = pfind(ix, id);
    if (pi != NONE)
        ix->p[pi].flags = (uint8_t)(on ? ix->p[pi].flags | P_FLAG : ix->p[pi].flags & ~P_FLAG);
    pthread_rwlock_unlock(&ix->rw);
}

/* ---- readers ---- */

typedef struct qtok {
    char plain[TOKLEN];
    uint32_t pid, tid;
    bool marks, initial, filler;
    bool as_meant; /* written with marks, or without in a query that writes marks elsewhere */
    float w;       /* its rarity weight */
    float miss;    /* what it costs when the candidate lacks it */
    int nx;
    struct {
        uint32_t v;
        float sim;
        uint8_t how;
    } x[MAXX];
    size_t postings;
} qtok;

typedef struct reading {
    int n;
    qtok t[MAXTOK];
    char letters[TOKLEN * MAXTOK];
    uint64_t concat;
    float wsum;
    int first, last; /* the first and last tokens that are not filler words */
    bool marks;      /* some token carries tone marks */
    bool handle;     /* read from a handle */
    int number;      /* the handle's number, or -1 */
} reading;

static bool has_marks(const char *toned, const char *plain)
{
    return toned[0] != '\0' && strcmp(toned, plain) != 0;
}

static void expand(const nt_screen *ix, qtok *q)
{
    size_t n = strlen(q->plain);
    q->nx = 0;
    q->postings = 0;
    if (q->initial || q->filler)
        return;
#define ADD(id, s, h)                                                                                                              \
    do {                                                                                                                           \
        bool dup = false;                                                                                                          \
        for (int j_ = 0; j_ < q->nx && !dup; j_++)                                                                                 \
            dup = q->x[j_].v == (id);                                                                                              \
        if (!dup && q->nx < MAXX) {                                                                                                \
            q->x[q->nx].v = (id);                                                                                                  \
            q->x[q->nx].sim = (s);                                                                                                 \
            q->x[q->nx].how = (uint8_t)(h);                                                                                        \
            q->postings += ix->v[id].post.n;                                                                                       \
            q->nx++;                                                                                                               \
        }                                                                                                                          \
    } while (0)
    if (q->pid != NONE)
        ADD(q->pid, SIM_TONED, NT_SM_PLAIN);
    char un[TOKLEN];
    uint32_t tv;
    if (nt_name_untelex(q->plain, un, sizeof(un)) > 0 && (tv = vfind(ix, un, strlen(un))) != NONE)
        ADD(tv, SIM_PLAIN, NT_SM_PLAIN); /* typed in Telex with its keys left in */
    size_t o = 0;                        /* letters drawn out ("cuccc", "thuuy") */
    for (size_t k = 0; k < n; k++)
        if (k == 0 || q->plain[k] != q->plain[k - 1])
            un[o++] = q->plain[k];
    if (o < n && o >= 2 && (tv = vfind(ix, un, o)) != NONE)
        ADD(tv, SIM_PLAIN, NT_SM_PLAIN);
    uint64_t sh = hkey(sound_hash(q->plain));
    for (size_t it = mm_first(&ix->sounds, sh); it != SIZE_MAX; it = mm_next(&ix->sounds, sh, it)) {
        uint32_t v = ix->sounds.s[it].v;
        if (hkey(ix->v[v].sound) == sh)
            ADD(v, SIM_SOUND, NT_SM_SOUND);
    }
    if (n >= 2) {
        char d[TOKLEN];
        for (size_t k = 0; k <= n; k++) {
            size_t dn = n;
            if (k < n) {
                memcpy(d, q->plain, k);
                memcpy(d + k, q->plain + k + 1, n - k - 1);
                dn = n - 1;
            } else
                memcpy(d, q->plain, n);
            uint64_t h = hash_bytes(d, dn);
            for (size_t it = mm_first(&ix->deletes, h); it != SIZE_MAX; it = mm_next(&ix->deletes, h, it)) {
                uint32_t v = ix->deletes.s[it].v;
                if (ix->v[v].len >= 2 && within_one(q->plain, n, ix->v[v].s, ix->v[v].len))
                    ADD(v, SIM_TYPO, NT_SM_TYPO);
            }
        }
    }
#undef ADD
}

static void make_reading(const nt_screen *ix, const toks *t, reading *r)
{
    r->n = 0;
    r->wsum = 0;
    r->first = r->last = -1;
    r->marks = false;
    for (int i = 0; i < t->n; i++)
        if (!t->filler[i]) {
            r->first = r->first < 0 ? i : r->first;
            r->last = i;
        }
    for (int i = 0; i < t->n; i++) {
        qtok *q = &r->t[r->n++];
        strcpy(q->plain, t->plain[i]);
        size_t n = strlen(q->plain);
        q->initial = n == 1;
        q->filler = t->filler[i];
        q->pid = vfind(ix, q->plain, n);
        q->tid = t->toned[i][0] ? tfind(ix, t->toned[i]) : q->pid != NONE ? tfind(ix, q->plain) : NONE;
        q->marks = has_marks(t->toned[i], q->plain);
        r->marks = r->marks || q->marks;
        /* What a token the candidate lacks costs: at an end of the name (where the given name is
         * written) more; a given name nobody in the registry has, most. */
        bool end = (i == r->first || i == r->last) && r->first != r->last;
        if (q->initial) {
            q->w = 1.0f;
            q->miss = 0.3f;
        } else if (q->filler)
            q->w = q->miss = 0.3f;
        else if (q->pid != NONE && ix->v[q->pid].syllable) {
            q->w = ix->v[q->pid].w > 5.0f ? 5.0f : ix->v[q->pid].w;
            q->miss = end ? 1.5f * q->w : MIDDLE_ADDED * q->w; /* an extra middle name costs less */
        } else {
            q->w = 1.5f;
            q->miss = end ? 4.0f : 1.5f;
        }
        expand(ix, q);
        r->wsum += q->w;
    }
    /* In "Nguyễn Thị Thu" the unmarked Thu is meant as written: it is not Thư. */
    for (int i = 0; i < r->n; i++)
        r->t[i].as_meant = r->t[i].marks || r->marks;
    concat(t, r->letters, sizeof(r->letters));
    r->concat = strlen(r->letters) >= 4 ? hash_bytes(r->letters, strlen(r->letters)) : 0;
}

static bool same_reading(const reading *a, const reading *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->t[i].plain, b->t[i].plain) != 0)
            return false;
    return true;
}

/* Words that met nothing cut into what syllables they hold and what is left ("th0cuc" -> "tho cuc"):
 * the left-over letters then meet syllables by typo or sound. False when there is no such word. */
static bool partial(const nt_screen *ix, const toks *in, const reading *rd, toks *out)
{
    bool changed = false;
    out->n = 0;
    for (int i = 0; i < in->n; i++) {
        char pieces[MAXTOK][TOKLEN];
        bool whole;
        size_t n = strlen(in->plain[i]);
        int k = 0;
        if (i < rd->n && rd->t[i].nx == 0 && !rd->t[i].filler && n >= 5)
            k = segment(ix, in->plain[i], n, pieces, MAXTOK, &whole);
        if (k >= 2) {
            for (int j = 0; j < k; j++)
                push_tok(out, pieces[j], strlen(pieces[j]), NULL);
            changed = true;
        } else
            push_tok(out, in->plain[i], n, in->toned[i][0] ? in->toned[i] : NULL);
    }
    return changed;
}

/* The readings of a query (docs/SCREENING.md): its words, each cut into syllables if need be; a
 * handle's edge digits read as letters; its letters as one string cut into syllables; a word that
 * met nothing cut into what syllables it holds. Duplicates are dropped. */
static int readings(const nt_screen *ix, const nt_screen_query *q, reading *r)
{
    int n = 0;
    toks t, all, first = {0};
    all.n = 0;
    if (q->name != NULL && name_toks(q->name, &t) == 0 && t.n > 0) {
        all = t;
        cut(ix, &t, NULL);
        first = t;
        make_reading(ix, &t, &r[n]);
        r[n].handle = false;
        r[n++].number = -1;
    }
    if (q->handle != NULL) {
        for (int edges = 0; edges < 2 && n < READINGS; edges++) {
            if (handle_toks(q->handle, edges == 1, &t) != 0 || t.n == 0)
                continue;
            if (edges == 0) {
                for (int i = 0; i < t.n && all.n < MAXTOK; i++)
                    push_tok(&all, t.plain[i], strlen(t.plain[i]), NULL);
            }
            cut(ix, &t, NULL);
            if (first.n == 0)
                first = t;
            make_reading(ix, &t, &r[n]);
            r[n].handle = true;
            r[n].number = handle_number(q->handle);
            bool dup = false;
            for (int k = 0; k < n; k++)
                dup = dup || same_reading(&r[k], &r[n]);
            n += !dup;
        }
    }
    /* The letters as one string: "tun.gle" -> "tungle" -> "tung le"; "nguyenanhthien". For a name,
     * only when it has a word that is no syllable (its spaces are missing or misplaced). */
    bool broken = q->handle != NULL || all.n == 1;
    for (int i = 0; i < all.n && !broken; i++)
        broken = !all.filler[i] && strlen(all.plain[i]) > 1 && !is_syllable(ix, all.plain[i], strlen(all.plain[i])) &&
                 !nt_name_syllable(all.plain[i]);
    if (broken && all.n > 0 && n < READINGS) {
        toks one = {0};
        char letters[TOKLEN * MAXTOK];
        concat(&all, letters, sizeof(letters));
        size_t len = strlen(letters);
        if (len >= 4 && len < TOKLEN) {
            char pieces[MAXTOK][TOKLEN];
            bool whole = false;
            int k = segment(ix, letters, len, pieces, MAXTOK, &whole);
            if (whole) {
                for (int i = 0; i < k; i++)
                    push_tok(&one, pieces[i], strlen(pieces[i]), NULL);
                make_reading(ix, &one, &r[n]);
                r[n].handle = q->handle != NULL && q->name == NULL;
                r[n].number = r[n].handle ? handle_number(q->handle) : -1;
                bool dup = false;
                for (int i = 0; i < n; i++)
                    dup = dup || same_reading(&r[i], &r[n]);
                n += !dup;
            }
        }
    }
    toks part;
    if (n > 0 && n < READINGS && partial(ix, &first, &r[0], &part)) {
        make_reading(ix, &part, &r[n]);
        r[n].handle = r[0].handle;
        r[n].number = r[0].number;
        n++;
    }
    return n;
}

static float year_factor(int q, int p)
{
    if (q == 0 || p == 0)
        return 1.0f;
    int d = abs(q - p);
    return d == 0 ? 1.0f : d == 1 ? 0.9f : d <= 3 ? 0.75f : 0.6f;
}

static scratch *take_scratch(nt_screen *ix)
{
    pthread_mutex_lock(&ix->pool_lock);
    scratch *s = ix->pool;
    if (s != NULL)
        ix->pool = s->next;
    pthread_mutex_unlock(&ix->pool_lock);
    if (s == NULL && (s = calloc(1, sizeof(*s))) == NULL)
        return NULL;
    if (s->cap < ix->np) {
        size_t cap = ix->np + ix->np / 4 + 64;
        slot *slots = calloc(cap, sizeof(*slots));
        if (slots == NULL) {
            free(s->slots);
            free(s->touched.a);
            free(s);
            return NULL;
        }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
        s->serial = 0;
    }
    return s;
}

static void give_scratch(nt_screen *ix, scratch *s)
{
    pthread_mutex_lock(&ix->pool_lock);
    s->next = ix->pool;
    ix->pool = s;
    pthread_mutex_unlock(&ix->pool_lock);
}

static inline bool live(const nt_screen *ix, const post_t *x)
{
    return ix->ndead == 0 || x->e / 64 >= ix->deadcap || !(ix->dead[x->e / 64] >> (x->e % 64) & 1);
}

static void touch(scratch *s, uint32_t pi)
{
    slot *sl = &s->slots[pi];
    if (sl->stamp != s->serial) {
        sl->stamp = s->serial;
        sl->acc = 0;
        sl->bits = 0;
        vpush(&s->touched, pi);
    }
}

typedef struct cand {
    float s;
    uint32_t p;
} cand;

static void heap_sift(cand *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && h[l].s < h[m].s)
            m = l;
        if (l + 1 < n && h[l + 1].s < h[m].s)
            m = l + 1;
        if (m == i)
            return;
        cand t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Credits a person once per query token (bit), at the first (best) similarity it is met with. */
static inline void credit(const nt_screen *ix, scratch *s, const nt_screen_query *q, const post_t *x, uint32_t bit, float c,
                          uint32_t bit2, float c2)
{
    uint32_t pi = x->p;
    if (!live(ix, x) || (q->flagged_only && !(ix->p[pi].flags & P_FLAG)))
        return;
    touch(s, pi);
    slot *sl = &s->slots[pi];
    if (!(sl->bits & bit)) {
        sl->bits |= bit;
        sl->acc += c;
    }
    if (bit2 && !(sl->bits & bit2)) {
        sl->bits |= bit2;
        sl->acc += c2;
    }
}

#define PAIR_X 12 /* expansions per token tried in pairs */

static bool usable(const qtok *t)
{
    return t->nx > 0 && !t->filler && !t->initial;
}

/* A posting list a query will walk: whose, how long, and how good a match (0: as written, 1: one
 * word by sound or typo, 2: both). Lists are walked by tier, rarest first, while the budget lasts;
 * the first always, and a smaller one after one that did not fit. */
typedef struct walk {
    const pvec *list;
    uint32_t size;
    uint8_t i, j, a, b, tier; /* query words i (and j), their expansions a (and b) */
} walk;

static void walk_add(walk *w, int *n, walk x)
{
    int k = (*n)++;
    while (k > 0 && (w[k - 1].tier > x.tier || (w[k - 1].tier == x.tier && w[k - 1].size > x.size))) {
        w[k] = w[k - 1];
        k--;
    }
    w[k] = x;
}

static void walk_all(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, const walk *w, int n,
                     size_t budget, bool pairs)
{
    size_t walked = 0;
    for (int k = 0; k < n; k++) {
        if (k > 0 && walked + w[k].size > budget)
            continue;
        walked += w[k].size;
        const qtok *ti = &r->t[w[k].i], *tj = &r->t[w[k].j];
        float ci = ti->w * ti->x[w[k].a].sim, cj = pairs ? tj->w * tj->x[w[k].b].sim : 0;
        for (uint32_t e = 0; e < w[k].list->n; e++)
            credit(ix, s, q, &w[k].list->a[e], 1u << w[k].i, ci, pairs ? 1u << w[k].j : 0, cj);
    }
}

static uint8_t tier_of(float sim)
{
    return sim >= 0.9f ? 0 : 1;
}

/* The entries holding two of the query's words (or their spellings). */
static void walk_pairs(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q)
{
    enum { MAXC = 1024 };
    walk w[MAXC];
    int n = 0;
    for (int i = 0; i < r->n; i++)
        for (int j = i + 1; j < r->n; j++) {
            if (!usable(&r->t[i]) || !usable(&r->t[j]))
                continue;
            for (int a = 0; a < r->t[i].nx && a < PAIR_X; a++)
                for (int b = 0; b < r->t[j].nx && b < PAIR_X && n < MAXC; b++) {
                    uint32_t id = pair_find(ix, r->t[i].x[a].v, r->t[j].x[b].v);
                    if (id != NONE)
                        walk_add(w, &n,
                                 (walk){&ix->pairs[id].post, ix->pairs[id].post.n, (uint8_t)i, (uint8_t)j, (uint8_t)a, (uint8_t)b,
                                        (uint8_t)(tier_of(r->t[i].x[a].sim) + tier_of(r->t[j].x[b].sim))});
                }
        }
    walk_all(ix, s, r, q, w, n, ix->ne / 100 > 12000 ? ix->ne / 100 : 12000, true);
}

/* The entries holding one of the query's words (or its spellings). */
static void walk_singles(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q)
{
    enum { MAXL = MAXTOK * MAXX };
    walk w[MAXL];
    int n = 0;
    for (int i = 0; i < r->n; i++)
        for (int x = 0; x < r->t[i].nx && n < MAXL; x++) {
            float sim = r->t[i].x[x].sim;
            const pvec *list = &ix->v[r->t[i].x[x].v].post;
            walk_add(w, &n,
                     (walk){list, list->n, (uint8_t)i, (uint8_t)i, (uint8_t)x, (uint8_t)x,
                            (uint8_t)(sim >= 0.9f    ? 0
                                      : sim >= 0.75f ? 1
                                                     : 2)});
        }
    walk_all(ix, s, r, q, w, n, ix->ne / 48 > 40000 ? ix->ne / 48 : 40000, false);
}

static void concat_hits(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q)
{
    const pvec *same = r->concat ? letters_find(ix, r->concat) : NULL;
    for (uint32_t k = 0; same != NULL && k < same->n; k++) {
        uint32_t pi = same->a[k].p;
        if (!live(ix, &same->a[k]) || (q->flagged_only && !(ix->p[pi].flags & P_FLAG)))
            continue;
        touch(s, pi);
        slot *sl = &s->slots[pi];
        sl->acc = r->wsum > sl->acc ? r->wsum : sl->acc;
    }
}

/* What a query's initials ("N. T. Cúc", "@ntcuc") add to a person's partial score: each met by a
 * family or middle name of the legal name. */
static float initials_credit(const nt_screen *ix, uint32_t pi, const char *initials, int ni)
{
    const person *p = &ix->p[pi];
    if (ni == 0 || p->n == 0 || ix->e[p->first].via != VIA_NAME)
        return 0;
    const entry *en = &ix->e[p->first];
    uint32_t used = 0;
    float c = 0;
    for (int a = 0; a < ni; a++)
        for (int j = 0; j + 1 < en->ntok; j++)
            if (!((used >> j) & 1) && ix->v[ix->tokp[en->tok + j]].s[0] == initials[a]) {
                used |= 1u << j;
                c += SIM_INITIAL;
                break;
            }
    return c;
}

static int by_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->s != y->s ? (x->s > y->s ? -1 : 1) : (x->p < y->p ? -1 : x->p > y->p);
}

static size_t select_best(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, cand *out, size_t nout)
{
    /* The best by partial score times the birth-year factor, a min-heap; the caller's filter is
     * asked only of those that would enter. A query with initials keeps four times as many, adds
     * what its initials meet (reading those persons' names), and keeps the best KEEP of them. */
    char initials[MAXTOK];
    int ni = 0;
    for (int i = 0; i < r->n; i++)
        if (r->t[i].initial)
            initials[ni++] = r->t[i].plain[0];
    size_t cap = ni > 0 ? 4 * KEEP : KEEP, nh = 0;
    cand heap[4 * KEEP];
    for (uint32_t k = 0; k < s->touched.n; k++) {
        uint32_t pi = s->touched.a[k];
        const person *p = &ix->p[pi];
        float sc = s->slots[pi].acc / (r->wsum > 0 ? r->wsum : 1.0f);
        if (q->birth_year)
            sc *= year_factor(q->birth_year, p->birth_year);
        else if (q->year_hint && p->birth_year != q->year_hint)
            sc *= YEAR_HINT;
        if (nh == cap && (sc < heap[0].s || (sc == heap[0].s && pi > heap[0].p)))
            continue;
        if (q->keep != NULL && !q->keep(q->keep_arg, p->id))
            continue;
        if (nh < cap) {
            heap[nh].s = sc;
            heap[nh].p = pi;
            nh++;
            for (size_t i = nh / 2 + 1; i-- > 0;)
                heap_sift(heap, nh, i);
        } else {
            heap[0].s = sc;
            heap[0].p = pi;
            heap_sift(heap, nh, 0);
        }
    }
    if (ni > 0) {
        for (size_t i = 0; i < nh; i++)
            heap[i].s += initials_credit(ix, heap[i].p, initials, ni) / (r->wsum > 0 ? r->wsum : 1.0f);
        qsort(heap, nh, sizeof(*heap), by_cand);
        nh = nh > KEEP ? KEEP : nh;
    }
    size_t n = 0;
    for (size_t i = 0; i < nh && n < nout; i++)
        out[n++] = heap[i];
    return n;
}

/* Partial scores from the posting lists of pairs of the query's words, then of single words if
 * that found few; the best KEEP persons by partial score are added to out. */
static size_t candidates(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, cand *out, size_t nout)
{
    if (++s->serial == 0) {
        for (size_t i = 0; i < s->cap; i++)
            s->slots[i].stamp = 0;
        s->serial = 1;
    }
    s->touched.n = 0;
    walk_pairs(ix, s, r, q);
    if (s->touched.n < KEEP / 8) /* pairs found (almost) nothing: the single words too */
        walk_singles(ix, s, r, q);
    /* The same letters as one string: full credit. */
    concat_hits(ix, s, r, q);
    return select_best(ix, s, r, q, out, nout);
}

/* ---- full scoring ---- */

typedef struct scored {
    float score, base, of, yf, gf, kf, nf;
    bool given, order, letters, typo, capped;
    int npairs;
    struct {
        int qi, ej;
        float sim, w;
        uint8_t how;
    } pair[MAXTOK];
    uint32_t e;
    int r;
} scored;

static float pair_sim(const nt_screen *ix, const qtok *q, uint32_t v, uint32_t tn, uint8_t role, bool legal, uint8_t *how)
{
    if (q->initial) { /* of a legal name's family or middle name */
        *how = NT_SM_INITIAL;
        return (role == FAMILY || role == MIDDLE) && legal && ix->v[v].s[0] == q->plain[0] ? SIM_INITIAL : 0;
    }
    if (v == q->pid) {
        /* As written: the same marks, or no marks on either side to compare (a handle's letters).
         * Other marks: a different word when the query's marks are meant, else unknown. */
        if ((q->tid != NONE && q->tid == tn) || (!q->marks && tn == NONE)) {
            *how = NT_SM_TONED;
            return SIM_TONED;
        }
        *how = NT_SM_PLAIN;
        return q->as_meant && tn != NONE ? SIM_PLAIN_DIFF : SIM_PLAIN;
    }
    for (int x = 0; x < q->nx; x++)
        if (q->x[x].v == v) {
            *how = q->x[x].how;
            return q->x[x].sim;
        }
    return 0;
}

static float entry_weight(const nt_screen *ix, uint32_t v, uint8_t role)
{
    float w = ix->v[v].w;
    return role == GIVEN ? 1.5f * w : role >= OTHER ? 0.3f : w;
}

typedef struct cpair {
    float v, sim;
    int i, j;
    uint8_t how;
} cpair;

static void score_entry(const nt_screen *ix, const reading *r, uint32_t e, const nt_screen_query *q, scored *out)
{
    const entry *en = &ix->e[e];
    const person *p = &ix->p[en->person];
    const uint32_t *tv = ix->tokp + en->tok, *tt = ix->tonp + en->tok;
    const uint8_t *role = ix->rolep + en->tok;
    int m = en->ntok;
    /* Every pair that meets, best first; then one to one. */
    cpair pairs[MAXTOK * MAXTOK];
    int np = 0;
    for (int i = 0; i < r->n; i++)
        for (int j = 0; j < m; j++) {
            uint8_t how = 0;
            float sim = pair_sim(ix, &r->t[i], tv[j], tt[j], role[j], en->via == VIA_NAME, &how);
            if (sim > 0) {
                pairs[np].sim = sim;
                pairs[np].v = sim * entry_weight(ix, tv[j], role[j]);
                pairs[np].i = i;
                pairs[np].j = j;
                pairs[np].how = how;
                np++;
            }
        }
    for (int a = 1; a < np; a++)
        for (int b = a; b > 0 && pairs[b].v > pairs[b - 1].v; b--) {
            cpair t = pairs[b];
            pairs[b] = pairs[b - 1];
            pairs[b - 1] = t;
        }
    uint32_t qused = 0, eused = 0;
    float matched = 0, denom = 0;
    out->npairs = 0;
    out->given = false;
    out->typo = false;
    bool has_given = false;
    for (int j = 0; j < m; j++)
        has_given = has_given || role[j] == GIVEN;
    for (int k = 0; k < np; k++) {
        if ((qused >> pairs[k].i) & 1 || (eused >> pairs[k].j) & 1)
            continue;
        qused |= 1u << pairs[k].i;
        eused |= 1u << pairs[k].j;
        matched += pairs[k].v;
        int n = out->npairs++;
        out->pair[n].qi = pairs[k].i;
        out->pair[n].ej = pairs[k].j;
        out->pair[n].sim = pairs[k].sim;
        out->pair[n].w = entry_weight(ix, tv[pairs[k].j], role[pairs[k].j]);
        out->pair[n].how = pairs[k].how;
        /* The given name, met at an end of the query: as written, or by its letters or its sound
         * when the query wrote no marks (a query that wrote Dân did not mean Danh or Giang). */
        const qtok *qt = &r->t[pairs[k].i];
        if (role[pairs[k].j] == GIVEN && (pairs[k].i == r->first || pairs[k].i == r->last) &&
            (pairs[k].how == NT_SM_TONED || (pairs[k].how == NT_SM_PLAIN && pairs[k].sim == SIM_PLAIN) ||
             (pairs[k].how == NT_SM_SOUND && !qt->as_meant)))
            out->given = true;
        out->typo = out->typo || pairs[k].how == NT_SM_TYPO;
    }
    /* A middle name dropped or added costs little; one put in the place of another costs in full. */
    bool dropped = false, added = false;
    for (int j = 0; j < m; j++)
        dropped = dropped || (!((eused >> j) & 1) && role[j] == MIDDLE);
    for (int i = 0; i < r->n; i++)
        added = added || (!((qused >> i) & 1) && i != r->first && i != r->last && !r->t[i].filler && !r->t[i].initial);
    if (!added && dropped) /* an initial no middle name starts with was put in another's place too */
        for (int i = 0; i < r->n; i++)
            added = added || (!((qused >> i) & 1) && r->t[i].initial && i != r->first && i != r->last);
    bool replaced = dropped && added;
    /* An alias or a handle shows no middle name: the query's extra one is compared with the legal
     * name's ("Pham Van Vuong" is not "Vương Phạm" when he is Phạm Việt Vương). */
    const entry *name = &ix->e[p->first];
    bool initials = false;
    for (int i = 0; i < r->n; i++)
        initials = initials || (!((qused >> i) & 1) && r->t[i].initial && i != r->first && i != r->last);
    if ((added || initials) && !replaced && en->via != VIA_NAME && p->n > 0 && name->via == VIA_NAME && name->ntok > 2) {
        bool met = false;
        for (int i = 0; i < r->n; i++) {
            if ((qused >> i) & 1 || i == r->first || i == r->last || r->t[i].filler)
                continue;
            for (int j = 1; j + 1 < name->ntok; j++) {
                uint8_t how;
                float sim = pair_sim(ix, &r->t[i], ix->tokp[name->tok + j], ix->tonp[name->tok + j], MIDDLE, true, &how);
                met = met || sim >= SIM_SOUND || (r->t[i].initial && sim > 0);
            }
        }
        replaced = !met;
    }
    for (int j = 0; j < m; j++) {
        float w = entry_weight(ix, tv[j], role[j]);
        denom += (eused >> j) & 1 || role[j] != MIDDLE || replaced ? w : MIDDLE_MISS * w;
    }
    for (int i = 0; i < r->n; i++)
        if (!((qused >> i) & 1))
            denom += replaced && i != r->first && i != r->last ? r->t[i].w : r->t[i].miss;
    out->base = denom > 0 ? matched / denom : 0;
    /* The same letters as one string (handles written with other separators). */
    out->letters = false;
    if (r->concat != 0) {
        char letters[TOKLEN * MAXTOK];
        size_t o = 0;
        for (int j = 0; j < m; j++) {
            const vtok *t = &ix->v[tv[j]];
            if (role[j] == FILLER)
                continue;
            if (o + t->len + 1 > sizeof(letters))
                break;
            memcpy(letters + o, t->s, t->len);
            o += t->len;
        }
        letters[o] = '\0';
        if (!r->marks && strcmp(letters, r->letters) == 0) {
            out->letters = true;
            out->base = out->base > SIM_PLAIN ? out->base : SIM_PLAIN;
            out->given = out->given || has_given;
        }
    }
    /* Word order: as written; reversed; or the given name moved to the front (western order,
     * "Tuyết Minh Khánh Nguyễn", or "Tuyết Nguyễn Minh Khánh"). Anything else is a penalty. */
    int seq[MAXTOK], ns = 0;
    for (int i = 0; i < r->n; i++)
        for (int k = 0; k < out->npairs; k++)
            if (out->pair[k].qi == i)
                seq[ns++] = out->pair[k].ej;
    bool up = true, down = true, western = ns >= 2 && seq[0] == m - 1;
    for (int k = 1; k < ns; k++) {
        up = up && seq[k] > seq[k - 1];
        down = down && seq[k] < seq[k - 1];
        bool family_last = k == ns - 1 && seq[k] == 0;
        western = western && (k == 1 || family_last || seq[k] > seq[k - 1]);
    }
    out->order = up || down || western || out->letters;
    /* A name read in another order must meet the given name as written, not by its sound. */
    if (!up && out->given && !out->letters)
        for (int k = 0; k < out->npairs; k++)
            if (role[out->pair[k].ej] == GIVEN && out->pair[k].how == NT_SM_SOUND)
                out->given = false;
    out->of = out->order ? 1.0f : 0.9f;
    out->yf = q->birth_year                                   ? year_factor(q->birth_year, p->birth_year)
              : q->year_hint && p->birth_year != q->year_hint ? YEAR_HINT
                                                              : 1.0f;
    out->gf = q->gender && p->gender && q->gender != p->gender ? 0.85f : 1.0f;
    /* A handle query finds handles first, a name query names; a handle's number is a hint. */
    out->kf = r->handle == (en->via == VIA_HANDLE) ? 1.0f : OTHER_KIND;
    out->nf = r->number >= 0 && en->via == VIA_HANDLE && en->number != r->number ? OTHER_NUMBER : 1.0f;
    float s = out->base * out->of * out->yf * out->gf * out->kf * out->nf;
    /* A different given name (or a guess at one) is never strong, whatever its score: `capped`
     * says a rule, not the score, kept it from strong. */
    out->capped = !(out->given && out->order && !out->typo) && s >= (float)NT_SCREEN_STRONG;
    out->score = s;
    out->e = e;
}

static nt_screen_level level_of(const scored *s)
{
    if (s->score >= (float)NT_SCREEN_STRONG && s->given && s->order && !s->typo)
        return NT_SCREEN_STRONG_LEVEL;
    return s->score >= (float)NT_SCREEN_POSSIBLE ? NT_SCREEN_POSSIBLE_LEVEL : NT_SCREEN_WEAK;
}

static void fill_hit(const nt_screen *ix, const reading *rd, const scored *s, bool explain, nt_screen_hit *h)
{
    const entry *en = &ix->e[s->e];
    const person *p = &ix->p[en->person];
    memset(h, 0, offsetof(nt_screen_hit, pairs));
    nt_strlcpy(h->person_id, p->id, sizeof(h->person_id));
    h->score = s->score;
    h->level = level_of(s);
    h->via = via_names[en->via];
    h->text = en->text;
    h->name = p->name;
    h->base = s->base;
    h->order_factor = s->of;
    h->birth_year_factor = s->yf;
    h->gender_factor = s->gf;
    h->kind_factor = s->kf;
    h->number_factor = s->nf;
    h->capped = s->capped;
    h->given_matched = s->given;
    h->order_kept = s->order;
    h->same_letters = s->letters;
    h->birth_year = p->birth_year;
    size_t o = 0;
    for (int i = 0; i < rd->n; i++) {
        size_t n = strlen(rd->t[i].plain);
        if (o + n + 2 > sizeof(h->reading))
            break;
        if (o)
            h->reading[o++] = ' ';
        memcpy(h->reading + o, rd->t[i].plain, n);
        o += n;
    }
    h->reading[o] = '\0';
    if (!explain)
        return;
    const uint32_t *tv = ix->tokp + en->tok, *tt = ix->tonp + en->tok;
    const uint8_t *role = ix->rolep + en->tok;
    uint32_t qused = 0, eused = 0;
    for (int k = 0; k < s->npairs; k++) {
        nt_screen_pair *pr = &h->pairs[h->npairs++];
        int j = s->pair[k].ej;
        nt_strlcpy(pr->query, rd->t[s->pair[k].qi].plain, sizeof(pr->query));
        nt_strlcpy(pr->matched, tt[j] != NONE ? ix->toned[tt[j]] : ix->v[tv[j]].s, sizeof(pr->matched));
        pr->how = (nt_screen_how)s->pair[k].how;
        pr->role = role_names[role[j]];
        pr->similarity = s->pair[k].sim;
        pr->weight = s->pair[k].w;
        qused |= 1u << s->pair[k].qi;
        eused |= 1u << j;
    }
    for (int j = 0; j < en->ntok; j++)
        if (!((eused >> j) & 1)) {
            nt_screen_miss *m = &h->missing[h->nmissing++];
            nt_strlcpy(m->token, tt[j] != NONE ? ix->toned[tt[j]] : ix->v[tv[j]].s, sizeof(m->token));
            m->role = role_names[role[j]];
            m->weight = role[j] == MIDDLE ? MIDDLE_MISS * entry_weight(ix, tv[j], role[j]) : entry_weight(ix, tv[j], role[j]);
        }
    for (int i = 0; i < rd->n; i++)
        if (!((qused >> i) & 1)) {
            nt_screen_miss *m = &h->extra[h->nextra++];
            nt_strlcpy(m->token, rd->t[i].plain, sizeof(m->token));
            m->role = NULL;
            m->weight = rd->t[i].miss;
        }
}

static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    uint32_t px = x->e, py = y->e; /* entries of older persons first: stable across runs */
    return px < py ? -1 : px > py;
}

/* A year written in a name ("Thu Cúc 1990"): the birth year, when the query gives none. */
static int year_in(const char *name)
{
    for (const char *p = name; p != NULL && *p; p++) {
        bool start = p == name || !(p[-1] >= '0' && p[-1] <= '9');
        if (start && (strncmp(p, "19", 2) == 0 || strncmp(p, "20", 2) == 0) && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
            p[3] <= '9' && !(p[4] >= '0' && p[4] <= '9'))
            return atoi(p);
    }
    return 0;
}

int nt_screen_run(nt_screen *ix, const nt_screen_query *in, nt_screen_hit *out)
{
    nt_screen_query qy = *in;
    if (qy.birth_year == 0)
        qy.birth_year = year_in(qy.name);
    qy.year_hint = qy.birth_year == 0 ? year_in(qy.handle) : 0; /* "@thucuc1990": a hint only */
    const nt_screen_query *q = &qy;
    reading *r = malloc(READINGS * sizeof(*r));
    if (r == NULL)
        return -1;
    pthread_rwlock_rdlock(&ix->rw);
    int nr = readings(ix, q, r), result = -1;
    scratch *s = nr > 0 ? take_scratch(ix) : NULL;
    cand *c = s ? malloc(READINGS * KEEP * sizeof(*c)) : NULL;
    scored *best = c ? malloc(READINGS * KEEP * sizeof(*best)) : NULL;
    if (best == NULL)
        goto done;
    size_t nc = 0;
    for (int k = 0; k < nr; k++)
        nc += candidates(ix, s, &r[k], q, c + nc, READINGS * KEEP - nc);
    /* Each person once (a fresh serial marks who is done), at the best of their names and handles
     * under the best reading. */
    if (++s->serial == 0) {
        for (size_t i = 0; i < s->cap; i++)
            s->slots[i].stamp = 0;
        s->serial = 1;
    }
    size_t nb = 0;
    for (size_t i = 0; i < nc; i++) {
        uint32_t pi = c[i].p;
        if (s->slots[pi].stamp == s->serial)
            continue;
        s->slots[pi].stamp = s->serial;
        const person *p = &ix->p[pi];
        scored top = {.score = -1};
        for (uint32_t e = p->first; e < p->first + p->n; e++)
            for (int k = 0; k < nr; k++) {
                scored sc;
                score_entry(ix, &r[k], e, q, &sc);
                if (sc.score > top.score || (sc.score == top.score && level_of(&sc) > level_of(&top))) {
                    top = sc;
                    top.r = k;
                }
            }
        if (top.score >= (float)q->min_score && top.score > 0)
            best[nb++] = top;
    }
    qsort(best, nb, sizeof(*best), by_score);
    size_t limit = q->limit == 0 ? 10 : q->limit > NT_SCREEN_LIMIT_MAX ? NT_SCREEN_LIMIT_MAX : q->limit;
    result = 0;
    for (size_t i = 0; i < nb && (size_t)result < limit; i++)
        fill_hit(ix, &r[best[i].r], &best[i], q->explain, &out[result++]);
done:
    if (s != NULL)
        give_scratch(ix, s);
    pthread_rwlock_unlock(&ix->rw);
    free(best);
    free(c);
    free(r);
    return result;
}

void nt_screen_stats_get(nt_screen *ix, nt_screen_stats *st)
{
    pthread_rwlock_rdlock(&ix->rw);
    st->persons = ix->live;
    st->entries = ix->ne;
    st->tokens = ix->nv;
    size_t post = 0, bytes = ix->arena_bytes;
    for (uint32_t i = 0; i < ix->nv; i++) {
        post += ix->v[i].post.n;
        bytes += ix->v[i].post.cap * sizeof(post_t);
    }
    st->postings = post;
    bytes += (size_t)ix->capv * sizeof(vtok) + (size_t)ix->capp * sizeof(person) + (size_t)ix->cape * sizeof(entry) +
             (size_t)ix->captp * 9 + (size_t)ix->capt * sizeof(char *);
    const mmap_t *maps[] = {&ix->vmap, &ix->sounds, &ix->deletes, &ix->tmap, &ix->pmap, &ix->concat, &ix->pairmap};
    for (uint32_t i = 0; i < ix->npairs; i++)
        bytes += ix->pairs[i].post.cap * sizeof(post_t);
    for (uint32_t i = 0; i < ix->nletters; i++)
        bytes += ix->letters[i].post.cap * sizeof(post_t);
    bytes += (size_t)ix->capletters * sizeof(struct lettergroup);
    bytes += (size_t)ix->cappairs * sizeof(pairpost);
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
        bytes += maps[i]->cap * sizeof(mslot);
    st->bytes = bytes;
    pthread_rwlock_unlock(&ix->rw);
}

const char *nt_screen_level_name(nt_screen_level l)
{
    return l == NT_SCREEN_STRONG_LEVEL ? "strong" : l == NT_SCREEN_POSSIBLE_LEVEL ? "possible" : "weak";
}

const char *nt_screen_how_name(nt_screen_how h)
{
    static const char *const names[] = {"toned", "plain", "sound", "typo", "initial"};
    return h <= NT_SM_INITIAL ? names[h] : "?";
}
