/* What the resource handlers share: answering a read, a paged listing, a read by id, and the
 * answer to a write (the indexes, caches and log brought up to it first, with its receipts). */
#include "http/handlers.h"
#include "service/tlog.h"

enum MHD_Result nt_h_answer(nt_req *r, int rc, json_t *out, const nt_err *e)
{
    if (rc != 0)
        return nt_respond_error(r, rc, e);
    return nt_respond_json(r, 200, out);
}

enum MHD_Result nt_h_list(nt_req *r, int (*fn)(nt_svc *, const char *, int, json_t **, nt_err *))
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    nt_err e;
    nt_err_clear(&e);
    json_t *out = NULL;
    int rc = fn(nt_req_svc(r), nt_uri_param(&r->uri, "cursor"), limit, &out, &e);
    return nt_h_answer(r, rc, out, &e);
}

enum MHD_Result nt_h_get(nt_req *r, int (*fn)(nt_svc *, const char *, json_t **, nt_err *))
{
    nt_err e;
    nt_err_clear(&e);
    json_t *out = NULL;
    int rc = fn(nt_req_svc(r), r->params[0], &out, &e);
    return nt_h_answer(r, rc, out, &e);
}

void nt_h_add_receipts(nt_req *r, json_t *o)
{
    if (r->logged.count > 0 && json_is_object(o))
        json_object_set_new(o, "log", nt_svc_log_receipts(nt_req_svc(r), &r->logged));
}

enum MHD_Result nt_h_written(nt_req *r, unsigned status, const char *location_prefix, json_t *o)
{
    nt_h_add_receipts(r, o); /* the commit step caught the log up to the write already */
    if (location_prefix != NULL && location_prefix[0] != '\0')
        return nt_respond_created(r, status, location_prefix, o);
    return nt_respond_json(r, status, o);
}

bool nt_req_limit_or_fail(nt_req *r, int *limit, enum MHD_Result *ret)
{
    *limit = nt_req_limit(r);
    if (*limit > 0)
        return true;
    nt_err e;
    nt_err_clear(&e);
    nt_err_field(&e, "limit", "out_of_range", NT_LIST_MAX);
    *ret = nt_respond_problem(r, 400, "validation", &e);
    return false;
}
