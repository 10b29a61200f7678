/* Internal to screening's index (screen.c: the index and its writers; screen_tokens.c: names and
 * handles into tokens; screen_candidates.c: candidates from the posting lists; screen_score.c:
 * full scoring and the explanation). Small helpers are inline here so the hot paths keep them
 * inlined across files. */
#ifndef NT_INDEX_SCREEN_INT_H
#define NT_INDEX_SCREEN_INT_H
#include "core/alloc.h"
#include "core/err.h"
#include "core/names.h"
#include "core/text.h"
#include "index/screen.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "index/screen.h"

#define MAXTOK    NT_SCREEN_MAX_TOKENS
#define TOKLEN    NT_SCREEN_TOKEN_LEN
#define NONE      UINT32_MAX
#define MAXX      64  /* expansions of one query token */
#define KEEP      128 /* candidates per reading scored in full */
#define LEGAL_TOK 5   /* a legal name's words kept for each person */
#define OPEN_MAX  4   /* a query's words no name has compared with the legal names of those met */
#define READINGS  4

/* Similarities of the forms a query token can meet a candidate's token in. */
#define SIM_TONED       1.00f
#define SIM_PLAIN       0.92f /* the query wrote no marks */
#define SIM_PLAIN_DIFF  0.85f /* the query wrote other marks */
#define SIM_SOUND       0.80f
#define SIM_TYPO        0.70f
#define SIM_TYPO2       0.62f /* two edits, or a typo of a word's sound ("nguiyen", "woc" for quốc) */
#define SIM_TYPO2_SHORT 0.45f /* two edits to or from a word of two letters ("lr" for Lan) */
#define SIM_INITIAL     0.60f
#define SIM_INITIAL_ALL 0.80f /* initials that meet every family and middle name of a legal name */
#define MIDDLE_MISS     0.3f  /* the share of its weight a middle name costs when dropped */
#define MIDDLE_ADDED    0.6f  /* and when the query has one the candidate lacks */
#define FAMILY_MISS     0.5f  /* and a family name the query leaves out, with nothing in its place */
#define OTHER_KIND      0.97f /* a name query meeting a handle, a handle query meeting a name */
#define OTHER_NUMBER    0.98f /* a handle query with a number meeting a handle without it */
#define YEAR_HINT       0.97f /* a year in a handle ("@thucuc1990") that is not the birth year */

enum { FAMILY, MIDDLE, GIVEN, OTHER, FILLER };
extern const char *const nt__scr_role_names[];
enum { VIA_NAME, VIA_ALIAS, VIA_HANDLE };
extern const char *const nt__scr_via_names[];
enum { P_DEAD = 1, P_FLAG = 2 };

typedef struct {
    uint32_t *a;
    uint32_t n, cap;
} u32vec;

/* A posting: the person, beside the entry (whose liveness is a bit in `dead`), so that walking a
 * list touches one array per posting. */
typedef struct {
    uint32_t p, e;
} post_t;
typedef struct {
    post_t *a;
    uint32_t n, cap;
} pvec;

/* A multimap from 64-bit hashes to 32-bit values, open addressing; h == 0 marks a free slot. */
typedef struct {
    uint64_t h;
    uint32_t v;
} mslot;
typedef struct {
    mslot *s;
    size_t cap, n;
} mmap_t;

/* Strings that live as long as the index. */
typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

typedef struct vtok {
    const char *s;
    uint8_t len;
    bool syllable;    /* seen in a legal name or an alias */
    uint32_t df;      /* persons whose legal name has it */
    uint32_t seen;    /* names and aliases it was seen in */
    uint64_t sound;   /* hash of its sound key */
    uint32_t letters; /* its letter_set */
    float w;          /* rarity weight */
    pvec post;        /* entries */
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
    uint32_t all;  /* the bits of a reading's words that lists can meet */
    uint32_t full; /* persons met on all of them so far */
    uint8_t *near; /* for each open word of a query, each token's nearness to it (hundredths; 255 unknown) */
    size_t nearcap;
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
    int16_t *years; /* each person's birth year again, packed: what selecting candidates reads of all it touched */
    uint32_t capyears;
    struct legal {
        uint8_t words;           /* the legal name's words */
        uint8_t ntok;            /* of them in tok */
        uint32_t tok[LEGAL_TOK]; /* the legal name's first words (their tokens) */
    } * legal; /* of each person (room as for years): what a query with a word no name has reads of those it met */
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
    u32vec syllables;    /* the tokens seen in legal names and aliases, for typos of two edits */
    struct sylkey {      /* beside each: its letters and its sound's letters as bit sets, and its sound */
        uint32_t letters, sounds;
        int8_t n; /* the sound's length, or -1 */
        char sound[TOKLEN + 2];
    } * sylkeys;
    uint32_t capsylkeys;
    uint64_t *dead; /* a bit per entry no longer live (its person changed or left) */
    size_t deadcap, ndead;
    uint32_t reclaimed;      /* times the dead entries were reclaimed */
    uint64_t reclaim_us_max; /* the longest of those, in microseconds (the write lock is held) */
};

typedef struct toks {
    int n;
    char plain[MAXTOK][TOKLEN];
    char toned[MAXTOK][TOKLEN * 2]; /* "" when unknown */
    bool filler[MAXTOK];            /* official, real, tv, vlog, ... */
} toks;

typedef struct qtok {
    char plain[TOKLEN];
    uint32_t pid, tid;
    bool marks, initial, filler;
    bool as_meant;    /* written with marks, or without in a query that writes marks elsewhere */
    bool open;        /* no name or alias has the word: compared with a candidate's own words too */
    uint32_t letters; /* its letter_set */
    uint8_t *near;    /* an open word's nearness to each token, worked out once a query (nt__scr_near) */
    float w;          /* its rarity weight */
    float miss;       /* what it costs when the candidate lacks it */
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

typedef struct cand {
    float s;
    uint32_t p;
} cand;

#define PAIR_X 12 /* expansions per token tried in pairs */

/* A posting list a query will walk: whose, how long, and how good a match (0: as written, 1: one
 * word by sound or typo, 2: both). Lists are walked by tier, rarest first, while the budget lasts;
 * the first always, and a smaller one after one that did not fit. */
typedef struct walk {
    const pvec *list;
    uint32_t size;
    uint8_t i, j, a, b, tier; /* query words i (and j), their expansions a (and b) */
} walk;

typedef struct scored {
    float score, base, of, yf, gf, kf, nf;
    bool given, order, letters, typo, initials, family, swapped, corroborated, extra;
    int npairs;
    struct {
        int qi, ej;
        float sim, w;
        uint8_t how;
    } pair[MAXTOK];
    uint32_t e;
    int r;
} scored;

typedef struct cpair {
    float v, sim;
    int i, j;
    uint8_t how;
} cpair;

const char *nt__scr_keep_str(nt_screen *ix, const char *s, size_t n);

/* A name's tokens: plain and toned side by side, digits dropped. */
int nt__scr_name_toks(const char *s, toks *t);

int nt__scr_handle_toks(const char *h, bool edges, toks *t);

/* A query's leading honorific ("Chị", "Anh", "Cô", ... before two words or more) read as a filler. */
void nt__scr_honorific(toks *t);

/* The last number in a handle with a digit that leetspeak does not use ("@lan_96", "@thu1990"); -1. */
int nt__scr_handle_number(const char *h);

/* Cuts letters with no spaces ("lanthao", "nguyenanhthien") into the syllables of the registry's
 * names: fewest pieces, then the commonest; letters no syllable covers cost more than a piece. With
 * `initials` (handles), leading consonants may be initials ("ntthuy"); in a name they are a typo
 * ("Khnh").
 * Writes the pieces to out; returns how many, and whether every letter was covered. */
int nt__scr_segment(const nt_screen *ix, const char *s, size_t n, char pieces[][TOKLEN], int max, bool *whole, bool initials);

/* Replaces each word that is no Vietnamese syllable by the syllables that cover all its letters
 * (if none do, it stays: a typo, or letters to compare as they are). A writer passes itself as `w`
 * to remember each cut: handles repeat, and cutting costs. */
void nt__scr_cut(const nt_screen *ix, toks *t, nt_screen *w, bool initials);

/* The letters of the tokens but the filler words, as one string. */
void nt__scr_concat(const toks *t, char *out, size_t cap);

/* The readings of a query (docs/SCREENING.md): its words, each cut into syllables if need be; a
 * handle's edge digits read as letters; its letters as one string cut into syllables; a word that
 * met nothing cut into what syllables it holds. Duplicates are dropped. */
int nt__scr_readings(const nt_screen *ix, const nt_screen_query *q, reading *r);

scratch *nt__scr_take_scratch(nt_screen *ix);

/* Room for the nearness of each open word of the readings (the same word in two readings shares
 * it) to every token; a word without room is compared without it. */
void nt__scr_near(const nt_screen *ix, scratch *s, reading *r, int nr);

/* Partial scores from the posting lists of pairs of the query's words, then of single words if
 * that found few; the best KEEP persons by partial score are added to out. The walks' budgets are
 * divided by `share`. */
size_t nt__scr_candidates(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, cand *out, size_t nout,
                          size_t share);

/* Makes room for one more item in *arr (n items of size bytes, *cap allocated): doubles, from
 * first. 0 or NT_ENOMEM (arr unchanged). */
static inline int room(void *arr, uint32_t n, uint32_t *cap, size_t size, uint32_t first)
{
    if (n < *cap)
        return 0;
    uint32_t c = *cap ? *cap * 2 : first;
    void *a = nt_xrealloc(*(void **)arr, (size_t)c * size);
    if (a == NULL)
        return NT_ENOMEM;
    *(void **)arr = a;
    *cap = c;
    return 0;
}

static inline int ppush(pvec *v, uint32_t p, uint32_t e)
{
    if (room(&v->a, v->n, &v->cap, sizeof(*v->a), 4) != 0)
        return NT_ENOMEM;
    v->a[v->n].p = p;
    v->a[v->n++].e = e;
    return 0;
}

static inline int vpush(u32vec *v, uint32_t x)
{
    if (room(&v->a, v->n, &v->cap, sizeof(*v->a), 4) != 0)
        return NT_ENOMEM;
    v->a[v->n++] = x;
    return 0;
}

static inline uint64_t hkey(uint64_t h)
{
    return h ? h : 1;
}

static inline int mm_grow(mmap_t *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    mslot *s = nt_xcalloc(cap, sizeof(*s));
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

static inline int mm_put(mmap_t *m, uint64_t h, uint32_t v)
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
static inline size_t mm_scan(const mmap_t *m, uint64_t h, size_t j)
{
    for (; m->s[j].h; j = (j + 1) & (m->cap - 1))
        if (m->s[j].h == h)
            return j;
    return SIZE_MAX;
}

static inline size_t mm_first(const mmap_t *m, uint64_t h)
{
    return m->cap ? mm_scan(m, hkey(h), hkey(h) & (m->cap - 1)) : SIZE_MAX;
}

static inline size_t mm_next(const mmap_t *m, uint64_t h, size_t it)
{
    return mm_scan(m, hkey(h), (it + 1) & (m->cap - 1));
}

static inline uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 32);
}

/* The key of a name's initials with its given name ("nqd|cuong" for Nguyễn Quốc Đình Cường, or
 * "N. Q. Đ. Cường"), as a hash in the same table as letters (a leading byte keeps the two apart). */
static inline uint64_t initials_key(const char *initials, size_t n, const char *given)
{
    char k[MAXTOK + TOKLEN + 2];
    size_t g = strlen(given);
    if (n > MAXTOK || g >= TOKLEN)
        return 0;
    k[0] = '\1';
    memcpy(k + 1, initials, n);
    k[n + 1] = '|';
    memcpy(k + n + 2, given, g);
    return hash_bytes(k, n + 2 + g);
}

/* The entries whose letters hash to h (the same letters as one string), or NULL. */
static inline const pvec *letters_find(const nt_screen *ix, uint64_t h)
{
    for (size_t it = mm_first(&ix->concat, h); it != SIZE_MAX; it = mm_next(&ix->concat, h, it))
        if (ix->letters[ix->concat.s[it].v].h == h)
            return &ix->letters[ix->concat.s[it].v].post;
    return NULL;
}

static inline uint32_t vfind(const nt_screen *ix, const char *s, size_t n)
{
    uint64_t h = hash_bytes(s, n);
    for (size_t it = mm_first(&ix->vmap, h); it != SIZE_MAX; it = mm_next(&ix->vmap, h, it)) {
        const vtok *t = &ix->v[ix->vmap.s[it].v];
        if (t->len == n && memcmp(t->s, s, n) == 0)
            return ix->vmap.s[it].v;
    }
    return NONE;
}

static inline uint32_t tfind(const nt_screen *ix, const char *s)
{
    size_t n = strlen(s);
    uint64_t h = hash_bytes(s, n);
    for (size_t it = mm_first(&ix->tmap, h); it != SIZE_MAX; it = mm_next(&ix->tmap, h, it))
        if (strcmp(ix->toned[ix->tmap.s[it].v], s) == 0)
            return ix->tmap.s[it].v;
    return NONE;
}

static inline uint64_t sound_hash(const char *s)
{
    char k[TOKLEN + 2];
    int n = nt_name_sound(s, k, sizeof(k));
    return n < 0 ? 0 : hash_bytes(k, (size_t)n);
}

static inline void push_tok(toks *t, const char *plain, size_t n, const char *toned)
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

static inline bool is_syllable(const nt_screen *ix, const char *s, size_t n)
{
    uint32_t id = n >= 2 ? vfind(ix, s, n) : NONE;
    return id != NONE && ix->v[id].syllable;
}

static inline float year_factor(int q, int p)
{
    if (q == 0 || p == 0)
        return 1.0f;
    int d = abs(q - p);
    return d == 0 ? 1.0f : d == 1 ? 0.9f : d <= 3 ? 0.75f : 0.6f;
}

static inline void give_scratch(nt_screen *ix, scratch *s)
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

static inline uint64_t pair_hash(uint32_t a, uint32_t b)
{
    uint64_t h = ((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

static inline uint32_t nt__scr_pair_find(const nt_screen *ix, uint32_t a, uint32_t b)
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

/* Damerau-Levenshtein distance of at most one (one insertion, deletion, substitution or swap). */
static inline bool nt__scr_within_one(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > lb)
        return nt__scr_within_one(b, lb, a, la);
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

/* The letters a-z a word holds, as bits: an edit changes at most two of them, so words whose sets
 * differ in more than 2k letters are more than k edits apart. */
static inline uint32_t letter_set(const char *s, size_t n)
{
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            m |= 1u << (s[i] - 'a');
    return m;
}

/* Damerau-Levenshtein distance (adjacent swaps, each letter edited once), or 3 when it is more
 * than two. */
static inline int nt__scr_within_two(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > lb + 2 || lb > la + 2 || la >= TOKLEN || lb >= TOKLEN)
        return 3;
    uint8_t d[TOKLEN + 1][TOKLEN + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (uint8_t)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (uint8_t)j;
    for (size_t i = 1; i <= la; i++) {
        uint8_t low = 3;
        for (size_t j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            v = d[i - 1][j] + 1 < v ? d[i - 1][j] + 1 : v;
            v = d[i][j - 1] + 1 < v ? d[i][j - 1] + 1 : v;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = (uint8_t)(v > 3 ? 3 : v);
            low = d[i][j] < low ? d[i][j] : low;
        }
        if (low > 2 && i > 1) /* every way on is more than two edits already */
            return 3;
    }
    return d[la][lb];
}

/* How near a word no name has (q) is to a registry's word (t, numbered v), by its letters: one
 * edit SIM_TYPO, two SIM_TYPO2 (less when either word has two letters: two edits leave nothing of
 * it), else 0. */
static inline float nt__scr_open_sim(const qtok *q, const vtok *t, uint32_t v)
{
    if (q->near != NULL && q->near[v] != 255)
        return (float)q->near[v] / 100.0f;
    float sim = 0;
    if (t->len >= 2 && __builtin_popcount(q->letters ^ t->letters) <= 4) {
        size_t n = strlen(q->plain);
        int d = nt__scr_within_two(q->plain, n, t->s, t->len);
        sim = d > 2 ? 0 : d < 2 ? SIM_TYPO : n > 2 && t->len > 2 ? SIM_TYPO2 : SIM_TYPO2_SHORT;
    }
    if (q->near != NULL)
        q->near[v] = (uint8_t)(100.0f * sim + 0.5f);
    return sim;
}

#endif
