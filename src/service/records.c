/* The public side of logged records, and redactions; see records.h. */
#include "core/alloc.h"
#include "core/schema.h"
#include "core/util.h"
#include "log/entry.h"
#include "service/commit.h"
#include "service/query.h"
#include "service/records.h"
#include <stdlib.h>
#include <string.h>

/* ---- redaction ---- */

static const nt_field redaction_spec[] = {
    {"record_id", NT_FT_STR, NT_F_REQUIRED, 1, NT_LOG_ID_MAX, 0},
    {"legal_basis", NT_FT_STR, NT_F_REQUIRED, 3, 500, 0},
    {"reason", NT_FT_STR, NT_F_NULLABLE, 0, 2000, 0},
};

static int redact_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    const char *const *a = arg; /* redaction id, record id, legal basis, reason */
    return st->ops->log_redact(st, w, a[0], a[1], a[2], a[3], err);
}

int nt_svc_redaction_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, redaction_spec, sizeof(redaction_spec) / sizeof(redaction_spec[0]), "", err) != 0)
        return NT_EINVAL;
    char id[NT_ID_LEN];
    nt_id_new("red_", id, sizeof(id));
    const char *record_id = nt_json_str(in, "record_id");
    json_t *res = json_pack("{s:s, s:s, s:s, s:s?, s:s}", "id", id, "record_id", record_id, "legal_basis",
                            nt_json_str(in, "legal_basis"), "reason", nt_json_str(in, "reason"), "at", w->at);
    const char *args[] = {id, record_id, nt_json_str(in, "legal_basis"), nt_json_str(in, "reason")};
    nt_tx tx = {.op = redact_op, .op_arg = args};
    nt_tx_answer(&tx, res, true);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc != 0) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return 0;
}

int nt_svc_redaction_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *rows = NULL;
    json_t *p = json_pack("[s, i]", after, limit);
    int rc = svc->store->ops->query(svc->store, NT_Q_redactions_page, p, &rows);
    json_decref(p);
    return nt__svc_paged(rc, rows, limit, out, err);
}

/* ---- what the public may see of the records behind entries ---- */

/* Whether a row's record is public: a published decision (not yet delisted), a sanction of one, or
 * an Influencer Trust certificate (public by nature: its record names no one but the person's id). */
static bool record_public(nt_svc *svc, const char *table, const json_t *live)
{
    if (strcmp(table, "certificates") == 0 || strcmp(table, "notices") == 0)
        return true;
    json_t *decision = NULL;
    if (strcmp(table, "sanctions") == 0) {
        json_t *p = json_pack("[s]", nt_json_str(live, "decision_id"));
        json_t *rows = NULL;
        if (svc->store->ops->query(svc->store, NT_Q_decision_get, p, &rows) == 0)
            decision = json_incref(json_array_get(rows, 0));
        json_decref(p);
        json_decref(rows);
    } else if (strcmp(table, "decisions") == 0) {
        decision = json_incref((json_t *)live);
    }
    bool pub = decision != NULL && json_integer_value(json_object_get(decision, "publish")) == 1;
    int64_t delist = nt_json_time(decision, "delist_at");
    if (pub && delist != 0 && delist <= nt_now_us())
        pub = false;
    json_decref(decision);
    return pub;
}

/* One entry's disclosure: {index, record_id, type, status[, salt, record]}. status is public (salt and
 * the record's RFC 8785 text given: anyone can recompute the commitment), private, redacted, or missing (the row is gone
 * though no redaction says so). A public record's latest entry shows the row as it stands now, so an
 * edit made behind the log's back shows as a commitment that no longer matches. */
static json_t *disclose(nt_svc *svc, const json_t *row)
{
    const char *table = nt_json_str(row, "record_table"), *key = nt_json_str(row, "record_key");
    json_t *o = json_pack("{s:O, s:O, s:O}", "index", json_object_get(row, "idx"), "record_id", json_object_get(row, "record_id"),
                          "type", json_object_get(row, "type"));
    const char *salt = nt_json_str(row, "salt");
    if (salt == NULL || salt[0] == '\0') { /* hex() of NULL is "" */
        json_object_set_new(o, "status", json_string("redacted"));
        return o;
    }
    if (strcmp(table, "decisions") != 0 && strcmp(table, "sanctions") != 0 && strcmp(table, "certificates") != 0 &&
        strcmp(table, "notices") != 0) {
        json_object_set_new(o, "status", json_string("private"));
        return o;
    }
    char *live = NULL;
    json_t *live_row = NULL;
    if (svc->store->ops->log_live_record(svc->store, table, key, &live) != 0) {
        json_object_set_new(o, "status", json_string("missing"));
        return o;
    }
    if ((live_row = json_loads(live, 0, NULL)) == NULL || !record_public(svc, table, live_row)) {
        json_decref(live_row);
        free(live);
        json_object_set_new(o, "status", json_string("private"));
        return o;
    }
    json_decref(live_row);
    json_t *p = json_pack("[s, s]", table, key), *latest = NULL;
    svc->store->ops->query(svc->store, NT_Q_log_latest_of, p, &latest);
    json_decref(p);
    bool is_latest =
        json_integer_value(json_object_get(json_array_get(latest, 0), "idx")) == json_integer_value(json_object_get(row, "idx"));
    json_decref(latest);
    /* The canonical text itself, so that what a client hashes is exactly what was committed to. */
    char *canon = is_latest ? live : nt_xstrdup(nt_json_str(row, "record"));
    if (!is_latest)
        free(live);
    json_object_set_new(o, "status", json_string("public"));
    json_object_set(o, "salt", json_object_get(row, "salt"));
    json_object_set_new(o, "record", canon ? json_string(canon) : json_null());
    free(canon);
    return o;
}

static int disclose_rows(nt_svc *svc, nt_query query, json_t *params, json_t **items, nt_err *err)
{
    json_t *rows = NULL;
    int rc = svc->store->ops->query(svc->store, query, params, &rows);
    json_decref(params);
    if (rc != 0)
        return nt_err_set(err, NT_EIO, "cannot read the log", "không đọc được nhật ký");
    *items = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) json_array_append_new(*items, disclose(svc, row));
    json_decref(rows);
    return 0;
}

int nt_svc_log_record(nt_svc *svc, const char *record_id, json_t **out, nt_err *err)
{
    json_t *items = NULL;
    int rc = disclose_rows(svc, NT_Q_log_records_of, json_pack("[s]", record_id), &items, err);
    if (rc != 0)
        return rc;
    if (json_array_size(items) == 0) {
        json_decref(items);
        return nt_err_set(err, NT_ENOTFOUND, "no log entry for %s", "không có mục nhật ký nào cho %s", record_id);
    }
    *out = json_pack("{s:s, s:o}", "record_id", record_id, "entries", items);
    return 0;
}

int nt_svc_log_records(nt_svc *svc, uint64_t from, int limit, json_t **out, nt_err *err)
{
    json_t *items = NULL;
    int rc = disclose_rows(svc, NT_Q_log_records_page, json_pack("[I, i]", (json_int_t)from, limit), &items, err);
    if (rc != 0)
        return rc;
    size_t n = json_array_size(items);
    json_int_t next = n == (size_t)limit ? json_integer_value(json_object_get(json_array_get(items, n - 1), "index")) + 1 : -1;
    *out = json_pack("{s:o}", "items", items);
    json_object_set_new(*out, "next_from", next >= 0 ? json_integer(next) : json_null());
    return 0;
}
