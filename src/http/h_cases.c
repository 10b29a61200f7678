/* Reports, cases, decisions, appeals and recommendations. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "service/cases.h"
#include "service/reports.h"
#include "service/decisions.h"
#include "service/appeals.h"
#include "service/recommendations.h"
#include <stdio.h>
#include <string.h>

#define ANSWER(call, status, prefix)                                                                                               \
    do {                                                                                                                           \
        nt_err e;                                                                                                                  \
        nt_err_clear(&e);                                                                                                          \
        json_t *o = NULL;                                                                                                          \
        int rc = (call);                                                                                                           \
        if (rc != 0)                                                                                                               \
            return nt_respond_error(r, rc, &e);                                                                                    \
        return (status) == 200 && (prefix) == NULL ? nt_respond_json(r, 200, o) : nt_h_written(r, (status), (prefix), o);          \
    } while (0)

enum MHD_Result nt_h_report_create(nt_req *r)
{
    WCTX(r, w);
    ANSWER(nt_svc_report_create(nt_req_svc(r), &w, &r->actor, r->json, &o, &e), 201, "/v1/reports");
}

enum MHD_Result nt_h_report_list(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    ANSWER(nt_svc_report_list(nt_req_svc(r), &r->actor, nt_uri_param(&r->uri, "unassigned"), nt_uri_param(&r->uri, "cursor"), limit,
                              &o, &e),
           200, NULL);
}

enum MHD_Result nt_h_report_get(nt_req *r)
{
    ANSWER(nt_svc_report_get(nt_req_svc(r), &r->actor, r->params[0], &o, &e), 200, NULL);
}

enum MHD_Result nt_h_case_open(nt_req *r)
{
    WCTX(r, w);
    ANSWER(nt_svc_case_open(nt_req_svc(r), &w, &r->actor, r->json, &o, &e), 201, "/v1/cases");
}

enum MHD_Result nt_h_case_list(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    const nt_uri *u = &r->uri;
    ANSWER(nt_svc_case_list(nt_req_svc(r), &r->actor, nt_uri_param(u, "state"), nt_uri_param(u, "person_id"),
                            nt_uri_param(u, "assigned"), nt_uri_param(u, "cursor"), limit, &o, &e),
           200, NULL);
}

enum MHD_Result nt_h_decision_list(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    const nt_uri *u = &r->uri;
    ANSWER(nt_svc_decision_list(nt_req_svc(r), &r->actor, nt_uri_param(u, "person_id"), nt_uri_param(u, "number"),
                                nt_uri_param(u, "published"), nt_uri_param(u, "from"), nt_uri_param(u, "to"),
                                nt_uri_param(u, "cursor"), limit, &o, &e),
           200, NULL);
}

enum MHD_Result nt_h_appeal_list(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    const nt_uri *u = &r->uri;
    ANSWER(nt_svc_appeal_list(nt_req_svc(r), &r->actor, nt_uri_param(u, "state"), nt_uri_param(u, "due_before"),
                              nt_uri_param(u, "cursor"), limit, &o, &e),
           200, NULL);
}

enum MHD_Result nt_h_case_get(nt_req *r)
{
    ANSWER(nt_svc_case_get(nt_req_svc(r), r->params[0], &o, &e), 200, NULL);
}

enum MHD_Result nt_h_case_move(nt_req *r)
{
    WCTX(r, w);
    ANSWER(nt_svc_case_move(nt_req_svc(r), &w, r->params[0], r->json, &o, &e), 200, "");
}

enum MHD_Result nt_h_decision_issue(nt_req *r)
{
    WCTX(r, w);
    ANSWER(nt_svc_decision_issue(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e), 201, "/v1/decisions");
}

enum MHD_Result nt_h_decision_get(nt_req *r)
{
    ANSWER(nt_svc_decision_get(nt_req_svc(r), &r->actor, r->params[0], &o, &e), 200, NULL);
}

enum MHD_Result nt_h_decision_delist(nt_req *r)
{
    WCTX(r, w);
    WRITTEN(r, 200, NULL, nt_svc_decision_delist(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e));
}

enum MHD_Result nt_h_appeal_file(nt_req *r)
{
    WCTX(r, w);
    ANSWER(nt_svc_appeal_file(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e), 201, "/v1/appeals");
}

enum MHD_Result nt_h_appeal_get(nt_req *r)
{
    ANSWER(nt_svc_appeal_get(nt_req_svc(r), &r->actor, r->params[0], &o, &e), 200, NULL);
}

enum MHD_Result nt_h_appeal_review(nt_req *r)
{
    WCTX(r, w);
    ANSWER(nt_svc_appeal_review(nt_req_svc(r), &w, &r->actor, r->params[0], &o, &e), 200, "");
}

enum MHD_Result nt_h_appeal_resolve(nt_req *r)
{
    WCTX(r, w);
    ANSWER(nt_svc_appeal_resolve(nt_req_svc(r), &w, &r->actor, r->params[0], r->json, &o, &e), 200, "");
}

enum MHD_Result nt_h_recommendations(nt_req *r)
{
    ANSWER(nt_svc_recommendations(nt_req_svc(r), &o, &e), 200, NULL);
}
