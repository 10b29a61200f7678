/* RFC 9457 problem details with titles in Vietnamese (default) or English.
 *
 * Each problem has a stable type, "urn:niemtin:problem:<slug>"; clients
 * branch on the type, people read the title. Field errors carry a stable
 * code and a human detail in the request's language. */
#include "core/text.h"
#include "core/util.h"
#include "http/http.h"
#include "http/web.h"
#include <stdio.h>
#include <string.h>

/* "a,b" as ["a", "b"]. */
static json_t *csv_array(const char *csv)
{
    json_t *arr = json_array();
    for (const char *p = csv; *p;) {
        size_t len = strcspn(p, ",");
        json_array_append_new(arr, json_stringn(p, len));
        p += len + (p[len] == ',');
    }
    return arr;
}

/* One field error: what is wrong, in words, and, where it is said, what would be accepted. */
static json_t *field_error(const nt_field_error *f, nt_lang lang)
{
    char d[640], near[64];
    nt_err_field_detail(f, lang, d, sizeof(d));
    json_t *o = json_pack("{s:s, s:s, s:s}", "field", f->field, "code", f->code, "detail", d);
    if (o != NULL && nt_err_field_suggestion(f, near, sizeof(near)) != NULL)
        json_object_set_new(o, "did_you_mean", json_string(near));
    if (o != NULL && f->allowed[0])
        json_object_set_new(o, "allowed", csv_array(f->allowed));
    return o;
}

enum MHD_Result nt_respond_problem(nt_req *r, unsigned status, const char *slug, const nt_err *err)
{
    if (nt_req_wants_page(r)) /* a browser: the same problem as a page */
        return nt_page_problem(r, status, slug, err);
    char type[96];
    snprintf(type, sizeof(type), "urn:niemtin:problem:%s", slug);
    json_t *p = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", nt__problem_title(slug, r->lang), "status", (int)status,
                          "request_id", r->id);
    if (r->uri.nsegs > 0 || r->target != NULL) {
        /* instance: the path, without the query string */
        char inst[256];
        const char *t = r->target ? r->target : "";
        size_t n = strcspn(t, "?");
        snprintf(inst, sizeof(inst), "%.*s", (int)(n < 255 ? n : 255), t);
        if (nt_text_valid_utf8(inst, strlen(inst)))
            json_object_set_new(p, "instance", json_string(inst));
    }
    if (err != NULL) {
        const char *detail = r->lang == NT_LANG_EN ? err->en : err->vi;
        if (detail[0])
            json_object_set_new(p, "detail", json_string(detail));
        if (err->conflict_id[0])
            json_object_set_new(p, "conflict_id", json_string(err->conflict_id));
        if (strcmp(slug, "read-only") == 0 && nt_req_svc(r)->primary_url[0]) /* where to write instead */
            json_object_set_new(p, "primary", json_string(nt_req_svc(r)->primary_url));
        if (err->state_change) {
            /* The states it may move to from where it is (an empty list: none). */
            json_t *arr = json_array();
            char buf[128];
            nt_strlcpy(buf, err->allowed, sizeof(buf));
            char *save = NULL;
            for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
                json_array_append_new(arr, json_string(t));
            json_object_set_new(p, "allowed", arr);
        }
        if (err->nfields > 0) {
            json_t *arr = json_array();
            for (int i = 0; i < err->nfields; i++)
                json_array_append_new(arr, field_error(&err->fields[i], r->lang));
            json_object_set_new(p, "errors", arr);
        }
    }
    char *s = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    if (s == NULL)
        return MHD_NO;
    return nt_respond_bytes(r, status, "application/problem+json; charset=utf-8", s, strlen(s), false);
}

enum MHD_Result nt_respond_error(nt_req *r, int rc, const nt_err *err)
{
    switch (rc) {
    case NT_EINVAL:
        return nt_respond_problem(r, 400, "validation", err);
    case NT_ENOTFOUND:
        return nt_respond_problem(r, 404, "not-found", err);
    case NT_ECONFLICT:
        return nt_respond_problem(r, 409, "conflict", err);
    case NT_ESTALE:
        return nt_respond_problem(r, 412, "precondition-failed", err);
    case NT_EFORBIDDEN:
        return nt_respond_problem(r, 403, "forbidden", err);
    case NT_EBUSY:
        return nt_respond_problem(r, 409, "idempotency-in-progress", err);
    case NT_EMEDIA:
        return nt_respond_problem(r, 415, "unsupported-media-type", err);
    case NT_ELIMIT:
        nt_resp_header(r, "Retry-After", "3600");
        return nt_respond_problem(r, 429, "rate-limited", err);
    case NT_EREADONLY:
        return nt_respond_problem(r, 503, "read-only", err);
    case NT_EUNAVAIL:
        nt_resp_header(r, "Retry-After", "1");
        return nt_respond_problem(r, 503, "unavailable", err);
    case NT_ENOSPACE: /* RFC 4918's status: the request may be repeated once space is freed */
        nt_resp_header(r, "Retry-After", "30");
        return nt_respond_problem(r, 507, "insufficient-storage", err);
    default:
        fprintf(stderr, "{\"level\":\"error\",\"id\":\"%s\",\"error\":\"%s\"}\n", r->id,
                err && err->en[0] ? err->en : nt_strerror(rc));
        return nt_respond_problem(r, 500, "internal", NULL);
    }
}

/* A problem as a page, for a browser (http/web.h). */
enum MHD_Result nt_page_problem(nt_req *r, unsigned status, const char *slug, const nt_err *err)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_pick_lang(r);
    const char *title = nt__problem_title(slug, r->lang);
    nt_page_begin(p, r, title);
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", title);
    if (err != NULL && (r->lang == NT_LANG_EN ? err->en : err->vi)[0])
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", r->lang == NT_LANG_EN ? err->en : err->vi);
    if (err != NULL && err->nfields > 0) {
        nt_html(&p->b, "<div class=\"govuk-error-summary\" data-nt-error-summary tabindex=\"-1\"><ul class=\"govuk-list\">");
        for (int i = 0; i < err->nfields; i++) {
            char d[640];
            nt_err_field_detail(&err->fields[i], r->lang, d, sizeof(d));
            nt_html(&p->b, "<li><strong>%s</strong>: %s</li>", err->fields[i].field, d);
        }
        nt_html(&p->b, "</ul></div>");
    }
    if (status == 404)
        nt_html(&p->b, "<p class=\"govuk-body\">%s <a class=\"govuk-link\" href=\"/search\">%s</a>.</p>",
                L("Không có trang này. Hãy thử", "There is no such page. Try"), L("tìm kiếm", "searching"));
    nt_html(&p->b, "<p class=\"govuk-body-s nt-meta\">%s: %s</p>", L("Mã yêu cầu", "Request id"), r->id);
    return nt_page_end(p, status);
}
