/* Internal to the SQLite backend (src/store/sqlite*.c): its connections, the writer, and the
 * helpers its files share. Nothing outside src/store/ includes this.
 *
 * The backend is split by concern: sqlite.c (connections, statements, transactions, the writer
 * with group commit, deferred writes, idempotency, open/migrate/close, the operations table),
 * sqlite_registry.c (organisations, keys, persons, accounts, bulk import), sqlite_rows.c (the
 * generic row writes and the named reads), sqlite_cases.c and sqlite_ads.c (the named reads of the
 * due-process and advertising tables), sqlite_log.c (the transparency log's rows). */
#ifndef NT_STORE_SQLITE_INT_H
#define NT_STORE_SQLITE_INT_H
#include "store/store.h"
#include <pthread.h>
#include "store/db.h"
#include <stdatomic.h>

#define DYN_CACHE 32

struct conn {
    db_conn *db;
    uint64_t gen;
    struct {
        const char *sql;
        db_stmt *st;
    } * cache; /* every constant statement this connection prepared: a fixed set, so it only grows to it */
    int ncache, cache_cap;
    struct {
        char *sql; /* built at run time (the generic writes): keyed by content */
        db_stmt *st;
    } dyn[DYN_CACHE];
    int ndyn, next_dyn;
    int64_t log_next; /* within a transaction: the next log index, once read (-1: not yet) */
    int64_t seq_max;  /* the highest change sequence this connection inserted (rolled back or not) */
    /* Within a transaction: what its idempotency record will hold, taken from the first audited row
     * (one record per write, however many rows it audits). */
    bool idem_pending;
    bool idem_created;
    char *idem_response;
    char idem_entity[NT_HANDLE_MAX + 32];
    struct conn *next;
};

#define GROUP_MAX     256        /* writes in one transaction at most, so that none waits long for its fsync */
#define RESULTS       1024       /* the outcome of recent groups, by generation */
#define WAL_SOFT      (16 << 20) /* past this the writer restarts the WAL once what it holds is copied back */
#define WAL_HARD      (48 << 20) /* past this it restarts it whatever it costs: writers slow down, the disk does not fill */
#define WAL_BEHIND    (4 << 20)  /* what a restart past WAL_SOFT may still have to copy itself */
#define JOURNAL_LIMIT (64 << 20) /* the WAL file is truncated to this when it restarts */
#define DEFERRED_MAX  4096

/* A small write that need not wait for its own fsync: applied in the next group's transaction. */
typedef struct deferred {
    enum { DEF_KEY_TOUCH, DEF_SESSION_TOUCH, DEF_CHECKPOINT, DEF_IDEM_ANSWER } kind;
    uint64_t applying;       /* the group applying it (0: not yet) */
    char *a, *b, *c, *d, *e; /* by kind: id/at; note/at; scope/key/headers/at/body */
    int64_t n;               /* checkpoint size, idem status */
    size_t len;              /* idem body length */
    struct deferred *next;
} deferred;

/* The writer: every write of this process runs on one connection, one at a time, inside a group
 * transaction that commits (one fsync) when no other write is waiting to join it. Each write is a
 * savepoint: one that fails rolls back alone. A write returns when its group has committed. */
typedef struct writer {
    pthread_mutex_t mu;  /* held while a write runs its statements, and while its group commits */
    pthread_cond_t cv;   /* a group finished */
    _Atomic int waiting; /* writes waiting for mu */
    struct conn *c;
    bool configured; /* SQLite: c's WAL hook and limits set */
    bool open;       /* a group transaction is open */
    int members;     /* writes in it */
    uint64_t gen;    /* the open (or last) group */
    uint64_t done;   /* the last group finished */
    int results[RESULTS];
    int64_t wal_bytes;                /* after the last commit (the WAL hook) */
    _Atomic int64_t backfilled_bytes; /* of those, copied into the database by checkpoint() */
    _Atomic int64_t committed_seq;    /* no change row this process committed is above this */
    _Atomic int64_t committed_log;    /* nor a log entry at or above this index */
    pthread_mutex_t dmu;              /* the deferred list */
    deferred *def;
    int ndef;
} writer;

typedef struct sq_store {
    nt_store base;
    char *path;
    uint64_t gen;
    pthread_mutex_t lock;
    struct conn *conns;
    _Atomic bool background_checkpoints; /* connections opened from now on leave WAL checkpoints to checkpoint() */
    struct pg_conn *listener;            /* PostgreSQL: LISTENs for other servers' commits (wait_change) */
    bool no_listen;                      /* PostgreSQL refused LISTEN (a standby): followers poll */
    _Atomic int writer_pid;              /* PostgreSQL: the writer's server process, whose notifications are our own */
    int64_t lead_checked_us;             /* when the lead's connection was last seen alive */
    struct pg_bulk *bulk;                /* PostgreSQL: the bulk import under way (pg_bulk.c) */
    struct pg_conn *leader;              /* PostgreSQL: holds the lead's advisory lock (lead), once taken */
    pthread_mutex_t lead_mu;
    int lead_fd; /* SQLite: the lock file beside the database (flock), once taken; 0: not */
    writer w;
} sq_store;

#define CONN_OR_FAIL(c, base, err)                                                                                                 \
    struct conn *c = nt__sq_get_conn(base);                                                                                        \
    if (c == NULL)                                                                                                                 \
    return nt__sq_db_error(NULL, err)

/* A statement, or the error returned. Inside a write this returns from its statements to the
 * writer, which rolls the write back (wr_end); nothing returns past an open transaction. */
#define STMT_OR_FAIL(st, c, sql, err)                                                                                              \
    db_stmt *st = nt__sq_stmt(c, sql);                                                                                             \
    if (st == NULL)                                                                                                                \
    return nt__sq_db_error(c, err)

/* ---- connections and statements (sqlite.c) ---- */

/** This thread's connection (for reads, and the bulk import's own transaction), or NULL. */
struct conn *nt__sq_get_conn(nt_store *base);
/** A prepared statement for a constant SQL string (cached by its address), reset; NULL on error. */
db_stmt *nt__sq_stmt(struct conn *c, const char *sql);
/** The same for SQL built at run time (cached by its text); the caller resets it after use. */
db_stmt *nt__sq_dyn_stmt(struct conn *c, const char *sql);
/** sqlite3_step, where the tests' build can make it fail (NT_FAULTS). */
int nt__sq_step(db_stmt *st);
void nt__sq_bind_text(db_stmt *st, int i, const char *v);
void nt__sq_bind_int_or_null(db_stmt *st, int i, int64_t v, int64_t null_value);
int nt__sq_db_error(struct conn *c, nt_err *err);
/** The current row as an object, column names as keys (see the JSON columns in sqlite.c). */
json_t *nt__sq_row_json(db_stmt *st);
int nt__sq_query_one(struct conn *c, db_stmt *st, json_t **out);
int nt__sq_query_all(struct conn *c, db_stmt *st, json_t **out);
/** The error of a step that failed with rc (ext: its extended code, read before the reset):
 * NT_ECONFLICT for a unique-key clash, else a database error. */
int nt__sq_step_error(struct conn *c, int rc, int ext, nt_err *err);
/** Runs a statement that returns no row; NT_ECONFLICT on a unique-key clash. */
int nt__sq_exec_step(struct conn *c, db_stmt *st, nt_err *err);
/** The same, for a statement whose clash the caller then reads about in the same transaction. */
int nt__sq_exec_step_alone(struct conn *c, db_stmt *st, nt_err *err);
/** The first column of the first row of sql with up to two text parameters ("" when none). */
void nt__sq_first_text(struct conn *c, const char *sql, const char *p1, const char *p2, char *out, size_t cap);
int nt__sq_tx(struct conn *c, const char *sql, nt_err *err);
/** A transaction on this thread's own connection: migrations and the bulk import only. */
int nt__sq_tx_begin(struct conn *c, nt_err *err);
int nt__sq_tx_end(struct conn *c, int rc, nt_err *err);

/* ---- the writer (sqlite.c) ---- */

/** Takes the writer for one write (w: whose; NULL for the writer's own bookkeeping), its statements
 * to run on *out; always paired with nt__sq_wr_end. */
int nt__sq_wr_begin(nt_store *base, const nt_wctx *w, struct conn **out, nt_err *err);
/** Ends the write begun: its idempotency record, RELEASE or ROLLBACK TO, its group's commit. */
int nt__sq_wr_end(nt_store *base, const nt_wctx *w, int rc, nt_err *err);
/** An audit row alone. */
int nt__sq_audit(struct conn *c, const nt_wctx *w, const char *action, const char *entity, const char *id, nt_err *err);
/** The bookkeeping of a write's row: its audit row, its change row, its idempotency record noted. */
int nt__sq_record(struct conn *c, const nt_wctx *w, const char *action, const char *entity, const char *id, const char *op,
                  nt_err *err);
/** A change row alone: a write to one entity that changes how another reads. */
int nt__sq_also_changed(struct conn *c, const nt_wctx *w, const char *entity, const char *id, const char *op, nt_err *err);
/** Hands over d (allocated, owned from now on), to be written with the next group. */
int nt__sq_deferred_add(sq_store *s, deferred *d);
/** Writes what is deferred now, in a group of its own. */
void nt__sq_deferred_flush(sq_store *s);

/* ---- the log's rows (sqlite_log.c) ---- */

/** Appends the entry of one logged write, inside the writer's transaction (see sqlite_log.c). */
int nt__sq_log_append(struct conn *c, const nt_wctx *w, int type, const char *table, const char *key, const char *record,
                      const char *record_id, nt_err *err);
/** The canonical record a row is logged with (malloc'd), or NT_ENOTFOUND. */
int nt__sq_live_record(struct conn *c, const char *table, const char *key, char **out);

/* ---- named reads ---- */

typedef struct nt__sq_named {
    nt_query q;
    const char *sql;
} nt__sq_named;

/* Each concern's named reads, each list ending with {NT_QUERY_COUNT, NULL}. */
extern const nt__sq_named nt__sq_queries_registry[], nt__sq_queries_cases[], nt__sq_queries_ads[], nt__sq_queries_log[],
    nt__sq_queries_outbox[], nt__sq_queries_trust[], nt__sq_queries_notices[], nt__sq_queries_users[];

/* The named reads PostgreSQL spells differently (few, each beside its SQLite form). */
extern const nt__sq_named nt__sq_queries_pg[];

/** The statement of a named read, or NULL when the backend has none. */
const char *nt__sq_query_sql(nt_query q);
/** The statement of a named read as the engine spells it. */
const char *nt__sq_query_sql_for(db_engine e, nt_query q);

/** Binds a JSON value (string, integer, boolean, null; objects and arrays as JSON text). */
int nt__sq_bind_json(db_stmt *st, int i, const json_t *v);

extern const char nt__sq_account_owner[]; /* a handle's person: "SELECT person_id FROM accounts WHERE …" */

/* ---- PostgreSQL's bulk import (pg_bulk.c), called by the bulk operations on that engine ---- */
/* Rows in COPY's text format. */
typedef struct nt__copybuf {
    char *p;
    size_t n, cap;
} nt__copybuf;
void nt__copy_put(nt__copybuf *b, const char *s, size_t n);
/** A field (NULL as \N, the rest escaped), then a tab or, last in its row, a newline. */
void nt__copy_field(nt__copybuf *b, const char *v, bool last);
int nt__pg_bulk_begin(sq_store *s, struct conn *c, nt_err *err);
int nt__pg_bulk_person(sq_store *s, struct conn *c, const nt_wctx *w, const nt_person *p, nt_err *err);
int nt__pg_bulk_account(sq_store *s, struct conn *c, const nt_wctx *w, const nt_account *a, nt_err *err);
int nt__pg_bulk_end(sq_store *s, struct conn *c, const nt_wctx *w, const char *summary, bool commit, nt_err *err);

/* ---- the operations, by file ---- */
int nt__sq_org_put(nt_store *base, const nt_wctx *w, const nt_org *o, nt_err *err);
int nt__sq_org_get(nt_store *base, const char *id, json_t **out);
int nt__sq_org_list(nt_store *base, const char *after, int limit, json_t **out);
int nt__sq_key_put(nt_store *base, const nt_wctx *w, const nt_key *k, nt_err *err);
int nt__sq_key_get(nt_store *base, const char *id, json_t **out);
int nt__sq_key_list(nt_store *base, const char *after, int limit, json_t **out);
int nt__sq_key_touch(nt_store *base, const char *id, const char *at);
int nt__sq_session_touch(nt_store *base, const char *id, const char *at);
int nt__sq_key_revoke(nt_store *base, const nt_wctx *w, const char *id, nt_err *err);
int nt__sq_person_put(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err);
int nt__sq_person_update(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err);
int nt__sq_person_get(nt_store *base, const char *id, json_t **out);
int nt__sq_person_by_nid(nt_store *base, const char *nid_hash, char id[NT_ID_LEN]);
int nt__sq_person_search(nt_store *base, char *const *tokens, int ntokens, const char *after, int limit, json_t **out);
int nt__sq_bulk_begin(nt_store *base, nt_err *err);
int nt__sq_bulk_person(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err);
int nt__sq_bulk_account(nt_store *base, const nt_wctx *w, const nt_account *a, nt_err *err);
int nt__sq_bulk_end(nt_store *base, const nt_wctx *w, const char *summary, bool commit, nt_err *err);
int nt__sq_account_put(nt_store *base, const nt_wctx *w, const nt_account *a, bool attest, bool *updated, nt_err *err);
int nt__sq_account_get(nt_store *base, const char *platform, const char *handle, json_t **out);
int nt__sq_account_delete(nt_store *base, const nt_wctx *w, const char *platform, const char *handle, nt_err *err);
int nt__sq_account_list(nt_store *base, const char *person_id, json_t **out);
int nt__sq_log_each(nt_store *base, int64_t from, int (*fn)(void *arg, int64_t idx, const unsigned char *entry, size_t len),
                    void *arg);
int nt__sq_log_records_each(nt_store *base, int64_t from,
                            int (*fn)(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                                      const char *record),
                            void *arg);
int nt__sq_log_latest_each(nt_store *base,
                           int (*fn)(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                                     const unsigned char *entry, size_t len),
                           void *arg);
int nt__sq_log_append_items(nt_store *base, const nt_wctx *w, const nt_log_item *items, size_t n, nt_err *err);
int nt__sq_log_live_record(nt_store *base, const char *table, const char *key, char **out);
int nt__sq_log_checkpoint_put(nt_store *base, int64_t size, const char *note, const char *at, nt_err *err);
int nt__sq_log_checkpoint_latest(nt_store *base, int64_t *size, char **note);
int nt__sq_log_redact(nt_store *base, const nt_wctx *w, const char *redaction_id, const char *record_id, const char *legal_basis,
                      const char *reason, nt_err *err);
int nt__sq_write(nt_store *base, const nt_wctx *w, nt_write *const *rows, size_t n, nt_err *err);
int nt__sq_query(nt_store *base, nt_query q, const json_t *params, json_t **out);
int nt__sq_query_each(nt_store *base, nt_query q, const json_t *params, void (*fn)(void *arg, const json_t *row), void *arg);

#endif
