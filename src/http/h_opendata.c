/* Transparency numbers and open data: the public record in formats others already read. */
#include "core/schema.h"
#include "http/handlers.h"
#include "service/opendata.h"
#include "service/transparency.h"
#include <stdlib.h>
#include <string.h>

#define Q(name) nt_uri_param(&r->uri, name)

static bool wants_csv(nt_req *r)
{
    const char *accept = nt_req_header(r, "Accept"), *format = Q("format");
    return (format != NULL && strcmp(format, "csv") == 0) || (accept != NULL && strstr(accept, "text/csv") != NULL);
}

/* A body computed now: sent with its ETag (a client's current copy gets 304) and revalidated on
 * every use, so that a delisting shows at once. Takes body. */
static enum MHD_Result open_body(nt_req *r, const char *ctype, const char *filename, char *body, size_t len)
{
    if (body == NULL)
        return MHD_NO;
    char etag[40];
    nt_od_etag(body, len, etag);
    nt_resp_header(r, "ETag", etag);
    nt_resp_header(r, "Cache-Control", "public, no-cache");
    if (filename != NULL) {
        char disp[160];
        snprintf(disp, sizeof(disp), "inline; filename=\"%s\"", filename);
        nt_resp_header(r, "Content-Disposition", disp);
    }
    if (nt_req_not_modified(r, etag)) {
        free(body);
        return nt_respond_bytes(r, 304, ctype, "", 0, true);
    }
    return nt_respond_bytes(r, 200, ctype, body, len, false);
}

enum MHD_Result nt_h_transparency(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_transparency(nt_req_svc(r), Q("from"), Q("to"), Q("by"), &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    const char *format = Q("format");
    if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        json_decref(o);
        nt_err_field(&e, "format", "invalid", 0);
        return nt_respond_error(r, NT_EINVAL, &e);
    }
    if (wants_csv(r) && !(format != NULL && strcmp(format, "json") == 0)) {
        size_t len = 0;
        char *csv = nt_transparency_csv(o, &len);
        json_decref(o);
        return open_body(r, "text/csv; charset=utf-8", "niemtin-transparency.csv", csv, len);
    }
    nt_resp_header(r, "Cache-Control", "public, no-cache");
    return nt_respond_json(r, 200, o);
}

typedef char *(*render_fn)(const nt_svc *svc, const nt_open_record *rec, size_t *len);

static enum MHD_Result open_data(nt_req *r, render_fn render, const char *ctype, const char *filename)
{
    nt_err e;
    nt_err_clear(&e);
    nt_open_record rec;
    int rc = nt_svc_open_record(nt_req_svc(r), &rec, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    size_t len = 0;
    char *body = render(nt_req_svc(r), &rec, &len);
    nt_open_record_free(&rec);
    return open_body(r, ctype, filename, body, len);
}

enum MHD_Result nt_h_open_decisions_csv(nt_req *r)
{
    return open_data(r, nt_od_decisions_csv, "text/csv; charset=utf-8", "decisions.csv");
}

enum MHD_Result nt_h_open_restrictions_csv(nt_req *r)
{
    return open_data(r, nt_od_restrictions_csv, "text/csv; charset=utf-8", "restrictions.csv");
}

enum MHD_Result nt_h_open_statements(nt_req *r)
{
    return open_data(r, nt_od_statements, "application/json; charset=utf-8", NULL);
}

enum MHD_Result nt_h_open_ftm(nt_req *r)
{
    return open_data(r, nt_od_ftm, "application/x-ndjson; charset=utf-8", "entities.ftm.json");
}

enum MHD_Result nt_h_feed_decisions(nt_req *r)
{
    return open_data(r, nt_od_atom, "application/atom+xml; charset=utf-8", NULL);
}
