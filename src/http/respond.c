/* The request and response helpers every handler uses: headers, JSON bodies with times shown in
 * Asia/Ho_Chi_Minh, the write context of a request. A response that answers a write carrying an
 * Idempotency-Key is kept with its record as it is made (http/idem.c). */
#include "core/html.h"
#include "core/jbuf.h"
#include "core/schema.h"
#include "core/util.h"
#include "http/http.h"
#include <stdlib.h>
#include <string.h>

nt_svc *nt_req_svc(nt_req *r)
{
    return r->env->svc;
}

const char *nt_req_header(nt_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void nt_resp_header(nt_req *r, const char *name, const char *value)
{
    if (r->nheaders < (int)(sizeof(r->headers) / sizeof(r->headers[0]))) {
        r->headers[r->nheaders].name = name;
        nt_strlcpy(r->headers[r->nheaders].value, value, sizeof(r->headers[0].value));
        r->nheaders++;
    }
}

static enum MHD_Result queue(nt_req *r, unsigned status, const char *ctype, struct MHD_Response *resp);

enum MHD_Result nt_respond_shared(nt_req *r, unsigned status, const char *ctype, const char *data, size_t len,
                                  void (*release)(void *), void *arg)
{
    /* Reads only (a write's answer is kept for its Idempotency-Key by nt_respond_bytes). */
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback_cls(len, (void *)data, release, arg);
    if (resp == NULL) {
        release(arg);
        return MHD_NO;
    }
    return queue(r, status, ctype, resp);
}

/* 503 `unavailable` (the problem, or for a page a page saying it), made here rather than by
 * problem.c, which answers through this file. */
static enum MHD_Result unreachable(nt_req *r)
{
    const char *title = nt__problem_title("unavailable", r->lang);
    const char *detail = r->lang == NT_LANG_EN ? "The database cannot be reached just now: try again in a moment."
                                               : "Hiện không kết nối được cơ sở dữ liệu: hãy thử lại sau giây lát.";
    char *body = NULL;
    size_t len = 0;
    const char *ctype;
    if (r->page) {
        nt_jbuf b = {0};
        nt_html(&b,
                "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title></head><body><h1>%s</h1><p>%s</p>"
                "<p>%s</p></body></html>",
                r->lang == NT_LANG_EN ? "en" : "vi", title, title, detail, r->id);
        body = nt_jb_take(&b, &len);
        ctype = "text/html; charset=utf-8";
    } else {
        json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "urn:niemtin:problem:unavailable", "title", title, "status", 503,
                              "detail", detail, "request_id", r->id);
        body = json_dumps(p, JSON_COMPACT);
        json_decref(p);
        len = body ? strlen(body) : 0;
        ctype = "application/problem+json; charset=utf-8";
    }
    if (body == NULL)
        return MHD_NO;
    nt_resp_header(r, "Retry-After", "1");
    return nt_respond_bytes(r, 503, ctype, body, len, false);
}

enum MHD_Result nt_respond_bytes(nt_req *r, unsigned status, const char *ctype, const char *data, size_t len, bool copy)
{
    /* A read of this request failed because the database could not be reached: whatever the
     * handler made of it ("not found", an empty list) is not the answer; 503, try again. (A
     * write's 2xx stands: it committed, whatever a later read found.) */
    if (status < 500 && nt_store_unreachable(false) &&
        (status >= 300 || (r->method != NULL && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)))) {
        nt_store_unreachable(true);
        if (!copy)
            free((void *)data);
        return unreachable(r);
    }
    if (r->idem_key[0]) {
        /* The answer kept, a duplicate waiting for it may replay it now (not when it is sent:
         * that duplicate may be holding the very thread that would send it). */
        nt__idem_keep(r, status, ctype, data, len);
        nt__idem_release(r);
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        if (!copy)
            free((void *)data);
        return MHD_NO;
    }
    return queue(r, status, ctype, resp);
}

/* Sends a response made: its headers, now or when the connection is resumed. */
static enum MHD_Result queue(nt_req *r, unsigned status, const char *ctype, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    MHD_add_response_header(resp, "Content-Language", r->lang == NT_LANG_EN ? "en" : "vi");
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    if (r->page) {
        /* Scripts and styles from this server only, never inline; no framing; no referrer
         * beyond this site; the declared type only. */
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    }
    r->status = (int)status;
    if (r->deferred) { /* queued once the connection is resumed */
        if (r->resp != NULL)
            MHD_destroy_response(r->resp);
        r->resp = resp;
        r->resp_status = status;
        return MHD_YES;
    }
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

char *nt__render_json(json_t *body, nt_lang lang)
{
    nt_json_pick_language(body, lang);
    nt_json_show_times(body);
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    return s;
}

enum MHD_Result nt_respond_created(nt_req *r, unsigned status, const char *prefix, json_t *body)
{
    char loc[256];
    snprintf(loc, sizeof(loc), "%s/%s", prefix, json_string_value(json_object_get(body, "id")));
    nt_resp_header(r, "Location", loc);
    return nt_respond_json(r, status, body);
}

enum MHD_Result nt_respond_json(nt_req *r, unsigned status, json_t *body)
{
    char *s = nt__render_json(body, r->lang);
    if (s == NULL)
        return MHD_NO;
    return nt_respond_bytes(r, status, "application/json; charset=utf-8", s, strlen(s), false);
}

enum MHD_Result nt_respond_redirect(nt_req *r, unsigned status, const char *location)
{
    /* Only a path of this site, and one that fits the header kept (no open redirect). */
    if (location == NULL || location[0] != '/' || location[1] == '/' || location[1] == '\\' || strlen(location) >= 128)
        location = "/";
    nt_resp_header(r, "Location", location);
    nt_resp_header(r, "Cache-Control", "no-store");
    r->page = true;
    return nt_respond_bytes(r, status ? status : 303, "text/plain; charset=utf-8", "", 0, true);
}

void nt_req_wctx(nt_req *r, nt_wctx *w, char at[NT_TIME_LEN])
{
    nt_time_utc(nt_now_us(), at);
    memset(w, 0, sizeof(*w));
    w->key_id = r->actor.key_id[0] ? r->actor.key_id : NULL;
    w->request_id = r->id;
    w->at = at;
    r->logged.count = 0;
    w->logged = &r->logged;
    if (r->idem_key[0]) {
        w->idem_scope = r->idem_scope;
        w->idem_key = r->idem_key;
        w->idem_hash = r->idem_hash;
    }
}

int nt_req_limit(nt_req *r)
{
    const char *s = nt_uri_param(&r->uri, "limit");
    if (s == NULL)
        return NT_LIST_DEFAULT;
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || v > NT_LIST_MAX)
        return -1;
    return (int)v;
}

/* If-None-Match naming the current ETag (or "*"): the client's copy is current. */
bool nt_req_not_modified(nt_req *r, const char *etag)
{
    const char *inm = nt_req_header(r, "If-None-Match");
    if (inm == NULL)
        return false;
    if (strcmp(inm, "*") == 0)
        return true;
    size_t n = strlen(etag);
    for (const char *p = strstr(inm, etag); p != NULL; p = strstr(p + 1, etag))
        if ((p == inm || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/') && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return true;
    return false;
}
