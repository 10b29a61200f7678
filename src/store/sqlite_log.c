/* SQLite backend: the transparency log's rows. An entry is made by the log module (log/entry.c)
 * from the canonical record of the row as it stands in the writer's transaction; this file stores
 * it at the next index with its private side (salt, record), reads entries and records back,
 * keeps checkpoints, and redacts. */
#include "core/alloc.h"
#include "core/util.h"
#include "log/entry.h"
#include "log/jcs.h"
#include "store/sqlite_int.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static char *row_jcs(db_stmt *st, int cache[65], const char *const *late)
{
    int n = db_column_count(st);
    const char *names[64];
    if (n > 64)
        return NULL;
    for (int i = 0; i < n; i++)
        names[i] = db_column_name(st, i);
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
    for (int k = 0, out = 0; k < n; k++) {
        int i = order[k];
        if (late != NULL && db_column_type(st, i) == DB_NULL && nt_str_one_of(names[i], late))
            continue;
        if (out++)
            nt_jb_raw(&b, ",", 1);
        nt_jcs_string(&b, names[i], strlen(names[i]));
        nt_jb_raw(&b, ":", 1);
        switch (db_column_type(st, i)) {
        case DB_INTEGER:
            nt_jb_int(&b, db_column_int64(st, i));
            break;
        case DB_NULL:
            nt_jb_raw(&b, "null", 4);
            break;
        case DB_TEXT:
            nt_jcs_string(&b, (const char *)db_column_text(st, i), (size_t)db_column_bytes(st, i));
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
int nt__sq_live_record(struct conn *c, const char *table, const char *key, char **out)
{
    /* Columns added to a logged table after records of it were committed: they join a record only
     * once they hold a value, so that a record committed before they existed still matches its row. */
    static const char *const late_products[] = {"recall_lifted_at", "recall_lift_reason", "recall_lifted_by", NULL};
    static const char *const late_decisions[] = {"delisted_by", "delist_reason", "delist_legal_basis", NULL};
    /* A person is logged by its identity only (what a regulator alone may change), and a product's
     * document by what it says (its file arrives later), so that other edits of the row do not
     * read as a discrepancy. */
    static const struct {
        const char *table, *sql;
        const char *const *late;
    } logged[] = {
        {"decisions", "SELECT * FROM decisions WHERE id = ?", late_decisions},
        {"sanctions", "SELECT * FROM sanctions WHERE id = ?", NULL},
        {"appeals", "SELECT * FROM appeals WHERE id = ?", NULL},
        {"redactions", "SELECT * FROM redactions WHERE id = ?", NULL},
        {"advertisers", "SELECT * FROM advertisers WHERE id = ?", NULL},
        {"products", "SELECT * FROM products WHERE id = ?", late_products},
        {"ads", "SELECT * FROM ads WHERE id = ?", NULL},
        {"persons", "SELECT id, legal_name, birth_year, gender, nid_hash FROM persons WHERE id = ?", NULL},
        {"orgs", "SELECT * FROM orgs WHERE id = ?", NULL},
        {"product_documents",
         "SELECT id, product_id, type, number, issuer, valid_from, valid_until, sha256, supersedes, created_at "
         "FROM product_documents WHERE id = ?",
         NULL},
        /* A member by where it stands (the statement, topics and who acted stay out); a
         * certificate by its status and a digest of the credential (the holder's name is in the
         * credential, not in the record). */
        {"members",
         "SELECT id, kind, org_id, person_id, name, category, state, decided_at, standards_version, standards_accepted_at, "
         "ended_at, end_reason FROM members WHERE id = ?",
         NULL},
        /* A notice by its digest: its text (which may name an impersonated victim) stays out. */
        {"notices",
         "SELECT id, version, kind, state, issuer_org, content_sha256, severity, valid_until, published_at, updated_at, "
         "withdrawn_at, withdraw_reason FROM notices WHERE id = ?",
         NULL},
        {"certificates",
         "SELECT id, person_id, status_index, status, status_reason, status_at, status_decision, valid_from, valid_until, "
         "scoring_version, score, credential_sha256, supersedes, created_at FROM certificates WHERE id = ?",
         NULL},
    };
    enum { NLOGGED = sizeof(logged) / sizeof(logged[0]) };
    static _Thread_local int orders[NLOGGED + 1][65]; /* per statement: its columns in canonical order */
    db_stmt *st = NULL;
    int which = NLOGGED; /* an account */
    const char *const *late = NULL;
    if (strcmp(table, "accounts") == 0) {
        const char *colon = strchr(key, ':');
        if (colon == NULL || (st = nt__sq_stmt(c, SQL_ACCOUNT_RECORD)) == NULL)
            return colon == NULL ? NT_ENOTFOUND : nt__sq_db_error(c, NULL);
        db_bind_text(st, 1, key, (int)(colon - key), DB_TRANSIENT);
        nt__sq_bind_text(st, 2, colon + 1);
    }
    for (size_t i = 0; st == NULL && i < NLOGGED; i++)
        if (strcmp(logged[i].table, table) == 0) {
            if ((st = nt__sq_stmt(c, logged[i].sql)) == NULL)
                return nt__sq_db_error(c, NULL);
            nt__sq_bind_text(st, 1, key);
            which = (int)i;
            late = logged[i].late;
        }
    if (st == NULL)
        return NT_EINVAL;
    int rc = nt__sq_step(st);
    *out = rc == DB_ROW ? row_jcs(st, orders[which], late) : NULL;
    db_reset(st);
    if (rc == DB_ROW)
        return *out ? 0 : NT_EINVAL;
    return rc == DB_DONE ? NT_ENOTFOUND : nt__sq_db_error(c, NULL);
}

/* Appends the entry of one logged write. record: the canonical record to commit to, or NULL for
 * the row as it now stands; record_id: the entry's public id, or NULL for the row's (accounts keep the random
 * id their first entry got). */
int nt__sq_log_append(struct conn *c, const nt_wctx *w, int type, const char *table, const char *key, const char *record,
                      const char *record_id, nt_err *err)
{
    char *canon = NULL;
    if (record != NULL)
        canon = nt_xstrdup(record);
    else if (nt__sq_live_record(c, table, key, &canon) != 0)
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
            nt__sq_first_text(c, SQL_LOG_PREV_ID, table, key, prev, sizeof(prev));
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
    db_stmt *st = NULL;
    if (rc == 0 && idx < 0) {
        if ((st = nt__sq_stmt(c, SQL_LOG_NEXT)) != NULL && nt__sq_step(st) == DB_ROW)
            idx = db_column_int64(st, 0);
        if (st != NULL)
            db_reset(st);
        if (idx < 0)
            rc = nt__sq_db_error(c, err);
    }
    if (rc == 0 && (st = nt__sq_stmt(c, SQL_LOG_ENTRY_PUT)) == NULL)
        rc = nt__sq_db_error(c, err);
    if (rc == 0) {
        db_bind_int64(st, 1, idx);
        nt__sq_bind_text(st, 2, nt_log_type_name(type));
        nt__sq_bind_text(st, 3, rid);
        nt__sq_bind_text(st, 4, w->at);
        db_bind_blob(st, 5, e.bytes, e.len, DB_STATIC);
        rc = nt__sq_exec_step(c, st, err);
    }
    if (rc == 0 && (st = nt__sq_stmt(c, SQL_LOG_RECORD_PUT)) == NULL)
        rc = nt__sq_db_error(c, err);
    if (rc == 0) {
        db_bind_int64(st, 1, idx);
        nt__sq_bind_text(st, 2, table);
        nt__sq_bind_text(st, 3, key);
        db_bind_blob(st, 4, e.salt, sizeof(e.salt), DB_STATIC);
        nt__sq_bind_text(st, 5, canon);
        rc = nt__sq_exec_step(c, st, err);
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

/* ---- the transparency log: reading, checkpoints, redaction ---- */

static const char SQL_LOG_FROM[] = "SELECT idx, entry FROM log_entries WHERE idx >= ? ORDER BY idx";
static const char SQL_LOG_RECORDS_FROM[] =
    "SELECT idx, record_table, record_key, salt, record FROM log_records WHERE idx >= ? ORDER BY idx";
static const char SQL_CHECKPOINT_LATEST[] = "SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1";

int nt__sq_log_each(nt_store *base, int64_t from, int (*fn)(void *arg, int64_t idx, const unsigned char *entry, size_t len),
                    void *arg)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_LOG_FROM, NULL);
    db_bind_int64(st, 1, from);
    int rc, stop = 0;
    while (stop == 0 && (rc = nt__sq_step(st)) == DB_ROW) {
        const unsigned char *bytes = db_column_blob(st, 1);
        int len = db_column_bytes(st, 1);
        stop = fn(arg, db_column_int64(st, 0), bytes ? bytes : (const unsigned char *)"", (size_t)len);
    }
    db_reset(st);
    return stop != 0 ? stop : (rc == DB_DONE ? 0 : nt__sq_db_error(c, NULL));
}

int nt__sq_log_records_each(nt_store *base, int64_t from,
                            int (*fn)(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                                      const char *record),
                            void *arg)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_LOG_RECORDS_FROM, NULL);
    db_bind_int64(st, 1, from);
    int rc, stop = 0;
    while (stop == 0 && (rc = nt__sq_step(st)) == DB_ROW) {
        const unsigned char *salt = db_column_blob(st, 3);
        bool have = salt != NULL && db_column_bytes(st, 3) == NT_LOG_SALT_LEN;
        stop = fn(arg, db_column_int64(st, 0), (const char *)db_column_text(st, 1), (const char *)db_column_text(st, 2),
                  have ? salt : NULL, (const char *)db_column_text(st, 4));
    }
    db_reset(st);
    return stop != 0 ? stop : (rc == DB_DONE ? 0 : nt__sq_db_error(c, NULL));
}

static const char SQL_LOG_LATEST[] =
    "SELECT r.idx, r.record_table, r.record_key, r.salt, e.entry FROM log_records r "
    "JOIN (SELECT record_table, record_key, max(idx) AS idx FROM log_records GROUP BY record_table, record_key) m "
    "ON m.idx = r.idx LEFT JOIN log_entries e ON e.idx = r.idx";

int nt__sq_log_latest_each(nt_store *base,
                           int (*fn)(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                                     const unsigned char *entry, size_t len),
                           void *arg)
{
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_LOG_LATEST, NULL);
    int rc, stop = 0;
    while (stop == 0 && (rc = nt__sq_step(st)) == DB_ROW) {
        const unsigned char *salt = db_column_blob(st, 3), *entry = db_column_blob(st, 4);
        bool have = salt != NULL && db_column_bytes(st, 3) == NT_LOG_SALT_LEN;
        stop = fn(arg, db_column_int64(st, 0), (const char *)db_column_text(st, 1), (const char *)db_column_text(st, 2),
                  have ? salt : NULL, entry, entry ? (size_t)db_column_bytes(st, 4) : 0);
    }
    db_reset(st);
    return stop != 0 ? stop : (rc == DB_DONE ? 0 : nt__sq_db_error(c, NULL));
}

int nt__sq_log_live_record(nt_store *base, const char *table, const char *key, char **out)
{
    CONN_OR_FAIL(c, base, NULL);
    return nt__sq_live_record(c, table, key, out);
}

int nt__sq_log_append_items(nt_store *base, const nt_wctx *w, const nt_log_item *items, size_t n, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = nt__sq_log_append(c, w, items[i].type, "log", items[i].record_id, items[i].record, items[i].record_id, err);
    return nt__sq_wr_end(base, w, rc, err);
}

/* A checkpoint is reproducible: Ed25519 is deterministic, so the same key signs the same tree head
 * to the same bytes. Its row need not wait for fsync (the next durable commit carries it); one
 * lost in a crash is signed again, identical, at the next start. */
int nt__sq_log_checkpoint_put(nt_store *base, int64_t size, const char *note, const char *at, nt_err *err)
{
    (void)err;
    deferred *d = nt_xcalloc(1, sizeof(*d));
    d->kind = DEF_CHECKPOINT;
    d->n = size;
    d->a = nt_xstrdup(note);
    d->b = nt_xstrdup(at);
    return nt__sq_deferred_add((sq_store *)base, d);
}

int nt__sq_log_checkpoint_latest(nt_store *base, int64_t *size, char **note)
{
    sq_store *s = (sq_store *)base;
    CONN_OR_FAIL(c, base, NULL);
    STMT_OR_FAIL(st, c, SQL_CHECKPOINT_LATEST, NULL);
    int rc = nt__sq_step(st);
    if (rc == DB_ROW) {
        *size = db_column_int64(st, 0);
        *note = nt_xstrdup((const char *)db_column_text(st, 1));
    }
    db_reset(st);
    rc = rc == DB_ROW ? 0 : rc == DB_DONE ? NT_ENOTFOUND : nt__sq_db_error(c, NULL);
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

/* What each table holds about the person beyond the public facts, and how redaction removes it
 * (pg: as PostgreSQL spells it, where it differs). */
static const struct {
    const char *table;
    const char *sql, *pg;
} redact_content[] = {
    {"decisions",
     "UPDATE decisions SET body = json_set(json_remove(body, '$.facts', '$.notice'), '$.redacted', json('true')) "
     "WHERE id = ?",
     "UPDATE decisions SET body = ((body::jsonb - 'facts' - 'notice') || '{\"redacted\": true}')::text WHERE id = ?"},
    {"sanctions", "UPDATE sanctions SET description = NULL WHERE id = ?", NULL},
    {"appeals", "UPDATE appeals SET grounds = '', reasons = NULL WHERE id = ?", NULL},
    {"accounts", "DELETE FROM accounts WHERE platform || ':' || handle = ?", NULL},
};

static int redact_rows(struct conn *c, const nt_wctx *w, const char *redaction_id, const char *record_id, const char *legal_basis,
                       const char *reason, nt_err *err)
{
    int rc;
    char table[32] = "", key[NT_HANDLE_MAX + 32] = "";
    db_stmt *q = nt__sq_stmt(c, SQL_REDACT_TARGET);
    if (q == NULL)
        return nt__sq_db_error(c, err);
    nt__sq_bind_text(q, 1, record_id);
    if (nt__sq_step(q) == DB_ROW) {
        nt_strlcpy(table, (const char *)db_column_text(q, 0), sizeof(table));
        nt_strlcpy(key, (const char *)db_column_text(q, 1), sizeof(key));
    }
    db_reset(q);
    if (table[0] == '\0' || strcmp(table, "redactions") == 0)
        return nt_err_set(err, NT_ENOTFOUND, "no logged record %s", "không có bản ghi %s trong nhật ký", record_id);
    char done[8];
    nt__sq_first_text(c, SQL_REDACTED, record_id, NULL, done, sizeof(done));
    if (done[0] != '\0')
        return nt_err_set(err, NT_ECONFLICT, "record %s is redacted already", "bản ghi %s đã được xóa nội dung", record_id);
    db_stmt *st = nt__sq_stmt(c, SQL_REDACTION_PUT);
    if (st == NULL)
        return nt__sq_db_error(c, err);
    nt__sq_bind_text(st, 1, redaction_id);
    nt__sq_bind_text(st, 2, record_id);
    nt__sq_bind_text(st, 3, table);
    nt__sq_bind_text(st, 4, legal_basis);
    nt__sq_bind_text(st, 5, reason);
    nt__sq_bind_text(st, 6, w->key_id);
    nt__sq_bind_text(st, 7, w->at);
    rc = nt__sq_exec_step(c, st, err);
    char owner[NT_ID_LEN] = ""; /* an account's person, before the link goes */
    const char *colon = strcmp(table, "accounts") == 0 ? strchr(key, ':') : NULL;
    if (colon != NULL) {
        char platform[32];
        snprintf(platform, sizeof(platform), "%.*s", (int)(colon - key), key);
        nt__sq_first_text(c, nt__sq_account_owner, platform, colon + 1, owner, sizeof(owner));
    }
    for (size_t i = 0; rc == 0 && i < sizeof(redact_content) / sizeof(redact_content[0]); i++) {
        if (strcmp(redact_content[i].table, table) != 0)
            continue;
        const char *sql = c->db->engine == DB_POSTGRES && redact_content[i].pg ? redact_content[i].pg : redact_content[i].sql;
        if ((st = nt__sq_stmt(c, sql)) == NULL)
            return nt__sq_db_error(c, err);
        nt__sq_bind_text(st, 1, key);
        rc = nt__sq_exec_step(c, st, err);
    }
    if (rc == 0 && (st = nt__sq_stmt(c, SQL_REDACT_RECORDS)) == NULL)
        return nt__sq_db_error(c, err);
    if (rc == 0) {
        nt__sq_bind_text(st, 1, record_id);
        rc = nt__sq_exec_step(c, st, err);
    }
    /* Followers (caches, the check index) re-read what changed: the record, and for an account the
     * person whose accounts it was among. */
    static const char *const entity[][2] = {
        {"decisions", "decision"}, {"sanctions", "sanction"}, {"appeals", "appeal"}, {"accounts", "account"}};
    for (size_t i = 0; rc == 0 && i < sizeof(entity) / sizeof(entity[0]); i++)
        if (strcmp(entity[i][0], table) == 0)
            rc = nt__sq_also_changed(c, w, entity[i][1], key, strcmp(table, "accounts") == 0 ? "delete" : "update", err);
    if (rc == 0 && owner[0] != '\0')
        rc = nt__sq_also_changed(c, w, "person", owner, "accounts", err);
    if (rc == 0)
        rc = nt__sq_record(c, w, "redaction.create", "redaction", redaction_id, "create", err);
    if (rc == 0)
        rc = nt__sq_log_append(c, w, NT_LOG_REDACTION, "redactions", redaction_id, NULL, record_id, err);
    return rc;
}

int nt__sq_log_redact(nt_store *base, const nt_wctx *w, const char *redaction_id, const char *record_id, const char *legal_basis,
                      const char *reason, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    if (rc == 0)
        rc = redact_rows(c, w, redaction_id, record_id, legal_basis, reason, err);
    return nt__sq_wr_end(base, w, rc, err);
}

/* The named reads of the log's records and the redactions. */
const nt__sq_named nt__sq_queries_log[] = {
    {NT_Q_log_records_of,
     "SELECT r.idx, r.record_table, r.record_key, lower(hex(r.salt)) AS salt, r.record, e.record_id, e.type FROM log_records r "
     "JOIN log_entries e ON e.idx = r.idx WHERE e.record_id = ? ORDER BY r.idx"},
    {NT_Q_log_records_page,
     "SELECT r.idx, r.record_table, r.record_key, lower(hex(r.salt)) AS salt, r.record, e.record_id, e.type FROM log_records r "
     "JOIN log_entries e ON e.idx = r.idx WHERE r.idx >= ? ORDER BY r.idx LIMIT ?"},
    {NT_Q_log_record_at, "SELECT record FROM log_records WHERE idx = ?"},
    {NT_Q_log_unlogged, "SELECT 'decisions' AS record_table, id AS record_key FROM decisions WHERE id NOT IN "
                        "(SELECT record_key FROM log_records WHERE record_table = 'decisions') UNION ALL "
                        "SELECT 'sanctions', id FROM sanctions WHERE id NOT IN "
                        "(SELECT record_key FROM log_records WHERE record_table = 'sanctions') UNION ALL "
                        "SELECT 'appeals', id FROM appeals WHERE id NOT IN "
                        "(SELECT record_key FROM log_records WHERE record_table = 'appeals')"},
    {NT_Q_log_latest_of, "SELECT max(idx) AS idx FROM log_records WHERE record_table = ? AND record_key = ?"},
    {NT_Q_redactions_page, "SELECT id, record_id, record_table, legal_basis, at FROM redactions WHERE id > ? ORDER BY id LIMIT ?"},
    {NT_Q_redactions_all, "SELECT id, record_id, at FROM redactions ORDER BY id"},
    {NT_QUERY_COUNT, NULL},
};
