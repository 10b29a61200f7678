/* An advertiser's products on the web: its products, a new one (name, category), and a product's
 * page with its documents and the checks its ads must pass, where a document is added with its
 * file. The file's SHA-256 is computed in the browser (the page's script, shown to the advertiser
 * before sending) and again here: the two must agree, so a file changed on its way is refused; with
 * no script the server's own hash stands. The document is one write (as POST
 * /v1/products/{id}/documents) and its file is then stored under that hash (as PUT …/file). */
#include "core/ads.h"
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/ads.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const json_t *category_of(const char *id)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(nt_ad_categories(), "categories"), i, c) if (nt_streq(nt_json_str(c, "id"), id)) return c;
    return NULL;
}

/* The product if it is this advertiser organisation's, else NULL. */
static json_t *my_product(nt_req *r, const char *id)
{
    json_t *mine = NULL, *found = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (nt_svc_products_mine(nt_req_svc(r), &r->actor, &mine, &e) != 0)
        return NULL;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(mine, "items"), i, x) if (nt_streq(nt_json_str(x, "id"), id)) found = x;
    json_t *p = NULL;
    if (found != NULL && nt_svc_product_get(nt_req_svc(r), id, &p, &e) != 0)
        p = NULL;
    json_decref(mine);
    return p;
}

static enum MHD_Result not_mine(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    nt_err_set(&e, NT_ENOTFOUND, "no product %s of yours", "không có sản phẩm %s của bạn", r->params[0]);
    return nt_respond_error(r, NT_ENOTFOUND, &e);
}

static enum MHD_Result products_page(nt_req *r, const char *name, const char *category, const char *problem, const char *bad,
                                     unsigned status)
{
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_products_mine(nt_req_svc(r), &r->actor, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Sản phẩm", "Products"));
    if (problem != NULL)
        nt_page_error_summary(p, problem, bad ? bad : "name");
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", L("Sản phẩm", "Products"));
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa có sản phẩm nào.", "No products yet."));
    } else {
        const char *cols[] = {L("Sản phẩm", "Product"), L("Nhóm", "Category"), L("Thu hồi", "Recall")};
        nt_page_table_head(p, L("Sản phẩm", "Products"), cols, 3);
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x)
        {
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/console/products/%u\">%s</a></td><td class=\"govuk-table__cell\">%s</td><td "
                    "class=\"govuk-table__cell\">",
                    nt_json_str(x, "id"), nt_json_str(x, "name"), nt_page_text(p, category_of(nt_json_str(x, "category"))));
            if (nt_json_str(x, "recalled_at") != NULL)
                nt_html(&p->b, "%s %T", L("Bị thu hồi", "Recalled"), nt_json_time(x, "recalled_at"));
            nt_html(&p->b, "</td></tr>");
        }
        nt_html(&p->b, "</tbody></table>");
    }
    json_decref(out);
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/products\" novalidate><input "
            "type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Thêm sản phẩm", "Add a product"), token);
    nt_page_input(p, "name", "text", L("Tên sản phẩm", "Product name"), NULL, name,
                  bad && strcmp(bad, "name") == 0 ? problem : NULL, "off", NULL);
    nt_html(&p->b,
            "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"category\">%s</label><div class=\"govuk-hint\" "
            "id=\"category-hint\">%s</div><select class=\"govuk-select\" id=\"category\" name=\"category\" "
            "aria-describedby=\"category-hint\">",
            L("Nhóm sản phẩm", "Category"),
            L("Nhóm quyết định giấy tờ cần có và lời cảnh báo bắt buộc.", "The category decides the documents needed and the "
                                                                          "warnings required."));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(nt_ad_categories(), "categories"), i, c)
        nt_html(&p->b, "<option value=\"%s\"%R>%s%R</option>", nt_json_str(c, "id"),
                category && nt_streq(category, nt_json_str(c, "id")) ? " selected" : "", nt_page_text(p, c),
                json_is_false(json_object_get(c, "advertisable")) ? L(" — không được quảng cáo", " — may not be advertised") : "");
    nt_html(&p->b, "</select></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>", L("Thêm", "Add"));
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_products(nt_req *r)
{
    return products_page(r, NULL, NULL, NULL, NULL, 200);
}

enum MHD_Result nt_w_product_create(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *name = nt_form_field(r, "name"), *category = nt_form_field(r, "category");
    json_t *in = json_pack("{s:s?, s:s?}", "name", nt_blank(name) ? NULL : name, "category", category), *o = NULL;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_product_create(nt_req_svc(r), &w, &r->actor, in, &o, &e);
    if (rc == 0)
        ret = nt_page_redirect_to(r, "/console/products", nt_json_str(o, "id"));
    else if (rc == NT_EINVAL || rc == NT_ECONFLICT)
        ret = products_page(
            r, name, category,
            rc == NT_EINVAL && e.nfields > 0 && strcmp(e.fields[0].field, "name") == 0
                ? nt_l(r, "Hãy nhập tên sản phẩm (tối đa 300 ký tự)", "Enter the product's name (at most 300 characters)")
                : nt_err_said(r, &e),
            e.nfields > 0 ? e.fields[0].field : NULL, rc == NT_EINVAL ? 400 : 409);
    else
        ret = nt_respond_error(r, rc, &e);
    json_decref(o);
    json_decref(in);
    free(name), free(category);
    return ret;
}

typedef struct docform {
    char *type, *number, *issuer, *valid_from, *valid_until;
} docform;

static enum MHD_Result product_page(nt_req *r, const docform *f, const char *problem, const char *bad, unsigned status)
{
    json_t *pr = my_product(r, r->params[0]);
    if (pr == NULL)
        return not_mine(r);
    json_t *checks = NULL;
    nt_err e;
    nt_err_clear(&e);
    nt_svc_product_checks(nt_req_svc(r), r->params[0], NULL, NULL, &checks, &e);
    const json_t *cat = category_of(nt_json_str(pr, "category"));
    const json_t *types = json_object_get(nt_ad_categories(), "document_types");
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_json_str(pr, "name"));
    if (problem != NULL)
        nt_page_error_summary(p, problem, bad ? bad : "file");
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>", nt_page_text(p, cat),
            nt_json_str(pr, "name"));
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list\" id=\"checks\">",
            L("Điều kiện để quảng cáo", "What its ads need"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(checks, "checks"), i, x)
    {
        bool ok = json_is_true(json_object_get(x, "ok"));
        nt_html(&p->b, "<li><strong class=\"nt-status nt-status--%s\">%s</strong> <code>%s</code>%R%s</li>",
                ok ? "valid" : "unrecognised", ok ? L("Đạt", "Passed") : L("Chưa đạt", "Not passed"), nt_json_str(x, "check"),
                nt_json_str(x, "detail") ? " — " : "",
                nt_json_str(x, "detail") ? nt_page_text(p, json_object_get(x, "detail")) : "");
    }
    nt_html(&p->b, "</ul>");
    const json_t *docs = json_object_get(pr, "documents");
    if (json_array_size(docs) > 0) {
        const char *cols[] = {L("Giấy tờ", "Document"), L("Hiệu lực", "Valid"), "SHA-256"};
        nt_page_table_head(p, L("Giấy tờ", "Documents"), cols, 3);
        json_array_foreach(docs, i, x)
        {
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">%s · %s"
                    "</span></td><td class=\"govuk-table__cell\">%T",
                    nt_page_text(p, json_object_get(types, nt_json_str(x, "type"))), nt_json_str(x, "number"),
                    nt_json_str(x, "issuer"), nt_json_time(x, "valid_from"));
            if (nt_json_str(x, "valid_until") != NULL)
                nt_html(&p->b, " – %T", nt_json_time(x, "valid_until"));
            nt_html(&p->b,
                    "</td><td class=\"govuk-table__cell nt-break\"><a class=\"govuk-link\" "
                    "href=\"/v1/products/%u/documents/%u/file\"><code>%s</code></a></td></tr>",
                    nt_json_str(pr, "id"), nt_json_str(x, "id"), nt_json_str(x, "sha256"));
        }
        nt_html(&p->b, "</tbody></table>");
    }
    char token[NT_CSRF_LEN + 1], action[128];
    nt_page_csrf(p, token);
    snprintf(action, sizeof(action), "/console/products/%s/documents", nt_json_str(pr, "id"));
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\" novalidate>"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"sha256\" id=\"sha256\" value=\"\">"
            "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"type\">%s</label><select class=\"govuk-select\" "
            "id=\"type\" name=\"type\">",
            L("Thêm giấy tờ", "Add a document"), action, token, L("Loại giấy tờ", "Type"));
    json_array_foreach(json_object_get(cat, "documents"), i, x)
        nt_html(&p->b, "<option value=\"%s\"%R>%s</option>", json_string_value(x),
                f && f->type && nt_streq(f->type, json_string_value(x)) ? " selected" : "",
                nt_page_text(p, json_object_get(types, json_string_value(x))));
    nt_html(&p->b, "</select></div>");
    nt_page_input(p, "number", "text", L("Số", "Number"), NULL, f ? f->number : NULL,
                  bad && strcmp(bad, "number") == 0 ? problem : NULL, "off", NULL);
    nt_page_input(p, "issuer", "text", L("Cơ quan cấp", "Issued by"), NULL, f ? f->issuer : NULL,
                  bad && strcmp(bad, "issuer") == 0 ? problem : NULL, "off", NULL);
    nt_page_input(p, "valid_from", "date", L("Hiệu lực từ ngày", "Valid from"), NULL, f ? f->valid_from : NULL,
                  bad && strcmp(bad, "valid_from") == 0 ? problem : NULL, "off", NULL);
    nt_page_input(p, "valid_until", "date", L("Hiệu lực đến ngày (nếu có)", "Valid until (if it ends)"), NULL,
                  f ? f->valid_until : NULL, bad && strcmp(bad, "valid_until") == 0 ? problem : NULL, "off", NULL);
    nt_html(&p->b,
            "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"file\">%s</label><div class=\"govuk-hint\" "
            "id=\"file-hint\">%s</div>",
            bad && strcmp(bad, "file") == 0 ? " govuk-form-group--error" : "",
            L("Tệp (PDF, PNG hoặc JPEG, tối đa 10 MiB)", "File (PDF, PNG or JPEG, at most 10 MiB)"),
            L("Mã băm SHA-256 của tệp được tính ngay trên máy bạn và kiểm tra lại khi nhận.",
              "The file's SHA-256 is computed on your device and checked again on arrival."));
    if (bad && strcmp(bad, "file") == 0)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"file-error\">%s</p>", problem);
    nt_html(&p->b,
            "<input class=\"govuk-file-upload\" id=\"file\" name=\"file\" type=\"file\" accept=\".pdf,.png,.jpg,.jpeg\" "
            "data-nt-sha256=\"sha256\" aria-describedby=\"file-hint sha256-shown\"><p class=\"govuk-body-s nt-break\" "
            "id=\"sha256-shown\" aria-live=\"polite\"></p></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>",
            L("Thêm giấy tờ", "Add the document"));
    json_decref(checks);
    json_decref(pr);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_product(nt_req *r)
{
    return product_page(r, NULL, NULL, NULL, 200);
}

/* A date typed in the form (YYYY-MM-DD, a day in Vietnam) as the start of that day, +07:00. */
static void day_start(const char *d, char *out, size_t cap)
{
    if (d != NULL && strlen(d) == 10 && d[4] == '-' && d[7] == '-')
        snprintf(out, cap, "%sT00:00:00+07:00", d);
    else
        snprintf(out, cap, "%s", d ? d : "");
}

/* The file's kind, from its first bytes. */
static const char *sniff(const char *data, size_t n)
{
    if (n >= 4 && memcmp(data, "%PDF", 4) == 0)
        return "application/pdf";
    if (n >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 3 && memcmp(data, "\xff\xd8\xff", 3) == 0)
        return "image/jpeg";
    return "application/octet-stream";
}

enum MHD_Result nt_w_product_document(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    json_t *pr = my_product(r, r->params[0]);
    if (pr == NULL)
        return not_mine(r);
    json_decref(pr);
    docform f = {nt_form_field(r, "type"), nt_form_field(r, "number"), nt_form_field(r, "issuer"), nt_form_field(r, "valid_from"),
                 nt_form_field(r, "valid_until")};
    char *declared = nt_form_field(r, "sha256");
    size_t at = 0, n = 0;
    const char *ct = nt_req_header(r, "Content-Type");
    bool has_file = ct != NULL && nt_multipart_part(ct, r->body, r->body_len, "file", &at, &n) && n > 0;
    char hex[65] = "";
    if (has_file) {
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)r->body + at, n);
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    }
    const char *problem = NULL, *bad = NULL;
    unsigned status = 400;
    if (!has_file) {
        problem = nt_l(r, "Hãy chọn tệp giấy tờ", "Choose the document's file"), bad = "file";
    } else if (declared != NULL && declared[0] && strcmp(declared, hex) != 0) {
        problem = nt_l(r, "Tệp đã thay đổi trên đường gửi (mã băm không khớp); hãy gửi lại",
                       "The file changed on its way (the hashes differ); send it again"),
        bad = "file";
    }
    json_t *doc = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (problem == NULL) {
        char from[40], until[40];
        day_start(f.valid_from, from, sizeof(from));
        day_start(f.valid_until, until, sizeof(until));
        json_t *in = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s}", "type", f.type, "number",
                               f.number && f.number[0] ? f.number : NULL, "issuer", f.issuer && f.issuer[0] ? f.issuer : NULL,
                               "valid_from", from[0] ? from : NULL, "valid_until", until[0] ? until : NULL, "sha256", hex);
        WCTX(r, w);
        int rc = nt_svc_product_document_add(nt_req_svc(r), &w, &r->actor, r->params[0], in, &doc, &e);
        json_decref(in);
        if (rc == 0) {
            json_t *stored = NULL;
            nt_err_clear(&e);
            rc = nt_svc_document_file_put(nt_req_svc(r), &w, &r->actor, r->params[0], nt_json_str(doc, "document_id"),
                                          sniff(r->body + at, n), r->body + at, n, &stored, &e);
            json_decref(stored);
        }
        if (rc == NT_EINVAL || rc == NT_ECONFLICT) {
            bad = e.nfields > 0 ? e.fields[0].field : "file";
            problem = e.nfields > 0 ? nt_l(r, "Hãy điền đúng trường này (ngày theo lịch, số và cơ quan cấp)",
                                           "Fill in this field rightly (dates as calendar days, the number and issuer)")
                                    : nt_err_said(r, &e);
            status = rc == NT_EINVAL ? 400 : 409;
        } else if (rc != 0) {
            ret = nt_respond_error(r, rc, &e);
            goto done;
        }
    }
    ret = problem ? product_page(r, &f, problem, bad, status) : nt_page_redirect_to(r, "/console/products", r->params[0]);
done:
    json_decref(doc);
    free(declared);
    free(f.type), free(f.number), free(f.issuer), free(f.valid_from), free(f.valid_until);
    return ret;
}
