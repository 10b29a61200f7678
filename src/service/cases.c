/* Due process: reports, cases, decisions, sanctions, appeals, recommendations.
 *
 * The registry records decisions; it never makes them. A restriction exists
 * only as a sanction of a decision that names its legal basis, facts, authority
 * and signer, the notice given and the appeal deadline. Decisions are immutable:
 * a change is a new decision that amends the old one, whose sanctions it lifts
 * and replaces. Sanction states are never stored: they follow from the
 * timeline (core/sanction.c). */
#include "core/alloc.h"
#include "log/entry.h"
#include "service/cases.h"
#include "service/commit.h"
#include "service/webhooks.h"
#include "core/caseflow.h"
#include "core/policy.h"
#include "core/sanction.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include <stdlib.h>
#include <string.h>

#define DAY_US (86400LL * 1000000)

static const char *const report_categories[] = {"false_advertising",
                                                "counterfeit_or_substandard_goods",
                                                "undisclosed_advertising",
                                                "misinformation",
                                                "fraud_or_scam",
                                                "privacy",
                                                "offensive_content",
                                                "other",
                                                NULL};

static bool one_of(const char *s, const char *const *list)
{
    for (; s != NULL && *list != NULL; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

#define q  nt__svc_q
#define q1 nt__svc_q1

static int time_field(const json_t *in, const char *name, int64_t *us, bool required, nt_err *err)
{
    const char *s = nt_json_str(in, name);
    if (s == NULL) {
        *us = 0;
        return required ? nt_err_field(err, name, "required", 0) : 0;
    }
    if (nt_time_parse(s, us) != 0)
        return nt_err_field(err, name, "invalid", 0);
    return 0;
}

static void utc(int64_t us, char out[NT_TIME_LEN])
{
    nt_time_utc(us, out);
}

/* ---- reports ---- */

static const nt_field subject_spec[] = {
    {"person_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"platform", NT_FT_STR, NT_F_NULLABLE, 1, 20, 0},
    {"handle", NT_FT_STR, NT_F_NULLABLE, 1, 64, 0},
};
static const nt_field report_spec[] = {
    {"subject", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0},
    {"category", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"description", NT_FT_STR, NT_F_REQUIRED, 1, 5000, 0},
    {"evidence", NT_FT_OBJ_ARRAY, NT_F_NULLABLE, 0, 20, 0},
};
/* The public's reduced form: no evidence files, a contact instead. */
static const nt_field public_report_spec[] = {
    {"subject", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0},
    {"category", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"description", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0},
    {"contact", NT_FT_STR, NT_F_NULLABLE, 1, 200, 0},
};
static const nt_field evidence_spec[] = {
    {"url", NT_FT_STR, NT_F_REQUIRED, 8, 1000, 0},
    {"sha256", NT_FT_STR, NT_F_REQUIRED, 64, 64, 0},
    {"captured_at", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
};

static bool is_hex64(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

/* Resolves a subject {person_id} or {platform, handle} to a person id. */
static int resolve_subject(nt_svc *svc, const json_t *subject, char person[NT_ID_LEN], char handle[NT_HANDLE_MAX], nt_err *err)
{
    if (nt_schema_check(subject, subject_spec, sizeof(subject_spec) / sizeof(subject_spec[0]), "subject.", err) != 0)
        return NT_EINVAL;
    const char *pid = nt_json_str(subject, "person_id"), *platform = nt_json_str(subject, "platform"),
               *h = nt_json_str(subject, "handle");
    handle[0] = '\0';
    if (pid != NULL) {
        json_t *p = NULL;
        if (svc->store->ops->person_get(svc->store, pid, &p) != 0)
            return nt_err_set(err, NT_ENOTFOUND, "no person %s", "không có người %s", pid);
        json_decref(p);
        nt_strlcpy(person, pid, NT_ID_LEN);
        return 0;
    }
    if (platform == NULL || h == NULL)
        return nt_err_field(err, "subject", "required", 0);
    if (!nt_platform_known(platform))
        return nt_err_field(err, "subject.platform", "invalid", 0);
    if (nt_handle_normalize(platform, h, handle) != 0)
        return nt_err_field(err, "subject.handle", "invalid", 0);
    json_t *a = q1(svc, "account.get", json_pack("[s, s]", platform, handle));
    person[0] = '\0';
    if (a != NULL)
        nt_strlcpy(person, nt_json_str(a, "person_id"), NT_ID_LEN);
    json_decref(a);
    return 0;
}

int nt_svc_report_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    bool public = who->role == NT_ROLE_PUBLIC;
    const nt_field *spec = public ? public_report_spec : report_spec;
    size_t n = public ? sizeof(public_report_spec) / sizeof(public_report_spec[0]) : sizeof(report_spec) / sizeof(report_spec[0]);
    if (nt_schema_check(in, spec, n, "", err) != 0)
        return NT_EINVAL;
    const char *category = nt_json_str(in, "category");
    if (!one_of(category, report_categories))
        return nt_err_field(err, "category", "invalid", 0);
    json_t *evidence = json_object_get(in, "evidence");
    size_t i;
    json_t *e;
    json_array_foreach(evidence, i, e)
    {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "evidence[%zu].", i);
        if (nt_schema_check(e, evidence_spec, sizeof(evidence_spec) / sizeof(evidence_spec[0]), prefix, err) != 0)
            continue;
        int64_t at;
        char f[64];
        const char *url = nt_json_str(e, "url");
        if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
            snprintf(f, sizeof(f), "%surl", prefix);
            nt_err_field(err, f, "invalid", 0);
        }
        if (!is_hex64(nt_json_str(e, "sha256"))) {
            snprintf(f, sizeof(f), "%ssha256", prefix);
            nt_err_field(err, f, "invalid", 0);
        }
        if (nt_time_parse(nt_json_str(e, "captured_at"), &at) != 0) {
            snprintf(f, sizeof(f), "%scaptured_at", prefix);
            nt_err_field(err, f, "invalid", 0);
        }
    }
    if (err->nfields > 0)
        return NT_EINVAL;
    char person[NT_ID_LEN], handle[NT_HANDLE_MAX];
    int rc = resolve_subject(svc, json_object_get(in, "subject"), person, handle, err);
    if (rc != 0)
        return rc;
    char *desc = nt_text_nfc(nt_json_str(in, "description"));
    char id[NT_ID_LEN];
    nt_id_new("r_", id, sizeof(id));
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_reports, id, "report", "report.create", 0);
    nt_row_str(row, COL(reports, reporter_key), public ? NULL : who->key_id);
    nt_row_str(row, COL(reports, reporter_org), who->org_id[0] ? who->org_id : NULL);
    nt_row_str(row, COL(reports, reporter_contact), nt_json_str(in, "contact"));
    nt_row_str(row, COL(reports, subject_person), person[0] ? person : NULL);
    nt_row_str(row, COL(reports, subject_platform), handle[0] ? nt_json_str(json_object_get(in, "subject"), "platform") : NULL);
    nt_row_str(row, COL(reports, subject_handle), handle[0] ? handle : NULL);
    nt_row_str(row, COL(reports, category), category);
    nt_row_str(row, COL(reports, description), desc ? desc : "");
    nt_row_set(row, COL(reports, evidence), evidence ? json_incref(evidence) : json_array());
    nt_row_str(row, COL(reports, received_at), w->at);
    free(desc);
    json_t *res = nt_row_object(row);
    json_object_set_new(res, "id", json_string(id));
    json_object_set_new(res, "case_id", json_null());
    nt_tx_answer(&tx, res, true);
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc != 0) {
        json_decref(res);
        return rc;
    }
    if (public) /* the public reporter gets a receipt; their contact is for regulators */
        json_object_del(res, "reporter_contact");
    *out = res;
    return 0;
}

/* What a caller may see of a report: regulators everything; its reporter all but nothing more;
 * a public reporter's contact only regulators. */
static void report_view(json_t *r, const nt_actor *who)
{
    if (who->role != NT_ROLE_REGULATOR)
        json_object_del(r, "reporter_contact");
}

int nt_svc_report_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *r = q1(svc, "report.get", json_pack("[s]", id));
    const char *reporter = nt_json_str(r, "reporter_key");
    if (r == NULL || (who->role != NT_ROLE_REGULATOR && (reporter == NULL || strcmp(reporter, who->key_id) != 0))) {
        json_decref(r);
        return nt_err_set(err, NT_ENOTFOUND, "no report %s", "không có phản ánh %s", id);
    }
    report_view(r, who);
    *out = r;
    return 0;
}

int nt_svc_report_list(nt_svc *svc, const nt_actor *who, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *rows = who->role == NT_ROLE_REGULATOR ? q(svc, "reports.all", json_pack("[s, i]", after, limit))
                                                  : q(svc, "reports.by_key", json_pack("[s, s, i]", who->key_id, after, limit));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) report_view(r, who);
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}

/* ---- cases ---- */

static const nt_field case_spec[] = {
    {"person_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"report_ids", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, 100, 40},
    {"authority", NT_FT_STR, NT_F_REQUIRED, 1, 200, 0},
};

int nt_svc_case_open(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, case_spec, sizeof(case_spec) / sizeof(case_spec[0]), "", err) != 0)
        return NT_EINVAL;
    const char *person = nt_json_str(in, "person_id");
    json_t *report_ids = json_object_get(in, "report_ids");
    size_t nreports = json_array_size(report_ids);
    if (person == NULL && nreports == 0)
        return nt_err_field(err, "report_ids", "required", 0); /* own initiative names the person */
    /* Every report must exist, be unassigned and be about the same person. */
    char subject[NT_ID_LEN] = "";
    if (person != NULL)
        nt_strlcpy(subject, person, sizeof(subject));
    size_t i;
    json_t *rid;
    json_array_foreach(report_ids, i, rid)
    {
        char f[48];
        snprintf(f, sizeof(f), "report_ids[%zu]", i);
        json_t *r = q1(svc, "report.get", json_pack("[s]", json_string_value(rid)));
        const char *rp = nt_json_str(r, "subject_person");
        if (r == NULL)
            nt_err_field(err, f, "invalid", 0);
        else if (!json_is_null(json_object_get(r, "case_id")))
            nt_err_field(err, f, "duplicate", 0);
        else if (rp == NULL || (subject[0] && strcmp(subject, rp) != 0))
            nt_err_field(err, f, "invalid", 0); /* about nobody known, or someone else */
        else
            nt_strlcpy(subject, rp, sizeof(subject));
        json_decref(r);
    }
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *p = NULL;
    if (svc->store->ops->person_get(svc->store, subject, &p) != 0)
        return nt_err_set(err, NT_ENOTFOUND, "no person %s", "không có người %s", subject);
    json_decref(p);
    char id[NT_ID_LEN];
    nt_id_new("c_", id, sizeof(id));
    char *authority = nt_text_nfc(nt_json_str(in, "authority"));
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_cases, id, "case", "case.open", 0);
    nt_row_str(row, COL(cases, person_id), subject);
    nt_row_str(row, COL(cases, authority), authority ? authority : "");
    nt_row_str(row, COL(cases, state), "open");
    nt_row_str(row, COL(cases, opened_by), who->key_id);
    nt_row_bool(row, COL(cases, own_initiative), nreports == 0);
    nt_row_int(row, COL(cases, version), 1);
    nt_row_str(row, COL(cases, created_at), w->at);
    nt_row_str(row, COL(cases, updated_at), w->at);
    free(authority);
    json_t *res = nt_row_object(row);
    json_array_foreach(report_ids, i, rid)
        nt_row_str(nt_tx_update(&tx, NT_T_reports, json_string_value(rid), COL(reports, case_id), NULL, "report", NULL, 0),
                   COL(reports, case_id), id);
    json_object_set_new(res, "id", json_string(id));
    json_object_set_new(res, "report_ids", report_ids ? json_incref(report_ids) : json_array());
    nt_tx_answer(&tx, res, true);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc == NT_ESTALE) /* a report was taken by another case meanwhile */
        rc = nt_err_set(err, NT_ECONFLICT, "a report was assigned to another case meanwhile",
                        "một phản ánh vừa được gán cho vụ việc khác");
    if (rc != 0) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return 0;
}

int nt_svc_case_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *c = q1(svc, "case.get", json_pack("[s]", id));
    if (c == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no case %s", "không có vụ việc %s", id);
    json_object_set_new(c, "own_initiative", json_boolean(json_integer_value(json_object_get(c, "own_initiative"))));
    json_t *reports = q(svc, "case.reports", json_pack("[s]", id)), *ids = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(reports, i, r) json_array_append(ids, json_object_get(r, "id"));
    json_decref(reports);
    json_object_set_new(c, "report_ids", ids);
    json_object_set_new(c, "decisions", q(svc, "case.decisions", json_pack("[s]", id)));
    const char *moves[4];
    size_t n = nt_case_moves_from((nt_case_state)nt_case_state_parse(nt_json_str(c, "state")), moves, 4);
    json_t *allowed = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(allowed, json_string(moves[k]));
    json_object_set_new(c, "allowed_transitions", allowed);
    *out = c;
    return 0;
}

int nt_svc_case_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *rows = q(svc, "cases.all", json_pack("[s, i]", after, limit));
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}

static int refuse_move(nt_err *err, const char *what, const char *id, const char *from, const char *to, const char **moves,
                       size_t n)
{
    err->state_change = true;
    err->allowed[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(err->allowed);
        snprintf(err->allowed + l, sizeof(err->allowed) - l, "%s%s", i ? "," : "", moves[i]);
    }
    return nt_err_set(err, NT_ECONFLICT, "%s %s cannot move from %s to %s; allowed: %s",
                      "%s %s không thể chuyển từ %s sang %s; được phép: %s", what, id, from, to, n ? err->allowed : "none");
}

static const nt_field move_spec[] = {{"state", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0}};

int nt_svc_case_move(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, move_spec, 1, "", err) != 0)
        return NT_EINVAL;
    int to = nt_case_state_parse(nt_json_str(in, "state"));
    if (to < 0)
        return nt_err_field(err, "state", "invalid", 0);
    json_t *c = q1(svc, "case.get", json_pack("[s]", id));
    if (c == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no case %s", "không có vụ việc %s", id);
    const char *from = nt_json_str(c, "state");
    int rc = 0;
    nt_case_state fs = (nt_case_state)nt_case_state_parse(from);
    if (!nt_case_can_move(fs, (nt_case_state)to)) {
        const char *moves[4];
        rc = refuse_move(err, "case", id, from, nt_case_state_name((nt_case_state)to), moves, nt_case_moves_from(fs, moves, 4));
    } else if (to == NT_CASE_DECIDED) {
        /* A case is decided by issuing a decision, which moves it. */
        rc = nt_err_set(err, NT_ECONFLICT, "a case becomes decided when a decision is issued: POST /v1/cases/%s/decision",
                        "vụ việc chuyển sang đã quyết định khi ban hành quyết định: POST /v1/cases/%s/decision", id);
        err->state_change = true;
        nt_strlcpy(err->allowed, "", sizeof(err->allowed));
    } else {
        nt_tx tx = {0};
        nt_row *set = nt_tx_update(&tx, NT_T_cases, id, COL(cases, state), from, "case", "case.move", 0);
        nt_row_str(set, COL(cases, state), nt_case_state_name((nt_case_state)to));
        nt_row_str(set, COL(cases, updated_at), w->at);
        rc = nt_svc_commit(svc, w, &tx, err);
        nt_tx_free(&tx);
        if (rc == NT_ESTALE)
            rc = nt_err_set(err, NT_ECONFLICT, "case %s changed meanwhile", "vụ việc %s vừa thay đổi", id);
    }
    json_decref(c);
    return rc != 0 ? rc : nt_svc_case_get(svc, id, out, err);
}

/* ---- decisions ---- */

static const nt_field decision_spec[] = {
    {"number", NT_FT_STR, NT_F_REQUIRED, 1, 64, 0},
    {"authority", NT_FT_STR, NT_F_REQUIRED, 1, 200, 0},
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

static const char *const ground_kinds[] = {"law", "code_of_conduct", "contract", NULL};
static const char *const sources[] = {"authority", "platform", "user_report", "own_initiative", NULL};

#define SUBSPEC(s) s, sizeof(s) / sizeof(s[0])

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
        nt_err_field(err, f, "invalid", 0);
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
            nt_err_field(err, f, "invalid", 0);
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
    utc(start, s_start);
    if (end)
        utc(end, s_end);
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

json_t *nt__svc_scope_names(unsigned bits)
{
    json_t *a = json_array();
    for (unsigned b = 1; b <= NT_SCOPE_ADVERTISING; b <<= 1)
        if (bits & b)
            json_array_append_new(a, json_string(nt_scope_name(b)));
    return a;
}

static nt_sanction_timeline timeline_of(const json_t *s)
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
    nt_sanction_timeline t = timeline_of(s);
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
    json_t *sanctions = q(svc, "decision.sanctions", json_pack("[s]", id));
    size_t i;
    json_t *s;
    json_array_foreach(sanctions, i, s) sanction_view(s, now);
    json_object_set_new(d, "sanctions", sanctions ? sanctions : json_array());
    json_object_set_new(d, "appeals", q(svc, "decision.appeals", json_pack("[s]", id)));
    json_object_set_new(d, "publish", json_boolean(json_integer_value(json_object_get(d, "publish"))));
    /* The stored body carries the legal bases, facts, notice, ...: lift them to the top. */
    json_t *body = json_object_get(d, "body");
    json_object_update_missing(d, body);
    json_object_del(d, "body");
    char how[128];
    snprintf(how, sizeof(how), "POST /v1/decisions/%s/appeals", id);
    int64_t deadline = nt_json_time(d, "appeal_deadline");
    json_object_set_new(d, "appeal",
                        json_pack("{s:O, s:s, s:b}", "deadline", json_object_get(d, "appeal_deadline"), "how", how, "open",
                                  nt_appeal_in_time(now, deadline)));
    return d;
}

/* Issues decision `id`; the rows of `extra`, if any, are written after its own in the same
 * transaction (an appeal's resolution). */
static int issue(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *case_id, const json_t *in, const char *id, nt_tx *extra,
                 json_t **out, nt_err *err)
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
        nt_err_field(err, "outcome", "invalid", 0);
    if (!one_of(nt_json_str(in, "ground"), ground_kinds))
        nt_err_field(err, "ground", "invalid", 0);
    if (!one_of(nt_json_str(in, "category"), report_categories))
        nt_err_field(err, "category", "invalid", 0);
    if (!one_of(nt_json_str(in, "detection_source"), sources))
        nt_err_field(err, "detection_source", "invalid", 0);
    int64_t issued = 0, delist = 0, sent = 0;
    time_field(in, "issued_at", &issued, true, err);
    time_field(in, "delist_at", &delist, false, err);
    if (json_is_object(notice))
        time_field(notice, "sent_at", &sent, true, err);
    json_t *sanctions_in = json_object_get(in, "sanctions");
    /* Due process: a violation names its legal basis and facts, and the person was given notice. */
    if (violation) {
        if (json_array_size(json_object_get(in, "legal_bases")) == 0)
            nt_err_field(err, "legal_bases", "required", 0);
        const char *facts = nt_json_str(in, "facts");
        if (facts == NULL || nt_text_length(facts) == 0)
            nt_err_field(err, "facts", "required", 0);
        if (!json_is_object(notice))
            nt_err_field(err, "notice", "required", 0);
    } else if (json_array_size(sanctions_in) > 0) {
        nt_err_field(err, "sanctions", "invalid", 0); /* no violation, no sanction */
    }
    if (issued > nt_now_us() + 60 * 1000000LL)
        nt_err_field(err, "issued_at", "out_of_range", 0); /* recorded once issued, not before */
    if (err->nfields > 0)
        return NT_EINVAL;

    json_t *c = q1(svc, "case.get", json_pack("[s]", case_id));
    if (c == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no case %s", "không có vụ việc %s", case_id);
    const char *person = nt_json_str(c, "person_id"), *state = nt_json_str(c, "state"), *amends = nt_json_str(in, "amends");
    json_t *amended = NULL, *old_sanctions = NULL;
    int rc = 0;
    if (amends == NULL && strcmp(state, "under_review") != 0) {
        const char *moves[4];
        nt_case_state fs = (nt_case_state)nt_case_state_parse(state);
        rc = refuse_move(err, "case", case_id, state, "decided", moves, nt_case_moves_from(fs, moves, 4));
    } else if (amends != NULL) {
        amended = q1(svc, "decision.get", json_pack("[s]", amends));
        if (amended == NULL || strcmp(nt_json_str(amended, "case_id"), case_id) != 0)
            rc = nt_err_field(err, "amends", "invalid", 0);
        else
            old_sanctions = q(svc, "decision.sanctions", json_pack("[s]", amends));
    }
    json_t *dup = rc == 0 ? q1(svc, "decision.by_number", json_pack("[s]", nt_json_str(in, "number"))) : NULL;
    if (dup != NULL) {
        nt_strlcpy(err->conflict_id, nt_json_str(dup, "id"), sizeof(err->conflict_id));
        rc = nt_err_set(err, NT_ECONFLICT, "decision number %s exists", "số quyết định %s đã có", nt_json_str(in, "number"));
        json_decref(dup);
    }
    nt_tx tx = {0};
    if (rc == 0) {
        char s_issued[NT_TIME_LEN], s_deadline[NT_TIME_LEN], s_delist[NT_TIME_LEN];
        utc(issued, s_issued);
        int days = json_is_integer(json_object_get(in, "appeal_days")) ? (int)json_integer_value(json_object_get(in, "appeal_days"))
                                                                       : svc->appeal_days;
        utc(nt_appeal_deadline(issued, days), s_deadline);
        if (delist)
            utc(delist, s_delist);
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
        nt_row_str(r, COL(decisions, authority), nt_json_str(in, "authority"));
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
    json_decref(old_sanctions);
    json_decref(amended);
    json_decref(c);
    if (rc != 0)
        return rc;
    json_t *d = q1(svc, "decision.get", json_pack("[s]", id));
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
    return issue(svc, w, who, case_id, in, id, NULL, out, err);
}

int nt_svc_decision_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *d = q1(svc, "decision.get", json_pack("[s]", id));
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

/* ---- appeals ---- */

static const nt_field appeal_spec[] = {{"grounds", NT_FT_STR, NT_F_REQUIRED, 1, 10000, 0}};

int nt_svc_appeal_file(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *decision_id, const json_t *in, json_t **out,
                       nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(appeal_spec), "", err) != 0)
        return NT_EINVAL;
    json_t *d = q1(svc, "decision.get", json_pack("[s]", decision_id));
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
        appeals = q(svc, "decision.appeals", json_pack("[s]", decision_id));
        size_t i;
        json_t *a;
        json_array_foreach(appeals, i, a)
        {
            if (!nt_appeal_resolved((nt_appeal_state)nt_appeal_state_parse(nt_json_str(a, "state")))) {
                nt_strlcpy(err->conflict_id, nt_json_str(a, "id"), sizeof(err->conflict_id));
                rc = nt_err_set(err, NT_ECONFLICT, "an appeal against %s is already open", "đã có khiếu nại đang mở đối với %s",
                                decision_id);
            }
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

int nt_svc_appeal_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *a = q1(svc, "appeal.get", json_pack("[s]", id));
    if (a == NULL || (who->role != NT_ROLE_REGULATOR && strcmp(who->person_id, nt_json_str(a, "person_id")) != 0)) {
        json_decref(a);
        return nt_err_set(err, NT_ENOTFOUND, "no appeal %s", "không có khiếu nại %s", id);
    }
    *out = a;
    return 0;
}

/* Loads an appeal and checks it may move to `to`; 409 listing the moves allowed otherwise. */
static json_t *appeal_for_move(nt_svc *svc, const char *id, nt_appeal_state to, nt_err *err, int *rc)
{
    json_t *a = q1(svc, "appeal.get", json_pack("[s]", id));
    if (a == NULL) {
        *rc = nt_err_set(err, NT_ENOTFOUND, "no appeal %s", "không có khiếu nại %s", id);
        return NULL;
    }
    const char *from = nt_json_str(a, "state");
    nt_appeal_state fs = (nt_appeal_state)nt_appeal_state_parse(from);
    if (!nt_appeal_can_move(fs, to)) {
        const char *moves[5];
        *rc = refuse_move(err, "appeal", id, from, nt_appeal_state_name(to), moves, nt_appeal_moves_from(fs, moves, 5));
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
        nt_sanction_timeline t = timeline_of(s);
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
    json_t *sanctions = q(svc, "decision.sanctions", json_pack("[s]", decision_id));
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
        return nt_err_field(err, "outcome", "invalid", 0);
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
    json_t *d = q1(svc, "decision.get", json_pack("[s]", decision_id));
    /* Someone other than who decided reviews it. */
    if (strcmp(nt_json_str(d, "issued_by"), who->key_id) == 0 ||
        strcmp(nt_json_str(d, "signer_name"), nt_json_str(in, "reviewer")) == 0) {
        json_decref(d);
        json_decref(a);
        return nt_err_set(err, NT_EFORBIDDEN, "an appeal is resolved by a regulator other than the decision's signer",
                          "khiếu nại phải do cơ quan quản lý khác với người ký quyết định giải quyết");
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
        rc = issue(svc, w, who, nt_json_str(d, "case_id"), body, new_id, &tx, &decision, &sub);
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

/* ---- recommendations ---- */

int nt_svc_recommendations(nt_svc *svc, json_t **out, nt_err *err)
{
    json_t *violations = q(svc, "violations.all", json_array());
    json_t *temps = q(svc, "temporary_restrictions.all", json_array());
    if (violations == NULL || temps == NULL) {
        json_decref(violations);
        json_decref(temps);
        return nt_err_set(err, NT_EIO, "cannot read decisions", "không đọc được quyết định");
    }
    nt_policy policy = svc->policy;
    int64_t now = nt_now_us();
    json_t *items = json_array();
    size_t total = json_array_size(violations), i = 0;
    int64_t *times = nt_xcalloc(total + 1, sizeof(int64_t));
    /* Persons with restrictions but no violations counted still may reach the long-term rule. */
    json_t *seen = json_object();
    while (i <= total) {
        size_t j = i;
        const char *person = i < total ? nt_json_str(json_array_get(violations, i), "person_id") : NULL;
        while (j < total && strcmp(nt_json_str(json_array_get(violations, j), "person_id"), person) == 0) {
            times[j - i] = nt_json_time(json_array_get(violations, j), "issued_at");
            j++;
        }
        if (person == NULL)
            break;
        int ntemp = 0;
        size_t k;
        json_t *t;
        json_array_foreach(temps, k, t) if (strcmp(nt_json_str(t, "person_id"), person) == 0) ntemp =
            (int)json_integer_value(json_object_get(t, "n"));
        json_object_set_new(seen, person, json_true());
        nt_recommendation r = nt_policy_evaluate(&policy, times, j - i, ntemp, now);
        if (r.kind != NT_RECOMMEND_NONE) {
            json_t *behind = json_array();
            size_t from = r.kind == NT_RECOMMEND_LONG_TERM_REVIEW ? i : i + r.first;
            size_t to = r.kind == NT_RECOMMEND_LONG_TERM_REVIEW ? j : i + r.last + 1;
            for (size_t m = from; m < to; m++) {
                json_t *v = json_array_get(violations, m);
                json_array_append_new(behind,
                                      json_pack("{s:O, s:O, s:O}", "decision_id", json_object_get(v, "id"), "number",
                                                json_object_get(v, "number"), "issued_at", json_object_get(v, "issued_at")));
            }
            json_t *rec = json_pack("{s:s, s:s, s:i, s:o}", "person_id", person, "recommendation",
                                    nt_recommendation_kind_name(r.kind), "temporary_restrictions", ntemp, "decisions", behind);
            if (r.kind == NT_RECOMMEND_TEMPORARY_RESTRICTION) {
                json_object_set_new(rec, "min_days", json_integer(r.min_days));
                json_object_set_new(rec, "max_days", json_integer(r.max_days));
                json_object_set_new(rec, "window_days", json_integer(r.window_days));
            }
            json_array_append_new(items, rec);
        }
        i = j;
    }
    /* The long-term rule for persons whose violations fell out of every window. */
    size_t k;
    json_t *t;
    json_array_foreach(temps, k, t)
    {
        const char *person = nt_json_str(t, "person_id");
        int ntemp = (int)json_integer_value(json_object_get(t, "n"));
        if (json_object_get(seen, person) == NULL && ntemp >= policy.long_term_after)
            json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:[]}", "person_id", person, "recommendation",
                                                   "long_term_review", "temporary_restrictions", ntemp, "decisions"));
    }
    free(times);
    json_decref(seen);
    json_decref(violations);
    json_decref(temps);
    *out = json_pack("{s:o, s:s}", "items", items, "note", "Recommendations only: nothing is applied without a decision.");
    return 0;
}
