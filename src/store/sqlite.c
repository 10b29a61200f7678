/* SQLite backend: WAL, synchronous=FULL; connections, statements, transactions, the writer.
 *
 * Each thread that reads gets its own connection with a cache of prepared statements (keyed by
 * the SQL string's address, since every statement is a constant here); readers never wait on the
 * writer in WAL mode. Every write of the process goes through one writer: one connection, writes
 * run one at a time as savepoints of a group transaction that the last of them commits (one
 * fsync for the group). Small bookkeeping writes (keys' last use, signed checkpoints, idempotency
 * answers) wait for the next group. This file also holds idempotency, opening, migrations, the
 * change sequence, statistics, backups and the operations table; the rows of each concern are in
 * the other sqlite_*.c files (sqlite_int.h lists them). */
#include "core/alloc.h"
#include "core/embed.h"
#include "store/sqlite_int.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

static _Atomic uint64_t next_gen = 1;
static _Thread_local struct conn *tl_conn;

/* ---- fault injection (builds with NT_FAULTS only: the tests' builds, never a release) ----
 * A write can be made to fail at its Nth SQLite step, or at SQLite's Nth allocation within it, to
 * show that every failure along a write leaves nothing behind (tests/api/test_faults.py). The
 * test writes "step N" or "alloc N" to the file NIEMTIN_FAULT_FILE names; the next write made
 * for a request takes it (and empties the file). The program's own allocations abort by policy (core/alloc.h), so
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

int nt__sq_step(db_stmt *st)
{
    if (fault_steps > 0 && --fault_steps == 0)
        return DB_ERROR;
    return db_step(st);
}
#else
static void faults_init(void) {}
static void faults_arm(void) {}
static void faults_disarm(void) {}
int nt__sq_step(db_stmt *st)
{
    return db_step(st);
}
#endif

/* Waits for another connection's lock in small steps (0.1 ms, then 1 ms) for up to 10 s:
 * SQLite's own handler sleeps up to 100 ms at a time, long enough to stall a request that was
 * only briefly in the way of a WAL restart. */
static int busy_wait(void *arg, int count)
{
    (void)arg;
    if (count > 10000 + 20)
        return 0;
    usleep(count < 20 ? 100 : 1000);
    return 1;
}

/* SQLite: WAL, full fsync at commit, foreign keys. PostgreSQL: a connection to the server, its
 * settings the server's (synchronous_commit on, as shipped). */
static int open_db(const char *path, bool create, db_conn **out, nt_err *err)
{
    db_conn *d = nt_xcalloc(1, sizeof(*d));
    if (db_is_postgres(path)) {
        char *msg = NULL;
        d->engine = DB_POSTGRES;
        if ((d->pg = pg_connect(path, &msg)) == NULL) {
            nt_err_set(err, NT_EIO, "cannot connect to PostgreSQL: %s", "không kết nối được PostgreSQL: %s", msg ? msg : "?");
            free(msg);
            free(d);
            return NT_EIO;
        }
        *out = d;
        return 0;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &d->sq, flags, NULL) != SQLITE_OK) {
        nt_err_set(err, NT_EIO, "cannot open database %s: %s", "không mở được cơ sở dữ liệu %s: %s", path,
                   d->sq ? sqlite3_errmsg(d->sq) : "out of memory");
        db_close(d);
        return NT_EIO;
    }
    sqlite3_busy_handler(d->sq, busy_wait, NULL);
    char *msg = NULL;
    if (db_exec(d,
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;",
                &msg) != DB_OK) {
        nt_err_set(err, NT_EIO, "cannot configure database: %s", "không cấu hình được cơ sở dữ liệu: %s", msg);
        free(msg);
        db_close(d);
        return NT_EIO;
    }
    *out = d;
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
    if (atomic_load(&s->background_checkpoints) && c->db->engine == DB_SQLITE)
        sqlite3_wal_autocheckpoint(c->db->sq, 0);
    pthread_mutex_lock(&s->lock);
    c->next = s->conns;
    s->conns = c;
    pthread_mutex_unlock(&s->lock);
    return c;
}

static void conn_free(struct conn *c)
{
    for (int i = 0; i < c->ncache; i++)
        db_finalize(c->cache[i].st);
    free(c->cache);
    free(c->idem_response);
    for (int i = 0; i < c->ndyn; i++) {
        db_finalize(c->dyn[i].st);
        free(c->dyn[i].sql);
    }
    db_close(c->db);
    if (tl_conn == c)
        tl_conn = NULL;
    free(c);
}

/* A connection whose server went away (PostgreSQL restarted): taken off the list and closed;
 * the next use opens another. */
static void drop_conn(sq_store *s, struct conn **cp)
{
    struct conn *c = *cp;
    pthread_mutex_lock(&s->lock);
    for (struct conn **p = &s->conns; *p != NULL; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    pthread_mutex_unlock(&s->lock);
    conn_free(c);
    *cp = NULL;
}

/* How a write transaction begins: SQLite takes its write lock at once; PostgreSQL takes an
 * advisory lock that every server's writer takes, so that writes are serialised across servers
 * and the change sequence and the log's indexes are allocated in commit order. */
static const char *begin_sql(struct conn *c)
{
    return c->db->engine == DB_POSTGRES ? "BEGIN; SELECT pg_advisory_xact_lock(7446854)" : "BEGIN IMMEDIATE";
}

/* This thread's connection, for reads (and for the bulk import's own transaction). */
struct conn *nt__sq_get_conn(nt_store *base)
{
    sq_store *s = (sq_store *)base;
    if (tl_conn != NULL && tl_conn->gen == s->gen && db_broken(tl_conn->db))
        drop_conn(s, &tl_conn);
    if (tl_conn != NULL && tl_conn->gen == s->gen)
        return tl_conn;
    struct conn *c = new_conn(s);
    if (c != NULL)
        tl_conn = c;
    return c;
}

/* A prepared statement for a constant SQL string, reset and ready to bind. */
db_stmt *nt__sq_stmt(struct conn *c, const char *sql)
{
    for (int i = 0; i < c->ncache; i++) {
        if (c->cache[i].sql == sql) {
            db_reset(c->cache[i].st);
            db_clear_bindings(c->cache[i].st);
            return c->cache[i].st;
        }
    }
    db_stmt *st = db_prepare(c->db, sql);
    if (st == NULL)
        return NULL;
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
db_stmt *nt__sq_dyn_stmt(struct conn *c, const char *sql)
{
    for (int i = 0; i < c->ndyn; i++)
        if (strcmp(c->dyn[i].sql, sql) == 0) {
            db_reset(c->dyn[i].st);
            db_clear_bindings(c->dyn[i].st);
            return c->dyn[i].st;
        }
    db_stmt *st = db_prepare(c->db, sql);
    if (st == NULL)
        return NULL;
    char *copy = nt_xstrdup(sql);
    int slot = c->ndyn < DYN_CACHE ? c->ndyn++ : c->next_dyn++ % DYN_CACHE;
    if (c->dyn[slot].st != NULL) {
        db_finalize(c->dyn[slot].st);
        free(c->dyn[slot].sql);
    }
    c->dyn[slot].sql = copy;
    c->dyn[slot].st = st;
    return st;
}

void nt__sq_bind_text(db_stmt *st, int i, const char *v)
{
    if (v == NULL)
        db_bind_null(st, i);
    else
        db_bind_text(st, i, v, -1, DB_STATIC);
}

void nt__sq_bind_int_or_null(db_stmt *st, int i, int64_t v, int64_t null_value)
{
    if (v == null_value)
        db_bind_null(st, i);
    else
        db_bind_int64(st, i, v);
}

static _Thread_local bool tl_unreachable;

bool nt_store_unreachable(bool clear)
{
    bool was = tl_unreachable;
    if (clear)
        tl_unreachable = false;
    return was;
}

/* A database that cannot be reached (no connection, or the server went away mid-statement) is
 * unavailable for now (503, try again), not a failure of the request (500); the thread remembers
 * it for the request's answer (nt_store_unreachable). */
static int disk_full(nt_err *err)
{
    return nt_err_set(err, NT_ENOSPACE, "the database's disk is full: nothing was written; try again once space is freed",
                      "ổ đĩa của cơ sở dữ liệu đã đầy: chưa ghi gì; hãy thử lại khi đã giải phóng dung lượng");
}

int nt__sq_db_error(struct conn *c, nt_err *err)
{
    if (c == NULL || db_broken(c->db)) {
        tl_unreachable = true;
        return nt_err_set(err, NT_EUNAVAIL, "the database cannot be reached: %s", "không kết nối được cơ sở dữ liệu: %s",
                          c ? db_errmsg(c->db) : "no connection");
    }
    if (db_disk_full(c->db))
        return disk_full(err);
    return nt_err_set(err, NT_EIO, "database error: %s", "lỗi cơ sở dữ liệu: %s", db_errmsg(c->db));
}

/* Builds an object from the current row: column names as keys; the "aliases" column holds JSON. */
json_t *nt__sq_row_json(db_stmt *st)
{
    json_t *o = json_object();
    int n = db_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = db_column_name(st, i);
        json_t *v;
        switch (db_column_type(st, i)) {
        case DB_INTEGER:
            /* SQLite has no boolean type: has_* columns are flags. */
            if (strncmp(name, "has_", 4) == 0)
                v = json_boolean(db_column_int64(st, i));
            else
                v = json_integer(db_column_int64(st, i));
            break;
        case DB_NULL:
            v = json_null();
            break;
        default: {
            const char *t = (const char *)db_column_text(st, i);
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

int nt__sq_query_one(struct conn *c, db_stmt *st, json_t **out)
{
    int rc = nt__sq_step(st);
    if (rc == DB_ROW) {
        *out = nt__sq_row_json(st);
        db_reset(st);
        return 0;
    }
    db_reset(st);
    return rc == DB_DONE ? NT_ENOTFOUND : nt__sq_db_error(c, NULL);
}

int nt__sq_query_all(struct conn *c, db_stmt *st, json_t **out)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = nt__sq_step(st)) == DB_ROW)
        json_array_append_new(arr, nt__sq_row_json(st));
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        return nt__sq_db_error(c, NULL);
    }
    *out = arr;
    return 0;
}

/* A clash with a unique key is the client's conflict (NT_ECONFLICT); any other failure, a failed
 * foreign key or check among them (which the services' validation should have prevented, or which
 * SQLite reports when memory runs out mid-statement), is the server's error. */
int nt__sq_step_error(struct conn *c, int rc, int ext, nt_err *err)
{
    if (rc != DB_DONE && ext)
        return nt_err_set(err, NT_ECONFLICT, "conflicts with an existing record", "trùng với một bản ghi đã có");
    return nt__sq_db_error(c, err);
}

int nt__sq_exec_step(struct conn *c, db_stmt *st, nt_err *err)
{
    int rc = nt__sq_step(st);
    int ext = rc == DB_DONE ? 0 : db_unique_violation(c->db);
    db_reset(st);
    return rc == DB_DONE ? 0 : nt__sq_step_error(c, rc, ext, err);
}

/* On PostgreSQL a failed statement ends its transaction, where SQLite rolls back the statement
 * alone: a statement whose clash the caller reads about afterwards, in the same transaction, runs
 * in a savepoint of its own there. */
int nt__sq_exec_step_alone(struct conn *c, db_stmt *st, nt_err *err)
{
    if (c->db->engine != DB_POSTGRES || db_autocommit(c->db))
        return nt__sq_exec_step(c, st, err);
    if (db_exec(c->db, "SAVEPOINT s", NULL) != DB_OK)
        return nt__sq_db_error(c, err);
    int rc = nt__sq_exec_step(c, st, err);
    db_exec(c->db, rc == 0 ? "RELEASE s" : "ROLLBACK TO s; RELEASE s", NULL);
    return rc;
}

int nt__sq_tx(struct conn *c, const char *sql, nt_err *err)
{
    char *msg = NULL;
    if (db_exec(c->db, sql, &msg) != DB_OK) {
        int code = db_broken(c->db) ? NT_EUNAVAIL : db_disk_full(c->db) ? NT_ENOSPACE : NT_EIO;
        nt_err_set(err, code, "%s failed: %s", "%s thất bại: %s", sql, msg ? msg : "?");
        free(msg);
        return code;
    }
    return 0;
}

static void idem_reset(struct conn *c)
{
    c->idem_pending = false;
    c->idem_created = false;
    free(c->idem_response);
    c->idem_response = NULL;
    c->idem_entity[0] = '\0';
}

/* A transaction on this thread's own connection: migrations and the bulk import only; every
 * other write goes through the writer (wr_begin … wr_end). */
int nt__sq_tx_begin(struct conn *c, nt_err *err)
{
    c->log_next = -1;
    idem_reset(c);
    return nt__sq_tx(c, begin_sql(c), err);
}

int nt__sq_tx_end(struct conn *c, int rc, nt_err *err)
{
    if (rc == 0)
        rc = nt__sq_tx(c, "COMMIT", err);
    if (rc != 0 && !db_autocommit(c->db))
        db_exec(c->db, "ROLLBACK", NULL);
    return rc;
}

static int idem_put(struct conn *c, const nt_wctx *w, nt_err *err);
static void deferred_apply(sq_store *s, struct conn *c, uint64_t gen);
static void deferred_done(sq_store *s, uint64_t gen, bool committed);

static int wal_hook(void *arg, sqlite3 *sq, const char *name, int frames)
{
    (void)sq;
    (void)name;
    writer *g = arg;
    g->wal_bytes = (int64_t)frames * 4096; /* the page size niemtin's databases use */
    return DB_OK;
}

/* Takes the writer for one write: joins the open group transaction or opens one, and starts the
 * write's savepoint. Always paired with wr_end, whatever it returns. */
int nt__sq_wr_begin(nt_store *base, const nt_wctx *w, struct conn **out, nt_err *err)
{
    sq_store *s = (sq_store *)base;
    writer *g = &s->w;
    if (base->read_only) { /* wr_end, which always follows, finds no group open */
        *out = NULL;
        pthread_mutex_lock(&g->mu);
        return nt_err_set(err, NT_EREADONLY, "this server only reads: write through the primary",
                          "máy chủ này chỉ đọc: hãy ghi qua máy chủ chính");
    }
    atomic_fetch_add(&g->waiting, 1);
    pthread_mutex_lock(&g->mu);
    atomic_fetch_sub(&g->waiting, 1);
    *out = NULL;
    if (g->c != NULL && db_broken(g->c->db)) /* the server went away: a connection anew */
        drop_conn(s, &g->c);
    if (g->c == NULL && (g->c = new_conn(s)) != NULL && g->c->db->engine == DB_POSTGRES) {
        atomic_store(&s->writer_pid, pg_backend_pid(g->c->db->pg)); /* its notifications are our own */
    } else if (g->c != NULL && g->c->db->engine == DB_SQLITE && !g->configured) {
        g->configured = true;
        char sql[64];
        snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit=%d", JOURNAL_LIMIT);
        db_exec(g->c->db, sql, NULL);
        sqlite3_wal_hook(g->c->db->sq, wal_hook, g); /* replaces SQLite's own checkpointing: see wr_commit */
#ifdef NT_FAULTS
        /* Small allocations from the heap too, where an injected failure can reach them. */
        sqlite3_db_config(g->c->db->sq, SQLITE_DBCONFIG_LOOKASIDE, NULL, 0, 0);
#endif
    }
    struct conn *c = g->c;
    if (c == NULL)
        return nt__sq_db_error(NULL, err);
    bool saved = false; /* the write's savepoint begun with the group: one round trip fewer on PostgreSQL */
    if (!g->open) {
        c->log_next = -1;
        pthread_mutex_lock(&s->w.dmu);
        saved = s->w.ndef == 0;
        pthread_mutex_unlock(&s->w.dmu);
        char begin[96];
        snprintf(begin, sizeof(begin), "%s%s", begin_sql(c), saved ? "; SAVEPOINT w" : "");
        int rc = nt__sq_tx(c, begin, err);
        if (rc != 0)
            return rc;
        g->open = true;
        g->members = 0;
        g->gen++;
        if (!saved)
            deferred_apply(s, c, g->gen);
    }
    g->members++;
    idem_reset(c);
    int rc = saved ? 0 : nt__sq_tx(c, "SAVEPOINT w", err);
    if (rc == 0)
        *out = c;
    if (w != NULL && w->request_id != NULL) /* a request's write; not the runtime's own */
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
    /* On PostgreSQL, the servers following the change sequence are told at commit (wait_change). */
    int rc = nt__sq_tx(c, c->db->engine == DB_POSTGRES ? "NOTIFY niemtin_changes; COMMIT" : "COMMIT", NULL);
    if (rc != 0 && !db_autocommit(c->db))
        db_exec(c->db, "ROLLBACK", NULL);
    g->open = false;
    g->results[g->gen % RESULTS] = rc != 0 && db_broken(c->db) ? NT_EUNAVAIL : rc;
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
    if (c->db->engine != DB_SQLITE) {
        /* PostgreSQL keeps its own write-ahead log. */
    } else if (g->wal_bytes > WAL_HARD || (g->wal_bytes > WAL_SOFT && (!background || behind < WAL_BEHIND))) {
        sqlite3_wal_checkpoint_v2(c->db->sq, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
        g->wal_bytes = 0;
        atomic_store(&g->backfilled_bytes, 0);
    } else if (!background && g->wal_bytes > 1000 * 4096) { /* what SQLite's own automatic checkpoint does */
        sqlite3_wal_checkpoint_v2(c->db->sq, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
}

/* Ends a write: its idempotency record (if it carries a key), then RELEASE, or ROLLBACK TO its
 * savepoint when it failed. The last write to join a group commits it; the others wait for that.
 * Returns the write's result, or an error if its group could not commit. */
int nt__sq_wr_end(nt_store *base, const nt_wctx *w, int rc, nt_err *err)
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
    /* The last write to join commits the group; COMMIT releases its savepoint with it. */
    bool commit_now = rc == 0 && (atomic_load(&g->waiting) == 0 || g->members >= GROUP_MAX);
    if (rc == 0 && !commit_now)
        rc = nt__sq_tx(c, "RELEASE w", err);
    if (rc != 0 && !db_autocommit(c->db)) {
        db_exec(c->db, "ROLLBACK TO w; RELEASE w", NULL);
        if (c->log_next > atomic_load(&g->committed_log)) /* still an upper bound */
            atomic_store(&g->committed_log, c->log_next);
        c->log_next = -1; /* the indexes it took are free again */
    }
    idem_reset(c);
    uint64_t mine = g->gen;
    if (db_autocommit(c->db)) {
        /* An error (a full disk, an I/O error) rolled the whole transaction back: every write in
         * it is lost, and told so. */
        g->open = false;
        g->results[mine % RESULTS] = db_broken(c->db) ? NT_EUNAVAIL : db_disk_full(c->db) ? NT_ENOSPACE : NT_EIO;
        g->done = mine;
        deferred_done(s, mine, false);
        pthread_cond_broadcast(&g->cv);
    } else if (commit_now || atomic_load(&g->waiting) == 0 || g->members >= GROUP_MAX) {
        wr_commit(s);
    } else {
        while (g->done < mine)
            pthread_cond_wait(&g->cv, &g->mu);
    }
    int grc = g->results[mine % RESULTS];
    pthread_mutex_unlock(&g->mu);
    if (rc == 0 && grc == NT_ENOSPACE)
        rc = disk_full(err);
    else if (rc == 0 && grc != 0)
        rc = grc == NT_EUNAVAIL ? nt_err_set(err, NT_EUNAVAIL, "the database cannot be reached", "không kết nối được cơ sở dữ liệu")
                                : nt_err_set(err, NT_EIO, "the write could not be committed", "không ghi được vào cơ sở dữ liệu");
    if (rc == 0 && idem && w->logged != NULL)
        w->logged->idem_recorded = true;
    return rc;
}

static const char SQL_KEY_TOUCH[] = "UPDATE api_keys SET last_used_at = ? WHERE id = ?";
static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET seen_at = ?1 WHERE id = ?2 AND seen_at < ?1";
static const char SQL_CHECKPOINT_PUT[] =
    "INSERT INTO log_checkpoints (size, note, signed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
static const char SQL_AUDIT[] = "INSERT INTO audit (at, key_id, request_id, action, entity, entity_id) VALUES (?, ?, ?, ?, ?, ?)";
/* The change sequence is gap-free in commit order: each number is the last one plus one, taken
 * inside the writing transaction, which holds the store's write lock (one writer at a time, on
 * SQLite by its lock, on PostgreSQL by an advisory lock across every server). A write rolled
 * back gives its numbers back. */
static const char SQL_CHANGE[] = "INSERT INTO changes (seq, entity, entity_id, op, at) VALUES ((SELECT coalesce(max(seq), 0) + 1 "
                                 "FROM changes), ?, ?, ?, ?) RETURNING seq";
static const char SQL_IDEM_PUT[] =
    "INSERT INTO idempotency (scope, idem_key, request_hash, status, created, response, entity_id, log_first, log_count, "
    "created_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)";

/* The first row a write changes names what its idempotency record will hold (one record per write,
 * however many rows it changes; none for a write that carries no key or has recorded it already). */
static void idem_note(struct conn *c, const nt_wctx *w, const char *id)
{
    if (w->idem_key == NULL || c->idem_pending || (w->logged != NULL && w->logged->idem_recorded))
        return;
    c->idem_pending = true;
    c->idem_created = w->idem_created;
    c->idem_response = w->idem_response != NULL ? nt_xstrdup(w->idem_response) : NULL;
    nt_strlcpy(c->idem_entity, id != NULL ? id : "", sizeof(c->idem_entity));
}

/* Inserts a change row, its number kept as the highest this connection wrote. */
static int change_step(struct conn *c, db_stmt *st, nt_err *err)
{
    int rc = nt__sq_step(st);
    if (rc == DB_ROW) {
        c->seq_max = db_column_int64(st, 0);
        db_reset(st);
        return 0;
    }
    int ext = db_unique_violation(c->db);
    db_reset(st);
    return nt__sq_step_error(c, rc, ext, err);
}

int nt__sq_audit(struct conn *c, const nt_wctx *w, const char *action, const char *entity, const char *id, nt_err *err)
{
    db_stmt *st = nt__sq_stmt(c, SQL_AUDIT);
    if (st == NULL)
        return nt__sq_db_error(c, err);
    nt__sq_bind_text(st, 1, w->at);
    nt__sq_bind_text(st, 2, w->key_id);
    nt__sq_bind_text(st, 3, w->request_id);
    nt__sq_bind_text(st, 4, action);
    nt__sq_bind_text(st, 5, entity);
    nt__sq_bind_text(st, 6, id);
    return nt__sq_exec_step(c, st, err);
}

static int nt__sq_audit_only(nt_store *base, const nt_wctx *w, const char *action, const char *entity, const char *id, nt_err *err)
{
    nt_wctx plain = *w; /* a refusal records no idempotency answer */
    plain.idem_key = NULL;
    plain.logged = NULL;
    struct conn *c;
    int rc = nt__sq_wr_begin(base, &plain, &c, err);
    if (rc == 0)
        rc = nt__sq_audit(c, &plain, action, entity, id, err);
    return nt__sq_wr_end(base, &plain, rc, err);
}

/* The bookkeeping every write carries, inside its transaction. */
int nt__sq_record(struct conn *c, const nt_wctx *w, const char *action, const char *entity, const char *id, const char *op,
                  nt_err *err)
{
    int rc = nt__sq_audit(c, w, action, entity, id, err);
    if (rc != 0)
        return rc;
    db_stmt *st = nt__sq_stmt(c, SQL_CHANGE);
    if (st == NULL)
        return nt__sq_db_error(c, err);
    nt__sq_bind_text(st, 1, entity);
    nt__sq_bind_text(st, 2, id);
    nt__sq_bind_text(st, 3, op);
    nt__sq_bind_text(st, 4, w->at);
    if ((rc = change_step(c, st, err)) != 0)
        return rc;
    idem_note(c, w, id);
    return 0;
}

static int idem_put(struct conn *c, const nt_wctx *w, nt_err *err)
{
    STMT_OR_FAIL(st, c, SQL_IDEM_PUT, err);
    nt__sq_bind_text(st, 1, w->idem_scope);
    nt__sq_bind_text(st, 2, w->idem_key);
    nt__sq_bind_text(st, 3, w->idem_hash);
    db_bind_int(st, 4, c->idem_created);
    nt__sq_bind_text(st, 5, c->idem_response);
    nt__sq_bind_text(st, 6, c->idem_entity[0] ? c->idem_entity : NULL);
    if (w->logged != NULL && w->logged->count > 0) {
        db_bind_int64(st, 7, w->logged->first);
        db_bind_int(st, 8, w->logged->count);
    } else {
        db_bind_null(st, 7);
        db_bind_int(st, 8, 0);
    }
    nt__sq_bind_text(st, 9, w->at);
    int rc = nt__sq_exec_step(c, st, err);
    if (rc == NT_ECONFLICT) /* another server's request with the same key committed first */
        return nt_err_set(err, NT_EBUSY, "a request with this Idempotency-Key is already being processed",
                          "một yêu cầu với Idempotency-Key này đang được xử lý");
    return rc;
}

/* A change row alone: a write to one entity that changes how another reads (an account and its person). */
int nt__sq_also_changed(struct conn *c, const nt_wctx *w, const char *entity, const char *id, const char *op, nt_err *err)
{
    STMT_OR_FAIL(st, c, SQL_CHANGE, err);
    nt__sq_bind_text(st, 1, entity);
    nt__sq_bind_text(st, 2, id);
    nt__sq_bind_text(st, 3, op);
    nt__sq_bind_text(st, 4, w->at);
    int rc = change_step(c, st, err);
    if (rc == 0)
        idem_note(c, w, id);
    return rc;
}

/* The first column of the first row of a statement with up to two text parameters, into out
 * ("" when there is no row). */
void nt__sq_first_text(struct conn *c, const char *sql, const char *p1, const char *p2, char *out, size_t cap)
{
    out[0] = '\0';
    db_stmt *q = nt__sq_stmt(c, sql);
    if (q == NULL)
        return;
    nt__sq_bind_text(q, 1, p1);
    if (p2 != NULL)
        nt__sq_bind_text(q, 2, p2);
    if (nt__sq_step(q) == DB_ROW && db_column_text(q, 0) != NULL)
        nt_strlcpy(out, (const char *)db_column_text(q, 0), cap);
    db_reset(q);
}

/* ---- open, migrate, close ---- */

static const char SQL_MIGRATIONS[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";

/* The migration's SQL as this engine spells its placeholders (see 001_init.sql); malloc'd. */
static char *migration_sql(struct conn *c, const char *text)
{
    if (c->db->engine == DB_POSTGRES)
        return pg_migration_sql(text);
    size_t cap = strlen(text) * 2 + 1;
    char *sql = nt_xmalloc(cap);
    size_t o = 0;
    for (const char *p = text; *p;) {
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
    return sql;
}

/* Applies one migration unless it is applied already: checked inside the transaction, which holds
 * the write lock, so that servers starting together apply each once. */
static int migrate_one(struct conn *c, int version, const struct nt_embedded *m, nt_err *err)
{
    int rc = nt__sq_tx_begin(c, err);
    if (rc != 0)
        return rc;
    db_stmt *st = db_prepare(c->db, "SELECT 1 FROM schema_migrations WHERE version = ?");
    if (st == NULL)
        return nt__sq_tx_end(c, nt__sq_db_error(c, err), err);
    db_bind_int(st, 1, version);
    int step = nt__sq_step(st);
    db_finalize(st);
    if (step != DB_ROW && step != DB_DONE)
        return nt__sq_tx_end(c, nt__sq_db_error(c, err), err);
    if (step == DB_ROW)
        return nt__sq_tx_end(c, 0, err);
    char *sql = migration_sql(c, m->data);
    rc = nt__sq_tx(c, sql, err);
    free(sql);
    if (rc == 0 && (st = db_prepare(c->db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")) == NULL)
        rc = nt__sq_db_error(c, err);
    if (rc == 0) {
        char now[NT_TIME_LEN];
        nt_time_utc(nt_now_us(), now);
        db_bind_int(st, 1, version);
        db_bind_text(st, 2, m->name, -1, DB_STATIC);
        db_bind_text(st, 3, now, -1, DB_STATIC);
        rc = nt__sq_step(st) == DB_DONE ? 0 : nt__sq_db_error(c, err);
        db_finalize(st);
    }
    return nt__sq_tx_end(c, rc, err);
}

static int nt__sq_migrate(nt_store *base, nt_err *err)
{
    struct conn *c = nt__sq_get_conn(base);
    if (c == NULL)
        return nt__sq_db_error(NULL, err);
    int rc = 0;
    if (c->db->engine == DB_POSTGRES) { /* the few SQLite functions the shared SQL uses (postgres.c) */
        if ((rc = nt__sq_tx_begin(c, err)) == 0)
            rc = nt__sq_tx_end(c, nt__sq_tx(c, pg_compat_sql, err), err);
        if (rc != 0)
            return rc;
    }
    if ((rc = nt__sq_tx(c, SQL_MIGRATIONS, err)) != 0)
        return rc;
    /* Embedded files named NNN_*.sql, applied in order of NNN. */
    for (int want = 1;; want++) {
        const struct nt_embedded *m = NULL;
        for (const struct nt_embedded *e = nt_embedded_files; e->name != NULL; e++)
            if (atoi(e->name) == want && strstr(e->name, ".sql") != NULL)
                m = e;
        if (m == NULL)
            break;
        if ((rc = migrate_one(c, want, m, err)) != 0)
            return rc;
    }
    return 0;
}

void nt__sq_deferred_flush(sq_store *s);
static void deferred_free(deferred *d);

static void nt__sq_close(nt_store *base)
{
    sq_store *s = (sq_store *)base;
    nt__sq_deferred_flush(s); /* a clean stop keeps what waited for a group */
    while (s->w.def != NULL) {
        deferred *d = s->w.def;
        s->w.def = d->next;
        deferred_free(d);
    }
    struct conn *c = s->conns;
    while (c != NULL) {
        struct conn *next = c->next;
        if (next == NULL && c->db->engine == DB_SQLITE) /* the last one open folds the WAL back into the database */
            sqlite3_wal_checkpoint_v2(c->db->sq, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        conn_free(c);
        c = next;
    }
    pg_disconnect(s->listener);
    pg_disconnect(s->leader);
    if (s->lead_fd > 0)
        close(s->lead_fd);
    pthread_mutex_destroy(&s->lead_mu);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->w.mu);
    pthread_mutex_destroy(&s->w.dmu);
    pthread_cond_destroy(&s->w.cv);
    free(s->path);
    free(s);
}

static int nt__sq_open(const char *dsn, bool create, nt_store **out, nt_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, faults_init);
    db_conn *d = NULL;
    int rc = open_db(dsn, create, &d, err);
    if (rc != 0)
        return rc;
    db_close(d);
    sq_store *s = nt_xcalloc(1, sizeof(*s));
    if (s == NULL)
        return NT_ENOMEM;
    s->base.ops = &nt_store_sqlite_ops;
    s->path = nt_xstrdup(dsn);
    s->gen = atomic_fetch_add(&next_gen, 1);
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->lead_mu, NULL);
    pthread_mutex_init(&s->w.mu, NULL);
    pthread_mutex_init(&s->w.dmu, NULL);
    pthread_cond_init(&s->w.cv, NULL);
    if (s->path == NULL) {
        nt__sq_close(&s->base);
        return NT_ENOMEM;
    }
    *out = &s->base;
    return 0;
}

static int nt__sq_ping(nt_store *base)
{
    struct conn *c = nt__sq_get_conn(base);
    if (c == NULL)
        return NT_EIO;
    db_stmt *st = nt__sq_stmt(c, "SELECT 1");
    return st != NULL && nt__sq_step(st) == DB_ROW ? (db_reset(st), 0) : NT_EIO;
}

/* ---- idempotency ---- */

static const char SQL_IDEM_GET[] = "SELECT request_hash, status, response, entity_id, log_first, log_count, answer_headers, "
                                   "answer, created FROM idempotency WHERE scope = ? AND idem_key = ?";
static int idem_read(nt_store *base, const char *scope, const char *key, nt_idem_record *out);
static const char SQL_IDEM_ANSWER[] = "UPDATE idempotency SET status = ?, answer_headers = ?, answer = ?, answered_at = ? "
                                      "WHERE scope = ? AND idem_key = ? AND answer IS NULL";

/* Whether an answer still waits for its group, and if out is not NULL, a copy of it in out. */
static bool nt__sq_deferred_answer(sq_store *s, const char *scope, const char *key, nt_idem_record *out)
{
    bool found = false;
    pthread_mutex_lock(&s->w.dmu);
    for (deferred *d = s->w.def; d != NULL && !found; d = d->next) {
        found = d->kind == DEF_IDEM_ANSWER && strcmp(d->a, scope) == 0 && strcmp(d->b, key) == 0;
        if (found && out != NULL) {
            out->status = (int)d->n;
            out->headers = d->c ? nt_xstrdup(d->c) : NULL;
            out->answer = nt_xmalloc(d->len + 1);
            memcpy(out->answer, d->e, d->len + 1);
            out->answer_len = d->len;
            out->answered = true;
        }
    }
    pthread_mutex_unlock(&s->w.dmu);
    return found;
}

static int nt__sq_idem_get(nt_store *base, const char *scope, const char *key, nt_idem_record *out)
{
    /* The deferred list first: an answer leaves it only once its group committed, so one not
     * found there is in the database already, or not sent yet. */
    nt_idem_record pending = {0};
    bool have = nt__sq_deferred_answer((sq_store *)base, scope, key, &pending);
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
    nt__sq_bind_text(st, 1, scope);
    nt__sq_bind_text(st, 2, key);
    memset(out, 0, sizeof(*out));
    int rc = nt__sq_step(st);
    if (rc == DB_ROW) {
        const char *t;
        nt_strlcpy(out->request_hash, (const char *)db_column_text(st, 0), sizeof(out->request_hash));
        out->status = db_column_int(st, 1);
        if ((t = (const char *)db_column_text(st, 2)) != NULL)
            out->response = nt_xstrdup(t);
        if ((t = (const char *)db_column_text(st, 3)) != NULL)
            nt_strlcpy(out->entity_id, t, sizeof(out->entity_id));
        out->logged.first = db_column_int64(st, 4);
        out->logged.count = db_column_int(st, 5);
        if ((t = (const char *)db_column_text(st, 6)) != NULL)
            out->headers = nt_xstrdup(t);
        if (db_column_type(st, 7) != DB_NULL) {
            out->answer_len = (size_t)db_column_bytes(st, 7);
            out->answer = nt_xmalloc(out->answer_len + 1);
            if (out->answer_len > 0)
                memcpy(out->answer, db_column_blob(st, 7), out->answer_len);
            out->answer[out->answer_len] = '\0';
            out->answered = true;
        }
        out->created = db_column_int(st, 8) != 0;
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? NT_ENOTFOUND : nt__sq_db_error(c, NULL);
}

int nt__sq_deferred_add(sq_store *s, deferred *d);
static bool nt__sq_deferred_answer(sq_store *s, const char *scope, const char *key, nt_idem_record *out);

/* The answer's bytes are kept with the next group, not waiting for a disk of their own: the
 * record written with the write is durable already and rebuilds the answer should these bytes be
 * lost with the machine. Until then idem_get finds them in memory. */
static int nt__sq_idem_answer(nt_store *base, const char *scope, const char *key, int status, const char *headers, const char *body,
                              size_t len, const char *at)
{
    if (nt__sq_deferred_answer((sq_store *)base, scope, key, NULL)) /* the first answer stays, as in the database */
        return 0;
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
    return nt__sq_deferred_add((sq_store *)base, d);
}

/* ---- the change sequence ---- */

static const char SQL_CHANGES_SINCE[] = "SELECT seq, entity, entity_id, op FROM changes WHERE seq > ? ORDER BY seq LIMIT ?";

static int nt__sq_changes_since(nt_store *base, int64_t after, int limit, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_CHANGES_SINCE, NULL);
    db_bind_int64(st, 1, after);
    db_bind_int(st, 2, limit);
    return nt__sq_query_all(c, st, out);
}

/* ---- stats, backup ---- */

static int64_t scalar(struct conn *c, const char *sql)
{
    db_stmt *st = nt__sq_stmt(c, sql);
    if (st == NULL)
        return -1;
    int64_t v = nt__sq_step(st) == DB_ROW ? db_column_int64(st, 0) : -1;
    db_reset(st);
    return v;
}

static const char SQL_DB_BYTES[] = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
static const char SQL_DB_BYTES_PG[] = "SELECT pg_database_size(current_database())";
static const char SQL_N_PERSONS[] = "SELECT count(*) FROM persons";
static const char SQL_N_ACCOUNTS[] = "SELECT count(*) FROM accounts";
static const char SQL_N_ORGS[] = "SELECT count(*) FROM orgs";
static const char SQL_N_KEYS[] = "SELECT count(*) FROM api_keys WHERE revoked_at IS NULL";
static const char SQL_MAX_SEQ[] = "SELECT coalesce(max(seq), 0) FROM changes";

static int nt__sq_stats(nt_store *base, nt_store_stats *out)
{
    CONN_OR_FAIL(c, base, NULL);
    out->db_bytes = scalar(c, c->db->engine == DB_POSTGRES ? SQL_DB_BYTES_PG : SQL_DB_BYTES);
    out->persons = scalar(c, SQL_N_PERSONS);
    out->accounts = scalar(c, SQL_N_ACCOUNTS);
    out->orgs = scalar(c, SQL_N_ORGS);
    out->keys = scalar(c, SQL_N_KEYS);
    out->change_seq = scalar(c, SQL_MAX_SEQ);
    return 0;
}

static int nt__sq_backup(nt_store *base, const char *path, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    if (c->db->engine != DB_SQLITE)
        return nt_err_set(err, NT_EINVAL, "a PostgreSQL database is backed up with pg_dump or pg_basebackup",
                          "cơ sở dữ liệu PostgreSQL được sao lưu bằng pg_dump hoặc pg_basebackup");
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        sqlite3_close(dst);
        return nt_err_set(err, NT_EIO, "cannot create %s", "không tạo được %s", path);
    }
    int rc = NT_EIO;
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db->sq, "main");
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

/* PostgreSQL only (SQLite has no way to tell: -1 at once); one thread calls it, the follower's. */
static int nt__sq_wait_change(nt_store *base, int ms)
{
    sq_store *s = (sq_store *)base;
    if (!db_is_postgres(s->path) || s->no_listen)
        return -1;
    if (s->listener == NULL || pg_broken(s->listener)) {
        pg_disconnect(s->listener);
        s->listener = pg_connect(s->path, NULL);
        if (s->listener == NULL) {
            usleep((useconds_t)ms * 1000); /* the server is away: as a poll would */
            return 0;
        }
        if (pg_exec(s->listener, "LISTEN niemtin_changes", NULL) != DB_OK) {
            s->no_listen = !pg_broken(s->listener); /* a hot standby cannot LISTEN: it is polled */
            pg_disconnect(s->listener);
            s->listener = NULL;
            return s->no_listen ? -1 : 0;
        }
    }
    return pg_wait_notify(s->listener, ms, atomic_load(&s->writer_pid));
}

/* Tries for the lead's advisory lock on a connection of its own, kept while it holds it: a lost
 * connection (the server restarted, this process cut off) loses the lock with it. */
static bool nt__sq_lead(nt_store *base)
{
    sq_store *s = (sq_store *)base;
    if (base->read_only)
        return false;
    if (!db_is_postgres(s->path)) { /* processes on one machine: a lock on a file beside the database */
        pthread_mutex_lock(&s->lead_mu);
        if (s->lead_fd == 0) {
            char path[4200];
            snprintf(path, sizeof(path), "%s.lead", s->path);
            int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
            if (fd > 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
                s->lead_fd = fd;
            else if (fd >= 0)
                close(fd);
        }
        bool held = s->lead_fd > 0;
        pthread_mutex_unlock(&s->lead_mu);
        return held;
    }
    pthread_mutex_lock(&s->lead_mu);
    /* Still connected (a query tells, once a second: an idle connection does not know its server
     * went away). */
    bool held = s->leader != NULL && (nt_mono_us() - s->lead_checked_us < 1000000 || pg_exec(s->leader, "SELECT 1", NULL) == DB_OK);
    if (held && nt_mono_us() - s->lead_checked_us >= 1000000)
        s->lead_checked_us = nt_mono_us();
    if (!held) {
        pg_disconnect(s->leader);
        s->leader = pg_connect(s->path, NULL);
        char *msg = NULL;
        held = s->leader != NULL && pg_exec(s->leader, "SELECT 1 WHERE pg_try_advisory_lock(7446855)", &msg) == DB_OK &&
               pg_changes(s->leader) == 1;
        free(msg);
        if (!held) {
            pg_disconnect(s->leader);
            s->leader = NULL;
        }
    }
    pthread_mutex_unlock(&s->lead_mu);
    return held;
}

static void nt__sq_committed(nt_store *base, int64_t *change_seq, int64_t *log_size)
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
void nt__sq_deferred_flush(sq_store *s)
{
    pthread_mutex_lock(&s->w.dmu);
    int n = s->w.ndef;
    pthread_mutex_unlock(&s->w.dmu);
    if (n == 0)
        return;
    struct conn *c;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt__sq_wr_begin(&s->base, NULL, &c, &e);
    nt__sq_wr_end(&s->base, NULL, rc, &e);
}

int nt__sq_deferred_add(sq_store *s, deferred *d)
{
    if (s->base.read_only) { /* a key's last use, a checkpoint, an answer: the primary keeps its own */
        deferred_free(d);
        return 0;
    }
    pthread_mutex_lock(&s->w.dmu);
    d->next = s->w.def;
    s->w.def = d;
    int n = ++s->w.ndef;
    pthread_mutex_unlock(&s->w.dmu);
    if (n > DEFERRED_MAX) /* bounded: past that, the adder pays for a group */
        nt__sq_deferred_flush(s);
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
        /* Each in a savepoint: on PostgreSQL a failed statement would end the group's transaction. */
        if (nt__sq_tx(c, "SAVEPOINT d", NULL) != 0)
            break;
        db_stmt *st = nt__sq_stmt(c, d->kind == DEF_KEY_TOUCH       ? SQL_KEY_TOUCH
                                     : d->kind == DEF_SESSION_TOUCH ? SQL_SESSION_TOUCH
                                     : d->kind == DEF_CHECKPOINT    ? SQL_CHECKPOINT_PUT
                                                                    : SQL_IDEM_ANSWER);
        if (st == NULL) {
            db_exec(c->db, "ROLLBACK TO d; RELEASE d", NULL);
            break;
        }
        if (d->kind == DEF_KEY_TOUCH || d->kind == DEF_SESSION_TOUCH) {
            nt__sq_bind_text(st, 1, d->b);
            nt__sq_bind_text(st, 2, d->a);
        } else if (d->kind == DEF_CHECKPOINT) {
            db_bind_int64(st, 1, d->n);
            nt__sq_bind_text(st, 2, d->a);
            nt__sq_bind_text(st, 3, d->b);
        } else {
            db_bind_int(st, 1, (int)d->n);
            nt__sq_bind_text(st, 2, d->c);
            db_bind_blob(st, 3, d->e, (int)d->len, DB_STATIC);
            nt__sq_bind_text(st, 4, d->d);
            nt__sq_bind_text(st, 5, d->a);
            nt__sq_bind_text(st, 6, d->b);
        }
        if (nt__sq_exec_step(c, st, NULL) == 0)
            d->applying = gen;
        db_exec(c->db, d->applying == gen ? "RELEASE d" : "ROLLBACK TO d; RELEASE d", NULL);
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
static int nt__sq_checkpoint(nt_store *base)
{
    sq_store *s = (sq_store *)base;
    if (!atomic_exchange(&s->background_checkpoints, true)) {
        /* The connections already open (this thread's included) stop checkpointing too. */
        /* The writer's connection is its own (and keeps its WAL hook). Locks in the writer's order:
         * its mutex, then the list's (wr_begin opens its connection holding the first). */
        pthread_mutex_lock(&s->w.mu);
        pthread_mutex_lock(&s->lock);
        for (struct conn *c = s->conns; c != NULL; c = c->next)
            if (c != s->w.c && c->db->engine == DB_SQLITE)
                sqlite3_wal_autocheckpoint(c->db->sq, 0);
        pthread_mutex_unlock(&s->lock);
        pthread_mutex_unlock(&s->w.mu);
    }
    nt__sq_deferred_flush(s);
    CONN_OR_FAIL(c, base, NULL);
    if (c->db->engine != DB_SQLITE)
        return 0;
    int log = 0, done = 0;
    if (sqlite3_wal_checkpoint_v2(c->db->sq, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done) != DB_OK)
        return NT_EBUSY;
    if (done >= 0)
        atomic_store(&s->w.backfilled_bytes, (int64_t)done * 4096);
    return log - done > 256 ? 1 : 0; /* more than a megabyte still to copy: come back soon */
}

const struct nt_store_ops nt_store_sqlite_ops = {
    .name = "sqlite",
    .open = nt__sq_open,
    .close = nt__sq_close,
    .migrate = nt__sq_migrate,
    .ping = nt__sq_ping,
    .idem_get = nt__sq_idem_get,
    .idem_answer = nt__sq_idem_answer,
    .committed = nt__sq_committed,
    .org_put = nt__sq_org_put,
    .org_get = nt__sq_org_get,
    .org_list = nt__sq_org_list,
    .key_put = nt__sq_key_put,
    .key_get = nt__sq_key_get,
    .key_list = nt__sq_key_list,
    .key_revoke = nt__sq_key_revoke,
    .audit = nt__sq_audit_only,
    .key_touch = nt__sq_key_touch,
    .session_touch = nt__sq_session_touch,
    .person_put = nt__sq_person_put,
    .person_update = nt__sq_person_update,
    .person_get = nt__sq_person_get,
    .person_by_nid = nt__sq_person_by_nid,
    .person_search = nt__sq_person_search,
    .bulk_begin = nt__sq_bulk_begin,
    .bulk_person = nt__sq_bulk_person,
    .bulk_account = nt__sq_bulk_account,
    .bulk_end = nt__sq_bulk_end,
    .account_put = nt__sq_account_put,
    .account_get = nt__sq_account_get,
    .account_delete = nt__sq_account_delete,
    .account_list = nt__sq_account_list,
    .changes_since = nt__sq_changes_since,
    .write = nt__sq_write,
    .query = nt__sq_query,
    .query_each = nt__sq_query_each,
    .log_each = nt__sq_log_each,
    .log_records_each = nt__sq_log_records_each,
    .log_latest_each = nt__sq_log_latest_each,
    .log_live_record = nt__sq_log_live_record,
    .log_append = nt__sq_log_append_items,
    .log_checkpoint_put = nt__sq_log_checkpoint_put,
    .log_checkpoint_latest = nt__sq_log_checkpoint_latest,
    .log_redact = nt__sq_log_redact,
    .checkpoint = nt__sq_checkpoint,
    .stats = nt__sq_stats,
    .wait_change = nt__sq_wait_change,
    .lead = nt__sq_lead,
    .backup = nt__sq_backup,
};
