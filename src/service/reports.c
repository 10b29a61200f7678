/* Reports: what the public, platforms and regulators bring to a regulator's attention. */
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
#include "service/reports.h"
#include "service/query.h"
#include "service/webhooks.h"
#include <stdlib.h>
#include <string.h>

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
    json_t *a = q1(svc, NT_Q_account_get, json_pack("[s, s]", platform, handle));
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
    if (!nt_str_one_of(category, nt_report_categories))
        return nt_err_field_one_of(err, "category", "invalid", nt_report_categories);
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
    json_t *r = q1(svc, NT_Q_report_get, json_pack("[s]", id));
    const char *reporter = nt_json_str(r, "reporter_key");
    if (r == NULL || (who->role != NT_ROLE_REGULATOR && (reporter == NULL || strcmp(reporter, who->key_id) != 0))) {
        json_decref(r);
        return nt_err_set(err, NT_ENOTFOUND, "no report %s", "không có phản ánh %s", id);
    }
    report_view(r, who);
    *out = r;
    return 0;
}

int nt_svc_report_list(nt_svc *svc, const nt_actor *who, const char *unassigned, const char *cursor, int limit, json_t **out,
                       nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    if (unassigned != NULL && strcmp(unassigned, "true") != 0 && strcmp(unassigned, "false") != 0)
        nt_err_field(err, "unassigned", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    /* A regulator's inbox is every report; anyone else's, the reports its key filed. */
    json_t *open = unassigned == NULL ? json_null() : json_boolean(strcmp(unassigned, "true") == 0);
    json_t *rows = q(svc, NT_Q_reports_page,
                     json_pack("[s, s?, o, i]", after, who->role == NT_ROLE_REGULATOR ? NULL : who->key_id, open, limit));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) report_view(r, who);
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}
