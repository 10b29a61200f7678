/* SQLite backend: the registry's rows — organisations, API keys, persons and their search tokens,
 * accounts, and the bulk import (one transaction of its own on the caller's connection). Every
 * other write runs through the writer (nt__sq_wr_begin … nt__sq_wr_end, sqlite.c). */
#include "core/alloc.h"
#include "log/entry.h"
#include "log/jcs.h"
#include "store/sqlite_int.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- organisations ---- */

static const char SQL_ORG_PUT[] =
    "INSERT INTO orgs (id, name, kind, platform, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ORG_GET[] = "SELECT id, name, kind, platform, status, status_reason, status_at, created_at, updated_at "
                                  "FROM orgs WHERE id = ?";
static const char SQL_ORG_LIST[] =
    "SELECT id, name, kind, platform, status, created_at, updated_at FROM orgs WHERE id > ? ORDER BY id LIMIT ?";

static int org_rows(struct conn *c, const nt_wctx *w, const nt_org *o, nt_err *err)
{
    int rc;
    STMT_OR_FAIL(st, c, SQL_ORG_PUT, err);
    nt__sq_bind_text(st, 1, o->id);
    nt__sq_bind_text(st, 2, o->name);
    nt__sq_bind_text(st, 3, o->kind);
    nt__sq_bind_text(st, 4, o->platform);
    nt__sq_bind_text(st, 5, o->status);
    nt__sq_bind_text(st, 6, w->at);
    nt__sq_bind_text(st, 7, w->at);
    rc = nt__sq_exec_step(c, st, err);
    if (rc == NT_ECONFLICT)
        nt_strlcpy(err->conflict_id, o->id, sizeof(err->conflict_id));
    if (rc == 0)
        rc = nt__sq_record(c, w, "org.create", "org", o->id, "create", err);
    return rc;
}

int nt__sq_org_put(nt_store *base, const nt_wctx *w, const nt_org *o, nt_err *err)
{
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    if (rc == 0)
        rc = org_rows(c, w, o, err);
    return nt__sq_wr_end(base, w, rc, err);
}

int nt__sq_org_get(nt_store *base, const char *id, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_ORG_GET, NULL);
    nt__sq_bind_text(st, 1, id);
    return nt__sq_query_one(c, st, out);
}

int nt__sq_org_list(nt_store *base, const char *after, int limit, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_ORG_LIST, NULL);
    nt__sq_bind_text(st, 1, after ? after : "");
    db_bind_int(st, 2, limit);
    return nt__sq_query_all(c, st, out);
}

/* ---- API keys ---- */

static const char SQL_KEY_PUT[] =
    "INSERT INTO api_keys (id, secret_hash, role, org_id, person_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_KEY_GET[] = "SELECT id, secret_hash, role, org_id, person_id, label, created_at, last_used_at, revoked_at "
                                  "FROM api_keys WHERE id = ?";
static const char SQL_KEY_LIST[] = "SELECT id, role, org_id, person_id, label, created_at, last_used_at, revoked_at "
                                   "FROM api_keys WHERE id > ? ORDER BY id LIMIT ?";
static const char SQL_KEY_REVOKE[] = "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";

static int key_rows(struct conn *c, const nt_wctx *w, const nt_key *k, nt_err *err)
{
    int rc;
    STMT_OR_FAIL(st, c, SQL_KEY_PUT, err);
    nt__sq_bind_text(st, 1, k->id);
    nt__sq_bind_text(st, 2, k->secret_hash);
    nt__sq_bind_text(st, 3, k->role);
    nt__sq_bind_text(st, 4, k->org_id);
    nt__sq_bind_text(st, 5, k->person_id);
    nt__sq_bind_text(st, 6, k->label);
    nt__sq_bind_text(st, 7, w->at);
    rc = nt__sq_exec_step(c, st, err);
    if (rc == 0)
        rc = nt__sq_record(c, w, "key.create", "key", k->id, "create", err);
    return rc;
}

int nt__sq_key_put(nt_store *base, const nt_wctx *w, const nt_key *k, nt_err *err)
{
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    if (rc == 0)
        rc = key_rows(c, w, k, err);
    return nt__sq_wr_end(base, w, rc, err);
}

int nt__sq_key_get(nt_store *base, const char *id, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_KEY_GET, NULL);
    nt__sq_bind_text(st, 1, id);
    return nt__sq_query_one(c, st, out);
}

int nt__sq_key_list(nt_store *base, const char *after, int limit, json_t **out)
{
    nt__sq_deferred_flush((sq_store *)base); /* the keys' last uses, as of now */
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_KEY_LIST, NULL);
    nt__sq_bind_text(st, 1, after ? after : "");
    db_bind_int(st, 2, limit);
    return nt__sq_query_all(c, st, out);
}

static int key_revoke_rows(struct conn *c, const nt_wctx *w, const char *id, nt_err *err)
{
    int rc;
    STMT_OR_FAIL(st, c, SQL_KEY_REVOKE, err);
    nt__sq_bind_text(st, 1, w->at);
    nt__sq_bind_text(st, 2, id);
    rc = nt__sq_exec_step(c, st, err);
    if (rc == 0 && db_changes(c->db) == 0)
        rc = nt_err_set(err, NT_ENOTFOUND, "no active key %s", "không có khóa đang hoạt động %s", id);
    if (rc == 0)
        rc = nt__sq_record(c, w, "key.revoke", "key", id, "update", err);
    return rc;
}

int nt__sq_key_revoke(nt_store *base, const nt_wctx *w, const char *id, nt_err *err)
{
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    if (rc == 0)
        rc = key_revoke_rows(c, w, id, err);
    return nt__sq_wr_end(base, w, rc, err);
}

int nt__sq_deferred_add(sq_store *s, deferred *d);

/* When a key was last used: written with the next group, never waiting for a disk of its own. */
int nt__sq_key_touch(nt_store *base, const char *id, const char *at)
{
    deferred *d = nt_xcalloc(1, sizeof(*d));
    d->kind = DEF_KEY_TOUCH;
    d->a = nt_xstrdup(id);
    d->b = nt_xstrdup(at);
    return nt__sq_deferred_add((sq_store *)base, d);
}

int nt__sq_session_touch(nt_store *base, const char *id, const char *at)
{
    deferred *d = nt_xcalloc(1, sizeof(*d));
    d->kind = DEF_SESSION_TOUCH;
    d->a = nt_xstrdup(id);
    d->b = nt_xstrdup(at);
    return nt__sq_deferred_add((sq_store *)base, d);
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
static const char SQL_PERSON_ID_FOLDED[] = "SELECT id FROM persons WHERE lower(id) = lower(?)"; /* ids are unique so (011) */
static const char SQL_TOKEN_PUT[] = "INSERT INTO person_tokens (token, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char SQL_TOKEN_DEL[] = "DELETE FROM person_tokens WHERE person_id = ?";
static const char SQL_TOKEN_COUNT[] = "SELECT count(*) FROM (SELECT 1 FROM person_tokens WHERE token = ? LIMIT 5000) t";

static int put_tokens(struct conn *c, const char *id, const char *tokens, nt_err *err)
{
    char buf[NT_KEY_MAX * 4];
    if (nt_strlcpy(buf, tokens ? tokens : "", sizeof(buf)) != 0)
        return nt_err_set(err, NT_EINVAL, "too many name tokens", "tên quá dài");
    char *tok[256];
    int n = nt_text_tokens(buf, tok, 256);
    STMT_OR_FAIL(st, c, SQL_TOKEN_PUT, err);
    for (int i = 0; i < n; i++) {
        nt__sq_bind_text(st, 1, tok[i]);
        nt__sq_bind_text(st, 2, id);
        int rc = nt__sq_exec_step(c, st, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int person_rows(struct conn *c, const nt_wctx *w, const nt_person *p, bool audit, nt_err *err)
{
    STMT_OR_FAIL(st, c, SQL_PERSON_PUT, err);
    nt__sq_bind_text(st, 1, p->id);
    nt__sq_bind_text(st, 2, p->legal_name);
    nt__sq_bind_text(st, 3, p->search_key);
    nt__sq_bind_text(st, 4, p->aliases_json ? p->aliases_json : "[]");
    nt__sq_bind_text(st, 5, p->kind);
    nt__sq_bind_int_or_null(st, 6, p->birth_year, 0);
    nt__sq_bind_text(st, 7, p->gender);
    nt__sq_bind_text(st, 8, p->province);
    nt__sq_bind_text(st, 9, p->nid_hash);
    nt__sq_bind_text(st, 10, p->created_by);
    nt__sq_bind_text(st, 11, w->at);
    nt__sq_bind_text(st, 12, w->at);
    int rc = nt__sq_exec_step_alone(c, st, err);
    if (rc == NT_ECONFLICT) {
        /* Name what it clashes with: the same id (in any case), or the same national ID. */
        db_stmt *q = nt__sq_stmt(c, SQL_PERSON_ID_FOLDED);
        nt__sq_bind_text(q, 1, p->id);
        bool same_id = nt__sq_step(q) == DB_ROW;
        if (same_id)
            nt_strlcpy(err->conflict_id, (const char *)db_column_text(q, 0), sizeof(err->conflict_id));
        db_reset(q);
        if (same_id)
            return nt_err_set(err, NT_ECONFLICT, "a person with id %s exists", "đã có người với mã %s", err->conflict_id);
        if (p->nid_hash != NULL) {
            q = nt__sq_stmt(c, SQL_PERSON_BY_NID);
            nt__sq_bind_text(q, 1, p->nid_hash);
            if (nt__sq_step(q) == DB_ROW)
                nt_strlcpy(err->conflict_id, (const char *)db_column_text(q, 0), sizeof(err->conflict_id));
            db_reset(q);
        }
        return nt_err_set(err, NT_ECONFLICT, "a person with this national ID exists: %s", "đã có người với số định danh này: %s",
                          err->conflict_id);
    }
    if (rc == 0)
        rc = put_tokens(c, p->id, p->tokens, err);
    if (rc == 0)
        rc = audit ? nt__sq_record(c, w, "person.create", "person", p->id, "create", err)
                   : nt__sq_also_changed(c, w, "person", p->id, "create", err);
    return rc;
}

int nt__sq_person_put(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    if (rc == 0)
        rc = person_rows(c, w, p, true, err);
    return nt__sq_wr_end(base, w, rc, err);
}

static int person_update_rows(struct conn *c, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    int rc;
    STMT_OR_FAIL(st, c, SQL_PERSON_UPDATE, err);
    nt__sq_bind_text(st, 1, p->legal_name);
    nt__sq_bind_text(st, 2, p->search_key);
    nt__sq_bind_text(st, 3, p->aliases_json ? p->aliases_json : "[]");
    nt__sq_bind_text(st, 4, p->kind);
    nt__sq_bind_int_or_null(st, 5, p->birth_year, 0);
    nt__sq_bind_text(st, 6, p->gender);
    nt__sq_bind_text(st, 7, p->province);
    db_bind_int(st, 8, p->keep_nid);
    nt__sq_bind_text(st, 9, p->nid_hash);
    nt__sq_bind_text(st, 10, w->at);
    nt__sq_bind_text(st, 11, p->id);
    db_bind_int64(st, 12, p->version - 1);
    rc = nt__sq_exec_step_alone(c, st, err);
    if (rc == NT_ECONFLICT && p->nid_hash != NULL) {
        db_stmt *q = nt__sq_stmt(c, SQL_PERSON_BY_NID);
        nt__sq_bind_text(q, 1, p->nid_hash);
        if (nt__sq_step(q) == DB_ROW)
            nt_strlcpy(err->conflict_id, (const char *)db_column_text(q, 0), sizeof(err->conflict_id));
        db_reset(q);
        nt_err_set(err, NT_ECONFLICT, "a person with this national ID exists: %s", "đã có người với số định danh này: %s",
                   err->conflict_id);
    }
    if (rc == 0 && db_changes(c->db) == 0)
        rc = nt_err_set(err, NT_ESTALE, "person %s changed since version %lld", "người %s đã thay đổi sau phiên bản %lld", p->id,
                        (long long)(p->version - 1));
    if (rc == 0) {
        STMT_OR_FAIL(del, c, SQL_TOKEN_DEL, err);
        nt__sq_bind_text(del, 1, p->id);
        rc = nt__sq_exec_step(c, del, err);
    }
    if (rc == 0)
        rc = put_tokens(c, p->id, p->tokens, err);
    if (rc == 0)
        rc = nt__sq_record(c, w, "person.update", "person", p->id, "update", err);
    if (rc == 0 && p->log != 0)
        rc = nt__sq_log_append(c, w, p->log, "persons", p->id, NULL, NULL, err);
    return rc;
}

int nt__sq_person_update(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    if (rc == 0)
        rc = person_update_rows(c, w, p, err);
    return nt__sq_wr_end(base, w, rc, err);
}

int nt__sq_person_get(nt_store *base, const char *id, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_PERSON_GET, NULL);
    nt__sq_bind_text(st, 1, id);
    return nt__sq_query_one(c, st, out);
}

int nt__sq_person_by_nid(nt_store *base, const char *nid_hash, char id[NT_ID_LEN])
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_PERSON_BY_NID, NULL);
    nt__sq_bind_text(st, 1, nid_hash);
    int rc = nt__sq_step(st);
    if (rc == DB_ROW)
        nt_strlcpy(id, (const char *)db_column_text(st, 0), NT_ID_LEN);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? NT_ENOTFOUND : NT_EIO;
}

#define SEARCH_MAX_TOKENS 8

int nt__sq_person_search(nt_store *base, char *const *tokens, int ntokens, const char *after, int limit, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    if (ntokens < 0 || ntokens > SEARCH_MAX_TOKENS)
        return NT_EINVAL;
    if (ntokens == 0) {
        STMT_OR_FAIL(st, c, SQL_PERSON_LIST, NULL);
        nt__sq_bind_text(st, 1, after ? after : "");
        db_bind_int(st, 2, limit);
        return nt__sq_query_all(c, st, out);
    }
    /* Drive the scan from the rarest token; probe the others. */
    int drive = 0;
    int64_t best = INT64_MAX;
    for (int i = 0; i < ntokens; i++) {
        STMT_OR_FAIL(cnt, c, SQL_TOKEN_COUNT, NULL);
        nt__sq_bind_text(cnt, 1, tokens[i]);
        int64_t n = nt__sq_step(cnt) == DB_ROW ? db_column_int64(cnt, 0) : 0;
        db_reset(cnt);
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
    db_stmt *st = db_prepare(c->db, sql);
    if (st == NULL) {
        json_decref(arr);
        return nt__sq_db_error(c, NULL);
    }
    nt__sq_bind_text(st, 1, tokens[drive]);
    nt__sq_bind_text(st, 2, after ? after : "");
    for (int i = 0, k = 3; i < ntokens; i++)
        if (i != drive)
            nt__sq_bind_text(st, k++, tokens[i]);
    db_bind_int(st, ntokens + 2, limit);
    int rc;
    while ((rc = nt__sq_step(st)) == DB_ROW) {
        json_t *p = NULL;
        if (nt__sq_person_get(base, (const char *)db_column_text(st, 0), &p) == 0)
            json_array_append_new(arr, p);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        return nt__sq_db_error(c, NULL);
    }
    *out = arr;
    return 0;
}

/* ---- bulk import ---- */

#define BULK_CACHE_KIB 262144

int nt__sq_bulk_begin(nt_store *base, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    if (c->db->engine == DB_POSTGRES)
        return nt__pg_bulk_begin((sq_store *)base, c, err);
    /* A large import touches index pages all over: a bigger page cache saves rereads. The import
     * writes each person before its tokens and accounts in this one transaction, so the foreign
     * keys hold by construction and their per-row lookups can be skipped (PRAGMA foreign_keys
     * only takes effect outside a transaction). */
    if (c->db->engine == DB_SQLITE) {
        char sql[96];
        snprintf(sql, sizeof(sql), "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-%d", BULK_CACHE_KIB);
        db_exec(c->db, sql, NULL);
    }
    return nt__sq_tx_begin(c, err);
}

int nt__sq_bulk_person(nt_store *base, const nt_wctx *w, const nt_person *p, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    if (c->db->engine == DB_POSTGRES)
        return nt__pg_bulk_person((sq_store *)base, c, w, p, err);
    return person_rows(c, w, p, false, err);
}

static int account_rows(struct conn *c, const nt_wctx *w, const nt_account *a, nt_err *err);

int nt__sq_bulk_account(nt_store *base, const nt_wctx *w, const nt_account *a, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    if (c->db->engine == DB_POSTGRES)
        return nt__pg_bulk_account((sq_store *)base, c, w, a, err);
    return account_rows(c, w, a, err);
}

int nt__sq_bulk_end(nt_store *base, const nt_wctx *w, const char *summary, bool commit, nt_err *err)
{
    CONN_OR_FAIL(c, base, err);
    if (c->db->engine == DB_POSTGRES)
        return nt__pg_bulk_end((sq_store *)base, c, w, summary, commit, err);
    int rc = 0;
    if (commit)
        rc = nt__sq_audit(c, w, "person.import", "import", summary, err);
    rc = nt__sq_tx_end(c, commit ? rc : NT_EIO, err);
    if (c->db->engine == DB_SQLITE)
        db_exec(c->db, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768", NULL);
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
const char nt__sq_account_owner[] = "SELECT person_id FROM accounts WHERE platform = ? AND handle = ?";

static void account_id(const char *platform, const char *handle, char *out, size_t cap)
{
    snprintf(out, cap, "%s:%s", platform, handle);
}

/* Inserts the link; NT_ECONFLICT with conflict_id when the handle is someone's already. */
static int account_insert(struct conn *c, const nt_wctx *w, const nt_account *a, nt_err *err)
{
    STMT_OR_FAIL(st, c, SQL_ACCOUNT_PUT, err);
    nt__sq_bind_text(st, 1, a->platform);
    nt__sq_bind_text(st, 2, a->handle);
    nt__sq_bind_text(st, 3, a->display_handle);
    nt__sq_bind_text(st, 4, a->person_id);
    nt__sq_bind_text(st, 5, a->platform_user_id);
    nt__sq_bind_text(st, 6, a->url);
    nt__sq_bind_int_or_null(st, 7, a->followers, -1);
    nt__sq_bind_text(st, 8, a->verified_by);
    nt__sq_bind_text(st, 9, a->verified_by ? w->at : NULL);
    nt__sq_bind_text(st, 10, a->claimed_by);
    nt__sq_bind_text(st, 11, w->at);
    nt__sq_bind_text(st, 12, w->at);
    int rc = nt__sq_exec_step(c, st, err);
    if (rc == NT_ECONFLICT)
        return nt_err_set(err, NT_ENOTFOUND, "person %s does not exist", "không có người %s", a->person_id);
    if (rc != 0)
        return rc;
    if (db_changes(c->db) == 0) {
        db_stmt *q = nt__sq_stmt(c, nt__sq_account_owner);
        nt__sq_bind_text(q, 1, a->platform);
        nt__sq_bind_text(q, 2, a->handle);
        if (nt__sq_step(q) == DB_ROW)
            nt_strlcpy(err->conflict_id, (const char *)db_column_text(q, 0), sizeof(err->conflict_id));
        db_reset(q);
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
        rc = nt__sq_also_changed(c, w, "account", id, "create", err);
    return rc;
}

static int account_put_rows(struct conn *c, const nt_wctx *w, const nt_account *a, bool attest, bool *updated, nt_err *err)
{
    int rc = account_insert(c, w, a, err);
    if (rc == NT_ECONFLICT && attest && strcmp(err->conflict_id, a->person_id) == 0) {
        /* The person already claimed it: the platform's attestation verifies the claim. */
        nt_err_clear(err);
        STMT_OR_FAIL(st, c, SQL_ACCOUNT_ATTEST, err);
        nt__sq_bind_text(st, 1, a->verified_by);
        nt__sq_bind_text(st, 2, w->at);
        nt__sq_bind_text(st, 3, a->platform_user_id);
        nt__sq_bind_text(st, 4, a->url);
        nt__sq_bind_int_or_null(st, 5, a->followers, -1);
        nt__sq_bind_text(st, 6, a->display_handle);
        nt__sq_bind_text(st, 7, w->at);
        nt__sq_bind_text(st, 8, a->platform);
        nt__sq_bind_text(st, 9, a->handle);
        nt__sq_bind_text(st, 10, a->person_id);
        rc = nt__sq_exec_step(c, st, err);
        *updated = rc == 0;
    }
    if (rc == 0) {
        /* The response to replay is the row as it now stands. */
        nt_wctx wr = *w;
        char *replay = NULL;
        json_t *row = NULL;
        STMT_OR_FAIL(q, c, SQL_ACCOUNT_GET, err);
        nt__sq_bind_text(q, 1, a->platform);
        nt__sq_bind_text(q, 2, a->handle);
        if (w->idem_key != NULL && nt__sq_query_one(c, q, &row) == 0) {
            replay = json_dumps(row, JSON_COMPACT);
            wr.idem_response = replay;
            wr.idem_created = !*updated;
        }
        char id[NT_HANDLE_MAX + 32];
        account_id(a->platform, a->handle, id, sizeof(id));
        rc = nt__sq_record(c, &wr, a->verified_by ? "account.attest" : "account.claim", "account", id,
                           *updated ? "update" : "create", err);
        if (rc == 0)
            rc = nt__sq_also_changed(c, w, "person", a->person_id, "accounts", err);
        if (rc == 0 && a->verified_by != NULL)
            rc = nt__sq_log_append(c, w, NT_LOG_ACCOUNT_ATTESTED, "accounts", id, NULL, NULL, err);
        json_decref(row);
        free(replay);
    }
    return rc;
}

int nt__sq_account_put(nt_store *base, const nt_wctx *w, const nt_account *a, bool attest, bool *updated, nt_err *err)
{
    *updated = false;
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    if (rc == 0)
        rc = account_put_rows(c, w, a, attest, updated, err);
    rc = nt__sq_wr_end(base, w, rc, err);
    if (rc != 0)
        *updated = false;
    return rc;
}

int nt__sq_account_get(nt_store *base, const char *platform, const char *handle, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_ACCOUNT_GET, NULL);
    nt__sq_bind_text(st, 1, platform);
    nt__sq_bind_text(st, 2, handle);
    return nt__sq_query_one(c, st, out);
}

static int account_delete_rows(struct conn *c, const nt_wctx *w, const char *platform, const char *handle, nt_err *err)
{
    int rc;
    char owner[NT_ID_LEN];
    nt__sq_first_text(c, nt__sq_account_owner, platform, handle, owner, sizeof(owner));
    if (owner[0] == '\0')
        return nt_err_set(err, NT_ENOTFOUND, "no account %s:%s", "không có tài khoản %s:%s", platform, handle);
    char key[NT_HANDLE_MAX + 32];
    account_id(platform, handle, key, sizeof(key));
    char *rec = NULL; /* an attested link's end is logged, as its attestation was */
    json_t *attested = NULL;
    if (nt__sq_live_record(c, "accounts", key, &rec) == 0 && (attested = json_loads(rec, 0, NULL)) != NULL &&
        json_is_null(json_object_get(attested, "verified_by"))) {
        json_decref(attested);
        attested = NULL;
    }
    free(rec);
    STMT_OR_FAIL(st, c, SQL_ACCOUNT_DEL, err);
    nt__sq_bind_text(st, 1, platform);
    nt__sq_bind_text(st, 2, handle);
    rc = nt__sq_exec_step(c, st, err);
    if (rc == 0) {
        char id[NT_HANDLE_MAX + 32];
        account_id(platform, handle, id, sizeof(id));
        rc = nt__sq_record(c, w, "account.unlink", "account", id, "delete", err);
    }
    if (rc == 0)
        rc = nt__sq_also_changed(c, w, "person", owner, "accounts", err);
    if (rc == 0 && attested != NULL) {
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:s}", "platform", platform, "handle", handle, "person_id", owner, "unlinked_at", w->at);
        char *canon = nt_jcs(o);
        rc = canon ? nt__sq_log_append(c, w, NT_LOG_ACCOUNT_UNLINKED, "accounts", key, canon, NULL, err) : NT_ENOMEM;
        free(canon);
        json_decref(o);
    }
    json_decref(attested);
    return rc;
}

int nt__sq_account_delete(nt_store *base, const nt_wctx *w, const char *platform, const char *handle, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    if (rc == 0)
        rc = account_delete_rows(c, w, platform, handle, err);
    return nt__sq_wr_end(base, w, rc, err);
}

int nt__sq_account_list(nt_store *base, const char *person_id, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_ACCOUNT_LIST, NULL);
    nt__sq_bind_text(st, 1, person_id);
    return nt__sq_query_all(c, st, out);
}

/* A person as screening indexes it: names, birth year, gender, and every handle as "platform:@handle". */
#define SCREEN_PERSON                                                                                                              \
    "SELECT p.id, p.legal_name, p.aliases, p.birth_year, p.gender, (SELECT json_group_array(a.platform || ':' || CASE WHEN "       \
    "a.display_handle LIKE '@%' THEN '' ELSE '@' END || a.display_handle) FROM accounts a WHERE a.person_id = p.id) AS handles "   \
    "FROM persons p "

/* The named reads of accounts and persons (screening among them). */
const nt__sq_named nt__sq_queries_registry[] = {
    {NT_Q_accounts_all, "SELECT platform, handle, person_id FROM accounts"},
    {NT_Q_account_get, "SELECT platform, handle, person_id FROM accounts WHERE platform = ? AND handle = ?"},
    {NT_Q_accounts_person, "SELECT platform, handle FROM accounts WHERE person_id = ? ORDER BY platform, handle"},
    {NT_Q_person_exists, "SELECT id, legal_name FROM persons WHERE id = ?"},
    {NT_Q_person_has_decision, "SELECT id FROM decisions WHERE person_id = ? LIMIT 1"},
    {NT_Q_persons_ids, "SELECT id FROM persons"},
    {NT_Q_screen_persons, SCREEN_PERSON "ORDER BY p.created_at, p.id"},
    {NT_Q_screen_person, SCREEN_PERSON "WHERE p.id = ?"},
    {NT_QUERY_COUNT, NULL},
};
