/* Decisions and their sanctions.
 *
 * The registry records decisions; it never makes them. A restriction exists
 * only as a sanction of a decision that names its legal basis, facts, authority
 * and signer, the notice given and the appeal deadline (core/caseflow.c says
 * what due process asks). Decisions are immutable: a change is a new decision
 * that amends the old one, whose sanctions it lifts and replaces. Sanction
 * states are never stored: they follow from the timeline (core/sanction.c). */
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
#include "service/decisions.h"
#include "service/query.h"
#include "service/webhooks.h"
#include <stdlib.h>
#include <string.h>

/* ---- decisions ---- */

static const nt_field decision_spec[] = {
    {"number", NT_FT_STR, NT_F_REQUIRED, 1, 64, 0},
    {"authority", NT_FT_STR, NT_F_NULLABLE, 1, 200, 0},
    {"signer", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0},
    {"issued_at", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"outcome", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"legal_bases", NT_FT_OBJ_ARRAY, NT_F_NULLABLE, 0, 20, 0},
    {"ground", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"category", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"facts", NT_FT_STR, NT_F_NULLABLE, 0, 10000, 0},
    {"detection_source", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"automated_detection", NT_FT_BOOL, NT_F_NULLABLE, 0, 0, 0},
    {"notice", NT_FT_OBJ, NT_F_NULLABLE, 0, 0, 0},
    {"appeal_days", NT_FT_INT, NT_F_NULLABLE, 1, 365, 0},
    {"publish", NT_FT_BOOL, NT_F_NULLABLE, 0, 0, 0},
    {"delist_at", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"amends", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"sanctions", NT_FT_OBJ_ARRAY, NT_F_NULLABLE, 0, 20, 0},
};
static const nt_field signer_spec[] = {
    {"name", NT_FT_STR, NT_F_REQUIRED, 1, 200, 0},
    {"title", NT_FT_STR, NT_F_REQUIRED, 1, 200, 0},
};
static const nt_field basis_spec[] = {
    {"instrument", NT_FT_STR, NT_F_REQUIRED, 1, 300, 0},
    {"article", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"clause", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
};
static const nt_field notice_spec[] = {
    {"sent_at", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"channel", NT_FT_STR, NT_F_REQUIRED, 1, 100, 0},
};
static const nt_field sanction_spec[] = {
    {"type", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"scopes", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, 6, 20},
    {"platforms", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, 7, 20},
    {"territory", NT_FT_STR, NT_F_NULLABLE, 1, 100, 0},
    {"amount_vnd", NT_FT_INT, NT_F_NULLABLE, 0, 1000000000000LL, 0},
    {"description", NT_FT_STR, NT_F_NULLABLE, 1, 2000, 0},
    {"start", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"end", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"suspend_pending_appeal", NT_FT_BOOL, NT_F_NULLABLE, 0, 0, 0},
};

/* Validates one sanction of a decision into its row of the write; adds field errors otherwise. */
static void sanction_row(nt_svc *svc, nt_tx *tx, const json_t *in, size_t idx, const char *decision_id, const char *person,
                         int64_t issued, const char *at, nt_err *err)
{
    char prefix[48], f[96];
    snprintf(prefix, sizeof(prefix), "sanctions[%zu].", idx);
    if (nt_schema_check(in, SUBSPEC(sanction_spec), prefix, err) != 0)
        return;
    int before = err->nfields;
    int type = nt_sanction_type_parse(nt_json_str(in, "type"));
    if (type < 0) {
        snprintf(f, sizeof(f), "%stype", prefix);
        nt_err_field_one_of(err, f, "invalid", nt_sanction_type_names);
        return;
    }
    unsigned scopes = 0;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(in, "scopes"), i, v)
    {
        unsigned bit = nt_scope_parse(json_string_value(v));
        if (bit == 0 || bit == NT_SCOPE_ALL) {
            snprintf(f, sizeof(f), "%sscopes[%zu]", prefix, i);
            nt_err_field_one_of(err, f, "invalid", nt_scope_choices + 1); /* each scope named, never "any" */
        }
        scopes |= bit;
    }
    if (type == NT_SANCTION_ADVERTISING_BAN)
        scopes |= NT_SCOPE_ADVERTISING; /* a ban on advertising restricts that scope */
    json_array_foreach(json_object_get(in, "platforms"), i, v)
    {
        if (!nt_platform_known(json_string_value(v))) {
            snprintf(f, sizeof(f), "%splatforms[%zu]", prefix, i);
            nt_err_field(err, f, "invalid", 0);
        }
    }
    int64_t start = issued, end = 0;
    if (nt_json_str(in, "start") != NULL && nt_time_parse(nt_json_str(in, "start"), &start) != 0) {
        snprintf(f, sizeof(f), "%sstart", prefix);
        nt_err_field(err, f, "invalid", 0);
    }
    if (nt_json_str(in, "end") != NULL && nt_time_parse(nt_json_str(in, "end"), &end) != 0) {
        snprintf(f, sizeof(f), "%send", prefix);
        nt_err_field(err, f, "invalid", 0);
    }
    json_t *amount = json_object_get(in, "amount_vnd");
    int64_t vnd = json_is_integer(amount) ? json_integer_value(amount) : 0;
    if (err->nfields == before)
        nt_sanction_check((nt_sanction_type)type, type == NT_SANCTION_ADVERTISING_BAN ? NT_SCOPE_ADVERTISING : scopes, start, end,
                          vnd, (int64_t)svc->max_restriction_days * DAY_US, prefix, err);
    if (err->nfields > before)
        return;
    char s_start[NT_TIME_LEN], s_end[NT_TIME_LEN], id[NT_ID_LEN];
    nt_time_utc(start, s_start);
    if (end)
        nt_time_utc(end, s_end);
    snprintf(id, sizeof(id), "s%s_%02zu", decision_id + 1, idx); /* sorts in the order given */
    json_t *platforms = json_object_get(in, "platforms");
    nt_row *r = nt_tx_insert(tx, NT_T_sanctions, id, "sanction", "sanction.create", NT_LOG_SANCTION_CREATED);
    nt_row_str(r, COL(sanctions, decision_id), decision_id);
    nt_row_str(r, COL(sanctions, person_id), person);
    nt_row_str(r, COL(sanctions, type), nt_sanction_type_name((nt_sanction_type)type));
    nt_row_int(r, COL(sanctions, scopes), scopes);
    nt_row_set(r, COL(sanctions, platforms), platforms ? json_incref(platforms) : json_array());
    nt_row_str(r, COL(sanctions, territory), nt_json_str(in, "territory") ? nt_json_str(in, "territory") : "VN");
    nt_row_set(r, COL(sanctions, amount_vnd), type == NT_SANCTION_FINE ? json_incref(amount) : json_null());
    nt_row_str(r, COL(sanctions, description), nt_json_str(in, "description"));
    nt_row_str(r, COL(sanctions, start_at), s_start);
    nt_row_str(r, COL(sanctions, end_at), end ? s_end : NULL);
    nt_row_bool(r, COL(sanctions, suspend_pending_appeal), json_is_true(json_object_get(in, "suspend_pending_appeal")));
    nt_row_str(r, COL(sanctions, created_at), at);
}

nt_sanction_timeline nt__dp_timeline_of(const json_t *s)
{
    nt_sanction_timeline t = {
        .start_us = nt_json_time(s, "start_at"),
        .end_us = nt_json_time(s, "end_at"),
        .lifted_us = nt_json_time(s, "lifted_at"),
        .suspended_from_us = nt_json_time(s, "suspended_from"),
        .suspended_until_us = nt_json_time(s, "suspended_until"),
    };
    return t;
}

const char *nt_svc_sanction_state(const json_t *s, int64_t at)
{
    nt_sanction_timeline t = nt__dp_timeline_of(s);
    return nt_sanction_state_name(nt_sanction_state_at(&t, at));
}

/* A sanction row as clients see it: scopes by name, its state now. */
static void sanction_view(json_t *s, int64_t now)
{
    json_object_set_new(s, "state", json_string(nt_svc_sanction_state(s, now)));
    json_object_set_new(s, "scopes", nt__svc_scope_names((unsigned)json_integer_value(json_object_get(s, "scopes"))));
    json_object_set_new(s, "suspend_pending_appeal",
                        json_boolean(json_integer_value(json_object_get(s, "suspend_pending_appeal"))));
}

/* A decision row with its sanctions, appeals and the appeal path. */
static json_t *decision_view(nt_svc *svc, json_t *d)
{
    const char *id = nt_json_str(d, "id");
    int64_t now = nt_now_us();
    json_t *sanctions = q(svc, NT_Q_decision_sanctions, json_pack("[s]", id));
    size_t i;
    json_t *s;
    json_array_foreach(sanctions, i, s) sanction_view(s, now);
    json_object_set_new(d, "sanctions", sanctions ? sanctions : json_array());
    json_object_set_new(d, "appeals", q(svc, NT_Q_decision_appeals, json_pack("[s]", id)));
    json_object_set_new(d, "publish", json_boolean(json_integer_value(json_object_get(d, "publish"))));
    /* The stored body carries the legal bases, facts, notice, ...: lift them to the top. */
    json_t *body = json_object_get(d, "body");
    json_object_update_missing(d, body);
    json_object_del(d, "body");
    char how[128];
    snprintf(how, sizeof(how), "POST /v1/decisions/%s/appeals", id);
    int64_t deadline = nt_json_time(d, "appeal_deadline");
    /* Open: an appeal may be filed now — in time, and none filed yet (one appeal per decision here;
     * a second complaint goes to the higher authority, whose result arrives as an amending decision). */
    const json_t *last = NULL;
    json_t *a;
    json_array_foreach(json_object_get(d, "appeals"), i, a) last = a;
    json_t *appeal = json_pack("{s:O, s:s, s:b}", "deadline", json_object_get(d, "appeal_deadline"), "how", how, "open",
                               last == NULL && nt_appeal_in_time(now, deadline));
    if (last != NULL) {
        json_object_set(appeal, "appeal_id", json_object_get(last, "id"));
        json_object_set(appeal, "state", json_object_get(last, "state"));
        json_t *amended = json_object_get(last, "amending_decision");
        if (amended != NULL && !json_is_null(amended))
            json_object_set(appeal, "amended_by", amended);
    }
    json_object_set_new(d, "appeal", appeal);
    return d;
}

/* Issues decision `id`; the rows of `extra`, if any, are written after its own in the same
 * transaction (an appeal's resolution). */
int nt__dp_decision_issue(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *case_id, const json_t *in, const char *id,
                          nt_tx *extra, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(decision_spec), "", err) != 0)
        return NT_EINVAL;
    nt_schema_check(json_object_get(in, "signer"), SUBSPEC(signer_spec), "signer.", err);
    const json_t *notice = json_object_get(in, "notice");
    if (json_is_object(notice))
        nt_schema_check(notice, SUBSPEC(notice_spec), "notice.", err);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(in, "legal_bases"), i, v)
    {
        char prefix[48];
        snprintf(prefix, sizeof(prefix), "legal_bases[%zu].", i);
        nt_schema_check(v, SUBSPEC(basis_spec), prefix, err);
    }
    if (err->nfields > 0)
        return NT_EINVAL;
    const char *outcome = nt_json_str(in, "outcome");
    bool violation = outcome && strcmp(outcome, "violation") == 0;
    if (!violation && (outcome == NULL || strcmp(outcome, "no_violation") != 0))
        nt_err_field_allowed(err, "outcome", "invalid", "violation,no_violation");
    if (!nt_str_one_of(nt_json_str(in, "ground"), nt_decision_grounds))
        nt_err_field_one_of(err, "ground", "invalid", nt_decision_grounds);
    if (!nt_str_one_of(nt_json_str(in, "category"), nt_report_categories))
        nt_err_field_one_of(err, "category", "invalid", nt_report_categories);
    if (!nt_str_one_of(nt_json_str(in, "detection_source"), nt_detection_sources))
        nt_err_field_one_of(err, "detection_source", "invalid", nt_detection_sources);
    int64_t issued = 0, delist = 0, sent = 0;
    nt__dp_time_field(in, "issued_at", &issued, true, err);
    nt__dp_time_field(in, "delist_at", &delist, false, err);
    if (json_is_object(notice))
        nt__dp_time_field(notice, "sent_at", &sent, true, err);
    json_t *sanctions_in = json_object_get(in, "sanctions");
    const char *facts = nt_json_str(in, "facts");
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *c = q1(svc, NT_Q_case_get, json_pack("[s]", case_id));
    if (c == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no case %s", "không có vụ việc %s", case_id);
    int64_t opened = nt_json_time(c, "opened_at");
    nt_decision_facts due = {.violation = violation,
                             .legal_bases = json_array_size(json_object_get(in, "legal_bases")),
                             .facts_chars = facts ? nt_text_length(facts) : 0,
                             .notice = json_is_object(notice),
                             .sanctions = json_array_size(sanctions_in),
                             .issued_us = issued,
                             .now_us = nt_now_us(),
                             .opened_us = opened ? opened : nt_json_time(c, "created_at"),
                             .notice_us = sent,
                             .delist_us = delist};
    if (nt_decision_requirements(&due, err) > 0) {
        json_decref(c);
        return NT_EINVAL;
    }
    const char *person = nt_json_str(c, "person_id"), *state = nt_json_str(c, "state"), *amends = nt_json_str(in, "amends");
    json_t *amended = NULL, *old_sanctions = NULL;
    int rc = 0;
    if (amends == NULL && strcmp(state, "under_review") != 0) {
        const char *moves[4];
        nt_case_state fs = (nt_case_state)nt_case_state_parse(state);
        rc = nt__dp_refuse_move(err, "case", case_id, state, "decided", moves, nt_case_moves_from(fs, moves, 4));
    } else if (amends != NULL) {
        amended = q1(svc, NT_Q_decision_get, json_pack("[s]", amends));
        if (amended == NULL || strcmp(nt_json_str(amended, "case_id"), case_id) != 0)
            rc = nt_err_field(err, "amends", "invalid", 0);
        else
            old_sanctions = q(svc, NT_Q_decision_sanctions, json_pack("[s]", amends));
    }
    json_t *dup = rc == 0 ? q1(svc, NT_Q_decision_by_number, json_pack("[s]", nt_json_str(in, "number"))) : NULL;
    if (dup != NULL) {
        nt_strlcpy(err->conflict_id, nt_json_str(dup, "id"), sizeof(err->conflict_id));
        rc = nt_err_set(err, NT_ECONFLICT, "decision number %s exists", "số quyết định %s đã có", nt_json_str(in, "number"));
        json_decref(dup);
    }
    char *authority = rc == 0 ? nt__dp_authority(svc, who, nt_json_str(in, "authority")) : NULL;
    nt_tx tx = {0};
    if (rc == 0) {
        char s_issued[NT_TIME_LEN], s_deadline[NT_TIME_LEN], s_delist[NT_TIME_LEN];
        nt_time_utc(issued, s_issued);
        int days = json_is_integer(json_object_get(in, "appeal_days")) ? (int)json_integer_value(json_object_get(in, "appeal_days"))
                                                                       : svc->appeal_days;
        /* The time to appeal runs from when the person was given notice, not from the signature. */
        nt_time_utc(nt_appeal_deadline(sent ? sent : issued, days), s_deadline);
        if (delist)
            nt_time_utc(delist, s_delist);
        json_t *body = json_deep_copy(in);
        const char *drop[] = {"number",  "authority", "signer", "issued_at", "outcome",
                              "publish", "delist_at", "amends", "sanctions"};
        for (size_t k = 0; k < sizeof(drop) / sizeof(drop[0]); k++)
            json_object_del(body, drop[k]);
        if (json_object_get(body, "automated_detection") == NULL)
            json_object_set_new(body, "automated_detection", json_false());
        json_object_set_new(body, "appeal_days", json_integer(days));
        const json_t *signer = json_object_get(in, "signer");
        nt_row *r = nt_tx_insert(&tx, NT_T_decisions, id, "decision", amends ? "decision.amend" : "decision.issue",
                                 amends ? NT_LOG_DECISION_AMENDED : NT_LOG_DECISION_ISSUED);
        nt_row_str(r, COL(decisions, number), nt_json_str(in, "number"));
        nt_row_str(r, COL(decisions, case_id), case_id);
        nt_row_str(r, COL(decisions, person_id), person);
        nt_row_str(r, COL(decisions, amends), amends);
        nt_row_str(r, COL(decisions, authority), authority);
        nt_row_str(r, COL(decisions, signer_name), nt_json_str(signer, "name"));
        nt_row_str(r, COL(decisions, signer_title), nt_json_str(signer, "title"));
        nt_row_str(r, COL(decisions, issued_by), who->key_id);
        nt_row_str(r, COL(decisions, issued_at), s_issued);
        nt_row_set(r, COL(decisions, body), body);
        nt_row_str(r, COL(decisions, outcome), outcome);
        nt_row_str(r, COL(decisions, appeal_deadline), s_deadline);
        nt_row_bool(r, COL(decisions, publish), json_is_true(json_object_get(in, "publish")));
        nt_row_str(r, COL(decisions, delist_at), delist ? s_delist : NULL);
        nt_row_str(r, COL(decisions, created_at), w->at);
        tx.created = true;
        json_array_foreach(sanctions_in, i, v) sanction_row(svc, &tx, v, i, id, person, issued, w->at, err);
        if (err->nfields > 0)
            rc = NT_EINVAL;
    }
    /* An amendment replaces the sanctions of the decision it amends: they are lifted now. */
    json_array_foreach(old_sanctions, i, v)
    {
        if (rc != 0 || !json_is_null(json_object_get(v, "lifted_at")))
            continue;
        nt_row *r = nt_tx_update(&tx, NT_T_sanctions, nt_json_str(v, "id"), COL(sanctions, lifted_at), NULL, "sanction",
                                 "sanction.lift", NT_LOG_SANCTION_LIFTED);
        nt_row_str(r, COL(sanctions, lifted_at), w->at);
        nt_row_str(r, COL(sanctions, lifted_by_decision), id);
        if (!json_is_null(json_object_get(v, "suspended_from")) && json_is_null(json_object_get(v, "suspended_until")))
            nt_row_str(r, COL(sanctions, suspended_until), w->at);
    }
    if (rc == 0 && amends == NULL) {
        nt_row *r = nt_tx_update(&tx, NT_T_cases, case_id, COL(cases, state), "under_review", "case", "case.move", 0);
        nt_row_str(r, COL(cases, state), "decided");
        nt_row_str(r, COL(cases, updated_at), w->at);
    }
    /* The events this decision makes, in its transaction (the outbox). */
    size_t own = tx.n;
    for (size_t k = 0; rc == 0 && k < own; k++) {
        const nt_write *row = tx.rows[k];
        const nt_row *vals = &row->values;
        if (vals->table == NT_T_decisions && json_is_true(nt_row_get(vals, COL(decisions, publish)))) {
            json_t *data =
                json_pack("{s:s, s:O, s:O, s:s, s:O, s:O, s:s?}", "decision_id", row->id, "number",
                          nt_row_get(vals, COL(decisions, number)), "authority", nt_row_get(vals, COL(decisions, authority)),
                          "person_id", person, "outcome", nt_row_get(vals, COL(decisions, outcome)), "issued_at",
                          nt_row_get(vals, COL(decisions, issued_at)), "amends", amends);
            nt_webhook_enqueue(svc, &tx, "decision.published", data, w->at);
            json_decref(data);
        } else if (vals->table == NT_T_sanctions && row->kind == NT_WRITE_INSERT) {
            const char *start = json_string_value(nt_row_get(vals, COL(sanctions, start_at)));
            const char *type = json_string_value(nt_row_get(vals, COL(sanctions, type)));
            bool restricts = nt_sanction_restricts((nt_sanction_type)nt_sanction_type_parse(type));
            if (restricts && strcmp(start, w->at) <= 0) { /* in force already: no scan will see it start */
                json_t *data =
                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "sanction_id", row->id, "decision_id", id, "person_id", person,
                              "type", type, "start_at", start, "end_at", nt_row_get(vals, COL(sanctions, end_at)));
                nt_webhook_enqueue(svc, &tx, "sanction.activated", data, w->at);
                json_decref(data);
            }
        } else if (vals->table == NT_T_sanctions && nt_row_get(vals, COL(sanctions, lifted_at)) != NULL) {
            json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "sanction_id", row->id, "lifted_by_decision", id, "person_id", person,
                                     "lifted_at", w->at);
            nt_webhook_enqueue(svc, &tx, "sanction.lifted", data, w->at);
            json_decref(data);
        }
    }
    if (rc == 0) {
        if (extra != NULL)
            nt_tx_append(&tx, extra);
        rc = nt_svc_commit(svc, w, &tx, err);
        if (rc == NT_ESTALE)
            rc = nt_err_set(err, NT_ECONFLICT, "case %s changed meanwhile", "vụ việc %s vừa thay đổi", case_id);
        if (rc == NT_ECONFLICT && err->conflict_id[0] == '\0')
            nt_err_set(err, NT_ECONFLICT, "decision number %s exists", "số quyết định %s đã có", nt_json_str(in, "number"));
    }
    nt_tx_free(&tx);
    free(authority);
    json_decref(old_sanctions);
    json_decref(amended);
    json_decref(c);
    if (rc != 0)
        return rc;
    json_t *d = q1(svc, NT_Q_decision_get, json_pack("[s]", id));
    if (d == NULL)
        return nt_err_set(err, NT_EIO, "cannot read decision %s back", "không đọc lại được quyết định %s", id);
    *out = decision_view(svc, d);
    return 0;
}

int nt_svc_decision_issue(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *case_id, const json_t *in, json_t **out,
                          nt_err *err)
{
    char id[NT_ID_LEN];
    nt_id_new("d_", id, sizeof(id));
    return nt__dp_decision_issue(svc, w, who, case_id, in, id, NULL, out, err);
}

int nt_svc_decision_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *d = q1(svc, NT_Q_decision_get, json_pack("[s]", id));
    bool visible = d != NULL;
    if (visible && who->role != NT_ROLE_REGULATOR && strcmp(who->person_id, nt_json_str(d, "person_id")) != 0) {
        /* Others see a decision once published, until it is delisted. */
        int64_t delist = nt_json_time(d, "delist_at");
        visible = json_integer_value(json_object_get(d, "publish")) != 0 && (delist == 0 || nt_now_us() < delist);
    }
    if (!visible) {
        json_decref(d);
        return nt_err_set(err, NT_ENOTFOUND, "no decision %s", "không có quyết định %s", id);
    }
    d = decision_view(svc, d);
    json_object_del(d, "delisted_by"); /* regulators' key ids stay internal */
    if (who->role != NT_ROLE_REGULATOR) {
        json_object_del(d, "issued_by");
        json_t *appeals = json_object_get(d, "appeals");
        size_t i;
        json_t *a;
        json_array_foreach(appeals, i, a)
        {
            json_object_del(a, "filed_by");
            json_object_del(a, "resolved_by");
            if (strcmp(who->person_id, nt_json_str(d, "person_id")) != 0)
                json_object_del(a, "grounds"); /* the person's own words are theirs and the authority's */
        }
    }
    *out = d;
    return 0;
}

static const nt_field delist_spec[] = {
    {"legal_basis", NT_FT_STR, NT_F_REQUIRED, 3, 500, 0},
    {"reason", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0},
};

int nt_svc_decision_delist(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                           nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(delist_spec), "", err) != 0)
        return NT_EINVAL;
    json_t *d = q1(svc, NT_Q_decision_get, json_pack("[s]", id));
    if (d == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no decision %s", "không có quyết định %s", id);
    int64_t delist = nt_json_time(d, "delist_at");
    bool listed = json_integer_value(json_object_get(d, "publish")) != 0 && (delist == 0 || nt_now_us() < delist);
    json_t *data = json_pack("{s:s, s:O, s:O, s:s, s:s}", "decision_id", id, "number", json_object_get(d, "number"), "person_id",
                             json_object_get(d, "person_id"), "delisted_at", w->at, "legal_basis", nt_json_str(in, "legal_basis"));
    json_decref(d);
    if (!listed) {
        json_decref(data);
        return nt_err_set(err, NT_ECONFLICT, "decision %s is not published now: there is nothing to withdraw",
                          "quyết định %s hiện không được công bố: không có gì để rút", id);
    }
    /* The decision leaves the public record now; its sanctions stand, and the check still answers
     * with them. The withdrawal is logged, so the public can tell it from a record hidden. */
    nt_tx tx = {0};
    nt_row *set = nt_tx_update(&tx, NT_T_decisions, id, COL(decisions, delisted_by), NULL, "decision", "decision.delist",
                               NT_LOG_DECISION_DELISTED);
    nt_row_str(set, COL(decisions, delist_at), w->at);
    nt_row_str(set, COL(decisions, delisted_by), who->key_id);
    nt_row_str(set, COL(decisions, delist_reason), nt_json_str(in, "reason"));
    nt_row_str(set, COL(decisions, delist_legal_basis), nt_json_str(in, "legal_basis"));
    nt_webhook_enqueue(svc, &tx, "decision.delisted", data, w->at);
    json_decref(data);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc == NT_ESTALE) /* another regulator withdrew it meanwhile */
        rc = nt_err_set(err, NT_ECONFLICT, "decision %s is not published now: there is nothing to withdraw",
                        "quyết định %s hiện không được công bố: không có gì để rút", id);
    if (rc != 0)
        return rc;
    return nt_svc_decision_get(svc, who, id, out, err);
}

int nt_svc_decision_list(nt_svc *svc, const nt_actor *who, const char *person_id, const char *number, const char *published,
                         const char *from, const char *to, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "", f[NT_TIME_LEN] = "", t[NT_TIME_LEN] = "", now[NT_TIME_LEN];
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    if (published != NULL && strcmp(published, "true") != 0 && strcmp(published, "false") != 0)
        nt_err_field(err, "published", "invalid", 0);
    nt__svc_time_param(from, "from", f, err);
    nt__svc_time_param(to, "to", t, err);
    if (err->nfields > 0)
        return NT_EINVAL;
    nt_time_utc(nt_now_us(), now);
    /* A regulator finds every decision; anyone else the published ones until delisted (and a kol its own). */
    bool all = who->role == NT_ROLE_REGULATOR;
    json_t *pub = published == NULL ? json_null() : json_integer(strcmp(published, "true") == 0);
    json_t *rows = q(svc, NT_Q_decisions_page,
                     json_pack("[s, s?, s?, o, s?, s?, i, s, s, i]", after, person_id, number, pub, f[0] ? f : NULL,
                               t[0] ? t : NULL, all ? 0 : 1, now, who->role == NT_ROLE_KOL ? who->person_id : "", limit));
    size_t i;
    json_t *d;
    json_array_foreach(rows, i, d)
    {
        char url[128];
        snprintf(url, sizeof(url), "/v1/decisions/%s", nt_json_str(d, "id"));
        json_object_set_new(d, "url", json_string(url));
        json_object_set_new(d, "publish", json_boolean(json_integer_value(json_object_get(d, "publish"))));
    }
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}
