/* PostgreSQL's bulk import (`niemtin person import`): the same operations as SQLite's
 * (sqlite_registry.c), with the rows sent by COPY instead of a statement each — a round trip per
 * row is what a server across a socket cannot afford a million times.
 *
 * Persons, their name tokens, their accounts and the change rows of both go in COPY's text format
 * to buffers sent whenever one passes 8 MiB, persons first, by a thread of their own while the
 * next ones fill (the import's parsing overlapping the server's work); a person clashing with one already
 * there (the same id or national-ID hash) fails its COPY, and so the import, as a clash fails
 * SQLite's. Accounts are checked as they come against every handle the database and the import
 * already hold (loaded into memory at the start: the first person to hold a handle keeps it, as
 * on SQLite, and the skipped ones are counted the same). The change rows are numbered here, on
 * from the last: the import's transaction holds the store's write lock (begin_sql), so no other
 * write takes a number meanwhile.
 *
 * A first import (no person yet) also sets aside the indexes of the tables it fills that no
 * foreign key needs, and builds them again, sorted in bulk, before it commits: kept, they cost
 * the server most of its time, an entry at a time. Persons' primary key stays (the foreign keys
 * name it). A clash the indexes would have caught row by row (the same id twice in a file) fails
 * their building instead, and so the import, whole. The tables are locked against readers until
 * the import commits, as a first import into an empty database can afford. */
#include "core/alloc.h"
#include "core/text.h"
#include "store/sqlite_int.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef NT_FAULTS /* the tests' build: small buffers, so that a small import is sent while it fills too */
#define FLUSH_AT (64u << 10)
#else
#define FLUSH_AT (8u << 20)
#endif

typedef nt__copybuf buf;

enum { T_PERSONS, T_TOKENS, T_ACCOUNTS, T_CHANGES, T_COUNT };

struct pg_bulk {
    buf rows[T_COUNT]; /* being filled */
    buf sent[T_COUNT]; /* being sent by the flusher */
    struct conn *c;    /* the import's; the flusher's alone while it runs */
    pthread_t flusher;
    bool flushing;
    int flush_rc;
    nt_err flush_err;
    int64_t seq; /* the last change number taken */
    const char *at;
    char **keys, **owners; /* the handles held: "platform:handle" → person, open addressing */
    size_t cap, used;
    char **rebuild; /* the statements that build again the indexes set aside */
    size_t nrebuild;
};

void nt__copy_put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = nt_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

void nt__copy_field(buf *b, const char *v, bool last)
{
    if (v == NULL) {
        nt__copy_put(b, "\\N", 2);
    } else {
        for (const char *p = v; *p; p++) {
            const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : NULL;
            if (esc != NULL)
                nt__copy_put(b, esc, 2);
            else
                nt__copy_put(b, p, 1);
        }
    }
    nt__copy_put(b, last ? "\n" : "\t", 1);
}

static void field_int(buf *b, int64_t v, bool null, bool last)
{
    char t[24];
    snprintf(t, sizeof(t), "%lld", (long long)v);
    nt__copy_field(b, null ? NULL : t, last);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The person holding a handle, or NULL; with `owner`, records it as that person's when free. */
static const char *held(struct pg_bulk *b, const char *key, const char *owner)
{
    if (owner != NULL && (b->used + 1) * 2 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1 << 16;
        char **keys = nt_xcalloc(cap, sizeof(*keys)), **owners = nt_xcalloc(cap, sizeof(*owners));
        for (size_t i = 0; i < b->cap; i++)
            if (b->keys[i] != NULL) {
                size_t j = hash(b->keys[i]) & (cap - 1);
                while (keys[j] != NULL)
                    j = (j + 1) & (cap - 1);
                keys[j] = b->keys[i];
                owners[j] = b->owners[i];
            }
        free(b->keys);
        free(b->owners);
        b->keys = keys;
        b->owners = owners;
        b->cap = cap;
    }
    if (b->cap == 0)
        return NULL;
    size_t j = hash(key) & (b->cap - 1);
    for (; b->keys[j] != NULL; j = (j + 1) & (b->cap - 1))
        if (strcmp(b->keys[j], key) == 0)
            return b->owners[j];
    if (owner != NULL) {
        b->keys[j] = nt_xstrdup(key);
        b->owners[j] = nt_xstrdup(owner);
        b->used++;
    }
    return NULL;
}

static void bulk_free(struct pg_bulk *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->cap; i++) {
        free(b->keys[i]);
        free(b->owners[i]);
    }
    free(b->keys);
    free(b->owners);
    for (size_t i = 0; i < b->nrebuild; i++)
        free(b->rebuild[i]);
    free(b->rebuild);
    for (int t = 0; t < T_COUNT; t++) {
        free(b->rows[t].p);
        free(b->sent[t].p);
    }
    free(b);
}

static const char *const copy_sql[T_COUNT] = {
    "COPY persons (id, legal_name, search_key, aliases, kind, birth_year, gender, province, nid_hash, created_by, created_at, "
    "updated_at) FROM STDIN",
    "COPY person_tokens (token, person_id) FROM STDIN",
    "COPY accounts (platform, handle, display_handle, person_id, platform_user_id, url, followers, verified_by, verified_at, "
    "claimed_by, created_at, updated_at) FROM STDIN",
    "COPY changes (seq, entity, entity_id, op, at) FROM STDIN",
};

/* Sends the buffers handed over, persons before the rows that name them. */
static int send_rows(struct conn *c, buf *rows, nt_err *err)
{
    int rc = 0;
    for (int t = 0; t < T_COUNT && rc == 0; t++) {
        if (rows[t].n > 0 && pg_copy_in(c->db->pg, copy_sql[t], rows[t].p, rows[t].n) != DB_OK)
            rc = nt__sq_db_error(c, err);
        rows[t].n = 0;
    }
    return rc;
}

static void *flusher(void *arg)
{
    struct pg_bulk *b = arg;
    b->flush_rc = send_rows(b->c, b->sent, &b->flush_err);
    return NULL;
}

/* Waits for the flusher's COPY, if one runs; its outcome. */
static int flushed(struct pg_bulk *b, nt_err *err)
{
    if (!b->flushing)
        return 0;
    pthread_join(b->flusher, NULL);
    b->flushing = false;
    if (b->flush_rc != 0 && err != NULL)
        *err = b->flush_err;
    return b->flush_rc;
}

/* Once a buffer passes 8 MiB, the buffers are handed to a thread that sends them while the next
 * ones fill (the client's work overlapping the server's); all: everything, now, on this thread. */
static int flush(struct conn *c, struct pg_bulk *b, bool all, nt_err *err)
{
    bool go = all;
    for (int t = 0; t < T_COUNT; t++)
        go = go || b->rows[t].n > FLUSH_AT;
    if (!go)
        return 0;
    int rc = flushed(b, err);
    if (rc != 0)
        return rc;
    for (int t = 0; t < T_COUNT; t++) { /* the filled ones go, the sent ones come back empty */
        buf tmp = b->sent[t];
        b->sent[t] = b->rows[t];
        b->rows[t] = tmp;
    }
    if (all)
        return send_rows(c, b->sent, err);
    b->c = c;
    b->flush_rc = 0;
    nt_err_clear(&b->flush_err);
    if (pthread_create(&b->flusher, NULL, flusher, b) != 0)
        return send_rows(c, b->sent, err);
    b->flushing = true;
    return 0;
}

/* A change row, numbered on. */
static void change(struct pg_bulk *b, const char *entity, const char *id)
{
    buf *r = &b->rows[T_CHANGES];
    field_int(r, ++b->seq, false, false);
    nt__copy_field(r, entity, false);
    nt__copy_field(r, id, false);
    nt__copy_field(r, "create", false);
    nt__copy_field(r, b->at, true);
}

/* The import's tables' indexes and unique constraints no foreign key rests on: the statement that
 * drops each, and the one that makes it again. */
static const char set_aside_sql[] =
    "SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', t.relname, con.conname), "
    "       format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, con.conname, pg_get_constraintdef(con.oid)) "
    "FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid "
    "WHERE t.relname IN ('persons', 'person_tokens', 'accounts', 'changes') AND t.relnamespace = current_schema()::regnamespace "
    "  AND con.contype IN ('p', 'u') "
    "  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = con.conindid) "
    "UNION ALL "
    "SELECT format('DROP INDEX %I', i.relname), pg_get_indexdef(x.indexrelid) "
    "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
    "WHERE t.relname IN ('persons', 'person_tokens', 'accounts', 'changes') AND t.relnamespace = current_schema()::regnamespace "
    "  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid)";

/* For a first import, sets the indexes aside (nothing is done if that cannot be: the import then
 * runs with them). */
static int set_aside(struct pg_bulk *b, struct conn *c)
{
    db_stmt *q = db_prepare(c->db, "SELECT NOT EXISTS (SELECT 1 FROM persons)");
    bool first = q != NULL && nt__sq_step(q) == DB_ROW && db_column_int64(q, 0) != 0;
    db_finalize(q);
    if (!first || db_exec(c->db, "SAVEPOINT x", NULL) != DB_OK)
        return 0;
    char **drop = NULL;
    size_t n = 0;
    q = db_prepare(c->db, set_aside_sql);
    int step = q != NULL ? nt__sq_step(q) : DB_ERROR;
    for (; step == DB_ROW; step = nt__sq_step(q)) {
        drop = nt_xrealloc(drop, (n + 1) * sizeof(*drop));
        b->rebuild = nt_xrealloc(b->rebuild, (n + 1) * sizeof(*b->rebuild));
        drop[n] = nt_xstrdup((const char *)db_column_text(q, 0));
        b->rebuild[n++] = nt_xstrdup((const char *)db_column_text(q, 1));
    }
    db_finalize(q);
    for (size_t i = 0; i < n && step == DB_DONE; i++)
        if (db_exec(c->db, drop[i], NULL) != DB_OK)
            step = DB_ERROR;
    for (size_t i = 0; i < n; i++)
        free(drop[i]);
    free(drop);
    b->nrebuild = n;
    if (step == DB_DONE)
        return db_exec(c->db, "RELEASE x", NULL) == DB_OK ? 0 : -1;
    for (size_t i = 0; i < n; i++)
        free(b->rebuild[i]);
    b->nrebuild = 0;
    return db_exec(c->db, "ROLLBACK TO x; RELEASE x", NULL) == DB_OK ? 0 : -1;
}

/* Builds the indexes set aside again, with room to sort in memory. */
static int rebuild(struct pg_bulk *b, struct conn *c, nt_err *err)
{
    if (b->nrebuild > 0 && db_exec(c->db, "SET LOCAL maintenance_work_mem = '256MB'", NULL) != DB_OK)
        return nt__sq_db_error(c, err);
    for (size_t i = 0; i < b->nrebuild; i++) {
        if (db_exec(c->db, b->rebuild[i], NULL) == DB_OK)
            continue;
        if (db_unique_violation(c->db)) /* row by row, the clash would have been found at its line */
            return nt_err_set(err, NT_ECONFLICT, "the file holds one person or account twice: %s",
                              "tệp có một người hoặc một tài khoản hai lần: %s", db_errmsg(c->db));
        return nt__sq_db_error(c, err);
    }
    return 0;
}

int nt__pg_bulk_begin(sq_store *s, struct conn *c, nt_err *err)
{
    int rc = nt__sq_tx_begin(c, err);
    if (rc != 0)
        return rc;
    /* As on SQLite, the import writes each person before its tokens and accounts, so the foreign
     * keys hold by construction and their per-row checks (triggers, here) are skipped, by a
     * superuser; anyone else imports with them (slower). */
    if (db_exec(c->db, "SAVEPOINT r; SET LOCAL session_replication_role = replica; RELEASE r", NULL) != DB_OK)
        db_exec(c->db, "ROLLBACK TO r; RELEASE r", NULL);
    struct pg_bulk *b = nt_xcalloc(1, sizeof(*b));
    /* The handles held already: a million accounts take some tens of MiB, for the import's length. */
    db_stmt *q = db_prepare(c->db, "SELECT platform || ':' || handle, person_id FROM accounts");
    int step = q != NULL ? nt__sq_step(q) : DB_ERROR;
    for (; step == DB_ROW; step = nt__sq_step(q))
        held(b, (const char *)db_column_text(q, 0), (const char *)db_column_text(q, 1));
    db_finalize(q);
    q = step == DB_DONE ? db_prepare(c->db, "SELECT coalesce(max(seq), 0) FROM changes") : NULL;
    step = q != NULL && nt__sq_step(q) == DB_ROW ? DB_DONE : DB_ERROR;
    if (q != NULL)
        b->seq = db_column_int64(q, 0);
    db_finalize(q);
    if (step == DB_DONE && set_aside(b, c) != 0)
        step = DB_ERROR;
    if (step != DB_DONE) {
        bulk_free(b);
        return nt__sq_tx_end(c, nt__sq_db_error(c, err), err);
    }
    s->bulk = b;
    return 0;
}

int nt__pg_bulk_person(sq_store *s, struct conn *c, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    struct pg_bulk *b = s->bulk;
    buf *r = &b->rows[T_PERSONS];
    nt__copy_field(r, p->id, false);
    nt__copy_field(r, p->legal_name, false);
    nt__copy_field(r, p->search_key, false);
    nt__copy_field(r, p->aliases_json ? p->aliases_json : "[]", false);
    nt__copy_field(r, p->kind, false);
    field_int(r, p->birth_year, p->birth_year == 0, false);
    nt__copy_field(r, p->gender, false);
    nt__copy_field(r, p->province, false);
    nt__copy_field(r, p->nid_hash, false);
    nt__copy_field(r, p->created_by, false);
    nt__copy_field(r, w->at, false);
    nt__copy_field(r, w->at, true);
    char toks[NT_KEY_MAX * 4];
    if (nt_strlcpy(toks, p->tokens ? p->tokens : "", sizeof(toks)) != 0)
        return nt_err_set(err, NT_EINVAL, "too many name tokens", "tên quá dài");
    char *tok[256];
    int n = nt_text_tokens(toks, tok, 256);
    for (int i = 0; i < n; i++) {
        nt__copy_field(&b->rows[T_TOKENS], tok[i], false);
        nt__copy_field(&b->rows[T_TOKENS], p->id, true);
    }
    b->at = w->at; /* one time for the import's rows */
    change(b, "person", p->id);
    return flush(c, b, false, err);
}

int nt__pg_bulk_account(sq_store *s, struct conn *c, const nt_wctx *w, const nt_account *a, nt_err *err)
{
    struct pg_bulk *b = s->bulk;
    char key[NT_HANDLE_MAX + 40];
    snprintf(key, sizeof(key), "%s:%s", a->platform, a->handle);
    const char *owner = held(b, key, a->person_id);
    if (owner != NULL) {
        nt_strlcpy(err->conflict_id, owner, sizeof(err->conflict_id));
        return nt_err_set(err, NT_ECONFLICT, "%s:%s is already linked to person %s", "%s:%s đã gắn với người %s", a->platform,
                          a->handle, owner);
    }
    buf *r = &b->rows[T_ACCOUNTS];
    nt__copy_field(r, a->platform, false);
    nt__copy_field(r, a->handle, false);
    nt__copy_field(r, a->display_handle, false);
    nt__copy_field(r, a->person_id, false);
    nt__copy_field(r, a->platform_user_id, false);
    nt__copy_field(r, a->url, false);
    field_int(r, a->followers, a->followers < 0, false);
    nt__copy_field(r, a->verified_by, false);
    nt__copy_field(r, a->verified_by ? w->at : NULL, false);
    nt__copy_field(r, a->claimed_by, false);
    nt__copy_field(r, w->at, false);
    nt__copy_field(r, w->at, true);
    b->at = w->at;
    change(b, "account", key);
    return flush(c, b, false, err);
}

int nt__pg_bulk_end(sq_store *s, struct conn *c, const nt_wctx *w, const char *summary, bool commit, nt_err *err)
{
    struct pg_bulk *b = s->bulk;
    s->bulk = NULL;
    int rc = flushed(b, commit ? err : NULL); /* the connection is this thread's again */
    if (rc == 0)
        rc = commit ? flush(c, b, true, err) : NT_EIO;
    if (rc == 0)
        rc = rebuild(b, c, err);
    if (rc == 0)
        c->seq_max = b->seq;
    bulk_free(b);
    if (rc == 0)
        rc = nt__sq_audit(c, w, "person.import", "import", summary, err);
    rc = nt__sq_tx_end(c, rc, err);
    return commit ? rc : 0;
}
