/* The services: the registry's use cases, shared by the HTTP API and the CLI.
 *
 * A service validates domain rules, builds its write and commits it through
 * the one commit step (service/commit.h), and returns the resource as JSON
 * (times in UTC; the HTTP layer shows them in Asia/Ho_Chi_Minh). Functions
 * that write take an nt_wctx: who writes, when, and the Idempotency-Key the
 * commit records with the write. Services never speak HTTP: they say whether
 * a write created its resource, and the HTTP layer picks the status. */
#ifndef NT_SERVICE_SERVICE_H
#define NT_SERVICE_SERVICE_H
#include "core/err.h"
#include "core/policy.h"
#include "store/store.h"
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>

typedef enum nt_role {
    NT_ROLE_PUBLIC = 0,
    NT_ROLE_ADMIN,
    NT_ROLE_REGULATOR,
    NT_ROLE_PLATFORM,
    NT_ROLE_ADVERTISER,
    NT_ROLE_KOL,
    NT_ROLE_COUNT
} nt_role;

#define NT_ROLE_BIT(r) (1u << (r))

/** "public", "admin", ...; and back (-1 if unknown). */
const char *nt_role_name(nt_role r);
int nt_role_parse(const char *s);

/** Who is asking. */
typedef struct nt_actor {
    nt_role role;
    char key_id[NT_ID_LEN];
    char org_id[NT_ID_LEN];
    char person_id[NT_ID_LEN];
    char platform[24]; /* for a platform organisation's key */
} nt_actor;

#define NT_SVC_KEY_CACHE 1024

typedef struct nt_key_entry {
    char id[NT_ID_LEN];
    unsigned char hash[32];
    nt_actor actor;
    bool valid;         /* not revoked and the organisation active */
    int64_t checked_us; /* monotonic time of the last look at the database */
    int64_t touched_us; /* monotonic time last_used_at was last written */
} nt_key_entry;

struct nt_rindex;
struct nt_tlog;

#define NT_SVC_LISTENERS 4

typedef struct nt_svc {
    nt_store *store;
    struct nt_rindex *index;  /* the check path's index; built by nt_svc_index_build (serve only) */
    struct nt_tlog *tlog;     /* the transparency log in memory; loaded by nt_svc_log_open (service/tlog.h) */
    struct nt_adindex *ads;   /* registered ads in memory; built with the check index (service/ads.h) */
    struct nt_screen *screen; /* every person's names and handles, for screening (service/screen.h) */
    char data_dir[4096];      /* the database's directory: secrets, and documents/ for product files */
    char log_key_path[4096];
    char log_pub_path[4096];
    pthread_mutex_t follow_lock;
    int64_t seq; /* the change sequence followed so far (without an index) */
    struct {
        void (*fn)(void *arg, const char *entity, const char *id);
        void *arg;
    } listeners[NT_SVC_LISTENERS]; /* told of each change followed (service/runtime.h); under follow_lock */
    int nlisteners;
    int appeal_days;           /* default appeal deadline, days after a decision is issued (30) */
    int max_restriction_days;  /* cap on the length of a restriction or ban (730) */
    int webhook_attempts;      /* deliveries are dead-lettered after this many attempts (8) */
    int webhook_backoff_ms;    /* the first retry waits this long, each next one twice as long (1000) */
    nt_policy policy;          /* the repeat-violation policy behind recommendations */
    unsigned char nid_key[32]; /* BLAKE2b key for national-ID hashes */
    pthread_mutex_t key_lock;
    nt_key_entry keys[NT_SVC_KEY_CACHE];
} nt_svc;

/** Paths of the secrets next to a database: <dir>/hash.key, <dir>/log.key, <dir>/log.pub. */
void nt_svc_secret_path(const char *db, const char *name, char *out, size_t cap);

/** Opens the store at db and loads the secrets beside it. */
int nt_svc_open(nt_svc **out, const char *db, bool create, nt_err *err);
void nt_svc_close(nt_svc *svc);

/* ---- keys and authentication ---- */

/** Resolves "Bearer" token to an actor. NT_ENOTFOUND for an unknown, malformed or revoked key. */
int nt_svc_authenticate(nt_svc *svc, const char *token, nt_actor *out);

/** Forgets a cached key, so the next use reads it again (it changed elsewhere). */
void nt_svc_key_forget(nt_svc *svc, const char *id);

/** Keys held in the authentication cache. */
long nt_svc_key_cache_size(nt_svc *svc);

/** Creates a key: {role, org_id | person_id, label}. out has "secret", shown this once. */
int nt_svc_key_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err);
int nt_svc_key_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);
int nt_svc_key_revoke(nt_svc *svc, nt_wctx *w, const char *id, json_t **out, nt_err *err);

/* ---- organisations ---- */
int nt_svc_org_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err);
int nt_svc_org_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
int nt_svc_org_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);

/* ---- persons ---- */
int nt_svc_person_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
/** Checks a create-person body against the schema only (for fuzzing and clients' dry runs). */
int nt_svc_person_check(const json_t *in, nt_err *err);

/** The person with its accounts. */
int nt_svc_person_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
/** Merge-patch update; version is the one the caller last saw (If-Match). */
int nt_svc_person_update(nt_svc *svc, nt_wctx *w, const char *id, int64_t version, const json_t *patch, json_t **out, nt_err *err);
/** {items, next_cursor}: persons whose names or aliases contain every word of q, ignoring diacritics,
 * case and order; all persons when q is empty. */
int nt_svc_person_search(nt_svc *svc, const char *q, const char *cursor, int limit, json_t **out, nt_err *err);

/** Removes what the role may not see: the public gets no birth year, province or national-ID flag. */
void nt_svc_person_view(json_t *person, nt_role role);

typedef struct nt_import_report {
    long lines;
    long persons;
    long accounts;
    long accounts_skipped; /* handle already linked to another person */
    char first_skip[160];
    long accounts_invalid; /* handle the platform's rules do not allow */
    char first_invalid[160];
} nt_import_report;

/** Imports persons (JSON Lines) in one transaction: all or nothing. */
int nt_svc_person_import(nt_svc *svc, nt_wctx *w, FILE *in, nt_import_report *rep, nt_err *err);

/* ---- accounts ---- */
/** A kol claims (unverified) or a platform attests (verified) an account. *created is 1 when new. */
int nt_svc_account_link(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, int *created, nt_err *err);
/** The account and its person. */
int nt_svc_account_get(nt_svc *svc, const char *platform, const char *handle, json_t **out, nt_err *err);
/** Unlinks; person_id gets the person the account belonged to. */
int nt_svc_account_unlink(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *platform, const char *handle,
                          char person_id[NT_ID_LEN], nt_err *err);

/* ---- shared helpers ---- */
/** Opaque cursor for a last id, and back. */
void nt_svc_cursor_encode(const char *last_id, char *out, size_t cap);
int nt_svc_cursor_decode(const char *cursor, char *out, size_t cap);

/* Internal: wraps a store listing as {items, next_cursor}. */
/** The rows of a named read (taking params), or NULL on failure; the caller owns them. */
json_t *nt__svc_q(nt_svc *svc, const char *name, json_t *params);
/** Its first row, or NULL. */
json_t *nt__svc_q1(nt_svc *svc, const char *name, json_t *params);
int nt__svc_paged(int rc, json_t *items, int limit, json_t **out, nt_err *err);

#endif
