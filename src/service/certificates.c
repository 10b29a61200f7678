/* Applications, reviews and the life of the Influencer Trust certificate; see certificates.h. */
#include "service/certificates.h"
#include "core/alloc.h"
#include "core/graphics.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/trust.h"
#include "core/util.h"
#include "index/restrictions.h"
#include "log/entry.h"
#include "log/vc.h"
#include "service/commit.h"
#include "service/credentials.h"
#include "service/dueprocess_int.h" /* the timeline of a sanction row */
#undef q                            /* its shorthands for reads; this file names them in full */
#undef q1
#include "service/query.h"
#include "service/trust.h"
#include "service/webhooks.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define YEAR_DAYS 365

static json_t *text2(const char *vi, const char *en)
{
    return json_pack("{s:s, s:s}", "vi", vi, "en", en);
}

static int scoring_rule(const char *name)
{
    return (int)json_integer_value(json_object_get(nt_trust_scoring(), name));
}

/* ---- audience figures ---- */

static const nt_field audience_spec[] = {
    {"platform", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"handle", NT_FT_STR, NT_F_REQUIRED, 1, 100, 0},
    {"followers", NT_FT_INT, NT_F_REQUIRED, 0, 2000000000, 0},
    {"suspicious_percent", NT_FT_INT, NT_F_REQUIRED, 0, 100, 0},
    {"period", NT_FT_STR, NT_F_REQUIRED, 7, 7, 0},
};

int nt_svc_audience_attest(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *person_id, const json_t *in, json_t **out,
                           nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(audience_spec), "", err) != 0)
        return NT_EINVAL;
    const char *platform = nt_json_str(in, "platform"), *period = nt_json_str(in, "period");
    char handle[NT_HANDLE_MAX];
    int year = 0, month = 0;
    char tail;
    if (sscanf(period, "%4d-%2d%c", &year, &month, &tail) != 2 || year < 2000 || month < 1 || month > 12)
        nt_err_field(err, "period", "invalid", 0); /* a month: "2026-11" */
    /* A platform attests figures of accounts on its own platform only. */
    if (!nt_platform_known(platform) || (who->platform[0] && strcmp(who->platform, platform) != 0))
        nt_err_field(err, "platform", "not_yours", 0);
    else if (nt_handle_normalize(platform, nt_json_str(in, "handle"), handle) != 0)
        nt_err_field(err, "handle", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *acc = nt__svc_q1(svc, NT_Q_account_get, json_pack("[s, s]", platform, handle));
    bool theirs = acc != NULL && nt_streq(nt_json_str(acc, "person_id"), person_id);
    json_decref(acc);
    if (!theirs)
        return nt_err_field(err, "handle", "not_this_person", 0);
    char id[NT_ID_LEN];
    nt_id_new("aud_", id, sizeof(id));
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_audience_attestations, id, "audience", "audience.attest", 0);
    nt_row_str(row, COL(audience_attestations, person_id), person_id);
    nt_row_str(row, COL(audience_attestations, platform), platform);
    nt_row_str(row, COL(audience_attestations, handle), handle);
    nt_row_int(row, COL(audience_attestations, followers), json_integer_value(json_object_get(in, "followers")));
    nt_row_int(row, COL(audience_attestations, suspicious_percent), json_integer_value(json_object_get(in, "suspicious_percent")));
    nt_row_str(row, COL(audience_attestations, period), period);
    nt_row_str(row, COL(audience_attestations, attested_by), w->key_id);
    nt_row_str(row, COL(audience_attestations, org_id), who->org_id);
    nt_row_str(row, COL(audience_attestations, created_at), w->at);
    json_t *res = nt_row_object(row);
    json_object_set_new(res, "id", json_string(id));
    json_object_del(res, "attested_by");
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

/* ---- requirements and scores ---- */

static bool restricted_now(nt_svc *svc, const char *person_id, int64_t now, char decision[NT_ID_LEN])
{
    json_t *rows = nt__svc_q(svc, NT_Q_sanctions_person, json_pack("[s]", person_id));
    bool found = false;
    size_t i;
    json_t *s;
    json_array_foreach(rows, i, s)
    {
        int type = nt_sanction_type_parse(nt_json_str(s, "type"));
        if (type < 0 || !nt_sanction_restricts((nt_sanction_type)type))
            continue;
        nt_sanction_timeline t = nt__dp_timeline_of(s);
        if (nt_sanction_in_force_at(&t, now)) {
            if (!found && decision != NULL)
                nt_strlcpy(decision, nt_json_str(s, "decision_id"), NT_ID_LEN);
            found = true;
        }
    }
    json_decref(rows);
    return found;
}

static void requirement(json_t *list, bool *all, const char *name, bool met, json_t *detail)
{
    json_array_append_new(list, json_pack("{s:s, s:b, s:o}", "requirement", name, "met", met, "detail", detail));
    *all = *all && met;
}

/* The hard requirements, each with its result. */
static json_t *requirements(nt_svc *svc, const char *person_id, int64_t now, bool *all)
{
    json_t *out = json_array();
    *all = true;
    char buf_vi[300], buf_en[300];
    /* An identity a regulator recorded, or an account its platform attested. */
    json_t *p = nt__svc_q1(svc, NT_Q_person_trust, json_pack("[s]", person_id));
    json_t *accounts = nt__svc_q(svc, NT_Q_person_attested, json_pack("[s]", person_id));
    int attested = 0;
    size_t i;
    json_t *a;
    json_array_foreach(accounts, i, a) attested += nt_json_str(a, "verified_by") != NULL;
    bool by_regulator = nt_streq(nt_json_str(p, "created_role"), "regulator");
    snprintf(buf_vi, sizeof(buf_vi), "%s; %d tài khoản được nền tảng xác nhận",
             by_regulator ? "danh tính do cơ quan quản lý ghi nhận" : "danh tính không do cơ quan quản lý ghi nhận", attested);
    snprintf(buf_en, sizeof(buf_en), "%s; %d account(s) attested by their platform",
             by_regulator ? "identity recorded by a regulator" : "identity not recorded by a regulator", attested);
    requirement(out, all, "identity", by_regulator || attested > 0, text2(buf_vi, buf_en));
    json_decref(p);
    json_decref(accounts);
    /* No restriction or advertising ban in force. */
    char decision[NT_ID_LEN] = "";
    bool restricted = restricted_now(svc, person_id, now, decision);
    snprintf(buf_vi, sizeof(buf_vi), restricted ? "đang bị hạn chế theo quyết định %s" : "không có hạn chế nào đang có hiệu lực",
             decision);
    snprintf(buf_en, sizeof(buf_en), restricted ? "restricted now by decision %s" : "no restriction or advertising ban in force",
             decision);
    requirement(out, all, "no_restriction_in_force", !restricted, text2(buf_vi, buf_en));
    /* No decided violation within the months configured. */
    int months = svc->clean_record_months;
    json_t *v = nt__svc_q(svc, NT_Q_person_violations, json_pack("[s]", person_id));
    int recent = 0;
    json_array_foreach(v, i, a) recent += nt_json_time(a, "issued_at") > now - (int64_t)months * 30 * DAY_US;
    json_decref(v);
    snprintf(buf_vi, sizeof(buf_vi), "%d vi phạm đã quyết định trong %d tháng qua", recent, months);
    snprintf(buf_en, sizeof(buf_en), "%d decided violation(s) in the last %d months", recent, months);
    requirement(out, all, "no_recent_violation", recent == 0, text2(buf_vi, buf_en));
    /* The standards in force accepted, as an admitted member. */
    json_t *m = nt__trust_person_member(svc, person_id);
    bool accepted = nt__trust_standards_accepted(m, now);
    const json_t *cur = nt_trust_standards_current(now);
    snprintf(buf_vi, sizeof(buf_vi), m == NULL ? "chưa là thành viên của Liên minh" : "%s phiên bản %lld",
             accepted ? "đã chấp nhận bộ tiêu chuẩn" : "chưa chấp nhận bộ tiêu chuẩn",
             (long long)json_integer_value(json_object_get(cur, "version")));
    snprintf(buf_en, sizeof(buf_en), m == NULL ? "not a member of the alliance" : "%s version %lld",
             accepted ? "accepted the standards" : "has not accepted the standards",
             (long long)json_integer_value(json_object_get(cur, "version")));
    requirement(out, all, "standards_accepted", accepted, text2(buf_vi, buf_en));
    json_decref(m);
    /* The training passed within a year. */
    int best = nt__trust_quiz_best(svc, person_id, YEAR_DAYS);
    snprintf(buf_vi, sizeof(buf_vi), best >= 0 ? "đã đạt bài kiểm tra (%d%%)" : "chưa đạt bài kiểm tra", best);
    snprintf(buf_en, sizeof(buf_en), best >= 0 ? "passed the quiz (%d%%)" : "has not passed the quiz", best);
    requirement(out, all, "training_passed", best >= 0, text2(buf_vi, buf_en));
    return out;
}

static json_t *pillar(const char *id, json_t *points, json_t *detail)
{
    const json_t *p = nt_trust_pillar(id);
    return json_pack("{s:s, s:O, s:o, s:i, s:o, s:O}", "pillar", id, "title", json_object_get(p, "title"), "points", points, "max",
                     nt_trust_pillar_points(id), "detail", detail, "rule", json_object_get(p, "rule"));
}

/* The automatic part of the score: every pillar but community, and audience when a platform
 * attested figures (else null: a reviewer's). */
static json_t *scores(nt_svc *svc, const char *person_id, int64_t now)
{
    json_t *out = json_array();
    char vi[300], en[300];
    /* Ad transparency. */
    json_t *ads = nt__svc_q1(svc, NT_Q_person_ads_summary, json_pack("[s]", person_id));
    int64_t total = json_integer_value(json_object_get(ads, "total")), own = json_integer_value(json_object_get(ads, "own_cause"));
    json_decref(ads);
    int max = nt_trust_pillar_points("ad_transparency");
    int pts = total == 0 ? max : (int)((total - own) * max / total);
    snprintf(vi, sizeof(vi), "%lld quảng cáo đã đăng ký, %lld bị tạm dừng vì chính người có ảnh hưởng bị hạn chế", (long long)total,
             (long long)own);
    snprintf(en, sizeof(en), "%lld registered ad(s), %lld suspended because the influencer was restricted", (long long)total,
             (long long)own);
    json_array_append_new(out, pillar("ad_transparency", json_integer(pts), text2(vi, en)));
    /* Conduct record. */
    json_t *v = nt__svc_q(svc, NT_Q_person_violations, json_pack("[s]", person_id));
    int n = (int)json_array_size(v), warnings = 0;
    int64_t *at = nt_xcalloc((size_t)n + 1, sizeof(int64_t));
    bool *warn = nt_xcalloc((size_t)n + 1, sizeof(bool));
    for (int i = 0; i < n; i++) {
        json_t *d = json_array_get(v, (size_t)i);
        at[i] = nt_json_time(d, "issued_at");
        warn[i] = json_integer_value(json_object_get(d, "heavier")) == 0;
        warnings += warn[i];
    }
    int permille = nt_trust_conduct_permille(at, warn, n, now);
    free(at);
    free(warn);
    json_decref(v);
    max = nt_trust_pillar_points("conduct");
    snprintf(vi, sizeof(vi), "%d vi phạm đã quyết định (%d chỉ bị cảnh cáo); mức trừ giảm dần trong 24 tháng", n, warnings);
    snprintf(en, sizeof(en), "%d decided violation(s) (%d with a warning only); deductions decay over 24 months", n, warnings);
    json_array_append_new(out, pillar("conduct", json_integer(max * permille / 1000), text2(vi, en)));
    /* Knowledge. */
    int best = nt__trust_quiz_best(svc, person_id, YEAR_DAYS);
    max = nt_trust_pillar_points("knowledge");
    snprintf(vi, sizeof(vi), best >= 0 ? "điểm bài kiểm tra cao nhất: %d%%" : "chưa đạt bài kiểm tra", best);
    snprintf(en, sizeof(en), best >= 0 ? "best quiz score: %d%%" : "quiz not passed", best);
    json_array_append_new(out, pillar("knowledge", json_integer(best > 0 ? max * best / 100 : 0), text2(vi, en)));
    /* Audience authenticity: followers-weighted share not suspicious, from the platforms' figures. */
    char since[NT_TIME_LEN];
    nt_time_utc(now - (int64_t)YEAR_DAYS * DAY_US, since);
    json_t *aud = nt__svc_q(svc, NT_Q_audience_latest, json_pack("[s, s]", person_id, since));
    int64_t followers = 0, genuine = 0;
    size_t i;
    json_t *a;
    json_array_foreach(aud, i, a)
    {
        int64_t f = json_integer_value(json_object_get(a, "followers"));
        followers += f;
        genuine += f * (100 - json_integer_value(json_object_get(a, "suspicious_percent")));
    }
    max = nt_trust_pillar_points("audience");
    if (json_array_size(aud) > 0) {
        int share = followers > 0 ? (int)(genuine / followers) : 100;
        snprintf(vi, sizeof(vi), "%zu tài khoản có số liệu nền tảng xác nhận; %d%% người theo dõi không đáng ngờ",
                 json_array_size(aud), share);
        snprintf(en, sizeof(en), "%zu account(s) with figures attested by platforms; %d%% of followers not suspicious",
                 json_array_size(aud), share);
        json_array_append_new(out, pillar("audience", json_integer(max * share / 100), text2(vi, en)));
    } else {
        json_array_append_new(out, pillar("audience", json_null(),
                                          text2("chưa có số liệu nền tảng xác nhận: người thẩm định chấm",
                                                "no figures attested by a platform: a reviewer scores it")));
    }
    json_decref(aud);
    json_array_append_new(
        out, pillar("community", json_null(), text2("người thẩm định chấm, có lý do", "a reviewer scores it, with reasons")));
    return out;
}

static json_t *pillar_of(const json_t *list, const char *id)
{
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) if (nt_streq(nt_json_str(p, "pillar"), id)) return p;
    return NULL;
}

int nt_svc_trust_eligibility(nt_svc *svc, const nt_actor *who, const char *person_id, json_t **out, nt_err *err)
{
    if (who->role == NT_ROLE_KOL) {
        if (person_id != NULL && strcmp(person_id, who->person_id) != 0)
            return nt_err_field(err, "person_id", "not_yours", 0);
        person_id = who->person_id;
    } else if (person_id == NULL) {
        return nt_err_field(err, "person_id", "required", 0);
    }
    json_t *p = nt__svc_q1(svc, NT_Q_person_exists, json_pack("[s]", person_id));
    if (p == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no person %s", "không có người %s", person_id);
    json_decref(p);
    int64_t now = nt_now_us();
    bool all = false;
    json_t *req = requirements(svc, person_id, now, &all);
    *out = json_pack("{s:s, s:b, s:o, s:o, s:i, s:i}", "person_id", person_id, "requirements_met", all, "requirements", req,
                     "scores", scores(svc, person_id, now), "certify_at", scoring_rule("certify_at"), "scoring_version",
                     scoring_rule("version"));
    return 0;
}

/* ---- applications ---- */

static json_t *application_view(json_t *a)
{
    static const char *const parsed[] = {"requirements", "scores", "review"};
    for (size_t i = 0; i < 3; i++) {
        const char *s = nt_json_str(a, parsed[i]);
        json_t *v = s ? json_loads(s, 0, NULL) : NULL;
        json_object_set_new(a, parsed[i], v ? v : json_null());
    }
    json_object_del(a, "reviewer_key");
    return a;
}

int nt_svc_application_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *a = nt__svc_q1(svc, NT_Q_application_get, json_pack("[s]", id));
    if (a == NULL || (who->role == NT_ROLE_KOL && !nt_streq(nt_json_str(a, "person_id"), who->person_id))) {
        json_decref(a);
        return nt_err_set(err, NT_ENOTFOUND, "no application %s", "không có hồ sơ %s", id);
    }
    *out = application_view(a);
    return 0;
}

static const char *const application_states[] = {"awaiting_review", "certified", "refused", NULL};

int nt_svc_application_list(nt_svc *svc, const nt_actor *who, const char *state, const char *cursor, int limit, json_t **out,
                            nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    if (state != NULL && !nt_str_one_of(state, application_states))
        nt_err_field_one_of(err, "state", "invalid", application_states);
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *rows = nt__svc_q(svc, NT_Q_applications_page,
                             json_pack("[s?, s?, s, i]", who->role == NT_ROLE_KOL ? who->person_id : NULL, state, after, limit));
    size_t i;
    json_t *a;
    json_array_foreach(rows, i, a) application_view(a);
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}

/* The certificate a person holds now, with its status at now; NULL when none. */
static json_t *current_certificate(nt_svc *svc, const char *person_id)
{
    return nt__svc_q1(svc, NT_Q_certificate_current, json_pack("[s]", person_id));
}

static const char *status_at(const json_t *c, int64_t now)
{
    const char *s = nt_json_str(c, "status");
    if ((nt_streq(s, "active") || nt_streq(s, "suspended")) && nt_json_time(c, "valid_until") <= now)
        return "expired";
    return s;
}

int nt_svc_application_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, json_t **out, nt_err *err)
{
    const char *person_id = who->person_id;
    int64_t now = nt_now_us();
    json_t *open = nt__svc_q1(svc, NT_Q_application_open, json_pack("[s]", person_id));
    if (open != NULL) {
        nt_err_set(err, NT_ECONFLICT, "an application is awaiting review: %s", "đang có hồ sơ chờ thẩm định: %s",
                   nt_json_str(open, "id"));
        nt_strlcpy(err->conflict_id, nt_json_str(open, "id"), sizeof(err->conflict_id));
        json_decref(open);
        return NT_ECONFLICT;
    }
    json_t *cur = current_certificate(svc, person_id);
    const char *st = cur ? status_at(cur, now) : NULL;
    int64_t renew_from = cur ? nt_json_time(cur, "valid_until") - (int64_t)scoring_rule("renew_from_days") * DAY_US : 0;
    if (cur != NULL && (nt_streq(st, "active") || nt_streq(st, "suspended")) && now < renew_from) {
        char from[NT_TIME_LEN];
        nt_time_local(renew_from, from);
        nt_err_set(err, NT_ECONFLICT, "certificate %s is valid: renew from %s", "chứng nhận %s còn hiệu lực: gia hạn từ %s",
                   nt_json_str(cur, "id"), from);
        nt_strlcpy(err->conflict_id, nt_json_str(cur, "id"), sizeof(err->conflict_id));
        json_decref(cur);
        return NT_ECONFLICT;
    }
    json_decref(cur);
    bool all = false;
    json_t *req = requirements(svc, person_id, now, &all);
    if (!all) {
        size_t i;
        json_t *r;
        json_array_foreach(req, i, r) if (!json_is_true(json_object_get(r, "met")))
            nt_err_field(err, nt_json_str(r, "requirement"), "not_met", 0);
        json_decref(req);
        return nt_err_set(err, NT_ECONFLICT, "not every requirement is met: GET /v1/trust/eligibility explains each",
                          "chưa đáp ứng mọi điều kiện: GET /v1/trust/eligibility giải thích từng điều kiện");
    }
    json_t *sc = scores(svc, person_id, now);
    char *req_s = json_dumps(req, JSON_COMPACT), *sc_s = json_dumps(sc, JSON_COMPACT);
    char id[NT_ID_LEN];
    nt_id_new("app_", id, sizeof(id));
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_trust_applications, id, "application", "certificate.apply", 0);
    nt_row_str(row, COL(trust_applications, person_id), person_id);
    nt_row_str(row, COL(trust_applications, state), "awaiting_review");
    nt_row_str(row, COL(trust_applications, requirements), req_s);
    nt_row_str(row, COL(trust_applications, scores), sc_s);
    nt_row_int(row, COL(trust_applications, scoring_version), scoring_rule("version"));
    nt_row_str(row, COL(trust_applications, created_at), w->at);
    nt_row_str(row, COL(trust_applications, updated_at), w->at);
    tx.created = true;
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    free(req_s);
    free(sc_s);
    json_decref(req);
    json_decref(sc);
    if (rc == NT_ECONFLICT)
        return nt_err_set(err, NT_ECONFLICT, "applied meanwhile", "vừa nộp hồ sơ");
    return rc != 0 ? rc : nt_svc_application_get(svc, who, id, out, err);
}

/* Whether the reviewer's organisation recorded data about the person: the person, an account's
 * attestation, audience figures, or a decision. */
static bool recorded_by(nt_svc *svc, const char *person_id, const char *org_id)
{
    bool hit = false;
    json_t *p = nt__svc_q1(svc, NT_Q_person_trust, json_pack("[s]", person_id));
    hit = nt_streq(nt_json_str(p, "created_org"), org_id);
    json_decref(p);
    json_t *rows = nt__svc_q(svc, NT_Q_person_attested, json_pack("[s]", person_id));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) hit = hit || nt_streq(nt_json_str(r, "verified_by"), org_id);
    json_decref(rows);
    rows = nt__svc_q(svc, NT_Q_audience_latest, json_pack("[s, s]", person_id, ""));
    json_array_foreach(rows, i, r) hit = hit || nt_streq(nt_json_str(r, "org_id"), org_id);
    json_decref(rows);
    rows = nt__svc_q(svc, NT_Q_person_violations, json_pack("[s]", person_id));
    json_array_foreach(rows, i, r) hit = hit || nt_streq(nt_json_str(r, "issued_org"), org_id);
    json_decref(rows);
    return hit;
}

static const nt_field review_spec[] = {
    {"community", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0},
    {"audience", NT_FT_OBJ, NT_F_NULLABLE, 0, 0, 0},
};

/* A reviewer's score of one pillar: {points: 0..max, reasons}. */
static void reviewed(const json_t *in, const char *name, int max, nt_err *err)
{
    char f[64];
    const json_t *o = json_object_get(in, name);
    const nt_field spec[] = {{"points", NT_FT_INT, NT_F_REQUIRED, 0, max, 0}, {"reasons", NT_FT_STR, NT_F_REQUIRED, 3, 2000, 0}};
    snprintf(f, sizeof(f), "%s.", name);
    nt_schema_check(o, SUBSPEC(spec), f, err);
}

/* Adds a months-based or configured validity to a time. */
static int64_t plus_validity(const nt_svc *svc, int64_t from)
{
    if (svc->cert_validity_us > 0)
        return from + svc->cert_validity_us;
    time_t t = (time_t)(from / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    tm.tm_mon += scoring_rule("validity_months");
    return (int64_t)timegm(&tm) * 1000000 + from % 1000000;
}

/* The next status-list index, handed out in this process so that concurrent issuances do not draw
 * the same one; another process's certificate taking it first makes the commit a uniqueness
 * clash, after which the next is read from the store again (forget). Indexes are sequential: the
 * lists stay as small as the certificates are many (a random draw would hide the order of issue,
 * at the cost of lists several times longer). */
static int64_t next_status_index(nt_svc *svc, bool forget)
{
    pthread_mutex_lock(&svc->status_lock);
    if (forget) {
        svc->next_status_index = -1;
        pthread_mutex_unlock(&svc->status_lock);
        return -1;
    }
    if (svc->next_status_index < 0) {
        json_t *next = nt__svc_q1(svc, NT_Q_certificates_next_index, json_array());
        svc->next_status_index = next ? json_integer_value(json_object_get(next, "n")) : -1;
        json_decref(next);
    }
    int64_t idx = svc->next_status_index < 0 ? -1 : svc->next_status_index++;
    pthread_mutex_unlock(&svc->status_lock);
    return idx;
}

int nt__certificate_issue(nt_svc *svc, nt_tx *tx, const char *person_id, const char *application_id, int score,
                          const json_t *pillars, const json_t *previous, const char *at, char id_out[NT_ID_LEN], nt_err *err)
{
    json_t *person = nt__svc_q1(svc, NT_Q_person_exists, json_pack("[s]", person_id));
    json_t *accounts = nt__svc_q(svc, NT_Q_person_attested, json_pack("[s]", person_id));
    int64_t index = next_status_index(svc, false);
    if (person == NULL || accounts == NULL || index < 0) {
        json_decref(person);
        json_decref(accounts);
        return nt_err_set(err, NT_EIO, "cannot read the person", "không đọc được thông tin người");
    }
    /* The accounts named: those their platform attested, else all linked. */
    json_t *named = json_array(), *all = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(accounts, i, a)
    {
        char h[160];
        snprintf(h, sizeof(h), "%s:%s", nt_json_str(a, "platform"), nt_json_str(a, "handle"));
        json_array_append_new(nt_json_str(a, "verified_by") ? named : all, json_string(h));
        if (nt_json_str(a, "verified_by"))
            json_array_append_new(all, json_string(h));
    }
    int64_t now_s = nt_now_us() / 1000000 * 1000000;
    int64_t from = now_s;
    int64_t base = previous ? nt_json_time(previous, "valid_until") : now_s; /* a renewal adds to what is left */
    int64_t until = plus_validity(svc, base > now_s ? base : now_s);
    char s_from[NT_TIME_LEN], s_until[NT_TIME_LEN], created[NT_TIME_LEN];
    nt_time_utc(from, s_from);
    nt_time_utc(until, s_until);
    nt_time_utc(now_s, created);
    nt_id_new("cert_", id_out, NT_ID_LEN);
    json_t *pills = json_array();
    json_array_foreach(pillars, i, a)
        json_array_append_new(pills, json_pack("{s:O, s:O, s:O}", "id", json_object_get(a, "pillar"), "points",
                                               json_object_get(a, "points"), "max", json_object_get(a, "max")));
    const json_t *standards = nt_trust_standards_current(nt_now_us());
    nt_cert_claims c = {.id = id_out,
                        .person_id = person_id,
                        .name = nt_json_str(person, "legal_name"),
                        .valid_from = s_from,
                        .valid_until = s_until,
                        .status_index = index,
                        .score = score,
                        .scoring_version = scoring_rule("version"),
                        .standards_version = (int)json_integer_value(json_object_get(standards, "version")),
                        .pillars = pills,
                        .accounts = json_array_size(named) ? named : all};
    char *credential = nt_svc_credential_issue(svc, &c, created);
    int rc = 0;
    if (credential == NULL) {
        rc = nt_err_set(err, NT_EIO, "cannot sign the credential", "không ký được chứng nhận");
    } else {
        unsigned char h[32];
        char hex[65];
        crypto_hash_sha256(h, (const unsigned char *)credential, strlen(credential));
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        nt_row *row = nt_tx_insert(tx, NT_T_certificates, id_out, "certificate", "certificate.issue", NT_LOG_CERTIFICATE_ISSUED);
        nt_row_str(row, COL(certificates, person_id), person_id);
        nt_row_str(row, COL(certificates, application_id), application_id);
        nt_row_int(row, COL(certificates, status_index), c.status_index);
        nt_row_str(row, COL(certificates, status), "active");
        nt_row_str(row, COL(certificates, valid_from), s_from);
        nt_row_str(row, COL(certificates, valid_until), s_until);
        nt_row_int(row, COL(certificates, scoring_version), c.scoring_version);
        nt_row_int(row, COL(certificates, score), score);
        nt_row_str(row, COL(certificates, credential), credential);
        nt_row_str(row, COL(certificates, credential_sha256), hex);
        nt_row_str(row, COL(certificates, supersedes), previous ? nt_json_str(previous, "id") : NULL);
        nt_row_str(row, COL(certificates, created_at), at);
        nt_row_str(row, COL(certificates, updated_at), at);
        if (previous != NULL) {
            nt_row *old = nt_tx_update(tx, NT_T_certificates, nt_json_str(previous, "id"), COL(certificates, status),
                                       nt_json_str(previous, "status"), "certificate", "certificate.supersede",
                                       NT_LOG_CERTIFICATE_SUPERSEDED);
            nt_row_str(old, COL(certificates, status), "superseded");
            nt_row_str(old, COL(certificates, status_reason), id_out);
            nt_row_str(old, COL(certificates, status_at), at);
            nt_row_str(old, COL(certificates, updated_at), at);
        }
        json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "certificate_id", id_out, "person_id", person_id, "status", "active",
                                 "valid_until", s_until, "supersedes", previous ? nt_json_str(previous, "id") : NULL);
        nt_webhook_enqueue(svc, tx, "certificate.issued", data, at);
        json_decref(data);
    }
    free(credential);
    json_decref(pills);
    json_decref(named);
    json_decref(all);
    json_decref(person);
    json_decref(accounts);
    return rc;
}

int nt_svc_application_review(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                              nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(review_spec), "", err) != 0)
        return NT_EINVAL;
    json_t *app = nt__svc_q1(svc, NT_Q_application_get, json_pack("[s]", id));
    if (app == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no application %s", "không có hồ sơ %s", id);
    const char *person_id = nt_json_str(app, "person_id");
    int rc = 0;
    if (!nt_streq(nt_json_str(app, "state"), "awaiting_review")) {
        rc = nt_err_set(err, NT_ECONFLICT, "application %s is %s already", "hồ sơ %s đã ở trạng thái %s", id,
                        nt_json_str(app, "state"));
    } else if (recorded_by(svc, person_id, who->org_id)) {
        /* Nobody reviews a person whose data their own organisation recorded. */
        nt_svc_audit(svc, w, "certificate.review_refused", "application", id);
        rc = nt_err_set(err, NT_EFORBIDDEN,
                        "conflict of interest: your organisation recorded data about this person; another reviewer decides",
                        "xung đột lợi ích: tổ chức của bạn đã ghi nhận dữ liệu về người này; người thẩm định khác sẽ quyết định");
    }
    if (rc != 0) {
        json_decref(app);
        return rc;
    }
    int64_t now = nt_now_us();
    bool all = false;
    json_t *req = requirements(svc, person_id, now, &all);
    json_t *sc = scores(svc, person_id, now);
    json_t *aud = pillar_of(sc, "audience"), *com = pillar_of(sc, "community");
    bool attested = json_is_integer(json_object_get(aud, "points"));
    reviewed(in, "community", nt_trust_pillar_points("community"), err);
    if (attested && json_object_get(in, "audience") != NULL)
        nt_err_field(err, "audience", "attested_by_platforms", 0); /* the platforms' figures decide it */
    else if (!attested && json_object_get(in, "audience") == NULL)
        nt_err_field(err, "audience", "required", 0);
    else if (!attested)
        reviewed(in, "audience", nt_trust_pillar_points("audience"), err);
    if (err->nfields > 0) {
        json_decref(req);
        json_decref(sc);
        json_decref(app);
        return NT_EINVAL;
    }
    const json_t *c = json_object_get(in, "community"), *au = json_object_get(in, "audience");
    json_object_set(com, "points", json_object_get(c, "points"));
    json_object_set_new(com, "detail",
                        json_pack("{s:O, s:O}", "vi", json_object_get(c, "reasons"), "en", json_object_get(c, "reasons")));
    if (!attested) {
        json_object_set(aud, "points", json_object_get(au, "points"));
        json_object_set_new(aud, "detail",
                            json_pack("{s:O, s:O}", "vi", json_object_get(au, "reasons"), "en", json_object_get(au, "reasons")));
    }
    int total = 0;
    size_t i;
    json_t *p;
    json_array_foreach(sc, i, p) total += (int)json_integer_value(json_object_get(p, "points"));
    bool certify = all && total >= scoring_rule("certify_at");
    char *req_s = json_dumps(req, JSON_COMPACT), *sc_s = json_dumps(sc, JSON_COMPACT), *review_s = json_dumps(in, JSON_COMPACT);
    for (int attempt = 0; attempt < 3; attempt++) {
        nt_tx tx = {0};
        nt_row *set = nt_tx_update(&tx, NT_T_trust_applications, id, COL(trust_applications, state), "awaiting_review",
                                   "application", certify ? "certificate.certify" : "certificate.refuse", 0);
        nt_row_str(set, COL(trust_applications, state), certify ? "certified" : "refused");
        nt_row_str(set, COL(trust_applications, reviewer_key), w->key_id);
        nt_row_str(set, COL(trust_applications, reviewer_org), who->org_id);
        nt_row_str(set, COL(trust_applications, review), review_s);
        nt_row_int(set, COL(trust_applications, total), total);
        nt_row_str(set, COL(trust_applications, requirements), req_s);
        nt_row_str(set, COL(trust_applications, scores), sc_s);
        nt_row_str(set, COL(trust_applications, updated_at), w->at);
        char cert[NT_ID_LEN] = "";
        if (certify) {
            json_t *prev = current_certificate(svc, person_id);
            if (prev != NULL && !nt_streq(nt_json_str(prev, "status"), "active") &&
                !nt_streq(nt_json_str(prev, "status"), "suspended")) {
                json_decref(prev); /* revoked or expired: nothing to supersede */
                prev = NULL;
            }
            rc = nt__certificate_issue(svc, &tx, person_id, id, total, sc, prev, w->at, cert, err);
            nt_row_str(set, COL(trust_applications, certificate_id), cert);
            json_decref(prev);
        }
        if (rc == 0)
            rc = nt_svc_commit(svc, w, &tx, err);
        nt_tx_free(&tx);
        if (rc != NT_ECONFLICT || !certify) /* another process's certificate took the index: draw again */
            break;
        next_status_index(svc, true);
        nt_err_clear(err);
    }
    free(req_s);
    free(sc_s);
    free(review_s);
    json_decref(req);
    json_decref(sc);
    json_decref(app);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "application %s was decided meanwhile", "hồ sơ %s vừa được quyết định", id);
    return rc != 0 ? rc : nt_svc_application_get(svc, who, id, out, err);
}

/* ---- certificates, as anyone sees them ---- */

static json_t *certificate_row(nt_svc *svc, const char *id, nt_err *err)
{
    json_t *c = nt__svc_q1(svc, NT_Q_certificate_get, json_pack("[s]", id));
    if (c == NULL)
        nt_err_set(err, NT_ENOTFOUND, "no certificate %s", "không có chứng nhận %s", id);
    return c;
}

/* Why a certificate stands where it does. A decision is named by its number when it is published
 * and not delisted; otherwise the public page says only that a decision not published did it. */
static json_t *status_reason_text(nt_svc *svc, const json_t *c, const char *status)
{
    json_t *d = nt_json_str(c, "status_decision")
                    ? nt__svc_q1(svc, NT_Q_decision_get, json_pack("[s]", nt_json_str(c, "status_decision")))
                    : NULL;
    int64_t delist = nt_json_time(d, "delist_at");
    bool shown = d != NULL && json_integer_value(json_object_get(d, "publish")) == 1 && (delist == 0 || delist > nt_now_us());
    char number[80];
    snprintf(number, sizeof(number), "%s", shown ? nt_json_str(d, "number") : "(không công bố / not published)");
    json_decref(d);
    const char *dec = number;
    char vi[300], en[300];
    if (nt_streq(status, "suspended")) {
        snprintf(vi, sizeof(vi), "tạm đình chỉ vì hạn chế đang có hiệu lực theo quyết định %s", dec ? dec : "?");
        snprintf(en, sizeof(en), "suspended while a restriction is in force under decision %s", dec ? dec : "?");
    } else if (nt_streq(status, "revoked")) {
        snprintf(vi, sizeof(vi), "bị thu hồi theo quyết định %s", dec ? dec : "?");
        snprintf(en, sizeof(en), "revoked by decision %s", dec ? dec : "?");
    } else if (nt_streq(status, "superseded")) {
        snprintf(vi, sizeof(vi), "đã được gia hạn bằng chứng nhận %s", nt_json_str(c, "status_reason"));
        snprintf(en, sizeof(en), "renewed by certificate %s", nt_json_str(c, "status_reason"));
    } else if (nt_streq(status, "expired")) {
        snprintf(vi, sizeof(vi), "hết hiệu lực");
        snprintf(en, sizeof(en), "past its validity");
    } else {
        return json_null();
    }
    return text2(vi, en);
}

int nt_svc_certificate_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *c = certificate_row(svc, id, err);
    if (c == NULL)
        return NT_ENOTFOUND;
    const char *status = status_at(c, nt_now_us());
    json_t *cred = json_loads(nt_json_str(c, "credential"), 0, NULL);
    json_t *subject = json_object_get(cred, "credentialSubject");
    char url[1000];
    json_t *o = json_pack("{s:O, s:O, s:O, s:s, s:o, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(c, "id"),
                          "person_id", json_object_get(c, "person_id"), "name", json_object_get(c, "legal_name"), "status", status,
                          "state_reason", status_reason_text(svc, c, status), "status_at", json_object_get(c, "status_at"),
                          "valid_from", json_object_get(c, "valid_from"), "valid_until", json_object_get(c, "valid_until"), "score",
                          json_object_get(c, "score"), "scoring_version", json_object_get(c, "scoring_version"), "status_index",
                          json_object_get(c, "status_index"), "supersedes", json_object_get(c, "supersedes"));
    json_object_set(o, "pillars", json_object_get(subject, "pillars"));
    json_object_set(o, "accounts", json_object_get(subject, "accounts"));
    json_object_set(o, "standards_version", json_object_get(subject, "standardsVersion"));
    json_object_set(o, "issuer", json_object_get(json_object_get(cred, "issuer"), "id"));
    json_t *succ = nt__svc_q1(svc, NT_Q_certificate_successor, json_pack("[s]", id));
    json_object_set_new(o, "superseded_by", succ ? json_incref(json_object_get(succ, "id")) : json_null());
    json_decref(succ);
    static const char *const links[][2] = {{"url", "/certificates/%s"},
                                           {"credential_url", "/v1/certificates/%s/credential"},
                                           {"badge_url", "/v1/certificates/%s/badge.svg"},
                                           {"qr_png_url", "/v1/certificates/%s/qr.png"},
                                           {"qr_svg_url", "/v1/certificates/%s/qr.svg"}};
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        char path[200];
        snprintf(path, sizeof(path), links[i][1], id);
        snprintf(url, sizeof(url), "%s%s", svc->public_url, path);
        json_object_set_new(o, links[i][0], json_string(url));
    }
    json_decref(cred);
    json_decref(c);
    *out = o;
    return 0;
}

int nt_svc_person_certificate(nt_svc *svc, const char *person_id, json_t **out, nt_err *err)
{
    json_t *c = current_certificate(svc, person_id);
    if (c == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "%s holds no certificate", "%s không có chứng nhận", person_id);
    int rc = nt_svc_certificate_get(svc, nt_json_str(c, "id"), out, err);
    json_decref(c);
    return rc;
}

int nt_svc_certificate_verified(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    int rc = nt_svc_certificate_get(svc, id, out, err);
    if (rc != 0)
        return rc;
    json_t *c = certificate_row(svc, id, err);
    json_t *cred = c ? json_loads(nt_json_str(c, "credential"), 0, NULL) : NULL;
    bool valid = cred != NULL && nt_vc_verify(cred, svc->programme_pk) == NT_VC_VALID;
    json_object_set_new(*out, "signature_valid", json_boolean(valid));
    json_decref(cred);
    json_decref(c);
    return 0;
}

int nt_svc_certificate_credential(nt_svc *svc, const char *id, char **body, size_t *len, nt_err *err)
{
    json_t *c = certificate_row(svc, id, err);
    if (c == NULL)
        return NT_ENOTFOUND;
    *body = nt_xstrdup(nt_json_str(c, "credential"));
    *len = strlen(*body);
    json_decref(c);
    return 0;
}

static const char *const directory_states[] = {"active", "suspended", "revoked", "expired", "any", NULL};

int nt_svc_certificate_list(nt_svc *svc, const nt_certificate_query *q, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "", key[256] = "", pattern[300] = "", now[NT_TIME_LEN], handle[NT_SUBJECT_KEY_MAX] = "";
    if (q->cursor != NULL && nt_svc_cursor_decode(q->cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    const char *status = q->status ? q->status : "active";
    if (!nt_str_one_of(status, directory_states))
        nt_err_field_one_of(err, "status", "invalid", directory_states);
    if (q->q != NULL && (nt_text_search_key(q->q, key, sizeof(key)) < 0 || key[0] == '\0'))
        nt_err_field(err, "q", "invalid", 0);
    if (q->handle != NULL) {
        /* "@handle" on any platform, or "platform:@handle" as the registry writes it. */
        char platform[NT_PLATFORM_MAX];
        const char *h = q->handle[0] == '@' ? q->handle + 1 : q->handle;
        if (strchr(h, ':') != NULL) {
            if (nt_subject_handle(q->handle, platform, handle) != 0)
                nt_err_field(err, "handle", "invalid", 0);
        } else {
            nt_strlcpy(handle, h, sizeof(handle));
            for (char *c = handle; *c; c++)
                *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
        }
    }
    if (err->nfields > 0)
        return NT_EINVAL;
    if (key[0])
        snprintf(pattern, sizeof(pattern), "%%%s%%", key);
    nt_time_utc(nt_now_us(), now);
    json_t *rows = nt__svc_q(svc, NT_Q_certificates_directory,
                             json_pack("[s?, s?, s?, s?, s?, s, s, i]", strcmp(status, "any") == 0 ? NULL : status, q->province,
                                       pattern[0] ? pattern : NULL, handle[0] ? handle : NULL, q->topic, after, now, q->limit));
    int64_t t = nt_now_us();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_object_set_new(r, "status", json_string(status_at(r, t)));
        const char *topics = nt_json_str(r, "topics");
        json_t *tv = topics ? json_loads(topics, 0, NULL) : NULL;
        json_object_set_new(r, "topics", tv ? tv : json_array());
        json_object_set(r, "name", json_object_get(r, "legal_name"));
        json_object_del(r, "legal_name");
    }
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, q->limit, out, err);
}

int nt_svc_certificate_badge(nt_svc *svc, const char *id, char **svg, size_t *len, nt_err *err)
{
    json_t *c = certificate_row(svc, id, err);
    char until[NT_TIME_LEN] = "";
    if (c != NULL)
        nt_time_local(nt_json_time(c, "valid_until"), until);
    *svg = nt_badge_svg(c ? status_at(c, nt_now_us()) : NULL, c ? nt_json_str(c, "legal_name") : NULL, c ? until : NULL, len);
    json_decref(c);
    return c ? 0 : NT_ENOTFOUND;
}

int nt_svc_certificate_qr(nt_svc *svc, const char *id, bool png, char **data, size_t *len, nt_err *err)
{
    json_t *c = certificate_row(svc, id, err);
    if (c == NULL)
        return NT_ENOTFOUND;
    json_decref(c);
    char url[700];
    snprintf(url, sizeof(url), "%s/certificates/%s", svc->public_url, id);
    *data = png ? (char *)nt_qr_png(url, len) : nt_qr_svg(url, len);
    return *data ? 0 : nt_err_set(err, NT_EIO, "cannot draw the QR code", "không vẽ được mã QR");
}

/* ---- the certificate's life ---- */

/* Moves one certificate from `from` to `to` in a write of its own, logged, with its webhook. */
static int move(nt_svc *svc, const json_t *c, const char *to, const char *reason, const char *decision, int log, const char *event)
{
    char at[NT_TIME_LEN], who[] = "runtime:certificates";
    nt_time_utc(nt_now_us(), at);
    nt_wctx w = {.key_id = who, .at = at};
    nt_tx tx = {0};
    const char *id = nt_json_str(c, "id");
    nt_row *set =
        nt_tx_update(&tx, NT_T_certificates, id, COL(certificates, status), nt_json_str(c, "status"), "certificate", event, log);
    nt_row_str(set, COL(certificates, status), to);
    nt_row_str(set, COL(certificates, status_reason), reason);
    nt_row_str(set, COL(certificates, status_decision), decision);
    nt_row_str(set, COL(certificates, status_at), at);
    nt_row_str(set, COL(certificates, updated_at), at);
    json_t *data = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "certificate_id", id, "person_id", nt_json_str(c, "person_id"),
                             "status", to, "decision_id", decision, "valid_until", nt_json_str(c, "valid_until"));
    nt_webhook_enqueue(svc, &tx, event, data, at);
    json_decref(data);
    nt_err err;
    nt_err_clear(&err);
    int rc = nt_svc_commit(svc, &w, &tx, &err);
    nt_tx_free(&tx);
    return rc == 0 ? 1 : 0;
}

int nt_svc_certificates_reconcile(nt_svc *svc)
{
    int64_t now = nt_now_us();
    int changed = 0;
    /* Revocations first: a certificate_revocation sanction in force ends the certificate for good. */
    json_t *rev = nt__svc_q(svc, NT_Q_certificate_revocations, json_array());
    size_t i;
    json_t *s;
    json_array_foreach(rev, i, s)
    {
        nt_sanction_timeline t = nt__dp_timeline_of(s);
        if (!nt_sanction_in_force_at(&t, now))
            continue;
        json_t *c = nt__svc_q1(svc, NT_Q_certificate_get, json_pack("[s]", nt_json_str(s, "certificate_id")));
        if (c != NULL && !nt_streq(nt_json_str(c, "status"), "revoked"))
            changed += move(svc, c, "revoked", "certificate_revocation", nt_json_str(s, "decision_id"), NT_LOG_CERTIFICATE_REVOKED,
                            "certificate.revoked");
        json_decref(c);
    }
    json_decref(rev);
    json_t *open = nt__svc_q(svc, NT_Q_certificates_open, json_array());
    json_t *c;
    json_array_foreach(open, i, c)
    {
        const char *status = nt_json_str(c, "status"), *person = nt_json_str(c, "person_id");
        if (nt_json_time(c, "valid_until") <= now) {
            changed +=
                move(svc, c, "expired", NULL, nt_json_str(c, "status_decision"), NT_LOG_CERTIFICATE_EXPIRED, "certificate.expired");
            continue;
        }
        char decision[NT_ID_LEN] = "";
        bool restricted;
        if (svc->index != NULL) { /* the check's own view, from memory */
            nt_restriction r;
            restricted = nt_rindex_check(svc->index, person, NT_SCOPE_ALL, NULL, now, now, &r, 1) > 0;
            if (restricted)
                nt_strlcpy(decision, r.decision_id, sizeof(decision));
        } else {
            restricted = restricted_now(svc, person, now, decision);
        }
        if (restricted && nt_streq(status, "active"))
            changed +=
                move(svc, c, "suspended", "restriction_in_force", decision, NT_LOG_CERTIFICATE_SUSPENDED, "certificate.suspended");
        else if (!restricted && nt_streq(status, "suspended") && nt_streq(nt_json_str(c, "status_reason"), "restriction_in_force"))
            changed += move(svc, c, "active", NULL, NULL, NT_LOG_CERTIFICATE_REINSTATED, "certificate.reinstated");
    }
    json_decref(open);
    return changed;
}
