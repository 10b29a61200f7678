/* Screening: who in the registry a name or a handle could be.
 *
 * An in-memory index of every person's names (the legal name, stage names and aliases) and
 * handles, compared in the forms of core/names.h: toned, plain, sound keys, typos within one
 * edit, initials, handles split into syllables and as one string. Tokens are weighted by their
 * rarity in the registry's own legal names (Nguyễn, Văn and Thị weigh little) and by their role
 * in the candidate's name (the given name weighs most).
 *
 * A query is read in up to four ways (its words; a handle's edge digits read as letters; its
 * letters as one string cut into syllables; an unknown word cut into what syllables it holds) and
 * answered in two steps: the posting lists of pairs of its words (then of single words, if pairs
 * found few) give a partial score to every person they touch (times the birth-year factor); the
 * best 128 per reading are scored in full against every name and handle they have.
 *
 * One writer at a time (the caller's follower), many readers: a read-write lock. A changed
 * person's old names stay in the posting lists as dead entries until the index is rebuilt. */
#ifndef NT_INDEX_SCREEN_H
#define NT_INDEX_SCREEN_H
#include "core/util.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NT_SCREEN_MAX_TOKENS 8
#define NT_SCREEN_TOKEN_LEN  32
#define NT_SCREEN_LIMIT_MAX  100

/* Levels: strong is a score of at least NT_SCREEN_STRONG with the candidate's given name met as
 * written at an end of the query (not by a typo, an initial, other tone marks, or its sound in a
 * name read in another order), the words in an order a name is written in, and no typo; possible
 * is any other score of at least NT_SCREEN_POSSIBLE; weak is the rest. Ranking is by score. */
#define NT_SCREEN_STRONG   0.80
#define NT_SCREEN_POSSIBLE 0.55

typedef enum { NT_SCREEN_WEAK = 0, NT_SCREEN_POSSIBLE_LEVEL = 1, NT_SCREEN_STRONG_LEVEL = 2 } nt_screen_level;

typedef struct nt_screen nt_screen;

/** One person as the registry has it. Strings are copied. */
typedef struct nt_screen_person {
    const char *id, *name;
    const char *const *aliases;
    size_t naliases;
    const char *const *handles; /* as shown: "tiktok:@thucuc.official" or "@thucuc" */
    size_t nhandles;
    int birth_year; /* 0: unknown */
    char gender;    /* 'f', 'm', 'x' or 0 */
} nt_screen_person;

typedef struct nt_screen_query {
    const char *name, *handle; /* at least one */
    int birth_year;            /* 0: not given */
    char gender;               /* 0: not given */
    size_t limit;              /* 1..NT_SCREEN_LIMIT_MAX */
    double min_score;
    bool flagged_only;                              /* only persons flagged (nt_screen_flag) */
    bool (*keep)(void *arg, const char *person_id); /* NULL: all; else false drops the person */
    void *keep_arg;
    bool explain;  /* fill the pairs and penalties of each hit */
    int year_hint; /* leave 0: a year written in the handle, which nt_screen_run fills in */
} nt_screen_query;

/** How a query token met a candidate's token. */
typedef enum { NT_SM_TONED, NT_SM_PLAIN, NT_SM_SOUND, NT_SM_TYPO, NT_SM_INITIAL } nt_screen_how;

typedef struct nt_screen_pair {
    char query[NT_SCREEN_TOKEN_LEN], matched[NT_SCREEN_TOKEN_LEN * 2];
    nt_screen_how how;
    const char *role; /* of the candidate's token: family, middle, given, other */
    float similarity, weight;
} nt_screen_pair;

typedef struct nt_screen_miss {
    char token[NT_SCREEN_TOKEN_LEN * 2];
    const char *role; /* NULL for a query token no candidate token met */
    float weight;
} nt_screen_miss;

typedef struct nt_screen_hit {
    char person_id[NT_ID_LEN];
    float score;
    nt_screen_level level;
    const char *via;                                          /* "name", "alias" or "handle" */
    const char *text;                                         /* that name or handle as registered (kept as long as the index) */
    const char *name;                                         /* the person's legal name (likewise) */
    char reading[NT_SCREEN_TOKEN_LEN * NT_SCREEN_MAX_TOKENS]; /* the query's tokens as read */
    bool same_letters;                                        /* the same letters as one string */
    float base, order_factor, birth_year_factor, gender_factor, kind_factor, number_factor;
    bool given_matched, order_kept, family_matched;
    bool capped;                    /* scored as strong but kept below by a rule (docs/SCREENING.md, Levels) */
    const char *not_strong_because; /* that rule, in words (a constant), or NULL */
    int birth_year;
    int npairs, nmissing, nextra;
    nt_screen_pair pairs[NT_SCREEN_MAX_TOKENS];
    nt_screen_miss missing[NT_SCREEN_MAX_TOKENS]; /* the candidate's tokens no query token met */
    nt_screen_miss extra[NT_SCREEN_MAX_TOKENS];   /* query tokens that met nothing */
} nt_screen_hit;

nt_screen *nt_screen_new(void);
void nt_screen_free(nt_screen *ix);

/* ---- writers (one at a time) ---- */
/** Adds or replaces a person. 0, or NT_EINVAL / NT_ENOMEM. */
int nt_screen_put(nt_screen *ix, const nt_screen_person *p);
void nt_screen_del(nt_screen *ix, const char *person_id);
/** Marks a person for `flagged_only` queries (the service flags who is restricted). */
void nt_screen_flag(nt_screen *ix, const char *person_id, bool on);
/** Recomputes the rarity weights (done on its own as the registry grows). */
void nt_screen_reweigh(nt_screen *ix);

/* ---- readers ---- */
/** Runs one query; hits (up to q->limit, best first) go to out. Returns how many, or -1 for a
 * query with nothing to compare in it (or no memory). */
int nt_screen_run(nt_screen *ix, const nt_screen_query *q, nt_screen_hit *out);

/** Reads a byte of every page of the index once and readies `scratches` queries' scratch (a
 * slot per person, written once and pooled), so that the first queries after a build are as fast
 * as the rest: a server calls it after loading, for as many scratches as it has threads that
 * answer. Returns the bytes it went over. */
size_t nt_screen_warm(nt_screen *ix, unsigned scratches);

typedef struct nt_screen_stats {
    size_t persons, entries, tokens, postings, bytes;
    size_t dead;             /* entries of changed or removed persons not reclaimed yet */
    unsigned reclaimed;      /* times their entries were reclaimed while running */
    uint64_t reclaim_us_max; /* the longest reclaim, in microseconds: screening waits for it */
    size_t scratches;        /* queries' scratches pooled (nt_screen_warm readies them) */
} nt_screen_stats;
void nt_screen_stats_get(nt_screen *ix, nt_screen_stats *st);

const char *nt_screen_level_name(nt_screen_level l);
const char *nt_screen_how_name(nt_screen_how h);
#endif
