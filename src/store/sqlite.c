/* SQLite backend: WAL, synchronous=FULL, one connection per thread.
 *
 * Each thread that touches the store gets its own connection with a cache of
 * prepared statements (keyed by the SQL string's address, since every
 * statement is a constant here). Readers never wait on the writer in WAL
 * mode; writers take BEGIN IMMEDIATE and SQLite's busy timeout serialises
 * them. All connections are listed so close() can finalise them. */
#include "core/alloc.h"
#include "core/embed.h"
#include "log/entry.h"
#include "log/jcs.h"
#include "store/store.h"
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DYN_CACHE 32

struct conn {
    sqlite3 *db;
    uint64_t gen;
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } * cache; /* every constant statement this connection prepared: a fixed set, so it only grows to it */
    int ncache, cache_cap;
    struct {
        char *sql; /* built at run time (the generic writes): keyed by content */
        sqlite3_stmt *st;
    } dyn[DYN_CACHE];
    int ndyn, next_dyn;
    int64_t log_next; /* within a transaction: the next log index, once read (-1: not yet) */
    int64_t seq_max;  /* the highest change sequence this connection inserted (rolled back or not) */
    /* Within a transaction: what its idempotency record will hold, taken from the first audited row
     * (one record per write, however many rows it audits). */
    bool idem_pending;
    int idem_status;
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
    enum { DEF_KEY_TOUCH, DEF_CHECKPOINT, DEF_IDEM_ANSWER } kind;
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
    bool open;     /* a group transaction is open */
    int members;   /* writes in it */
    uint64_t gen;  /* the open (or last) group */
    uint64_t done; /* the last group finished */
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
    writer w;
} sq_store;

static _Atomic uint64_t next_gen = 1;
static _Thread_local struct conn *tl_conn;

/* ---- fault injection (builds with NT_FAULTS only: the tests' builds, never a release) ----
 * A write can be made to fail at its Nth SQLite step, or at SQLite's Nth allocation within it, to
 * show that every failure along a write leaves nothing behind (tests/api/test_faults.py). The
 * test writes "step N" or "alloc N" to the file NIEMTIN_FAULT_FILE names; the next write takes it
 * (and empties the file). The program's own allocations abort by policy (core/alloc.h), so
 * SQLite's allocator is the one whose failures are injected. */
#ifdef NT_FAULTS
static _Thread_local long fault_steps, fault_allocs; /* > 0: the Nth from now fails */
static void *(*sqlite_malloc)(int);
static void *(*sqlite_realloc)(void *, int);

static void *faulty_malloc(int n)
{
    if (fault_allocs > 0 && --fault_allocs == 0)
        return NULL;
    return sqlite_malloc(n);
}

static void *faulty_realloc(void *p, int n)
{
    if (fault_allocs > 0 && --fault_allocs == 0)
        return NULL;
    return sqlite_realloc(p, n);
}

/* Before SQLite's first use: its allocator wrapped. */
static void faults_init(void)
{
    static sqlite3_mem_methods m;
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &m) != SQLITE_OK)
        return;
    sqlite_malloc = m.xMalloc;
    sqlite_realloc = m.xRealloc;
    m.xMalloc = faulty_malloc;
    m.xRealloc = faulty_realloc;
    sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
}

/* At a write's start: the fault the test asked for, if any, for this write only. */
static void faults_arm(void)
{
    const char *path = getenv("NIEMTIN_FAULT_FILE");
    FILE *f = path ? fopen(path, "r+") : NULL;
    if (f == NULL)
        return;
    char kind[16] = "";
    long n = 0;
    if (fscanf(f, "%15s %ld", kind, &n) == 2 && n > 0) {
        if (strcmp(kind, "step") == 0)
            fault_steps = n;
        else if (strcmp(kind, "alloc") == 0)
            fault_allocs = n;
        if (ftruncate(fileno(f), 0) != 0)
            fault_steps = fault_allocs = 0;
    }
    fclose(f);
}

static void faults_disarm(void)
{
    fault_steps = fault_allocs = 0;
}

static int step(sqlite3_stmt *st)
{
    if (fault_steps > 0 && --fault_steps == 0)
        return SQLITE_IOERR;
    return sqlite3_step(st);
}
#else
static void faults_init(void) {}
static void faults_arm(void) {}
static void faults_disarm(void) {}
static int step(sqlite3_stmt *st)
{
    return sqlite3_step(st);
}
#endif

static int open_db(const char *path, bool create, sqlite3 **out, nt_err *err)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        nt_err_set(err, NT_EIO, "cannot open database %s: %s", "không mở được cơ sở dữ liệu %s: %s", path,
                   db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NT_EIO;
    }
    sqlite3_busy_timeout(db, 10000);
    char *msg = NULL;
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                     "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        nt_err_set(err, NT_EIO, "cannot configure database: %s", "không cấu hình được cơ sở dữ liệu: %s", msg);
        sqlite3_free(msg);
        sqlite3_close(db);
        return NT_EIO;
    }
    *out = db;
    return 0;
}

/* A new connection, listed so that close() finalises it. */
static struct conn *new_conn(sq_store *s)
{
    struct conn *c = nt_xcalloc(1, sizeof(*c));
    if (open_db(s->path, false, &c->db, NULL) != 0) {
        free(c);
        return NULL;
    }
    c->gen = s->gen;
    if (atomic_load(&s->background_checkpoints))
        sqlite3_wal_autocheckpoint(c->db, 0);
    pthread_mutex_lock(&s->lock);
    c->next = s->conns;
    s->conns = c;
    pthread_mutex_unlock(&s->lock);
    return c;
}

/* This thread's connection, for reads (and for the bulk import's own transaction). */
static struct conn *get_conn(nt_store *base)
{
    sq_store *s = (sq_store *)base;
    if (tl_conn != NULL && tl_conn->gen == s->gen)
        return tl_conn;
    struct conn *c = new_conn(s);
    if (c != NULL)
        tl_conn = c;
    return c;
}

/* A prepared statement for a constant SQL string, reset and ready to bind. */
static sqlite3_stmt *stmt(struct conn *c, const char *sql)
{
    for (int i = 0; i < c->ncache; i++) {
        if (c->cache[i].sql == sql) {
            sqlite3_reset(c->cache[i].st);
            sqlite3_clear_bindings(c->cache[i].st);
            return c->cache[i].st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "niemtin: prepare failed: %s\n%s\n", sqlite3_errmsg(c->db), sql);
        return NULL;
    }
    if (c->ncache == c->cache_cap) {
        c->cache_cap = c->cache_cap ? c->cache_cap * 2 : 64;
        c->cache = nt_xrealloc(c->cache, (size_t)c->cache_cap * sizeof(*c->cache));
    }
    c->cache[c->ncache].sql = sql;
    c->cache[c->ncache].st = st;
    c->ncache++;
    return st;
}

/* A prepared statement for SQL built at run time: cached by its text (a few dozen shapes of the
 * generic writes), the oldest evicted. The caller resets it after use. */
static sqlite3_stmt *dyn_stmt(struct conn *c, const char *sql)
{
    for (int i = 0; i < c->ndyn; i++)
        if (strcmp(c->dyn[i].sql, sql) == 0) {
            sqlite3_reset(c->dyn[i].st);
            sqlite3_clear_bindings(c->dyn[i].st);
            return c->dyn[i].st;
        }
    sqlite3_stmt *st = NULL;
    char *copy = nt_xstrdup(sql);
    if (copy == NULL || sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        free(copy);
        return NULL;
    }
    int slot = c->ndyn < DYN_CACHE ? c->ndyn++ : c->next_dyn++ % DYN_CACHE;
    if (c->dyn[slot].st != NULL) {
        sqlite3_finalize(c->dyn[slot].st);
        free(c->dyn[slot].sql);
    }
    c->dyn[slot].sql = copy;
    c->dyn[slot].st = st;
    return st;
}

#define CONN_OR_FAIL(c, base, err)                                                                                                 \
    struct conn *c = get_conn(base);                                                                                               \
    if (c == NULL)                                                                                                                 \
    return db_error(NULL, err)

/* A statement, or the error returned. Inside a write this returns from its statements to the
 * writer, which rolls the write back (wr_end); nothing returns past an open transaction. */
#define STMT_OR_FAIL(st, c, sql, err)                                                                                              \
    sqlite3_stmt *st = stmt(c, sql);                                                                                               \
    if (st == NULL)                                                                                                                \
    return db_error(c, err)

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v == NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static void bind_int_or_null(sqlite3_stmt *st, int i, int64_t v, int64_t null_value)
{
    if (v == null_value)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, v);
}

static int db_error(struct conn *c, nt_err *err)
{
    return nt_err_set(err, NT_EIO, "database error: %s", "lỗi cơ sở dữ liệu: %s", c ? sqlite3_errmsg(c->db) : "no connection");
}

/* Builds an object from the current row: column names as keys; the "aliases" column holds JSON. */
static json_t *row_json(sqlite3_stmt *st)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        json_t *v;
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            /* SQLite has no boolean type: has_* columns are flags. */
            if (strncmp(name, "has_", 4) == 0)
                v = json_boolean(sqlite3_column_int64(st, i));
            else
                v = json_integer(sqlite3_column_int64(st, i));
            break;
        case SQLITE_NULL:
            v = json_null();
            break;
        default: {
            const char *t = (const char *)sqlite3_column_text(st, i);
            if (strcmp(name, "aliases") == 0 || strcmp(name, "evidence") == 0 || strcmp(name, "platforms") == 0 ||
                strcmp(name, "body") == 0 || strcmp(name, "events") == 0 || strcmp(name, "payload") == 0 ||
                strcmp(name, "handles") == 0) {
                v = json_loads(t, 0, NULL);
                if (v == NULL)
                    v = json_array();
            } else {
                v = json_string(t);
            }
        }
        }
        json_object_set_new(o, name, v);
    }
    return o;
}

static int query_one(struct conn *c, sqlite3_stmt *st, json_t **out)
{
    int rc = step(st);
    if (rc == SQLITE_ROW) {
        *out = row_json(st);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? NT_ENOTFOUND : db_error(c, NULL);
}

static int query_all(struct conn *c, sqlite3_stmt *st, json_t **out)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = step(st)) == SQLITE_ROW)
        json_array_append_new(arr, row_json(st));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return db_error(c, NULL);
    }
    *out = arr;
    return 0;
}

/* Runs a statement that returns no row. A clash with a unique key is the client's conflict
 * (NT_ECONFLICT); any other failed constraint (a foreign key, a check), which the services'
 * validation should have prevented or which SQLite reports when memory runs out mid-statement,
 * is the server's error, not a conflict to report to the client. */
static int exec_step(struct conn *c, sqlite3_stmt *st, nt_err *err)
{
    int rc = step(st);
    int ext = rc == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(c->db);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return nt_err_set(err, NT_ECONFLICT, "conflicts with an existing record", "trùng với một bản ghi đã có");
    return db_error(c, err);
}

static int tx(struct conn *c, const char *sql, nt_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        nt_err_set(err, NT_EIO, "%s failed: %s", "%s thất bại: %s", sql, msg ? msg : "?");
        sqlite3_free(msg);
        return NT_EIO;
    }
    return 0;
}

static void idem_reset(struct conn *c)
{
    c->idem_pending = false;
    c->idem_status = 0;
    free(c->idem_response);
    c->idem_response = NULL;
    c->idem_entity[0] = '\0';
}

/* A transaction on this thread's own connection: migrations and the bulk import only; every
 * other write goes through the writer (wr_begin … wr_end). */
static int tx_begin(struct conn *c, nt_err *err)
{
    c->log_next = -1;
    idem_reset(c);
    return tx(c, "BEGIN IMMEDIATE", err);
}

static int tx_end(struct conn *c, int rc, nt_err *err)
{
    if (rc == 0)
        rc = tx(c, "COMMIT", err);
    if (rc != 0 && !sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int idem_put(struct conn *c, const nt_wctx *w, nt_err *err);
static void deferred_apply(sq_store *s, struct conn *c, uint64_t gen);
static void deferred_done(sq_store *s, uint64_t gen, bool committed);

static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)db;
    (void)name;
    writer *g = arg;
    g->wal_bytes = (int64_t)frames * 4096; /* the page size niemtin's databases use */
    return SQLITE_OK;
}

/* Takes the writer for one write: joins the open group transaction or opens one, and starts the
 * write's savepoint. Always paired with wr_end, whatever it returns. */
static int wr_begin(nt_store *base, struct conn **out, nt_err *err)
{
    sq_store *s = (sq_store *)base;
    writer *g = &s->w;
    atomic_fetch_add(&g->waiting, 1);
    pthread_mutex_lock(&g->mu);
    atomic_fetch_sub(&g->waiting, 1);
    *out = NULL;
    if (g->c == NULL && (g->c = new_conn(s)) != NULL) {
        char sql[64];
        snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit=%d", JOURNAL_LIMIT);
        sqlite3_exec(g->c->db, sql, NULL, NULL, NULL);
        sqlite3_wal_hook(g->c->db, wal_hook, g); /* replaces SQLite's own checkpointing: see wr_commit */
#ifdef NT_FAULTS
        /* Small allocations from the heap too, where an injected failure can reach them. */
        sqlite3_db_config(g->c->db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 0, 0);
#endif
    }
    struct conn *c = g->c;
    if (c == NULL)
        return db_error(NULL, err);
    if (!g->open) {
        c->log_next = -1;
        int rc = tx(c, "BEGIN IMMEDIATE", err);
        if (rc != 0)
            return rc;
        g->open = true;
        g->members = 0;
        g->gen++;
        deferred_apply(s, c, g->gen);
    }
    g->members++;
    idem_reset(c);
    int rc = tx(c, "SAVEPOINT w", err);
    if (rc == 0)
        *out = c;
    faults_arm();
    return rc;
}

/* Ends the open group: COMMIT (one fsync for all its writes), or, if that fails, ROLLBACK; its
 * outcome is kept for each member. Then the WAL is kept small: restarted from its beginning when
 * it has grown past WAL_SOFT and checkpoint() has copied nearly all of it back, or past WAL_HARD
 * whatever is left (the writers wait for it, so a sustained write rate cannot fill the disk).
 * With mu held. */
static void wr_commit(sq_store *s)
{
    writer *g = &s->w;
    struct conn *c = g->c;
    int rc = tx(c, "COMMIT", NULL);
    if (rc != 0 && !sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    g->open = false;
    g->results[g->gen % RESULTS] = rc;
    g->done = g->gen;
    if (rc == 0) { /* what catch-ups after these writes need to reach (an upper bound) */
        if (c->seq_max > atomic_load(&g->committed_seq))
            atomic_store(&g->committed_seq, c->seq_max);
        if (c->log_next > atomic_load(&g->committed_log))
            atomic_store(&g->committed_log, c->log_next);
    }
    deferred_done(s, g->gen, rc == 0);
    pthread_cond_broadcast(&g->cv);
    /* The copying is checkpoint()'s, in the background, concurrent with writes; the writer only
     * restarts the WAL, holding up writes for the little left to copy (and the database's fsync). */
    bool background = atomic_load(&s->background_checkpoints);
    int64_t behind = g->wal_bytes - atomic_load(&g->backfilled_bytes);
    if (g->wal_bytes > WAL_HARD || (g->wal_bytes > WAL_SOFT && (!background || behind < WAL_BEHIND))) {
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
        g->wal_bytes = 0;
        atomic_store(&g->backfilled_bytes, 0);
    } else if (!background && g->wal_bytes > 1000 * 4096) { /* what SQLite's own automatic checkpoint does */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
}

/* Ends a write: its idempotency record (if it carries a key), then RELEASE, or ROLLBACK TO its
 * savepoint when it failed. The last write to join a group commits it; the others wait for that.
 * Returns the write's result, or an error if its group could not commit. */
static int wr_end(nt_store *base, const nt_wctx *w, int rc, nt_err *err)
{
    sq_store *s = (sq_store *)base;
    writer *g = &s->w;
    struct conn *c = g->c;
    if (c == NULL || !g->open) { /* no connection, or BEGIN failed: nothing to end */
        faults_disarm();
        pthread_mutex_unlock(&g->mu);
        return rc;
    }
    bool idem = false;
    if (rc == 0 && w != NULL && c->idem_pending) {
        rc = idem_put(c, w, err);
        idem = rc == 0;
    }
    faults_disarm(); /* what follows must not fail by injection: it is what undoes a failure */
    if (rc == 0)
        rc = tx(c, "RELEASE w", err);
    if (rc != 0 && !sqlite3_get_autocommit(c->db)) {
        sqlite3_exec(c->db, "ROLLBACK TO w; RELEASE w", NULL, NULL, NULL);
        if (c->log_next > atomic_load(&g->committed_log)) /* still an upper bound */
            atomic_store(&g->committed_log, c->log_next);
        c->log_next = -1; /* the indexes it took are free again */
    }
    idem_reset(c);
    uint64_t mine = g->gen;
    if (sqlite3_get_autocommit(c->db)) {
        /* An error (a full disk, an I/O error) rolled the whole transaction back: every write in
         * it is lost, and told so. */
        g->open = false;
        g->results[mine % RESULTS] = NT_EIO;
        g->done = mine;
        deferred_done(s, mine, false);
        pthread_cond_broadcast(&g->cv);
    } else if (atomic_load(&g->waiting) == 0 || g->members >= GROUP_MAX) {
        wr_commit(s);
    } else {
        while (g->done < mine)
            pthread_cond_wait(&g->cv, &g->mu);
    }
    int grc = g->results[mine % RESULTS];
    pthread_mutex_unlock(&g->mu);
    if (rc == 0 && grc != 0)
        rc = nt_err_set(err, NT_EIO, "the write could not be committed", "không ghi được vào cơ sở dữ liệu");
    if (rc == 0 && idem && w->logged != NULL)
        w->logged->idem_recorded = true;
    return rc;
}

static const char SQL_AUDIT[] = "INSERT INTO audit (at, key_id, request_id, action, entity, entity_id) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_CHANGE[] = "INSERT INTO changes (entity, entity_id, op, at) VALUES (?, ?, ?, ?)";
static const char SQL_IDEM_PUT[] =
    "INSERT INTO idempotency (scope, idem_key, request_hash, status, response, entity_id, log_first, log_count, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* The first row a write changes names what its idempotency record will hold (one record per write,
 * however many rows it changes; none for a write that carries no key or has recorded it already). */
static void idem_note(struct conn *c, const nt_wctx *w, const char *id)
{
    if (w->idem_key == NULL || c->idem_pending || (w->logged != NULL && w->logged->idem_recorded))
        return;
    c->idem_pending = true;
    c->idem_status = w->idem_status;
    c->idem_response = w->idem_response != NULL ? nt_xstrdup(w->idem_response) : NULL;
    nt_strlcpy(c->idem_entity, id != NULL ? id : "", sizeof(c->idem_entity));
}

/* The bookkeeping every write carries, inside its transaction. */
static int record(struct conn *c, const nt_wctx *w, const char *action, const char *entity, const char *id, const char *op,
                  nt_err *err)
{
    sqlite3_stmt *st = stmt(c, SQL_AUDIT);
    if (st == NULL)
        return db_error(c, err);
    bind_text(st, 1, w->at);
    bind_text(st, 2, w->key_id);
    bind_text(st, 3, w->request_id);
    bind_text(st, 4, action);
    bind_text(st, 5, entity);
    bind_text(st, 6, id);
    int rc = exec_step(c, st, err);
    if (rc != 0)
        return rc;
    st = stmt(c, SQL_CHANGE);
    if (st == NULL)
        return db_error(c, err);
    bind_text(st, 1, entity);
    bind_text(st, 2, id);
    bind_text(st, 3, op);
    bind_text(st, 4, w->at);
    if ((rc = exec_step(c, st, err)) != 0)
        return rc;
    c->seq_max = sqlite3_last_insert_rowid(c->db);
    idem_note(c, w, id);
    return 0;
}

static int idem_put(struct conn *c, const nt_wctx *w, nt_err *err)
{
    STMT_OR_FAIL(st, c, SQL_IDEM_PUT, err);
    bind_text(st, 1, w->idem_scope);
    bind_text(st, 2, w->idem_key);
    bind_text(st, 3, w->idem_hash);
    sqlite3_bind_int(st, 4, c->idem_status);
    bind_text(st, 5, c->idem_response);
    bind_text(st, 6, c->idem_entity[0] ? c->idem_entity : NULL);
    if (w->logged != NULL && w->logged->count > 0) {
        sqlite3_bind_int64(st, 7, w->logged->first);
        sqlite3_bind_int(st, 8, w->logged->count);
    } else {
        sqlite3_bind_null(st, 7);
        sqlite3_bind_int(st, 8, 0);
    }
    bind_text(st, 9, w->at);
    int rc = exec_step(c, st, err);
    if (rc == NT_ECONFLICT) /* another server's request with the same key committed first */
        return nt_err_set(err, NT_EBUSY, "a request with this Idempotency-Key is already being processed",
                          "một yêu cầu với Idempotency-Key này đang được xử lý");
    return rc;
}

/* A change row alone: a write to one entity that changes how another reads (an account and its person). */
static int also_changed(struct conn *c, const nt_wctx *w, const char *entity, const char *id, const char *op, nt_err *err)
{
    STMT_OR_FAIL(st, c, SQL_CHANGE, err);
    bind_text(st, 1, entity);
    bind_text(st, 2, id);
    bind_text(st, 3, op);
    bind_text(st, 4, w->at);
    int rc = exec_step(c, st, err);
    if (rc == 0) {
        c->seq_max = sqlite3_last_insert_rowid(c->db);
        idem_note(c, w, id);
    }
    return rc;
}

/* The first column of the first row of a statement with up to two text parameters, into out
 * ("" when there is no row). */
static void first_text(struct conn *c, const char *sql, const char *p1, const char *p2, char *out, size_t cap)
{
    out[0] = '\0';
    sqlite3_stmt *q = stmt(c, sql);
    if (q == NULL)
        return;
    bind_text(q, 1, p1);
    if (p2 != NULL)
        bind_text(q, 2, p2);
    if (step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
        nt_strlcpy(out, (const char *)sqlite3_column_text(q, 0), cap);
    sqlite3_reset(q);
}

/* ---- the transparency log: appending, in the writer's transaction ---- */

static const char SQL_LOG_NEXT[] = "SELECT coalesce(max(idx) + 1, 0) FROM log_entries";
static const char SQL_LOG_ENTRY_PUT[] = "INSERT INTO log_entries (idx, type, record_id, at, entry) VALUES (?, ?, ?, ?, ?)";
static const char SQL_LOG_RECORD_PUT[] =
    "INSERT INTO log_records (idx, record_table, record_key, salt, record) VALUES (?, ?, ?, ?, ?)";
static const char SQL_LOG_PREV_ID[] = "SELECT e.record_id FROM log_records r JOIN log_entries e ON e.idx = r.idx "
                                      "WHERE r.record_table = ? AND r.record_key = ? ORDER BY r.idx DESC LIMIT 1";
static const char SQL_ACCOUNT_RECORD[] =
    "SELECT platform, handle, person_id, verified_by, verified_at FROM accounts WHERE platform = ? AND handle = ?";

/* A row as RFC 8785 JSON, straight from the statement: its columns as members in canonical order,
 * text as strings (JSON columns too, as stored), integers as numbers, NULL as null. NULL for a real
 * or a blob, which logged tables do not hold. */
static char *row_jcs(sqlite3_stmt *st, int cache[65])
{
    int n = sqlite3_column_count(st);
    const char *names[64];
    if (n > 64)
        return NULL;
    for (int i = 0; i < n; i++)
        names[i] = sqlite3_column_name(st, i);
    int *order = cache + 1;
    if (cache[0] != n) {              /* the members' order, once per statement shape */
        for (int i = 0; i < n; i++) { /* insertion sort of a handful of names */
            int j = i;
            while (j > 0 && nt_jcs_name_cmp(&names[order[j - 1]], &names[i]) > 0) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        cache[0] = n;
    }
    nt_jbuf b;
    nt_jb_init(&b, 512);
    nt_jb_raw(&b, "{", 1);
    for (int k = 0; k < n; k++) {
        int i = order[k];
        if (k)
            nt_jb_raw(&b, ",", 1);
        nt_jcs_string(&b, names[i], strlen(names[i]));
        nt_jb_raw(&b, ":", 1);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            nt_jb_int(&b, sqlite3_column_int64(st, i));
            break;
        case SQLITE_NULL:
            nt_jb_raw(&b, "null", 4);
            break;
        case SQLITE_TEXT:
            nt_jcs_string(&b, (const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
            break;
        default:
            nt_jb_free(&b);
            return NULL;
        }
    }
    nt_jb_raw(&b, "}", 1);
    size_t len;
    return nt_jb_take(&b, &len);
}

/* The canonical record a row is logged with (malloc'd into *out): the row as stored, every column;
 * for an account its link and attestation only (the rest of an account row changes unlogged).
 * NT_ENOTFOUND when the row is gone. */
static int live_record(struct conn *c, const char *table, const char *key, char **out)
{
    static const char *const tables[] = {"decisions", "sanctions", "appeals", "redactions", "advertisers", "products", "ads"};
    static const char *const sql[] = {"SELECT * FROM decisions WHERE id = ?",   "SELECT * FROM sanctions WHERE id = ?",
                                      "SELECT * FROM appeals WHERE id = ?",     "SELECT * FROM redactions WHERE id = ?",
                                      "SELECT * FROM advertisers WHERE id = ?", "SELECT * FROM products WHERE id = ?",
                                      "SELECT * FROM ads WHERE id = ?"};
    static _Thread_local int orders[8][65]; /* per statement: its columns in canonical order */
    sqlite3_stmt *st = NULL;
    int which = 7;
    if (strcmp(table, "accounts") == 0) {
        const char *colon = strchr(key, ':');
        if (colon == NULL || (st = stmt(c, SQL_ACCOUNT_RECORD)) == NULL)
            return colon == NULL ? NT_ENOTFOUND : db_error(c, NULL);
        sqlite3_bind_text(st, 1, key, (int)(colon - key), SQLITE_TRANSIENT);
        bind_text(st, 2, colon + 1);
    }
    for (size_t i = 0; st == NULL && i < sizeof(tables) / sizeof(tables[0]); i++)
        if (strcmp(tables[i], table) == 0) {
            if ((st = stmt(c, sql[i])) == NULL)
                return db_error(c, NULL);
            bind_text(st, 1, key);
            which = (int)i;
        }
    if (st == NULL)
        return NT_EINVAL;
    int rc = step(st);
    *out = rc == SQLITE_ROW ? row_jcs(st, orders[which]) : NULL;
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return *out ? 0 : NT_EINVAL;
    return rc == SQLITE_DONE ? NT_ENOTFOUND : db_error(c, NULL);
}

/* Appends the entry of one logged write. record: the canonical record to commit to, or NULL for
 * the row as it now stands; record_id: the entry's public id, or NULL for the row's (accounts keep the random
 * id their first entry got). */
static int log_append(struct conn *c, const nt_wctx *w, int type, const char *table, const char *key, const char *record,
                      const char *record_id, nt_err *err)
{
    char *canon = NULL;
    if (record != NULL)
        canon = nt_xstrdup(record);
    else if (live_record(c, table, key, &canon) != 0)
        return nt_err_set(err, NT_EIO, "cannot read %s %s to log it", "không đọc được %s %s để ghi nhật ký", table, key);
    if (canon == NULL)
        return nt_err_set(err, NT_ENOMEM, "out of memory", "hết bộ nhớ");
    /* The entry is made by the log module (log/entry.c); this backend stores it and its private
     * side, at the next index. */
    char rid[NT_LOG_ID_MAX + 1] = "", prev[NT_LOG_ID_MAX + 1] = "";
    if (record_id != NULL)
        nt_strlcpy(rid, record_id, sizeof(rid));
    else {
        if (strcmp(table, "accounts") == 0)
            first_text(c, SQL_LOG_PREV_ID, table, key, prev, sizeof(prev));
        nt_log_record_id(table, key, prev, rid);
    }
    int64_t us = 0;
    nt_time_parse(w->at, &us);
    nt_log_built e;
    int rc = nt_log_build(type, rid, us / 1000, canon, strlen(canon), &e) != 0
                 ? nt_err_set(err, NT_EINVAL, "record id %s cannot be logged", "không ghi nhật ký được mã %s", rid)
                 : 0;
    /* One writer (wr_begin): the index read once per transaction stays right. */
    int64_t idx = c->log_next;
    sqlite3_stmt *st = NULL;
    if (rc == 0 && idx < 0) {
        if ((st = stmt(c, SQL_LOG_NEXT)) != NULL && step(st) == SQLITE_ROW)
            idx = sqlite3_column_int64(st, 0);
        if (st != NULL)
            sqlite3_reset(st);
        if (idx < 0)
            rc = db_error(c, err);
    }
    if (rc == 0 && (st = stmt(c, SQL_LOG_ENTRY_PUT)) == NULL)
        rc = db_error(c, err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, idx);
        bind_text(st, 2, nt_log_type_name(type));
        bind_text(st, 3, rid);
        bind_text(st, 4, w->at);
        sqlite3_bind_blob(st, 5, e.bytes, e.len, SQLITE_STATIC);
        rc = exec_step(c, st, err);
    }
    if (rc == 0 && (st = stmt(c, SQL_LOG_RECORD_PUT)) == NULL)
        rc = db_error(c, err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, idx);
        bind_text(st, 2, table);
        bind_text(st, 3, key);
        sqlite3_bind_blob(st, 4, e.salt, sizeof(e.salt), SQLITE_STATIC);
        bind_text(st, 5, canon);
        rc = exec_step(c, st, err);
    }
    sodium_memzero(e.salt, sizeof(e.salt));
    free(canon);
    c->log_next = rc == 0 ? idx + 1 : -1;
    if (rc == 0 && w->logged != NULL) {
        if (w->logged->count == 0)
            w->logged->first = idx;
        w->logged->count++;
    }
    return rc;
}

/* ---- open, migrate, close ---- */

static const char SQL_MIGRATIONS[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";

static int sq_migrate(nt_store *base, nt_err *err)
{
    struct conn *c = get_conn(base);
    if (c == NULL)
        return db_error(NULL, err);
    int rc = tx(c, SQL_MIGRATIONS, err);
    if (rc != 0)
        return rc;
    /* Embedded files named NNN_*.sql, applied in order of NNN. */
    for (int want = 1;; want++) {
        const struct nt_embedded *m = NULL;
        for (const struct nt_embedded *e = nt_embedded_files; e->name != NULL; e++)
            if (atoi(e->name) == want && strstr(e->name, ".sql") != NULL)
                m = e;
        if (m == NULL)
            break;
        sqlite3_stmt *st = NULL;
        sqlite3_prepare_v2(c->db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &st, NULL);
        sqlite3_bind_int(st, 1, want);
        bool applied = step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        if (applied)
            continue;
        /* The placeholders are what the dialects spell differently (see 001_init.sql). */
        size_t cap = m->len * 2 + 1;
        char *sql = nt_xmalloc(cap);
        if (sql == NULL)
            return NT_ENOMEM;
        size_t o = 0;
        for (const char *p = m->data; *p;) {
            if (strncmp(p, "@SEQ@", 5) == 0) {
                o += (size_t)snprintf(sql + o, cap - o, "INTEGER PRIMARY KEY");
                p += 5;
            } else if (strncmp(p, "@CLUSTERED@", 11) == 0) {
                o += (size_t)snprintf(sql + o, cap - o, "WITHOUT ROWID");
                p += 11;
            } else if (strncmp(p, "@BYTES@", 7) == 0) {
                o += (size_t)snprintf(sql + o, cap - o, "BLOB");
                p += 7;
            } else {
                sql[o++] = *p++;
            }
        }
        sql[o] = '\0';
        char now[NT_TIME_LEN];
        nt_time_utc(nt_now_us(), now);
        if ((rc = tx_begin(c, err)) == 0) {
            rc = tx(c, sql, err);
            if (rc == 0) {
                sqlite3_prepare_v2(c->db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", -1, &st,
                                   NULL);
                sqlite3_bind_int(st, 1, want);
                sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
                rc = step(st) == SQLITE_DONE ? 0 : db_error(c, err);
                sqlite3_finalize(st);
            }
            rc = tx_end(c, rc, err);
        }
        free(sql);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void deferred_flush(sq_store *s);
static void deferred_free(deferred *d);

static void sq_close(nt_store *base)
{
    sq_store *s = (sq_store *)base;
    deferred_flush(s); /* a clean stop keeps what waited for a group */
    while (s->w.def != NULL) {
        deferred *d = s->w.def;
        s->w.def = d->next;
        deferred_free(d);
    }
    struct conn *c = s->conns;
    while (c != NULL) {
        struct conn *next = c->next;
        for (int i = 0; i < c->ncache; i++)
            sqlite3_finalize(c->cache[i].st);
        free(c->cache);
        free(c->idem_response);
        for (int i = 0; i < c->ndyn; i++) {
            sqlite3_finalize(c->dyn[i].st);
            free(c->dyn[i].sql);
        }
        if (next == NULL) /* the last one open folds the WAL back into the database */
            sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        sqlite3_close(c->db);
        if (tl_conn == c)
            tl_conn = NULL;
        free(c);
        c = next;
    }
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->w.mu);
    pthread_mutex_destroy(&s->w.dmu);
    pthread_cond_destroy(&s->w.cv);
    free(s->path);
    free(s);
}

static int sq_open(const char *dsn, bool create, nt_store **out, nt_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, faults_init);
    sqlite3 *db = NULL;
    int rc = open_db(dsn, create, &db, err);
    if (rc != 0)
        return rc;
    sqlite3_close(db);
    sq_store *s = nt_xcalloc(1, sizeof(*s));
    if (s == NULL)
        return NT_ENOMEM;
    s->base.ops = &nt_store_sqlite_ops;
    s->path = nt_xstrdup(dsn);
    s->gen = atomic_fetch_add(&next_gen, 1);
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->w.mu, NULL);
    pthread_mutex_init(&s->w.dmu, NULL);
    pthread_cond_init(&s->w.cv, NULL);
    if (s->path == NULL) {
        sq_close(&s->base);
        return NT_ENOMEM;
    }
    *out = &s->base;
    return 0;
}

static int sq_ping(nt_store *base)
{
    struct conn *c = get_conn(base);
    if (c == NULL)
        return NT_EIO;
    sqlite3_stmt *st = stmt(c, "SELECT 1");
    return st != NULL && step(st) == SQLITE_ROW ? (sqlite3_reset(st), 0) : NT_EIO;
}

/* ---- idempotency ---- */

static const char SQL_IDEM_GET[] = "SELECT request_hash, status, response, entity_id, log_first, log_count, answer_headers, "
                                   "answer FROM idempotency WHERE scope = ? AND idem_key = ?";
static int idem_read(nt_store *base, const char *scope, const char *key, nt_idem_record *out);
static const char SQL_IDEM_ANSWER[] = "UPDATE idempotency SET status = ?, answer_headers = ?, answer = ?, answered_at = ? "
                                      "WHERE scope = ? AND idem_key = ? AND answer IS NULL";

/* An answer still waiting for its group, copied into out (false if none). */
static bool deferred_answer(sq_store *s, const char *scope, const char *key, nt_idem_record *out)
{
    bool found = false;
    pthread_mutex_lock(&s->w.dmu);
    for (deferred *d = s->w.def; d != NULL && !found; d = d->next)
        if (d->kind == DEF_IDEM_ANSWER && strcmp(d->a, scope) == 0 && strcmp(d->b, key) == 0) {
            out->status = (int)d->n;
            out->headers = d->c ? nt_xstrdup(d->c) : NULL;
            out->answer = nt_xmalloc(d->len + 1);
            memcpy(out->answer, d->e, d->len + 1);
            out->answer_len = d->len;
            out->answered = found = true;
        }
    pthread_mutex_unlock(&s->w.dmu);
    return found;
}

static int sq_idem_get(nt_store *base, const char *scope, const char *key, nt_idem_record *out)
{
    /* The deferred list first: an answer leaves it only once its group committed, so one not
     * found there is in the database already, or not sent yet. */
    nt_idem_record pending = {0};
    bool have = deferred_answer((sq_store *)base, scope, key, &pending);
    int rc = idem_read(base, scope, key, out);
    if (rc == 0 && have && !out->answered) {
        free(out->headers);
        free(out->answer);
        out->status = pending.status;
        out->headers = pending.headers;
        out->answer = pending.answer;
        out->answer_len = pending.answer_len;
        out->answered = true;
    } else {
        nt_idem_record_free(&pending);
    }
    return rc;
}

static int idem_read(nt_store *base, const char *scope, const char *key, nt_idem_record *out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_IDEM_GET, NULL);
    bind_text(st, 1, scope);
    bind_text(st, 2, key);
    memset(out, 0, sizeof(*out));
    int rc = step(st);
    if (rc == SQLITE_ROW) {
        const char *t;
        nt_strlcpy(out->request_hash, (const char *)sqlite3_column_text(st, 0), sizeof(out->request_hash));
        out->status = sqlite3_column_int(st, 1);
        if ((t = (const char *)sqlite3_column_text(st, 2)) != NULL)
            out->response = nt_xstrdup(t);
        if ((t = (const char *)sqlite3_column_text(st, 3)) != NULL)
            nt_strlcpy(out->entity_id, t, sizeof(out->entity_id));
        out->logged.first = sqlite3_column_int64(st, 4);
        out->logged.count = sqlite3_column_int(st, 5);
        if ((t = (const char *)sqlite3_column_text(st, 6)) != NULL)
            out->headers = nt_xstrdup(t);
        if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
            out->answer_len = (size_t)sqlite3_column_bytes(st, 7);
            out->answer = nt_xmalloc(out->answer_len + 1);
            if (out->answer_len > 0)
                memcpy(out->answer, sqlite3_column_blob(st, 7), out->answer_len);
            out->answer[out->answer_len] = '\0';
            out->answered = true;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NT_ENOTFOUND : db_error(c, NULL);
}

static int deferred_add(sq_store *s, deferred *d);
static bool deferred_answer(sq_store *s, const char *scope, const char *key, nt_idem_record *out);

/* The answer's bytes are kept with the next group, not waiting for a disk of their own: the
 * record written with the write is durable already and rebuilds the answer should these bytes be
 * lost with the machine. Until then idem_get finds them in memory. */
static int sq_idem_answer(nt_store *base, const char *scope, const char *key, int status, const char *headers, const char *body,
                          size_t len, const char *at)
{
    nt_idem_record pending = {0};
    if (deferred_answer((sq_store *)base, scope, key, &pending)) { /* the first answer stays, as in the database */
        nt_idem_record_free(&pending);
        return 0;
    }
    deferred *d = nt_xcalloc(1, sizeof(*d));
    d->kind = DEF_IDEM_ANSWER;
    d->a = nt_xstrdup(scope);
    d->b = nt_xstrdup(key);
    d->c = headers ? nt_xstrdup(headers) : NULL;
    d->d = nt_xstrdup(at);
    d->e = nt_xmalloc(len + 1);
    memcpy(d->e, body ? body : "", len);
    d->e[len] = '\0';
    d->len = len;
    d->n = status;
    return deferred_add((sq_store *)base, d);
}

/* ---- organisations ---- */

static const char SQL_ORG_PUT[] =
    "INSERT INTO orgs (id, name, kind, platform, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ORG_GET[] = "SELECT id, name, kind, platform, status, created_at, updated_at FROM orgs WHERE id = ?";
static const char SQL_ORG_LIST[] =
    "SELECT id, name, kind, platform, status, created_at, updated_at FROM orgs WHERE id > ? ORDER BY id LIMIT ?";

static int org_rows(struct conn *c, const nt_wctx *w, const nt_org *o, nt_err *err)
{
    int rc;
    STMT_OR_FAIL(st, c, SQL_ORG_PUT, err);
    bind_text(st, 1, o->id);
    bind_text(st, 2, o->name);
    bind_text(st, 3, o->kind);
    bind_text(st, 4, o->platform);
    bind_text(st, 5, o->status);
    bind_text(st, 6, w->at);
    bind_text(st, 7, w->at);
    rc = exec_step(c, st, err);
    if (rc == NT_ECONFLICT)
        nt_strlcpy(err->conflict_id, o->id, sizeof(err->conflict_id));
    if (rc == 0)
        rc = record(c, w, "org.create", "org", o->id, "create", err);
    return rc;
}

static int sq_org_put(nt_store *base, const nt_wctx *w, const nt_org *o, nt_err *err)
{
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    if (rc == 0)
        rc = org_rows(c, w, o, err);
    return wr_end(base, w, rc, err);
}

static int sq_org_get(nt_store *base, const char *id, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_ORG_GET, NULL);
    bind_text(st, 1, id);
    return query_one(c, st, out);
}

static int sq_org_list(nt_store *base, const char *after, int limit, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_ORG_LIST, NULL);
    bind_text(st, 1, after ? after : "");
    sqlite3_bind_int(st, 2, limit);
    return query_all(c, st, out);
}

/* ---- API keys ---- */

static const char SQL_KEY_PUT[] =
    "INSERT INTO api_keys (id, secret_hash, role, org_id, person_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_KEY_GET[] = "SELECT id, secret_hash, role, org_id, person_id, label, created_at, last_used_at, revoked_at "
                                  "FROM api_keys WHERE id = ?";
static const char SQL_KEY_LIST[] = "SELECT id, role, org_id, person_id, label, created_at, last_used_at, revoked_at "
                                   "FROM api_keys WHERE id > ? ORDER BY id LIMIT ?";
static const char SQL_KEY_REVOKE[] = "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
static const char SQL_KEY_TOUCH[] = "UPDATE api_keys SET last_used_at = ? WHERE id = ?";

static int key_rows(struct conn *c, const nt_wctx *w, const nt_key *k, nt_err *err)
{
    int rc;
    STMT_OR_FAIL(st, c, SQL_KEY_PUT, err);
    bind_text(st, 1, k->id);
    bind_text(st, 2, k->secret_hash);
    bind_text(st, 3, k->role);
    bind_text(st, 4, k->org_id);
    bind_text(st, 5, k->person_id);
    bind_text(st, 6, k->label);
    bind_text(st, 7, w->at);
    rc = exec_step(c, st, err);
    if (rc == 0)
        rc = record(c, w, "key.create", "key", k->id, "create", err);
    return rc;
}

static int sq_key_put(nt_store *base, const nt_wctx *w, const nt_key *k, nt_err *err)
{
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    if (rc == 0)
        rc = key_rows(c, w, k, err);
    return wr_end(base, w, rc, err);
}

static int sq_key_get(nt_store *base, const char *id, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_KEY_GET, NULL);
    bind_text(st, 1, id);
    return query_one(c, st, out);
}

static int sq_key_list(nt_store *base, const char *after, int limit, json_t **out)
{
    deferred_flush((sq_store *)base); /* the keys' last uses, as of now */
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_KEY_LIST, NULL);
    bind_text(st, 1, after ? after : "");
    sqlite3_bind_int(st, 2, limit);
    return query_all(c, st, out);
}

static int key_revoke_rows(struct conn *c, const nt_wctx *w, const char *id, nt_err *err)
{
    int rc;
    STMT_OR_FAIL(st, c, SQL_KEY_REVOKE, err);
    bind_text(st, 1, w->at);
    bind_text(st, 2, id);
    rc = exec_step(c, st, err);
    if (rc == 0 && sqlite3_changes(c->db) == 0)
        rc = nt_err_set(err, NT_ENOTFOUND, "no active key %s", "không có khóa đang hoạt động %s", id);
    if (rc == 0)
        rc = record(c, w, "key.revoke", "key", id, "update", err);
    return rc;
}

static int sq_key_revoke(nt_store *base, const nt_wctx *w, const char *id, nt_err *err)
{
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    if (rc == 0)
        rc = key_revoke_rows(c, w, id, err);
    return wr_end(base, w, rc, err);
}

static int deferred_add(sq_store *s, deferred *d);

/* When a key was last used: written with the next group, never waiting for a disk of its own. */
static int sq_key_touch(nt_store *base, const char *id, const char *at)
{
    deferred *d = nt_xcalloc(1, sizeof(*d));
    d->kind = DEF_KEY_TOUCH;
    d->a = nt_xstrdup(id);
    d->b = nt_xstrdup(at);
    return deferred_add((sq_store *)base, d);
}

/* ---- persons ---- */

static const char SQL_PERSON_PUT[] =
    "INSERT INTO persons (id, legal_name, search_key, aliases, kind, birth_year, gender, province, nid_hash, version, "
    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
static const char SQL_PERSON_UPDATE[] =
    "UPDATE persons SET legal_name = ?, search_key = ?, aliases = ?, kind = ?, birth_year = ?, gender = ?, province = ?, "
    "nid_hash = CASE WHEN ? THEN nid_hash ELSE ? END, version = version + 1, updated_at = ? WHERE id = ? AND version = ?";
static const char SQL_PERSON_GET[] = "SELECT id, legal_name, aliases, kind, birth_year, gender, province, "
                                     "nid_hash IS NOT NULL AS has_national_id, version, created_by, created_at, updated_at "
                                     "FROM persons WHERE id = ?";
static const char SQL_PERSON_LIST[] = "SELECT id, legal_name, aliases, kind, birth_year, gender, province, "
                                      "nid_hash IS NOT NULL AS has_national_id, version, created_by, created_at, updated_at "
                                      "FROM persons WHERE id > ? ORDER BY id LIMIT ?";
static const char SQL_PERSON_BY_NID[] = "SELECT id FROM persons WHERE nid_hash = ?";
static const char SQL_PERSON_EXISTS[] = "SELECT version FROM persons WHERE id = ?";
static const char SQL_TOKEN_PUT[] = "INSERT INTO person_tokens (token, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char SQL_TOKEN_DEL[] = "DELETE FROM person_tokens WHERE person_id = ?";
static const char SQL_TOKEN_COUNT[] = "SELECT count(*) FROM (SELECT 1 FROM person_tokens WHERE token = ? LIMIT 5000)";

static int put_tokens(struct conn *c, const char *id, const char *tokens, nt_err *err)
{
    char buf[NT_KEY_MAX * 4];
    if (nt_strlcpy(buf, tokens ? tokens : "", sizeof(buf)) != 0)
        return nt_err_set(err, NT_EINVAL, "too many name tokens", "tên quá dài");
    char *tok[256];
    int n = nt_text_tokens(buf, tok, 256);
    STMT_OR_FAIL(st, c, SQL_TOKEN_PUT, err);
    for (int i = 0; i < n; i++) {
        bind_text(st, 1, tok[i]);
        bind_text(st, 2, id);
        int rc = exec_step(c, st, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int person_rows(struct conn *c, const nt_wctx *w, const nt_person *p, bool audit, nt_err *err)
{
    STMT_OR_FAIL(st, c, SQL_PERSON_PUT, err);
    bind_text(st, 1, p->id);
    bind_text(st, 2, p->legal_name);
    bind_text(st, 3, p->search_key);
    bind_text(st, 4, p->aliases_json ? p->aliases_json : "[]");
    bind_text(st, 5, p->kind);
    bind_int_or_null(st, 6, p->birth_year, 0);
    bind_text(st, 7, p->gender);
    bind_text(st, 8, p->province);
    bind_text(st, 9, p->nid_hash);
    bind_text(st, 10, p->created_by);
    bind_text(st, 11, w->at);
    bind_text(st, 12, w->at);
    int rc = exec_step(c, st, err);
    if (rc == NT_ECONFLICT) {
        /* Name what it clashes with: the same id, or the same national ID. */
        sqlite3_stmt *q = stmt(c, SQL_PERSON_EXISTS);
        bind_text(q, 1, p->id);
        bool same_id = step(q) == SQLITE_ROW;
        sqlite3_reset(q);
        if (same_id) {
            nt_strlcpy(err->conflict_id, p->id, sizeof(err->conflict_id));
            return nt_err_set(err, NT_ECONFLICT, "a person with id %s exists", "đã có người với mã %s", p->id);
        }
        if (p->nid_hash != NULL) {
            q = stmt(c, SQL_PERSON_BY_NID);
            bind_text(q, 1, p->nid_hash);
            if (step(q) == SQLITE_ROW)
                nt_strlcpy(err->conflict_id, (const char *)sqlite3_column_text(q, 0), sizeof(err->conflict_id));
            sqlite3_reset(q);
        }
        return nt_err_set(err, NT_ECONFLICT, "a person with this national ID exists: %s", "đã có người với số định danh này: %s",
                          err->conflict_id);
    }
    if (rc == 0)
        rc = put_tokens(c, p->id, p->tokens, err);
    if (rc == 0)
        rc = audit ? record(c, w, "person.create", "person", p->id, "create", err)
                   : also_changed(c, w, "person", p->id, "create", err);
    return rc;
}

static int sq_person_put(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    if (rc == 0)
        rc = person_rows(c, w, p, true, err);
    return wr_end(base, w, rc, err);
}

static int person_update_rows(struct conn *c, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    int rc;
    STMT_OR_FAIL(st, c, SQL_PERSON_UPDATE, err);
    bind_text(st, 1, p->legal_name);
    bind_text(st, 2, p->search_key);
    bind_text(st, 3, p->aliases_json ? p->aliases_json : "[]");
    bind_text(st, 4, p->kind);
    bind_int_or_null(st, 5, p->birth_year, 0);
    bind_text(st, 6, p->gender);
    bind_text(st, 7, p->province);
    sqlite3_bind_int(st, 8, p->keep_nid);
    bind_text(st, 9, p->nid_hash);
    bind_text(st, 10, w->at);
    bind_text(st, 11, p->id);
    sqlite3_bind_int64(st, 12, p->version - 1);
    rc = exec_step(c, st, err);
    if (rc == NT_ECONFLICT && p->nid_hash != NULL) {
        sqlite3_stmt *q = stmt(c, SQL_PERSON_BY_NID);
        bind_text(q, 1, p->nid_hash);
        if (step(q) == SQLITE_ROW)
            nt_strlcpy(err->conflict_id, (const char *)sqlite3_column_text(q, 0), sizeof(err->conflict_id));
        sqlite3_reset(q);
        nt_err_set(err, NT_ECONFLICT, "a person with this national ID exists: %s", "đã có người với số định danh này: %s",
                   err->conflict_id);
    }
    if (rc == 0 && sqlite3_changes(c->db) == 0)
        rc = nt_err_set(err, NT_ESTALE, "person %s changed since version %lld", "người %s đã thay đổi sau phiên bản %lld", p->id,
                        (long long)(p->version - 1));
    if (rc == 0) {
        STMT_OR_FAIL(del, c, SQL_TOKEN_DEL, err);
        bind_text(del, 1, p->id);
        rc = exec_step(c, del, err);
    }
    if (rc == 0)
        rc = put_tokens(c, p->id, p->tokens, err);
    if (rc == 0)
        rc = record(c, w, "person.update", "person", p->id, "update", err);
    return rc;
}

static int sq_person_update(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    if (rc == 0)
        rc = person_update_rows(c, w, p, err);
    return wr_end(base, w, rc, err);
}

static int sq_person_get(nt_store *base, const char *id, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_PERSON_GET, NULL);
    bind_text(st, 1, id);
    return query_one(c, st, out);
}

static int sq_person_by_nid(nt_store *base, const char *nid_hash, char id[NT_ID_LEN])
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_PERSON_BY_NID, NULL);
    bind_text(st, 1, nid_hash);
    int rc = step(st);
    if (rc == SQLITE_ROW)
        nt_strlcpy(id, (const char *)sqlite3_column_text(st, 0), NT_ID_LEN);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NT_ENOTFOUND : NT_EIO;
}

#define SEARCH_MAX_TOKENS 8

static int sq_person_search(nt_store *base, char *const *tokens, int ntokens, const char *after, int limit, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    if (ntokens < 0 || ntokens > SEARCH_MAX_TOKENS)
        return NT_EINVAL;
    if (ntokens == 0) {
        STMT_OR_FAIL(st, c, SQL_PERSON_LIST, NULL);
        bind_text(st, 1, after ? after : "");
        sqlite3_bind_int(st, 2, limit);
        return query_all(c, st, out);
    }
    /* Drive the scan from the rarest token; probe the others. */
    int drive = 0;
    int64_t best = INT64_MAX;
    for (int i = 0; i < ntokens; i++) {
        STMT_OR_FAIL(cnt, c, SQL_TOKEN_COUNT, NULL);
        bind_text(cnt, 1, tokens[i]);
        int64_t n = step(cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
        sqlite3_reset(cnt);
        if (n < best) {
            best = n;
            drive = i;
        }
    }
    json_t *arr = json_array();
    if (best == 0) {
        *out = arr;
        return 0;
    }
    char sql[2048];
    int o = snprintf(sql, sizeof(sql), "SELECT t0.person_id FROM person_tokens t0 WHERE t0.token = ?1 AND t0.person_id > ?2");
    for (int i = 1; i < ntokens; i++)
        o += snprintf(sql + o, sizeof(sql) - (size_t)o,
                      " AND EXISTS (SELECT 1 FROM person_tokens t%d WHERE t%d.token = ?%d AND t%d.person_id = t0.person_id)", i, i,
                      i + 2, i);
    snprintf(sql + o, sizeof(sql) - (size_t)o, " ORDER BY t0.person_id LIMIT ?%d", ntokens + 2);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        json_decref(arr);
        return db_error(c, NULL);
    }
    bind_text(st, 1, tokens[drive]);
    bind_text(st, 2, after ? after : "");
    for (int i = 0, k = 3; i < ntokens; i++)
        if (i != drive)
            bind_text(st, k++, tokens[i]);
    sqlite3_bind_int(st, ntokens + 2, limit);
    int rc;
    while ((rc = step(st)) == SQLITE_ROW) {
        json_t *p = NULL;
        if (sq_person_get(base, (const char *)sqlite3_column_text(st, 0), &p) == 0)
            json_array_append_new(arr, p);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return db_error(c, NULL);
    }
    *out = arr;
    return 0;
}

/* ---- bulk import ---- */

#define BULK_CACHE_KIB 262144

static int sq_bulk_begin(nt_store *base, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    /* A large import touches index pages all over: a bigger page cache saves rereads. The import
     * writes each person before its tokens and accounts in this one transaction, so the foreign
     * keys hold by construction and their per-row lookups can be skipped (PRAGMA foreign_keys
     * only takes effect outside a transaction). */
    char sql[96];
    snprintf(sql, sizeof(sql), "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-%d", BULK_CACHE_KIB);
    sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return tx_begin(c, err);
}

static int sq_bulk_person(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    return person_rows(c, w, p, false, err);
}

static int account_rows(struct conn *c, const nt_wctx *w, const nt_account *a, nt_err *err);

static int sq_bulk_account(nt_store *base, const nt_wctx *w, const nt_account *a, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    return account_rows(c, w, a, err);
}

static int sq_bulk_end(nt_store *base, const nt_wctx *w, const char *summary, bool commit, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    int rc = 0;
    sqlite3_stmt *st = commit ? stmt(c, SQL_AUDIT) : NULL;
    if (commit && st == NULL)
        rc = db_error(c, err);
    if (st != NULL) {
        bind_text(st, 1, w->at);
        bind_text(st, 2, w->key_id);
        bind_text(st, 3, w->request_id);
        bind_text(st, 4, "person.import");
        bind_text(st, 5, "import");
        bind_text(st, 6, summary);
        rc = exec_step(c, st, err);
    }
    rc = tx_end(c, commit ? rc : NT_EIO, err);
    sqlite3_exec(c->db, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768", NULL, NULL, NULL);
    return commit ? rc : 0;
}

/* ---- accounts ---- */

static const char SQL_ACCOUNT_PUT[] =
    "INSERT INTO accounts (platform, handle, display_handle, person_id, platform_user_id, url, followers, verified_by, "
    "verified_at, claimed_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
static const char SQL_ACCOUNT_ATTEST[] =
    "UPDATE accounts SET verified_by = ?, verified_at = ?, platform_user_id = coalesce(?, platform_user_id), "
    "url = coalesce(?, url), followers = coalesce(?, followers), display_handle = ?, updated_at = ? "
    "WHERE platform = ? AND handle = ? AND person_id = ?";
#define ACCOUNT_COLS                                                                                                               \
    "SELECT platform, handle, display_handle, person_id, platform_user_id, url, followers, verified_by, verified_at, "             \
    "claimed_by, created_at, updated_at FROM accounts "
static const char SQL_ACCOUNT_GET[] = ACCOUNT_COLS "WHERE platform = ? AND handle = ?";
static const char SQL_ACCOUNT_LIST[] = ACCOUNT_COLS "WHERE person_id = ? ORDER BY platform, handle";
static const char SQL_ACCOUNT_DEL[] = "DELETE FROM accounts WHERE platform = ? AND handle = ?";
static const char SQL_ACCOUNT_OWNER[] = "SELECT person_id FROM accounts WHERE platform = ? AND handle = ?";

static void account_id(const char *platform, const char *handle, char *out, size_t cap)
{
    snprintf(out, cap, "%s:%s", platform, handle);
}

/* Inserts the link; NT_ECONFLICT with conflict_id when the handle is someone's already. */
static int account_insert(struct conn *c, const nt_wctx *w, const nt_account *a, nt_err *err)
{
    STMT_OR_FAIL(st, c, SQL_ACCOUNT_PUT, err);
    bind_text(st, 1, a->platform);
    bind_text(st, 2, a->handle);
    bind_text(st, 3, a->display_handle);
    bind_text(st, 4, a->person_id);
    bind_text(st, 5, a->platform_user_id);
    bind_text(st, 6, a->url);
    bind_int_or_null(st, 7, a->followers, -1);
    bind_text(st, 8, a->verified_by);
    bind_text(st, 9, a->verified_by ? w->at : NULL);
    bind_text(st, 10, a->claimed_by);
    bind_text(st, 11, w->at);
    bind_text(st, 12, w->at);
    int rc = exec_step(c, st, err);
    if (rc == NT_ECONFLICT)
        return nt_err_set(err, NT_ENOTFOUND, "person %s does not exist", "không có người %s", a->person_id);
    if (rc != 0)
        return rc;
    if (sqlite3_changes(c->db) == 0) {
        sqlite3_stmt *q = stmt(c, SQL_ACCOUNT_OWNER);
        bind_text(q, 1, a->platform);
        bind_text(q, 2, a->handle);
        if (step(q) == SQLITE_ROW)
            nt_strlcpy(err->conflict_id, (const char *)sqlite3_column_text(q, 0), sizeof(err->conflict_id));
        sqlite3_reset(q);
        return nt_err_set(err, NT_ECONFLICT, "%s:%s is already linked to person %s", "%s:%s đã gắn với người %s", a->platform,
                          a->handle, err->conflict_id);
    }
    return 0;
}

/* An imported account: its change row only (the import has one audit row). */
static int account_rows(struct conn *c, const nt_wctx *w, const nt_account *a, nt_err *err)
{
    char id[NT_HANDLE_MAX + 32];
    account_id(a->platform, a->handle, id, sizeof(id));
    int rc = account_insert(c, w, a, err);
    if (rc == 0)
        rc = also_changed(c, w, "account", id, "create", err);
    return rc;
}

static int account_put_rows(struct conn *c, const nt_wctx *w, const nt_account *a, bool attest, bool *updated, nt_err *err)
{
    int rc = account_insert(c, w, a, err);
    if (rc == NT_ECONFLICT && attest && strcmp(err->conflict_id, a->person_id) == 0) {
        /* The person already claimed it: the platform's attestation verifies the claim. */
        nt_err_clear(err);
        STMT_OR_FAIL(st, c, SQL_ACCOUNT_ATTEST, err);
        bind_text(st, 1, a->verified_by);
        bind_text(st, 2, w->at);
        bind_text(st, 3, a->platform_user_id);
        bind_text(st, 4, a->url);
        bind_int_or_null(st, 5, a->followers, -1);
        bind_text(st, 6, a->display_handle);
        bind_text(st, 7, w->at);
        bind_text(st, 8, a->platform);
        bind_text(st, 9, a->handle);
        bind_text(st, 10, a->person_id);
        rc = exec_step(c, st, err);
        *updated = rc == 0;
    }
    if (rc == 0) {
        /* The response to replay is the row as it now stands. */
        nt_wctx wr = *w;
        char *replay = NULL;
        json_t *row = NULL;
        STMT_OR_FAIL(q, c, SQL_ACCOUNT_GET, err);
        bind_text(q, 1, a->platform);
        bind_text(q, 2, a->handle);
        if (w->idem_key != NULL && query_one(c, q, &row) == 0) {
            replay = json_dumps(row, JSON_COMPACT);
            wr.idem_response = replay;
            wr.idem_status = *updated ? 200 : 201;
        }
        char id[NT_HANDLE_MAX + 32];
        account_id(a->platform, a->handle, id, sizeof(id));
        rc =
            record(c, &wr, a->verified_by ? "account.attest" : "account.claim", "account", id, *updated ? "update" : "create", err);
        if (rc == 0)
            rc = also_changed(c, w, "person", a->person_id, "accounts", err);
        if (rc == 0 && a->verified_by != NULL)
            rc = log_append(c, w, NT_LOG_ACCOUNT_ATTESTED, "accounts", id, NULL, NULL, err);
        json_decref(row);
        free(replay);
    }
    return rc;
}

static int sq_account_put(nt_store *base, const nt_wctx *w, const nt_account *a, bool attest, bool *updated, nt_err *err)
{
    *updated = false;
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    if (rc == 0)
        rc = account_put_rows(c, w, a, attest, updated, err);
    rc = wr_end(base, w, rc, err);
    if (rc != 0)
        *updated = false;
    return rc;
}

static int sq_account_get(nt_store *base, const char *platform, const char *handle, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_ACCOUNT_GET, NULL);
    bind_text(st, 1, platform);
    bind_text(st, 2, handle);
    return query_one(c, st, out);
}

static int account_delete_rows(struct conn *c, const nt_wctx *w, const char *platform, const char *handle, nt_err *err)
{
    int rc;
    char owner[NT_ID_LEN];
    first_text(c, SQL_ACCOUNT_OWNER, platform, handle, owner, sizeof(owner));
    if (owner[0] == '\0')
        return nt_err_set(err, NT_ENOTFOUND, "no account %s:%s", "không có tài khoản %s:%s", platform, handle);
    char key[NT_HANDLE_MAX + 32];
    account_id(platform, handle, key, sizeof(key));
    char *rec = NULL; /* an attested link's end is logged, as its attestation was */
    json_t *attested = NULL;
    if (live_record(c, "accounts", key, &rec) == 0 && (attested = json_loads(rec, 0, NULL)) != NULL &&
        json_is_null(json_object_get(attested, "verified_by"))) {
        json_decref(attested);
        attested = NULL;
    }
    free(rec);
    STMT_OR_FAIL(st, c, SQL_ACCOUNT_DEL, err);
    bind_text(st, 1, platform);
    bind_text(st, 2, handle);
    rc = exec_step(c, st, err);
    if (rc == 0) {
        char id[NT_HANDLE_MAX + 32];
        account_id(platform, handle, id, sizeof(id));
        rc = record(c, w, "account.unlink", "account", id, "delete", err);
    }
    if (rc == 0)
        rc = also_changed(c, w, "person", owner, "accounts", err);
    if (rc == 0 && attested != NULL) {
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:s}", "platform", platform, "handle", handle, "person_id", owner, "unlinked_at", w->at);
        char *canon = nt_jcs(o);
        rc = canon ? log_append(c, w, NT_LOG_ACCOUNT_UNLINKED, "accounts", key, canon, NULL, err) : NT_ENOMEM;
        free(canon);
        json_decref(o);
    }
    json_decref(attested);
    return rc;
}

static int sq_account_delete(nt_store *base, const nt_wctx *w, const char *platform, const char *handle, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    if (rc == 0)
        rc = account_delete_rows(c, w, platform, handle, err);
    return wr_end(base, w, rc, err);
}

static int sq_account_list(nt_store *base, const char *person_id, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_ACCOUNT_LIST, NULL);
    bind_text(st, 1, person_id);
    return query_all(c, st, out);
}

/* ---- generic rows (the due-process tables) ---- */

static bool writable_table(const char *t)
{
    static const char *const tables[] = {
        "reports",       "cases",       "decisions", "sanctions",         "appeals", "webhooks", "webhook_deliveries",
        "webhook_clock", "advertisers", "products",  "product_documents", "offers",  "ads",      NULL};
    for (const char *const *p = tables; *p; p++)
        if (strcmp(*p, t) == 0)
            return true;
    return false;
}

/* Column names come from service code, never from a client; still, allow only [a-z_][a-z0-9_]*. */
static bool plain_name(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static int bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return sqlite3_bind_text(st, i, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
    case JSON_INTEGER:
        return sqlite3_bind_int64(st, i, json_integer_value(v));
    case JSON_TRUE:
        return sqlite3_bind_int(st, i, 1);
    case JSON_FALSE:
        return sqlite3_bind_int(st, i, 0);
    case JSON_NULL:
        return sqlite3_bind_null(st, i);
    case JSON_REAL:
        return sqlite3_bind_double(st, i, json_real_value(v));
    default: {
        char *text = json_dumps(v, JSON_COMPACT);
        int rc = sqlite3_bind_text(st, i, text ? text : "null", -1, SQLITE_TRANSIENT);
        free(text);
        return rc;
    }
    }
}

static int write_one(struct conn *c, const nt_wctx *w, const nt_write *r, nt_err *err)
{
    if (!writable_table(r->table))
        return nt_err_set(err, NT_EINVAL, "not a writable table: %s", "không phải bảng ghi được: %s", r->table);
    char sql[2048];
    int o = 0;
    const char *k;
    json_t *v;
    size_t n = json_object_size(r->values);
    if (r->kind == NT_WRITE_INSERT) {
        o = snprintf(sql, sizeof(sql), "INSERT INTO %s (id", r->table);
        json_object_foreach((json_t *)r->values, k, v)
        {
            if (!plain_name(k))
                return nt_err_set(err, NT_EINVAL, "bad column %s", "cột sai %s", k);
            o += snprintf(sql + o, sizeof(sql) - (size_t)o, ", %s", k);
        }
        o += snprintf(sql + o, sizeof(sql) - (size_t)o, ") VALUES (?");
        for (size_t i = 0; i < n; i++)
            o += snprintf(sql + o, sizeof(sql) - (size_t)o, ", ?");
        o += snprintf(sql + o, sizeof(sql) - (size_t)o, ")");
    } else {
        o = snprintf(sql, sizeof(sql), "UPDATE %s SET ", r->table);
        size_t i = 0;
        json_object_foreach((json_t *)r->values, k, v)
        {
            if (!plain_name(k))
                return nt_err_set(err, NT_EINVAL, "bad column %s", "cột sai %s", k);
            o += snprintf(sql + o, sizeof(sql) - (size_t)o, "%s%s = ?", i++ ? ", " : "", k);
        }
        o += snprintf(sql + o, sizeof(sql) - (size_t)o, " WHERE id = ?");
        if (r->guard_col != NULL) {
            if (!plain_name(r->guard_col))
                return nt_err_set(err, NT_EINVAL, "bad column %s", "cột sai %s", r->guard_col);
            o += snprintf(sql + o, sizeof(sql) - (size_t)o, r->guard_val ? " AND %s = ?" : " AND %s IS NULL", r->guard_col);
        }
    }
    if (o >= (int)sizeof(sql))
        return nt_err_set(err, NT_EINVAL, "row too wide", "hàng quá rộng");
    sqlite3_stmt *st = dyn_stmt(c, sql);
    if (st == NULL)
        return db_error(c, err);
    int i = 1;
    if (r->kind == NT_WRITE_INSERT)
        sqlite3_bind_text(st, i++, r->id, -1, SQLITE_STATIC);
    json_object_foreach((json_t *)r->values, k, v) bind_json(st, i++, v);
    if (r->kind == NT_WRITE_UPDATE) {
        sqlite3_bind_text(st, i++, r->id, -1, SQLITE_STATIC);
        if (r->guard_col != NULL && r->guard_val != NULL)
            sqlite3_bind_text(st, i++, r->guard_val, -1, SQLITE_STATIC);
    }
    int rc = step(st);
    int ext = rc == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(c->db);
    int changed = sqlite3_changes(c->db);
    sqlite3_reset(st);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) /* see exec_step */
        return nt_err_set(err, NT_ECONFLICT, "conflicts with an existing record", "trùng với một bản ghi đã có");
    if (rc != SQLITE_DONE)
        return db_error(c, err);
    if (r->kind == NT_WRITE_UPDATE && changed == 0)
        return nt_err_set(err, NT_ESTALE, "%s %s changed meanwhile", "%s %s đã thay đổi trong lúc đó", r->entity, r->id);
    const char *op = r->kind == NT_WRITE_INSERT ? "create" : "update";
    if (r->entity == NULL) /* bookkeeping of our own (webhook deliveries): not a change mirrors follow */
        return 0;
    int rc2 = r->action ? record(c, w, r->action, r->entity, r->id, op, err) : also_changed(c, w, r->entity, r->id, op, err);
    int type = r->log;
    if (rc2 == 0 && type != 0)
        rc2 = log_append(c, w, type, r->table, r->id, NULL, NULL, err);
    return rc2;
}

static int sq_write(nt_store *base, const nt_wctx *w, const nt_write *rows, size_t n, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = write_one(c, w, &rows[i], err);
    return wr_end(base, w, rc, err);
}

/* A person as screening indexes it: names, birth year, gender, and every handle as "platform:@handle". */
#define SCREEN_PERSON                                                                                                              \
    "SELECT p.id, p.legal_name, p.aliases, p.birth_year, p.gender, (SELECT json_group_array(a.platform || ':' || CASE WHEN "       \
    "a.display_handle LIKE '@%' THEN '' ELSE '@' END || a.display_handle) FROM accounts a WHERE a.person_id = p.id) AS handles "   \
    "FROM persons p "

/* The named reads of the due-process tables. */
static const struct {
    const char *name;
    const char *sql;
} queries[] = {
    {"report.get", "SELECT * FROM reports WHERE id = ?"},
    {"reports.by_key", "SELECT * FROM reports WHERE reporter_key = ? AND id > ? ORDER BY id LIMIT ?"},
    {"reports.all", "SELECT * FROM reports WHERE id > ? ORDER BY id LIMIT ?"},
    {"case.get", "SELECT * FROM cases WHERE id = ?"},
    {"case.reports", "SELECT id FROM reports WHERE case_id = ? ORDER BY id"},
    {"case.decisions", "SELECT id, number, outcome, issued_at, amends FROM decisions WHERE case_id = ? ORDER BY issued_at, id"},
    {"cases.all", "SELECT * FROM cases WHERE id > ? ORDER BY id LIMIT ?"},
    {"decision.get", "SELECT * FROM decisions WHERE id = ?"},
    {"decision.by_number", "SELECT id FROM decisions WHERE number = ?"},
    {"decision.sanctions", "SELECT * FROM sanctions WHERE decision_id = ? ORDER BY id"},
    {"decision.appeals", "SELECT * FROM appeals WHERE decision_id = ? ORDER BY filed_at"},
    {"decisions.published", "SELECT * FROM decisions WHERE publish = 1 AND id > ? ORDER BY id LIMIT ?"},
    {"sanction.get", "SELECT * FROM sanctions WHERE id = ?"},
    {"sanctions.person", "SELECT * FROM sanctions WHERE person_id = ? ORDER BY start_at, id"},
    /* Every restricting sanction that has not ended, with what the check answers with. */
    {"sanctions.restricting",
     "SELECT s.id, s.person_id, s.type, s.scopes, s.platforms, s.territory, s.start_at, s.end_at, s.lifted_at, "
     "s.suspended_from, s.suspended_until, s.suspend_pending_appeal, d.number AS decision_number, d.authority, "
     "d.publish, d.delist_at, p.legal_name FROM sanctions s JOIN decisions d ON d.id = s.decision_id "
     "JOIN persons p ON p.id = s.person_id "
     "WHERE s.type IN ('appearance_restriction', 'advertising_ban') AND (s.end_at IS NULL OR s.end_at > ?) "
     "AND (s.lifted_at IS NULL OR s.lifted_at > ?) ORDER BY s.id"},
    {"sanction.restricting",
     "SELECT s.id, s.person_id, s.type, s.scopes, s.platforms, s.territory, s.start_at, s.end_at, s.lifted_at, "
     "s.suspended_from, s.suspended_until, s.suspend_pending_appeal, d.number AS decision_number, d.authority, "
     "d.publish, d.delist_at, p.legal_name FROM sanctions s JOIN decisions d ON d.id = s.decision_id "
     "JOIN persons p ON p.id = s.person_id WHERE s.id = ?"},
    {"appeal.get", "SELECT * FROM appeals WHERE id = ?"},
    {"violations.all", "SELECT person_id, id, number, issued_at FROM decisions WHERE outcome = 'violation' AND amends IS NULL "
                       "ORDER BY person_id, issued_at"},
    {"temporary_restrictions.all", "SELECT person_id, count(*) AS n FROM sanctions WHERE type = 'appearance_restriction' "
                                   "AND lifted_by_decision IS NULL GROUP BY person_id"},
    {"accounts.all", "SELECT platform, handle, person_id FROM accounts"},
    {"account.get", "SELECT platform, handle, person_id FROM accounts WHERE platform = ? AND handle = ?"},
    {"accounts.person", "SELECT platform, handle FROM accounts WHERE person_id = ? ORDER BY platform, handle"},
    {"changes.page", "SELECT seq, entity, entity_id, op, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?"},
    {"log.records_of",
     "SELECT r.idx, r.record_table, r.record_key, lower(hex(r.salt)) AS salt, r.record, e.record_id, e.type FROM log_records r "
     "JOIN log_entries e ON e.idx = r.idx WHERE e.record_id = ? ORDER BY r.idx"},
    {"log.records_page",
     "SELECT r.idx, r.record_table, r.record_key, lower(hex(r.salt)) AS salt, r.record, e.record_id, e.type FROM log_records r "
     "JOIN log_entries e ON e.idx = r.idx WHERE r.idx >= ? ORDER BY r.idx LIMIT ?"},
    {"log.record_at", "SELECT record FROM log_records WHERE idx = ?"},
    {"advertiser.get", "SELECT * FROM advertisers WHERE id = ?"},
    {"advertiser.by_org", "SELECT * FROM advertisers WHERE org_id = ?"},
    {"advertiser.by_code", "SELECT * FROM advertisers WHERE enterprise_code = ?"},
    {"advertisers.page", "SELECT * FROM advertisers WHERE id > ? ORDER BY id LIMIT ?"},
    {"product.get", "SELECT * FROM products WHERE id = ?"},
    {"product.documents", "SELECT * FROM product_documents WHERE product_id = ? ORDER BY id"},
    {"product.document", "SELECT * FROM product_documents WHERE id = ? AND product_id = ?"},
    {"offer.get", "SELECT * FROM offers WHERE id = ?"},
    {"person.exists", "SELECT id FROM persons WHERE id = ?"},
    {"screen.persons", SCREEN_PERSON "ORDER BY p.created_at, p.id"},
    {"screen.person", SCREEN_PERSON "WHERE p.id = ?"},
    {"ad.by_code", "SELECT * FROM ads WHERE code = ?"},
    {"ad.get", "SELECT * FROM ads WHERE id = ?"},
    {"ads.all", "SELECT * FROM ads"},
    {"ads.open", "SELECT * FROM ads WHERE state IN ('registered', 'suspended') AND end_at > ? ORDER BY id"},
    {"ads.of_product", "SELECT code, person_id, state, state_reason FROM ads WHERE product_id = ? ORDER BY code"},
    {"ads.library",
     "SELECT a.*, p.category, p.name AS product_name FROM ads a JOIN products p ON p.id = a.product_id "
     "WHERE (?1 IS NULL OR a.person_id = ?1) AND (?2 IS NULL OR a.advertiser_id = ?2) AND (?3 IS NULL OR a.product_id = ?3) "
     "AND (?4 IS NULL OR p.category = ?4) AND (?5 IS NULL OR a.state = ?5) AND (?6 IS NULL OR a.end_at > ?6) "
     "AND (?7 IS NULL OR a.start_at < ?7) AND a.id > ?8 ORDER BY a.id LIMIT ?9"},
    {"ads.next_seq", "SELECT coalesce(max(seq), 0) + 1 AS seq FROM ads WHERE year = ?"},
    {"products.page", "SELECT * FROM products WHERE id > ? ORDER BY id LIMIT ?"},
    {"log.unlogged", "SELECT 'decisions' AS record_table, id AS record_key FROM decisions WHERE id NOT IN "
                     "(SELECT record_key FROM log_records WHERE record_table = 'decisions') UNION ALL "
                     "SELECT 'sanctions', id FROM sanctions WHERE id NOT IN "
                     "(SELECT record_key FROM log_records WHERE record_table = 'sanctions') UNION ALL "
                     "SELECT 'appeals', id FROM appeals WHERE id NOT IN "
                     "(SELECT record_key FROM log_records WHERE record_table = 'appeals')"},
    {"log.latest_of", "SELECT max(idx) AS idx FROM log_records WHERE record_table = ? AND record_key = ?"},
    {"redactions.page", "SELECT id, record_id, record_table, legal_basis, at FROM redactions WHERE id > ? ORDER BY id LIMIT ?"},
    {"redactions.all", "SELECT id, record_id, at FROM redactions ORDER BY id"},
    /* An influencer's subscription hears only of its own person. */
    {"webhooks.for_event", "SELECT w.id FROM webhooks w LEFT JOIN api_keys k ON k.id = w.key_id WHERE w.active = 1 "
                           "AND instr(w.events, ?1) > 0 AND (k.person_id IS NULL OR k.person_id = ?2)"},
    {"webhooks.by_key", "SELECT id, url, events, active, created_at FROM webhooks WHERE key_id = ? ORDER BY created_at, id"},
    {"webhook.get", "SELECT * FROM webhooks WHERE id = ?"},
    {"webhook.deliveries", "SELECT id, event, state, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at, "
                           "payload FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at, id LIMIT ?"},
    {"deliveries.due",
     "SELECT d.id, d.event, d.payload, d.attempts, w.url, w.secret FROM webhook_deliveries d "
     "JOIN webhooks w ON w.id = d.webhook_id WHERE d.state = 'pending' AND w.active = 1 AND d.next_attempt_at <= ? "
     "ORDER BY d.next_attempt_at LIMIT ?"},
    {"webhook_clock.get", "SELECT scanned_at FROM webhook_clock WHERE id = 'sanctions'"},
    {"sanctions.starting", "SELECT s.id FROM sanctions s WHERE s.start_at > ? AND s.start_at <= ? AND s.created_at < s.start_at "
                           "AND s.lifted_at IS NULL"},
    {"sanctions.ending", "SELECT s.id FROM sanctions s WHERE s.end_at > ? AND s.end_at <= ? "
                         "AND (s.lifted_at IS NULL OR s.lifted_at > s.end_at)"},
};

static sqlite3_stmt *named(struct conn *c, const char *name, const json_t *params)
{
    const char *sql = NULL;
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
        if (strcmp(queries[i].name, name) == 0)
            sql = queries[i].sql;
    sqlite3_stmt *st = sql ? stmt(c, sql) : NULL;
    size_t i;
    json_t *v;
    if (st != NULL)
        json_array_foreach((json_t *)params, i, v) bind_json(st, (int)i + 1, v);
    return st;
}

static int sq_query(nt_store *base, const char *name, const json_t *params, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    sqlite3_stmt *st = named(c, name, params);
    return st ? query_all(c, st, out) : NT_EINVAL;
}

static int sq_query_each(nt_store *base, const char *name, const json_t *params, void (*fn)(void *arg, const json_t *row),
                         void *arg)
{
    CONN_OR_FAIL(c, base, NULL);
    sqlite3_stmt *st = named(c, name, params);
    if (st == NULL)
        return NT_EINVAL;
    int rc;
    while ((rc = step(st)) == SQLITE_ROW) {
        json_t *row = row_json(st);
        fn(arg, row);
        json_decref(row);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(c, NULL);
}

/* ---- the change sequence ---- */

static const char SQL_CHANGES_SINCE[] = "SELECT seq, entity, entity_id, op FROM changes WHERE seq > ? ORDER BY seq LIMIT ?";

static int sq_changes_since(nt_store *base, int64_t after, int limit, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_CHANGES_SINCE, NULL);
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, limit);
    return query_all(c, st, out);
}

/* ---- stats, backup ---- */

static int64_t scalar(struct conn *c, const char *sql)
{
    sqlite3_stmt *st = stmt(c, sql);
    if (st == NULL)
        return -1;
    int64_t v = step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

static const char SQL_DB_BYTES[] = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
static const char SQL_N_PERSONS[] = "SELECT count(*) FROM persons";
static const char SQL_N_ACCOUNTS[] = "SELECT count(*) FROM accounts";
static const char SQL_N_ORGS[] = "SELECT count(*) FROM orgs";
static const char SQL_N_KEYS[] = "SELECT count(*) FROM api_keys WHERE revoked_at IS NULL";
static const char SQL_MAX_SEQ[] = "SELECT coalesce(max(seq), 0) FROM changes";

static int sq_stats(nt_store *base, nt_store_stats *out)
{
    CONN_OR_FAIL(c, base, NULL);
    out->db_bytes = scalar(c, SQL_DB_BYTES);
    out->persons = scalar(c, SQL_N_PERSONS);
    out->accounts = scalar(c, SQL_N_ACCOUNTS);
    out->orgs = scalar(c, SQL_N_ORGS);
    out->keys = scalar(c, SQL_N_KEYS);
    out->change_seq = scalar(c, SQL_MAX_SEQ);
    return 0;
}

static int sq_backup(nt_store *base, const char *path, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        sqlite3_close(dst);
        return nt_err_set(err, NT_EIO, "cannot create %s", "không tạo được %s", path);
    }
    int rc = NT_EIO;
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
    if (b != NULL) {
        /* Copy in steps so writers on the live database are not held up for long. */
        int r;
        while ((r = sqlite3_backup_step(b, 1024)) == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED)
            sqlite3_sleep(r == SQLITE_OK ? 0 : 10);
        sqlite3_backup_finish(b);
        rc = r == SQLITE_DONE ? 0 : NT_EIO;
    }
    if (rc != 0)
        nt_err_set(err, NT_EIO, "backup failed: %s", "sao lưu thất bại: %s", sqlite3_errmsg(dst));
    sqlite3_close(dst);
    return rc;
}

/* ---- the transparency log: reading, checkpoints, redaction ---- */

static const char SQL_LOG_FROM[] = "SELECT idx, entry FROM log_entries WHERE idx >= ? ORDER BY idx";
static const char SQL_LOG_RECORDS_FROM[] =
    "SELECT idx, record_table, record_key, salt, record FROM log_records WHERE idx >= ? ORDER BY idx";
static const char SQL_CHECKPOINT_PUT[] = "INSERT OR IGNORE INTO log_checkpoints (size, note, signed_at) VALUES (?, ?, ?)";
static const char SQL_CHECKPOINT_LATEST[] = "SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1";

static int sq_log_each(nt_store *base, int64_t from, int (*fn)(void *arg, int64_t idx, const unsigned char *entry, size_t len),
                       void *arg)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_LOG_FROM, NULL);
    sqlite3_bind_int64(st, 1, from);
    int rc, stop = 0;
    while (stop == 0 && (rc = step(st)) == SQLITE_ROW) {
        const unsigned char *bytes = sqlite3_column_blob(st, 1);
        int len = sqlite3_column_bytes(st, 1);
        stop = fn(arg, sqlite3_column_int64(st, 0), bytes ? bytes : (const unsigned char *)"", (size_t)len);
    }
    sqlite3_reset(st);
    return stop != 0 ? stop : (rc == SQLITE_DONE ? 0 : db_error(c, NULL));
}

static int sq_log_records_each(nt_store *base, int64_t from,
                               int (*fn)(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                                         const char *record),
                               void *arg)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_LOG_RECORDS_FROM, NULL);
    sqlite3_bind_int64(st, 1, from);
    int rc, stop = 0;
    while (stop == 0 && (rc = step(st)) == SQLITE_ROW) {
        const unsigned char *salt = sqlite3_column_blob(st, 3);
        bool have = salt != NULL && sqlite3_column_bytes(st, 3) == NT_LOG_SALT_LEN;
        stop = fn(arg, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                  (const char *)sqlite3_column_text(st, 2), have ? salt : NULL, (const char *)sqlite3_column_text(st, 4));
    }
    sqlite3_reset(st);
    return stop != 0 ? stop : (rc == SQLITE_DONE ? 0 : db_error(c, NULL));
}

static const char SQL_LOG_LATEST[] =
    "SELECT r.idx, r.record_table, r.record_key, r.salt, e.entry FROM log_records r "
    "JOIN (SELECT record_table, record_key, max(idx) AS idx FROM log_records GROUP BY record_table, record_key) m "
    "ON m.idx = r.idx LEFT JOIN log_entries e ON e.idx = r.idx";

static int sq_log_latest_each(nt_store *base,
                              int (*fn)(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                                        const unsigned char *entry, size_t len),
                              void *arg)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_LOG_LATEST, NULL);
    int rc, stop = 0;
    while (stop == 0 && (rc = step(st)) == SQLITE_ROW) {
        const unsigned char *salt = sqlite3_column_blob(st, 3), *entry = sqlite3_column_blob(st, 4);
        bool have = salt != NULL && sqlite3_column_bytes(st, 3) == NT_LOG_SALT_LEN;
        stop =
            fn(arg, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
               have ? salt : NULL, entry, entry ? (size_t)sqlite3_column_bytes(st, 4) : 0);
    }
    sqlite3_reset(st);
    return stop != 0 ? stop : (rc == SQLITE_DONE ? 0 : db_error(c, NULL));
}

static int sq_log_live_record(nt_store *base, const char *table, const char *key, char **out)
{
    CONN_OR_FAIL(c, base, NULL);
    return live_record(c, table, key, out);
}

static int sq_log_append(nt_store *base, const nt_wctx *w, const nt_log_item *items, size_t n, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = log_append(c, w, items[i].type, "log", items[i].record_id, items[i].record, items[i].record_id, err);
    return wr_end(base, w, rc, err);
}

/* A checkpoint is reproducible: Ed25519 is deterministic, so the same key signs the same tree head
 * to the same bytes. Its row need not wait for fsync (the next durable commit carries it); one
 * lost in a crash is signed again, identical, at the next start. */
static int sq_log_checkpoint_put(nt_store *base, int64_t size, const char *note, const char *at, nt_err *err)
{
    (void)err;
    deferred *d = nt_xcalloc(1, sizeof(*d));
    d->kind = DEF_CHECKPOINT;
    d->n = size;
    d->a = nt_xstrdup(note);
    d->b = nt_xstrdup(at);
    return deferred_add((sq_store *)base, d);
}

static int sq_log_checkpoint_latest(nt_store *base, int64_t *size, char **note)
{
    sq_store *s = (sq_store *)base;
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_CHECKPOINT_LATEST, NULL);
    int rc = step(st);
    if (rc == SQLITE_ROW) {
        *size = sqlite3_column_int64(st, 0);
        *note = nt_xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    rc = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NT_ENOTFOUND : db_error(c, NULL);
    /* A larger one may still wait for its group (read after the database: it leaves the list
     * only once committed, so none is missed). */
    pthread_mutex_lock(&s->w.dmu);
    for (deferred *d = s->w.def; d != NULL; d = d->next)
        if (d->kind == DEF_CHECKPOINT && (rc == NT_ENOTFOUND || (rc == 0 && d->n > *size))) {
            if (rc == 0)
                free(*note);
            *size = d->n;
            *note = nt_xstrdup(d->a);
            rc = 0;
        }
    pthread_mutex_unlock(&s->w.dmu);
    return rc;
}

static const char SQL_REDACT_TARGET[] =
    "SELECT r.record_table, r.record_key FROM log_entries e JOIN log_records r ON r.idx = e.idx "
    "WHERE e.record_id = ? AND e.type <> 'redaction' ORDER BY e.idx LIMIT 1";
static const char SQL_REDACTED[] = "SELECT 1 FROM redactions WHERE record_id = ?";
static const char SQL_REDACTION_PUT[] =
    "INSERT INTO redactions (id, record_id, record_table, legal_basis, reason, redacted_by, at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_REDACT_RECORDS[] =
    "UPDATE log_records SET salt = NULL, record = NULL WHERE idx IN (SELECT idx FROM log_entries WHERE record_id = ?)";

/* What each table holds about the person beyond the public facts, and how redaction removes it. */
static const struct {
    const char *table;
    const char *sql;
} redact_content[] = {
    {"decisions", "UPDATE decisions SET body = json_set(json_remove(body, '$.facts', '$.notice'), '$.redacted', json('true')) "
                  "WHERE id = ?"},
    {"sanctions", "UPDATE sanctions SET description = NULL WHERE id = ?"},
    {"appeals", "UPDATE appeals SET grounds = '', reasons = NULL WHERE id = ?"},
    {"accounts", "DELETE FROM accounts WHERE platform || ':' || handle = ?"},
};

static int redact_rows(struct conn *c, const nt_wctx *w, const char *redaction_id, const char *record_id, const char *legal_basis,
                       const char *reason, nt_err *err)
{
    int rc;
    char table[32] = "", key[NT_HANDLE_MAX + 32] = "";
    sqlite3_stmt *q = stmt(c, SQL_REDACT_TARGET);
    if (q == NULL)
        return db_error(c, err);
    bind_text(q, 1, record_id);
    if (step(q) == SQLITE_ROW) {
        nt_strlcpy(table, (const char *)sqlite3_column_text(q, 0), sizeof(table));
        nt_strlcpy(key, (const char *)sqlite3_column_text(q, 1), sizeof(key));
    }
    sqlite3_reset(q);
    if (table[0] == '\0' || strcmp(table, "redactions") == 0)
        return nt_err_set(err, NT_ENOTFOUND, "no logged record %s", "không có bản ghi %s trong nhật ký", record_id);
    char done[8];
    first_text(c, SQL_REDACTED, record_id, NULL, done, sizeof(done));
    if (done[0] != '\0')
        return nt_err_set(err, NT_ECONFLICT, "record %s is redacted already", "bản ghi %s đã được xóa nội dung", record_id);
    sqlite3_stmt *st = stmt(c, SQL_REDACTION_PUT);
    if (st == NULL)
        return db_error(c, err);
    bind_text(st, 1, redaction_id);
    bind_text(st, 2, record_id);
    bind_text(st, 3, table);
    bind_text(st, 4, legal_basis);
    bind_text(st, 5, reason);
    bind_text(st, 6, w->key_id);
    bind_text(st, 7, w->at);
    rc = exec_step(c, st, err);
    char owner[NT_ID_LEN] = ""; /* an account's person, before the link goes */
    const char *colon = strcmp(table, "accounts") == 0 ? strchr(key, ':') : NULL;
    if (colon != NULL) {
        char platform[32];
        snprintf(platform, sizeof(platform), "%.*s", (int)(colon - key), key);
        first_text(c, SQL_ACCOUNT_OWNER, platform, colon + 1, owner, sizeof(owner));
    }
    for (size_t i = 0; rc == 0 && i < sizeof(redact_content) / sizeof(redact_content[0]); i++) {
        if (strcmp(redact_content[i].table, table) != 0)
            continue;
        if ((st = stmt(c, redact_content[i].sql)) == NULL)
            return db_error(c, err);
        bind_text(st, 1, key);
        rc = exec_step(c, st, err);
    }
    if (rc == 0 && (st = stmt(c, SQL_REDACT_RECORDS)) == NULL)
        return db_error(c, err);
    if (rc == 0) {
        bind_text(st, 1, record_id);
        rc = exec_step(c, st, err);
    }
    /* Followers (caches, the check index) re-read what changed: the record, and for an account the
     * person whose accounts it was among. */
    static const char *const entity[][2] = {
        {"decisions", "decision"}, {"sanctions", "sanction"}, {"appeals", "appeal"}, {"accounts", "account"}};
    for (size_t i = 0; rc == 0 && i < sizeof(entity) / sizeof(entity[0]); i++)
        if (strcmp(entity[i][0], table) == 0)
            rc = also_changed(c, w, entity[i][1], key, strcmp(table, "accounts") == 0 ? "delete" : "update", err);
    if (rc == 0 && owner[0] != '\0')
        rc = also_changed(c, w, "person", owner, "accounts", err);
    if (rc == 0)
        rc = record(c, w, "redaction.create", "redaction", redaction_id, "create", err);
    if (rc == 0)
        rc = log_append(c, w, NT_LOG_REDACTION, "redactions", redaction_id, NULL, record_id, err);
    return rc;
}

static int sq_log_redact(nt_store *base, const nt_wctx *w, const char *redaction_id, const char *record_id, const char *legal_basis,
                         const char *reason, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = wr_begin(base, &c, err);
    if (rc == 0)
        rc = redact_rows(c, w, redaction_id, record_id, legal_basis, reason, err);
    return wr_end(base, w, rc, err);
}

static void sq_committed(nt_store *base, int64_t *change_seq, int64_t *log_size)
{
    sq_store *s = (sq_store *)base;
    *change_seq = atomic_load(&s->w.committed_seq);
    *log_size = atomic_load(&s->w.committed_log);
}

/* ---- deferred small writes ---- */

static void deferred_free(deferred *d)
{
    free(d->a);
    free(d->b);
    free(d->c);
    free(d->d);
    free(d->e);
    free(d);
}

/* Writes what is deferred in an empty group of its own (when no write came to carry it). */
static void deferred_flush(sq_store *s)
{
    pthread_mutex_lock(&s->w.dmu);
    int n = s->w.ndef;
    pthread_mutex_unlock(&s->w.dmu);
    if (n == 0)
        return;
    struct conn *c;
    nt_err e;
    nt_err_clear(&e);
    int rc = wr_begin(&s->base, &c, &e);
    wr_end(&s->base, NULL, rc, &e);
}

static int deferred_add(sq_store *s, deferred *d)
{
    pthread_mutex_lock(&s->w.dmu);
    d->next = s->w.def;
    s->w.def = d;
    int n = ++s->w.ndef;
    pthread_mutex_unlock(&s->w.dmu);
    if (n > DEFERRED_MAX) /* bounded: past that, the adder pays for a group */
        deferred_flush(s);
    return 0;
}

/* In a new group, before its writes: every deferred write not yet being applied. Failures leave
 * them for the next group (a key's last use, a checkpoint, an answer: none is a client's write). */
static void deferred_apply(sq_store *s, struct conn *c, uint64_t gen)
{
    pthread_mutex_lock(&s->w.dmu);
    for (deferred *d = s->w.def; d != NULL; d = d->next) {
        if (d->applying != 0)
            continue;
        sqlite3_stmt *st = stmt(c, d->kind == DEF_KEY_TOUCH    ? SQL_KEY_TOUCH
                                   : d->kind == DEF_CHECKPOINT ? SQL_CHECKPOINT_PUT
                                                               : SQL_IDEM_ANSWER);
        if (st == NULL)
            break;
        if (d->kind == DEF_KEY_TOUCH) {
            bind_text(st, 1, d->b);
            bind_text(st, 2, d->a);
        } else if (d->kind == DEF_CHECKPOINT) {
            sqlite3_bind_int64(st, 1, d->n);
            bind_text(st, 2, d->a);
            bind_text(st, 3, d->b);
        } else {
            sqlite3_bind_int(st, 1, (int)d->n);
            bind_text(st, 2, d->c);
            sqlite3_bind_blob(st, 3, d->e, (int)d->len, SQLITE_STATIC);
            bind_text(st, 4, d->d);
            bind_text(st, 5, d->a);
            bind_text(st, 6, d->b);
        }
        if (exec_step(c, st, NULL) == 0)
            d->applying = gen;
    }
    pthread_mutex_unlock(&s->w.dmu);
}

/* A group ended: what it applied is gone from the list if it committed, else applied again later. */
static void deferred_done(sq_store *s, uint64_t gen, bool committed)
{
    pthread_mutex_lock(&s->w.dmu);
    for (deferred **p = &s->w.def; *p != NULL;) {
        deferred *d = *p;
        if (d->applying == gen && committed) {
            *p = d->next;
            s->w.ndef--;
            deferred_free(d);
            continue;
        }
        if (d->applying == gen)
            d->applying = 0;
        p = &d->next;
    }
    pthread_mutex_unlock(&s->w.dmu);
}

/* The server's request threads commit without copying the WAL back into the database (which
 * would make the occasional write wait for it); a background thread calls this instead. */
static int sq_checkpoint(nt_store *base)
{
    sq_store *s = (sq_store *)base;
    if (!atomic_exchange(&s->background_checkpoints, true)) {
        /* The connections already open (this thread's included) stop checkpointing too. */
        /* The writer's connection is its own (and keeps its WAL hook). Locks in the writer's order:
         * its mutex, then the list's (wr_begin opens its connection holding the first). */
        pthread_mutex_lock(&s->w.mu);
        pthread_mutex_lock(&s->lock);
        for (struct conn *c = s->conns; c != NULL; c = c->next)
            if (c != s->w.c)
                sqlite3_wal_autocheckpoint(c->db, 0);
        pthread_mutex_unlock(&s->lock);
        pthread_mutex_unlock(&s->w.mu);
    }
    deferred_flush(s);
    CONN_OR_FAIL(c, base, NULL);
    int log = 0, done = 0;
    if (sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done) != SQLITE_OK)
        return NT_EBUSY;
    if (done >= 0)
        atomic_store(&s->w.backfilled_bytes, (int64_t)done * 4096);
    return log - done > 256 ? 1 : 0; /* more than a megabyte still to copy: come back soon */
}

const struct nt_store_ops nt_store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .migrate = sq_migrate,
    .ping = sq_ping,
    .idem_get = sq_idem_get,
    .idem_answer = sq_idem_answer,
    .committed = sq_committed,
    .org_put = sq_org_put,
    .org_get = sq_org_get,
    .org_list = sq_org_list,
    .key_put = sq_key_put,
    .key_get = sq_key_get,
    .key_list = sq_key_list,
    .key_revoke = sq_key_revoke,
    .key_touch = sq_key_touch,
    .person_put = sq_person_put,
    .person_update = sq_person_update,
    .person_get = sq_person_get,
    .person_by_nid = sq_person_by_nid,
    .person_search = sq_person_search,
    .bulk_begin = sq_bulk_begin,
    .bulk_person = sq_bulk_person,
    .bulk_account = sq_bulk_account,
    .bulk_end = sq_bulk_end,
    .account_put = sq_account_put,
    .account_get = sq_account_get,
    .account_delete = sq_account_delete,
    .account_list = sq_account_list,
    .changes_since = sq_changes_since,
    .write = sq_write,
    .query = sq_query,
    .query_each = sq_query_each,
    .log_each = sq_log_each,
    .log_records_each = sq_log_records_each,
    .log_latest_each = sq_log_latest_each,
    .log_live_record = sq_log_live_record,
    .log_append = sq_log_append,
    .log_checkpoint_put = sq_log_checkpoint_put,
    .log_checkpoint_latest = sq_log_checkpoint_latest,
    .log_redact = sq_log_redact,
    .checkpoint = sq_checkpoint,
    .stats = sq_stats,
    .backup = sq_backup,
};
