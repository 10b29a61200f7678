/* Organisations, API keys, persons and accounts. */
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "http/cache.h"
#include "http/handlers.h"
#include "service/keys.h"
#include "service/registry.h"
#include "service/users.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- organisations ---- */

enum MHD_Result nt_h_org_create(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_org_create(nt_req_svc(r), &w, r->json, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_created(r, 201, "/v1/orgs", o);
}

enum MHD_Result nt_h_org_list(nt_req *r)
{
    return nt_h_list(r, nt_svc_org_list);
}

enum MHD_Result nt_h_org_get(nt_req *r)
{
    return nt_h_get(r, nt_svc_org_get);
}

/* ---- keys ---- */

enum MHD_Result nt_h_key_create(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_key_create(nt_req_svc(r), &w, r->json, &o, &e);
    nt_resp_header(r, "Cache-Control", "no-store");
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_created(r, 201, "/v1/keys", o);
}

enum MHD_Result nt_h_key_list(nt_req *r)
{
    return nt_h_list(r, nt_svc_key_list);
}

enum MHD_Result nt_h_key_revoke(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_key_revoke(nt_req_svc(r), &w, r->params[0], &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}

/* ---- users of the web pages ---- */

enum MHD_Result nt_h_user_create(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_user_create(nt_req_svc(r), &w, r->json, &o, &e);
    nt_resp_header(r, "Cache-Control", "no-store");
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_created(r, 201, "/v1/users", o);
}

enum MHD_Result nt_h_user_list(nt_req *r)
{
    return nt_h_list(r, nt_svc_user_list);
}

enum MHD_Result nt_h_user_get(nt_req *r)
{
    return nt_h_get(r, nt_svc_user_get);
}

enum MHD_Result nt_h_user_disable(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_user_disable(nt_req_svc(r), &w, r->params[0], r->json, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}

enum MHD_Result nt_h_user_reset(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_user_reset(nt_req_svc(r), &w, r->params[0], &o, &e);
    nt_resp_header(r, "Cache-Control", "no-store");
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}

/* ---- persons ---- */

static void set_etag(nt_req *r, const json_t *person)
{
    char etag[32];
    snprintf(etag, sizeof(etag), "\"%lld\"", (long long)json_integer_value(json_object_get(person, "version")));
    nt_resp_header(r, "ETag", etag);
}

enum MHD_Result nt_h_person_create(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_person_create(nt_req_svc(r), &w, &r->actor, r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    set_etag(r, o);
    return nt_h_written(r, 201, "/v1/persons", o); /* the screening index answers for them at once */
}

enum MHD_Result nt_h_person_list(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    nt_err e;
    nt_err_clear(&e);
    json_t *out = NULL;
    const char *q = nt_uri_param(&r->uri, "q");
    if (q != NULL && nt_text_length(q) > 200) {
        nt_err_field(&e, "q", "too_long", 200);
        return nt_respond_problem(r, 400, "validation", &e);
    }
    int rc = nt_svc_person_search(nt_req_svc(r), q, nt_uri_param(&r->uri, "cursor"), limit, &out, &e);
    if (rc == 0) {
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(out, "items"), i, p) nt_svc_person_view(p, r->actor.role);
    }
    return nt_h_answer(r, rc, out, &e);
}

struct cached_reply {
    nt_req *r;
    enum MHD_Result ret;
};

static void reply_cached(void *arg, const char *body, size_t len, const char *etag)
{
    struct cached_reply *c = arg;
    nt_resp_header(c->r, "ETag", etag);
    c->ret = nt_req_not_modified(c->r, etag) ? nt_respond_bytes(c->r, 304, "application/json; charset=utf-8", "", 0, true)
                                             : nt_respond_bytes(c->r, 200, "application/json; charset=utf-8", body, len, true);
}

/* Served from the response cache; a miss reads the database and fills it. */
enum MHD_Result nt_h_person_get(nt_req *r)
{
    nt_cache *cache = r->env->cache;
    enum nt_cache_view view = r->actor.role == NT_ROLE_PUBLIC ? NT_VIEW_PUBLIC : NT_VIEW_FULL;
    struct cached_reply c = {r, MHD_NO};
    if (nt_cache_with(cache, r->params[0], view, reply_cached, &c))
        return c.ret;
    uint64_t gen = nt_cache_gen(cache);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_person_get(nt_req_svc(r), r->params[0], &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    char etag[32];
    snprintf(etag, sizeof(etag), "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version")));
    nt_svc_person_view(o, r->actor.role);
    char *body = nt__render_json(o, r->lang);
    if (body == NULL)
        return MHD_NO;
    size_t len = strlen(body);
    nt_cache_put(cache, r->params[0], view, body, len, etag, gen);
    nt_resp_header(r, "ETag", etag);
    if (nt_req_not_modified(r, etag)) {
        free(body);
        return nt_respond_bytes(r, 304, "application/json; charset=utf-8", "", 0, true);
    }
    return nt_respond_bytes(r, 200, "application/json; charset=utf-8", body, len, false);
}

/* If-Match: "N" (a weak W/"N" is not good enough for a write). */
static int parse_if_match(const char *h, int64_t *version)
{
    if (h == NULL)
        return -1;
    size_t n = strlen(h);
    if (n < 3 || h[0] != '"' || h[n - 1] != '"')
        return -2;
    char *end;
    long long v = strtoll(h + 1, &end, 10);
    if (end != h + n - 1 || v < 1)
        return -2;
    *version = v;
    return 0;
}

enum MHD_Result nt_h_person_update(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    int64_t version = 0;
    int pm = parse_if_match(nt_req_header(r, "If-Match"), &version);
    if (pm == -1) {
        nt_err_set(&e, NT_EINVAL, "send If-Match with the ETag you last read", "hãy gửi If-Match với ETag đã đọc gần nhất");
        return nt_respond_problem(r, 428, "precondition-required", &e);
    }
    if (pm == -2) {
        /* Not a version this server ever issued: it cannot match. */
        nt_err_set(&e, NT_ESTALE, "If-Match does not name a current version", "If-Match không khớp phiên bản hiện tại");
        return nt_respond_problem(r, 412, "precondition-failed", &e);
    }
    WCTX(r, w);
    json_t *o = NULL;
    int rc = nt_svc_person_update(nt_req_svc(r), &w, &r->actor, r->params[0], version, r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    set_etag(r, o);
    nt_svc_person_view(o, r->actor.role);
    return nt_h_written(r, 200, NULL, o);
}

enum MHD_Result nt_h_person_accounts(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_person_get(nt_req_svc(r), r->params[0], &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_svc_person_view(o, r->actor.role);
    json_t *items = json_incref(json_object_get(o, "accounts"));
    json_decref(o);
    return nt_respond_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- accounts ---- */

enum MHD_Result nt_h_account_link(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int created_new = 0;
    int rc = nt_svc_account_link(nt_req_svc(r), &w, &r->actor, r->json, &o, &created_new, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    char loc[256];
    snprintf(loc, sizeof(loc), "/v1/accounts/%s/%s", nt_json_str(o, "platform"), nt_json_str(o, "handle"));
    nt_resp_header(r, "Location", loc);
    return nt_h_written(r, created_new ? 201 : 200, NULL, o);
}

enum MHD_Result nt_h_account_get(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_account_get(nt_req_svc(r), r->params[0], r->params[1], &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_svc_person_view(json_object_get(o, "person"), r->actor.role);
    if (r->actor.role == NT_ROLE_PUBLIC) {
        json_object_del(o, "claimed_by");
        json_object_del(o, "platform_user_id");
    }
    return nt_respond_json(r, 200, o);
}

enum MHD_Result nt_h_account_unlink(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    char person_id[NT_ID_LEN];
    int rc = nt_svc_account_unlink(nt_req_svc(r), &w, &r->actor, r->params[0], r->params[1], person_id, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    /* The unlinking, with the log receipt when the link was an attested one. */
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "platform", r->params[0], "handle", r->params[1], "person_id", person_id,
                          "unlinked_at", w.at);
    return nt_h_written(r, 200, NULL, o);
}

static enum MHD_Result org_status(nt_req *r, bool suspend)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_org_status(nt_req_svc(r), &w, r->params[0], suspend, r->json, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_h_written(r, 200, NULL, o);
}

enum MHD_Result nt_h_org_suspend(nt_req *r)
{
    return org_status(r, true);
}

enum MHD_Result nt_h_org_reinstate(nt_req *r)
{
    return org_status(r, false);
}
