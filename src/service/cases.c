/* Cases: opened from reports or on a regulator's own initiative, moved open -> under_review ->
 * decided -> closed (core/caseflow.c). */
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
#include "service/cases.h"
#include "service/query.h"
#include "service/webhooks.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether text begins with prefix once both are compared without case, diacritics or spacing. */
static bool begins_with_name(const char *text, const char *prefix)
{
    char kt[1024], kp[1024];
    if (nt_text_search_key(text, kt, sizeof(kt)) < 0 || nt_text_search_key(prefix, kp, sizeof(kp)) < 0)
        return false;
    return strncmp(kt, kp, strlen(kp)) == 0;
}

char *nt__dp_authority(nt_svc *svc, const nt_actor *who, const char *given)
{
    json_t *org = NULL;
    char *text = given ? nt_text_nfc(given) : NULL, *out = NULL;
    const char *name = svc->store->ops->org_get(svc->store, who->org_id, &org) == 0 ? nt_json_str(org, "name") : NULL;
    if (name == NULL || name[0] == '\0') /* a key with no organisation: the text as given */
        out = nt_xstrdup(text ? text : "");
    else if (text == NULL || text[0] == '\0' || begins_with_name(text, name))
        out = nt_xstrdup(text && text[0] ? text : name);
    else {
        size_t n = strlen(name) + strlen(text) + 8;
        out = nt_xmalloc(n);
        if (out != NULL)
            snprintf(out, n, "%s – %s", name, text);
    }
    free(text);
    json_decref(org);
    return out;
}

int nt__dp_time_field(const json_t *in, const char *name, int64_t *us, bool required, nt_err *err)
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

/* ---- cases ---- */

static const nt_field case_spec[] = {
    {"person_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"report_ids", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, 100, 40},
    {"authority", NT_FT_STR, NT_F_NULLABLE, 1, 200, 0},
    {"opened_at", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0}, /* when the matter began, if before it is recorded */
};

int nt_svc_case_open(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, case_spec, sizeof(case_spec) / sizeof(case_spec[0]), "", err) != 0)
        return NT_EINVAL;
    /* When the matter began: now, or earlier for a case recorded after it was opened on paper. */
    char opened[NT_TIME_LEN];
    int64_t opened_us = 0;
    nt_time_parse(w->at, &opened_us); /* by default, the write's own time */
    const char *given = nt_json_str(in, "opened_at");
    if (given != NULL &&
        (nt_time_parse(given, &opened_us) != 0 || opened_us > nt_now_us() + 60 * 1000000LL || opened_us < NT_DUE_PROCESS_EPOCH_US))
        return nt_err_field(err, "opened_at", "out_of_range", 0);
    nt_time_utc(opened_us, opened);
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
        json_t *r = q1(svc, NT_Q_report_get, json_pack("[s]", json_string_value(rid)));
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
    char *authority = nt__dp_authority(svc, who, nt_json_str(in, "authority"));
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
    nt_row_str(row, COL(cases, opened_at), opened);
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
    json_t *c = q1(svc, NT_Q_case_get, json_pack("[s]", id));
    if (c == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no case %s", "không có vụ việc %s", id);
    json_object_set_new(c, "own_initiative", json_boolean(json_integer_value(json_object_get(c, "own_initiative"))));
    json_t *reports = q(svc, NT_Q_case_reports, json_pack("[s]", id)), *ids = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(reports, i, r) json_array_append(ids, json_object_get(r, "id"));
    json_decref(reports);
    json_object_set_new(c, "report_ids", ids);
    json_object_set_new(c, "decisions", q(svc, NT_Q_case_decisions, json_pack("[s]", id)));
    const char *moves[4];
    size_t n = nt_case_moves_from((nt_case_state)nt_case_state_parse(nt_json_str(c, "state")), moves, 4);
    json_t *allowed = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(allowed, json_string(moves[k]));
    json_object_set_new(c, "allowed_transitions", allowed);
    *out = c;
    return 0;
}

int nt_svc_case_list(nt_svc *svc, const nt_actor *who, const char *state, const char *person_id, const char *assigned,
                     const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    if (state != NULL && nt_case_state_parse(state) < 0)
        nt_err_field_one_of(err, "state", "invalid", nt_case_state_names);
    if (assigned != NULL && strcmp(assigned, "me") != 0)
        nt_err_field_allowed(err, "assigned", "invalid", "me"); /* "me": the cases this key opened and carries */
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *rows =
        q(svc, NT_Q_cases_page, json_pack("[s, s?, s?, s?, i]", after, state, person_id, assigned ? who->key_id : NULL, limit));
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}

int nt__dp_refuse_move(nt_err *err, const char *what, const char *id, const char *from, const char *to, const char **moves,
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
        return nt_err_field_one_of(err, "state", "invalid", nt_case_state_names);
    json_t *c = q1(svc, NT_Q_case_get, json_pack("[s]", id));
    if (c == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no case %s", "không có vụ việc %s", id);
    const char *from = nt_json_str(c, "state");
    int rc = 0;
    nt_case_state fs = (nt_case_state)nt_case_state_parse(from);
    if (!nt_case_can_move(fs, (nt_case_state)to)) {
        const char *moves[4];
        rc = nt__dp_refuse_move(err, "case", id, from, nt_case_state_name((nt_case_state)to), moves,
                                nt_case_moves_from(fs, moves, 4));
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
