/* The consoles' pages for each role's work (docs/WEB.md). A console page is a page like the public
 * ones, for the roles its route names, asking the same services as the API. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "core/html.h"
#include "service/check.h"
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the check, for a platform or broadcaster about to feature someone ---- */

static void check_result(nt_page *p, const json_t *a)
{
    bool known = json_is_true(json_object_get(a, "person_known"));
    bool checked = strcmp(nt_json_str(a, "basis") ? nt_json_str(a, "basis") : "", "checked") == 0;
    bool allowed = json_is_true(json_object_get(a, "allowed"));
    const char *status, *word;
    /* Fail closed: a subject the registry does not hold is unverified, never "allowed". */
    if (!checked || !known) {
        status = "unrecognised";
        word = L("Không có trong sổ đăng ký — chưa xác minh", "Not in the registry — unverified");
    } else if (allowed) {
        status = "valid";
        word = L("Không có hạn chế nào đang áp dụng", "No restriction applies");
    } else {
        status = "restricted";
        word = L("Đang bị hạn chế", "Restricted");
    }
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\" id=\"result\">%s</h2><p class=\"govuk-body\"><strong class=\"nt-status "
            "nt-status--%s\" id=\"check-status\">%s</strong></p>",
            L("Kết quả", "Result"), status, word);
    if (!checked || !known)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>",
                L("Sổ đăng ký không có hồ sơ nào khớp. Đây không phải là xác nhận được phép: hãy kiểm tra lại chính tả, "
                  "hoặc sàng lọc theo tên nếu bạn biết người này.",
                  "The registry holds nothing for this. That is not a clearance: check the spelling, or screen the name if "
                  "you know who this is."));
    const char *person = nt_json_str(a, "person_id");
    if (person != NULL)
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/persons/%u\">%s</a></p>", person,
                L("Xem hồ sơ công khai", "See the public profile"));
    const json_t *rs = json_object_get(a, "restrictions");
    if (json_array_size(rs) > 0) {
        nt_html(&p->b,
                "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">%s</caption>"
                "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">"
                "%s</th><th scope=\"col\" class=\"govuk-table__header\">%s</th><th scope=\"col\" class=\"govuk-table__header\">%s"
                "</th></tr></thead><tbody class=\"govuk-table__body\">",
                L("Các hạn chế", "Restrictions"), L("Quyết định", "Decision"), L("Phạm vi", "Scope"), L("Thời hạn", "Period"));
        size_t i, j;
        json_t *x, *s;
        json_array_foreach(rs, i, x)
        {
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">%s"
                    "</span></td><td class=\"govuk-table__cell\">",
                    nt_json_str(x, "decision_number"), nt_json_str(x, "authority"));
            json_array_foreach(json_object_get(x, "scopes"), j, s)
                nt_html(&p->b, "%s%s", j ? ", " : "", nt_label(p, &nt_scopes, json_string_value(s)));
            nt_html(&p->b, "</td><td class=\"govuk-table__cell\">%T – %T</td></tr>", nt_json_time(x, "start_at"),
                    nt_json_time(x, "end_at"));
        }
        nt_html(&p->b, "</tbody></table>");
    }
    nt_html(&p->b, "<p class=\"govuk-body-s nt-meta\">%s %T.</p>", L("Kiểm tra lúc", "Checked at"), nt_json_time(a, "checked_at"));
}

enum MHD_Result nt_w_console_check(nt_req *r)
{
    const char *subject = nt_uri_param(&r->uri, "subject"), *scope = nt_uri_param(&r->uri, "scope");
    bool scope_ok = scope == NULL || strcmp(scope, "any") == 0;
    for (size_t i = 0; i < nt_scopes.n && !scope_ok; i++)
        scope_ok = strcmp(scope, nt_scopes.v[i][0]) == 0;
    json_t *answer = NULL;
    const char *problem = NULL;
    nt_err e;
    nt_err_clear(&e);
    unsigned status = 200;
    if (!scope_ok) {
        problem = nt_l(r, "Hãy chọn một hình thức trong danh sách", "Choose a form of appearance from the list");
        status = 400;
    } else if (subject != NULL && subject[strspn(subject, " ")] == '\0') {
        problem = nt_l(r, "Hãy nhập người hoặc tài khoản cần kiểm tra", "Enter the person or account to check");
        status = 400;
    } else if (subject != NULL) {
        char *body = NULL;
        size_t len = 0;
        if (nt_svc_check(nt_req_svc(r), subject, scope ? scope : "any", NULL, NULL, NULL, NULL, &body, &len, &e) == 0) {
            answer = json_loadb(body, len, 0, NULL);
        } else {
            problem = nt_l(r,
                           "Không hiểu được người hoặc tài khoản này: hãy nhập mã người (p…), nền tảng:tài khoản, "
                           "@tài khoản hoặc đường dẫn trang cá nhân",
                           "This is not a person or an account: type a person id (p…), platform:handle, @handle or a "
                           "profile link");
            status = 400;
        }
        free(body);
    }
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Kiểm tra trước khi mời", "Check before featuring someone"));
    nt_html(&p->b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (problem != NULL)
        nt_page_error_summary(p, problem, scope_ok ? "subject" : "scope");
    nt_html(&p->b,
            "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p><form method=\"get\" action=\"/console/check\" "
            "novalidate>",
            L("Kiểm tra trước khi mời", "Check before featuring someone"),
            L("Trước khi mời một người lên sóng, biểu diễn hay quảng cáo: họ có đang bị hạn chế không?",
              "Before someone goes on air, on stage or into an ad: is a restriction in force?"));
    nt_page_input(p, "subject", "text", L("Người hoặc tài khoản", "Person or account"),
                  L("Mã người (p0000002), nền tảng:tài khoản (tiktok:ten.tai.khoan), @tài khoản, hoặc đường dẫn trang cá nhân.",
                    "A person id (p0000002), platform:handle (tiktok:some.handle), @handle, or a profile link."),
                  subject, scope_ok ? problem : NULL, "off", "spellcheck=\"false\" autocapitalize=\"none\"");
    nt_html(&p->b,
            "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"scope\">%s</label>"
            "<select class=\"govuk-select\" id=\"scope\" name=\"scope\">",
            L("Hình thức xuất hiện", "Form of appearance"));
    nt_html(&p->b, "<option value=\"any\">%s</option>", L("Mọi hình thức", "Any"));
    for (size_t i = 0; i < nt_scopes.n; i++)
        nt_html(&p->b, "<option value=\"%s\"%R>%s</option>", nt_scopes.v[i][0],
                scope && strcmp(scope, nt_scopes.v[i][0]) == 0 ? " selected" : "", L(nt_scopes.v[i][1], nt_scopes.v[i][2]));
    nt_html(&p->b, "</select></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>", L("Kiểm tra", "Check"));
    if (answer != NULL)
        check_result(p, answer);
    nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/console/check/csv\">%s</a></p>",
            L("Kiểm tra cả một danh sách (tệp CSV, tối đa 10.000 dòng)", "Check a whole list (a CSV file, up to 10,000 lines)"));
    nt_html(&p->b, "</div></div>");
    json_decref(answer);
    return nt_page_end(p, status);
}

/* ---- the check of a list: a CSV of subjects in, a CSV of answers out ---- */

#define CSV_ROWS_MAX 10000

enum MHD_Result nt_w_console_check_csv(nt_req *r)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Kiểm tra một danh sách", "Check a list"));
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><h1 class=\"govuk-heading-l\">%s</h1>"
            "<p class=\"govuk-body\">%s</p><form method=\"post\" action=\"/console/check/csv\" enctype=\"multipart/form-data\">"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><div class=\"govuk-form-group\"><label class=\"govuk-label\" "
            "for=\"file\">%s</label><div class=\"govuk-hint\" id=\"file-hint\">%s</div><input class=\"govuk-file-upload\" "
            "id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" aria-describedby=\"file-hint\"></div>"
            "<button class=\"govuk-button\" type=\"submit\">%s</button></form></div></div>",
            L("Kiểm tra một danh sách", "Check a list"),
            L("Tải lên một tệp CSV, mỗi dòng một người hoặc tài khoản (tối đa 10.000 dòng; dòng đầu có thể là tiêu đề "
              "\"subject\"). Bạn nhận lại một tệp CSV: mỗi dòng một kết quả kiểm tra cho mọi hình thức xuất hiện.",
              "Upload a CSV file, one person or account per line (at most 10,000; the first line may be the header "
              "\"subject\"). You get a CSV back: one check per line, for any form of appearance."),
            token, L("Tệp CSV", "CSV file"),
            L("Mã người (p0000002), nền tảng:tài khoản, @tài khoản hoặc đường dẫn trang cá nhân.",
              "A person id (p0000002), platform:handle, @handle or a profile link."),
            L("Kiểm tra và tải kết quả", "Check and download the answers"));
    return nt_page_end(p, 200);
}

/* One subject's line of the answer: subject, status, allowed, person_id, basis, restrictions. */
static void csv_answer(nt_req *r, nt_jbuf *b, const char *subject)
{
    char *body = NULL;
    size_t len = 0;
    nt_err e;
    nt_err_clear(&e);
    nt_jb_csv(b, subject, false);
    if (nt_svc_check(nt_req_svc(r), subject, "any", NULL, NULL, NULL, NULL, &body, &len, &e) != 0) {
        nt_jb_csv(b, "invalid", false); /* not a subject: said, the list goes on */
        nt_jb_csv(b, "", false);
        nt_jb_csv(b, "", false);
        nt_jb_csv(b, "", false);
        nt_jb_csv(b, nt_err_said(r, &e), true);
        return;
    }
    json_t *a = json_loadb(body, len, 0, NULL);
    free(body);
    bool known = json_is_true(json_object_get(a, "person_known"));
    bool checked = nt_streq(nt_json_str(a, "basis"), "checked") && known;
    bool allowed = json_is_true(json_object_get(a, "allowed"));
    /* Fail closed: what the registry does not hold is unverified, never allowed. */
    nt_jb_csv(b, !checked ? "unverified" : allowed ? "no_restriction" : "restricted", false);
    nt_jb_csv(b, !checked ? "" : allowed ? "true" : "false", false);
    nt_jb_csv(b, nt_json_str(a, "person_id"), false);
    nt_jb_csv(b, nt_json_str(a, "basis"), false);
    char what[512] = "";
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(a, "restrictions"), i, x)
    {
        size_t n = strlen(what);
        snprintf(what + n, sizeof(what) - n, "%s%s %s–%s", n ? "; " : "", nt_json_str(x, "decision_number"),
                 nt_json_str(x, "start_at") ? nt_json_str(x, "start_at") : "",
                 nt_json_str(x, "end_at") ? nt_json_str(x, "end_at") : "");
    }
    nt_jb_csv(b, what, true);
    json_decref(a);
}

enum MHD_Result nt_w_console_check_csv_post(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    const char *ct = nt_req_header(r, "Content-Type");
    size_t at = 0, n = 0;
    nt_err e;
    nt_err_clear(&e);
    if (!nt_multipart_part(ct, r->body, r->body_len, "file", &at, &n) || n == 0) {
        nt_err_field(&e, "file", "required", 0);
        return nt_respond_problem(r, 400, "validation", &e);
    }
    nt_jbuf out;
    nt_jb_init(&out, 4096 + n * 4);
    nt_jb_lit(&out, "\xEF\xBB\xBFsubject,status,allowed,person_id,basis,restrictions\r\n"); /* a BOM for spreadsheets */
    const char *p = r->body + at, *end = p + n;
    int rows = 0;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (int line = 0; p < end; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *stop = eol ? eol : end;
        char subject[512];
        size_t len = (size_t)(stop - p);
        while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == ','))
            len--;
        const char *s0 = p;
        while (len > 0 && (*s0 == ' ' || *s0 == '"')) /* a quoted cell, as spreadsheets write it */
            s0++, len--;
        while (len > 0 && s0[len - 1] == '"')
            len--;
        p = eol ? eol + 1 : end;
        if (len == 0 || (line == 0 && len == 7 && strncasecmp(s0, "subject", 7) == 0))
            continue;
        if (++rows > CSV_ROWS_MAX) {
            nt_jb_free(&out);
            nt_err_set(&e, NT_EINVAL, "at most %d subjects in one file", "tối đa %d dòng trong một tệp", CSV_ROWS_MAX);
            nt_err_field(&e, "file", "too_long", CSV_ROWS_MAX);
            return nt_respond_problem(r, 413, "payload-too-large", &e);
        }
        snprintf(subject, sizeof(subject), "%.*s", (int)(len < sizeof(subject) - 1 ? len : sizeof(subject) - 1), s0);
        csv_answer(r, &out, subject);
    }
    size_t olen = 0;
    char *csv = nt_jb_take(&out, &olen);
    if (csv == NULL)
        return MHD_NO;
    nt_resp_header(r, "Content-Disposition", "attachment; filename=\"niemtin-check.csv\"");
    nt_resp_header(r, "Cache-Control", "no-store");
    r->page = true;
    return nt_respond_bytes(r, 200, "text/csv; charset=utf-8", csv, olen, false);
}
