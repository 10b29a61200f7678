/* The alliance's standards, members and training quiz; see trust.h. */
#include "service/trust.h"
#include "core/alloc.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/trust.h"
#include "core/util.h"
#include "log/entry.h"
#include "service/commit.h"
#include "service/query.h"
#include "service/webhooks.h"
#include <stdlib.h>
#include <string.h>

#define SUBSPEC(s) s, sizeof(s) / sizeof(s[0])
#define DAY_US     (86400LL * 1000000)

int nt_svc_standards(int version, json_t **out, nt_err *err)
{
    int64_t now = nt_now_us();
    if (version > 0) {
        const json_t *v = nt_trust_standards_version(version);
        if (v == NULL)
            return nt_err_set(err, NT_ENOTFOUND, "no standards version %d", "không có phiên bản tiêu chuẩn %d", version);
        *out = json_deep_copy(v);
        return 0;
    }
    const json_t *cur = nt_trust_standards_current(now);
    json_t *list = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(nt_trust_standards(), "versions"), i, v)
    {
        char by[NT_TIME_LEN];
        nt_time_utc(nt_trust_accept_by((int)json_integer_value(json_object_get(v, "version"))), by);
        json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:s, s:b}", "version", json_object_get(v, "version"), "title",
                                              json_object_get(v, "title"), "adopted_at", json_object_get(v, "adopted_at"),
                                              "accept_until", by, "in_force", v == cur));
    }
    json_t *o = json_pack("{s:O, s:o}", "accept_within_days", json_object_get(nt_trust_standards(), "accept_within_days"),
                          "versions", list);
    if (cur != NULL) {
        json_t *c = json_deep_copy(cur);
        char by[NT_TIME_LEN];
        nt_time_utc(nt_trust_accept_by((int)json_integer_value(json_object_get(cur, "version"))), by);
        json_object_set_new(c, "accept_until", json_string(by));
        json_object_set_new(o, "current", c);
    } else {
        json_object_set_new(o, "current", json_null());
    }
    *out = o;
    return 0;
}

/* ---- members ---- */

static const char *const person_categories[] = {"kol", "koc", "artist", "mc", "expert", "other", NULL};
static const char *const org_categories[] = {"platform", "broadcaster", "press", "event_organiser", "advertiser", "agency", NULL};

static const nt_field apply_spec[] = {
    {"category", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"province", NT_FT_STR, NT_F_NULLABLE, 1, 80, 0},
    {"topics", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, 10, 40},
    {"statement", NT_FT_STR, NT_F_NULLABLE, 1, 2000, 0},
};

/* What anyone may read of a member, with where it stands on the standards in force. */
static json_t *member_view(json_t *m, int64_t now)
{
    json_object_del(m, "applied_by");
    json_object_del(m, "decided_by");
    json_t *topics = json_loads(nt_json_str(m, "topics") ? nt_json_str(m, "topics") : "[]", 0, NULL);
    json_object_set_new(m, "topics", topics ? topics : json_array());
    const json_t *cur = nt_trust_standards_current(now);
    json_int_t want = json_integer_value(json_object_get(cur, "version"));
    json_int_t have = json_integer_value(json_object_get(m, "standards_version"));
    bool admitted = nt_streq(nt_json_str(m, "state"), "admitted");
    /* The days to accept run from the version's adoption, or from the member's admission when it
     * came later: a member admitted today has the same time as every other had. */
    int64_t deadline = nt_trust_accept_by((int)want), admitted_at = nt_json_time(m, "decided_at");
    int64_t days = json_integer_value(json_object_get(nt_trust_standards(), "accept_within_days"));
    if (admitted_at + days * DAY_US > deadline)
        deadline = admitted_at + days * DAY_US;
    char by[NT_TIME_LEN] = "";
    if (cur != NULL)
        nt_time_utc(deadline, by);
    bool pending = admitted && cur != NULL && have < want;
    json_object_set_new(m, "standards",
                        json_pack("{s:O, s:O, s:I, s:b, s:s?, s:b}", "accepted_version", json_object_get(m, "standards_version"),
                                  "accepted_at", json_object_get(m, "standards_accepted_at"), "current_version", want,
                                  "pending_acceptance", pending, "accept_until", pending ? by : NULL, "overdue",
                                  pending && now >= deadline));
    json_object_del(m, "standards_version");
    json_object_del(m, "standards_accepted_at");
    return m;
}

static bool is_secretariat(const nt_actor *who)
{
    return who->role == NT_ROLE_PROGRAMME;
}

static bool is_self(const nt_actor *who, const json_t *m)
{
    if (who->role == NT_ROLE_KOL)
        return nt_streq(nt_json_str(m, "person_id"), who->person_id);
    return who->org_id[0] && nt_streq(nt_json_str(m, "org_id"), who->org_id);
}

int nt_svc_member_apply(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(apply_spec), "", err) != 0)
        return NT_EINVAL;
    bool person = who->role == NT_ROLE_KOL;
    json_t *subject = person ? nt__svc_q1(svc, NT_Q_person_trust, json_pack("[s]", who->person_id))
                             : nt__svc_q1(svc, NT_Q_org_get, json_pack("[s]", who->org_id));
    if (subject == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "the key's organisation or person is gone", "không còn tổ chức hay người của khóa");
    const char *category = nt_json_str(in, "category");
    const char *natural = person ? nt_json_str(subject, "kind") : nt_json_str(subject, "kind");
    if (category == NULL)
        category = natural;
    /* An organisation applies as what it is (an advertiser may say it is an agency); a person as any
     * kind of influencer. */
    bool fits = person ? nt_str_one_of(category, person_categories)
                       : nt_str_one_of(category, org_categories) &&
                             (nt_streq(category, natural) || (nt_streq(natural, "advertiser") && nt_streq(category, "agency")));
    if (!fits) {
        json_decref(subject);
        /* An organisation has one category that fits it (two for an advertiser): no list to choose from. */
        return nt_err_field_one_of(err, "category", "invalid", person ? person_categories : NULL);
    }
    json_t *open = nt__svc_q1(svc, person ? NT_Q_member_open_person : NT_Q_member_open_org,
                              json_pack("[s]", person ? who->person_id : who->org_id));
    if (open != NULL) {
        nt_err_set(err, NT_ECONFLICT, "already a member or applying: %s", "đã là thành viên hoặc đang chờ xét: %s",
                   nt_json_str(open, "id"));
        nt_strlcpy(err->conflict_id, nt_json_str(open, "id"), sizeof(err->conflict_id));
        json_decref(open);
        json_decref(subject);
        return NT_ECONFLICT;
    }
    char *statement = nt_json_str(in, "statement") ? nt_text_nfc(nt_json_str(in, "statement")) : NULL;
    const char *province = nt_json_str(in, "province");
    if (province == NULL && person)
        province = nt_json_str(subject, "province");
    char id[NT_ID_LEN];
    nt_id_new("mem_", id, sizeof(id));
    json_t *topics = json_object_get(in, "topics");
    char *topics_s = topics ? json_dumps(topics, JSON_COMPACT) : nt_xstrdup("[]");
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_members, id, "member", "member.apply", 0);
    nt_row_str(row, COL(members, kind), person ? "person" : "org");
    nt_row_str(row, COL(members, org_id), person ? NULL : who->org_id);
    nt_row_str(row, COL(members, person_id), person ? who->person_id : NULL);
    nt_row_str(row, COL(members, name), nt_json_str(subject, person ? "legal_name" : "name"));
    nt_row_str(row, COL(members, category), category);
    nt_row_str(row, COL(members, province), province);
    nt_row_str(row, COL(members, topics), topics_s);
    nt_row_str(row, COL(members, statement), statement);
    nt_row_str(row, COL(members, state), "applied");
    nt_row_str(row, COL(members, applied_by), w->key_id);
    nt_row_str(row, COL(members, applied_at), w->at);
    nt_row_str(row, COL(members, updated_at), w->at);
    tx.created = true;
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    free(topics_s);
    free(statement);
    json_decref(subject);
    if (rc == NT_ECONFLICT)
        return nt_err_set(err, NT_ECONFLICT, "applied meanwhile", "vừa nộp đơn");
    return rc != 0 ? rc : nt_svc_member_get(svc, who, id, out, err);
}

int nt_svc_member_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *m = nt__svc_q1(svc, NT_Q_member_get, json_pack("[s]", id));
    if (m == NULL || !(nt_streq(nt_json_str(m, "state"), "admitted") || is_secretariat(who) || is_self(who, m))) {
        json_decref(m);
        return nt_err_set(err, NT_ENOTFOUND, "no member %s", "không có thành viên %s", id);
    }
    *out = member_view(m, nt_now_us());
    return 0;
}

static const char *const member_states[] = {"applied", "admitted", "refused", "left", "removed", NULL};

int nt_svc_member_list(nt_svc *svc, const nt_actor *who, const nt_member_query *q, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "", key[256] = "";
    if (q->cursor != NULL && nt_svc_cursor_decode(q->cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    const char *state = q->state ? q->state : "admitted";
    if (!nt_str_one_of(state, member_states))
        nt_err_field_one_of(err, "state", "invalid", member_states);
    else if (!is_secretariat(who) && strcmp(state, "admitted") != 0)
        nt_err_field(err, "state", "not_allowed", 0); /* the public directory lists members, not applicants */
    if (q->kind != NULL && strcmp(q->kind, "org") != 0 && strcmp(q->kind, "person") != 0)
        nt_err_field_allowed(err, "kind", "invalid", "org,person");
    if (q->q != NULL && nt_text_search_key(q->q, key, sizeof(key)) < 0)
        nt_err_field(err, "q", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *rows = nt__svc_q(svc, NT_Q_members_list,
                             json_pack("[s, s?, s?, s?, s?, s]", state, q->kind, q->category, q->province, q->topic, after));
    if (rows == NULL)
        return nt_err_set(err, NT_EIO, "cannot read the members", "không đọc được danh sách thành viên");
    /* A name matches without diacritics and in any case: compared by search keys, like persons. */
    json_t *items = json_array();
    int64_t now = nt_now_us();
    size_t i;
    json_t *m;
    json_array_foreach(rows, i, m)
    {
        char mk[512];
        if (key[0] && (nt_text_search_key(nt_json_str(m, "name"), mk, sizeof(mk)) < 0 || strstr(mk, key) == NULL))
            continue;
        json_array_append_new(items, member_view(json_incref(m), now));
        if ((int)json_array_size(items) == q->limit)
            break;
    }
    json_decref(rows);
    return nt__svc_paged(0, items, q->limit, out, err);
}

static const nt_field step_spec[] = {{"reason", NT_FT_STR, NT_F_NULLABLE, 1, 2000, 0}};

int nt_svc_member_step(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, nt_member_step step, const json_t *in,
                       json_t **out, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(step_spec), "", err) != 0)
        return NT_EINVAL;
    const char *reason = nt_json_str(in, "reason");
    if (reason == NULL && (step == NT_MEMBER_REFUSE || step == NT_MEMBER_REMOVE))
        return nt_err_field(err, "reason", "required", 0);
    json_t *m = nt__svc_q1(svc, NT_Q_member_get, json_pack("[s]", id));
    if (m == NULL || (step == NT_MEMBER_LEAVE && !is_self(who, m))) {
        json_decref(m);
        return nt_err_set(err, NT_ENOTFOUND, "no member %s", "không có thành viên %s", id);
    }
    static const struct {
        const char *from, *to, *action, *event;
        int log;
    } steps[] = {
        [NT_MEMBER_ADMIT] = {"applied", "admitted", "member.admit", "member.admitted", NT_LOG_MEMBER_ADMITTED},
        [NT_MEMBER_REFUSE] = {"applied", "refused", "member.refuse", NULL, 0}, /* a refusal is the applicant's own business */
        [NT_MEMBER_REMOVE] = {"admitted", "removed", "member.remove", "member.removed", NT_LOG_MEMBER_REMOVED},
        [NT_MEMBER_LEAVE] = {"admitted", "left", "member.leave", "member.left", NT_LOG_MEMBER_LEFT},
    };
    const char *state = nt_json_str(m, "state");
    /* An applicant may withdraw too: leaving an application is not logged, it was never public. */
    bool withdraw = step == NT_MEMBER_LEAVE && nt_streq(state, "applied");
    if (!withdraw && !nt_streq(state, steps[step].from)) {
        nt_err_set(err, NT_ECONFLICT, "member %s is %s", "thành viên %s đang ở trạng thái %s", id, state);
        json_decref(m);
        return NT_ECONFLICT;
    }
    nt_tx tx = {0};
    nt_row *set = nt_tx_update(&tx, NT_T_members, id, COL(members, state), state, "member", steps[step].action,
                               withdraw ? 0 : steps[step].log);
    nt_row_str(set, COL(members, state), withdraw ? "left" : steps[step].to);
    if (step == NT_MEMBER_ADMIT || step == NT_MEMBER_REFUSE) {
        nt_row_str(set, COL(members, decided_by), w->key_id);
        nt_row_str(set, COL(members, decided_at), w->at);
        nt_row_str(set, COL(members, decision_reason), reason);
    } else {
        nt_row_str(set, COL(members, ended_at), w->at);
        nt_row_str(set, COL(members, end_reason), reason);
    }
    nt_row_str(set, COL(members, updated_at), w->at);
    if (steps[step].event != NULL && !withdraw) {
        json_t *data = json_pack("{s:s, s:s, s:s?, s:s?, s:s}", "member_id", id, "kind", nt_json_str(m, "kind"), "org_id",
                                 nt_json_str(m, "org_id"), "person_id", nt_json_str(m, "person_id"), "state", steps[step].to);
        nt_webhook_enqueue(svc, &tx, steps[step].event, data, w->at);
        json_decref(data);
    }
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    json_decref(m);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "member %s changed meanwhile", "thành viên %s vừa thay đổi", id);
    return rc != 0 ? rc : nt_svc_member_get(svc, who, id, out, err);
}

static const nt_field accept_spec[] = {{"version", NT_FT_INT, NT_F_REQUIRED, 1, 1000000, 0}};

int nt_svc_member_accept(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(accept_spec), "", err) != 0)
        return NT_EINVAL;
    json_t *m = nt__svc_q1(svc, NT_Q_member_get, json_pack("[s]", id));
    if (m == NULL || !is_self(who, m)) {
        json_decref(m);
        return nt_err_set(err, NT_ENOTFOUND, "no member %s", "không có thành viên %s", id);
    }
    const json_t *cur = nt_trust_standards_current(nt_now_us());
    json_int_t want = json_integer_value(json_object_get(cur, "version"));
    json_int_t version = json_integer_value(json_object_get(in, "version"));
    int rc = 0;
    /* One accepts the version in force, having read it: naming another is a mistake to be told of. */
    if (version != want)
        rc = nt_err_field(err, "version", "not_current", (long)want);
    else if (!nt_streq(nt_json_str(m, "state"), "admitted"))
        rc = nt_err_set(err, NT_ECONFLICT, "member %s is %s: only a member accepts the standards",
                        "thành viên %s đang ở trạng thái %s: chỉ thành viên mới chấp nhận bộ tiêu chuẩn", id,
                        nt_json_str(m, "state"));
    else if (json_integer_value(json_object_get(m, "standards_version")) == version)
        rc = nt_err_set(err, NT_ECONFLICT, "version %lld is accepted already", "đã chấp nhận phiên bản %lld", (long long)version);
    if (rc != 0) {
        json_decref(m);
        return rc;
    }
    nt_tx tx = {0};
    nt_row *set = nt_tx_update(&tx, NT_T_members, id, COL(members, state), "admitted", "member", "member.accept_standards",
                               NT_LOG_MEMBER_STANDARDS_ACCEPTED);
    nt_row_int(set, COL(members, standards_version), version);
    nt_row_str(set, COL(members, standards_accepted_at), w->at);
    nt_row_str(set, COL(members, updated_at), w->at);
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    json_decref(m);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "member %s changed meanwhile", "thành viên %s vừa thay đổi", id);
    return rc != 0 ? rc : nt_svc_member_get(svc, who, id, out, err);
}

json_t *nt__trust_person_member(nt_svc *svc, const char *person_id)
{
    json_t *m = nt__svc_q1(svc, NT_Q_member_open_person, json_pack("[s]", person_id));
    if (m != NULL && !nt_streq(nt_json_str(m, "state"), "admitted")) {
        json_decref(m);
        return NULL;
    }
    return m;
}

bool nt__trust_standards_accepted(const json_t *member, int64_t now_us)
{
    const json_t *cur = nt_trust_standards_current(now_us);
    return member != NULL && cur != NULL &&
           json_integer_value(json_object_get(member, "standards_version")) >= json_integer_value(json_object_get(cur, "version"));
}

/* ---- training ---- */

int nt_svc_training(json_t **out, nt_err *err)
{
    *out = nt_trust_training_public();
    return 0;
}

static int quiz_rule(const char *name)
{
    return (int)json_integer_value(json_object_get(json_object_get(nt_trust_training(), "quiz"), name));
}

int nt_svc_quiz_start(nt_svc *svc, nt_wctx *w, const nt_actor *who, json_t **out, nt_err *err)
{
    int64_t now = nt_now_us();
    char since[NT_TIME_LEN];
    nt_time_utc(now - DAY_US, since);
    json_t *recent = nt__svc_q1(svc, NT_Q_quiz_recent, json_pack("[s, s]", who->person_id, since));
    json_int_t n = json_integer_value(json_object_get(recent, "n"));
    if (n >= quiz_rule("attempts_per_day")) {
        int64_t first = nt_json_time(recent, "first");
        char again[NT_TIME_LEN];
        nt_time_local(first + DAY_US, again);
        json_decref(recent);
        return nt_err_set(err, NT_ELIMIT, "%d attempts in 24 hours: try again from %s",
                          "đã làm %d lần trong 24 giờ: hãy thử lại từ %s", quiz_rule("attempts_per_day"), again);
    }
    json_decref(recent);
    json_t *drawn = nt_trust_quiz_draw(quiz_rule("questions"));
    char id[NT_ID_LEN];
    nt_id_new("quiz_", id, sizeof(id));
    char *drawn_s = json_dumps(drawn, JSON_COMPACT);
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_quiz_attempts, id, "quiz_attempt", "quiz.start", 0);
    nt_row_str(row, COL(quiz_attempts, person_id), who->person_id);
    nt_row_str(row, COL(quiz_attempts, questions), drawn_s);
    nt_row_str(row, COL(quiz_attempts, started_at), w->at);
    nt_row_int(row, COL(quiz_attempts, total), (int64_t)json_array_size(drawn));
    tx.created = true;
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    free(drawn_s);
    json_decref(drawn);
    return rc != 0 ? rc : nt_svc_quiz_get(svc, who, id, out, err);
}

static json_t *attempt_view(json_t *a)
{
    json_t *drawn = json_loads(nt_json_str(a, "questions"), 0, NULL);
    json_t *o =
        json_pack("{s:O, s:O, s:O, s:O, s:i, s:i}", "id", json_object_get(a, "id"), "person_id", json_object_get(a, "person_id"),
                  "started_at", json_object_get(a, "started_at"), "submitted_at", json_object_get(a, "submitted_at"),
                  "pass_percent", quiz_rule("pass_percent"), "total", (int)json_integer_value(json_object_get(a, "total")));
    if (nt_json_str(a, "submitted_at") == NULL) {
        json_object_set_new(o, "questions", nt_trust_quiz_shown(drawn));
    } else {
        json_object_set(o, "correct", json_object_get(a, "correct"));
        json_object_set(o, "percent", json_object_get(a, "percent"));
        json_object_set_new(o, "passed", json_boolean(json_integer_value(json_object_get(a, "passed")) != 0));
    }
    json_decref(drawn);
    json_decref(a);
    return o;
}

static json_t *own_attempt(nt_svc *svc, const nt_actor *who, const char *id, nt_err *err)
{
    json_t *a = nt__svc_q1(svc, NT_Q_quiz_get, json_pack("[s]", id));
    if (a == NULL || !nt_streq(nt_json_str(a, "person_id"), who->person_id)) {
        json_decref(a);
        nt_err_set(err, NT_ENOTFOUND, "no quiz attempt %s", "không có lượt làm bài %s", id);
        return NULL;
    }
    return a;
}

int nt_svc_quiz_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *a = own_attempt(svc, who, id, err);
    if (a == NULL)
        return NT_ENOTFOUND;
    *out = attempt_view(a);
    return 0;
}

static const nt_field submit_spec[] = {{"answers", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0}};

int nt_svc_quiz_submit(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(submit_spec), "", err) != 0)
        return NT_EINVAL;
    json_t *a = own_attempt(svc, who, id, err);
    if (a == NULL)
        return NT_ENOTFOUND;
    if (nt_json_str(a, "submitted_at") != NULL) {
        json_decref(a);
        return nt_err_set(err, NT_ECONFLICT, "attempt %s is scored already: start another",
                          "lượt %s đã được chấm: hãy làm lượt mới", id);
    }
    json_t *drawn = json_loads(nt_json_str(a, "questions"), 0, NULL), *per = NULL;
    const json_t *answers = json_object_get(in, "answers");
    int correct = 0;
    const char *bad = NULL;
    int rc = 0;
    if (nt_trust_quiz_score(drawn, answers, &correct, &per, &bad) != 0) {
        char f[96];
        snprintf(f, sizeof(f), "answers.%.80s", bad);
        rc = nt_err_field(err, f, "invalid", 0);
    }
    int total = (int)json_array_size(drawn);
    int percent = total ? correct * 100 / total : 0;
    bool passed = percent >= quiz_rule("pass_percent");
    if (rc == 0) {
        nt_tx tx = {0};
        nt_row *set =
            nt_tx_update(&tx, NT_T_quiz_attempts, id, COL(quiz_attempts, submitted_at), NULL, "quiz_attempt", "quiz.submit", 0);
        nt_row_str(set, COL(quiz_attempts, submitted_at), w->at);
        nt_row_int(set, COL(quiz_attempts, correct), correct);
        nt_row_int(set, COL(quiz_attempts, percent), percent);
        nt_row_int(set, COL(quiz_attempts, passed), passed);
        rc = nt_svc_commit(svc, w, &tx, err);
        nt_tx_free(&tx);
        if (rc == NT_ESTALE)
            rc = nt_err_set(err, NT_ECONFLICT, "attempt %s was scored meanwhile", "lượt %s vừa được chấm", id);
    }
    json_decref(drawn);
    json_decref(a);
    if (rc != 0) {
        json_decref(per);
        return rc;
    }
    rc = nt_svc_quiz_get(svc, who, id, out, err);
    if (rc == 0) /* which were wrong, by module, to read again; never the right option */
        json_object_set_new(*out, "questions", per);
    else
        json_decref(per);
    return rc;
}

int nt__trust_quiz_best(nt_svc *svc, const char *person_id, int days)
{
    char since[NT_TIME_LEN];
    nt_time_utc(nt_now_us() - (int64_t)days * DAY_US, since);
    json_t *b = nt__svc_q1(svc, NT_Q_quiz_best, json_pack("[s, s]", person_id, since));
    json_t *p = json_object_get(b, "percent");
    int best = json_is_integer(p) ? (int)json_integer_value(p) : -1;
    json_decref(b);
    return best;
}
