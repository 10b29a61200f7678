/* The public pages: find an influencer, their profile, the restrictions in force, a decision, an
 * ad by its code, notices, a certificate, the log. Each asks the same services as the API. */
#include "core/ads.h"
#include "core/notices.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/query.h"
#include "http/web.h"
#include "service/ads.h"
#include "service/certificates.h"
#include "service/check.h"
#include "service/decisions.h"
#include "service/notices.h"
#include "service/registry.h"
#include "service/tlog.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q(name) nt_uri_param(&r->uri, name)

static const nt_actor public_actor = {.role = NT_ROLE_PUBLIC};

/* A text of the data in the page's language: {"vi": …, "en": …} or a plain string. */
/* A time field of the data as people read it, or an empty cell. */
static void time_cell(nt_page *p, const json_t *o, const char *k)
{
    if (nt_json_str(o, k) != NULL)
        nt_html(&p->b, "%T", nt_json_time(o, k));
    else
        nt_html(&p->b, "—");
}

static const char *sanction_name(const nt_page *p, const char *type)
{
    return nt_label(p, &nt_sanction_types, type);
}

static void list_text(nt_page *p, const json_t *scopes)
{
    size_t i;
    json_t *s;
    json_array_foreach(scopes, i, s) nt_html(&p->b, "%s%s", i ? ", " : "", json_string_value(s));
}

/* A table's head: its column headers, the last one numeric when asked; the body follows. */
static void table_head(nt_page *p, const char *const *cols, size_t n, bool last_numeric)
{
    nt_html(&p->b, "<table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
    for (size_t i = 0; i < n; i++)
        nt_html(&p->b, "<th scope=\"col\" class=\"govuk-table__header%s\">%s</th>",
                last_numeric && i == n - 1 ? " govuk-table__header--numeric" : "", cols[i]);
    nt_html(&p->b, "</tr></thead><tbody class=\"govuk-table__body\">");
}

static void search_form(nt_page *p, const char *q)
{
    nt_html(&p->b,
            "<form action=\"/search\" method=\"get\" role=\"search\" class=\"nt-search\"><div class=\"govuk-form-group\">"
            "<label class=\"govuk-label govuk-label--m\" for=\"q\">%s</label><div class=\"govuk-hint\" id=\"q-hint\">%s</div>"
            "<input class=\"govuk-input\" id=\"q\" name=\"q\" type=\"search\" maxlength=\"200\" aria-describedby=\"q-hint\" "
            "value=\"%s\"></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>",
            L("Tên, nghệ danh hoặc tài khoản", "Name, stage name or account"),
            L("Không cần gõ dấu, ví dụ: nguyen thi thao hoặc @thao.studio",
              "No diacritics needed, for example: nguyen thi thao or @thao.studio"),
            q ? q : "", L("Tìm", "Search"));
}

enum MHD_Result nt_w_home(nt_req *r)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Trang chủ", "Home"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-xl\">%s</h1><p class=\"govuk-body-l\">%s</p>",
            L("Tra cứu người có ảnh hưởng trên mạng", "Look up an online influencer"),
            L("Xem tài khoản, chứng nhận Influencer Trust, các hạn chế đang áp dụng và quyết định đã công bố — mỗi "
              "điều đều có căn cứ pháp lý và được ghi vào nhật ký công khai.",
              "See their accounts, their Influencer Trust certificate, the restrictions in force and the decisions "
              "published — each with its legal basis, and recorded in a public log."));
    search_form(p, NULL);
    static const char *const links[][5] = {
        {"/restrictions", "Hạn chế đang áp dụng", "Restrictions in force",
         "Ai đang bị hạn chế xuất hiện, quảng cáo, theo quyết định nào.",
         "Who may not appear or advertise, and by which decision."},
        {"/ads", "Tra cứu quảng cáo", "Look up an ad", "Kiểm tra mã quảng cáo (QC-…) trên một bài đăng.",
         "Check the ad code (QC-…) shown on a post."},
        {"/notices", "Thông báo đã kiểm chứng", "Verified notices", "Đính chính, cảnh báo lừa đảo, thu hồi sản phẩm.",
         "Corrections, scam alerts, product recalls."},
        {"/log", "Nhật ký công khai", "The public log", "Mọi quyết định được ghi lại, không thể sửa âm thầm.",
         "Every decision recorded, never edited silently."},
        {"/transparency", "Số liệu minh bạch", "Transparency numbers",
         "Báo cáo, quyết định, biện pháp, khiếu nại theo tháng; dữ liệu mở.",
         "Reports, decisions, measures and appeals by month; open data."}};
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list\">", L("Xem thêm", "Also"));
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
        nt_html(&p->b, "<li><a class=\"govuk-link govuk-!-font-weight-bold\" href=\"%s\">%s</a><br>%s</li>", links[i][0],
                L(links[i][1], links[i][2]), L(links[i][3], links[i][4]));
    nt_html(&p->b, "</ul>");
    return nt_page_end(p, 200);
}

static void person_row(nt_page *p, const json_t *person, const char *via)
{
    nt_html(&p->b, "<li><a class=\"govuk-link govuk-!-font-weight-bold\" href=\"/persons/%u\">%s</a>", nt_json_str(person, "id"),
            nt_json_str(person, "legal_name"));
    const json_t *aliases = json_object_get(person, "aliases");
    if (json_array_size(aliases) > 0) {
        nt_html(&p->b, " <span class=\"nt-meta\">(");
        list_text(p, aliases);
        nt_html(&p->b, ")</span>");
    }
    if (via != NULL)
        nt_html(&p->b, "<br><span class=\"nt-meta\">%s %s</span>", L("tài khoản", "account"), via);
    nt_html(&p->b, "</li>");
}

enum MHD_Result nt_w_search(nt_req *r)
{
    const char *q = Q("q");
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, q && q[0] ? q : nt_l(r, "Tìm kiếm", "Search"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", L("Tìm người có ảnh hưởng", "Find an influencer"));
    search_form(p, q);
    if (q == NULL || q[0] == '\0')
        return nt_page_end(p, 200);
    if (nt_text_length(q) > 200) {
        nt_html(&p->b, "<p class=\"govuk-error-message\">%s</p>",
                L("Nội dung tìm quá dài (tối đa 200 ký tự).", "The search is too long (200 characters at most)."));
        return nt_page_end(p, 400);
    }
    int found = 0;
    nt_html(&p->b, "<ul class=\"govuk-list govuk-list--spaced\">");
    /* An account, on any platform, written with or without its @. */
    const char *handle = q[0] == '@' ? q + 1 : q;
    for (const char *const *pl = nt_platforms; strchr(handle, ' ') == NULL && *pl != NULL; pl++) {
        json_t *acct = NULL, *person = NULL;
        nt_err e;
        nt_err_clear(&e);
        if (nt_svc_account_get(nt_req_svc(r), *pl, handle, &acct, &e) != 0)
            continue;
        nt_err_clear(&e);
        if (nt_json_str(acct, "person_id") != NULL &&
            nt_svc_person_get(nt_req_svc(r), nt_json_str(acct, "person_id"), &person, &e) == 0) {
            char via[200];
            snprintf(via, sizeof(via), "%s %s", *pl, nt_json_str(acct, "display_handle"));
            person_row(p, person, via);
            found++;
        }
        json_decref(person);
        json_decref(acct);
    }
    json_t *o = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (nt_svc_person_search(nt_req_svc(r), q, Q("cursor"), 20, &o, &e) == 0) {
        size_t i;
        json_t *person;
        json_array_foreach(json_object_get(o, "items"), i, person)
        {
            person_row(p, person, NULL);
            found++;
        }
    }
    nt_html(&p->b, "</ul>");
    if (found == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>",
                L("Không tìm thấy ai. Hãy thử tên không dấu, nghệ danh hoặc tài khoản.",
                  "No one found. Try the name without diacritics, a stage name or an account."));
    else if (nt_json_str(o, "next_cursor") != NULL)
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/search?q=%u&amp;cursor=%u\">%s</a></p>", q,
                nt_json_str(o, "next_cursor"), L("Xem thêm kết quả", "More results"));
    json_decref(o);
    return nt_page_end(p, 200);
}

/* The sanctions of a person's published decisions, those in force first in the table. */
static void decisions_of(nt_page *p, const char *person_id)
{
    nt_req *r = p->r;
    json_t *list = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (nt_svc_decision_list(nt_req_svc(r), &public_actor, person_id, NULL, "true", NULL, NULL, NULL, 50, &list, &e) != 0)
        return;
    json_t *items = json_object_get(list, "items");
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Hạn chế đang áp dụng", "Restrictions in force"));
    int in_force = 0;
    size_t i;
    json_t *d;
    json_array_foreach(items, i, d)
    {
        json_t *full = NULL;
        nt_err_clear(&e);
        if (nt_svc_decision_get(nt_req_svc(r), &public_actor, nt_json_str(d, "id"), &full, &e) != 0)
            continue;
        size_t k;
        json_t *s;
        json_array_foreach(json_object_get(full, "sanctions"), k, s) if (nt_streq(nt_json_str(s, "state"), "active"))
        {
            if (in_force++ == 0) {
                const char *const cols[] = {L("Biện pháp", "Measure"), L("Phạm vi", "Scope"), L("Đến", "Until"),
                                            L("Quyết định", "Decision")};
                table_head(p, cols, 4, false);
            }
            nt_html(&p->b, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
                    sanction_name(p, nt_json_str(s, "type")));
            list_text(p, json_object_get(s, "scopes"));
            nt_html(&p->b, "</td><td class=\"govuk-table__cell\">");
            time_cell(p, s, "end_at");
            nt_html(&p->b, "</td><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/decisions/%u\">%s</a></td></tr>",
                    nt_json_str(full, "id"), nt_json_str(full, "number"));
        }
        json_decref(full);
    }
    if (in_force > 0)
        nt_html(&p->b, "</tbody></table>");
    else
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có hạn chế nào đang áp dụng.", "No restriction in force."));
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Quyết định đã công bố", "Published decisions"));
    if (json_array_size(items) == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa có quyết định nào được công bố.", "No decision published."));
    else {
        nt_html(&p->b, "<ul class=\"govuk-list\">");
        json_array_foreach(items, i, d)
        {
            nt_html(&p->b, "<li><a class=\"govuk-link\" href=\"/decisions/%u\">%s</a> — %s, ", nt_json_str(d, "id"),
                    nt_json_str(d, "number"), nt_json_str(d, "authority"));
            time_cell(p, d, "issued_at");
            nt_html(&p->b, "</li>");
        }
        nt_html(&p->b, "</ul>");
    }
    json_decref(list);
}

static const char *status_word(const nt_page *p, const char *status)
{
    for (size_t i = 0; status != NULL && i < nt_certificate_statuses.n; i++)
        if (strcmp(status, nt_certificate_statuses.v[i][0]) == 0)
            return L(nt_certificate_statuses.v[i][1], nt_certificate_statuses.v[i][2]);
    return L("Không nhận ra", "Unrecognised");
}

static const char *status_class(const char *status)
{
    return nt_streq(status, "active")      ? "valid"
           : nt_streq(status, "suspended") ? "suspended"
           : nt_streq(status, "revoked")   ? "revoked"
           : nt_streq(status, "expired")   ? "expired"
                                           : "unrecognised";
}

enum MHD_Result nt_w_person(nt_req *r)
{
    json_t *o = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_person_get(nt_req_svc(r), r->params[0], &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_svc_person_view(o, NT_ROLE_PUBLIC);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_json_str(o, "legal_name"));
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-xl\">%s</h1>",
            L("Người có ảnh hưởng", "Influencer"), nt_json_str(o, "legal_name"));
    if (json_array_size(json_object_get(o, "aliases")) > 0) {
        nt_html(&p->b, "<p class=\"govuk-body-l\">%s: ", L("Nghệ danh", "Also known as"));
        list_text(p, json_object_get(o, "aliases"));
        nt_html(&p->b, "</p>");
    }
    /* The certificate, with its live badge and page. */
    json_t *cert = NULL;
    nt_err_clear(&e);
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Chứng nhận Influencer Trust", "Influencer Trust certificate"));
    if (nt_svc_person_certificate(nt_req_svc(r), r->params[0], &cert, &e) == 0) {
        const char *st = nt_json_str(cert, "status");
        nt_html(&p->b,
                "<p class=\"govuk-body\"><strong class=\"nt-status nt-status--%s\">%s</strong> %s %T. "
                "<a class=\"govuk-link\" href=\"/certificates/%u\">%s</a></p>",
                status_class(st), status_word(p, st), L("hiệu lực đến", "valid until"), nt_json_time(cert, "valid_until"),
                nt_json_str(cert, "id"), L("Xem và kiểm chứng chứng nhận", "See and verify the certificate"));
    } else {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có chứng nhận.", "No certificate."));
    }
    json_decref(cert);
    /* Accounts. */
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Tài khoản", "Accounts"));
    json_t *accounts = json_object_get(o, "accounts");
    if (json_array_size(accounts) == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa ghi nhận tài khoản nào.", "No account recorded."));
    else {
        const char *const cols[] = {L("Nền tảng", "Platform"), L("Tài khoản", "Account"), L("Người theo dõi", "Followers")};
        table_head(p, cols, 3, true);
        size_t i;
        json_t *a;
        json_array_foreach(accounts, i, a)
        {
            char followers[32] = "—";
            if (json_is_integer(json_object_get(a, "followers"))) {
                nt_html_vnd(followers, sizeof(followers), json_integer_value(json_object_get(a, "followers")));
                followers[strcspn(followers, "\xc2")] = '\0'; /* the grouping without the currency */
            }
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td>"
                    "<td class=\"govuk-table__cell govuk-table__cell--numeric\">%s</td></tr>",
                    nt_json_str(a, "platform"), nt_json_str(a, "display_handle"), followers);
        }
        nt_html(&p->b, "</tbody></table>");
    }
    decisions_of(p, r->params[0]);
    json_decref(o);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_restrictions(nt_req *r)
{
    json_t *o = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_restrictions_public(nt_req_svc(r), Q("q"), Q("cursor"), 50, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Hạn chế đang áp dụng", "Restrictions in force"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s %T.</p>",
            L("Hạn chế đang áp dụng", "Restrictions in force"), L("Theo sổ đăng ký lúc", "As the registry stood at"),
            nt_json_time(o, "checked_at"));
    nt_html(&p->b,
            "<form action=\"/restrictions\" method=\"get\" class=\"nt-search\"><div class=\"govuk-form-group\">"
            "<label class=\"govuk-label\" for=\"rq\">%s</label><input class=\"govuk-input\" id=\"rq\" name=\"q\" type=\"search\" "
            "maxlength=\"200\" value=\"%s\"></div><button class=\"govuk-button govuk-button--secondary\" "
            "type=\"submit\">%s</button></form>",
            L("Lọc theo tên", "Filter by name"), Q("q") ? Q("q") : "", L("Lọc", "Filter"));
    json_t *items = json_object_get(o, "items");
    if (json_array_size(items) == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có hạn chế nào.", "No restriction."));
    else {
        const char *const cols[] = {L("Người", "Person"), L("Biện pháp, phạm vi", "Measure, scope"), L("Thời hạn", "Period"),
                                    L("Quyết định", "Decision")};
        table_head(p, cols, 4, false);
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x)
        {
            nt_html(
                &p->b,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/persons/%u\">%s</a>"
                "</td><td class=\"govuk-table__cell\">%s: ",
                nt_json_str(x, "person_id"), nt_json_str(x, "name"), sanction_name(p, nt_json_str(x, "type")));
            list_text(p, json_object_get(x, "scopes"));
            nt_html(&p->b, "</td><td class=\"govuk-table__cell\">");
            time_cell(p, x, "start_at");
            nt_html(&p->b, " – ");
            time_cell(p, x, "end_at");
            nt_html(&p->b,
                    "</td><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/decisions/%u\">%s</a><br>%s</td></tr>",
                    nt_json_str(x, "decision_id"), nt_json_str(x, "decision_number"), nt_json_str(x, "authority"));
        }
        nt_html(&p->b, "</tbody></table>");
        if (nt_json_str(o, "next_cursor") != NULL)
            nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/restrictions?cursor=%u\">%s</a></p>",
                    nt_json_str(o, "next_cursor"), L("Trang sau", "Next page"));
    }
    json_decref(o);
    return nt_page_end(p, 200);
}

/* A row of a summary list: its key and, written by the caller, its value. */
static void row_open(nt_page *p, const char *key)
{
    nt_html(&p->b,
            "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
            "<dd class=\"govuk-summary-list__value\">",
            key);
}
#define ROW_CLOSE "</dd></div>"

/* A decision as who may read it: the public its published ones; on the console a regulator any, an
 * influencer theirs, with whether it is published. */
static enum MHD_Result decision_page(nt_req *r, const nt_actor *who, bool console)
{
    json_t *d = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_decision_get(nt_req_svc(r), who, r->params[0], &d, &e);
    if (rc == 0 && console && who->role == NT_ROLE_KOL && !nt_streq(nt_json_str(d, "person_id"), who->person_id)) {
        json_decref(d); /* published, but another person's: the public page is where to read it */
        rc = nt_err_set(&e, NT_ENOTFOUND, "no decision %s about you", "không có quyết định %s về bạn", r->params[0]);
    }
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_json_str(d, "number"));
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s %s</h1><dl class=\"govuk-summary-list\">",
            nt_json_str(d, "authority"), L("Quyết định", "Decision"), nt_json_str(d, "number"));
    if (console) {
        const json_t *pub = json_object_get(d, "publish");
        bool published = json_is_true(pub) || (json_is_integer(pub) && json_integer_value(pub) != 0);
        bool delisted = nt_json_str(d, "delist_at") != NULL && nt_json_time(d, "delist_at") <= nt_now_us();
        row_open(p, L("Công bố", "Published"));
        nt_html(&p->b, "<span id=\"decision-published\">%s</span>" ROW_CLOSE,
                delisted    ? L("Đã gỡ khỏi danh sách công khai", "Delisted")
                : published ? L("Đã công bố", "Published")
                            : L("Chưa công bố: chỉ cơ quan quản lý và người bị xử lý xem được",
                                "Not published: only regulators and the person see it"));
    }
    row_open(p, L("Người bị xử lý", "Person"));
    json_t *person = NULL;
    nt_err_clear(&e);
    nt_svc_person_get(nt_req_svc(r), nt_json_str(d, "person_id"), &person, &e);
    nt_html(&p->b, "<a class=\"govuk-link\" href=\"/persons/%u\">%s</a>" ROW_CLOSE, nt_json_str(d, "person_id"),
            person ? nt_json_str(person, "legal_name") : nt_json_str(d, "person_id"));
    json_decref(person);
    row_open(p, L("Ngày ký", "Issued"));
    time_cell(p, d, "issued_at");
    nt_html(&p->b, ", %s (%s)" ROW_CLOSE, nt_json_str(d, "signer_name"), nt_json_str(d, "signer_title"));
    row_open(p, L("Căn cứ pháp lý", "Legal basis"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(d, "legal_bases"), i, x) nt_html(
        &p->b, "%s%s %s, %s", i ? "; " : "", nt_json_str(x, "clause"), nt_json_str(x, "article"), nt_json_str(x, "instrument"));
    nt_html(&p->b, ROW_CLOSE);
    row_open(p, L("Hành vi", "Facts"));
    nt_html(&p->b, "%s" ROW_CLOSE, nt_json_str(d, "facts"));
    row_open(p, L("Thông báo cho người bị xử lý", "Notice to the person"));
    time_cell(p, json_object_get(d, "notice"), "sent_at");
    nt_html(&p->b, ", %s" ROW_CLOSE, nt_json_str(json_object_get(d, "notice"), "channel"));
    row_open(p, L("Khiếu nại", "Appeal"));
    const json_t *ap = json_object_get(d, "appeal");
    nt_html(&p->b, "%s ", L("Hạn khiếu nại:", "Appeal by:"));
    time_cell(p, ap, "deadline");
    if (nt_json_str(ap, "state") != NULL)
        nt_html(&p->b, " — %s: <span id=\"appeal-state\">%s</span>", L("đã khiếu nại", "appealed"),
                nt_label(p, &nt_appeal_states, nt_json_str(ap, "state")));
    nt_html(&p->b, ROW_CLOSE "</dl><h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list govuk-list--bullet\">",
            L("Biện pháp", "Measures"));
    json_array_foreach(json_object_get(d, "sanctions"), i, x)
    {
        nt_html(&p->b, "<li>%s", sanction_name(p, nt_json_str(x, "type")));
        if (json_array_size(json_object_get(x, "scopes")) > 0) {
            nt_html(&p->b, " (");
            list_text(p, json_object_get(x, "scopes"));
            nt_html(&p->b, ")");
        }
        if (json_is_integer(json_object_get(x, "amount_vnd")))
            nt_html(&p->b, ": %V", (int64_t)json_integer_value(json_object_get(x, "amount_vnd")));
        nt_html(&p->b, " — ");
        time_cell(p, x, "start_at");
        nt_html(&p->b, " – ");
        time_cell(p, x, "end_at");
        nt_html(&p->b, " <strong>%s</strong></li>", nt_json_str(x, "state"));
    }
    nt_html(&p->b, "</ul>");
    json_decref(d);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_decision(nt_req *r)
{
    return decision_page(r, &public_actor, false);
}

enum MHD_Result nt_w_console_decision(nt_req *r)
{
    return decision_page(r, &r->actor, true);
}

/* A select of a list (topics, provinces, categories), the one chosen selected. */
static void choice(nt_page *p, const char *name, const char *label, const json_t *list, const char *key, const char *chosen)
{
    nt_html(&p->b,
            "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"f-%s\">%s</label>"
            "<select class=\"govuk-select\" id=\"f-%s\" name=\"%s\"><option value=\"\">%s</option>",
            name, label, name, name, L("Tất cả", "All"));
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *id = nt_json_str(v, key);
        const json_t *label_of = json_object_get(v, "name"); /* {name: {vi, en}}, or {vi, en} itself */
        nt_html(&p->b, "<option value=\"%s\"%s>%s</option>", id, nt_streq(id, chosen) ? " selected" : "",
                nt_page_text(p, label_of ? label_of : v));
    }
    nt_html(&p->b, "</select></div>");
}

static void ad_form(nt_page *p, const char *code)
{
    nt_html(&p->b,
            "<form action=\"/ads\" method=\"get\" class=\"nt-search\"><div class=\"govuk-form-group\">"
            "<label class=\"govuk-label govuk-label--m\" for=\"code\">%s</label><div class=\"govuk-hint\" id=\"code-hint\">%s</div>"
            "<input class=\"govuk-input govuk-input--width-20\" id=\"code\" name=\"code\" type=\"text\" maxlength=\"40\" "
            "aria-describedby=\"code-hint\" value=\"%s\"></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>",
            L("Mã quảng cáo", "Ad code"),
            L("Mã in trên bài đăng, ví dụ QC-2026-0000011", "The code on the post, e.g. QC-2026-0000011"), code ? code : "",
            L("Tra cứu", "Look up"));
}

static enum MHD_Result ad_page(nt_req *r, const char *code)
{
    json_t *ad = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_ad_get(nt_req_svc(r), code, &ad, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, code);
    if (rc != 0) {
        nt_html(&p->b,
                "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\"><strong class=\"nt-status "
                "nt-status--unrecognised\">%s</strong> %s</p>",
                code, L("Không nhận ra", "Unrecognised"),
                L("Mã này không có trong sổ đăng ký quảng cáo: đừng tin đây là quảng cáo đã đăng ký.",
                  "This code is not in the ad registry: do not take it for a registered ad."));
        ad_form(p, code);
        return nt_page_end(p, 404);
    }
    const char *st = nt_json_str(ad, "state");
    bool ok = nt_streq(st, "registered") || nt_streq(st, "active");
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>"
            "<p class=\"govuk-body\"><strong class=\"nt-status nt-status--%s\">%s</strong></p><dl class=\"govuk-summary-list\">",
            L("Quảng cáo đã đăng ký", "Registered ad"), nt_json_str(ad, "code"), ok ? "valid" : "suspended", st);
    row_open(p, L("Người quảng cáo", "Influencer"));
    json_t *person = NULL;
    nt_err_clear(&e);
    nt_svc_person_get(nt_req_svc(r), nt_json_str(ad, "person_id"), &person, &e);
    nt_html(&p->b, "<a class=\"govuk-link\" href=\"/persons/%u\">%s</a>" ROW_CLOSE, nt_json_str(ad, "person_id"),
            person ? nt_json_str(person, "legal_name") : nt_json_str(ad, "person_id"));
    json_decref(person);
    row_open(p, L("Doanh nghiệp", "Advertiser"));
    nt_html(&p->b, "%s" ROW_CLOSE, nt_json_str(ad, "advertiser_name"));
    row_open(p, L("Sản phẩm", "Product"));
    nt_html(&p->b, "%s" ROW_CLOSE, nt_json_str(ad, "product_name"));
    row_open(p, L("Nền tảng", "Platforms"));
    list_text(p, json_object_get(ad, "platforms"));
    nt_html(&p->b, ROW_CLOSE);
    row_open(p, L("Thời gian", "Period"));
    time_cell(p, ad, "start_at");
    nt_html(&p->b, " – ");
    time_cell(p, ad, "end_at");
    nt_html(&p->b, ROW_CLOSE);
    row_open(p, L("Nhãn phải có trên bài đăng", "Label the post must carry"));
    nt_html(&p->b, "<code>%s</code>" ROW_CLOSE "</dl>", nt_json_str(ad, "label"));
    json_decref(ad);
    return nt_page_end(p, 200);
}

/* The ad library: registered ads by category and state, newest first, each with its influencer. */
static void ad_library(nt_page *p)
{
    nt_req *r = p->r;
    const char *category = Q("category"), *state = Q("state");
    nt_ad_query q = {.category = category && category[0] ? category : NULL,
                     .state = state && state[0] ? state : NULL,
                     .cursor = Q("cursor"),
                     .limit = 20};
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><form action=\"/ads\" method=\"get\" class=\"nt-search\">",
            L("Thư viện quảng cáo", "The ad library"));
    choice(p, "category", L("Ngành hàng", "Category"), json_object_get(nt_ad_categories(), "categories"), "id", q.category);
    nt_html(&p->b,
            "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"f-state\">%s</label><select class=\"govuk-select\" "
            "id=\"f-state\" name=\"state\"><option value=\"\">%s</option><option value=\"registered\"%s>%s</option>"
            "<option value=\"suspended\"%s>%s</option></select></div>"
            "<button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>",
            L("Trạng thái", "State"), L("Tất cả", "All"), nt_streq(q.state, "registered") ? " selected" : "",
            L("Đã đăng ký", "Registered"), nt_streq(q.state, "suspended") ? " selected" : "", L("Bị đình chỉ", "Suspended"),
            L("Lọc", "Filter"));
    json_t *o = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (nt_svc_ad_library(nt_req_svc(r), &q, &o, &e) != 0) { /* the filters were checked: a bad cursor */
        nt_html(&p->b, "<p class=\"govuk-error-message\">%s</p>",
                L("Không đọc được trang này của thư viện.", "This page of the library cannot be read."));
        return;
    }
    json_t *items = json_object_get(o, "items");
    if (json_array_size(items) == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có quảng cáo nào.", "No ad."));
    else {
        const char *const cols[] = {L("Mã", "Code"), L("Người quảng cáo", "Influencer"), L("Sản phẩm", "Product"),
                                    L("Thời gian", "Period")};
        table_head(p, cols, 4, false);
        size_t i;
        json_t *ad;
        json_array_foreach(items, i, ad)
        {
            json_t *person = NULL;
            nt_err_clear(&e);
            nt_svc_person_get(nt_req_svc(r), nt_json_str(ad, "person_id"), &person, &e);
            const char *st = nt_json_str(ad, "state");
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/ads/%u\">%s</a>"
                    "<br><strong class=\"nt-status nt-status--%s\">%s</strong></td><td class=\"govuk-table__cell\">"
                    "<a class=\"govuk-link\" href=\"/persons/%u\">%s</a></td><td class=\"govuk-table__cell\">%s<br>%s</td>"
                    "<td class=\"govuk-table__cell\">",
                    nt_json_str(ad, "code"), nt_json_str(ad, "code"), nt_streq(st, "registered") ? "valid" : "suspended",
                    nt_streq(st, "registered") ? L("Đã đăng ký", "Registered") : L("Bị đình chỉ", "Suspended"),
                    nt_json_str(ad, "person_id"), person ? nt_json_str(person, "legal_name") : nt_json_str(ad, "person_id"),
                    nt_json_str(ad, "product_name"), nt_json_str(ad, "advertiser_name"));
            time_cell(p, ad, "start_at");
            nt_html(&p->b, " – ");
            time_cell(p, ad, "end_at");
            nt_html(&p->b, "</td></tr>");
            json_decref(person);
        }
        nt_html(&p->b, "</tbody></table>");
        if (nt_json_str(o, "next_cursor") != NULL)
            nt_html(
                &p->b,
                "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/ads?category=%u&amp;state=%u&amp;cursor=%u\">%s</a></p>",
                q.category ? q.category : "", q.state ? q.state : "", nt_json_str(o, "next_cursor"), L("Trang sau", "Next page"));
    }
    json_decref(o);
}

enum MHD_Result nt_w_ads(nt_req *r)
{
    const char *code = Q("code");
    if (code != NULL && code[0] != '\0')
        return ad_page(r, code);
    const char *category = Q("category"), *state = Q("state");
    nt_err e;
    nt_err_clear(&e);
    if (category != NULL && category[0] && nt_ad_category(category) == NULL)
        nt_err_field(&e, "category", "invalid", 0);
    if (state != NULL && state[0] && !nt_streq(state, "registered") && !nt_streq(state, "suspended"))
        nt_err_field_allowed(&e, "state", "invalid", "registered,suspended");
    if (e.nfields > 0)
        return nt_respond_problem(r, 400, "validation", &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Tra cứu quảng cáo", "Look up an ad"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>", L("Tra cứu quảng cáo", "Look up an ad"),
            L("Mỗi quảng cáo của người có ảnh hưởng được đăng ký và mang một mã. Nhập mã để xem ai quảng cáo, cho sản "
              "phẩm nào, đến khi nào.",
              "Every influencer ad is registered and carries a code. Enter it to see who advertises which product, until when."));
    ad_form(p, NULL);
    ad_library(p);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_ad(nt_req *r)
{
    return ad_page(r, r->params[0]);
}

static const char *kind_name(const nt_page *p, const char *kind)
{
    static const char *const kinds[][3] = {{"correction", "Đính chính", "Correction"},
                                           {"scam_alert", "Cảnh báo lừa đảo", "Scam alert"},
                                           {"product_recall", "Thu hồi sản phẩm", "Product recall"},
                                           {"public_information", "Thông tin chính thức", "Public information"}};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (nt_streq(kind, kinds[i][0]))
            return L(kinds[i][1], kinds[i][2]);
    return kind;
}

enum MHD_Result nt_w_notices(nt_req *r)
{
    nt_notice_query q = {.state = NULL, .topic = Q("topic"), .province = Q("province"), .cursor = Q("cursor"), .limit = 20};
    if (q.topic != NULL && q.topic[0] == '\0')
        q.topic = NULL;
    if (q.province != NULL && q.province[0] == '\0')
        q.province = NULL;
    json_t *o = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_notice_list(nt_req_svc(r), &q, &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Thông báo đã kiểm chứng", "Verified notices"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><form action=\"/notices\" method=\"get\" class=\"nt-search\">",
            L("Thông báo đã kiểm chứng", "Verified notices"));
    choice(p, "topic", L("Chủ đề", "Topic"), json_object_get(nt_notice_topics(), "topics"), "id", q.topic);
    choice(p, "province", L("Tỉnh, thành phố", "Province or city"), json_object_get(nt_provinces(), "provinces"), "code",
           q.province);
    nt_html(&p->b, "<button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>", L("Lọc", "Filter"));
    json_t *items = json_object_get(o, "items");
    if (json_array_size(items) == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa có thông báo nào.", "No notice yet."));
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n)
    {
        nt_html(&p->b,
                "<div class=\"govuk-!-margin-bottom-6\"><span class=\"govuk-caption-m\">%s · %s</span>"
                "<h2 class=\"govuk-heading-m govuk-!-margin-bottom-1\"><a class=\"govuk-link\" href=\"/notices/%u\">%s</a></h2>"
                "<p class=\"govuk-body\">%s</p><p class=\"govuk-body-s nt-meta\">",
                kind_name(p, nt_json_str(n, "kind")), nt_json_str(json_object_get(n, "issuer"), "name"), nt_json_str(n, "id"),
                nt_page_text(p, json_object_get(n, "title")), nt_page_text(p, json_object_get(n, "summary")));
        time_cell(p, n, "published_at");
        if (nt_streq(nt_json_str(n, "state"), "withdrawn"))
            nt_html(&p->b, " · <strong>%s</strong>", L("Đã rút", "Withdrawn"));
        nt_html(&p->b, "</p></div>");
    }
    json_decref(o);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_notice(nt_req *r)
{
    json_t *n = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_notice_get(nt_req_svc(r), r->params[0], &n, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_page_text(p, json_object_get(n, "title")));
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s · %s</span><h1 class=\"govuk-heading-l\">%s</h1>",
            kind_name(p, nt_json_str(n, "kind")), nt_json_str(json_object_get(n, "issuer"), "name"),
            nt_page_text(p, json_object_get(n, "title")));
    if (nt_streq(nt_json_str(n, "state"), "withdrawn"))
        nt_html(&p->b, "<div class=\"govuk-warning-text\"><strong class=\"govuk-warning-text__text\">%s: %s</strong></div>",
                L("Thông báo đã được rút", "This notice was withdrawn"), nt_json_str(n, "withdraw_reason"));
    nt_html(&p->b, "<p class=\"govuk-body-l\">%s</p><p class=\"govuk-body\">%s</p><dl class=\"govuk-summary-list\">",
            nt_page_text(p, json_object_get(n, "summary")), nt_page_text(p, json_object_get(n, "body")));
    row_open(p, L("Công bố", "Published"));
    time_cell(p, n, "published_at");
    nt_html(&p->b, ", %s %D" ROW_CLOSE, L("phiên bản", "version"), (int64_t)json_integer_value(json_object_get(n, "version")));
    row_open(p, L("Hiệu lực đến", "Valid until"));
    time_cell(p, n, "valid_until");
    nt_html(&p->b, ROW_CLOSE);
    row_open(p, L("Nguồn", "Sources"));
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(n, "sources"), i, s)
    {
        if (nt_json_str(s, "url") != NULL)
            nt_html(&p->b, "%s<a class=\"govuk-link\" href=\"%s\" rel=\"noopener noreferrer\">%s</a>", i ? "; " : "",
                    nt_json_str(s, "url"), nt_json_str(s, "title"));
        else
            nt_html(&p->b, "%s%s", i ? "; " : "", nt_json_str(s, "title"));
    }
    nt_html(&p->b, ROW_CLOSE "</dl>");
    json_decref(n);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_certificate(nt_req *r)
{
    const char *accept = nt_req_header(r, "Accept");
    if (accept == NULL || strstr(accept, "text/html") == NULL) { /* an API client: the certificate as JSON */
        nt_err e;
        nt_err_clear(&e);
        json_t *o = NULL;
        int rc = nt_svc_certificate_get(nt_req_svc(r), r->params[0], &o, &e);
        return nt_h_answer(r, rc, o, &e);
    }
    nt_page_pick_lang(r);
    json_t *c = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_certificate_verified(nt_req_svc(r), r->params[0], &c, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Chứng nhận Influencer Trust", "Influencer Trust certificate"));
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span>", L("Chứng nhận Influencer Trust", "Influencer Trust certificate"));
    if (rc != 0) {
        nt_html(&p->b,
                "<h1 class=\"govuk-heading-l\"><strong class=\"nt-status nt-status--unrecognised\">%s</strong></h1>"
                "<p class=\"govuk-body\">%s</p>",
                L("Không nhận ra", "Unrecognised"),
                L("Không có chứng nhận nào với mã này. Đừng tin một huy hiệu hay mã QR dẫn tới đây.",
                  "There is no certificate with this id. Do not trust a badge or QR code that leads here."));
        return nt_page_end(p, 404);
    }
    const char *st = nt_json_str(c, "status");
    bool sig = json_is_true(json_object_get(c, "signature_valid"));
    if (!sig)
        st = "unrecognised"; /* a credential whose proof does not verify is not a certificate */
    nt_html(
        &p->b,
        "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\"><strong class=\"nt-status nt-status--%s\">%s</strong></p>",
        nt_json_str(c, "name"), status_class(st), status_word(p, st));
    if (json_is_object(json_object_get(c, "state_reason")))
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", nt_page_text(p, json_object_get(c, "state_reason")));
    nt_html(&p->b, "<dl class=\"govuk-summary-list\">");
    row_open(p, L("Người được chứng nhận", "Holder"));
    nt_html(&p->b, "<a class=\"govuk-link\" href=\"/persons/%u\">%s</a>" ROW_CLOSE, nt_json_str(c, "person_id"),
            nt_json_str(c, "name"));
    row_open(p, L("Hiệu lực", "Valid"));
    time_cell(p, c, "valid_from");
    nt_html(&p->b, " – ");
    time_cell(p, c, "valid_until");
    nt_html(&p->b, ROW_CLOSE);
    row_open(p, L("Điểm", "Score"));
    nt_html(&p->b, "%D / 100" ROW_CLOSE, (int64_t)json_integer_value(json_object_get(c, "score")));
    row_open(p, L("Chữ ký số", "Digital signature"));
    nt_html(&p->b, "%s" ROW_CLOSE,
            sig ? L("Hợp lệ: đã kiểm tra khi mở trang này (eddsa-jcs-2022, khóa của chương trình)",
                    "Valid: checked as this page was made (eddsa-jcs-2022, the programme's key)")
                : L("Không hợp lệ", "Not valid"));
    row_open(p, L("Bản chứng nhận", "The credential"));
    nt_html(&p->b, "<a class=\"govuk-link\" href=\"/v1/certificates/%u/credential\">%s</a>" ROW_CLOSE "</dl>", nt_json_str(c, "id"),
            L("Tải về để tự kiểm chứng (W3C VC 2.0)", "Download to verify it yourself (W3C VC 2.0)"));
    json_decref(c);
    return nt_page_end(p, 200);
}

/* The log's page: its checkpoint, and a form to check a receipt (with the result of one, when
 * given). */
static enum MHD_Result log_page(nt_req *r, const json_t *checked, const char *receipt, const char *problem, unsigned status)
{
    char *note = NULL;
    size_t len = 0;
    uint64_t size = 0;
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Nhật ký công khai", "The public log"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>", L("Nhật ký công khai", "The public log"),
            L("Mọi quyết định, hạn chế, chứng nhận và thông báo được ghi vào một nhật ký chỉ thêm vào (C2SP tlog), được ký "
              "số. Ai cũng tải được các khối của nhật ký và kiểm tra rằng không có gì bị sửa hay xóa âm thầm.",
              "Every decision, restriction, certificate and notice is recorded in an append-only, signed log (C2SP tlog). "
              "Anyone can download its tiles and check that nothing was edited or removed silently."));
    if (checked != NULL) {
        bool ok = json_is_true(json_object_get(checked, "verified"));
        nt_html(&p->b,
                "<h2 class=\"govuk-heading-m\" id=\"result\">%s</h2><p class=\"govuk-body\"><strong class=\"nt-status "
                "nt-status--%s\">%s</strong></p>",
                L("Kết quả kiểm tra biên nhận", "The receipt, checked"), ok ? "valid" : "unrecognised",
                ok ? L("Đã kiểm chứng: bản ghi có trong nhật ký", "Verified: the entry is in the log")
                   : L("Không kiểm chứng được", "Not verified"));
        static const char *const checks[][3] = {
            {"signed", "Điểm kiểm tra được ký bằng khóa của nhật ký này", "Its checkpoint is signed with this log's key"},
            {"entry_readable", "Biên nhận mang bản ghi đọc được", "It carries a readable entry"},
            {"included", "Bằng chứng bao hàm khớp với điểm kiểm tra", "Its inclusion proof matches the checkpoint"},
            {"consistent", "Nhật ký hiện nay vẫn giữ đúng cây đó", "The log now still holds that same tree"}};
        nt_html(&p->b, "<ul class=\"govuk-list\">");
        for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
            bool yes = json_is_true(json_object_get(checked, checks[i][0]));
            nt_html(&p->b, "<li><strong>%s</strong> — %s</li>", yes ? L("Đạt", "Yes") : L("Không đạt", "No"),
                    L(checks[i][1], checks[i][2]));
        }
        nt_html(&p->b, "</ul>");
        const json_t *e = json_object_get(checked, "entry");
        if (e != NULL) {
            nt_html(&p->b, "<p class=\"govuk-body\">%s %D: %s %s, ", L("Bản ghi số", "Entry"),
                    (int64_t)json_integer_value(json_object_get(checked, "index")), nt_json_str(e, "type"),
                    nt_json_str(e, "record_id"));
            time_cell(p, e, "at");
            nt_html(&p->b, ".</p>");
        }
    }
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<form method=\"post\" action=\"/log#result\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<div class=\"govuk-form-group%s\"><label class=\"govuk-label govuk-label--m\" for=\"receipt\">%s</label>"
            "<div class=\"govuk-hint\" id=\"receipt-hint\">%s</div>",
            token, problem ? " govuk-form-group--error" : "", L("Kiểm tra một biên nhận", "Check a receipt"),
            L("Dán biên nhận (c2sp.org/tlog-proof@v1) mà một thao tác ghi đã trả về, hoặc lấy từ /v1/log/receipt.",
              "Paste a receipt (c2sp.org/tlog-proof@v1) that a write returned, or one from /v1/log/receipt."));
    if (problem != NULL)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"receipt-error\">%s</p>", problem);
    nt_html(
        &p->b,
        "<textarea class=\"govuk-textarea\" id=\"receipt\" name=\"receipt\" rows=\"8\" spellcheck=\"false\" "
        "aria-describedby=\"receipt-hint%s\">%s</textarea></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>",
        problem ? " receipt-error" : "", receipt ? receipt : "", L("Kiểm tra", "Check"));
    if (nt_svc_log_checkpoint(nt_req_svc(r), &note, &len, &size) == 0) {
        nt_html(&p->b,
                "<h2 class=\"govuk-heading-m\">%s</h2><p class=\"govuk-body\">%s: <strong>%D</strong></p><pre "
                "class=\"nt-note\">%s</pre>",
                L("Điểm kiểm tra hiện tại", "The current checkpoint"), L("Số bản ghi", "Entries"), (int64_t)size, note);
        free(note);
    }
    nt_html(&p->b,
            "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/log/checkpoint\">/log/checkpoint</a> · "
            "<a class=\"govuk-link\" href=\"/log/key\">/log/key</a> · <a class=\"govuk-link\" href=\"/v1/log/records\">%s</a></p>",
            L("Các bản ghi", "The records"));
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_log(nt_req *r)
{
    return log_page(r, NULL, NULL, NULL, 200);
}

enum MHD_Result nt_w_log_verify(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *receipt = nt_form_field(r, "receipt");
    if (receipt == NULL || receipt[strspn(receipt, " \r\n\t")] == '\0') {
        ret = log_page(r, NULL, NULL, nt_l(r, "Hãy dán một biên nhận", "Paste a receipt"), 400);
    } else {
        /* Browsers send a textarea's lines as CRLF; receipts are LF. */
        char *o = receipt;
        for (const char *c = receipt; *c; c++)
            if (*c != '\r')
                *o++ = *c;
        *o = '\0';
        json_t *checked = NULL;
        nt_err e;
        nt_err_clear(&e);
        if (nt_svc_log_receipt_check(nt_req_svc(r), receipt, strlen(receipt), &checked, &e) != 0)
            ret = log_page(r, NULL, receipt, nt_err_said(r, &e), 400);
        else
            ret = log_page(r, checked, receipt, NULL, 200);
        json_decref(checked);
    }
    free(receipt);
    return ret;
}
