/* The public record as open data; see opendata.h. The record is read once through the public
 * services (a decision as the public sees it, a restriction as the public list shows it), so that
 * no export can show more than the API shows anyone, and a delisting leaves all of them alike. */
#include "service/opendata.h"
#include "core/alloc.h"
#include "core/jbuf.h"
#include "core/sanction.h"
#include "core/schema.h"
#include "core/util.h"
#include "service/decisions.h"
#include "service/query.h"
#include "service/registry.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE         200
#define DELISTED_MAX 200 /* delistings the feed keeps */

static const nt_actor public_actor = {.role = NT_ROLE_PUBLIC};

void nt_open_record_free(nt_open_record *rec)
{
    json_decref(rec->decisions);
    json_decref(rec->restrictions);
    json_decref(rec->delisted);
    memset(rec, 0, sizeof(*rec));
}

/* The person a published decision names: id, name, accounts (platform and handle). */
static json_t *person_of(nt_svc *svc, const char *id, json_t *cache)
{
    json_t *p = json_object_get(cache, id);
    if (p != NULL)
        return json_incref(p);
    json_t *full = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (nt_svc_person_get(svc, id, &full, &e) != 0)
        return json_pack("{s:s, s:n, s:[]}", "id", id, "name", "accounts");
    json_t *accounts = json_array(), *a;
    size_t i;
    json_array_foreach(json_object_get(full, "accounts"), i, a) json_array_append_new(
        accounts, json_pack("{s:s?, s:s?}", "platform", nt_json_str(a, "platform"), "handle", nt_json_str(a, "handle")));
    p = json_pack("{s:s, s:s?, s:o}", "id", id, "name", nt_json_str(full, "legal_name"), "accounts", accounts);
    json_decref(full);
    json_object_set(cache, id, p);
    return p;
}

int nt_svc_open_record(nt_svc *svc, nt_open_record *rec, nt_err *err)
{
    memset(rec, 0, sizeof(*rec));
    nt_time_utc(nt_now_us(), rec->as_of);
    rec->decisions = json_array();
    rec->restrictions = json_array();
    json_t *people = json_object();
    char cursor[128] = "";
    int rc = 0;
    do { /* published decisions, as the public lists and sees them */
        json_t *page = NULL, *d;
        rc = nt_svc_decision_list(svc, &public_actor, NULL, NULL, "true", NULL, NULL, cursor[0] ? cursor : NULL, PAGE, &page, err);
        if (rc != 0)
            break;
        size_t i;
        json_array_foreach(json_object_get(page, "items"), i, d)
        {
            json_t *full = NULL;
            nt_err e;
            nt_err_clear(&e);
            if (nt_svc_decision_get(svc, &public_actor, nt_json_str(d, "id"), &full, &e) != 0)
                continue; /* delisted meanwhile */
            json_object_set_new(full, "person", person_of(svc, nt_json_str(full, "person_id"), people));
            json_array_append_new(rec->decisions, full);
        }
        const char *next = nt_json_str(page, "next_cursor");
        nt_strlcpy(cursor, next ? next : "", sizeof(cursor));
        json_decref(page);
    } while (cursor[0]);
    /* Restrictions in force now, of those decisions: what the public list shows (check.c), read
     * here from the decisions so that a command needs no index in memory. */
    size_t i;
    json_t *d;
    json_array_foreach(rec->decisions, i, d)
    {
        size_t k;
        json_t *sn;
        json_array_foreach(json_object_get(d, "sanctions"), k, sn)
        {
            const char *type = nt_json_str(sn, "type"), *state = nt_json_str(sn, "state");
            if (!nt_sanction_restricts((nt_sanction_type)nt_sanction_type_parse(type)) ||
                !(nt_streq(state, "active") || nt_streq(state, "reinstated")))
                continue;
            char url[96];
            snprintf(url, sizeof(url), "/v1/decisions/%s", nt_json_str(d, "id"));
            json_array_append_new(
                rec->restrictions,
                json_pack("{s:O, s:O, s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:O, s:s}", "decision_number",
                          json_object_get(d, "number"), "authority", json_object_get(d, "authority"), "type", type, "scopes",
                          json_object_get(sn, "scopes"), "platforms", json_object_get(sn, "platforms"), "start_at",
                          json_object_get(sn, "start_at"), "end_at", json_object_get(sn, "end_at"), "lifted_at",
                          json_object_get(sn, "lifted_at"), "suspended_from", json_object_get(sn, "suspended_from"),
                          "suspended_until", json_object_get(sn, "suspended_until"), "person_id", json_object_get(d, "person_id"),
                          "state", state, "name", json_object_get(json_object_get(d, "person"), "name"), "decision_id",
                          json_object_get(d, "id"), "decision_url", url));
        }
    }
    json_decref(people);
    if (rc == 0) {
        rec->delisted = nt__svc_q(svc, NT_Q_decisions_delisted, json_pack("[i]", DELISTED_MAX));
        if (rec->delisted == NULL)
            rc = nt_err_set(err, NT_EIO, "cannot read the delistings", "không đọc được các quyết định đã rút");
    }
    if (rc != 0)
        nt_open_record_free(rec);
    return rc;
}

void nt_od_etag(const char *data, size_t len, char out[40])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data, len);
    char hex[65];
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    snprintf(out, 40, "\"%.32s\"", hex);
}

/* ---- shared pieces ---- */

static void decision_url(const nt_svc *svc, const json_t *d, char *out, size_t cap)
{
    snprintf(out, cap, "%s/v1/decisions/%s", svc->public_url, nt_json_str(d, "id"));
}

/* A stored or shown time as shown (Vietnam), or as a date (its first 10 characters). */
static void shown(const char *t, char out[NT_TIME_LEN], bool date)
{
    nt_time_show(t, out);
    if (date && strlen(out) > 10)
        out[10] = '\0';
}

/* "Nghị định 38/2021/NĐ-CP, Điều 51, Khoản 3; …" */
static void bases_text(const json_t *d, char *out, size_t cap)
{
    out[0] = '\0';
    size_t i, n = 0;
    json_t *b;
    json_array_foreach(json_object_get(d, "legal_bases"), i, b)
    {
        const char *clause = nt_json_str(b, "clause");
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s, %s%s%s", i ? "; " : "", nt_json_str(b, "instrument"),
                              nt_json_str(b, "article"), clause ? ", " : "", clause ? clause : "");
        if (n >= cap)
            break;
    }
}

/* "appearance_restriction (livestream, advertising)" */
static void sanction_text(const json_t *s, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "%s", nt_json_str(s, "type"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(s, "scopes"), i, v) n +=
        (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", i ? ", " : " (", json_string_value(v));
    if (json_array_size(json_object_get(s, "scopes")) > 0 && n < cap)
        snprintf(out + n, cap - n, ")");
    json_t *amount = json_object_get(s, "amount_vnd");
    if (json_is_integer(amount) && strlen(out) + 32 < cap)
        snprintf(out + strlen(out), cap - strlen(out), " %lld VND", (long long)json_integer_value(amount));
}

/* ---- CSV (RFC 4180) ---- */

static void csv_time(nt_jbuf *b, const char *t, bool last)
{
    char s[NT_TIME_LEN];
    shown(t, s, false);
    nt_jb_csv(b, t ? s : "", last);
}

char *nt_od_decisions_csv(const nt_svc *svc, const nt_open_record *rec, size_t *len)
{
    nt_jbuf b;
    nt_jb_init(&b, 4096);
    nt_jb_lit(&b, "\xEF\xBB\xBF"
                  "decision_id,number,issued_at,authority,person_id,person_name,outcome,category,ground,legal_bases,"
                  "sanctions,appeal_deadline,url\r\n");
    size_t i;
    json_t *d;
    json_array_foreach(rec->decisions, i, d)
    {
        char bases[2048], sanctions[2048] = "", one[256];
        bases_text(d, bases, sizeof(bases));
        size_t k, n = 0;
        json_t *s;
        json_array_foreach(json_object_get(d, "sanctions"), k, s)
        {
            sanction_text(s, one, sizeof(one));
            n += (size_t)snprintf(sanctions + n, n < sizeof(sanctions) ? sizeof(sanctions) - n : 0, "%s%s", k ? "; " : "", one);
        }
        char url[600];
        decision_url(svc, d, url, sizeof(url));
        nt_jb_csv(&b, nt_json_str(d, "id"), false);
        nt_jb_csv(&b, nt_json_str(d, "number"), false);
        csv_time(&b, nt_json_str(d, "issued_at"), false);
        nt_jb_csv(&b, nt_json_str(d, "authority"), false);
        nt_jb_csv(&b, nt_json_str(d, "person_id"), false);
        nt_jb_csv(&b, nt_json_str(json_object_get(d, "person"), "name"), false);
        nt_jb_csv(&b, nt_json_str(d, "outcome"), false);
        nt_jb_csv(&b, nt_json_str(d, "category"), false);
        nt_jb_csv(&b, nt_json_str(d, "ground"), false);
        nt_jb_csv(&b, bases, false);
        nt_jb_csv(&b, sanctions, false);
        csv_time(&b, nt_json_str(json_object_get(d, "appeal"), "deadline"), false);
        nt_jb_csv(&b, url, true);
    }
    return nt_jb_take(&b, len);
}

char *nt_od_restrictions_csv(const nt_svc *svc, const nt_open_record *rec, size_t *len)
{
    nt_jbuf b;
    nt_jb_init(&b, 4096);
    nt_jb_lit(&b, "\xEF\xBB\xBF"
                  "person_id,person_name,type,scopes,platforms,start_at,end_at,state,decision_number,authority,decision_url\r\n");
    size_t i;
    json_t *r;
    json_array_foreach(rec->restrictions, i, r)
    {
        char scopes[256] = "", platforms[256] = "";
        const char *names[] = {"scopes", "platforms"};
        char *outs[] = {scopes, platforms};
        for (int f = 0; f < 2; f++) {
            size_t k, n = 0;
            json_t *v;
            json_array_foreach(json_object_get(r, names[f]), k, v) n +=
                (size_t)snprintf(outs[f] + n, n < 256 ? 256 - n : 0, "%s%s", k ? " " : "", json_string_value(v));
        }
        nt_jb_csv(&b, nt_json_str(r, "person_id"), false);
        nt_jb_csv(&b, nt_json_str(r, "name"), false);
        nt_jb_csv(&b, nt_json_str(r, "type"), false);
        nt_jb_csv(&b, scopes, false);
        nt_jb_csv(&b, platforms, false);
        csv_time(&b, nt_json_str(r, "start_at"), false);
        csv_time(&b, nt_json_str(r, "end_at"), false);
        nt_jb_csv(&b, nt_json_str(r, "state"), false);
        nt_jb_csv(&b, nt_json_str(r, "decision_number"), false);
        nt_jb_csv(&b, nt_json_str(r, "authority"), false);
        char url[600];
        snprintf(url, sizeof(url), "%s%s", svc->public_url, nt_json_str(r, "decision_url") ? nt_json_str(r, "decision_url") : "");
        nt_jb_csv(&b, nt_json_str(r, "decision_url") ? url : "", true);
    }
    return nt_jb_take(&b, len);
}

/* ---- statements of reasons (EU DSA Transparency Database) ---- */

static const char *const category_map[][3] = {
    {"false_advertising", "STATEMENT_CATEGORY_CONSUMER_INFORMATION", "KEYWORD_MISLEADING_INFO_GOODS_SERVICES"},
    {"undisclosed_advertising", "STATEMENT_CATEGORY_CONSUMER_INFORMATION", "KEYWORD_HIDDEN_ADVERTISEMENT"},
    {"counterfeit_or_substandard_goods", "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "KEYWORD_UNSAFE_PRODUCTS"},
    {"misinformation", "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
     "KEYWORD_MISINFORMATION_DISINFORMATION"},
    {"fraud_or_scam", "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", NULL},
    {"privacy", "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", NULL},
    {"offensive_content", "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", NULL},
};

static const char *const source_map[][2] = {
    {"user_report", "SOURCE_ARTICLE_16"},
    {"platform", "SOURCE_TRUSTED_FLAGGER"},
    {"authority", "SOURCE_TYPE_OTHER_NOTIFICATION"},
    {"own_initiative", "SOURCE_VOLUNTARY"},
};

/* Appends text to a "…_other" field, "; "-separated. */
static void append_text(json_t *o, const char *field, const char *text)
{
    const char *was = nt_json_str(o, field);
    char buf[1024];
    snprintf(buf, sizeof(buf), "%s%s%s", was ? was : "", was ? "; " : "", text);
    json_object_set_new(o, field, json_string(buf));
}

/* The statement of a published decision with sanctions; NULL for one without. */
static json_t *statement(const nt_svc *svc, const json_t *d)
{
    json_t *sanctions = json_object_get(d, "sanctions");
    if (json_array_size(sanctions) == 0)
        return NULL;
    json_t *o = json_object();
    char t[NT_TIME_LEN], text[512], url[600];
    bool law = nt_streq(nt_json_str(d, "ground"), "law");
    size_t i;
    json_t *s;
    json_t *visibility = json_array();
    json_array_foreach(sanctions, i, s)
    {
        const char *type = nt_json_str(s, "type");
        char end[NT_TIME_LEN] = "";
        if (nt_json_str(s, "end_at") != NULL)
            shown(nt_json_str(s, "end_at"), end, true);
        sanction_text(s, text, sizeof(text));
        if (nt_streq(type, "advertising_ban")) {
            json_object_set_new(o, "decision_monetary", json_string("DECISION_MONETARY_OTHER"));
            append_text(o, "decision_monetary_other", text);
            if (end[0])
                json_object_set_new(o, "end_date_monetary_restriction", json_string(end));
        } else if (nt_streq(type, "account_action_request")) {
            json_object_set_new(o, "decision_account", json_string("DECISION_ACCOUNT_SUSPENDED"));
            if (end[0])
                json_object_set_new(o, "end_date_account_restriction", json_string(end));
        } else if (nt_streq(type, "certificate_revocation")) {
            json_object_set_new(o, "decision_provision", json_string("DECISION_PROVISION_PARTIAL_TERMINATION"));
        } else { /* appearance restrictions, warnings, fines, remedies: "other" restrictions, said in words */
            if (json_array_size(visibility) == 0)
                json_array_append_new(visibility, json_string("DECISION_VISIBILITY_OTHER"));
            append_text(o, "decision_visibility_other", text);
            if (end[0] && nt_streq(type, "appearance_restriction"))
                json_object_set_new(o, "end_date_visibility_restriction", json_string(end));
        }
    }
    json_object_set_new(o, "decision_visibility", visibility);
    json_object_set_new(o, "decision_ground",
                        json_string(law ? "DECISION_GROUND_ILLEGAL_CONTENT" : "DECISION_GROUND_INCOMPATIBLE_CONTENT"));
    decision_url(svc, d, url, sizeof(url));
    json_object_set_new(o, "decision_ground_reference_url", json_string(url));
    char bases[2048];
    bases_text(d, bases, sizeof(bases));
    const char *facts = nt_json_str(d, "facts") ? nt_json_str(d, "facts") : "";
    json_object_set_new(o, law ? "illegal_content_legal_ground" : "incompatible_content_ground", json_string(bases));
    json_object_set_new(o, law ? "illegal_content_explanation" : "incompatible_content_explanation", json_string(facts));
    if (!law)
        json_object_set_new(o, "incompatible_content_illegal", json_string("No"));
    const char *cat = nt_json_str(d, "category"), *statement_cat = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC", *keyword = NULL;
    for (size_t k = 0; k < sizeof(category_map) / sizeof(category_map[0]); k++)
        if (nt_streq(cat, category_map[k][0])) {
            statement_cat = category_map[k][1];
            keyword = category_map[k][2];
        }
    json_object_set_new(o, "category", json_string(statement_cat));
    if (keyword != NULL)
        json_object_set_new(o, "category_specification", json_pack("[s]", keyword));
    json_object_set_new(o, "content_type", json_pack("[s]", "CONTENT_TYPE_OTHER"));
    json_object_set_new(o, "content_type_other", json_string("a person's appearances, performances and advertising"));
    shown(nt_json_str(d, "issued_at"), t, true);
    json_object_set_new(o, "application_date", json_string(t));
    json_object_set_new(o, "content_date", json_string(t));
    const char *territory = nt_json_str(json_array_get(sanctions, 0), "territory");
    json_object_set_new(o, "territorial_scope", json_pack("[s]", territory ? territory : "VN"));
    json_object_set_new(o, "decision_facts", json_string(facts));
    const char *source = "SOURCE_VOLUNTARY";
    for (size_t k = 0; k < sizeof(source_map) / sizeof(source_map[0]); k++)
        if (nt_streq(nt_json_str(d, "detection_source"), source_map[k][0]))
            source = source_map[k][1];
    json_object_set_new(o, "source_type", json_string(source));
    json_object_set_new(o, "automated_detection",
                        json_string(json_is_true(json_object_get(d, "automated_detection")) ? "Yes" : "No"));
    json_object_set_new(o, "automated_decision", json_string("AUTOMATED_DECISION_NOT_AUTOMATED"));
    json_object_set_new(o, "platform_name", json_string(nt_json_str(d, "authority")));
    json_object_set_new(o, "platform_uid", json_string(nt_json_str(d, "number")));
    json_object_set_new(o, "puid", json_string(nt_json_str(d, "id")));
    json_object_set_new(o, "url", json_string(url));
    shown(nt_json_str(d, "issued_at"), t, false);
    json_object_set_new(o, "created_at", json_string(t));
    return o;
}

char *nt_od_statements(const nt_svc *svc, const nt_open_record *rec, size_t *len)
{
    json_t *list = json_array(), *d;
    size_t i;
    json_array_foreach(rec->decisions, i, d)
    {
        json_t *s = statement(svc, d);
        if (s != NULL)
            json_array_append_new(list, s);
    }
    json_t *o = json_pack("{s:o}", "statements", list);
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    *len = text ? strlen(text) : 0;
    return text;
}

/* ---- FollowTheMoney ---- */

static void ftm_line(nt_jbuf *b, json_t *entity)
{
    char *line = json_dumps(entity, JSON_COMPACT);
    if (line != NULL) {
        nt_jb_lit(b, line);
        nt_jb_lit(b, "\n");
    }
    free(line);
    json_decref(entity);
}

char *nt_od_ftm(const nt_svc *svc, const nt_open_record *rec, size_t *len)
{
    nt_jbuf b;
    nt_jb_init(&b, 4096);
    json_t *seen = json_object(), *d;
    size_t i;
    json_array_foreach(rec->decisions, i, d)
    {
        const json_t *p = json_object_get(d, "person");
        char pid[96], url[600], date[NT_TIME_LEN];
        snprintf(pid, sizeof(pid), "niemtin-person-%s", nt_json_str(p, "id"));
        decision_url(svc, d, url, sizeof(url));
        if (json_object_get(seen, pid) == NULL) {
            json_object_set_new(seen, pid, json_true());
            ftm_line(&b, json_pack("{s:s, s:s, s:{s:[s?], s:[s], s:[s]}, s:[s], s:b}", "id", pid, "schema", "Person", "properties",
                                   "name", nt_json_str(p, "name"), "country", "vn", "topics", "sanction", "datasets", "niemtin",
                                   "target", 1));
            size_t k;
            json_t *a;
            json_array_foreach(json_object_get(p, "accounts"), k, a)
            {
                char aid[192];
                snprintf(aid, sizeof(aid), "niemtin-account-%s-%s", nt_json_str(a, "platform"), nt_json_str(a, "handle"));
                ftm_line(&b, json_pack("{s:s, s:s, s:{s:[s], s:[s?], s:[s?]}, s:[s]}", "id", aid, "schema", "UserAccount",
                                       "properties", "owner", pid, "service", nt_json_str(a, "platform"), "username",
                                       nt_json_str(a, "handle"), "datasets", "niemtin"));
            }
        }
        char bases[2048];
        bases_text(d, bases, sizeof(bases));
        shown(nt_json_str(d, "issued_at"), date, true);
        size_t k;
        json_t *s;
        json_array_foreach(json_object_get(d, "sanctions"), k, s)
        {
            char sid[96], text[512], start[NT_TIME_LEN], end[NT_TIME_LEN] = "";
            snprintf(sid, sizeof(sid), "niemtin-sanction-%s", nt_json_str(s, "id"));
            sanction_text(s, text, sizeof(text));
            shown(nt_json_str(s, "start_at"), start, true);
            if (nt_json_str(s, "end_at") != NULL)
                shown(nt_json_str(s, "end_at"), end, true);
            json_t *props = json_pack("{s:[s], s:[s?], s:[s?], s:[s], s:[s?], s:[s], s:[s], s:[s], s:[s], s:[s], s:[s?]}", "entity",
                                      pid, "authority", nt_json_str(d, "authority"), "authorityId", nt_json_str(d, "number"),
                                      "program", text, "reason", nt_json_str(d, "facts"), "provisions", bases, "startDate", start,
                                      "listingDate", date, "sourceUrl", url, "country", "vn", "status", nt_json_str(s, "state"));
            if (end[0])
                json_object_set_new(props, "endDate", json_pack("[s]", end));
            ftm_line(&b, json_pack("{s:s, s:s, s:o, s:[s]}", "id", sid, "schema", "Sanction", "properties", props, "datasets",
                                   "niemtin"));
        }
    }
    json_decref(seen);
    return nt_jb_take(&b, len);
}

/* ---- Atom ---- */

static void xml_el(nt_jbuf *b, const char *name, const char *text)
{
    nt_jb_lit(b, "<");
    nt_jb_lit(b, name);
    nt_jb_lit(b, ">");
    nt_jb_xml(b, text ? text : "");
    nt_jb_lit(b, "</");
    nt_jb_lit(b, name);
    nt_jb_lit(b, ">");
}

struct feed_entry {
    const json_t *d; /* a published decision, or */
    const json_t *delisted;
    char at[NT_TIME_LEN]; /* shown; entries sorted newest first by it (the same offset throughout) */
};

static int newest_first(const void *a, const void *b)
{
    return strcmp(((const struct feed_entry *)b)->at, ((const struct feed_entry *)a)->at);
}

char *nt_od_atom(const nt_svc *svc, const nt_open_record *rec, size_t *len)
{
    size_t nd = json_array_size(rec->decisions), nl = json_array_size(rec->delisted), n = 0;
    struct feed_entry *e = nt_xcalloc(nd + nl + 1, sizeof(*e));
    for (size_t i = 0; i < nd; i++, n++) {
        e[n].d = json_array_get(rec->decisions, i);
        shown(nt_json_str(e[n].d, "issued_at"), e[n].at, false);
    }
    for (size_t i = 0; i < nl; i++, n++) {
        e[n].delisted = json_array_get(rec->delisted, i);
        shown(nt_json_str(e[n].delisted, "delist_at"), e[n].at, false);
    }
    qsort(e, n, sizeof(*e), newest_first);
    nt_jbuf b;
    nt_jb_init(&b, 4096);
    char self[600], url[600];
    snprintf(self, sizeof(self), "%s/v1/feeds/decisions.atom", svc->public_url);
    nt_jb_lit(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">");
    xml_el(&b, "id", self);
    nt_jb_lit(&b, "<title type=\"text\">Quyết định được công bố — niemtin</title>"
                  "<subtitle type=\"text\">Published decisions and their withdrawals from publication</subtitle>");
    xml_el(&b, "updated", n > 0 ? e[0].at : "2026-01-01T00:00:00.000+07:00");
    nt_jb_lit(&b, "<link rel=\"self\" href=\"");
    nt_jb_xml(&b, self);
    nt_jb_lit(&b, "\"/><author><name>niemtin</name></author>");
    for (size_t i = 0; i < n; i++) {
        if (e[i].d != NULL) {
            const json_t *d = e[i].d;
            decision_url(svc, d, url, sizeof(url));
            nt_jb_lit(&b, "<entry><id>urn:niemtin:decision:");
            nt_jb_xml(&b, nt_json_str(d, "id"));
            nt_jb_lit(&b, "</id><title type=\"text\">Quyết định ");
            nt_jb_xml(&b, nt_json_str(d, "number"));
            nt_jb_lit(&b, " — ");
            nt_jb_xml(&b, nt_json_str(json_object_get(d, "person"), "name"));
            nt_jb_lit(&b, "</title>");
            xml_el(&b, "published", e[i].at);
            xml_el(&b, "updated", e[i].at);
            nt_jb_lit(&b, "<link rel=\"alternate\" type=\"application/json\" href=\"");
            nt_jb_xml(&b, url);
            nt_jb_lit(&b, "\"/><author><name>");
            nt_jb_xml(&b, nt_json_str(d, "authority"));
            nt_jb_lit(&b, "</name></author><category term=\"decision.published\"/><category term=\"");
            nt_jb_xml(&b, nt_json_str(d, "category"));
            nt_jb_lit(&b, "\"/><summary type=\"text\">");
            char bases[2048], text[512];
            bases_text(d, bases, sizeof(bases));
            nt_jb_xml(&b, bases);
            size_t k;
            json_t *s;
            json_array_foreach(json_object_get(d, "sanctions"), k, s)
            {
                sanction_text(s, text, sizeof(text));
                nt_jb_lit(&b, k ? "; " : " — ");
                nt_jb_xml(&b, text);
            }
            nt_jb_lit(&b, "</summary></entry>");
        } else { /* a withdrawal says which decision and why, never whom */
            const json_t *d = e[i].delisted;
            nt_jb_lit(&b, "<entry><id>urn:niemtin:decision-delisted:");
            nt_jb_xml(&b, nt_json_str(d, "id"));
            nt_jb_lit(&b, "</id><title type=\"text\">Rút công bố quyết định ");
            nt_jb_xml(&b, nt_json_str(d, "number"));
            nt_jb_lit(&b, "</title>");
            xml_el(&b, "published", e[i].at);
            xml_el(&b, "updated", e[i].at);
            nt_jb_lit(&b, "<category term=\"decision.delisted\"/><summary type=\"text\">");
            nt_jb_xml(&b, nt_json_str(d, "delist_legal_basis"));
            nt_jb_lit(&b, " — ");
            nt_jb_xml(&b, nt_json_str(d, "delist_reason"));
            nt_jb_lit(&b, "</summary></entry>");
        }
    }
    nt_jb_lit(&b, "</feed>\n");
    free(e);
    return nt_jb_take(&b, len);
}
