/* Webhook subscriptions and their deliveries. */
#include "core/util.h"
#include "http/handlers.h"
#include "service/webhooks.h"
#include <stdio.h>

enum MHD_Result nt_h_webhook_create(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_webhook_create(nt_req_svc(r), &w, &r->actor, r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_resp_header(r, "Cache-Control", "no-store");
    return nt_respond_created(r, 201, "/v1/webhooks", o);
}

enum MHD_Result nt_h_webhook_list(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_webhook_list(nt_req_svc(r), &r->actor, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}

enum MHD_Result nt_h_webhook_delete(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_webhook_delete(nt_req_svc(r), &w, &r->actor, r->params[0], &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_bytes(r, 204, "application/json; charset=utf-8", "", 0, true);
}

enum MHD_Result nt_h_webhook_deliveries(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    json_t *o = NULL;
    int rc = nt_svc_webhook_deliveries(nt_req_svc(r), &r->actor, r->params[0], limit, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}
