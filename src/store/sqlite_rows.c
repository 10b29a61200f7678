/* SQLite backend: the generic row writes (the tables of store/tables.h: inserts and guarded
 * updates, each with its change row, audit row and log entry as the row says) and the named reads,
 * whose lists live with their concern. */
#include "core/alloc.h"
#include "log/entry.h"
#include "store/sqlite_int.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- generic rows (the due-process tables) ---- */

int nt__sq_bind_json(db_stmt *st, int i, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return db_bind_text(st, i, json_string_value(v), (int)json_string_length(v), DB_TRANSIENT);
    case JSON_INTEGER:
        return db_bind_int64(st, i, json_integer_value(v));
    case JSON_TRUE:
        return db_bind_int(st, i, 1);
    case JSON_FALSE:
        return db_bind_int(st, i, 0);
    case JSON_NULL:
        return db_bind_null(st, i);
    case JSON_REAL:
        return db_bind_double(st, i, json_real_value(v));
    default: {
        char *text = json_dumps(v, JSON_COMPACT);
        int rc = db_bind_text(st, i, text ? text : "null", -1, DB_TRANSIENT);
        free(text);
        return rc;
    }
    }
}

/* The statement of a row's write: names come from store/tables.h, never from a client. */
static int write_sql(const nt_write *r, char *sql, size_t cap)
{
    const nt_row *v = &r->values;
    const char *table = nt_table_name(v->table);
    int o;
    if (r->kind == NT_WRITE_INSERT) {
        o = snprintf(sql, cap, "INSERT INTO %s (id", table);
        for (int i = 0; i < v->n; i++)
            o += snprintf(sql + o, cap - (size_t)o, ", %s", nt_col_name(v->col[i]));
        o += snprintf(sql + o, cap - (size_t)o, ") VALUES (?");
        for (int i = 0; i < v->n; i++)
            o += snprintf(sql + o, cap - (size_t)o, ", ?");
        o += snprintf(sql + o, cap - (size_t)o, ")");
    } else if (r->kind == NT_WRITE_DELETE) {
        o = snprintf(sql, cap, "DELETE FROM %s WHERE id = ?", table);
    } else {
        NT_ASSERT(v->n > 0);
        o = snprintf(sql, cap, "UPDATE %s SET ", table);
        for (int i = 0; i < v->n; i++)
            o += snprintf(sql + o, cap - (size_t)o, "%s%s = ?", i ? ", " : "", nt_col_name(v->col[i]));
        o += snprintf(sql + o, cap - (size_t)o, " WHERE id = ?");
        if (r->guard != NT_COL_NONE) {
            NT_ASSERT(nt_col_table(r->guard) == v->table);
            o += snprintf(sql + o, cap - (size_t)o, r->guard_null ? " AND %s IS NULL" : " AND %s = ?", nt_col_name(r->guard));
        }
    }
    NT_ASSERT(o < (int)cap); /* the widest row of tables.h fits */
    return o;
}

static db_stmt *named(struct conn *c, nt_query q, const json_t *params);

static int write_one(struct conn *c, const nt_wctx *w, const nt_write *r, nt_err *err)
{
    if (r->kind == NT_WRITE_NAMED) { /* rows in bulk, made in the database */
        db_stmt *st = named(c, r->named, r->params);
        if (st == NULL)
            return nt__sq_db_error(c, err);
        int rc = nt__sq_step(st);
        int ext = rc == DB_DONE ? 0 : db_unique_violation(c->db);
        db_reset(st);
        return rc == DB_DONE ? 0 : nt__sq_step_error(c, rc, ext, err);
    }
    char sql[2048];
    write_sql(r, sql, sizeof(sql));
    db_stmt *st = nt__sq_dyn_stmt(c, sql);
    if (st == NULL)
        return nt__sq_db_error(c, err);
    int i = 1;
    if (r->kind == NT_WRITE_INSERT)
        db_bind_text(st, i++, r->id, -1, DB_STATIC);
    for (int k = 0; k < r->values.n; k++)
        nt__sq_bind_json(st, i++, r->values.val[k]);
    if (r->kind == NT_WRITE_DELETE)
        db_bind_text(st, i++, r->id, -1, DB_STATIC);
    if (r->kind == NT_WRITE_UPDATE) {
        db_bind_text(st, i++, r->id, -1, DB_STATIC);
        if (r->guard != NT_COL_NONE && !r->guard_null)
            db_bind_text(st, i++, r->guard_val, -1, DB_STATIC);
    }
    int rc = nt__sq_step(st);
    int ext = rc == DB_DONE ? 0 : db_unique_violation(c->db);
    int changed = db_changes(c->db);
    db_reset(st);
    if (rc != DB_DONE)
        return nt__sq_step_error(c, rc, ext, err);
    if (r->kind != NT_WRITE_INSERT && changed == 0)
        return nt_err_set(err, NT_ESTALE, "%s %s changed meanwhile", "%s %s đã thay đổi trong lúc đó", r->entity, r->id);
    const char *op = r->kind == NT_WRITE_INSERT ? "create" : r->kind == NT_WRITE_DELETE ? "delete" : "update";
    if (r->entity == NULL) /* bookkeeping of our own (webhook deliveries): not a change mirrors follow */
        return 0;
    int rc2 = r->action ? nt__sq_record(c, w, r->action, r->entity, r->id, op, err)
                        : nt__sq_also_changed(c, w, r->entity, r->id, op, err);
    if (rc2 == 0 && r->log != 0)
        rc2 = nt__sq_log_append(c, w, r->log, nt_table_name(r->values.table), r->id, NULL, NULL, err);
    return rc2;
}

int nt__sq_write(nt_store *base, const nt_wctx *w, nt_write *const *rows, size_t n, nt_err *err)
{
    if (w->logged != NULL)
        w->logged->count = 0;
    struct conn *c;
    int rc = nt__sq_wr_begin(base, w, &c, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = write_one(c, w, rows[i], err);
    return nt__sq_wr_end(base, w, rc, err);
}

/* A delivery's payload: its own, or the body it shares (p) with its id put first (migration 019). */
#define DELIVERY_PAYLOAD                                                                                                           \
    "CASE WHEN d.payload_ref IS NULL THEN d.payload ELSE '{\"id\":\"' || d.id || '\",' || substr(p.body, 2) END"

/* The named reads of webhooks, their deliveries and the change sequence. */
const nt__sq_named nt__sq_queries_outbox[] = {
    /* Web users and sessions change too, but are nobody's to follow. */
    {NT_Q_changes_page, "SELECT seq, entity, entity_id, op, at FROM changes WHERE seq > ? AND entity NOT IN ('user', 'session') "
                        "ORDER BY seq LIMIT ?"},
    /* The audit trail, newest first, each filter NULL for "any". */
    {NT_Q_audit_page, "SELECT seq, at, key_id, request_id, action, entity, entity_id FROM audit WHERE seq < ?1 "
                      "AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR entity = ?3) AND (?4 IS NULL OR entity_id = ?4) "
                      "AND (?5 IS NULL OR key_id = ?5) AND (?6 IS NULL OR at >= ?6) AND (?7 IS NULL OR at < ?7) "
                      "ORDER BY seq DESC LIMIT ?8"},
    {NT_Q_org_keys, "SELECT id FROM api_keys WHERE org_id = ?"},
    /* An influencer's subscription hears only of its own person. */
    /* The subscriber is an API key or a user of the web pages: its role and person from either. */
    {NT_Q_webhooks_for_event,
     "SELECT w.id, COALESCE(k.role, u.role) AS role, w.org_id AS org_id FROM webhooks w LEFT JOIN api_keys k ON k.id = w.key_id "
     "LEFT JOIN users u ON u.id = w.key_id WHERE w.active = 1 AND instr(w.events, ?1) > 0 AND "
     "(COALESCE(k.person_id, u.person_id) IS NULL OR COALESCE(k.person_id, u.person_id) = ?2)"},
    {NT_Q_webhooks_by_key, "SELECT id, url, events, active, created_at, push_p256dh IS NOT NULL AS push FROM webhooks "
                           "WHERE key_id = ?1 OR org_id = ?2 OR person_id = ?3 ORDER BY created_at, id"},
    {NT_Q_push_by_endpoint, "SELECT id, key_id, org_id, person_id FROM webhooks WHERE url = ? AND push_p256dh IS NOT NULL"},
    {NT_Q_webhook_get, "SELECT * FROM webhooks WHERE id = ?"},
    {NT_Q_webhook_deliveries,
     "SELECT d.id, d.event, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, "
     "d.delivered_at, " DELIVERY_PAYLOAD " AS payload FROM webhook_deliveries d LEFT JOIN webhook_payloads p ON p.id = "
     "d.payload_ref WHERE d.webhook_id = ? ORDER BY d.created_at, d.id LIMIT ?"},
    {NT_Q_deliveries_due,
     "SELECT d.id, d.event, " DELIVERY_PAYLOAD " AS payload, d.attempts, w.id AS webhook_id, w.url, w.secret, w.push_p256dh "
     "FROM webhook_deliveries d "
     "JOIN webhooks w ON w.id = d.webhook_id LEFT JOIN webhook_payloads p ON p.id = d.payload_ref WHERE d.state = 'pending' AND "
     "w.active = 1 AND d.next_attempt_at <= ? "
     "ORDER BY d.next_attempt_at LIMIT ?"},
    {NT_Q_webhook_clock_get, "SELECT scanned_at FROM webhook_clock WHERE id = 'sanctions'"},
    {NT_Q_sanctions_starting, "SELECT s.id FROM sanctions s WHERE s.start_at > ? AND s.start_at <= ? AND s.created_at < s.start_at "
                              "AND s.lifted_at IS NULL"},
    {NT_Q_sanctions_ending, "SELECT s.id FROM sanctions s WHERE s.end_at > ? AND s.end_at <= ? "
                            "AND (s.lifted_at IS NULL OR s.lifted_at > s.end_at)"},
    {NT_QUERY_COUNT, NULL},
};

const char *nt__sq_query_sql(nt_query q)
{
    static const nt__sq_named *const lists[] = {nt__sq_queries_registry, nt__sq_queries_cases,  nt__sq_queries_ads,
                                                nt__sq_queries_log,      nt__sq_queries_outbox, nt__sq_queries_trust,
                                                nt__sq_queries_notices,  nt__sq_queries_users};
    for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
        for (const nt__sq_named *n = lists[l]; n->sql != NULL; n++)
            if (n->q == q)
                return n->sql;
    return NULL;
}

const char *nt__sq_query_sql_for(db_engine e, nt_query q)
{
    if (e == DB_POSTGRES)
        for (const nt__sq_named *n = nt__sq_queries_pg; n->sql != NULL; n++)
            if (n->q == q)
                return n->sql;
    return nt__sq_query_sql(q);
}

static db_stmt *named(struct conn *c, nt_query q, const json_t *params)
{
    const char *sql = nt__sq_query_sql_for(c->db->engine, q);
    NT_ASSERT(sql != NULL); /* every read of store/queries.h has its statement here */
    db_stmt *st = nt__sq_stmt(c, sql);
    size_t i;
    json_t *v;
    if (st != NULL)
        json_array_foreach((json_t *)params, i, v) nt__sq_bind_json(st, (int)i + 1, v);
    return st;
}

int nt__sq_query(nt_store *base, nt_query q, const json_t *params, json_t **out)
{
    CONN_OR_FAIL(c, base, NULL);
    db_stmt *st = named(c, q, params);
    return st ? nt__sq_query_all(c, st, out) : NT_EINVAL;
}

int nt__sq_query_each(nt_store *base, nt_query q, const json_t *params, void (*fn)(void *arg, const json_t *row), void *arg)
{
    CONN_OR_FAIL(c, base, NULL);
    db_stmt *st = named(c, q, params);
    if (st == NULL)
        return NT_EINVAL;
    int rc;
    while ((rc = nt__sq_step(st)) == DB_ROW) {
        json_t *row = nt__sq_row_json(st);
        fn(arg, row);
        json_decref(row);
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : nt__sq_db_error(c, NULL);
}
