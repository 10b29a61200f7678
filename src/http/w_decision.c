/* The decision form of a case: what POST /v1/cases/{id}/decision takes, as a page. The form's
 * fields are named by the paths of that body ("signer.name", "legal_bases[0].article",
 * "sanctions[0].end"), so an error the service names lands on its field. Times are typed as people
 * in Vietnam read them (datetime-local, Asia/Ho_Chi_Minh) and sent with their +07:00 offset. A
 * decision is one write through the write pipeline; the due-process rules (a violation names its
 * legal basis and facts and the person was given notice) are the service's, said here at the
 * fields they concern. */
#include "core/caseflow.h"
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/cases.h"
#include "service/decisions.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASES 2 /* legal bases on the form */

/* What a field's error means on this form: the due-process rules said as a regulator reads them
 * (true), or false for the service's own words. */
static bool error_sentence(const nt_req *r, const nt_field_error *e, char *out, size_t cap)
{
    static const char *const rules[][4] = {
        {"issued_at", "out_of_range", "Phải từ khi vụ việc được mở đến bây giờ, không ở tương lai",
         "Must be between the case's opening and now, not in the future"},
        {"notice.sent_at", "out_of_range", "Phải từ khi vụ việc được mở đến bây giờ", "Must be between the case's opening and now"},
        {"legal_bases", "required", "Một vi phạm cần ít nhất một căn cứ pháp lý", "A violation needs at least one legal basis"},
        {"facts", "required", "Một vi phạm cần nêu rõ sự việc", "A violation needs its facts"},
        {"notice", "required", "Người bị xử lý phải được thông báo trước khi ra quyết định",
         "The person must be given notice before a decision"},
        {"sanctions", "invalid", "Không vi phạm thì không có biện pháp", "No violation, no measure"},
    };
    if (strcmp(e->field, "sanctions[0].end") == 0 && strcmp(e->code, "out_of_range") == 0 && e->param > 0) {
        snprintf(out, cap,
                 r->lang == NT_LANG_EN ? "Must be after the start, and a restriction lasts at most %ld days"
                                       : "Phải sau khi bắt đầu, và một hạn chế kéo dài tối đa %ld ngày",
                 e->param);
        return true;
    }
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (strcmp(e->field, rules[i][0]) == 0 && strcmp(e->code, rules[i][1]) == 0) {
            nt_strlcpy(out, r->lang == NT_LANG_EN ? rules[i][3] : rules[i][2], cap);
            return true;
        }
    return false;
}

static const char *const outcomes[][3] = {{"violation", "Có vi phạm", "A violation"},
                                          {"no_violation", "Không vi phạm", "No violation"}};
static const char *const grounds[][3] = {
    {"law", "Pháp luật", "Law"}, {"code_of_conduct", "Bộ quy tắc ứng xử", "Code of conduct"}, {"contract", "Hợp đồng", "Contract"}};
static const char *const sources[][3] = {{"user_report", "Báo cáo của người dân", "A report from the public"},
                                         {"platform", "Nền tảng", "A platform"},
                                         {"authority", "Cơ quan chức năng", "An authority"},
                                         {"own_initiative", "Cơ quan tự phát hiện", "Own initiative"}};
static const char *const types[][3] = {{"", "Không có biện pháp", "No measure"},
                                       {"appearance_restriction", "Hạn chế xuất hiện, biểu diễn", "Appearance restriction"},
                                       {"advertising_ban", "Cấm quảng cáo", "Advertising ban"},
                                       {"fine", "Phạt tiền", "Fine"},
                                       {"warning", "Cảnh cáo", "Warning"},
                                       {"remedial", "Biện pháp khắc phục", "Remedial measure"}};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* How the summary names a field. */
static const char *const labels[][3] = {
    {"number", "Số quyết định", "Number"},
    {"signer.name", "Người ký", "Signed by"},
    {"signer.title", "Chức vụ người ký", "Their title"},
    {"issued_at", "Ngày giờ ban hành", "Issued at"},
    {"outcome", "Kết luận", "Outcome"},
    {"category", "Loại vi phạm", "Category"},
    {"ground", "Căn cứ xử lý", "Ground"},
    {"detection_source", "Phát hiện từ", "How it came to light"},
    {"facts", "Nội dung vi phạm", "The facts"},
    {"notice.sent_at", "Đã thông báo lúc", "Notice given at"},
    {"notice.channel", "Hình thức thông báo", "How notice was given"},
    {"sanctions[0].type", "Loại biện pháp", "Kind of measure"},
    {"sanctions[0].scopes", "Phạm vi hạn chế", "Where the restriction applies"},
    {"sanctions[0].amount_vnd", "Số tiền phạt", "Fine"},
    {"sanctions[0].start", "Bắt đầu", "From"},
    {"sanctions[0].end", "Kết thúc", "Until"},
};

static enum MHD_Result form_page(nt_req *r, const json_t *c, const nt_pform *f, unsigned status)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Ra quyết định", "Issue a decision"));
    if (f->err != NULL)
        nt_pf_summary(p, f, L("Quyết định chưa được ghi", "The decision was not recorded"), "decision-problem");
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    const char *id = nt_json_str(c, "id");
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s <a class=\"govuk-link\" href=\"/console/cases/%u\">%s</a></span>"
            "<h1 class=\"govuk-heading-l\">%s</h1><form method=\"post\" action=\"/console/cases/%u/decision\" novalidate>"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Vụ việc", "Case"), id, id, L("Ra quyết định", "Issue a decision"), id, token);
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Quyết định", "The decision"));
    nt_pf_text(p, f, "number", "text", L("Số quyết định", "Number"), L("Ví dụ 12/QĐ-XPHC", "For example 12/QĐ-XPHC"));
    nt_pf_text(p, f, "signer.name", "text", L("Người ký", "Signed by"), NULL);
    nt_pf_text(p, f, "signer.title", "text", L("Chức vụ người ký", "Their title"), NULL);
    nt_pf_text(p, f, "issued_at", "datetime-local", L("Ngày giờ ban hành", "Issued at"), L("Giờ Việt Nam", "Vietnam time"));
    nt_pf_choice(p, f, "outcome", L("Kết luận", "Outcome"), outcomes, N(outcomes));
    nt_pf_choice(p, f, "category", L("Loại vi phạm", "Category"), nt_categories.v, nt_categories.n);
    nt_pf_choice(p, f, "ground", L("Căn cứ xử lý", "Ground"), grounds, N(grounds));
    nt_pf_choice(p, f, "detection_source", L("Phát hiện từ", "How it came to light"), sources, N(sources));
    nt_pf_text(p, f, "facts", "textarea", L("Nội dung vi phạm (sự việc)", "The facts"),
               L("Bắt buộc khi có vi phạm.", "Required for a violation."));
    nt_pf_section(p, f, "legal_bases", L("Căn cứ pháp lý", "Legal basis"));
    for (int i = 0; i < BASES; i++) {
        char n1[48], n2[48], n3[48];
        snprintf(n1, sizeof(n1), "legal_bases[%d].instrument", i);
        snprintf(n2, sizeof(n2), "legal_bases[%d].article", i);
        snprintf(n3, sizeof(n3), "legal_bases[%d].clause", i);
        nt_html(&p->b,
                "<fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">%s %d%s"
                "</legend>",
                L("Căn cứ", "Basis"), i + 1, i > 0 ? L(" (không bắt buộc)", " (optional)") : "");
        nt_pf_text(p, f, n1, "text", L("Văn bản", "Instrument"),
                   i == 0 ? L("Ví dụ Nghị định 38/2021/NĐ-CP", "For example Decree 38/2021/NĐ-CP") : NULL);
        nt_pf_text(p, f, n2, "text", L("Điều", "Article"), NULL);
        nt_pf_text(p, f, n3, "text", L("Khoản (không bắt buộc)", "Clause (optional)"), NULL);
        nt_html(&p->b, "</fieldset>");
    }
    nt_pf_section(p, f, "notice", L("Thông báo cho người bị xử lý", "Notice to the person"));
    nt_pf_text(p, f, "notice.sent_at", "datetime-local", L("Đã thông báo lúc", "Notice given at"),
               L("Giờ Việt Nam", "Vietnam time"));
    nt_pf_text(p, f, "notice.channel", "text", L("Hình thức thông báo", "How"),
               L("Ví dụ văn bản, thư điện tử", "For example a letter, email"));
    nt_pf_section(p, f, "sanctions", L("Biện pháp", "Measure"));
    nt_pf_choice(p, f, "sanctions[0].type", L("Loại biện pháp", "Kind of measure"), types, N(types));
    char why[200];
    bool bad = nt_pf_error(f, "sanctions[0].scopes", why, sizeof(why));
    nt_html(&p->b,
            "<div class=\"govuk-form-group%s\" id=\"sanctions-0--scopes\"><fieldset class=\"govuk-fieldset\"><legend "
            "class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">%s</legend>",
            bad ? " govuk-form-group--error" : "", L("Phạm vi hạn chế xuất hiện", "Where the restriction applies"));
    if (bad)
        nt_html(&p->b, "<p class=\"govuk-error-message\">%s</p>", why);
    nt_html(&p->b, "<div class=\"govuk-checkboxes govuk-checkboxes--small\">");
    for (size_t i = 0; i < nt_scopes.n; i++) {
        char name[64];
        snprintf(name, sizeof(name), "sanctions[0].scopes.%s", nt_scopes.v[i][0]);
        nt_pf_tick(p, f, name, L(nt_scopes.v[i][1], nt_scopes.v[i][2]));
    }
    nt_html(&p->b, "</div></fieldset></div>");
    nt_pf_text(p, f, "sanctions[0].amount_vnd", "text", L("Số tiền phạt (đồng)", "Fine (VND)"),
               L("Ví dụ 70.000.000", "For example 70.000.000"));
    nt_pf_text(p, f, "sanctions[0].start", "datetime-local", L("Bắt đầu", "From"),
               L("Để trống: từ khi ban hành", "Empty: from issue"));
    nt_pf_text(p, f, "sanctions[0].end", "datetime-local", L("Kết thúc", "Until"), NULL);
    nt_html(&p->b, "<div class=\"govuk-form-group\"><div class=\"govuk-checkboxes govuk-checkboxes--small\">");
    nt_pf_tick(p, f, "sanctions[0].suspend_pending_appeal", L("Tạm dừng khi đang khiếu nại", "Suspended while an appeal is heard"));
    nt_pf_tick(p, f, "publish", L("Công bố quyết định", "Publish the decision"));
    nt_html(&p->b, "</div></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>",
            L("Ban hành quyết định", "Issue the decision"));
    return nt_page_end(p, status);
}

/* The posted form as the body of POST /v1/cases/{id}/decision. */
static json_t *decision_body(const nt_pform *f)
{
    json_t *in = json_object();
    static const char *const plain[] = {"number", "outcome", "category", "ground", "detection_source", "facts"};
    for (size_t i = 0; i < N(plain); i++) {
        char *v = nt_pf_value(f, plain[i]);
        if (v != NULL && v[0])
            json_object_set_new(in, plain[i], json_string(v));
        free(v);
    }
    char *name = nt_pf_value(f, "signer.name"), *title = nt_pf_value(f, "signer.title"), *issued = nt_pf_value(f, "issued_at");
    json_object_set_new(
        in, "signer", json_pack("{s:s?, s:s?}", "name", name && name[0] ? name : NULL, "title", title && title[0] ? title : NULL));
    json_t *t = nt_pf_local_time(issued);
    if (t != NULL)
        json_object_set_new(in, "issued_at", t);
    free(name), free(title), free(issued);
    json_t *bases = json_array();
    for (int i = 0; i < BASES; i++) {
        char n[48];
        snprintf(n, sizeof(n), "legal_bases[%d].instrument", i);
        char *ins = nt_pf_value(f, n);
        snprintf(n, sizeof(n), "legal_bases[%d].article", i);
        char *art = nt_pf_value(f, n);
        snprintf(n, sizeof(n), "legal_bases[%d].clause", i);
        char *cl = nt_pf_value(f, n);
        if ((ins && ins[0]) || (art && art[0]) || (cl && cl[0]))
            json_array_append_new(bases, json_pack("{s:s, s:s, s:s?}", "instrument", ins ? ins : "", "article", art ? art : "",
                                                   "clause", cl && cl[0] ? cl : NULL));
        free(ins), free(art), free(cl);
    }
    json_object_set_new(in, "legal_bases", bases);
    char *sent = nt_pf_value(f, "notice.sent_at"), *channel = nt_pf_value(f, "notice.channel");
    if ((sent && sent[0]) || (channel && channel[0])) {
        json_t *n = json_object();
        json_t *st = nt_pf_local_time(sent);
        json_object_set_new(n, "sent_at", st ? st : json_string(""));
        json_object_set_new(n, "channel", json_string(channel ? channel : ""));
        json_object_set_new(in, "notice", n);
    }
    free(sent), free(channel);
    json_object_set_new(in, "publish", json_boolean(nt_pf_checked(f, "publish")));
    char *type = nt_pf_value(f, "sanctions[0].type");
    if (type != NULL && type[0]) {
        json_t *s = json_pack("{s:s}", "type", type);
        json_t *sc = json_array();
        for (size_t i = 0; i < nt_scopes.n; i++) {
            char n[64];
            snprintf(n, sizeof(n), "sanctions[0].scopes.%s", nt_scopes.v[i][0]);
            if (nt_pf_checked(f, n))
                json_array_append_new(sc, json_string(nt_scopes.v[i][0]));
        }
        if (json_array_size(sc) > 0)
            json_object_set_new(s, "scopes", sc);
        else
            json_decref(sc);
        char *amount = nt_pf_value(f, "sanctions[0].amount_vnd"), *start = nt_pf_value(f, "sanctions[0].start"),
             *end = nt_pf_value(f, "sanctions[0].end");
        if (amount != NULL && amount[0])
            json_object_set_new(s, "amount_vnd", nt_pf_vnd(amount));
        json_t *ts = nt_pf_local_time(start), *te = nt_pf_local_time(end);
        if (ts != NULL)
            json_object_set_new(s, "start", ts);
        if (te != NULL)
            json_object_set_new(s, "end", te);
        json_object_set_new(s, "suspend_pending_appeal", json_boolean(nt_pf_checked(f, "sanctions[0].suspend_pending_appeal")));
        json_object_set_new(in, "sanctions", json_pack("[o]", s));
        free(amount), free(start), free(end);
    }
    free(type);
    return in;
}

/* A case's form starts from what is known: now, the report's category, how it came to light. */
static json_t *defaults_of(const json_t *c)
{
    /* Now, to the second the form shows; never before the case's opening (a decision may follow it
     * within the same second only in a test, but the form must still be right). */
    int64_t at = nt_now_us() / 1000000 * 1000000, opened = nt_json_time(c, "opened_at");
    if (at < opened)
        at = (opened + 999999) / 1000000 * 1000000;
    char now[NT_TIME_LEN];
    nt_time_local(at, now);
    char local[20]; /* to the second: a decision may follow its case's opening within the minute */
    snprintf(local, sizeof(local), "%.19s", now);
    bool reported = json_array_size(json_object_get(c, "report_ids")) > 0;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "issued_at", local, "notice.sent_at", local, "outcome", "violation",
                     "ground", "law", "detection_source", reported ? "user_report" : "own_initiative", "category",
                     "false_advertising", "publish", "1");
}

enum MHD_Result nt_w_decision_form(nt_req *r)
{
    json_t *c = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_case_get(nt_req_svc(r), r->params[0], &c, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    json_t *d = defaults_of(c);
    nt_pform f = {.r = r, .defaults = d, .sentence = error_sentence, .labels = labels, .nlabels = N(labels)};
    enum MHD_Result ret = form_page(r, c, &f, 200);
    json_decref(d);
    json_decref(c);
    return ret;
}

enum MHD_Result nt_w_decision_post(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    json_t *c = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_case_get(nt_req_svc(r), r->params[0], &c, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_pform f = {.r = r, .sentence = error_sentence, .labels = labels, .nlabels = N(labels)};
    json_t *in = decision_body(&f), *d = NULL;
    WCTX(r, w);
    rc = nt_svc_decision_issue(nt_req_svc(r), &w, &r->actor, r->params[0], in, &d, &e);
    json_decref(in);
    if (rc == NT_EINVAL || rc == NT_ECONFLICT) {
        f.err = &e;
        ret = form_page(r, c, &f, rc == NT_EINVAL ? 400 : 409);
    } else if (rc != 0) {
        ret = nt_respond_error(r, rc, &e);
    } else {
        ret = nt_page_redirect_to(r, "/console/cases", r->params[0]);
    }
    json_decref(d);
    json_decref(c);
    return ret;
}
