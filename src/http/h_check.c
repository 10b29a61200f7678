/* The check, the public restriction list and the mirrors' feeds. */
#include "core/schema.h"
#include "http/handlers.h"
#include "service/check.h"
#include "service/screen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A check's answer is about this instant: never cached. */
static enum MHD_Result check_answer(nt_req *r, int rc, const nt_err *e, char *body, size_t len)
{
    if (rc != 0)
        return nt_respond_error(r, rc, e);
    nt_resp_header(r, "Cache-Control", "no-store");
    return nt_respond_bytes(r, 200, "application/json; charset=utf-8", body, len, false);
}

enum MHD_Result nt_h_check(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    char *body = NULL;
    size_t len = 0;
    const nt_uri *u = &r->uri;
    int rc = nt_svc_check(nt_req_svc(r), nt_uri_param(u, "subject"), nt_uri_param(u, "scope"), nt_uri_param(u, "platform"),
                          nt_uri_param(u, "at"), nt_uri_param(u, "from"), nt_uri_param(u, "to"), &body, &len, &e);
    return check_answer(r, rc, &e, body, len);
}

/* A POST answered from memory as text: a batch check, a screening. */
static enum MHD_Result post_answer(nt_req *r, int (*fn)(nt_svc *, const json_t *, char **, size_t *, nt_err *))
{
    nt_err e;
    nt_err_clear(&e);
    char *body = NULL;
    size_t len = 0;
    int rc = fn(nt_req_svc(r), r->json, &body, &len, &e);
    return check_answer(r, rc, &e, body, len);
}

enum MHD_Result nt_h_check_batch(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    char *body = NULL;
    size_t len = 0;
    int rc = nt_svc_check_batch(nt_req_svc(r), r->json, r->lang, &body, &len, &e);
    return check_answer(r, rc, &e, body, len);
}

enum MHD_Result nt_h_screen(nt_req *r)
{
    return post_answer(r, nt_svc_screen);
}

enum MHD_Result nt_h_restrictions(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    int rc = nt_svc_restrictions_public(nt_req_svc(r), nt_uri_param(&r->uri, "q"), nt_uri_param(&r->uri, "cursor"), limit, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}

enum MHD_Result nt_h_snapshot(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_restrictions_snapshot(nt_req_svc(r), &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    /* The snapshot at a sequence never changes: its ETag is the sequence. */
    char etag[32];
    snprintf(etag, sizeof(etag), "\"%lld\"", (long long)json_integer_value(json_object_get(o, "seq")));
    nt_resp_header(r, "ETag", etag);
    const char *inm = nt_req_header(r, "If-None-Match");
    if (inm != NULL && strstr(inm, etag) != NULL) {
        json_decref(o);
        return nt_respond_bytes(r, 304, "application/json; charset=utf-8", "", 0, true);
    }
    return nt_respond_json(r, 200, o);
}

enum MHD_Result nt_h_changes(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    const char *since = nt_uri_param(&r->uri, "since");
    char *end = NULL;
    long long s = since ? strtoll(since, &end, 10) : 0;
    if (since == NULL || *since == '\0' || *end != '\0' || s < 0) {
        nt_err_field(&e, "since", since ? "invalid" : "required", 0);
        return nt_respond_problem(r, 400, "validation", &e);
    }
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    json_t *o = NULL;
    int rc = nt_svc_changes(nt_req_svc(r), &r->actor, s, limit, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}
