/* The transparency log's read API (C2SP tlog-tiles), proofs, receipts and redactions. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "log/tiles.h"
#include "service/tlog.h"
#include "service/records.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT        "text/plain; charset=utf-8"
#define IMMUTABLE   "public, max-age=31536000, immutable"
#define SHORT_CACHE "public, max-age=2"

enum MHD_Result nt_h_log_checkpoint(nt_req *r)
{
    char *note = NULL;
    size_t len = 0;
    uint64_t size = 0;
    if (nt_svc_log_checkpoint(nt_req_svc(r), &note, &len, &size) != 0)
        return nt_respond_problem(r, 404, "not-found", NULL);
    nt_resp_header(r, "Cache-Control", SHORT_CACHE);
    return nt_respond_bytes(r, 200, TEXT, note, len, false);
}

enum MHD_Result nt_h_log_key(nt_req *r)
{
    const char *key = nt_svc_log_key(nt_req_svc(r));
    if (key[0] == '\0')
        return nt_respond_problem(r, 404, "not-found", NULL);
    nt_resp_header(r, "Cache-Control", SHORT_CACHE);
    return nt_respond_bytes(r, 200, TEXT, key, strlen(key), true);
}

enum MHD_Result nt_h_log_tile(nt_req *r)
{
    /* The raw path: a tile has one name only, so no percent-decoding or query may change it. */
    const char *path = r->target + strlen("/log/");
    int level;
    uint64_t n;
    unsigned width;
    if (strchr(path, '?') != NULL || nt_tile_path_parse(path, &level, &n, &width) != 0)
        return nt_respond_problem(r, 404, "not-found", NULL);
    unsigned char *bytes = NULL;
    size_t len = 0;
    int rc = nt_svc_log_tile(nt_req_svc(r), level, n, width, &bytes, &len);
    if (rc != 0)
        return nt_respond_problem(r, rc == NT_ENOTFOUND ? 404 : 500, rc == NT_ENOTFOUND ? "not-found" : "internal", NULL);
    /* A full tile never changes; a partial one is immutable too (its first W hashes), but a
     * client should move on to the fuller tile, so it is cached briefly. */
    nt_resp_header(r, "Cache-Control", width == NT_TILE_WIDTH ? IMMUTABLE : SHORT_CACHE);
    return nt_respond_bytes(r, 200, "application/octet-stream", (const char *)bytes, len, false);
}

/* A non-negative integer query parameter; def when absent; false (and a 400 in *ret) when malformed. */
static bool u64_param(nt_req *r, const char *name, uint64_t def, bool required, uint64_t *out, enum MHD_Result *ret)
{
    const char *s = nt_uri_param(&r->uri, name);
    nt_err e;
    nt_err_clear(&e);
    if (s == NULL && !required) {
        *out = def;
        return true;
    }
    char *end = NULL;
    unsigned long long v = s && s[0] >= '0' && s[0] <= '9' && strlen(s) <= 19 ? strtoull(s, &end, 10) : 0;
    if (s == NULL || end == NULL || *end != '\0') {
        nt_err_field(&e, name, s == NULL ? "required" : "invalid", 0);
        *ret = nt_respond_problem(r, 400, "validation", &e);
        return false;
    }
    *out = v;
    return true;
}

/* A proof between two tree positions named by query parameters: the first required, the second
 * (a tree size) defaulting to the checkpoint's. */
static enum MHD_Result proof(nt_req *r, const char *first, const char *second,
                             int (*fn)(nt_svc *, uint64_t, uint64_t, json_t **, nt_err *))
{
    uint64_t a, b;
    enum MHD_Result ret;
    if (!u64_param(r, first, 0, true, &a, &ret) || !u64_param(r, second, 0, false, &b, &ret))
        return ret;
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = fn(nt_req_svc(r), a, b, &o, &e);
    return nt_h_answer(r, rc, o, &e);
}

enum MHD_Result nt_h_log_inclusion(nt_req *r)
{
    return proof(r, "index", "size", nt_svc_log_inclusion);
}

enum MHD_Result nt_h_log_consistency(nt_req *r)
{
    return proof(r, "from", "to", nt_svc_log_consistency);
}

enum MHD_Result nt_h_log_receipt(nt_req *r)
{
    uint64_t index;
    enum MHD_Result ret;
    if (!u64_param(r, "index", 0, true, &index, &ret))
        return ret;
    char *receipt = nt_svc_log_receipt(nt_req_svc(r), index);
    if (receipt == NULL)
        return nt_respond_problem(r, 404, "not-found", NULL);
    return nt_respond_bytes(r, 200, TEXT, receipt, strlen(receipt), false);
}

enum MHD_Result nt_h_log_record(nt_req *r)
{
    return nt_h_get(r, nt_svc_log_record);
}

enum MHD_Result nt_h_redaction_create(nt_req *r)
{
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_redaction_create(nt_req_svc(r), &w, r->json, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_h_written(r, 201, "/v1/redactions", o);
}

enum MHD_Result nt_h_redaction_list(nt_req *r)
{
    return nt_h_list(r, nt_svc_redaction_list);
}

enum MHD_Result nt_h_log_records(nt_req *r)
{
    uint64_t from;
    int limit;
    enum MHD_Result ret;
    if (!u64_param(r, "from", 0, false, &from, &ret) || !nt_req_limit_or_fail(r, &limit, &ret))
        return ret;
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_log_records(nt_req_svc(r), from, limit, &o, &e);
    return nt_h_answer(r, rc, o, &e);
}
