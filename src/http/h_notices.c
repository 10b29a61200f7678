/* Verified notices, their forms and feeds, and the trusted network. */
#include "http/handlers.h"
#include "service/feeds.h"
#include "service/notices.h"
#include <stdlib.h>
#include <string.h>

#define Q(name) nt_uri_param(&r->uri, name)

enum MHD_Result nt_h_notice_create(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 201, "/v1/notices", nt_svc_notice_create(nt_req_svc(r), &w, &r->actor, r->json, &o, &e));
}

enum MHD_Result nt_h_notice_amend(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_notice_amend(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

enum MHD_Result nt_h_notice_withdraw(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_notice_withdraw(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

enum MHD_Result nt_h_notice_get(nt_req *r)
{
    return nt_h_get(r, nt_svc_notice_get);
}

enum MHD_Result nt_h_notice_versions(nt_req *r)
{
    return nt_h_get(r, nt_svc_notice_versions);
}

enum MHD_Result nt_h_notice_list(nt_req *r)
{
    enum MHD_Result ret;
    nt_notice_query q = {
        .state = Q("state"), .kind = Q("kind"), .topic = Q("topic"), .province = Q("province"), .cursor = Q("cursor")};
    if (!nt_req_limit_or_fail(r, &q.limit, &ret))
        return ret;
    ANSWERED(r, nt_svc_notice_list(nt_req_svc(r), &q, &o, &e));
}

enum MHD_Result nt_h_notice_claimreview(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_notice_claimreview(nt_req_svc(r), r->params[0], &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    /* JSON-LD as written: no times or languages re-rendered. */
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    enum MHD_Result ret = nt_respond_bytes(r, 200, "application/ld+json; charset=utf-8", s, strlen(s), true);
    free(s);
    return ret;
}

enum MHD_Result nt_h_notice_cap(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    char *xml = NULL;
    size_t len = 0;
    int rc = nt_svc_notice_cap(nt_req_svc(r), r->params[0], &xml, &len, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    enum MHD_Result ret = nt_respond_bytes(r, 200, "application/cap+xml; charset=utf-8", xml, len, true);
    free(xml);
    return ret;
}

static void release_feed(void *arg)
{
    nt_svc_feed_release(arg);
}

/* A feed from memory: the cached bytes themselves, held until they are sent. */
static enum MHD_Result feed(nt_req *r, const char *format, const char *ctype)
{
    nt_err e;
    nt_err_clear(&e);
    nt_feed_body *b = NULL;
    int rc = nt_svc_notice_feed(nt_req_svc(r), format, Q("topic"), Q("province"), &b, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_resp_header(r, "ETag", b->etag);
    nt_resp_header(r, "Cache-Control", "public, max-age=60");
    if (nt_req_not_modified(r, b->etag)) {
        nt_svc_feed_release(b);
        return nt_respond_bytes(r, 304, ctype, "", 0, true);
    }
    return nt_respond_shared(r, 200, ctype, b->data, b->len, release_feed, b);
}

enum MHD_Result nt_h_feed_atom(nt_req *r)
{
    return feed(r, "atom", "application/atom+xml; charset=utf-8");
}

enum MHD_Result nt_h_feed_json(nt_req *r)
{
    return feed(r, "json", "application/feed+json; charset=utf-8");
}

enum MHD_Result nt_h_notice_topics(nt_req *r)
{
    ANSWERED(r, nt_svc_notice_topics(&o, &e));
}

enum MHD_Result nt_h_provinces(nt_req *r)
{
    ANSWERED(r, nt_svc_provinces(&o, &e));
}

enum MHD_Result nt_h_network_join(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    bool created = false;
    int rc = nt_svc_network_join(nt_req_svc(r), &w, &r->actor, r->json, &o, &created, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_h_written(r, created ? 201 : 200, NULL, o);
}

enum MHD_Result nt_h_network_me(nt_req *r)
{
    ANSWERED(r, nt_svc_network_me(nt_req_svc(r), &r->actor, &o, &e));
}

enum MHD_Result nt_h_network_leave(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_network_leave(nt_req_svc(r), &w, &r->actor, &o, &e));
}

enum MHD_Result nt_h_network_inbox(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    ANSWERED(r, nt_svc_network_inbox(nt_req_svc(r), &r->actor, limit, &o, &e));
}

enum MHD_Result nt_h_notice_ack(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_notice_ack(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

enum MHD_Result nt_h_notice_reach(nt_req *r)
{
    ANSWERED(r, nt_svc_notice_reach(nt_req_svc(r), &r->actor, r->params[0], &o, &e));
}
