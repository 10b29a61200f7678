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
    NT_ROLE_PROGRAMME, /* the alliance's secretariat and reviewers (service/trust.h) */
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
    bool valid;                /* not revoked and the organisation active */
    int64_t checked_us;        /* monotonic time of the last look at the database */
    int64_t touched_us;        /* monotonic time last_used_at was last written */
    int refusals;              /* national IDs refused as taken, this hour (service/registry.c) */
    int64_t refusals_since_us; /* monotonic start of that hour */
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
    char log_mark_path[4096]; /* log.size: the largest checkpoint this database's log ever signed */
    pthread_mutex_t follow_lock;
    int64_t seq; /* the change sequence followed so far (without an index) */
    struct {
        void (*fn)(void *arg, const char *entity, const char *id);
        void *arg;
    } listeners[NT_SVC_LISTENERS]; /* told of each change followed (service/runtime.h); under follow_lock */
    int nlisteners;
    void (*key_changed)(struct nt_svc *svc, const char *id); /* a key's change followed: forget it (service.c sets it) */
    void (*org_changed)(struct nt_svc *svc, const char *id); /* an organisation's: forget its keys */
    int appeal_days;                                         /* default appeal deadline, days after a decision is issued (30) */
    int max_restriction_days;                                /* cap on the length of a restriction or ban (730) */
    int webhook_attempts;                                    /* deliveries are dead-lettered after this many attempts (8) */
    int webhook_backoff_ms;    /* the first retry waits this long, each next one twice as long (1000) */
    bool webhook_loopback;     /* receivers on this machine allowed (tests, a local relay); false */
    nt_policy policy;          /* the repeat-violation policy behind recommendations */
    unsigned char nid_key[32]; /* BLAKE2b key for national-ID hashes */
    /* The trust programme (service/certificates.h). */
    char public_url[512];           /* where the deployment is reached: its did:web and certificate URLs */
    char primary_url[512];          /* a read-only server's: where writes go (named in its 503), or "" */
    int64_t cert_validity_us;       /* a certificate's validity; 0: 12 calendar months */
    int clean_record_months;        /* no decided violation within this many months (12) */
    unsigned char programme_sk[64]; /* the programme key (programme.key), apart from the log key */
    unsigned char programme_pk[32];
    unsigned char vapid_sk[32]; /* the application server's P-256 key for Web Push (vapid.key, RFC 8292) */
    unsigned char vapid_pk[65];
    struct nt_status_lists *status; /* the signed status lists, rebuilt after a certificate changes */
    int64_t next_status_index;      /* the next certificate's index in them; -1: read it from the store */
    struct nt_feed_cache *feeds;    /* notice feeds as served, until a notice changes (service/notices.h) */
    int64_t session_idle_us;        /* a web session not used for this long ends (service/users.h) */
    int64_t session_max_us;         /* and any web session this long after its sign-in */
    pthread_mutex_t status_lock;
    pthread_mutex_t key_lock;
    nt_key_entry keys[NT_SVC_KEY_CACHE];
} nt_svc;

/** Paths of the secrets next to a database: <dir>/hash.key, <dir>/log.key, <dir>/log.pub. */
void nt_svc_secret_path(const char *db, const char *name, char *out, size_t cap);
/** The files of secrets beside a database (or in NIEMTIN_SECRETS), NULL-terminated. */
extern const char *const nt_svc_secret_files[];

/** Opens the store at db and loads the secrets beside it. */
int nt_svc_open(nt_svc **out, const char *db, bool create, nt_err *err);
int nt_svc_open_ex(nt_svc **out, const char *db, bool create, bool read_only, nt_err *err);
void nt_svc_close(nt_svc *svc);

#endif
