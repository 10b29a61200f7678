/* Health, readiness, metrics, the OpenAPI document and "who am I". */
#include "core/embed.h"
#include "http/handlers.h"
#include "service/audit.h"
#include "service/me.h"
#include <stdatomic.h>
#include <string.h>

enum MHD_Result nt_h_healthz(nt_req *r)
{
    return nt_respond_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "version", NT_VERSION));
}

enum MHD_Result nt_h_readyz(nt_req *r)
{
    nt_store *st = r->env->svc->store;
    if (atomic_load(&r->env->stopping) || st->ops->ping(st) != 0)
        return nt_respond_problem(r, 503, "unavailable", NULL);
    return nt_respond_json(r, 200, json_pack("{s:s}", "status", "ready"));
}

enum MHD_Result nt_h_metrics(nt_req *r)
{
    char *text = NULL;
    size_t len = 0;
    nt__metrics_render(r->env, &text, &len);
    if (text == NULL)
        return nt_respond_problem(r, 500, "internal", NULL);
    return nt_respond_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len, false);
}

enum MHD_Result nt_h_openapi(nt_req *r)
{
    const struct nt_embedded *e = nt_embed_find("openapi.json");
    if (e == NULL)
        return nt_respond_problem(r, 500, "internal", NULL);
    return nt_respond_bytes(r, 200, "application/json; charset=utf-8", e->data, e->len, true);
}

enum MHD_Result nt_h_me(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_me(nt_req_svc(r), &r->actor, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}

enum MHD_Result nt_h_audit(nt_req *r)
{
    int limit;
    enum MHD_Result ret;
    if (!nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    const nt_uri *u = &r->uri;
    int rc = nt_svc_audit_list(nt_req_svc(r), nt_uri_param(u, "action"), nt_uri_param(u, "entity"), nt_uri_param(u, "entity_id"),
                               nt_uri_param(u, "key_id"), nt_uri_param(u, "from"), nt_uri_param(u, "to"), nt_uri_param(u, "cursor"),
                               limit, &o, &e);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_json(r, 200, o);
}
