/* Advertisers and the advertising category rules. */
#include "http/handlers.h"
#include "service/ads.h"
#include "core/schema.h"
#include <stdio.h>

enum MHD_Result nt_h_advertiser_register(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_advertiser_register(nt_req_svc(r), &w, &r->actor, r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_respond_created(r, 201, "/v1/advertisers", o);
}

enum MHD_Result nt_h_advertiser_get(nt_req *r)
{
    return nt_h_get(r, nt_svc_advertiser_get);
}

enum MHD_Result nt_h_advertiser_list(nt_req *r)
{
    return nt_h_list(r, nt_svc_advertiser_list);
}

static enum MHD_Result status(nt_req *r, bool suspend)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_advertiser_status(nt_req_svc(r), &w, r->params[0], suspend, r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_h_written(r, 200, NULL, o);
}

enum MHD_Result nt_h_advertiser_suspend(nt_req *r)
{
    return status(r, true);
}

enum MHD_Result nt_h_advertiser_reinstate(nt_req *r)
{
    return status(r, false);
}

enum MHD_Result nt_h_ad_categories(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_ad_categories(&o, &e);
    return nt_h_answer(r, rc, o, &e);
}

enum MHD_Result nt_h_product_create(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_product_create(nt_req_svc(r), &w, &r->actor, r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_respond_created(r, 201, "/v1/products", o);
}

enum MHD_Result nt_h_product_list(nt_req *r)
{
    return nt_h_list(r, nt_svc_product_list);
}

enum MHD_Result nt_h_product_get(nt_req *r)
{
    return nt_h_get(r, nt_svc_product_get);
}

enum MHD_Result nt_h_product_recall(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_product_recall(nt_req_svc(r), &w, r->params[0], r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_h_written(r, 200, NULL, o); /* receipts of the recall's own entry (the ads' own follow) */
}

enum MHD_Result nt_h_product_checks(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_product_checks(nt_req_svc(r), r->params[0], nt_uri_param(&r->uri, "from"), nt_uri_param(&r->uri, "to"), &o, &e);
    return nt_h_answer(r, rc, o, &e);
}

enum MHD_Result nt_h_offer_create(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_offer_create(nt_req_svc(r), &w, &r->actor, r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_respond_created(r, 201, "/v1/offers", o);
}

enum MHD_Result nt_h_offer_list(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc =
        nt_svc_offer_list(nt_req_svc(r), &r->actor, nt_uri_param(&r->uri, "state"), nt_uri_param(&r->uri, "cursor"), limit, &o, &e);
    return nt_h_answer(r, rc, o, &e);
}

enum MHD_Result nt_h_offer_get(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_offer_get(nt_req_svc(r), &r->actor, r->params[0], &o, &e);
    return nt_h_answer(r, rc, o, &e);
}

/* An influencer's step on an offer: confirm, decline (with a body) or accept. */
static enum MHD_Result offer_step(nt_req *r, int step)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    nt_svc *svc = nt_req_svc(r);
    int rc = step == 0   ? nt_svc_offer_confirm(svc, &w, &r->actor, r->params[0], r->json, &o, &e)
             : step == 1 ? nt_svc_offer_decline(svc, &w, &r->actor, r->params[0], r->json, &o, &e)
                         : nt_svc_offer_accept(svc, &w, &r->actor, r->params[0], &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    if (step == 2) { /* the ad is found by its public code */
        char loc[64];
        snprintf(loc, sizeof(loc), "/v1/ads/%s", nt_json_str(o, "code"));
        nt_resp_header(r, "Location", loc);
        return nt_h_written(r, 201, NULL, o);
    }
    return nt_h_written(r, 200, NULL, o);
}

enum MHD_Result nt_h_offer_confirm(nt_req *r)
{
    return offer_step(r, 0);
}

enum MHD_Result nt_h_offer_decline(nt_req *r)
{
    return offer_step(r, 1);
}

enum MHD_Result nt_h_offer_accept(nt_req *r)
{
    return offer_step(r, 2);
}

enum MHD_Result nt_h_ad_get(nt_req *r)
{
    return nt_h_get(r, nt_svc_ad_get);
}

enum MHD_Result nt_h_ad_library(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    nt_ad_query q = {nt_uri_param(&r->uri, "influencer"), nt_uri_param(&r->uri, "advertiser"), nt_uri_param(&r->uri, "product"),
                     nt_uri_param(&r->uri, "category"),   nt_uri_param(&r->uri, "state"),      nt_uri_param(&r->uri, "from"),
                     nt_uri_param(&r->uri, "to"),         nt_uri_param(&r->uri, "cursor"),     limit};
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_ad_library(nt_req_svc(r), &q, &o, &e);
    return nt_h_answer(r, rc, o, &e);
}

enum MHD_Result nt_h_ad_verify(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    char *body = NULL;
    size_t len = 0;
    int rc = nt_svc_ad_verify(nt_req_svc(r), r->params[0], nt_uri_param(&r->uri, "handle"), nt_uri_param(&r->uri, "at"), &body,
                              &len, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_respond_bytes(r, 200, "application/json; charset=utf-8", body, len, false);
}

enum MHD_Result nt_h_document_file_put(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_document_file_put(nt_req_svc(r), &w, &r->actor, r->params[0], r->params[1],
                                      nt_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE), r->body ? r->body : "", r->body_len, &o, &e);
    return nt_h_answer(r, rc, o, &e);
}

enum MHD_Result nt_h_document_file_get(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    char *data = NULL, type[64];
    size_t len = 0;
    int rc = nt_svc_document_file_get(nt_req_svc(r), r->params[0], r->params[1], &data, &len, type, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_respond_bytes(r, 200, type, data, len, false);
}

enum MHD_Result nt_h_offer_withdraw(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_offer_withdraw(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

enum MHD_Result nt_h_product_document_add(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 201, "/v1/products", nt_svc_product_document_add(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

enum MHD_Result nt_h_product_recall_lift(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_product_recall_lift(nt_req_svc(r), &w, r->params[0], r->json, &o, &e));
}
