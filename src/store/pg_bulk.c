/* PostgreSQL's bulk import (`niemtin person import`): the same operations as SQLite's
 * (sqlite_registry.c), with the rows sent by COPY instead of a statement each — a round trip per
 * row is what a server across a socket cannot afford a million times.
 *
 * Persons, their name tokens and their order go in COPY's text format to buffers sent whenever
 * they pass 8 MiB; a person clashing with one already there (the same id or national-ID hash)
 * fails its COPY, and so the import, as a clash fails SQLite's. Accounts are checked as they
 * come against every handle the database and the import already hold (loaded into memory at the
 * start: the first person to hold a handle keeps it, as on SQLite, and the skipped ones are
 * counted the same), then staged, and written at the end in their order with one INSERT. The
 * change rows of persons and accounts are numbered at the end, in the import's transaction, on
 * from the last. */
#include "core/alloc.h"
#include "core/text.h"
#include "store/sqlite_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (8u << 20)

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

struct pg_bulk {
    buf persons, tokens, order, accounts;
    int64_t ord;
    char **keys, **owners; /* the handles held: "platform:handle" → person, open addressing */
    size_t cap, used;
};

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = nt_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

/* A field in COPY's text format (NULL as \N), then a tab or, last in its row, a newline. */
static void field(buf *b, const char *v, bool last)
{
    if (v == NULL) {
        put(b, "\\N", 2);
    } else {
        for (const char *p = v; *p; p++) {
            const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : NULL;
            if (esc != NULL)
                put(b, esc, 2);
            else
                put(b, p, 1);
        }
    }
    put(b, last ? "\n" : "\t", 1);
}

static void field_int(buf *b, int64_t v, bool null, bool last)
{
    char t[24];
    snprintf(t, sizeof(t), "%lld", (long long)v);
    field(b, null ? NULL : t, last);
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
    free(b->persons.p);
    free(b->tokens.p);
    free(b->order.p);
    free(b->accounts.p);
    free(b);
}

static int copy(struct conn *c, const char *sql, buf *b, nt_err *err)
{
    if (b->n == 0)
        return 0;
    int rc = pg_copy_in(c->db->pg, sql, b->p, b->n);
    b->n = 0;
    return rc == DB_OK ? 0 : nt__sq_db_error(c, err);
}

static int flush(struct conn *c, struct pg_bulk *b, bool all, nt_err *err)
{
    int rc = 0;
    if (all || b->persons.n > FLUSH_AT || b->tokens.n > FLUSH_AT) {
        rc = copy(c,
                  "COPY persons (id, legal_name, search_key, aliases, kind, birth_year, gender, province, nid_hash, created_by, "
                  "created_at, updated_at) FROM STDIN",
                  &b->persons, err);
        if (rc == 0)
            rc = copy(c, "COPY person_tokens (token, person_id) FROM STDIN", &b->tokens, err);
        if (rc == 0)
            rc = copy(c, "COPY pg_temp.import_persons (ord, id) FROM STDIN", &b->order, err);
    }
    if (rc == 0 && (all || b->accounts.n > FLUSH_AT))
        rc = copy(c,
                  "COPY pg_temp.import_accounts (ord, platform, handle, display_handle, person_id, platform_user_id, url, "
                  "followers, verified_by, verified_at, claimed_by, created_at, updated_at) FROM STDIN",
                  &b->accounts, err);
    return rc;
}

int nt__pg_bulk_begin(sq_store *s, struct conn *c, nt_err *err)
{
    int rc = nt__sq_tx_begin(c, err);
    if (rc == 0 && db_exec(c->db,
                           "CREATE TEMP TABLE import_persons (ord BIGINT, id TEXT) ON COMMIT DROP; "
                           "CREATE TEMP TABLE import_accounts (ord BIGINT, platform TEXT, handle TEXT, display_handle TEXT, "
                           "person_id TEXT, platform_user_id TEXT, url TEXT, followers BIGINT, verified_by TEXT, verified_at TEXT, "
                           "claimed_by TEXT, created_at TEXT, updated_at TEXT) ON COMMIT DROP",
                           NULL) != DB_OK)
        rc = nt__sq_db_error(c, err);
    if (rc != 0)
        return nt__sq_tx_end(c, rc, err);
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
    buf *r = &b->persons;
    field(r, p->id, false);
    field(r, p->legal_name, false);
    field(r, p->search_key, false);
    field(r, p->aliases_json ? p->aliases_json : "[]", false);
    field(r, p->kind, false);
    field_int(r, p->birth_year, p->birth_year == 0, false);
    field(r, p->gender, false);
    field(r, p->province, false);
    field(r, p->nid_hash, false);
    field(r, p->created_by, false);
    field(r, w->at, false);
    field(r, w->at, true);
    char toks[NT_KEY_MAX * 4];
    if (nt_strlcpy(toks, p->tokens ? p->tokens : "", sizeof(toks)) != 0)
        return nt_err_set(err, NT_EINVAL, "too many name tokens", "tên quá dài");
    char *tok[256];
    int n = nt_text_tokens(toks, tok, 256);
    for (int i = 0; i < n; i++) {
        field(&b->tokens, tok[i], false);
        field(&b->tokens, p->id, true);
    }
    field_int(&b->order, ++b->ord, false, false);
    field(&b->order, p->id, true);
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
    buf *r = &b->accounts;
    field_int(r, ++b->ord, false, false);
    field(r, a->platform, false);
    field(r, a->handle, false);
    field(r, a->display_handle, false);
    field(r, a->person_id, false);
    field(r, a->platform_user_id, false);
    field(r, a->url, false);
    field_int(r, a->followers, a->followers < 0, false);
    field(r, a->verified_by, false);
    field(r, a->verified_by ? w->at : NULL, false);
    field(r, a->claimed_by, false);
    field(r, w->at, false);
    field(r, w->at, true);
    return flush(c, b, false, err);
}

/* The staged accounts in their order, and every change row, numbered on from the last. */
static int finish(struct conn *c, const nt_wctx *w, nt_err *err)
{
    static const char *const sql[] = {
        "INSERT INTO accounts (platform, handle, display_handle, person_id, platform_user_id, url, followers, verified_by, "
        "verified_at, claimed_by, created_at, updated_at) SELECT platform, handle, display_handle, person_id, platform_user_id, "
        "url, followers, verified_by, verified_at, claimed_by, created_at, updated_at FROM pg_temp.import_accounts ORDER BY ord",
        "INSERT INTO changes (seq, entity, entity_id, op, at) SELECT (SELECT coalesce(max(seq), 0) FROM changes) + "
        "row_number() OVER (ORDER BY ord), CASE WHEN handle IS NULL THEN 'person' ELSE 'account' END, "
        "CASE WHEN handle IS NULL THEN id ELSE platform || ':' || handle END, 'create', ?1 FROM "
        "(SELECT ord, id, NULL AS platform, NULL AS handle FROM pg_temp.import_persons UNION ALL "
        "SELECT ord, NULL, platform, handle FROM pg_temp.import_accounts) x",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        db_stmt *st = db_prepare(c->db, sql[i]);
        if (st == NULL)
            return nt__sq_db_error(c, err);
        if (i == 1)
            nt__sq_bind_text(st, 1, w->at);
        int rc = nt__sq_exec_step(c, st, err);
        db_finalize(st);
        if (rc != 0)
            return rc;
    }
    db_stmt *st = db_prepare(c->db, "SELECT coalesce(max(seq), 0) FROM changes");
    if (st != NULL && nt__sq_step(st) == DB_ROW)
        c->seq_max = db_column_int64(st, 0);
    db_finalize(st);
    return 0;
}

int nt__pg_bulk_end(sq_store *s, struct conn *c, const nt_wctx *w, const char *summary, bool commit, nt_err *err)
{
    struct pg_bulk *b = s->bulk;
    s->bulk = NULL;
    int rc = commit ? flush(c, b, true, err) : NT_EIO;
    bulk_free(b);
    if (rc == 0)
        rc = finish(c, w, err);
    if (rc == 0)
        rc = nt__sq_audit(c, w, "person.import", "import", summary, err);
    rc = nt__sq_tx_end(c, rc, err);
    return commit ? rc : 0;
}
