/* The Digital Trust alliance on the web: its standards for anyone to read; a member's own page
 * (apply to join, accept the version in force, leave), as POST /v1/trust/members and /accept and
 * /leave; and the secretariat's two queues — applications to join (admit, refuse, remove) and
 * certificate applications (the review: the two pillars a person scores, with reasons), as the
 * programme's API routes. Each form is one write through the write pipeline; the rules (who may
 * review whom, what a refusal needs) are the services', said on the page when they refuse. */
#include "core/schema.h"
#include "core/trust.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/certificates.h"
#include "service/me.h"
#include "service/registry.h"
#include "service/trust.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const member_state_v[][3] = {
    {"applied", "Đang chờ xét", "Applied"}, {"admitted", "Thành viên", "Member"},
    {"refused", "Bị từ chối", "Refused"},   {"left", "Đã rời", "Left"},
    {"removed", "Bị loại", "Removed"},
};
static const nt_labels member_states = {sizeof(member_state_v) / sizeof(member_state_v[0]), member_state_v};

static const char *const application_state_v[][3] = {
    {"awaiting_review", "Chờ thẩm định", "Awaiting review"},
    {"certified", "Được chứng nhận", "Certified"},
    {"refused", "Không đạt", "Refused"},
};
static const nt_labels application_states = {sizeof(application_state_v) / sizeof(application_state_v[0]), application_state_v};

static const char *const kind_v[][3] = {
    {"person", "Người có ảnh hưởng", "Influencer"},
    {"platform", "Nền tảng", "Platform"},
    {"advertiser", "Nhãn hàng", "Advertiser"},
    {"agency", "Đại lý", "Agency"},
    {"kol", "KOL", "KOL"},
    {"koc", "KOC", "KOC"},
};
static const nt_labels kinds = {sizeof(kind_v) / sizeof(kind_v[0]), kind_v};

/* A form of one button (and a textarea when reason_label is not NULL) posting to action. */
static void step_form(nt_page *p, const char *token, const char *action, const char *reason_name, const char *reason_label,
                      const char *hint, const char *button, bool warning)
{
    nt_html(&p->b, "<form method=\"post\" action=\"%s\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">", action,
            token);
    if (reason_label != NULL)
        nt_page_textarea(p, reason_name, reason_label, hint, NULL, NULL);
    nt_html(&p->b, "<button class=\"govuk-button%R\" type=\"submit\">%s</button></form>", warning ? " govuk-button--warning" : "",
            button);
}

/* ---- the standards ---- */

enum MHD_Result nt_w_standards(nt_req *r)
{
    const char *v = nt_uri_param(&r->uri, "version");
    char *end = NULL;
    long version = v ? strtol(v, &end, 10) : 0;
    nt_err e;
    nt_err_clear(&e);
    if (v != NULL && (end == v || *end != '\0' || version < 1 || version > 1000000))
        return nt_respond_error(r, nt_err_field(&e, "version", "invalid", 0), &e);
    json_t *all = NULL, *one = NULL;
    int rc = nt_svc_standards(0, &all, &e);
    if (rc == 0 && version > 0)
        rc = nt_svc_standards((int)version, &one, &e);
    if (rc != 0) {
        json_decref(all);
        return nt_respond_error(r, rc, &e);
    }
    const json_t *s = one ? one : json_object_get(all, "current");
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Bộ tiêu chuẩn của Liên minh", "The alliance's standards"));
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>",
            L("Liên minh Niềm tin số", "The Digital Trust alliance"),
            s ? nt_page_text(p, json_object_get(s, "title")) : L("Bộ tiêu chuẩn", "The standards"));
    if (s == NULL) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa có phiên bản nào có hiệu lực.", "No version is in force yet."));
    } else {
        nt_html(&p->b, "<p class=\"govuk-body\">%s %D · %s %T. %s</p>", L("Phiên bản", "Version"),
                (int64_t)json_integer_value(json_object_get(s, "version")), L("thông qua", "adopted"),
                nt_json_time(s, "adopted_at"),
                L("Thành viên chấp thuận phiên bản có hiệu lực trong thời hạn sau khi thông qua hoặc khi được kết nạp.",
                  "Members accept the version in force within a set time of its adoption or of their admission."));
        size_t i, j;
        json_t *pl, *c;
        json_array_foreach(json_object_get(s, "pillars"), i, pl)
        {
            nt_html(&p->b, "<h2 class=\"govuk-heading-m\" id=\"%s\">%D. %s</h2><ol class=\"govuk-list govuk-list--number\">",
                    nt_json_str(pl, "id"), (int64_t)i + 1, nt_page_text(p, json_object_get(pl, "title")));
            json_array_foreach(json_object_get(s, "commitments"), j,
                               c) if (nt_streq(nt_json_str(c, "pillar"), nt_json_str(pl, "id")))
                nt_html(&p->b, "<li>%s</li>", nt_page_text(p, json_object_get(c, "text")));
            nt_html(&p->b, "</ol>");
        }
    }
    const json_t *versions = json_object_get(all, "versions");
    if (json_array_size(versions) > 1 || one != NULL) {
        nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list\">", L("Các phiên bản", "Versions"));
        size_t i;
        json_t *x;
        json_array_foreach(versions, i, x)
            nt_html(&p->b, "<li><a class=\"govuk-link\" href=\"/standards?version=%D\">%s %D</a> — %T%R%s%R</li>",
                    (int64_t)json_integer_value(json_object_get(x, "version")), L("Phiên bản", "Version"),
                    (int64_t)json_integer_value(json_object_get(x, "version")), nt_json_time(x, "adopted_at"),
                    json_is_true(json_object_get(x, "in_force")) ? " <strong>" : "",
                    json_is_true(json_object_get(x, "in_force")) ? L("đang có hiệu lực", "in force") : "",
                    json_is_true(json_object_get(x, "in_force")) ? "</strong>" : "");
        nt_html(&p->b, "</ul>");
    }
    json_decref(all);
    json_decref(one);
    return nt_page_end(p, 200);
}

/* ---- a member's own page ---- */

/* The caller's open membership (applied or admitted), as the member sees it, or NULL. */
static json_t *my_membership(nt_req *r)
{
    json_t *me = NULL, *m = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (nt_svc_me(nt_req_svc(r), &r->actor, &me, &e) != 0)
        return NULL;
    const char *id = nt_json_str(json_object_get(json_object_get(json_object_get(me, "summary"), "trust"), "member"), "id");
    if (id != NULL && nt_svc_member_get(nt_req_svc(r), &r->actor, id, &m, &e) != 0)
        m = NULL;
    json_decref(me);
    return m;
}

static enum MHD_Result membership_page(nt_req *r, const char *statement, const char *topics, const char *problem, const char *field,
                                       unsigned status)
{
    json_t *m = my_membership(r);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Thành viên Liên minh", "Alliance membership"));
    nt_html(&p->b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (problem != NULL)
        nt_page_error_summary(p, problem, field ? field : "membership");
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\" id=\"membership\">%s</h1>", L("Thành viên Liên minh", "Alliance membership"));
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    if (m == NULL) {
        nt_html(
            &p->b,
            "<p class=\"govuk-body\">%s <a class=\"govuk-link\" href=\"/standards\">%s</a>.</p>"
            "<form method=\"post\" action=\"/console/membership\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Thành viên cam kết theo bộ tiêu chuẩn của Liên minh và được công bố trong danh bạ thành viên. Đọc",
              "Members commit to the alliance's standards and are listed in its directory. Read"),
            L("bộ tiêu chuẩn", "the standards"), token);
        nt_page_input(
            p, "topics", "text", L("Lĩnh vực", "Topics"),
            L("Tối đa 10, cách nhau bằng dấu phẩy, ví dụ: làm đẹp, sức khỏe", "Up to 10, separated by commas, e.g. beauty, health"),
            topics, field && strcmp(field, "topics") == 0 ? problem : NULL, "off", NULL);
        nt_page_textarea(
            p, "statement", L("Cam kết của bạn", "Your statement"),
            L("Vì sao bạn tham gia và bạn cam kết điều gì (không bắt buộc).", "Why you join and what you commit to (optional)."),
            statement, field && strcmp(field, "statement") == 0 ? problem : NULL);
        nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form>", L("Xin gia nhập", "Apply to join"));
    } else {
        const char *state = nt_json_str(m, "state");
        const json_t *st = json_object_get(m, "standards");
        char n[24];
        snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(json_object_get(st, "current_version")));
        nt_html(&p->b, "<dl class=\"govuk-summary-list\">");
        nt_page_row(p, L("Trạng thái", "State"), nt_label(p, &member_states, state), "member-state");
        nt_page_row(p, L("Tên", "Name"), nt_json_str(m, "name"), NULL);
        char accepted[24] = "";
        if (json_is_integer(json_object_get(st, "accepted_version")))
            snprintf(accepted, sizeof(accepted), "%lld", (long long)json_integer_value(json_object_get(st, "accepted_version")));
        nt_page_row(p, L("Phiên bản tiêu chuẩn đã chấp thuận", "Standards version accepted"), accepted, "accepted-version");
        nt_html(&p->b, "</dl>");
        if (json_is_true(json_object_get(st, "pending_acceptance"))) {
            nt_html(&p->b,
                    "<div class=\"govuk-inset-text\">%s %s %s %T. <a class=\"govuk-link\" href=\"/standards\">%s</a></div>"
                    "<form method=\"post\" action=\"/console/membership/accept\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"version\" value=\"%s\"><button class=\"govuk-button\" type=\"submit\">%s %s"
                    "</button></form>",
                    L("Phiên bản", "Version"), n,
                    L("của bộ tiêu chuẩn chờ bạn chấp thuận trước", "of the standards awaits your acceptance by"),
                    nt_json_time(st, "accept_until"), L("Đọc bộ tiêu chuẩn", "Read the standards"), token, n,
                    L("Tôi đã đọc và chấp thuận phiên bản", "I have read and accept version"), n);
        } else if (nt_streq(state, "applied")) {
            nt_html(&p->b, "<p class=\"govuk-body\">%s</p>",
                    L("Đơn của bạn đang chờ Ban thư ký Liên minh xét.", "Your application awaits the alliance secretariat."));
        }
        step_form(p, token, "/console/membership/leave", NULL, NULL, NULL,
                  nt_streq(state, "applied") ? L("Rút đơn", "Withdraw the application") : L("Rời Liên minh", "Leave the alliance"),
                  true);
    }
    nt_html(&p->b, "</div></div>");
    json_decref(m);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_membership(nt_req *r)
{
    return membership_page(r, NULL, NULL, NULL, NULL, 200);
}

/* "làm đẹp, sức khỏe" as ["làm đẹp", "sức khỏe"]: each trimmed, empty ones dropped. */
static json_t *topics_of(const char *s)
{
    json_t *a = json_array();
    while (s != NULL && *s) {
        size_t n = strcspn(s, ",");
        const char *b = s, *e = s + n;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > b)
            json_array_append_new(a, json_stringn(b, (size_t)(e - b)));
        s += n + (s[n] == ',');
    }
    return a;
}

enum MHD_Result nt_w_membership_apply(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *statement = nt_form_field(r, "statement"), *topics = nt_form_field(r, "topics");
    json_t *t = topics_of(topics);
    json_t *in = json_pack("{s:s?, s:o}", "statement", nt_blank(statement) ? NULL : statement, "topics", t ? t : json_array());
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *m = NULL;
    int rc = nt_svc_member_apply(nt_req_svc(r), &w, &r->actor, in, &m, &e);
    if (rc == 0) {
        ret = nt_respond_redirect(r, 303, "/console/membership");
    } else if (rc == NT_EINVAL || rc == NT_ECONFLICT) {
        const char *field = e.nfields > 0 ? e.fields[0].field : NULL;
        char why[300];
        if (field != NULL && strncmp(field, "topics", 6) == 0)
            snprintf(
                why, sizeof(why), "%s",
                nt_l(r, "Tối đa 10 lĩnh vực, mỗi lĩnh vực tối đa 40 ký tự", "At most 10 topics of at most 40 characters each"));
        else if (field != NULL && strcmp(field, "statement") == 0)
            snprintf(why, sizeof(why), "%s",
                     nt_l(r, "Cam kết dài tối đa 2.000 ký tự", "The statement is at most 2,000 characters"));
        else
            snprintf(why, sizeof(why), "%s", nt_err_said(r, &e));
        ret = membership_page(r, statement, topics, why, field && strncmp(field, "topics", 6) == 0 ? "topics" : field,
                              rc == NT_EINVAL ? 400 : 409);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    json_decref(m);
    json_decref(in);
    free(statement);
    free(topics);
    return ret;
}

/* The caller's membership for a step on it: its id into id, or the page saying there is none. */
static bool my_member_id(nt_req *r, char id[NT_ID_LEN], enum MHD_Result *ret)
{
    json_t *m = my_membership(r);
    if (m == NULL) {
        *ret = membership_page(r, NULL, NULL, nt_l(r, "Bạn chưa là thành viên", "You are not a member"), NULL, 409);
        return false;
    }
    nt_strlcpy(id, nt_json_str(m, "id"), NT_ID_LEN);
    json_decref(m);
    return true;
}

enum MHD_Result nt_w_membership_accept(nt_req *r)
{
    enum MHD_Result ret;
    char id[NT_ID_LEN];
    if (nt_form_refused(r, &ret) || !my_member_id(r, id, &ret))
        return ret;
    char *v = nt_form_field(r, "version");
    char *end = NULL;
    long version = v ? strtol(v, &end, 10) : 0;
    json_t *in = json_pack("{s:I}", "version", (json_int_t)(v && end != v && *end == '\0' ? version : 0));
    free(v);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *m = NULL;
    int rc = nt_svc_member_accept(nt_req_svc(r), &w, &r->actor, id, in, &m, &e);
    json_decref(in);
    json_decref(m);
    if (rc == NT_EINVAL || rc == NT_ECONFLICT)
        return membership_page(r, NULL, NULL, nt_err_said(r, &e), NULL, rc == NT_EINVAL ? 400 : 409);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_redirect(r, 303, "/console/membership");
}

enum MHD_Result nt_w_membership_leave(nt_req *r)
{
    enum MHD_Result ret;
    char id[NT_ID_LEN];
    if (nt_form_refused(r, &ret) || !my_member_id(r, id, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *in = json_object(), *m = NULL;
    int rc = nt_svc_member_step(nt_req_svc(r), &w, &r->actor, id, NT_MEMBER_LEAVE, in, &m, &e);
    json_decref(in);
    json_decref(m);
    if (rc == NT_ECONFLICT)
        return membership_page(r, NULL, NULL, nt_err_said(r, &e), NULL, 409);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_redirect(r, 303, "/console/membership");
}

/* ---- the secretariat: applications to join ---- */

enum MHD_Result nt_w_console_members(nt_req *r)
{
    nt_member_query q = {.state = nt_uri_param(&r->uri, "state"), .cursor = nt_uri_param(&r->uri, "cursor"), .limit = NT_LIST_MAX};
    if (q.state == NULL)
        q.state = "applied"; /* the secretariat's work first */
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_member_list(nt_req_svc(r), &r->actor, &q, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Thành viên Liên minh", "Alliance members"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">", L("Thành viên Liên minh", "Alliance members"));
    for (size_t i = 0; i < member_states.n; i++)
        nt_html(&p->b, "%R<a class=\"govuk-link\" href=\"/console/members?state=%u\"%R>%s</a>", i ? " · " : "",
                member_states.v[i][0], nt_streq(q.state, member_states.v[i][0]) ? " aria-current=\"page\"" : "",
                L(member_states.v[i][1], member_states.v[i][2]));
    nt_html(&p->b, "</p>");
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có ai ở trạng thái này.", "Nobody in this state."));
    } else {
        const char *cols[] = {L("Tên", "Name"), L("Loại", "Kind"), L("Nộp đơn", "Applied"), L("Trạng thái", "State")};
        nt_page_table_head(p, L("Thành viên Liên minh", "Alliance members"), cols, 4);
        size_t i;
        json_t *m;
        json_array_foreach(items, i, m) nt_html(
            &p->b,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
            "href=\"/console/members/%u\">%s</a></td><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">"
            "%T</td><td class=\"govuk-table__cell\">%s</td></tr>",
            nt_json_str(m, "id"), nt_json_str(m, "name"), nt_label(p, &kinds, nt_json_str(m, "category")),
            nt_json_time(m, "applied_at"), nt_label(p, &member_states, nt_json_str(m, "state")));
        nt_html(&p->b, "</tbody></table>");
    }
    nt_page_next(p, "/console/members", out);
    json_decref(out);
    return nt_page_end(p, 200);
}

static enum MHD_Result member_page(nt_req *r, const char *problem, const char *field, unsigned status)
{
    json_t *m = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_member_get(nt_req_svc(r), &r->actor, r->params[0], &m, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_json_str(m, "name"));
    nt_html(&p->b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (problem != NULL)
        nt_page_error_summary(p, problem, field ? field : "member");
    const char *state = nt_json_str(m, "state"), *id = nt_json_str(m, "id");
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\" id=\"member\">%s</h1>"
            "<dl class=\"govuk-summary-list\">",
            id, nt_json_str(m, "name"));
    char applied[40] = "", topics[400] = "";
    nt_html_time(applied, sizeof(applied), nt_json_time(m, "applied_at"));
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(m, "topics"), i, t)
        snprintf(topics + strlen(topics), sizeof(topics) - strlen(topics), "%s%s", i ? ", " : "", json_string_value(t));
    nt_page_row(p, L("Trạng thái", "State"), nt_label(p, &member_states, state), "member-state");
    nt_page_row(p, L("Loại", "Kind"), nt_label(p, &kinds, nt_json_str(m, "category")), NULL);
    nt_page_row(p, L("Tỉnh, thành", "Province"), nt_json_str(m, "province"), NULL);
    nt_page_row(p, L("Lĩnh vực", "Topics"), topics, NULL);
    nt_page_row(p, L("Nộp đơn", "Applied"), applied, NULL);
    nt_page_row(p, L("Cam kết", "Statement"), nt_json_str(m, "statement"), NULL);
    nt_page_row(p, L("Lý do quyết định", "Reason for the decision"), nt_json_str(m, "decision_reason"), NULL);
    nt_html(&p->b, "</dl>");
    if (nt_json_str(m, "person_id") != NULL)
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/persons/%u\">%s</a></p>",
                nt_json_str(m, "person_id"), L("Hồ sơ công khai của người này", "This person's public profile"));
    char token[NT_CSRF_LEN + 1], action[128];
    nt_page_csrf(p, token);
    if (nt_streq(state, "applied")) {
        snprintf(action, sizeof(action), "/console/members/%s/admit", id);
        nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Kết nạp", "Admit"));
        step_form(p, token, action, "admit-reason", L("Ghi chú (không bắt buộc)", "Note (optional)"), NULL, L("Kết nạp", "Admit"),
                  false);
        snprintf(action, sizeof(action), "/console/members/%s/refuse", id);
        nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Từ chối", "Refuse"));
        step_form(p, token, action, "reason", L("Lý do từ chối", "Why it is refused"),
                  L("Người nộp đơn được đọc lý do này.", "The applicant reads this reason."), L("Từ chối", "Refuse"), true);
    } else if (nt_streq(state, "admitted")) {
        snprintf(action, sizeof(action), "/console/members/%s/remove", id);
        nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Loại khỏi Liên minh", "Remove from the alliance"));
        step_form(p, token, action, "reason", L("Lý do", "Why"),
                  L("Việc loại được công bố trong nhật ký công khai.", "The removal is published in the public log."),
                  L("Loại khỏi Liên minh", "Remove"), true);
    }
    nt_html(&p->b, "</div></div>");
    json_decref(m);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_member(nt_req *r)
{
    return member_page(r, NULL, NULL, 200);
}

static enum MHD_Result member_step(nt_req *r, nt_member_step step, const char *reason_field)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *reason = nt_form_field(r, reason_field);
    json_t *in = json_pack("{s:s?}", "reason", nt_blank(reason) ? NULL : reason), *m = NULL;
    free(reason);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_member_step(nt_req_svc(r), &w, &r->actor, r->params[0], step, in, &m, &e);
    json_decref(in);
    json_decref(m);
    if (rc == NT_EINVAL)
        return member_page(r, nt_l(r, "Hãy nêu lý do (tối đa 2.000 ký tự)", "Give the reason (at most 2,000 characters)"),
                           reason_field, 400);
    if (rc == NT_ECONFLICT)
        return member_page(r, nt_err_said(r, &e), NULL, 409);
    return rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/members", r->params[0]);
}

enum MHD_Result nt_w_member_admit(nt_req *r)
{
    return member_step(r, NT_MEMBER_ADMIT, "admit-reason");
}

enum MHD_Result nt_w_member_refuse(nt_req *r)
{
    return member_step(r, NT_MEMBER_REFUSE, "reason");
}

enum MHD_Result nt_w_member_remove(nt_req *r)
{
    return member_step(r, NT_MEMBER_REMOVE, "reason");
}

/* ---- the secretariat: certificate applications ---- */

enum MHD_Result nt_w_console_applications(nt_req *r)
{
    const char *state = nt_uri_param(&r->uri, "state"), *cursor = nt_uri_param(&r->uri, "cursor");
    if (state == NULL)
        state = "awaiting_review";
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_application_list(nt_req_svc(r), &r->actor, state, cursor, NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Hồ sơ xin chứng nhận", "Certificate applications"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">",
            L("Hồ sơ xin chứng nhận", "Certificate applications"));
    for (size_t i = 0; i < application_states.n; i++)
        nt_html(&p->b, "%R<a class=\"govuk-link\" href=\"/console/applications?state=%u\"%R>%s</a>", i ? " · " : "",
                application_states.v[i][0], nt_streq(state, application_states.v[i][0]) ? " aria-current=\"page\"" : "",
                L(application_states.v[i][1], application_states.v[i][2]));
    nt_html(&p->b, "</p>");
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có hồ sơ nào.", "No applications."));
    } else {
        const char *cols[] = {L("Hồ sơ", "Application"), L("Người nộp", "Applicant"), L("Nộp lúc", "Submitted"),
                              L("Trạng thái", "State")};
        nt_page_table_head(p, L("Hồ sơ xin chứng nhận", "Certificate applications"), cols, 4);
        size_t i;
        json_t *a;
        json_array_foreach(items, i, a)
        {
            json_t *person = NULL;
            nt_err e2;
            nt_err_clear(&e2);
            nt_svc_person_get(nt_req_svc(r), nt_json_str(a, "person_id"), &person, &e2);
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/console/applications/%u\">%s</a></td><td class=\"govuk-table__cell\">%s</td><td "
                    "class=\"govuk-table__cell\">%T</td><td class=\"govuk-table__cell\">%s</td></tr>",
                    nt_json_str(a, "id"), nt_json_str(a, "id"),
                    person ? nt_json_str(person, "legal_name") : nt_json_str(a, "person_id"), nt_json_time(a, "created_at"),
                    nt_label(p, &application_states, nt_json_str(a, "state")));
            json_decref(person);
        }
        nt_html(&p->b, "</tbody></table>");
    }
    nt_page_next(p, "/console/applications", out);
    json_decref(out);
    return nt_page_end(p, 200);
}

/* What the reviewer typed, kept when the page is shown again with a problem. */
typedef struct review_form {
    char *points[2], *reasons[2]; /* community, audience */
} review_form;

static const char *const pillars_reviewed[2] = {"community", "audience"};

static void review_fields(nt_page *p, const char *pillar, int max, const review_form *f, size_t k, const nt_err *err)
{
    char name[40], hint[120], label[160];
    const char *problem_points = NULL, *problem_reasons = NULL;
    for (int i = 0; err != NULL && i < err->nfields; i++) {
        if (strncmp(err->fields[i].field, pillar, strlen(pillar)) != 0)
            continue;
        if (strstr(err->fields[i].field, ".reasons") != NULL)
            problem_reasons = L("Hãy nêu lý do (từ 3 đến 2.000 ký tự)", "Give the reasons (3 to 2,000 characters)");
        else
            problem_points = L("Hãy cho điểm là một số trong khoảng cho phép", "Give the points as a number within the range");
    }
    snprintf(name, sizeof(name), "%s.points", pillar);
    snprintf(hint, sizeof(hint), "%s 0–%d", L("Từ", "From"), max);
    snprintf(label, sizeof(label), "%s", L("Điểm", "Points"));
    nt_page_input(p, name, "text", label, hint, f ? f->points[k] : NULL, problem_points, "off",
                  "inputmode=\"numeric\" spellcheck=\"false\"");
    snprintf(name, sizeof(name), "%s.reasons", pillar);
    nt_page_textarea(p, name, L("Lý do", "Reasons"), NULL, f ? f->reasons[k] : NULL, problem_reasons);
}

static enum MHD_Result application_page(nt_req *r, const review_form *f, const char *problem, const nt_err *err, unsigned status)
{
    json_t *a = NULL, *person = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_application_get(nt_req_svc(r), &r->actor, r->params[0], &a, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    const char *person_id = nt_json_str(a, "person_id"), *state = nt_json_str(a, "state");
    nt_svc_person_get(nt_req_svc(r), person_id, &person, &e);
    /* Awaiting review: the requirements and scores as they stand now (the review reads them again);
     * decided: as they were recorded. */
    json_t *now = NULL;
    if (nt_streq(state, "awaiting_review")) {
        nt_err_clear(&e);
        nt_svc_trust_eligibility(nt_req_svc(r), &r->actor, person_id, &now, &e);
    }
    const json_t *reqs = json_object_get(now ? now : a, "requirements"), *scores = json_object_get(now ? now : a, "scores");
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Hồ sơ xin chứng nhận", "Certificate application"));
    if (problem != NULL) {
        const char *first = err && err->nfields > 0 ? err->fields[0].field : "review";
        nt_page_error_summary(p, problem, first);
    }
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1><dl class=\"govuk-summary-list\">",
            nt_json_str(a, "id"), person ? nt_json_str(person, "legal_name") : person_id);
    char submitted[40] = "";
    nt_html_time(submitted, sizeof(submitted), nt_json_time(a, "created_at"));
    nt_page_row(p, L("Trạng thái", "State"), nt_label(p, &application_states, state), "application-state");
    nt_page_row(p, L("Nộp lúc", "Submitted"), submitted, NULL);
    if (json_is_integer(json_object_get(a, "total"))) {
        char total[16];
        snprintf(total, sizeof(total), "%lld/100", (long long)json_integer_value(json_object_get(a, "total")));
        nt_page_row(p, L("Tổng điểm", "Total"), total, "application-total");
    }
    nt_html(&p->b, "</dl><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/persons/%u\">%s</a></p>", person_id,
            L("Hồ sơ công khai", "Public profile"));
    if (nt_json_str(a, "certificate_id") != NULL)
        nt_html(&p->b,
                "<p class=\"govuk-body\"><a class=\"govuk-link\" id=\"certificate-link\" href=\"/certificates/%u\">%s</a></p>",
                nt_json_str(a, "certificate_id"), L("Giấy chứng nhận đã cấp", "The certificate issued"));
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list\">", L("Điều kiện", "Requirements"));
    size_t i;
    json_t *x;
    json_array_foreach(reqs, i, x)
    {
        bool met = json_is_true(json_object_get(x, "met"));
        nt_html(&p->b, "<li><strong class=\"nt-status nt-status--%s\">%s</strong> %s</li>", met ? "valid" : "unrecognised",
                met ? L("Đạt", "Met") : L("Chưa đạt", "Not met"), nt_page_text(p, json_object_get(x, "detail")));
    }
    nt_html(&p->b, "</ul>");
    const char *cols[] = {L("Trụ cột", "Pillar"), L("Điểm", "Points"), L("Căn cứ", "Basis")};
    nt_page_table_head(p, L("Điểm theo năm trụ cột", "Points by the five pillars"), cols, 3);
    bool audience_scored = false;
    json_array_foreach(scores, i, x)
    {
        const json_t *pts = json_object_get(x, "points");
        if (nt_streq(nt_json_str(x, "pillar"), "audience"))
            audience_scored = json_is_integer(pts);
        char v[32] = "";
        if (json_is_integer(pts))
            snprintf(v, sizeof(v), "%lld/%lld", (long long)json_integer_value(pts),
                     (long long)json_integer_value(json_object_get(x, "max")));
        else
            snprintf(v, sizeof(v), "—/%lld", (long long)json_integer_value(json_object_get(x, "max")));
        nt_html(&p->b,
                "<tr class=\"govuk-table__row\"><th class=\"govuk-table__header\" scope=\"row\">%s</th><td "
                "class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td></tr>",
                nt_page_text(p, json_object_get(x, "title")), v, nt_page_text(p, json_object_get(x, "detail")));
    }
    nt_html(&p->b, "</tbody></table>");
    if (nt_streq(state, "awaiting_review")) {
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        nt_html(&p->b,
                "<h2 class=\"govuk-heading-m\" id=\"review\">%s</h2><p class=\"govuk-body\">%s</p><form method=\"post\" "
                "action=\"/console/applications/%u/review\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                L("Thẩm định", "Review"),
                L("Được chứng nhận khi đạt mọi điều kiện và từ 70 điểm. Người thuộc tổ chức đã ghi nhận dữ liệu về người này không "
                  "được thẩm định.",
                  "Certified with every requirement met and 70 points or more. Nobody whose organisation recorded data about this "
                  "person may review."),
                nt_json_str(a, "id"), token);
        for (size_t k = 0; k < 2; k++) {
            if (k == 1 && audience_scored)
                continue; /* the platforms' attested figures decide it */
            const json_t *pl = NULL;
            json_array_foreach(scores, i, x) if (nt_streq(nt_json_str(x, "pillar"), pillars_reviewed[k])) pl = x;
            nt_html(&p->b,
                    "<fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">%s"
                    "</legend>",
                    nt_page_text(p, json_object_get(pl, "title")));
            review_fields(p, pillars_reviewed[k], nt_trust_pillar_points(pillars_reviewed[k]), f, k, err);
            nt_html(&p->b, "</fieldset>");
        }
        nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form>",
                L("Ghi kết quả thẩm định", "Record the review"));
    }
    json_decref(now);
    json_decref(person);
    json_decref(a);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_application(nt_req *r)
{
    return application_page(r, NULL, NULL, NULL, 200);
}

enum MHD_Result nt_w_application_review(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    review_form f = {{NULL, NULL}, {NULL, NULL}};
    json_t *in = json_object();
    for (size_t k = 0; k < 2; k++) {
        char name[40];
        snprintf(name, sizeof(name), "%s.points", pillars_reviewed[k]);
        f.points[k] = nt_form_field(r, name);
        snprintf(name, sizeof(name), "%s.reasons", pillars_reviewed[k]);
        f.reasons[k] = nt_form_field(r, name);
        if (f.points[k] == NULL && f.reasons[k] == NULL)
            continue; /* not on the form: attested by platforms */
        json_t *o = json_object();
        char *end = NULL;
        long v = f.points[k] ? strtol(f.points[k], &end, 10) : 0;
        if (f.points[k] != NULL && end != f.points[k] && *end == '\0')
            json_object_set_new(o, "points", json_integer(v));
        else if (f.points[k] != NULL && f.points[k][0])
            json_object_set_new(o, "points", json_string(f.points[k])); /* refused by the schema, named */
        if (!nt_blank(f.reasons[k]))
            json_object_set_new(o, "reasons", json_string(f.reasons[k]));
        json_object_set_new(in, pillars_reviewed[k], o);
    }
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *a = NULL;
    int rc = nt_svc_application_review(nt_req_svc(r), &w, &r->actor, r->params[0], in, &a, &e);
    if (rc == 0)
        ret = nt_page_redirect_to(r, "/console/applications", r->params[0]);
    else if (rc == NT_EINVAL)
        ret = application_page(
            r, &f, nt_l(r, "Hãy cho điểm và nêu lý do cho từng trụ cột", "Give the points and reasons for each pillar"), &e, 400);
    else if (rc == NT_EFORBIDDEN || rc == NT_ECONFLICT)
        ret = application_page(r, &f, nt_err_said(r, &e), NULL, rc == NT_EFORBIDDEN ? 403 : 409);
    else
        ret = nt_respond_error(r, rc, &e);
    json_decref(a);
    json_decref(in);
    for (size_t k = 0; k < 2; k++)
        free(f.points[k]), free(f.reasons[k]);
    return ret;
}
