/* Reporting a concern about an influencer (anyone, as POST /v1/reports), and the reports' inbox of
 * a regulator (all) or a platform (its own). The report is a write like any other: the form's
 * token checked, then one service call committed through the write pipeline. */
#include "core/caseflow.h"
#include "core/schema.h"
#include "core/subject.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/reports.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the form was given, shown back with the problem at its field. */
typedef struct report_form {
    char *subject, *category, *description, *contact;
    const char *problem, *field;
} report_form;

static const nt_actor public_actor = {.role = NT_ROLE_PUBLIC};

/* Who a report is from: a regulator or platform signed in reports as itself (as POST /v1/reports
 * with its key); anyone else as the public (anonymous, a contact optional). */
static const nt_actor *reporter(const nt_req *r)
{
    return r->actor.role == NT_ROLE_REGULATOR || r->actor.role == NT_ROLE_PLATFORM ? &r->actor : &public_actor;
}

static enum MHD_Result report_page(nt_req *r, const report_form *f, const json_t *made, unsigned status)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Báo cáo vi phạm", "Report a concern"));
    nt_html(&p->b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (made != NULL) {
        nt_html(&p->b,
                "<div class=\"govuk-panel govuk-panel--confirmation\"><h1 class=\"govuk-panel__title\">%s</h1>"
                "<div class=\"govuk-panel__body\">%s<br><strong id=\"report-id\">%s</strong></div></div>"
                "<p class=\"govuk-body\">%s %T. %s</p><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/report\">%s</a></p>",
                L("Đã nhận báo cáo", "Report received"), L("Mã báo cáo của bạn", "Your report's reference"),
                nt_json_str(made, "id"), L("Nhận lúc", "Received at"), nt_json_time(made, "received_at"),
                L("Cơ quan quản lý xem xét mọi báo cáo; nếu mở vụ việc, quyết định sẽ được công bố trên trang này.",
                  "A regulator reviews every report; if a case is opened, its decision is published here."),
                L("Gửi một báo cáo khác", "Send another report"));
        nt_html(&p->b, "</div></div>");
        return nt_page_end(p, 200);
    }
    if (f->problem != NULL)
        nt_page_error_summary(p, f->problem, f->field);
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>"
            "<form method=\"post\" action=\"/report\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Báo cáo vi phạm", "Report a concern"),
            L("Bạn thấy một người có ảnh hưởng quảng cáo sai sự thật, bán hàng giả hay lừa đảo? Hãy báo cho cơ quan quản lý. "
              "Không cần đăng nhập.",
              "Seen an influencer advertise falsely, sell counterfeits or run a scam? Tell the regulator. No sign-in needed."),
            token);
    bool at = f->field != NULL;
    nt_page_input(p, "subject", "text", L("Người hoặc tài khoản", "Person or account"),
                  L("Tài khoản kèm nền tảng (tiktok:ten.tai.khoan), đường dẫn trang cá nhân, hoặc mã người trong sổ (p0000002).",
                    "An account with its platform (tiktok:some.handle), a profile link, or a person id from the registry "
                    "(p0000002)."),
                  f->subject, at && strcmp(f->field, "subject") == 0 ? f->problem : NULL, "off",
                  "spellcheck=\"false\" autocapitalize=\"none\"");
    bool cat_error = at && strcmp(f->field, "category") == 0;
    nt_html(&p->b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"category\">%s</label>",
            cat_error ? " govuk-form-group--error" : "", L("Loại vi phạm", "What is wrong"));
    if (cat_error)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"category-error\">%s</p>", f->problem);
    nt_html(&p->b, "<select class=\"govuk-select\" id=\"category\" name=\"category\"%R><option value=\"\">%s</option>",
            cat_error ? " aria-describedby=\"category-error\"" : "", L("Chọn một loại", "Choose one"));
    for (size_t i = 0; i < nt_categories.n; i++)
        nt_html(&p->b, "<option value=\"%s\"%R>%s</option>", nt_categories.v[i][0],
                f->category && strcmp(f->category, nt_categories.v[i][0]) == 0 ? " selected" : "",
                L(nt_categories.v[i][1], nt_categories.v[i][2]));
    bool desc_error = at && strcmp(f->field, "description") == 0;
    nt_html(&p->b,
            "</select></div><div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"description\">%s</label>"
            "<div class=\"govuk-hint\" id=\"description-hint\">%s</div>",
            desc_error ? " govuk-form-group--error" : "", L("Điều bạn thấy", "What you saw"),
            L("Ở đâu, khi nào, nội dung gì. Tối đa 2.000 ký tự.", "Where, when, what was said. At most 2,000 characters."));
    if (desc_error)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"description-error\">%s</p>", f->problem);
    nt_html(&p->b,
            "<textarea class=\"govuk-textarea\" id=\"description\" name=\"description\" rows=\"6\" maxlength=\"2000\" "
            "aria-describedby=\"description-hint%s\">%s</textarea></div>",
            desc_error ? " description-error" : "", f->description ? f->description : "");
    if (reporter(p->r)->role == NT_ROLE_PUBLIC)
        nt_page_input(p, "contact", "text", L("Cách liên hệ với bạn (không bắt buộc)", "How to reach you (optional)"),
                      L("Chỉ cơ quan quản lý thấy, không bao giờ công bố.", "Only regulators see it; it is never published."),
                      f->contact, at && strcmp(f->field, "contact") == 0 ? f->problem : NULL, "email", NULL);
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form></div></div>",
            L("Gửi báo cáo", "Send the report"));
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_report(nt_req *r)
{
    report_form f = {0};
    return report_page(r, &f, NULL, 200);
}

/* The subject typed, as the report's {person_id} or {platform, handle}; NULL with *why set. */
static json_t *subject_of(nt_req *r, const char *typed, const char **why)
{
    nt_subject s;
    const char *bad = typed && typed[strspn(typed, " ")] ? nt_subject_parse(typed, &s) : "required";
    if (bad == NULL && s.kind == NT_SUBJECT_PERSON)
        return json_pack("{s:s}", "person_id", s.id);
    if (bad == NULL && s.kind == NT_SUBJECT_HANDLE) {
        const char *colon = strchr(s.key, ':');
        return json_pack("{s:s, s:s}", "platform", s.platform, "handle", colon ? colon + 1 : s.key);
    }
    if (bad == NULL) /* @handle alone: which platform's? */
        *why = nt_l(r, "Hãy ghi rõ nền tảng: tiktok:ten.tai.khoan, hoặc dán đường dẫn trang cá nhân",
                    "Say which platform: tiktok:some.handle, or paste the profile link");
    else if (strcmp(bad, "required") == 0)
        *why = nt_l(r, "Hãy nhập người hoặc tài khoản bạn báo cáo", "Enter the person or account you report");
    else if (strcmp(bad, "is_a_name") == 0)
        *why = nt_l(r, "Đây là một cái tên: hãy nhập tài khoản kèm nền tảng, hoặc tìm mã người ở trang Tìm người có ảnh hưởng",
                    "That is a name: type the account with its platform, or find the person id with Find an influencer");
    else
        *why = nt_l(r, "Không hiểu được tài khoản này: hãy nhập nền tảng:tài khoản, đường dẫn trang cá nhân hoặc mã người",
                    "This is not an account: type platform:handle, a profile link or a person id");
    return NULL;
}

enum MHD_Result nt_w_report_post(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    report_form f = {.subject = nt_form_field(r, "subject"),
                     .category = nt_form_field(r, "category"),
                     .description = nt_form_field(r, "description"),
                     .contact = nt_form_field(r, "contact")};
    json_t *subject = subject_of(r, f.subject, &f.problem), *made = NULL;
    unsigned status = 400;
    if (subject == NULL) {
        f.field = "subject";
    } else if (f.category == NULL || !nt_str_one_of(f.category, nt_report_categories)) {
        f.problem = nt_l(r, "Hãy chọn loại vi phạm", "Choose what is wrong");
        f.field = "category";
    } else if (nt_blank(f.description)) {
        f.problem = nt_l(r, "Hãy kể điều bạn thấy", "Say what you saw");
        f.field = "description";
    } else {
        json_t *in = json_pack("{s:O, s:s, s:s}", "subject", subject, "category", f.category, "description", f.description);
        const nt_actor *who = reporter(r);
        if (who->role == NT_ROLE_PUBLIC && f.contact != NULL && f.contact[strspn(f.contact, " ")] != '\0')
            json_object_set_new(in, "contact", json_string(f.contact));
        WCTX(r, w);
        nt_err e;
        nt_err_clear(&e);
        int rc = nt_svc_report_create(nt_req_svc(r), &w, who, in, &made, &e);
        json_decref(in);
        if (rc == 0) {
            status = 200;
        } else if (rc == NT_ENOTFOUND || rc == NT_EINVAL) {
            /* The field the service named (subject.*, description, contact), said in a sentence. */
            const char *named = e.nfields > 0 ? e.fields[0].field : "subject";
            f.field = strncmp(named, "subject", 7) == 0 ? "subject" : strcmp(named, "contact") == 0 ? "contact" : "description";
            f.problem =
                rc == NT_ENOTFOUND ? nt_l(r, "Sổ đăng ký không có người này", "The registry has no such person")
                : strcmp(f.field, "contact") == 0
                    ? nt_l(r, "Cách liên hệ dài tối đa 200 ký tự", "Contact details are at most 200 characters")
                : strcmp(f.field, "description") == 0
                    ? nt_l(r, "Điều bạn thấy dài tối đa 2.000 ký tự", "What you saw is at most 2,000 characters")
                    : nt_l(r, "Tài khoản này không hợp lệ trên nền tảng đó", "That is not a valid account on that platform");
        } else {
            json_decref(subject);
            free(f.subject), free(f.category), free(f.description), free(f.contact);
            return nt_respond_error(r, rc, &e);
        }
    }
    ret = report_page(r, &f, made, status);
    json_decref(made);
    json_decref(subject);
    free(f.subject), free(f.category), free(f.description), free(f.contact);
    return ret;
}

/* ---- the inbox ---- */

enum MHD_Result nt_w_console_reports(nt_req *r)
{
    const char *open = nt_uri_param(&r->uri, "unassigned"), *cursor = nt_uri_param(&r->uri, "cursor");
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_report_list(nt_req_svc(r), &r->actor, open, cursor, NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    bool regulator = r->actor.role == NT_ROLE_REGULATOR;
    nt_page_begin(p, r, nt_l(r, "Báo cáo", "Reports"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>",
            regulator ? L("Báo cáo nhận được", "Reports received") : L("Báo cáo của bạn", "Your reports"),
            regulator ? L("Mọi báo cáo, mới nhất sau cùng. Báo cáo chưa thuộc vụ việc nào đang chờ xem xét.",
                          "Every report, newest last. A report not in a case yet is waiting to be looked at.")
                      : L("Các báo cáo tổ chức của bạn đã gửi, và vụ việc nếu có.",
                          "The reports your organisation sent, and their case if any."));
    nt_html(&p->b,
            "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/console/reports?unassigned=true\">%s</a> · "
            "<a class=\"govuk-link\" href=\"/console/reports\">%s</a></p>",
            L("Chỉ báo cáo đang chờ", "Only those waiting"), L("Tất cả", "All"));
    char token[NT_CSRF_LEN + 1] = "";
    if (regulator)
        nt_page_csrf(p, token);
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\" id=\"no-reports\">%s</p>", L("Không có báo cáo nào.", "No reports."));
    } else {
        const char *cols[] = {L("Nhận lúc", "Received"), L("Về ai", "About"), L("Nội dung", "Concern"), L("Vụ việc", "Case")};
        nt_page_table_head(p, L("Báo cáo", "Reports"), cols, 4);
    }
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
    {
        const char *person = nt_json_str(x, "subject_person"), *handle = nt_json_str(x, "subject_handle");
        const char *desc = nt_json_str(x, "description");
        char excerpt[320];
        nt_strlcpy(excerpt, desc ? desc : "", sizeof(excerpt));
        if (desc != NULL && strlen(desc) >= sizeof(excerpt)) { /* cut at a character's start, with an ellipsis */
            size_t n = sizeof(excerpt) - 4;
            while (n > 0 && ((unsigned char)excerpt[n] & 0xC0) == 0x80)
                n--;
            memcpy(excerpt + n, "…", 4);
        }
        nt_html(&p->b,
                "<tr class=\"govuk-table__row\" id=\"%s\"><td class=\"govuk-table__cell\">%T<br><span class=\"govuk-body-s\">%s"
                "</span></td><td class=\"govuk-table__cell\">",
                nt_json_str(x, "id"), nt_json_time(x, "received_at"), nt_json_str(x, "id"));
        if (person != NULL)
            nt_html(&p->b, "<a class=\"govuk-link\" href=\"/persons/%u\">%s</a>", person, person);
        if (handle != NULL)
            nt_html(&p->b, "%s%s:%s", person ? "<br>" : "", nt_json_str(x, "subject_platform"), handle);
        const char *case_id = nt_json_str(x, "case_id");
        nt_html(&p->b, "</td><td class=\"govuk-table__cell\"><strong>%s</strong><br>%s</td><td class=\"govuk-table__cell\">",
                nt_label(p, &nt_categories, nt_json_str(x, "category")), excerpt);
        if (case_id != NULL && regulator)
            nt_html(&p->b, "<a class=\"govuk-link\" href=\"/console/cases/%u\">%s</a>", case_id, case_id);
        else if (case_id != NULL)
            nt_html(&p->b, "%s", case_id);
        else if (regulator && person != NULL) /* a case is about a person the registry holds */
            nt_html(&p->b,
                    "<form method=\"post\" action=\"/console/cases\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"report_id\" value=\"%s\"><button class=\"govuk-button govuk-button--secondary "
                    "nt-button--small\" type=\"submit\">%s<span class=\"govuk-visually-hidden\"> %s</span></button></form>",
                    token, nt_json_str(x, "id"), L("Mở vụ việc", "Open a case"), nt_json_str(x, "id"));
        else
            nt_html(&p->b, "%s", L("Đang chờ", "Waiting"));
        nt_html(&p->b, "</td></tr>");
    }
    if (json_array_size(items) > 0)
        nt_html(&p->b, "</tbody></table>");
    const char *next = nt_json_str(out, "next_cursor");
    if (next != NULL)
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/console/reports?cursor=%u%R\">%s</a></p>", next,
                open ? "&amp;unassigned=true" : "", L("Trang sau", "Next page"));
    json_decref(out);
    return nt_page_end(p, 200);
}
