/* Answering a write that carries an Idempotency-Key seen before: the kept answer, byte for byte;
 * or, if its bytes were lost, one rebuilt from the write's record; or 422 for another request
 * under the same key. See idem.c for the claims and the keeping. */
#include "core/util.h"
#include "http/handlers.h"
#include "service/follow.h"
#include <stdio.h>
#include <string.h>

/* The answer kept with the record, as it was sent. */
static enum MHD_Result replay_answer(nt_req *r, const nt_idem_record *rec)
{
    const char *ctype = "application/json; charset=utf-8";
    json_t *h = rec->headers ? json_loads(rec->headers, 0, NULL) : NULL;
    const char *name;
    json_t *v;
    json_object_foreach(h, name, v)
    {
        if (strcmp(name, "Content-Type") == 0)
            ctype = json_string_value(v);
        else
            nt_resp_header(r, name, json_string_value(v));
    }
    nt_resp_header(r, "Idempotent-Replayed", "true");
    enum MHD_Result ret = nt_respond_bytes(r, (unsigned)rec->status, ctype, rec->answer, rec->answer_len, true);
    json_decref(h);
    return ret;
}

/* A write whose answer's bytes were lost (the machine stopped between the commit and keeping
 * them): the resource it recorded, or its id, with receipts for the entries it appended. */
static enum MHD_Result replay_record(nt_req *r, const nt_idem_record *rec)
{
    json_t *body = rec->response ? json_loads(rec->response, 0, NULL) : NULL;
    if (!json_is_object(body)) {
        json_decref(body);
        body = json_pack("{s:s}", "id", rec->entity_id);
    }
    r->logged = rec->logged;
    nt_svc_catch_up(r->env->svc);
    nt_h_add_receipts(r, body);
    nt_resp_header(r, "Idempotent-Replayed", "true");
    r->idem_replay = false; /* this answer is kept, so later retries get these very bytes */
    r->logged.idem_recorded = true;
    return nt_respond_json(r, rec->created ? 201 : 200, body);
}

enum MHD_Result nt__idempotency(nt_req *r, bool *done)
{
    *done = false;
    const char *key = nt_req_header(r, "Idempotency-Key");
    bool writes = strcmp(r->route->method, "GET") != 0 && !(r->route->flags & NT_ROUTE_READS);
    if (key == NULL || !writes)
        return MHD_YES;
    size_t n = strlen(key);
    bool ok = n > 0 && n < sizeof(r->idem_key);
    for (const char *p = key; ok && *p; p++)
        ok = *p >= 0x21 && *p <= 0x7e;
    *done = true;
    nt_err e;
    nt_err_clear(&e);
    if (!ok) {
        nt_err_field(&e, "Idempotency-Key", "invalid", 0);
        return nt_respond_problem(r, 400, "bad-request", &e);
    }
    nt_strlcpy(r->idem_key, key, sizeof(r->idem_key));
    if (r->actor.key_id[0])
        snprintf(r->idem_scope, sizeof(r->idem_scope), "key:%s", r->actor.key_id);
    else
        snprintf(r->idem_scope, sizeof(r->idem_scope), "ip:%s", r->client);
    nt__idem_hash(r);
    if (!nt__idem_claim(r)) {
        nt_err_set(&e, NT_EBUSY, "a request with this Idempotency-Key is still being processed; retry later",
                   "một yêu cầu với Idempotency-Key này vẫn đang được xử lý; hãy thử lại sau");
        r->idem_key[0] = '\0';
        return nt_respond_problem(r, 409, "idempotency-in-progress", &e);
    }
    nt_store *st = nt_req_svc(r)->store;
    nt_idem_record rec;
    int rc = st->ops->idem_get(st, r->idem_scope, r->idem_key, &rec);
    if (rc == NT_ENOTFOUND) {
        *done = false;
        return MHD_YES;
    }
    enum MHD_Result ret;
    r->idem_replay = true;
    if (rc != 0) {
        ret = nt_respond_problem(r, 503, "unavailable", NULL);
    } else if (strcmp(rec.request_hash, r->idem_hash) != 0) {
        nt_err_set(&e, NT_EINVAL, "this Idempotency-Key was used with a different request",
                   "Idempotency-Key này đã được dùng cho một yêu cầu khác");
        ret = nt_respond_problem(r, 422, "idempotency-key-reused", &e);
    } else {
        ret = rec.answered ? replay_answer(r, &rec) : replay_record(r, &rec);
    }
    nt_idem_record_free(&rec);
    return ret;
}
