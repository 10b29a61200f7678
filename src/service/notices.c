/* Verified notices and the trusted network; see notices.h. */
#include "service/notices.h"
#include "core/alloc.h"
#include "core/notices.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "log/entry.h"
#include "log/jcs.h"
#include "service/ads.h"
#include "service/commit.h"
#include "service/feeds.h"
#include "service/query.h"
#include "service/webhooks.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUBSPEC(s) s, sizeof(s) / sizeof(s[0])
#define SUPPRESS   5 /* groups of fewer members are not shown */

/* ---- the notice as anyone reads it ---- */

/* A stored notice row made readable: its content flattened into it, its issuer, its links. */
static json_t *notice_view(const nt_svc *svc, json_t *n)
{
    json_t *content = json_loads(nt_json_str(n, "content"), 0, NULL);
    const char *id = nt_json_str(n, "id"), *kind = nt_json_str(n, "kind");
    char url[700];
    json_t *o = json_pack("{s:O, s:O, s:O, s:O, s:{s:O, s:O}}", "id", json_object_get(n, "id"), "version",
                          json_object_get(n, "version"), "kind", json_object_get(n, "kind"), "state", json_object_get(n, "state"),
                          "issuer", "org_id", json_object_get(n, "issuer_org"), "name", json_object_get(n, "issuer_name"));
    const char *k;
    json_t *v;
    json_object_foreach(content, k, v) if (strcmp(k, "kind") != 0) json_object_set(o, k, v);
    static const char *const times[] = {"published_at", "updated_at", "withdrawn_at", "withdraw_reason"};
    for (size_t i = 0; i < 4; i++)
        json_object_set(o, times[i], json_object_get(n, times[i]));
    json_t *links = json_object();
    nt__notice_url(svc, id, "", url, sizeof(url));
    json_object_set_new(links, "self", json_string(url));
    if (nt_streq(kind, "correction")) {
        nt__notice_url(svc, id, "/claimreview", url, sizeof(url));
        json_object_set_new(links, "claimreview", json_string(url));
    }
    if (nt_streq(kind, "scam_alert") || nt_streq(kind, "product_recall")) {
        nt__notice_url(svc, id, "/cap", url, sizeof(url));
        json_object_set_new(links, "cap", json_string(url));
    }
    json_object_set_new(o, "links", links);
    json_decref(content);
    json_decref(n);
    return o;
}

int nt_svc_notice_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *n = nt__svc_q1(svc, NT_Q_notice_get, json_pack("[s]", id));
    if (n == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no notice %s", "không có thông báo %s", id);
    *out = notice_view(svc, n);
    return 0;
}

int nt_svc_notice_versions(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *n = nt__svc_q1(svc, NT_Q_notice_get, json_pack("[s]", id));
    if (n == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no notice %s", "không có thông báo %s", id);
    json_decref(n);
    json_t *rows = nt__svc_q(svc, NT_Q_notice_versions, json_pack("[s]", id));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *c = nt_json_str(r, "changes");
        json_t *changes = c ? json_loads(c, 0, NULL) : NULL;
        json_object_set_new(r, "changes", changes ? changes : json_null());
        json_object_del(r, "key_id");
    }
    *out = json_pack("{s:s, s:o}", "notice_id", id, "versions", rows ? rows : json_array());
    return 0;
}

static const char *const states[] = {"published", "withdrawn", NULL};

int nt_svc_notice_list(nt_svc *svc, const nt_notice_query *q, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (q->cursor != NULL && nt_svc_cursor_decode(q->cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    if (q->state != NULL && !nt_str_one_of(q->state, states))
        nt_err_field_one_of(err, "state", "invalid", states);
    if (q->kind != NULL && !nt_notice_kind_known(q->kind))
        nt_err_field_one_of(err, "kind", "invalid", nt_notice_kinds);
    if (q->topic != NULL && !nt_notice_topic_known(q->topic))
        nt_err_field(err, "topic", "invalid", 0);
    if (q->province != NULL && nt_province(q->province) == NULL)
        nt_err_field(err, "province", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *rows = nt__svc_q(svc, NT_Q_notices_page,
                             json_pack("[s?, s?, s?, s?, s, i]", q->state, q->kind, q->topic, q->province, after, q->limit));
    json_t *items = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) json_array_append_new(items, notice_view(svc, json_incref(r)));
    json_decref(rows);
    return nt__svc_paged(0, items, q->limit, out, err);
}

/* ---- who may issue what ---- */

static int issuer_may(nt_svc *svc, const nt_actor *who, const json_t *content, nt_err *err)
{
    const char *kind = nt_json_str(content, "kind");
    bool recall = nt_streq(kind, "product_recall");
    if (who->role == NT_ROLE_ADVERTISER && !recall)
        return nt_err_set(err, NT_EFORBIDDEN, "an advertiser issues only recalls of its own products",
                          "nhà quảng cáo chỉ được phát thông báo thu hồi sản phẩm của chính mình");
    if (recall && who->role != NT_ROLE_REGULATOR && who->role != NT_ROLE_ADVERTISER)
        return nt_err_set(err, NT_EFORBIDDEN, "a recall is issued by a regulator or the product's advertiser",
                          "thông báo thu hồi do cơ quan quản lý hoặc chính nhà quảng cáo của sản phẩm phát hành");
    if (!recall)
        return 0;
    json_t *adv = who->role == NT_ROLE_ADVERTISER ? nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id)) : NULL;
    size_t i;
    json_t *p;
    int rc = 0;
    json_array_foreach(json_object_get(content, "products"), i, p)
    {
        json_t *prod = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", json_string_value(p)));
        char f[40];
        snprintf(f, sizeof(f), "products[%zu]", i);
        if (prod == NULL)
            rc = nt_err_field(err, f, "not_found", 0);
        else if (who->role == NT_ROLE_ADVERTISER &&
                 (adv == NULL || !nt_streq(nt_json_str(prod, "advertiser_id"), nt_json_str(adv, "id"))))
            rc = nt_err_set(err, NT_EFORBIDDEN, "product %s is not this advertiser's",
                            "sản phẩm %s không phải của nhà quảng cáo này", json_string_value(p));
        json_decref(prod);
        if (rc == NT_EFORBIDDEN)
            break;
    }
    json_decref(adv);
    return rc;
}

/* ---- persons named ---- */

/* The impersonated persons or handles of a scam alert, linked to the registry where they are in
 * it: [{entry, person_id|null}]; their persons are allowed to be named. */
static json_t *link_impersonated(nt_svc *svc, json_t *content, json_t *allowed, nt_err *err)
{
    json_t *scam = json_object_get(content, "scam"), *linked = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(scam, "impersonated"), i, e)
    {
        const char *entry = json_string_value(e);
        char plat[NT_PLATFORM_MAX], key[NT_SUBJECT_KEY_MAX], f[48];
        if (nt_subject_handle(entry, plat, key) == 0) {
            /* A handle: linked to the person holding it, when the registry knows them. */
            const char *colon = strchr(key, ':');
            json_t *acc = colon ? nt__svc_q1(svc, NT_Q_account_get, json_pack("[s, s]", plat, colon + 1)) : NULL;
            json_array_append_new(linked, json_pack("{s:s, s:O?}", "handle", key, "person_id", json_object_get(acc, "person_id")));
            json_decref(acc);
            continue;
        }
        json_t *p = nt__svc_q1(svc, NT_Q_person_exists, json_pack("[s]", entry));
        snprintf(f, sizeof(f), "scam.impersonated[%zu]", i);
        if (p == NULL)
            nt_err_field(err, f, "not_found", 0); /* a person id the registry does not hold */
        else
            json_array_append_new(linked, json_pack("{s:O, s:n}", "person_id", json_object_get(p, "id"), "handle"));
        json_decref(p);
    }
    json_array_foreach(linked, i, e) if (json_is_string(json_object_get(e, "person_id")))
        json_array_append(allowed, json_object_get(e, "person_id"));
    if (json_is_object(scam))
        json_object_set_new(scam, "linked", linked);
    else
        json_decref(linked);
    return allowed;
}

/* A notice may name no private person. Names are runs of capitalised words in its texts; each that
 * is exactly the name of a person in the registry must be a person the notice may name: one with
 * a published decision, or a victim of the scam it warns of. A name the registry does not hold
 * cannot be told from a place or an organisation here: the issuer answers for it (NOTICES.md). */
static int names_private_person(nt_svc *svc, const json_t *content, const json_t *allowed, nt_err *err)
{
    static const char *const fields[][2] = {{"title", "vi"},   {"title", "en"}, {"summary", "vi"},
                                            {"summary", "en"}, {"body", "vi"},  {"body", "en"},
                                            {"claim", "text"}, {"scam", "how"}, {"scam", "what_to_do"}};
    char now[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), now);
    for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
        const char *text = nt_json_str(json_object_get(content, fields[f][0]), fields[f][1]);
        if (text == NULL)
            continue;
        json_t *runs = nt_notice_name_runs(text);
        size_t i, k;
        json_t *run, *p;
        bool named = false;
        json_array_foreach(runs, i, run)
        {
            char key[512];
            if (named || nt_text_search_key(json_string_value(run), key, sizeof(key)) < 0)
                continue;
            json_t *persons = nt__svc_q(svc, NT_Q_persons_by_key, json_pack("[s]", key));
            json_array_foreach(persons, k, p)
            {
                const char *pid = nt_json_str(p, "id");
                bool ok = false;
                size_t a;
                json_t *x;
                json_array_foreach(allowed, a, x) ok = ok || nt_streq(json_string_value(x), pid);
                json_t *d = ok ? NULL : nt__svc_q1(svc, NT_Q_person_published_decision, json_pack("[s, s]", pid, now));
                ok = ok || d != NULL;
                json_decref(d);
                named = named || !ok;
            }
            json_decref(persons);
        }
        json_decref(runs);
        if (named) {
            char name[48];
            snprintf(name, sizeof(name), "%s.%s", fields[f][0], fields[f][1]);
            nt_err_field(err, name, "names_private_person", 0);
        }
    }
    return err->nfields > 0 ? NT_EINVAL : 0;
}

/* ---- writing ---- */

/* The content as stored, and its SHA-256 (what the log commits to). */
static char *content_text(const json_t *content, char sha[65])
{
    char *text = nt_jcs(content);
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(sha, 65, h, sizeof(h));
    return text;
}

static void add_tags(nt_tx *tx, const char *id, long version, const json_t *content)
{
    static const char *const tags[][2] = {{"topics", "topic"}, {"provinces", "province"}};
    for (size_t t = 0; t < 2; t++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(content, tags[t][0]), i, v)
        {
            char tid[NT_ID_LEN + 40];
            snprintf(tid, sizeof(tid), "%s:v%ld:%s:%s", id, version, tags[t][1], json_string_value(v));
            nt_row *row = nt_tx_insert(tx, NT_T_notice_tags, tid, NULL, NULL, 0);
            nt_row_str(row, COL(notice_tags, notice_id), id);
            nt_row_str(row, COL(notice_tags, tag), tags[t][1]);
            nt_row_str(row, COL(notice_tags, value), json_string_value(v));
            nt_row_int(row, COL(notice_tags, active), 1);
        }
    }
}

static void add_version(nt_tx *tx, const char *id, long version, const char *text, const json_t *changes, const nt_wctx *w)
{
    char vid[NT_ID_LEN + 16];
    snprintf(vid, sizeof(vid), "%s.v%ld", id, version);
    nt_row *row = nt_tx_insert(tx, NT_T_notice_versions, vid, NULL, NULL, 0);
    nt_row_str(row, COL(notice_versions, notice_id), id);
    nt_row_int(row, COL(notice_versions, version), version);
    nt_row_str(row, COL(notice_versions, content), text);
    if (changes != NULL)
        nt_row_set(row, COL(notice_versions, changes), json_incref((json_t *)changes));
    nt_row_str(row, COL(notice_versions, key_id), w->key_id);
    nt_row_str(row, COL(notice_versions, created_at), w->at);
}

/* The notice's reach counted per group, and a delivery through the outbox for each member who
 * receives by webhook and for each browser of a member who receives by push, all sharing one payload: made in the database in bulk,
 * in the notice's own write, with no row per member otherwise (a member's row is written when it acknowledges), so that a million
 * members cost neither memory here nor a million rows (store/sqlite_notices.c). */
static void fan_out(nt_svc *svc, nt_tx *tx, const char *id, const json_t *content, const char *at)
{
    char *topics = json_dumps(json_object_get(content, "topics"), JSON_COMPACT);
    /* A notice to every province spares the look at each member's (NULL). */
    const json_t *in = json_object_get(content, "provinces");
    char *provinces =
        json_array_size(in) == json_array_size(json_object_get(nt_provinces(), "provinces")) ? NULL : json_dumps(in, JSON_COMPACT);
    nt_tx_named(tx, NT_Q_notice_fan_out, json_pack("[s, s, s?, s]", id, topics, provinces, at));
    char url[700];
    nt__notice_url(svc, id, "", url, sizeof(url));
    /* The payload without its id: each delivery's is put first, as every outbox payload has it. */
    json_t *payload = json_pack("{s:s, s:s, s:{s:s, s:i, s:O, s:O, s:O, s:O, s:O, s:O, s:s}}", "event", "notice.published",
                                "occurred_at", at, "data", "notice_id", id, "version", 1, "kind", json_object_get(content, "kind"),
                                "severity", json_object_get(content, "severity"), "title", json_object_get(content, "title"),
                                "summary", json_object_get(content, "summary"), "topics", json_object_get(content, "topics"),
                                "provinces", json_object_get(content, "provinces"), "url", url);
    char *text = json_dumps(payload, JSON_COMPACT);
    char ref[NT_ID_LEN + 8];
    snprintf(ref, sizeof(ref), "wp_%s", id);
    nt_tx_named(tx, NT_Q_webhook_payload_put, json_pack("[s, s]", ref, text));
    nt_tx_named(tx, NT_Q_notice_fan_out_hooks, json_pack("[s, s, s, s, s?]", id, ref, at, topics, provinces));
    nt_tx_named(tx, NT_Q_notice_fan_out_push, json_pack("[s, s, s, s, s?]", id, ref, at, topics, provinces));
    free(text);
    free(topics);
    free(provinces);
    json_decref(payload);
}

/* The checked content of a write, with everything a notice must satisfy: a future validity, the
 * issuer's right to it, scam victims linked, no private person named. */
static json_t *checked(nt_svc *svc, const nt_actor *who, const json_t *in, nt_err *err, int *rc)
{
    json_t *content = nt_notice_content_check(in, err);
    if (content == NULL) {
        *rc = NT_EINVAL;
        return NULL;
    }
    if (nt_json_time(content, "valid_until") <= nt_now_us())
        nt_err_field(err, "valid_until", "invalid", 0); /* a notice is valid until some time to come */
    json_t *allowed = link_impersonated(svc, content, json_array(), err);
    if (err->nfields == 0)
        names_private_person(svc, content, allowed, err);
    json_decref(allowed);
    *rc = err->nfields > 0 ? NT_EINVAL : issuer_may(svc, who, content, err);
    if (*rc == 0 && err->nfields > 0)
        *rc = NT_EINVAL;
    if (*rc != 0) {
        json_decref(content);
        return NULL;
    }
    return content;
}

int nt_svc_notice_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    int rc = 0;
    json_t *content = checked(svc, who, in, err, &rc);
    if (content == NULL)
        return rc;
    char id[NT_ID_LEN], sha[65];
    nt_id_new("ntc_", id, sizeof(id));
    char *text = content_text(content, sha);
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_notices, id, "notice", "notice.publish", NT_LOG_NOTICE_PUBLISHED);
    nt_row_int(row, COL(notices, version), 1);
    nt_row_str(row, COL(notices, kind), nt_json_str(content, "kind"));
    nt_row_str(row, COL(notices, state), "published");
    nt_row_str(row, COL(notices, issuer_org), who->org_id);
    nt_row_str(row, COL(notices, issuer_key), w->key_id);
    nt_row_str(row, COL(notices, content), text);
    nt_row_str(row, COL(notices, content_sha256), sha);
    nt_row_str(row, COL(notices, severity), nt_json_str(content, "severity"));
    nt_row_str(row, COL(notices, valid_until), nt_json_str(content, "valid_until"));
    nt_row_str(row, COL(notices, published_at), w->at);
    nt_row_str(row, COL(notices, updated_at), w->at);
    add_version(&tx, id, 1, text, NULL, w);
    add_tags(&tx, id, 1, content);
    /* A recall notice runs the recall of its products not recalled yet, in the same write. */
    bool recall = nt_streq(nt_json_str(content, "kind"), "product_recall");
    size_t i;
    json_t *p;
    if (recall)
        json_array_foreach(json_object_get(content, "products"), i, p)
        {
            json_t *prod = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", json_string_value(p)));
            char source[80];
            snprintf(source, sizeof(source), "notice %s", id);
            if (prod != NULL && json_is_null(json_object_get(prod, "recalled_at")))
                nt__product_recall_rows(&tx, w, json_string_value(p), nt_json_str(json_object_get(content, "summary"), "vi"),
                                        source);
            json_decref(prod);
        }
    fan_out(svc, &tx, id, content, w->at);
    tx.created = true;
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    free(text);
    json_decref(content);
    if (rc != 0)
        return rc;
    if (recall)
        nt_svc_ads_reconcile(svc); /* the products' ads stop now, telling their influencers and platforms */
    rc = nt_svc_notice_get(svc, id, out, err);
    json_t *reached = rc == 0 ? nt__svc_q1(svc, NT_Q_notice_reached, json_pack("[s]", id)) : NULL;
    if (rc == 0)
        json_object_set_new(*out, "members_reached", json_integer(json_integer_value(json_object_get(reached, "n"))));
    json_decref(reached);
    return rc;
}

/* The notice if the caller's organisation issued it (or, for withdraw_by_regulator, a regulator). */
static json_t *own_notice(nt_svc *svc, const nt_actor *who, const char *id, bool regulator_too, nt_err *err, int *rc)
{
    json_t *n = nt__svc_q1(svc, NT_Q_notice_get, json_pack("[s]", id));
    if (n == NULL) {
        *rc = nt_err_set(err, NT_ENOTFOUND, "no notice %s", "không có thông báo %s", id);
        return NULL;
    }
    if (!nt_streq(nt_json_str(n, "issuer_org"), who->org_id) && !(regulator_too && who->role == NT_ROLE_REGULATOR)) {
        json_decref(n);
        *rc = nt_err_set(err, NT_EFORBIDDEN, "only its issuer changes notice %s",
                         "chỉ tổ chức phát hành được thay đổi thông báo %s", id);
        return NULL;
    }
    if (!nt_streq(nt_json_str(n, "state"), "published")) {
        json_decref(n);
        *rc = nt_err_set(err, NT_ECONFLICT, "notice %s is withdrawn", "thông báo %s đã bị rút lại", id);
        return NULL;
    }
    return n;
}

int nt_svc_notice_amend(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    int rc = 0;
    json_t *n = own_notice(svc, who, id, false, err, &rc);
    if (n == NULL)
        return rc;
    json_t *content = checked(svc, who, in, err, &rc);
    if (content != NULL && !nt_streq(nt_json_str(content, "kind"), nt_json_str(n, "kind")))
        rc = nt_err_field(err, "kind", "not_same_kind", 0); /* a notice keeps its kind: withdraw it and issue another */
    json_t *before = json_loads(nt_json_str(n, "content"), 0, NULL);
    json_t *changes = content ? nt_notice_diff(before, content) : NULL;
    if (rc == 0 && json_array_size(changes) == 0)
        rc = nt_err_set(err, NT_ECONFLICT, "nothing changed", "không có gì thay đổi");
    if (rc != 0) {
        json_decref(content);
        json_decref(before);
        json_decref(changes);
        json_decref(n);
        return rc;
    }
    long version = (long)json_integer_value(json_object_get(n, "version")) + 1;
    char sha[65];
    char *text = content_text(content, sha);
    nt_tx tx = {0};
    nt_row *set = nt_tx_update(&tx, NT_T_notices, id, COL(notices, updated_at), nt_json_str(n, "updated_at"), "notice",
                               "notice.amend", NT_LOG_NOTICE_AMENDED);
    nt_row_int(set, COL(notices, version), version);
    nt_row_str(set, COL(notices, content), text);
    nt_row_str(set, COL(notices, content_sha256), sha);
    nt_row_str(set, COL(notices, severity), nt_json_str(content, "severity"));
    nt_row_str(set, COL(notices, valid_until), nt_json_str(content, "valid_until"));
    nt_row_str(set, COL(notices, updated_at), w->at);
    add_version(&tx, id, version, text, changes, w);
    json_t *tags = nt__svc_q(svc, NT_Q_notice_tags, json_pack("[s]", id));
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t) nt_row_int(
        nt_tx_update(&tx, NT_T_notice_tags, nt_json_str(t, "id"), NT_COL_NONE, NULL, NULL, NULL, 0), COL(notice_tags, active), 0);
    json_decref(tags);
    add_tags(&tx, id, version, content);
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    free(text);
    json_decref(content);
    json_decref(before);
    json_decref(n);
    if (rc == NT_ESTALE)
        rc = nt_err_set(err, NT_ECONFLICT, "notice %s changed meanwhile", "thông báo %s vừa thay đổi", id);
    if (rc == 0)
        rc = nt_svc_notice_get(svc, id, out, err);
    if (rc == 0)
        json_object_set_new(*out, "changes", changes);
    else
        json_decref(changes);
    return rc;
}

static const nt_field withdraw_spec[] = {{"reason", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0}};

int nt_svc_notice_withdraw(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                           nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(withdraw_spec), "", err) != 0)
        return NT_EINVAL;
    int rc = 0;
    json_t *n = own_notice(svc, who, id, true, err, &rc);
    if (n == NULL)
        return rc;
    nt_tx tx = {0};
    nt_row *set =
        nt_tx_update(&tx, NT_T_notices, id, COL(notices, state), "published", "notice", "notice.withdraw", NT_LOG_NOTICE_WITHDRAWN);
    nt_row_str(set, COL(notices, state), "withdrawn");
    nt_row_str(set, COL(notices, withdrawn_at), w->at);
    nt_row_str(set, COL(notices, withdraw_reason), nt_json_str(in, "reason"));
    nt_row_str(set, COL(notices, updated_at), w->at);
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    json_decref(n);
    if (rc == NT_ESTALE)
        rc = nt_err_set(err, NT_ECONFLICT, "notice %s changed meanwhile", "thông báo %s vừa thay đổi", id);
    return rc != 0 ? rc : nt_svc_notice_get(svc, id, out, err);
}

/* ---- the notice in other forms ---- */

int nt_svc_notice_claimreview(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *n = nt__svc_q1(svc, NT_Q_notice_get, json_pack("[s]", id));
    if (n == NULL || !nt_streq(nt_json_str(n, "kind"), "correction")) {
        json_decref(n);
        return nt_err_set(err, NT_ENOTFOUND, "no correction %s: ClaimReview is for corrections",
                          "không có thông báo đính chính %s: ClaimReview chỉ dành cho đính chính", id);
    }
    char url[700];
    nt__notice_url(svc, id, "", url, sizeof(url));
    n = nt__notice_doc(n);
    *out = nt_notice_claimreview(n, url);
    json_decref(n);
    return 0;
}

/* The deployment's host, for CAP's sender. */
static const char *host_of(const nt_svc *svc)
{
    const char *p = strstr(svc->public_url, "://");
    return p ? p + 3 : svc->public_url;
}

int nt_svc_notice_cap(nt_svc *svc, const char *id, char **xml, size_t *len, nt_err *err)
{
    json_t *n = nt__svc_q1(svc, NT_Q_notice_get, json_pack("[s]", id));
    if (n == NULL || !(nt_streq(nt_json_str(n, "kind"), "scam_alert") || nt_streq(nt_json_str(n, "kind"), "product_recall"))) {
        json_decref(n);
        return nt_err_set(err, NT_ENOTFOUND, "no scam alert or recall %s: CAP is for those",
                          "không có cảnh báo lừa đảo hay thu hồi %s: CAP chỉ dành cho hai loại đó", id);
    }
    char url[700];
    nt__notice_url(svc, id, "", url, sizeof(url));
    n = nt__notice_doc(n);
    *xml = nt_notice_cap(n, host_of(svc), url, len);
    json_decref(n);
    return *xml ? 0 : NT_ENOMEM;
}

int nt_svc_notice_topics(json_t **out, nt_err *err)
{
    *out = json_deep_copy(nt_notice_topics());
    return 0;
}

int nt_svc_provinces(json_t **out, nt_err *err)
{
    *out = json_deep_copy(nt_provinces());
    return 0;
}

/* ---- the trusted network ---- */

static const char *const channel_names[] = {"webhook", "feed", "push", NULL};

static const nt_field join_spec[] = {
    {"topics", NT_FT_STR_ARRAY, NT_F_REQUIRED, 1, 20, 40},
    {"provinces", NT_FT_STR_ARRAY, NT_F_REQUIRED, 1, 34, 3},
    {"channels", NT_FT_STR_ARRAY, NT_F_REQUIRED, 1, 3, 20},
    {"webhook_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
};

static json_t *member_of(nt_svc *svc, const nt_actor *who)
{
    return who->role == NT_ROLE_KOL ? nt__svc_q1(svc, NT_Q_network_member_person, json_pack("[s]", who->person_id))
                                    : nt__svc_q1(svc, NT_Q_network_member_org, json_pack("[s]", who->org_id));
}

static json_t *member_view(json_t *m)
{
    static const char *const lists[] = {"topics", "provinces", "channels"};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_loads(nt_json_str(m, lists[i]) ? nt_json_str(m, lists[i]) : "[]", 0, NULL);
        json_object_set_new(m, lists[i], v ? v : json_array());
    }
    return m;
}

int nt_svc_network_join(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, bool *created, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(join_spec), "", err) != 0)
        return NT_EINVAL;
    size_t i;
    json_t *v;
    char f[40];
    json_t *provinces = json_array(), *channels = json_array();
    json_array_foreach(json_object_get(in, "topics"), i, v)
    {
        snprintf(f, sizeof(f), "topics[%zu]", i);
        if (!nt_notice_topic_known(json_string_value(v)))
            nt_err_field(err, f, "invalid", 0);
    }
    json_array_foreach(json_object_get(in, "provinces"), i, v)
    {
        snprintf(f, sizeof(f), "provinces[%zu]", i);
        if (nt_streq(json_string_value(v), "all")) {
            size_t k;
            json_t *p;
            json_array_clear(provinces);
            json_array_foreach(json_object_get(nt_provinces(), "provinces"), k, p)
                json_array_append(provinces, json_object_get(p, "code"));
            break;
        }
        if (nt_province(json_string_value(v)) == NULL)
            nt_err_field(err, f, "invalid", 0);
        else
            json_array_append(provinces, v);
    }
    bool hook = false;
    json_array_foreach(json_object_get(in, "channels"), i, v)
    {
        snprintf(f, sizeof(f), "channels[%zu]", i);
        if (!nt_str_one_of(json_string_value(v), channel_names))
            nt_err_field_one_of(err, f, "invalid", channel_names);
        else
            json_array_append(channels, v);
        hook = hook || nt_streq(json_string_value(v), "webhook");
    }
    /* The webhook channel goes to a subscription of the caller's own that takes notice.published. */
    const char *hook_id = nt_json_str(in, "webhook_id");
    if (hook && hook_id == NULL)
        nt_err_field(err, "webhook_id", "required", 0);
    else if (!hook && hook_id != NULL)
        nt_err_field(err, "webhook_id", "not_allowed", 0);
    else if (hook) {
        json_t *h = nt__svc_q1(svc, NT_Q_webhook_of, json_pack("[s]", hook_id));
        bool mine = h != NULL && json_integer_value(json_object_get(h, "active")) == 1 &&
                    (nt_streq(nt_json_str(h, "key_id"), who->key_id) ||
                     (who->role != NT_ROLE_KOL && nt_streq(nt_json_str(h, "org_id"), who->org_id)));
        if (!mine)
            nt_err_field(err, "webhook_id", "not_found", 0);
        else {
            /* The subscription must take notice.published (its events as stored, or as read back). */
            json_t *ev = json_object_get(h, "events");
            json_t *list = json_is_string(ev) ? json_loads(json_string_value(ev), 0, NULL) : json_incref(ev);
            bool takes = false;
            size_t k;
            json_t *x;
            json_array_foreach(list, k, x) takes = takes || nt_streq(json_string_value(x), "notice.published");
            json_decref(list);
            if (!takes)
                nt_err_field(err, "webhook_id", "not_subscribed", 0);
        }
        json_decref(h);
    }
    if (err->nfields > 0) {
        json_decref(provinces);
        json_decref(channels);
        return NT_EINVAL;
    }
    json_t *old = member_of(svc, who);
    char id[NT_ID_LEN];
    if (old != NULL)
        nt_strlcpy(id, nt_json_str(old, "id"), sizeof(id));
    else
        nt_id_new("nm_", id, sizeof(id));
    char *topics_s = json_dumps(json_object_get(in, "topics"), JSON_COMPACT), *prov_s = json_dumps(provinces, JSON_COMPACT),
         *chan_s = json_dumps(channels, JSON_COMPACT);
    nt_tx tx = {0};
    nt_row *row = old ? nt_tx_update(&tx, NT_T_network_members, id, COL(network_members, updated_at),
                                     nt_json_str(old, "updated_at"), "network_member", "network.change", 0)
                      : nt_tx_insert(&tx, NT_T_network_members, id, "network_member", "network.join", 0);
    if (old == NULL) {
        bool person = who->role == NT_ROLE_KOL;
        nt_row_str(row, COL(network_members, kind), person ? "person" : "org");
        nt_row_str(row, COL(network_members, person_id), person ? who->person_id : NULL);
        nt_row_str(row, COL(network_members, org_id), person ? NULL : who->org_id);
        nt_row_str(row, COL(network_members, created_at), w->at);
    }
    nt_row_str(row, COL(network_members, topics), topics_s);
    nt_row_str(row, COL(network_members, provinces), prov_s);
    nt_row_str(row, COL(network_members, channels), chan_s);
    nt_row_str(row, COL(network_members, webhook_id), hook_id);
    nt_row_str(row, COL(network_members, updated_at), w->at);
    tx.created = *created = old == NULL;
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    free(topics_s);
    free(prov_s);
    free(chan_s);
    json_decref(provinces);
    json_decref(channels);
    json_decref(old);
    if (rc == NT_ECONFLICT || rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "joined or changed meanwhile", "vừa tham gia hoặc vừa thay đổi");
    return rc != 0 ? rc : nt_svc_network_me(svc, who, out, err);
}

int nt_svc_network_me(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err)
{
    json_t *m = member_of(svc, who);
    if (m == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "not a member of the network: POST /v1/network/members",
                          "chưa tham gia mạng lưới: POST /v1/network/members");
    *out = member_view(m);
    return 0;
}

int nt_svc_network_leave(nt_svc *svc, nt_wctx *w, const nt_actor *who, json_t **out, nt_err *err)
{
    json_t *m = member_of(svc, who);
    if (m == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "not a member of the network", "chưa tham gia mạng lưới");
    const char *id = nt_json_str(m, "id");
    nt_tx tx = {0};
    nt_tx_delete(&tx, NT_T_network_members, id, "network_member", "network.leave");
    /* What reached them stays counted, no longer theirs. */
    json_t *rows = nt__svc_q(svc, NT_Q_member_acks, json_pack("[s]", id));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        nt_row_str(nt_tx_update(&tx, NT_T_notice_acks, nt_json_str(r, "id"), NT_COL_NONE, NULL, NULL, NULL, 0),
                   COL(notice_acks, member_id), NULL);
    json_decref(rows);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc == 0)
        *out = json_pack("{s:s, s:s, s:s}", "id", id, "state", "left", "left_at", w->at);
    json_decref(m);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "left meanwhile", "vừa rời mạng lưới");
    return rc;
}

int nt_svc_network_inbox(nt_svc *svc, const nt_actor *who, int limit, json_t **out, nt_err *err)
{
    json_t *m = member_of(svc, who);
    if (m == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "not a member of the network", "chưa tham gia mạng lưới");
    json_t *rows = nt__svc_q(svc, NT_Q_member_inbox, json_pack("[s, i]", nt_json_str(m, "id"), limit));
    json_decref(m);
    *out = json_pack("{s:o}", "items", rows ? rows : json_array());
    return 0;
}

static const char *const ack_states[] = {"received", "read", "shared", NULL};
static const nt_field ack_spec[] = {{"state", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0}, {"link", NT_FT_STR, NT_F_NULLABLE, 8, 2000, 0}};

int nt_svc_notice_ack(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(ack_spec), "", err) != 0)
        return NT_EINVAL;
    const char *state = nt_json_str(in, "state"), *link = nt_json_str(in, "link");
    if (!nt_str_one_of(state, ack_states))
        nt_err_field_one_of(err, "state", "invalid", ack_states);
    if (link != NULL && (strncmp(link, "https://", 8) != 0 && strncmp(link, "http://", 7) != 0))
        nt_err_field(err, "link", "invalid", 0);
    else if (link != NULL && !nt_streq(state, "shared"))
        nt_err_field(err, "link", "not_allowed", 0); /* a link is to what they shared */
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *m = member_of(svc, who);
    const char *mid = m ? nt_json_str(m, "id") : NULL;
    json_t *g = m ? nt__svc_q1(svc, NT_Q_notice_reaches_member, json_pack("[s, s]", id, mid)) : NULL;
    if (g == NULL) {
        json_decref(m);
        return nt_err_set(err, NT_ENOTFOUND, "notice %s did not reach you", "thông báo %s không được gửi tới bạn", id);
    }
    json_t *d = nt__svc_q1(svc, NT_Q_notice_ack_of, json_pack("[s, s]", id, mid));
    /* Each step implies the ones before it; a step taken already keeps its first time. */
    bool shared = nt_streq(state, "shared"), read = shared || nt_streq(state, "read");
    nt_tx tx = {0};
    /* A change row only, no audit: nothing records which member read what (NOTICES.md). The first
     * acknowledgement writes the member's row, in the group the notice counted it in. */
    nt_row *set;
    if (d == NULL) {
        char aid[NT_ID_LEN];
        nt_id_new("nak_", aid, sizeof(aid));
        set = nt_tx_insert(&tx, NT_T_notice_acks, aid, "notice_ack", NULL, 0);
        nt_row_str(set, COL(notice_acks, notice_id), id);
        nt_row_str(set, COL(notice_acks, member_id), mid);
        static const nt_col group[] = {COL(notice_acks, province), COL(notice_acks, topic), COL(notice_acks, channel),
                                       COL(notice_acks, queued_at)};
        static const char *const names[] = {"province", "topic", "channel", "queued_at"};
        for (size_t k = 0; k < 4; k++)
            nt_row_str(set, group[k], nt_json_str(g, names[k]));
    } else
        set = nt_tx_update(&tx, NT_T_notice_acks, nt_json_str(d, "id"), NT_COL_NONE, NULL, "notice_ack", NULL, 0);
    int n = 0;
    if (nt_json_str(d, "received_at") == NULL)
        nt_row_str(set, COL(notice_acks, received_at), w->at), n++;
    if (read && nt_json_str(d, "read_at") == NULL)
        nt_row_str(set, COL(notice_acks, read_at), w->at), n++;
    if (shared && nt_json_str(d, "shared_at") == NULL)
        nt_row_str(set, COL(notice_acks, shared_at), w->at), n++;
    if (shared && link != NULL)
        nt_row_str(set, COL(notice_acks, shared_link), link), n++;
    int rc = 0;
    if (n > 0)
        rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    json_decref(d);
    json_decref(g);
    d = rc == 0 ? nt__svc_q1(svc, NT_Q_notice_ack_of, json_pack("[s, s]", id, mid)) : NULL;
    json_decref(m);
    if (rc == NT_ESTALE || rc == NT_ECONFLICT) /* a first acknowledgement of theirs at the same time */
        return nt_err_set(err, NT_ECONFLICT, "acknowledged meanwhile: try again", "vừa được xác nhận: hãy thử lại");
    if (rc != 0)
        return rc;
    if (d == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "notice %s did not reach you", "thông báo %s không được gửi tới bạn", id);
    *out = json_pack("{s:s, s:O, s:O, s:O, s:O}", "notice_id", id, "received_at", json_object_get(d, "received_at"), "read_at",
                     json_object_get(d, "read_at"), "shared_at", json_object_get(d, "shared_at"), "shared_link",
                     json_object_get(d, "shared_link"));
    json_decref(d);
    return 0;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* A count as shown: the number, or "<5" for a group too small to show. */
static json_t *shown(json_int_t members, json_int_t n)
{
    return members < SUPPRESS ? json_string("<5") : json_integer(n);
}

int nt_svc_notice_reach(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *n = nt__svc_q1(svc, NT_Q_notice_get, json_pack("[s]", id));
    if (n == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no notice %s", "không có thông báo %s", id);
    bool may = nt_streq(nt_json_str(n, "issuer_org"), who->org_id) || who->role == NT_ROLE_REGULATOR;
    json_decref(n);
    if (!may)
        return nt_err_set(err, NT_EFORBIDDEN, "reach is for the notice's issuer",
                          "số liệu tiếp cận chỉ dành cho tổ chức phát hành");
    json_t *rows = nt__svc_q(svc, NT_Q_notice_reach, json_pack("[s]", id));
    json_t *groups = json_array();
    json_int_t total[4] = {0};
    size_t i;
    json_t *r;
    static const char *const counts[] = {"delivered", "received", "read", "shared"};
    json_array_foreach(rows, i, r)
    {
        json_int_t members = json_integer_value(json_object_get(r, "delivered"));
        json_t *g = json_pack("{s:O, s:O, s:O}", "province", json_object_get(r, "province"), "topic", json_object_get(r, "topic"),
                              "channel", json_object_get(r, "channel"));
        for (int k = 0; k < 4; k++) {
            json_int_t c = json_integer_value(json_object_get(r, counts[k]));
            total[k] += c;
            json_object_set_new(g, counts[k], shown(members, c));
        }
        json_array_append_new(groups, g);
    }
    json_decref(rows);
    /* The median time from delivery to reading, when enough have read for it to say nothing of anyone. */
    json_t *times = nt__svc_q(svc, NT_Q_notice_read_times, json_pack("[s]", id));
    size_t nt = json_array_size(times);
    json_t *median = json_null();
    if (nt >= SUPPRESS) {
        int64_t *d = nt_xcalloc(nt, sizeof(int64_t));
        json_array_foreach(times, i, r) d[i] = nt_json_time(r, "read_at") - nt_json_time(r, "queued_at");
        qsort(d, nt, sizeof(int64_t), cmp64);
        median = json_integer((json_int_t)(d[nt / 2] / 1000000));
        free(d);
    }
    json_decref(times);
    json_t *tot = json_object();
    for (int k = 0; k < 4; k++)
        json_object_set_new(tot, counts[k], shown(total[0], total[k]));
    *out = json_pack("{s:s, s:o, s:o, s:o, s:i}", "notice_id", id, "total", tot, "groups", groups, "median_seconds_to_read", median,
                     "suppressed_below", SUPPRESS);
    return 0;
}
