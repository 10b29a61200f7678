/* The consoles' pages for each role's work (docs/WEB.md). A console page is a page like the public
 * ones, for the roles its route names, asking the same services as the API. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/check.h"
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
    nt_html(&p->b, "</div></div>");
    json_decref(answer);
    return nt_page_end(p, status);
}
