/* Verified notices issued on the web: a regulator's corrections, scam alerts, product recalls and
 * public information (a platform, press or broadcaster and the secretariat issue all but recalls;
 * an advertiser only recalls of its own products), as POST /v1/notices; the notices with their
 * state; a notice's page with its reach in aggregate and its withdrawal with a reason (as
 * /withdraw). The form's fields carry the API body's paths, so each error lands on its field. A
 * notice is one write through the write pipeline; a recall runs its products' recall in it. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/ads.h"
#include "service/notices.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kind_v[][3] = {
    {"correction", "Đính chính thông tin sai", "A correction"},
    {"scam_alert", "Cảnh báo lừa đảo", "A scam alert"},
    {"product_recall", "Thu hồi sản phẩm", "A product recall"},
    {"public_information", "Thông tin chính thức", "Public information"},
};
static const nt_labels notice_kinds = {N(kind_v), kind_v};

static const char *const severity_v[][3] = {{"minor", "Nhẹ", "Minor"},
                                            {"moderate", "Trung bình", "Moderate"},
                                            {"severe", "Nghiêm trọng", "Severe"},
                                            {"extreme", "Rất nghiêm trọng", "Extreme"}};
static const char *const rating_v[][3] = {{"false", "Sai sự thật", "False"},
                                          {"misleading", "Gây hiểu lầm", "Misleading"},
                                          {"missing_context", "Thiếu bối cảnh", "Missing context"},
                                          {"true", "Đúng", "True"}};
static const char *const state_v[][3] = {{"published", "Đang hiệu lực", "Published"}, {"withdrawn", "Đã rút", "Withdrawn"}};
static const nt_labels notice_states = {N(state_v), state_v};

static const char *const labels[][3] = {
    {"title.vi", "Tiêu đề", "Title"},
    {"summary.vi", "Tóm tắt", "Summary"},
    {"body.vi", "Nội dung", "Body"},
    {"topics", "Chủ đề", "Topics"},
    {"provinces[0]", "Phạm vi", "Where"},
    {"severity", "Mức độ", "Severity"},
    {"valid_until", "Hiệu lực đến", "Valid until"},
    {"sources", "Nguồn", "Sources"},
    {"sources[0].title", "Tên nguồn", "Source's title"},
    {"sources[0].url", "Địa chỉ nguồn", "Source's address"},
    {"claim.text", "Thông tin sai", "The claim"},
    {"claim.appeared", "Xuất hiện ở đâu", "Where it appeared"},
    {"claim.rating", "Đánh giá", "Rating"},
    {"scam.how", "Cách thức lừa đảo", "How the scam works"},
    {"scam.what_to_do", "Người dân nên làm gì", "What to do"},
    {"scam.report_to", "Báo cho ai", "Where to report"},
    {"products", "Sản phẩm thu hồi", "Products recalled"},
};

/* The kinds this role may issue (docs/NOTICES.md). */
static bool may_issue(const nt_req *r, const char *kind)
{
    bool recall = nt_streq(kind, "product_recall");
    switch (r->actor.role) {
    case NT_ROLE_REGULATOR:
        return true;
    case NT_ROLE_ADVERTISER:
        return recall;
    case NT_ROLE_PLATFORM:
    case NT_ROLE_PROGRAMME:
        return !recall;
    default:
        return false;
    }
}

/* ---- the notices ---- */

/* A link to the form of each kind this role may issue. */
static void kinds_list(nt_page *p)
{
    for (size_t i = 0; i < notice_kinds.n; i++)
        if (may_issue(p->r, notice_kinds.v[i][0]))
            nt_html(&p->b, "<li><a class=\"govuk-link\" href=\"/console/notices/new?kind=%u\">%s: %s</a></li>",
                    notice_kinds.v[i][0], L("Ban hành", "Issue"), L(notice_kinds.v[i][1], notice_kinds.v[i][2]));
}

enum MHD_Result nt_w_console_notices(nt_req *r)
{
    nt_notice_query q = {.state = nt_uri_param(&r->uri, "state"), .cursor = nt_uri_param(&r->uri, "cursor"), .limit = NT_LIST_MAX};
    if (q.state == NULL)
        q.state = "published";
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_notice_list(nt_req_svc(r), &q, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Thông báo đã xác minh", "Verified notices"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p><ul class=\"govuk-list\">",
            L("Thông báo đã xác minh", "Verified notices"),
            L("Thông báo đến các thành viên của mạng lưới tin cậy theo chủ đề và tỉnh, thành họ chọn.",
              "Notices reach the trusted network's members by the topics and provinces they chose."));
    kinds_list(p);
    nt_html(&p->b, "</ul>");
    nt_page_states(p, "/console/notices", &notice_states);
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có thông báo nào.", "No notices."));
    } else {
        const char *cols[] = {L("Thông báo", "Notice"), L("Loại", "Kind"), L("Trạng thái", "State")};
        nt_page_table_head(p, L("Thông báo", "Notices"), cols, 3);
        size_t i;
        json_t *n;
        json_array_foreach(items, i, n)
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/console/notices/%u\">%s</a><br><span class=\"govuk-body-s\">%T</span></td><td "
                    "class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td></tr>",
                    nt_json_str(n, "id"), nt_page_text(p, json_object_get(n, "title")), nt_json_time(n, "published_at"),
                    nt_label(p, &notice_kinds, nt_json_str(n, "kind")), nt_label(p, &notice_states, nt_json_str(n, "state")));
        nt_html(&p->b, "</tbody></table>");
    }
    nt_page_next(p, "/console/notices", out);
    json_decref(out);
    return nt_page_end(p, 200);
}

/* ---- the form ---- */

static enum MHD_Result form_page(nt_req *r, const char *kind, const nt_pform *f, unsigned status)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_label(p, &notice_kinds, kind));
    if (f->err != NULL)
        nt_pf_summary(p, f, L("Thông báo chưa được ban hành", "The notice was not issued"), "notice-problem");
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1><form method=\"post\" "
            "action=\"/console/notices\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" "
            "name=\"kind\" value=\"%s\">",
            L("Thông báo đã xác minh", "Verified notice"), nt_label(p, &notice_kinds, kind), token, kind);
    nt_pf_text(p, f, "title.vi", "text", L("Tiêu đề", "Title"), NULL);
    nt_pf_text(p, f, "summary.vi", "textarea", L("Tóm tắt", "Summary"),
               L("Một hai câu, hiện trong danh sách và thông báo đẩy.", "A sentence or two, shown in lists and pushes."));
    nt_pf_text(p, f, "body.vi", "textarea", L("Nội dung", "Body"), NULL);
    nt_pf_text(p, f, "title.en", "text", L("Tiêu đề tiếng Anh (không bắt buộc)", "Title in English (optional)"), NULL);
    if (nt_streq(kind, "correction")) {
        nt_pf_section(p, f, "claim", L("Thông tin được đính chính", "The claim corrected"));
        nt_pf_text(p, f, "claim.text", "textarea", L("Thông tin sai như đã lan truyền", "The claim as it circulated"), NULL);
        nt_pf_text(p, f, "claim.appeared", "textarea", L("Xuất hiện ở đâu", "Where it appeared"),
                   L("Mỗi dòng một địa chỉ web hoặc nền tảng:tài khoản, ví dụ tiktok:@tinnhanh",
                     "One web address or platform:handle per line, e.g. tiktok:@tinnhanh"));
        nt_pf_choice(p, f, "claim.rating", L("Đánh giá", "Rating"), rating_v, N(rating_v));
    } else if (nt_streq(kind, "scam_alert")) {
        nt_pf_section(p, f, "scam", L("Thủ đoạn", "The scam"));
        nt_pf_text(p, f, "scam.how", "textarea", L("Cách thức lừa đảo", "How the scam works"), NULL);
        nt_pf_text(p, f, "scam.impersonated", "textarea",
                   L("Người hoặc tài khoản bị mạo danh (không bắt buộc)", "Persons or accounts impersonated (optional)"),
                   L("Mỗi dòng một mã người (p…) hoặc nền tảng:tài khoản", "One person id (p…) or platform:handle per line"));
        nt_pf_text(p, f, "scam.what_to_do", "textarea", L("Người dân nên làm gì", "What people should do"), NULL);
        nt_pf_text(p, f, "scam.report_to", "text", L("Báo cho ai", "Where to report"), NULL);
    } else if (nt_streq(kind, "product_recall")) {
        nt_pf_section(p, f, "products", L("Sản phẩm thu hồi", "Products recalled"));
        nt_pf_text(p, f, "products", "textarea", L("Mã sản phẩm", "Product ids"),
                   L("Mỗi dòng một mã (prd_…). Quảng cáo của các sản phẩm này tạm dừng ngay khi ban hành.",
                     "One id (prd_…) per line. Their ads are suspended as soon as it is issued."));
    }
    nt_pf_section(p, f, "topics", L("Chủ đề", "Topics"));
    nt_html(&p->b, "<div class=\"govuk-form-group\"><div class=\"govuk-checkboxes govuk-checkboxes--small\">");
    json_t *topics = NULL;
    nt_err e;
    nt_err_clear(&e);
    nt_svc_notice_topics(&topics, &e);
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(topics, "topics"), i, t)
    {
        char name[64];
        snprintf(name, sizeof(name), "topics.%s", nt_json_str(t, "id"));
        nt_pf_tick(p, f, name, nt_page_text(p, json_object_get(t, "title")));
    }
    json_decref(topics);
    nt_html(&p->b, "</div></div>");
    /* Where: the whole country or one province (the API takes a list; the form one place). */
    char *where = nt_pf_value(f, "provinces[0]"), why[200];
    bool bad = nt_pf_error(f, "provinces[0]", why, sizeof(why));
    nt_html(&p->b,
            "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"provinces-0-\">%s</label>%R%s%R<select "
            "class=\"govuk-select\" id=\"provinces-0-\" name=\"provinces[0]\"><option value=\"all\">%s</option>",
            bad ? " govuk-form-group--error" : "", L("Phạm vi", "Where"), bad ? "<p class=\"govuk-error-message\">" : "", why,
            bad ? "</p>" : "", L("Cả nước", "The whole country"));
    json_t *provinces = NULL;
    if (nt_svc_provinces(&provinces, &e) == 0)
        json_array_foreach(json_object_get(provinces, "provinces"), i, t) nt_html(
            &p->b, "<option value=\"%s\"%R>%s</option>", nt_json_str(t, "code"),
            where && nt_streq(where, nt_json_str(t, "code")) ? " selected" : "", nt_page_text(p, json_object_get(t, "name")));
    json_decref(provinces);
    free(where);
    nt_html(&p->b, "</select></div>");
    nt_pf_choice(p, f, "severity", L("Mức độ", "Severity"), severity_v, N(severity_v));
    nt_pf_text(p, f, "valid_until", "date", L("Hiệu lực đến hết ngày", "Valid until the end of"),
               L("Giờ Việt Nam", "Vietnam time"));
    nt_pf_section(p, f, "sources", L("Nguồn", "Sources"));
    nt_html(&p->b, "<p class=\"govuk-body\">%s</p>",
            L("Thông báo không có nguồn sẽ bị từ chối.", "A notice without a source is refused."));
    for (int k = 0; k < 2; k++) {
        char n1[32], n2[32];
        snprintf(n1, sizeof(n1), "sources[%d].title", k);
        snprintf(n2, sizeof(n2), "sources[%d].url", k);
        nt_html(&p->b,
                "<fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">%s %d%s"
                "</legend>",
                L("Nguồn", "Source"), k + 1, k ? L(" (không bắt buộc)", " (optional)") : "");
        nt_pf_text(p, f, n1, "text", L("Tên văn bản hoặc trang", "Title of the document or page"), NULL);
        nt_pf_text(p, f, n2, "url", L("Địa chỉ web", "Web address"), NULL);
        nt_html(&p->b, "</fieldset>");
    }
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form>", L("Ban hành", "Issue"));
    return nt_page_end(p, status);
}

static bool known_kind(const char *kind)
{
    for (size_t i = 0; kind != NULL && i < notice_kinds.n; i++)
        if (strcmp(kind, notice_kinds.v[i][0]) == 0)
            return true;
    return false;
}

static enum MHD_Result kind_refused(nt_req *r, const char *kind)
{
    nt_err e;
    nt_err_clear(&e);
    if (!known_kind(kind))
        return nt_respond_error(r, nt_err_field(&e, "kind", kind ? "invalid" : "required", 0), &e);
    nt_err_set(&e, NT_EFORBIDDEN, "your role may not issue this kind of notice",
               "vai trò của bạn không ban hành loại thông báo này");
    return nt_respond_error(r, NT_EFORBIDDEN, &e);
}

enum MHD_Result nt_w_notice_form(nt_req *r)
{
    const char *kind = nt_uri_param(&r->uri, "kind");
    if (kind == NULL) { /* which kind first */
        nt_page pg = {.r = r}, *p = &pg;
        nt_page_begin(p, r, nt_l(r, "Ban hành thông báo", "Issue a notice"));
        nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><ul class=\"govuk-list\">", L("Ban hành thông báo", "Issue a notice"));
        kinds_list(p);
        nt_html(&p->b, "</ul>");
        return nt_page_end(p, 200);
    }
    if (!known_kind(kind) || !may_issue(r, kind))
        return kind_refused(r, kind);
    /* A new notice: moderate, the whole country, valid for 30 days. */
    char local[NT_TIME_LEN], until[16];
    nt_time_local(nt_now_us() + 30LL * 86400 * 1000000, local);
    snprintf(until, sizeof(until), "%.10s", local);
    json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "severity", "moderate", "provinces[0]", "all", "valid_until", until,
                          "claim.rating", "false");
    nt_pform f = {.r = r, .defaults = d, .labels = labels, .nlabels = N(labels)};
    enum MHD_Result ret = form_page(r, kind, &f, 200);
    json_decref(d);
    return ret;
}

/* Lines of a textarea as a list (empty lines dropped), or NULL when none. */
static json_t *lines(const char *s)
{
    json_t *a = json_array();
    while (s != NULL && *s) {
        size_t n = strcspn(s, "\r\n");
        const char *b = s, *e = s + n;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > b)
            json_array_append_new(a, json_stringn(b, (size_t)(e - b)));
        s += n;
        s += strspn(s, "\r\n");
    }
    if (json_array_size(a) == 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* A posted field into o[key] when typed (as a string, or by conv). */
static void put(const nt_pform *f, json_t *o, const char *key, const char *name, json_t *(*conv)(const char *))
{
    char *v = nt_pf_value(f, name);
    if (!nt_blank(v)) {
        json_t *x = conv ? conv(v) : json_string(v);
        if (x != NULL)
            json_object_set_new(o, key, x);
    }
    free(v);
}

/* A day typed (YYYY-MM-DD) as the end of that day in Vietnam. */
static json_t *day_end(const char *v)
{
    char out[48];
    if (strlen(v) == 10 && v[4] == '-' && v[7] == '-')
        snprintf(out, sizeof(out), "%sT23:59:59+07:00", v);
    else
        snprintf(out, sizeof(out), "%s", v);
    return json_string(out);
}

/* The posted form as the body of POST /v1/notices. */
static json_t *notice_body(const nt_pform *f, const char *kind)
{
    json_t *in = json_pack("{s:s}", "kind", kind);
    static const char *const texts[] = {"title", "summary", "body"};
    for (size_t i = 0; i < N(texts); i++) {
        json_t *t = json_object();
        char name[32];
        snprintf(name, sizeof(name), "%s.vi", texts[i]);
        put(f, t, "vi", name, NULL);
        snprintf(name, sizeof(name), "%s.en", texts[i]);
        put(f, t, "en", name, NULL);
        json_object_set_new(in, texts[i], t);
    }
    json_t *topics = json_array(), *topic_list = NULL;
    nt_err e;
    nt_err_clear(&e);
    nt_svc_notice_topics(&topic_list, &e);
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(topic_list, "topics"), i, t)
    {
        char name[64];
        snprintf(name, sizeof(name), "topics.%s", nt_json_str(t, "id"));
        if (nt_pf_checked(f, name))
            json_array_append_new(topics, json_string(nt_json_str(t, "id")));
    }
    json_decref(topic_list);
    json_object_set_new(in, "topics", topics);
    char *where = nt_pf_value(f, "provinces[0]");
    json_object_set_new(in, "provinces", json_pack("[s]", where && where[0] ? where : "all"));
    free(where);
    put(f, in, "severity", "severity", NULL);
    put(f, in, "valid_until", "valid_until", day_end);
    json_t *sources = json_array();
    for (int k = 0; k < 2; k++) {
        char n1[32], n2[32];
        snprintf(n1, sizeof(n1), "sources[%d].title", k);
        snprintf(n2, sizeof(n2), "sources[%d].url", k);
        json_t *s = json_object();
        put(f, s, "title", n1, NULL);
        put(f, s, "url", n2, NULL);
        if (json_object_size(s) > 0 || k == 0)
            json_array_append_new(sources, s);
        else
            json_decref(s);
    }
    json_object_set_new(in, "sources", sources);
    if (nt_streq(kind, "correction")) {
        json_t *c = json_object();
        put(f, c, "text", "claim.text", NULL);
        put(f, c, "appeared", "claim.appeared", lines);
        put(f, c, "rating", "claim.rating", NULL);
        json_object_set_new(in, "claim", c);
    } else if (nt_streq(kind, "scam_alert")) {
        json_t *s = json_object();
        put(f, s, "how", "scam.how", NULL);
        put(f, s, "impersonated", "scam.impersonated", lines);
        put(f, s, "what_to_do", "scam.what_to_do", NULL);
        put(f, s, "report_to", "scam.report_to", NULL);
        json_object_set_new(in, "scam", s);
    } else if (nt_streq(kind, "product_recall")) {
        put(f, in, "products", "products", lines);
    }
    return in;
}

/* A list item's error ("claim.appeared[2]") reported on the list's field. */
static void errors_on_lists(nt_err *e)
{
    for (int i = 0; i < e->nfields; i++) {
        char *b = strchr(e->fields[i].field, '[');
        if (b != NULL &&
            (strncmp(e->fields[i].field, "claim.appeared", 14) == 0 || strncmp(e->fields[i].field, "scam.impersonated", 17) == 0 ||
             strncmp(e->fields[i].field, "products", 8) == 0 || strncmp(e->fields[i].field, "topics", 6) == 0))
            *b = '\0';
    }
}

enum MHD_Result nt_w_notice_issue(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *kind = nt_form_field(r, "kind");
    if (!known_kind(kind) || !may_issue(r, kind)) {
        ret = kind_refused(r, kind);
        free(kind);
        return ret;
    }
    nt_pform f = {.r = r, .labels = labels, .nlabels = N(labels)};
    json_t *in = notice_body(&f, kind), *n = NULL;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_notice_create(nt_req_svc(r), &w, &r->actor, in, &n, &e);
    json_decref(in);
    if (rc == NT_EINVAL || rc == NT_ECONFLICT || rc == NT_EFORBIDDEN) {
        errors_on_lists(&e);
        f.err = &e;
        ret = form_page(r, kind, &f, rc == NT_EINVAL ? 400 : rc == NT_ECONFLICT ? 409 : 403);
    } else if (rc != 0) {
        ret = nt_respond_error(r, rc, &e);
    } else {
        ret = nt_page_redirect_to(r, "/console/notices", nt_json_str(n, "id"));
    }
    json_decref(n);
    free(kind);
    return ret;
}

/* ---- a notice ---- */

/* A recall's products, each with whether it is recalled still and, for a regulator, the lifting of
 * its recall with a reason (as POST /v1/products/{id}/recall/lift). */
static void recalled_products(nt_page *p, const json_t *n)
{
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Sản phẩm thu hồi", "Products recalled"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(n, "products"), i, x)
    {
        json_t *pr = NULL;
        nt_err e;
        nt_err_clear(&e);
        const char *id = json_string_value(x);
        if (nt_svc_product_get(nt_req_svc(p->r), id, &pr, &e) != 0)
            continue;
        bool recalled = nt_json_str(pr, "recalled_at") != NULL && nt_json_str(pr, "recall_lifted_at") == NULL;
        nt_html(&p->b, "<h3 class=\"govuk-heading-s\" id=\"product-%s\">%s — %s</h3>", id, nt_json_str(pr, "name"),
                recalled ? L("đang bị thu hồi", "recalled") : L("đã dỡ bỏ thu hồi", "recall lifted"));
        if (recalled) {
            char name[64];
            snprintf(name, sizeof(name), "reason-%s", id);
            nt_html(&p->b,
                    "<form method=\"post\" action=\"/console/products/%u/lift\" novalidate><input type=\"hidden\" name=\"csrf\" "
                    "value=\"%s\"><input type=\"hidden\" name=\"notice\" value=\"%s\">",
                    id, token, nt_json_str(n, "id"));
            nt_page_input(p, name, "text", L("Lý do dỡ bỏ thu hồi", "Why the recall is lifted"),
                          L("Quảng cáo của sản phẩm chạy lại nếu không còn gì khác ngăn.",
                            "Its ads run again unless something else stops them."),
                          NULL, NULL, "off", NULL);
            nt_html(&p->b, "<button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>",
                    L("Dỡ bỏ thu hồi", "Lift the recall"));
        }
        json_decref(pr);
    }
}

enum MHD_Result nt_w_recall_lift(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char name[80];
    snprintf(name, sizeof(name), "reason-%s", r->params[0]);
    char *reason = nt_form_field(r, name), *notice = nt_form_field(r, "notice");
    json_t *in = json_pack("{s:s?}", "reason", nt_blank(reason) ? NULL : reason), *pr = NULL;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_product_recall_lift(nt_req_svc(r), &w, r->params[0], in, &pr, &e);
    json_decref(in);
    json_decref(pr);
    if (rc == 0 && notice != NULL && strncmp(notice, "ntc_", 4) == 0 &&
        strspn(notice, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(notice))
        ret = nt_page_redirect_to(r, "/console/notices", notice);
    else
        ret = rc ? nt_respond_error(r, rc, &e) : nt_respond_redirect(r, 303, "/console/notices");
    free(reason);
    free(notice);
    return ret;
}

static enum MHD_Result notice_page(nt_req *r, const char *problem, unsigned status)
{
    json_t *n = NULL, *reach = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_notice_get(nt_req_svc(r), r->params[0], &n, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    bool reach_ok = nt_svc_notice_reach(nt_req_svc(r), &r->actor, r->params[0], &reach, &e) == 0;
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_page_text(p, json_object_get(n, "title")));
    if (problem != NULL)
        nt_page_error_summary(p, problem, "reason");
    const char *id = nt_json_str(n, "id"), *state = nt_json_str(n, "state");
    char version[16], published[40] = "";
    snprintf(version, sizeof(version), "%lld", (long long)json_integer_value(json_object_get(n, "version")));
    nt_html_time(published, sizeof(published), nt_json_time(n, "published_at"));
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1><dl class=\"govuk-summary-list\">",
            nt_label(p, &notice_kinds, nt_json_str(n, "kind")), nt_page_text(p, json_object_get(n, "title")));
    nt_page_row(p, L("Trạng thái", "State"), nt_label(p, &notice_states, state), "notice-state");
    nt_page_row(p, L("Phiên bản", "Version"), version, NULL);
    nt_page_row(p, L("Ban hành", "Issued"), published, NULL);
    nt_page_row(p, L("Tóm tắt", "Summary"), nt_page_text(p, json_object_get(n, "summary")), NULL);
    nt_html(&p->b, "</dl><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/notices/%u\">%s</a></p>", id,
            L("Trang công khai của thông báo", "The notice's public page"));
    if (reach_ok) {
        const json_t *total = json_object_get(reach, "total");
        nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><dl class=\"govuk-summary-list\" id=\"reach\">",
                L("Mức độ tiếp cận", "Reach"));
        static const char *const keys[][3] = {
            {"delivered", "Đã gửi tới", "Delivered to"}, {"read", "Đã đọc", "Read"}, {"shared", "Đã chia sẻ", "Shared"}};
        for (size_t i = 0; i < N(keys); i++) {
            const json_t *v = json_object_get(total, keys[i][0]);
            char s[24];
            if (json_is_integer(v))
                snprintf(s, sizeof(s), "%lld", (long long)json_integer_value(v));
            else
                snprintf(s, sizeof(s), "%s", json_is_string(v) ? json_string_value(v) : "—");
            nt_page_row(p, L(keys[i][1], keys[i][2]), s, NULL);
        }
        nt_html(&p->b, "</dl>");
    }
    if (nt_streq(nt_json_str(n, "kind"), "product_recall") && r->actor.role == NT_ROLE_REGULATOR)
        recalled_products(p, n);
    if (nt_streq(state, "published")) {
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        nt_html(&p->b,
                "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/notices/%u/withdraw\" novalidate>"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                L("Rút thông báo", "Withdraw the notice"), id, token);
        nt_page_textarea(p, "reason", L("Lý do", "Reason"),
                         L("Hiện trên trang công khai của thông báo.", "Shown on the notice's public page."), NULL, problem);
        nt_html(&p->b, "<button class=\"govuk-button govuk-button--warning\" type=\"submit\">%s</button></form>",
                L("Rút thông báo", "Withdraw"));
    }
    json_decref(reach);
    json_decref(n);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_notice(nt_req *r)
{
    return notice_page(r, NULL, 200);
}

enum MHD_Result nt_w_notice_withdraw(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *reason = nt_form_field(r, "reason");
    json_t *in = json_pack("{s:s?}", "reason", nt_blank(reason) ? NULL : reason), *n = NULL;
    free(reason);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_notice_withdraw(nt_req_svc(r), &w, &r->actor, r->params[0], in, &n, &e);
    json_decref(in);
    json_decref(n);
    if (rc == NT_EINVAL)
        return notice_page(r, nt_l(r, "Hãy nêu lý do rút thông báo", "Give the reason for withdrawing it"), 400);
    if (rc == NT_ECONFLICT || rc == NT_EFORBIDDEN)
        return notice_page(r, nt_err_said(r, &e), rc == NT_ECONFLICT ? 409 : 403);
    return rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/notices", r->params[0]);
}
