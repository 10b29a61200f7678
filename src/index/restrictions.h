/* The check path's in-memory index: who is restricted, in which scopes, when.
 *
 * Two maps: "platform:handle" -> person id, and person id -> the set of that
 * person's restricting sanctions (appearance restrictions and advertising
 * bans that have not ended). Readers look up without locks and without
 * waiting on writers: buckets hold immutable chains that a writer replaces
 * whole and retires through epoch-based reclamation (index/epoch.c). Writers
 * are serialised by the index's own lock. A check compares times, so a
 * restriction starts and expires on time with nobody updating the index. */
#ifndef NT_INDEX_RESTRICTIONS_H
#define NT_INDEX_RESTRICTIONS_H
#include "core/sanction.h"
#include "core/util.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nt_restriction {
    /* What a check reads first, together in one cache line. */
    unsigned scopes;
    uint32_t platforms; /* bit i: nt_platforms[i]; 0: every platform */
    nt_sanction_timeline t;
    nt_sanction_type type;
    bool publish;      /* the decision is published */
    int64_t delist_us; /* and stops being listed publicly from here (0: never) */
    char sanction_id[NT_ID_LEN];
    char decision_id[NT_ID_LEN];
    char decision_number[64];
    char authority[160];
} nt_restriction;

typedef struct nt_rindex nt_rindex;

/** Sized for about this many handles and restricted persons (it works beyond, a little slower). */
nt_rindex *nt_rindex_new(size_t handles, size_t persons);
/** No reader may be inside. */
void nt_rindex_free(nt_rindex *ix);

/* ---- writers ---- */
void nt_rindex_put_handle(nt_rindex *ix, const char *key, const char *person_id);
void nt_rindex_del_handle(nt_rindex *ix, const char *key);
/** Every person the registry holds, so that a check can tell "nothing recorded" from "unknown". */
void nt_rindex_put_person(nt_rindex *ix, const char *person_id);
void nt_rindex_del_person(nt_rindex *ix, const char *person_id);
/** Adds or replaces (by sanction id) one restriction of a person; legal_name is kept for the public list. */
void nt_rindex_put(nt_rindex *ix, const char *person_id, const char *legal_name, const nt_restriction *r);
void nt_rindex_del(nt_rindex *ix, const char *person_id, const char *sanction_id);
/** The legal name the public list shows for a restricted person (nothing for one not restricted). */
void nt_rindex_rename(nt_rindex *ix, const char *person_id, const char *legal_name);
/** What the check says of a person's Influencer Trust certificate, laid out so that what a check
 * reads comes first and fits two cache lines. */
typedef struct nt_cert_brief {
    char status[12]; /* active, suspended, revoked as stored; expiry is by valid_until */
    unsigned char head_len, tail_len;
    int64_t valid_until_us;
    /* The answer's JSON around the status, made once when put so that the check only copies it:
     * {"id":"…","status":"  and  ","valid_until":"<Asia/Ho_Chi_Minh>"} */
    char head[48], tail[56];
    char id[24]; /* "cert_" and 16 characters */
} nt_cert_brief;

/** Sets (c != NULL) or forgets the person's current certificate. */
void nt_rindex_put_cert(nt_rindex *ix, const char *person_id, const nt_cert_brief *c);
/** The person's current certificate into out; false when they hold none. */
bool nt_rindex_cert(nt_rindex *ix, const char *person_id, nt_cert_brief *out);

/** Drops restrictions that ended before `before_us` (they can never answer "restricted" again). */
size_t nt_rindex_prune(nt_rindex *ix, int64_t before_us);
void nt_rindex_set_seq(nt_rindex *ix, int64_t seq);

/* ---- readers ---- */
int64_t nt_rindex_seq(nt_rindex *ix);

/** Whether the registry holds a person with this id, ignoring ASCII case; registered gets the id
 * as the registry writes it. */
bool nt_rindex_person(nt_rindex *ix, const char *id, char registered[NT_ID_LEN]);

/** The person holding "platform:handle" into person; false if nobody does. */
bool nt_rindex_handle(nt_rindex *ix, const char *key, char person[NT_ID_LEN]);

/** The person's restrictions in force at some instant of [from, to) (to == from: at that
 * instant) in any of `scopes`, on `platform` (NULL: any). Copies up to max into out; returns how
 * many apply (which may exceed max). */
size_t nt_rindex_check(nt_rindex *ix, const char *person_id, unsigned scopes, const char *platform, int64_t from_us, int64_t to_us,
                       nt_restriction *out, size_t max);

/** The same for "platform:handle": finds its holder (person, *known) and checks them in one pass. */
size_t nt_rindex_check_handle(nt_rindex *ix, const char *key, char person[NT_ID_LEN], bool *known, unsigned scopes,
                              const char *platform, int64_t from_us, int64_t to_us, nt_restriction *out, size_t max);

/** What an in-process caller needs of the first restriction that applies, written where it wants it. */
typedef struct nt_restriction_brief {
    char *decision_number; /* at least 64 bytes */
    char *authority;       /* at least 160 bytes */
    int64_t *start_us, *end_us;
} nt_restriction_brief;

/** Like nt_rindex_check / nt_rindex_check_handle (key NULL: person_id is the subject), filling only
 * the brief of the first restriction that applies: no copy of whole restrictions. */
size_t nt_rindex_check_brief(nt_rindex *ix, const char *person_id, const char *key, bool *known, unsigned scopes,
                             const char *platform, int64_t at_us, const nt_restriction_brief *first);

/** Calls fn for every restriction held (under one read section: fn must not block). */
void nt_rindex_each(nt_rindex *ix, void (*fn)(void *arg, const char *person_id, const char *legal_name, const nt_restriction *r),
                    void *arg);

typedef struct nt_rindex_stats {
    size_t handles, persons, restrictions, retired_pending;
} nt_rindex_stats;
void nt_rindex_stats_get(nt_rindex *ix, nt_rindex_stats *out);
#endif
