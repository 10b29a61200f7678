/* The trust programme: standards, members, training and quiz, applications, certificates, their
 * credentials, badges, QR codes and status lists, and the deployment's DID document. */
#include "http/handlers.h"
#include "core/schema.h"
#include "service/certificates.h"
#include "service/credentials.h"
#include "service/trust.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q(name) nt_uri_param(&r->uri, name)

/* Long-lived public images and documents: a minute for what changes with a status. */
#define STATUS_CACHE "public, max-age=60"

enum MHD_Result nt_h_standards(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    const char *v = Q("version");
    char *end = NULL;
    long version = v ? strtol(v, &end, 10) : 0;
    if (v != NULL && (end == v || *end != '\0' || version < 1 || version > 1000000)) {
        nt_err_field(&e, "version", "invalid", 0);
        return nt_respond_error(r, NT_EINVAL, &e);
    }
    int rc = nt_svc_standards((int)version, &o, &e);
    return nt_h_answer(r, rc, o, &e);
}

enum MHD_Result nt_h_did_document(nt_req *r)
{
    nt_resp_header(r, "Cache-Control", "public, max-age=3600");
    json_t *doc = nt_svc_did_document(nt_req_svc(r));
    char *s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    enum MHD_Result ret = nt_respond_bytes(r, 200, "application/did+json", s, strlen(s), true);
    free(s);
    return ret;
}

/* ---- members ---- */

enum MHD_Result nt_h_member_apply(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 201, "/v1/trust/members", nt_svc_member_apply(nt_req_svc(r), &w, &r->actor, r->json, &o, &e));
}

enum MHD_Result nt_h_member_get(nt_req *r)
{
    ANSWERED(r, nt_svc_member_get(nt_req_svc(r), &r->actor, r->params[0], &o, &e));
}

enum MHD_Result nt_h_member_list(nt_req *r)
{
    enum MHD_Result ret;
    nt_member_query q = {.state = Q("state"),
                         .kind = Q("kind"),
                         .category = Q("category"),
                         .province = Q("province"),
                         .topic = Q("topic"),
                         .q = Q("q"),
                         .cursor = Q("cursor")};
    if (!nt_req_limit_or_fail(r, &q.limit, &ret))
        return ret;
    ANSWERED(r, nt_svc_member_list(nt_req_svc(r), &r->actor, &q, &o, &e));
}

static enum MHD_Result member_step(nt_req *r, nt_member_step step)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_member_step(nt_req_svc(r), &w, &r->actor, r->params[0], step, r->json, &o, &e));
}

enum MHD_Result nt_h_member_admit(nt_req *r)
{
    return member_step(r, NT_MEMBER_ADMIT);
}

enum MHD_Result nt_h_member_refuse(nt_req *r)
{
    return member_step(r, NT_MEMBER_REFUSE);
}

enum MHD_Result nt_h_member_remove(nt_req *r)
{
    return member_step(r, NT_MEMBER_REMOVE);
}

enum MHD_Result nt_h_member_leave(nt_req *r)
{
    return member_step(r, NT_MEMBER_LEAVE);
}

enum MHD_Result nt_h_member_accept(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_member_accept(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

/* ---- training ---- */

enum MHD_Result nt_h_training(nt_req *r)
{
    ANSWERED(r, nt_svc_training(&o, &e));
}

enum MHD_Result nt_h_quiz_start(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 201, "/v1/trust/quiz", nt_svc_quiz_start(nt_req_svc(r), &w, &r->actor, &o, &e));
}

enum MHD_Result nt_h_quiz_get(nt_req *r)
{
    ANSWERED(r, nt_svc_quiz_get(nt_req_svc(r), &r->actor, r->params[0], &o, &e));
}

enum MHD_Result nt_h_quiz_submit(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_quiz_submit(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

/* ---- applications ---- */

enum MHD_Result nt_h_eligibility(nt_req *r)
{
    ANSWERED(r, nt_svc_trust_eligibility(nt_req_svc(r), &r->actor, Q("person_id"), &o, &e));
}

enum MHD_Result nt_h_application_create(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 201, "/v1/trust/applications", nt_svc_application_create(nt_req_svc(r), &w, &r->actor, &o, &e));
}

enum MHD_Result nt_h_application_get(nt_req *r)
{
    ANSWERED(r, nt_svc_application_get(nt_req_svc(r), &r->actor, r->params[0], &o, &e));
}

enum MHD_Result nt_h_application_list(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    ANSWERED(r, nt_svc_application_list(nt_req_svc(r), &r->actor, Q("state"), Q("cursor"), limit, &o, &e));
}

enum MHD_Result nt_h_application_review(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_application_review(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

enum MHD_Result nt_h_audience_attest(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 201, NULL, nt_svc_audience_attest(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

/* ---- certificates ---- */

enum MHD_Result nt_h_certificate_get(nt_req *r)
{
    return nt_h_get(r, nt_svc_certificate_get);
}

enum MHD_Result nt_h_certificate_list(nt_req *r)
{
    enum MHD_Result ret;
    nt_certificate_query q = {.q = Q("q"),
                              .handle = Q("handle"),
                              .province = Q("province"),
                              .topic = Q("topic"),
                              .status = Q("status"),
                              .cursor = Q("cursor")};
    if (!nt_req_limit_or_fail(r, &q.limit, &ret))
        return ret;
    ANSWERED(r, nt_svc_certificate_list(nt_req_svc(r), &q, &o, &e));
}

enum MHD_Result nt_h_certificate_credential(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    char *body = NULL;
    size_t len = 0;
    int rc = nt_svc_certificate_credential(nt_req_svc(r), r->params[0], &body, &len, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    /* The signed bytes as issued (application/vc, W3C VC 2.0), never re-rendered: times stay as signed. */
    enum MHD_Result ret = nt_respond_bytes(r, 200, "application/vc", body, len, true);
    free(body);
    return ret;
}

enum MHD_Result nt_h_certificate_badge(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    char *svg = NULL;
    size_t len = 0;
    int rc = nt_svc_certificate_badge(nt_req_svc(r), r->params[0], &svg, &len, &e);
    /* A badge is embedded in other pages: an unknown certificate shows "unrecognised", with 404. */
    nt_resp_header(r, "Cache-Control", STATUS_CACHE);
    enum MHD_Result ret = nt_respond_bytes(r, rc == 0 ? 200 : 404, "image/svg+xml", svg, len, true);
    free(svg);
    return ret;
}

static enum MHD_Result qr(nt_req *r, bool png)
{
    nt_err e;
    nt_err_clear(&e);
    char *data = NULL;
    size_t len = 0;
    int rc = nt_svc_certificate_qr(nt_req_svc(r), r->params[0], png, &data, &len, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_resp_header(r, "Cache-Control", "public, max-age=86400"); /* the page's address never changes */
    enum MHD_Result ret = nt_respond_bytes(r, 200, png ? "image/png" : "image/svg+xml", data, len, true);
    free(data);
    return ret;
}

enum MHD_Result nt_h_certificate_qr_png(nt_req *r)
{
    return qr(r, true);
}

enum MHD_Result nt_h_certificate_qr_svg(nt_req *r)
{
    return qr(r, false);
}

enum MHD_Result nt_h_status_list(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    char *body = NULL, etag[72];
    size_t len = 0;
    int rc = nt_svc_status_list(nt_req_svc(r), r->params[0], &body, &len, etag, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_resp_header(r, "Cache-Control", STATUS_CACHE);
    nt_resp_header(r, "ETag", etag);
    enum MHD_Result ret = nt_req_not_modified(r, etag) ? nt_respond_bytes(r, 304, "application/vc", "", 0, true)
                                                       : nt_respond_bytes(r, 200, "application/vc", body, len, true);
    free(body);
    return ret;
}
