/* Appeals against a decision: filed by the person concerned before the deadline, reviewed (sanctions
 * marked so are suspended meanwhile), and resolved by someone other than who decided: upheld,
 * overturned (its sanctions lifted) or modified (by an amending decision written with it). */
#include "core/alloc.h"
#include "core/caseflow.h"
#include "core/policy.h"
#include "core/sanction.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "log/entry.h"
#include "service/commit.h"
#include "service/dueprocess_int.h"
#include "service/appeals.h"
#include "service/query.h"
#include "service/webhooks.h"
#include <stdlib.h>
#include <string.h>

/* ---- appeals ---- */

static const nt_field appeal_spec[] = {{"grounds", NT_FT_STR, NT_F_REQUIRED, 1, 10000, 0}};

int nt_svc_appeal_file(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *decision_id, const json_t *in, json_t **out,
                       nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(appeal_spec), "", err) != 0)
        return NT_EINVAL;
    json_t *d = q1(svc, NT_Q_decision_get, json_pack("[s]", decision_id));
    if (d == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no decision %s", "không có quyết định %s", decision_id);
    int rc = 0;
    const char *person = nt_json_str(d, "person_id");
    json_t *appeals = NULL;
    if (who->role == NT_ROLE_KOL && strcmp(who->person_id, person) != 0) {
        rc = nt_err_set(err, NT_EFORBIDDEN, "only the person concerned, or a regulator on their behalf, may appeal",
                        "chỉ người bị xử lý, hoặc cơ quan quản lý thay mặt họ, được khiếu nại");
    } else if (strcmp(nt_json_str(d, "outcome"), "violation") != 0) {
        rc = nt_err_set(err, NT_ECONFLICT, "decision %s found no violation: there is nothing to appeal",
                        "quyết định %s không kết luận vi phạm: không có gì để khiếu nại", decision_id);
    } else if (!nt_appeal_in_time(nt_now_us(), nt_json_time(d, "appeal_deadline"))) {
        char shown[NT_TIME_LEN];
        nt_time_show(nt_json_str(d, "appeal_deadline"), shown);
        rc = nt_err_set(err, NT_ECONFLICT, "the appeal deadline passed at %s", "thời hạn khiếu nại đã hết lúc %s", shown);
    } else {
        appeals = q(svc, NT_Q_decision_appeals, json_pack("[s]", decision_id));
        size_t i;
        json_t *a;
        json_array_foreach(appeals, i, a)
        {
            nt_strlcpy(err->conflict_id, nt_json_str(a, "id"), sizeof(err->conflict_id));
            if (!nt_appeal_resolved((nt_appeal_state)nt_appeal_state_parse(nt_json_str(a, "state"))))
                rc = nt_err_set(err, NT_ECONFLICT, "an appeal against %s is already open", "đã có khiếu nại đang mở đối với %s",
                                decision_id);
            else /* one appeal per decision here: the next step is the superior authority or a court */
                rc = nt_err_set(err, NT_ECONFLICT,
                                "the appeal against %s was resolved: a second complaint goes to the head of the superior "
                                "authority, or to court (Luật Khiếu nại 2011, Điều 7)",
                                "khiếu nại đối với %s đã được giải quyết: khiếu nại lần hai gửi thủ trưởng cơ quan cấp trên, "
                                "hoặc khởi kiện ra tòa (Luật Khiếu nại 2011, Điều 7)",
                                decision_id);
        }
    }
    if (rc == 0) {
        char id[NT_ID_LEN];
        nt_id_new("a_", id, sizeof(id));
        char *text = nt_text_nfc(nt_json_str(in, "grounds"));
        nt_tx tx = {0};
        nt_row *row = nt_tx_insert(&tx, NT_T_appeals, id, "appeal", "appeal.file", NT_LOG_APPEAL_FILED);
        nt_row_str(row, COL(appeals, decision_id), decision_id);
        nt_row_str(row, COL(appeals, person_id), person);
        nt_row_str(row, COL(appeals, filed_by), who->key_id);
        nt_row_str(row, COL(appeals, grounds), text ? text : "");
        nt_row_str(row, COL(appeals, state), "filed");
        nt_row_str(row, COL(appeals, filed_at), w->at);
        nt_row_str(row, COL(appeals, updated_at), w->at);
        free(text);
        json_t *res = nt_row_object(row);
        json_object_set_new(res, "id", json_string(id));
        json_t *data =
            json_pack("{s:s, s:s, s:s, s:s}", "appeal_id", id, "decision_id", decision_id, "person_id", person, "filed_at", w->at);
        nt_webhook_enqueue(svc, &tx, "appeal.filed", data, w->at);
        json_decref(data);
        nt_tx_answer(&tx, res, true);
        rc = nt_svc_commit(svc, w, &tx, err);
        nt_tx_free(&tx);
        if (rc == 0)
            *out = res;
        else
            json_decref(res);
    }
    json_decref(appeals);
    json_decref(d);
    return rc;
}

/* A complaint is resolved within 30 days of being filed (Luật Khiếu nại 2011, Điều 28); the date
 * an appeal is due is shown with it so that a regulator sees what comes due first. */
#define APPEAL_RESOLVE_DAYS 30

static void appeal_due(json_t *a)
{
    int64_t filed = nt_json_time(a, "filed_at");
    char due[NT_TIME_LEN];
    nt_time_utc(filed + APPEAL_RESOLVE_DAYS * DAY_US, due);
    if (!nt_appeal_resolved((nt_appeal_state)nt_appeal_state_parse(nt_json_str(a, "state"))))
        json_object_set_new(a, "due_at", json_string(due));
}

int nt_svc_appeal_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *a = q1(svc, NT_Q_appeal_get, json_pack("[s]", id));
    if (a == NULL || (who->role != NT_ROLE_REGULATOR && strcmp(who->person_id, nt_json_str(a, "person_id")) != 0)) {
        json_decref(a);
        return nt_err_set(err, NT_ENOTFOUND, "no appeal %s", "không có khiếu nại %s", id);
    }
    appeal_due(a);
    *out = a;
    return 0;
}

int nt_svc_appeal_list(nt_svc *svc, const nt_actor *who, const char *state, const char *due_before, const char *cursor, int limit,
                       json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "", filed_before[NT_TIME_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    if (state != NULL && nt_appeal_state_parse(state) < 0)
        nt_err_field_one_of(err, "state", "invalid", nt_appeal_state_names);
    int64_t due = 0;
    if (due_before != NULL && nt_time_parse(due_before, &due) != 0)
        nt_err_field(err, "due_before", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    if (due_before != NULL)
        nt_time_utc(due - APPEAL_RESOLVE_DAYS * DAY_US, filed_before);
    const char *person = who->role == NT_ROLE_KOL ? who->person_id : NULL; /* the person concerned: their own */
    json_t *rows = q(svc, NT_Q_appeals_page,
                     json_pack("[s, s?, s?, s?, i]", after, person, state, filed_before[0] ? filed_before : NULL, limit));
    size_t i;
    json_t *a;
    json_array_foreach(rows, i, a) appeal_due(a);
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}

/* Loads an appeal and checks it may move to `to`; 409 listing the moves allowed otherwise. */
static json_t *appeal_for_move(nt_svc *svc, const char *id, nt_appeal_state to, nt_err *err, int *rc)
{
    json_t *a = q1(svc, NT_Q_appeal_get, json_pack("[s]", id));
    if (a == NULL) {
        *rc = nt_err_set(err, NT_ENOTFOUND, "no appeal %s", "không có khiếu nại %s", id);
        return NULL;
    }
    const char *from = nt_json_str(a, "state");
    nt_appeal_state fs = (nt_appeal_state)nt_appeal_state_parse(from);
    if (!nt_appeal_can_move(fs, to)) {
        const char *moves[5];
        *rc = nt__dp_refuse_move(err, "appeal", id, from, nt_appeal_state_name(to), moves, nt_appeal_moves_from(fs, moves, 5));
        json_decref(a);
        return NULL;
    }
    *rc = 0;
    return a;
}

/* Adds to the write the updates of every sanction of a decision the appeal's step touches:
 * mode 0, review starts; 1, upheld; 2, overturned. */
static void sanction_updates(nt_tx *tx, json_t *sanctions, const char *at, int mode)
{
    size_t i;
    json_t *s;
    int64_t now = nt_now_us();
    json_array_foreach(sanctions, i, s)
    {
        nt_sanction_timeline t = nt__dp_timeline_of(s);
        bool lifted = t.lifted_us != 0, suspended = t.suspended_from_us != 0 && t.suspended_until_us == 0;
        const char *id = nt_json_str(s, "id");
        if (mode == 0) { /* review starts: suspend those marked so, still to run */
            if (!json_integer_value(json_object_get(s, "suspend_pending_appeal")) || lifted || t.suspended_from_us != 0 ||
                (t.end_us != 0 && now >= t.end_us))
                continue;
            nt_row_str(nt_tx_update(tx, NT_T_sanctions, id, COL(sanctions, suspended_from), NULL, "sanction", "sanction.suspend",
                                    NT_LOG_SANCTION_SUSPENDED),
                       COL(sanctions, suspended_from), at);
        } else if (mode == 1) { /* upheld: suspended ones are reinstated */
            if (!suspended || lifted)
                continue;
            nt_row_str(nt_tx_update(tx, NT_T_sanctions, id, COL(sanctions, suspended_until), NULL, "sanction", "sanction.reinstate",
                                    NT_LOG_SANCTION_REINSTATED),
                       COL(sanctions, suspended_until), at);
        } else { /* overturned: everything lifted */
            if (lifted)
                continue;
            nt_row *r = nt_tx_update(tx, NT_T_sanctions, id, COL(sanctions, lifted_at), NULL, "sanction", "sanction.lift",
                                     NT_LOG_SANCTION_LIFTED);
            nt_row_str(r, COL(sanctions, lifted_at), at);
            if (suspended)
                nt_row_str(r, COL(sanctions, suspended_until), at);
        }
    }
}

/* The appeal's own update: its state moves from `from`, with the columns of `set` (NULL: state only). */
static void appeal_set(nt_tx *tx, const char *id, const char *from, const char *to, const char *action, int log, const json_t *in,
                       const char *resolved_by, const char *amending, const char *at)
{
    nt_row *r = nt_tx_update(tx, NT_T_appeals, id, COL(appeals, state), from, "appeal", action, log);
    nt_row_str(r, COL(appeals, state), to);
    if (in != NULL) {
        char *reasons = nt_text_nfc(nt_json_str(in, "reasons"));
        nt_row_str(r, COL(appeals, reviewer), nt_json_str(in, "reviewer"));
        nt_row_str(r, COL(appeals, resolved_by), resolved_by);
        nt_row_str(r, COL(appeals, reasons), reasons ? reasons : "");
        nt_row_str(r, COL(appeals, resolved_at), at);
        free(reasons);
    }
    if (amending != NULL)
        nt_row_str(r, COL(appeals, amending_decision), amending);
    nt_row_str(r, COL(appeals, updated_at), at);
}

/* Commits an appeal's step (its update is tx's first row) with the sanctions it touches. */
static int appeal_write(nt_svc *svc, nt_wctx *w, nt_tx *tx, const char *id, const char *decision_id, int mode, nt_err *err)
{
    json_t *sanctions = q(svc, NT_Q_decision_sanctions, json_pack("[s]", decision_id));
    sanction_updates(tx, sanctions, w->at, mode);
    if (mode >= 1) { /* a resolution, and what it lifted */
        json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "appeal_id", id, "decision_id", decision_id, "outcome",
                                 mode == 1 ? "upheld" : "overturned", "resolved_at", w->at);
        nt_webhook_enqueue(svc, tx, "appeal.resolved", data, w->at);
        json_decref(data);
        for (size_t k = 1, n = tx->n; k < n; k++) {
            if (tx->rows[k]->values.table != NT_T_sanctions || nt_row_get(&tx->rows[k]->values, COL(sanctions, lifted_at)) == NULL)
                continue;
            data = json_pack("{s:s, s:s, s:s}", "sanction_id", tx->rows[k]->id, "decision_id", decision_id, "lifted_at", w->at);
            nt_webhook_enqueue(svc, tx, "sanction.lifted", data, w->at);
            json_decref(data);
        }
    }
    int rc = nt_svc_commit(svc, w, tx, err);
    if (rc == NT_ESTALE)
        rc = nt_err_set(err, NT_ECONFLICT, "appeal %s changed meanwhile", "khiếu nại %s vừa thay đổi", id);
    json_decref(sanctions);
    return rc;
}

int nt_svc_appeal_review(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    int rc;
    json_t *a = appeal_for_move(svc, id, NT_APPEAL_UNDER_REVIEW, err, &rc);
    if (a == NULL)
        return rc;
    nt_tx tx = {0};
    appeal_set(&tx, id, "filed", "under_review", "appeal.review", NT_LOG_APPEAL_REVIEW, NULL, NULL, NULL, w->at);
    rc = appeal_write(svc, w, &tx, id, nt_json_str(a, "decision_id"), 0, err);
    nt_tx_free(&tx);
    json_decref(a);
    return rc != 0 ? rc : nt_svc_appeal_get(svc, who, id, out, err);
}

static const nt_field resolve_spec[] = {
    {"outcome", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"reasons", NT_FT_STR, NT_F_REQUIRED, 1, 10000, 0},
    {"reviewer", NT_FT_STR, NT_F_REQUIRED, 1, 200, 0},
    {"amendment", NT_FT_OBJ, NT_F_NULLABLE, 0, 0, 0},
};

int nt_svc_appeal_resolve(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(resolve_spec), "", err) != 0)
        return NT_EINVAL;
    int outcome = nt_appeal_state_parse(nt_json_str(in, "outcome"));
    if (!nt_appeal_resolved((nt_appeal_state)outcome))
        return nt_err_field_one_of(err, "outcome", "invalid", nt_appeal_state_names + NT_APPEAL_UPHELD); /* the resolved */
    const json_t *amendment = json_object_get(in, "amendment");
    if (outcome == NT_APPEAL_MODIFIED && !json_is_object(amendment))
        return nt_err_field(err, "amendment", "required", 0);
    if (outcome != NT_APPEAL_MODIFIED && json_is_object(amendment))
        return nt_err_field(err, "amendment", "invalid", 0);
    int rc;
    json_t *a = appeal_for_move(svc, id, (nt_appeal_state)outcome, err, &rc);
    if (a == NULL)
        return rc;
    const char *decision_id = nt_json_str(a, "decision_id");
    json_t *d = q1(svc, NT_Q_decision_get, json_pack("[s]", decision_id));
    /* Someone other than who decided reviews it. */
    int conflict = nt_appeal_reviewer_conflict(nt_json_str(d, "issued_by"), nt_json_str(d, "signer_name"), who->key_id,
                                               nt_json_str(in, "reviewer"));
    if (conflict != 0) {
        json_decref(d);
        json_decref(a);
        return conflict == NT_REVIEWER_SAME_KEY
                   ? nt_err_set(
                         err, NT_EFORBIDDEN,
                         "this key recorded the decision: an appeal is resolved by a regulator other than who decided",
                         "khóa này đã ghi quyết định: khiếu nại phải do cơ quan quản lý khác với người quyết định giải quyết")
                   : nt_err_set(err, NT_EFORBIDDEN, "the reviewer named is the decision's signer: someone else reviews an appeal",
                                "người xem xét được nêu là người ký quyết định: khiếu nại phải do người khác xem xét");
    }
    const char *to = nt_appeal_state_name((nt_appeal_state)outcome);
    nt_tx tx = {0};
    if (outcome == NT_APPEAL_MODIFIED) {
        /* The modification is an amending decision, written with the resolution. */
        char new_id[NT_ID_LEN];
        nt_id_new("d_", new_id, sizeof(new_id));
        json_t *body = json_deep_copy(amendment);
        json_object_set_new(body, "amends", json_string(decision_id));
        appeal_set(&tx, id, "under_review", to, "appeal.resolve", NT_LOG_APPEAL_RESOLVED, in, who->key_id, new_id, w->at);
        json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "appeal_id", id, "decision_id", decision_id, "outcome", "modified",
                                 "amending_decision", new_id, "resolved_at", w->at);
        nt_webhook_enqueue(svc, &tx, "appeal.resolved", data, w->at);
        json_decref(data);
        json_t *decision = NULL;
        nt_err sub;
        nt_err_clear(&sub);
        rc = nt__dp_decision_issue(svc, w, who, nt_json_str(d, "case_id"), body, new_id, &tx, &decision, &sub);
        if (rc != 0) {
            /* Name the amendment's fields as such. */
            *err = sub;
            for (int i = 0; i < err->nfields; i++) {
                char f[96];
                snprintf(f, sizeof(f), "amendment.%s", err->fields[i].field);
                nt_strlcpy(err->fields[i].field, f, sizeof(err->fields[i].field));
            }
        }
        json_decref(decision);
        json_decref(body);
    } else {
        appeal_set(&tx, id, "under_review", to, "appeal.resolve", NT_LOG_APPEAL_RESOLVED, in, who->key_id, NULL, w->at);
        rc = appeal_write(svc, w, &tx, id, decision_id, outcome == NT_APPEAL_UPHELD ? 1 : 2, err);
    }
    nt_tx_free(&tx);
    json_decref(d);
    json_decref(a);
    return rc != 0 ? rc : nt_svc_appeal_get(svc, who, id, out, err);
}
