/* The check and the mirrors' feeds; see check.h. */
#include "core/alloc.h"
#include "service/check.h"
#include "service/certindex.h"
#include "core/subject.h"
#include "service/ads.h"
#include "service/query.h"
#include "service/screen.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/jbuf.h"
#include "core/util.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A row of the "sanctions.restricting" read as an index entry. */
static void restriction_of(const json_t *s, nt_restriction *r)
{
    memset(r, 0, sizeof(*r));
    nt_strlcpy(r->sanction_id, nt_json_str(s, "id"), sizeof(r->sanction_id));
    const char *did = nt_json_str(s, "decision_id");
    nt_strlcpy(r->decision_id, did ? did : "", sizeof(r->decision_id));
    nt_strlcpy(r->decision_number, nt_json_str(s, "decision_number"), sizeof(r->decision_number));
    nt_strlcpy(r->authority, nt_json_str(s, "authority"), sizeof(r->authority));
    r->type = (nt_sanction_type)nt_sanction_type_parse(nt_json_str(s, "type"));
    r->scopes = (unsigned)json_integer_value(json_object_get(s, "scopes"));
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(s, "platforms"), i, p)
    {
        for (int k = 0; nt_platforms[k] != NULL; k++)
            if (strcmp(nt_platforms[k], json_string_value(p)) == 0)
                r->platforms |= 1u << k;
    }
    r->t.start_us = nt_json_time(s, "start_at");
    r->t.end_us = nt_json_time(s, "end_at");
    r->t.lifted_us = nt_json_time(s, "lifted_at");
    r->t.suspended_from_us = nt_json_time(s, "suspended_from");
    r->t.suspended_until_us = nt_json_time(s, "suspended_until");
    r->publish = json_integer_value(json_object_get(s, "publish")) != 0;
    r->delist_us = nt_json_time(s, "delist_at");
}

static void put_row(nt_svc *svc, const json_t *s)
{
    nt_restriction r;
    restriction_of(s, &r);
    nt_rindex_put(svc->index, nt_json_str(s, "person_id"), nt_json_str(s, "legal_name"), &r);
}

static void put_handle(void *arg, const json_t *a)
{
    nt_svc *svc = arg;
    char key[NT_HANDLE_MAX + 32];
    snprintf(key, sizeof(key), "%s:%s", nt_json_str(a, "platform"), nt_json_str(a, "handle"));
    nt_rindex_put_handle(svc->index, key, nt_json_str(a, "person_id"));
}

static void put_each(void *arg, const json_t *s)
{
    put_row(arg, s);
}

static void put_person(void *arg, const json_t *p)
{
    nt_svc *svc = arg;
    nt_rindex_put_person(svc->index, nt_json_str(p, "id"));
}

int nt_svc_index_build(nt_svc *svc, nt_err *err)
{
    nt_store_stats st = {0};
    svc->store->ops->stats(svc->store, &st);
    /* The sequence first: changes made while loading are applied again by the follower. */
    int64_t seq = st.change_seq;
    /* Restricted persons are a small share of all; chains stay short up to a quarter. */
    svc->index = nt_rindex_new((size_t)(st.accounts + st.persons), (size_t)st.persons / 4 + 1024);
    if (svc->index == NULL)
        return NT_ENOMEM;
    char now[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), now);
    int rc = svc->store->ops->query_each(svc->store, NT_Q_persons_ids, NULL, put_person, svc);
    if (rc != 0)
        return nt_err_set(err, NT_EIO, "cannot read persons", "không đọc được danh sách người");
    rc = svc->store->ops->query_each(svc->store, NT_Q_accounts_all, NULL, put_handle, svc);
    if (rc != 0)
        return nt_err_set(err, NT_EIO, "cannot read accounts", "không đọc được tài khoản");
    json_t *params = json_pack("[s, s]", now, now);
    rc = svc->store->ops->query_each(svc->store, NT_Q_sanctions_restricting, params, put_each, svc);
    json_decref(params);
    if (rc != 0)
        return nt_err_set(err, NT_EIO, "cannot read sanctions", "không đọc được chế tài");
    nt_rindex_set_seq(svc->index, seq);
    rc = nt_svc_ad_index_build(svc, err);
    if (rc == 0 && nt_svc_certificate_index_build(svc) != 0)
        rc = nt_err_set(err, NT_EIO, "cannot read the certificates", "không đọc được danh sách chứng nhận");
    return rc != 0 ? rc : nt_svc_screen_build(svc, err);
}

/* Reloads one changed entity into the index; op: "create" or "update". */
static void apply(nt_svc *svc, const char *entity, const char *id, const char *op)
{
    if (strcmp(entity, "sanction") == 0) {
        json_t *params = json_pack("[s]", id), *rows = NULL;
        svc->store->ops->query(svc->store, NT_Q_sanction_restricting, params, &rows);
        json_decref(params);
        json_t *s = json_array_get(rows, 0);
        if (s != NULL && nt_sanction_restricts((nt_sanction_type)nt_sanction_type_parse(nt_json_str(s, "type")))) {
            put_row(svc, s);
            nt_svc_screen_apply(svc, entity, id, nt_json_str(s, "person_id"));
        }
        json_decref(rows);
    } else if (strcmp(entity, "account") == 0) {
        /* id is "platform:handle" */
        char platform[32];
        const char *colon = strchr(id, ':');
        if (colon == NULL || (size_t)(colon - id) >= sizeof(platform))
            return;
        memcpy(platform, id, (size_t)(colon - id));
        platform[colon - id] = '\0';
        json_t *params = json_pack("[s, s]", platform, colon + 1), *rows = NULL;
        svc->store->ops->query(svc->store, NT_Q_account_get, params, &rows);
        json_decref(params);
        json_t *acc = json_array_get(rows, 0);
        if (acc != NULL)
            nt_rindex_put_handle(svc->index, id, nt_json_str(acc, "person_id"));
        else
            nt_rindex_del_handle(svc->index, id);
        json_decref(rows);
    } else if (strcmp(entity, "decision") == 0 && op != NULL && strcmp(op, "update") == 0) {
        /* Its publication changed (a delisting): its restrictions carry it. A new decision's
         * sanctions come as changes of their own. */
        json_t *params = json_pack("[s]", id), *rows = NULL;
        svc->store->ops->query(svc->store, NT_Q_decision_sanctions, params, &rows);
        json_decref(params);
        size_t i;
        json_t *s;
        json_array_foreach(rows, i, s) apply(svc, "sanction", nt_json_str(s, "id"), op);
        json_decref(rows);
    } else if (strcmp(entity, "ad") == 0) {
        nt_svc_ad_index_refresh(svc, id);
    } else if (strcmp(entity, "certificate") == 0) {
        nt_svc_certificate_refresh(svc, id);
    } else if (strcmp(entity, "person") == 0) {
        json_t *params = json_pack("[s]", id), *rows = NULL;
        svc->store->ops->query(svc->store, NT_Q_person_exists, params, &rows);
        json_decref(params);
        if (json_array_size(rows) > 0) {
            nt_rindex_put_person(svc->index, id);
            /* The public list shows the name as it is now. */
            nt_rindex_rename(svc->index, id, nt_json_str(json_array_get(rows, 0), "legal_name"));
        } else if (rows != NULL)
            nt_rindex_del_person(svc->index, id);
        json_decref(rows);
        nt_svc_screen_apply(svc, entity, id, NULL);
    }
}

int nt_svc_follow(nt_svc *svc, void (*on_change)(void *arg, const char *entity, const char *id), void *arg)
{
    pthread_mutex_lock(&svc->follow_lock);
    int64_t after = svc->index ? nt_rindex_seq(svc->index) : svc->seq;
    int rc = 0;
    for (;;) {
        json_t *changes = NULL;
        if ((rc = svc->store->ops->changes_since(svc->store, after, 1000, &changes)) != 0)
            break;
        size_t i, n = json_array_size(changes);
        json_t *c;
        json_array_foreach(changes, i, c)
        {
            const char *entity = nt_json_str(c, "entity"), *id = nt_json_str(c, "entity_id");
            if (svc->index != NULL)
                apply(svc, entity, id, nt_json_str(c, "op"));
            if (on_change != NULL)
                on_change(arg, entity, id);
            after = json_integer_value(json_object_get(c, "seq"));
        }
        json_decref(changes);
        if (svc->index != NULL)
            nt_rindex_set_seq(svc->index, after);
        __atomic_store_n(&svc->seq, after, __ATOMIC_RELEASE);
        if (n < 1000)
            break;
    }
    pthread_mutex_unlock(&svc->follow_lock);
    return rc;
}

static json_t *time_or_null(int64_t us)
{
    char t[NT_TIME_LEN];
    if (us == 0)
        return json_null();
    nt_time_utc(us, t);
    return json_string(t);
}

static json_t *restriction_json(const nt_restriction *r)
{
    json_t *platforms = json_array();
    for (int k = 0; nt_platforms[k] != NULL; k++)
        if (r->platforms & (1u << k))
            json_array_append_new(platforms, json_string(nt_platforms[k]));
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "sanction_id", r->sanction_id, "decision_number",
                     r->decision_number, "authority", r->authority, "type", nt_sanction_type_name(r->type), "scopes",
                     nt__svc_scope_names(r->scopes), "platforms", platforms, "start_at", time_or_null(r->t.start_us), "end_at",
                     time_or_null(r->t.end_us), "lifted_at", time_or_null(r->t.lifted_us), "suspended_from",
                     time_or_null(r->t.suspended_from_us), "suspended_until", time_or_null(r->t.suspended_until_us));
}

/* Parses the time arguments: an instant (at, default now) or a window [from, to). */
static int when(const char *at, const char *from, const char *to, int64_t *f, int64_t *t, nt_err *err)
{
    if ((from == NULL) != (to == NULL))
        return nt_err_field(err, from ? "to" : "from", "required", 0);
    if (from != NULL && at != NULL)
        return nt_err_field(err, "at", "invalid", 0); /* one or the other */
    if (from != NULL) {
        if (nt_time_parse(from, f) != 0)
            return nt_err_field(err, "from", "invalid", 0);
        if (nt_time_parse(to, t) != 0 || *t <= *f)
            return nt_err_field(err, "to", "invalid", 0);
        return 0;
    }
    if (at != NULL) {
        if (nt_time_parse(at, f) != 0)
            return nt_err_field(err, "at", "invalid", 0);
    } else {
        *f = nt_now_us();
    }
    *t = *f;
    return 0;
}

/* One person's restrictions that apply. */
typedef struct found {
    char person[NT_ID_LEN];
    size_t n; /* restrictions that apply (at most ANSWER_MAX kept) */
    nt_restriction r[8];
} found;

#define ANSWER_MAX 8
#define HELD_MAX   8 /* platforms a handle without one can be found on */

/* One subject's answer, before rendering. A subject the registry holds nothing for is answered
 * allowed only because nothing is recorded (basis "no_record"), never as a clearance. */
typedef struct answer {
    const char *subject;
    nt_subject s;
    const char *error; /* the field-error code when the subject is none of the forms */
    bool known;        /* the registry holds the person (or the handle's holder) */
    char handle[NT_SUBJECT_KEY_MAX];
    int nheld; /* a handle without a platform: where it is held, and by whom */
    char held[HELD_MAX][NT_SUBJECT_KEY_MAX];
    char held_by[HELD_MAX][NT_ID_LEN];
    int nholders;   /* distinct persons holding it; more than one: each answered in holders */
    found *holders; /* malloc'd when nholders > 1 */
    found f;        /* the one person checked */
    bool has_cert;  /* f.person holds an Influencer Trust certificate: cert */
    nt_cert_brief cert;
} answer;

static void answer_free(answer *a)
{
    free(a->holders);
    a->holders = NULL;
}

/* Looks one subject up: a person id (matched as the registry writes it), platform:handle or a
 * profile URL normalised as the registry does, or a handle on whichever platforms hold it. */
static void check_subject(nt_svc *svc, const char *subject, unsigned scopes, const char *platform, int64_t from, int64_t to,
                          answer *a)
{
    memset(a, 0, offsetof(answer, f));
    a->f.person[0] = '\0';
    a->f.n = 0;
    a->subject = subject;
    const char *on = platform;
    if ((a->error = nt_subject_parse(subject, &a->s)) != NULL)
        return;
    if (a->s.kind == NT_SUBJECT_HANDLE) {
        /* A handle on a platform is checked against restrictions covering that platform. */
        nt_strlcpy(a->handle, a->s.key, sizeof(a->handle));
        a->f.n = nt_rindex_check_handle(svc->index, a->handle, a->f.person, &a->known, scopes, on ? on : a->s.platform, from, to,
                                        a->f.r, ANSWER_MAX);
        return;
    }
    if (a->s.kind == NT_SUBJECT_PERSON) {
        a->known = nt_rindex_person(svc->index, a->s.id, a->f.person);
        if (!a->known && a->s.name_like)
            a->error = "is_a_name"; /* letters only, and nobody's id: a name */
        else if (a->known)
            a->f.n = nt_rindex_check(svc->index, a->f.person, scopes, on, from, to, a->f.r, ANSWER_MAX);
        return;
    }
    /* A handle without its platform: every platform where it is held, and each holder. */
    char holders[HELD_MAX][NT_ID_LEN];
    for (int k = 0; nt_platforms[k] != NULL && a->nheld < HELD_MAX; k++) {
        char norm[NT_HANDLE_MAX], key[NT_SUBJECT_KEY_MAX], person[NT_ID_LEN];
        if (nt_handle_normalize(nt_platforms[k], a->s.handle, norm) != 0)
            continue;
        snprintf(key, sizeof(key), "%s:%s", nt_platforms[k], norm);
        if (!nt_rindex_handle(svc->index, key, person))
            continue;
        nt_strlcpy(a->held_by[a->nheld], person, sizeof(a->held_by[0]));
        nt_strlcpy(a->held[a->nheld++], key, sizeof(a->held[0]));
        bool seen = false;
        for (int h = 0; h < a->nholders; h++)
            seen = seen || strcmp(holders[h], person) == 0;
        if (!seen)
            nt_strlcpy(holders[a->nholders++], person, NT_ID_LEN);
    }
    a->known = a->nholders > 0;
    if (a->nholders == 1) {
        nt_strlcpy(a->f.person, holders[0], sizeof(a->f.person));
        a->f.n = nt_rindex_check(svc->index, a->f.person, scopes, on, from, to, a->f.r, ANSWER_MAX);
    } else if (a->nholders > 1) {
        a->holders = nt_xcalloc((size_t)a->nholders, sizeof(found));
        for (int h = 0; h < a->nholders; h++) {
            nt_strlcpy(a->holders[h].person, holders[h], sizeof(a->holders[h].person));
            a->holders[h].n = nt_rindex_check(svc->index, holders[h], scopes, on, from, to, a->holders[h].r, ANSWER_MAX);
        }
    }
}

/* The subject, and the certificate of the one person it names (a booking sees both). */
static void check_one(nt_svc *svc, const char *subject, unsigned scopes, const char *platform, int64_t from, int64_t to, answer *a)
{
    check_subject(svc, subject, scopes, platform, from, to, a);
    a->has_cert = a->f.person[0] != '\0' && nt_rindex_cert(svc->index, a->f.person, &a->cert);
    if (a->has_cert && (strcmp(a->cert.status, "active") == 0 || strcmp(a->cert.status, "suspended") == 0) &&
        a->cert.valid_until_us <= from)
        nt_strlcpy(a->cert.status, "expired", sizeof(a->cert.status));
}

/* Allowed: nothing recorded restricts any person the subject names. */
static bool answer_allowed(const answer *a)
{
    if (a->nholders > 1) {
        for (int h = 0; h < a->nholders; h++)
            if (a->holders[h].n > 0)
                return false;
        return true;
    }
    return a->f.n == 0;
}

static void render_scopes(nt_jbuf *b, unsigned bits)
{
    nt_jb_lit(b, "[");
    bool first = true;
    for (unsigned bit = 1; bit <= NT_SCOPE_ADVERTISING; bit <<= 1) {
        if (!(bits & bit))
            continue;
        if (!first)
            nt_jb_lit(b, ",");
        nt_jb_str(b, nt_scope_name(bit));
        first = false;
    }
    nt_jb_lit(b, "]");
}

static void render_restrictions(nt_jbuf *b, const found *f)
{
    nt_jb_lit(b, "[");
    for (size_t i = 0; i < f->n && i < ANSWER_MAX; i++) {
        const nt_restriction *r = &f->r[i];
        nt_jb_lit(b, i ? ",{\"sanction_id\":" : "{\"sanction_id\":");
        nt_jb_str(b, r->sanction_id);
        nt_jb_lit(b, ",\"decision_number\":");
        nt_jb_str(b, r->decision_number);
        nt_jb_lit(b, ",\"authority\":");
        nt_jb_str(b, r->authority);
        nt_jb_lit(b, ",\"type\":");
        nt_jb_str(b, nt_sanction_type_name(r->type));
        nt_jb_lit(b, ",\"scopes\":");
        render_scopes(b, r->scopes);
        nt_jb_lit(b, ",\"platforms\":[");
        for (int k = 0, n = 0; nt_platforms[k] != NULL; k++)
            if (r->platforms & (1u << k)) {
                if (n++)
                    nt_jb_lit(b, ",");
                nt_jb_str(b, nt_platforms[k]);
            }
        nt_jb_lit(b, "],\"start_at\":");
        nt_jb_time(b, r->t.start_us);
        nt_jb_lit(b, ",\"end_at\":");
        nt_jb_time(b, r->t.end_us);
        nt_jb_lit(b, "}");
    }
    nt_jb_lit(b, "]");
}

static void render_answer(nt_jbuf *b, const answer *a, const char *scope, int64_t from, int64_t to)
{
    nt_jb_lit(b, "{\"subject\":");
    nt_jb_str(b, a->subject);
    if (a->handle[0]) {
        nt_jb_lit(b, ",\"handle\":");
        nt_jb_str(b, a->handle);
        nt_jb_lit(b, ",\"handle_known\":");
        nt_jb_bool(b, a->known);
    }
    if (a->s.kind == NT_SUBJECT_ANY_HANDLE) {
        nt_jb_lit(b, ",\"handles\":[");
        for (int i = 0; i < a->nheld; i++) {
            if (i)
                nt_jb_lit(b, ",");
            nt_jb_str(b, a->held[i]);
        }
        nt_jb_lit(b, "]");
    }
    nt_jb_lit(b, ",\"person_id\":");
    nt_jb_str(b, a->f.person[0] ? a->f.person : NULL);
    nt_jb_lit(b, ",\"person_known\":");
    nt_jb_bool(b, a->known);
    /* "checked": the registry holds the subject and its restrictions were looked at; "no_record":
     * it holds nothing for it, so nothing restricts it here — not a clearance. */
    nt_jb_lit(b, a->known ? ",\"basis\":\"checked\"" : ",\"basis\":\"no_record\"");
    nt_jb_lit(b, ",\"scope\":");
    nt_jb_str(b, scope);
    nt_jb_lit(b, ",\"allowed\":");
    nt_jb_bool(b, answer_allowed(a));
    nt_jb_lit(b, ",\"restrictions\":");
    render_restrictions(b, &a->f);
    nt_jb_lit(b, ",\"certificate\":");
    if (a->has_cert) {
        nt_jb_raw(b, a->cert.head, a->cert.head_len);
        nt_jb_lit(b, a->cert.status);
        nt_jb_raw(b, a->cert.tail, a->cert.tail_len);
    } else {
        nt_jb_lit(b, "null");
    }
    if (a->nholders > 1) { /* several persons hold the handle on different platforms: each answered */
        nt_jb_lit(b, ",\"holders\":[");
        for (int h = 0; h < a->nholders; h++) {
            nt_jb_lit(b, h ? ",{\"person_id\":" : "{\"person_id\":");
            nt_jb_str(b, a->holders[h].person);
            nt_jb_lit(b, ",\"handles\":[");
            for (int i = 0, n = 0; i < a->nheld; i++) {
                if (strcmp(a->held_by[i], a->holders[h].person) != 0)
                    continue;
                if (n++)
                    nt_jb_lit(b, ",");
                nt_jb_str(b, a->held[i]);
            }
            nt_jb_lit(b, "],\"allowed\":");
            nt_jb_bool(b, a->holders[h].n == 0);
            nt_jb_lit(b, ",\"restrictions\":");
            render_restrictions(b, &a->holders[h]);
            nt_jb_lit(b, "}");
        }
        nt_jb_lit(b, "]");
    }
    if (to > from) {
        nt_jb_lit(b, ",\"from\":");
        nt_jb_time(b, from);
        nt_jb_lit(b, ",\"to\":");
        nt_jb_time(b, to);
    } else {
        nt_jb_lit(b, ",\"at\":");
        nt_jb_time(b, from);
    }
}

/* checked_at and the sequence the answer reflects, then the closing brace. */
static void render_stamp(nt_svc *svc, nt_jbuf *b)
{
    nt_jb_lit(b, ",\"checked_at\":");
    nt_jb_time(b, nt_now_us());
    nt_jb_lit(b, ",\"seq\":");
    nt_jb_int(b, nt_rindex_seq(svc->index));
    nt_jb_lit(b, "}");
}

static int taken(nt_jbuf *b, char **body, size_t *len)
{
    *body = nt_jb_take(b, len);
    return *body ? 0 : NT_ENOMEM;
}

static int parse_scope(const char *scope, unsigned *bits, nt_err *err)
{
    *bits = nt_scope_parse(scope ? scope : "any");
    return *bits == 0 ? nt_err_field_one_of(err, "scope", "invalid", nt_scope_choices) : 0;
}

int nt_svc_check(nt_svc *svc, const char *subject, const char *scope, const char *platform, const char *at, const char *from,
                 const char *to, char **body, size_t *len, nt_err *err)
{
    unsigned bits;
    int64_t f, t;
    if (subject == NULL || *subject == '\0')
        nt_err_field(err, "subject", "required", 0);
    parse_scope(scope, &bits, err);
    if (platform != NULL && !nt_platform_known(platform))
        nt_err_field_one_of(err, "platform", "invalid", nt_platforms);
    when(at, from, to, &f, &t, err);
    if (err->nfields > 0)
        return NT_EINVAL;
    answer a;
    check_one(svc, subject, bits, platform, f, t, &a);
    if (a.error != NULL)
        return nt_err_field(err, "subject", a.error, 0);
    nt_jbuf b;
    nt_jb_init(&b, 1024);
    render_answer(&b, &a, scope ? scope : "any", f, t);
    answer_free(&a);
    render_stamp(svc, &b);
    return taken(&b, body, len);
}

static const nt_field batch_spec[] = {
    {"subjects", NT_FT_STR_ARRAY, NT_F_REQUIRED, 0, NT_CHECK_BATCH_MAX, 600},
    {"scope", NT_FT_STR, NT_F_NULLABLE, 1, 20, 0},
    {"platform", NT_FT_STR, NT_F_NULLABLE, 1, 20, 0},
    {"at", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"from", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"to", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
};

int nt_svc_check_batch(nt_svc *svc, const json_t *in, nt_lang lang, char **body, size_t *len, nt_err *err)
{
    if (nt_schema_check(in, batch_spec, sizeof(batch_spec) / sizeof(batch_spec[0]), "", err) != 0)
        return NT_EINVAL;
    unsigned bits;
    int64_t f, t;
    const char *scope = nt_json_str(in, "scope"), *platform = nt_json_str(in, "platform");
    parse_scope(scope, &bits, err);
    if (platform != NULL && !nt_platform_known(platform))
        nt_err_field_one_of(err, "platform", "invalid", nt_platforms);
    when(nt_json_str(in, "at"), nt_json_str(in, "from"), nt_json_str(in, "to"), &f, &t, err);
    if (err->nfields > 0)
        return NT_EINVAL;
    const json_t *subjects = json_object_get(in, "subjects");
    nt_jbuf b;
    nt_jb_init(&b, 512 * (json_array_size(subjects) + 1));
    nt_jb_lit(&b, "{\"results\":[");
    bool all = true, all_known = true;
    long errors = 0;
    size_t i;
    json_t *s;
    /* Each item its own status: a subject that is none of the forms gets its error, the others
     * their answers; the batch as a whole is refused only when it is malformed. */
    json_array_foreach(subjects, i, s)
    {
        answer a;
        check_one(svc, json_string_value(s), bits, platform, f, t, &a);
        if (i > 0)
            nt_jb_lit(&b, ",");
        if (a.error != NULL) {
            nt_field_error fe = {.param = 0};
            snprintf(fe.field, sizeof(fe.field), "subjects[%zu]", i);
            nt_strlcpy(fe.code, a.error, sizeof(fe.code));
            char detail[256];
            nt_err_field_detail(&fe, lang, detail, sizeof(detail));
            nt_jb_lit(&b, "{\"subject\":");
            nt_jb_str(&b, json_string_value(s));
            nt_jb_lit(&b, ",\"status\":400,\"error\":{\"field\":");
            nt_jb_str(&b, fe.field);
            nt_jb_lit(&b, ",\"code\":");
            nt_jb_str(&b, fe.code);
            nt_jb_lit(&b, ",\"detail\":");
            nt_jb_str(&b, detail);
            nt_jb_lit(&b, "}}");
            errors++;
            all = false; /* not every subject was cleared */
            continue;
        }
        render_answer(&b, &a, scope ? scope : "any", f, t);
        nt_jb_lit(&b, ",\"status\":200}");
        all = all && answer_allowed(&a);
        all_known = all_known && a.known;
        answer_free(&a);
    }
    nt_jb_lit(&b, "],\"all_allowed\":");
    nt_jb_bool(&b, all);
    nt_jb_lit(&b, ",\"all_known\":");
    nt_jb_bool(&b, all_known && errors == 0);
    nt_jb_lit(&b, ",\"errors\":");
    nt_jb_int(&b, errors);
    render_stamp(svc, &b);
    return taken(&b, body, len);
}

static void stamp(nt_svc *svc, json_t *res)
{
    char now[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), now);
    json_object_set_new(res, "checked_at", json_string(now));
    json_object_set_new(res, "seq", json_integer(nt_rindex_seq(svc->index)));
}

struct collect {
    json_t *items;
    int64_t now;
    bool public_only;
    char *q[8]; /* the public list's search: words in search-key form */
    int nq;
};

static void collect_one(void *arg, const char *person_id, const char *legal_name, const nt_restriction *r)
{
    struct collect *c = arg;
    nt_sanction_state st = nt_sanction_state_at(&r->t, c->now);
    if (c->public_only) {
        /* The public list: in force now, decision published and not delisted. */
        if (!(st == NT_SST_ACTIVE || st == NT_SST_REINSTATED) || !r->publish || (r->delist_us && c->now >= r->delist_us))
            return;
    } else if (!(st == NT_SST_ACTIVE || st == NT_SST_REINSTATED || st == NT_SST_SCHEDULED || st == NT_SST_SUSPENDED)) {
        return;
    }
    json_t *j = restriction_json(r);
    json_object_set_new(j, "person_id", json_string(person_id));
    json_object_set_new(j, "state", json_string(nt_sanction_state_name(st)));
    if (c->public_only) {
        if (c->nq > 0) { /* every word of the search, without diacritics, case or order */
            char key[NT_KEY_MAX], *toks[16];
            if (nt_text_search_key(legal_name, key, sizeof(key)) < 0) {
                json_decref(j);
                return;
            }
            int nt = nt_text_tokens(key, toks, 16);
            for (int i = 0; i < c->nq; i++) {
                bool has = false;
                for (int k = 0; k < nt && !has; k++)
                    has = strcmp(toks[k], c->q[i]) == 0;
                if (!has) {
                    json_decref(j);
                    return;
                }
            }
        }
        json_object_set_new(j, "name", json_string(legal_name));
        json_object_del(j, "sanction_id");
        if (r->decision_id[0]) { /* the published decision behind it */
            char url[96];
            snprintf(url, sizeof(url), "/v1/decisions/%s", r->decision_id);
            json_object_set_new(j, "decision_id", json_string(r->decision_id));
            json_object_set_new(j, "decision_url", json_string(url));
        }
    }
    json_array_append_new(c->items, j);
}

static int by_start(const void *a, const void *b)
{
    const char *x = nt_json_str(*(json_t *const *)a, "start_at"), *y = nt_json_str(*(json_t *const *)b, "start_at");
    return strcmp(x, y);
}

static json_t *sorted(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **v = nt_xmalloc((n + 1) * sizeof(json_t *));
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof(json_t *), by_start);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, v[i]);
    free(v);
    json_decref(arr);
    return out;
}

/* The handles of a person as "platform:handle", for mirrors that check by handle. */
static json_t *handles_of(nt_svc *svc, const char *person_id)
{
    json_t *params = json_pack("[s]", person_id), *rows = NULL, *out = json_array();
    svc->store->ops->query(svc->store, NT_Q_accounts_person, params, &rows);
    json_decref(params);
    size_t i;
    json_t *a;
    char key[NT_HANDLE_MAX + 32];
    json_array_foreach(rows, i, a)
    {
        snprintf(key, sizeof(key), "%s:%s", nt_json_str(a, "platform"), nt_json_str(a, "handle"));
        json_array_append_new(out, json_string(key));
    }
    json_decref(rows);
    return out;
}

int nt_svc_restrictions_snapshot(nt_svc *svc, json_t **out, nt_err *err)
{
    int64_t seq = nt_rindex_seq(svc->index);
    struct collect c = {json_array(), nt_now_us(), false, {0}, 0};
    nt_rindex_each(svc->index, collect_one, &c);
    /* Outside the index's read section: the handles come from the store. */
    json_t *seen = json_object();
    size_t i;
    json_t *item;
    json_array_foreach(c.items, i, item)
    {
        const char *person = nt_json_str(item, "person_id");
        json_t *h = json_object_get(seen, person);
        if (h == NULL) {
            h = handles_of(svc, person);
            json_object_set_new(seen, person, h);
        }
        json_object_set(item, "handles", h);
    }
    json_decref(seen);
    json_t *res = json_pack("{s:o, s:I}", "items", sorted(c.items), "seq", (json_int_t)seq);
    stamp(svc, res);
    *out = res;
    return 0;
}

int nt_svc_restrictions_public(nt_svc *svc, const char *q, const char *cursor, int limit, json_t **out, nt_err *err)
{
    struct collect c = {NULL, nt_now_us(), true, {0}, 0};
    char qkey[NT_KEY_MAX];
    if (q != NULL && (nt_text_length(q) > 200 || nt_text_search_key(q, qkey, sizeof(qkey)) < 0))
        return nt_err_field(err, "q", "invalid", 0);
    if (q != NULL)
        c.nq = nt_text_tokens(qkey, c.q, 8);
    /* The list is ordered (by start, then person): a cursor is the position after the page. */
    long from = 0;
    char pos[32] = "";
    if (cursor != NULL) {
        char *end;
        if (nt_svc_cursor_decode(cursor, pos, sizeof(pos)) != 0 || (from = strtol(pos, &end, 10)) < 0 || *end != '\0' || !pos[0])
            return nt_err_field(err, "cursor", "invalid", 0);
    }
    c.items = json_array();
    nt_rindex_each(svc->index, collect_one, &c);
    json_t *all = sorted(c.items), *page = json_array();
    size_t n = json_array_size(all);
    for (size_t i = (size_t)from; i < n && (long)json_array_size(page) < limit; i++)
        json_array_append(page, json_array_get(all, i));
    char next[64] = "";
    if ((size_t)from + json_array_size(page) < n) {
        snprintf(pos, sizeof(pos), "%zu", (size_t)from + json_array_size(page));
        nt_svc_cursor_encode(pos, next, sizeof(next));
    }
    json_decref(all);
    json_t *res = json_pack("{s:o, s:s?}", "items", page, "next_cursor", next[0] ? next : NULL);
    stamp(svc, res);
    *out = res;
    return 0;
}

/* What a mirror needs to apply a change without asking again: the sanction as the snapshot
 * lists it, or the account's holder; null when it no longer exists. */
static void attach_payload(nt_svc *svc, json_t *change)
{
    const char *entity = nt_json_str(change, "entity"), *id = nt_json_str(change, "entity_id");
    if (strcmp(entity, "sanction") == 0) {
        json_t *params = json_pack("[s]", id), *rows = NULL;
        svc->store->ops->query(svc->store, NT_Q_sanction_restricting, params, &rows);
        json_decref(params);
        json_t *s = json_array_get(rows, 0);
        json_t *item = json_null();
        if (s != NULL && nt_sanction_restricts((nt_sanction_type)nt_sanction_type_parse(nt_json_str(s, "type")))) {
            nt_restriction r;
            restriction_of(s, &r);
            item = restriction_json(&r);
            json_object_set_new(item, "person_id", json_string(nt_json_str(s, "person_id")));
            json_object_set_new(item, "state", json_string(nt_sanction_state_name(nt_sanction_state_at(&r.t, nt_now_us()))));
            json_object_set_new(item, "handles", handles_of(svc, nt_json_str(s, "person_id")));
        }
        json_object_set_new(change, "restriction", item);
        json_decref(rows);
    } else if (strcmp(entity, "account") == 0) {
        char platform[32];
        const char *colon = strchr(id, ':');
        json_t *acc = json_null();
        if (colon != NULL && (size_t)(colon - id) < sizeof(platform)) {
            memcpy(platform, id, (size_t)(colon - id));
            platform[colon - id] = '\0';
            json_t *params = json_pack("[s, s]", platform, colon + 1), *rows = NULL;
            svc->store->ops->query(svc->store, NT_Q_account_get, params, &rows);
            json_decref(params);
            if (json_array_size(rows) > 0)
                acc = json_incref(json_array_get(rows, 0));
            json_decref(rows);
        }
        json_object_set_new(change, "account", acc);
    }
}

/* Whether a change may be shown to `who`: the same rule as reading what changed. Regulators see
 * every change; a mirror (platform, advertiser) what the check and the public registers need —
 * persons, accounts, sanctions, published decisions (their delisting too), ads, advertisers, products — and never the
 * creation of cases, reports, appeals, keys, organisations, offers or subscriptions. */
static bool change_visible(nt_svc *svc, const nt_actor *who, const json_t *change)
{
    if (who->role == NT_ROLE_REGULATOR || who->role == NT_ROLE_ADMIN)
        return true;
    static const char *const open_entities[] = {"person",     "account", "sanction",    "ad",
                                                "advertiser", "product", "certificate", NULL};
    const char *entity = nt_json_str(change, "entity");
    if (nt_str_one_of(entity, open_entities))
        return true;
    if (entity == NULL || strcmp(entity, "decision") != 0)
        return false;
    /* A published decision's changes, its withdrawal from publication included: a mirror that
     * shows it learns when to take it down. */
    json_t *d = nt__svc_q1(svc, NT_Q_decision_get, json_pack("[s]", nt_json_str(change, "entity_id")));
    bool shown = d != NULL && json_integer_value(json_object_get(d, "publish")) == 1;
    json_decref(d);
    return shown;
}

int nt_svc_changes(nt_svc *svc, const nt_actor *who, int64_t since, int limit, json_t **out, nt_err *err)
{
    json_t *params = json_pack("[I, i]", (json_int_t)since, limit), *rows = NULL;
    int rc = svc->store->ops->query(svc->store, NT_Q_changes_page, params, &rows);
    json_decref(params);
    if (rc != 0)
        return nt_err_set(err, NT_EIO, "cannot read changes", "không đọc được thay đổi");
    size_t n = json_array_size(rows), i;
    /* The page goes as far as it read, what it may not show left out: next_since moves past it. */
    int64_t last = n ? json_integer_value(json_object_get(json_array_get(rows, n - 1), "seq")) : since;
    json_t *items = json_array(), *c;
    json_array_foreach(rows, i, c)
    {
        if (!change_visible(svc, who, c))
            continue;
        attach_payload(svc, c);
        json_array_append(items, c);
    }
    json_decref(rows);
    *out = json_pack("{s:o, s:I, s:b}", "items", items, "next_since", (json_int_t)last, "more", (int)n == limit);
    return 0;
}
