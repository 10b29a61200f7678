/* A regulator's cases on the web: opened from a report in the inbox, listed by state, each with its
 * person, reports, decisions and the moves allowed from where it is. Each form is a write through
 * the write pipeline (as POST /v1/cases and POST /v1/cases/{id}/transition). */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/cases.h"
#include "service/recommendations.h"
#include "service/registry.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const states[][3] = {
    {"open", "Đang mở", "Open"},
    {"under_review", "Đang xem xét", "Under review"},
    {"decided", "Đã quyết định", "Decided"},
    {"closed", "Đã đóng", "Closed"},
};

static const nt_labels case_states = {sizeof(states) / sizeof(states[0]), states};

/* The person's name as the registry has it, or their id. */
static void person_link(nt_page *p, const char *id)
{
    json_t *person = NULL;
    nt_err e;
    nt_err_clear(&e);
    const char *name = NULL;
    if (id != NULL && nt_svc_person_get(nt_req_svc(p->r), id, &person, &e) == 0)
        name = nt_json_str(person, "legal_name");
    nt_html(&p->b, "<a class=\"govuk-link\" href=\"/persons/%u\">%s</a>", id ? id : "", name ? name : id);
    json_decref(person);
}

enum MHD_Result nt_w_console_cases(nt_req *r)
{
    const char *state = nt_uri_param(&r->uri, "state"), *cursor = nt_uri_param(&r->uri, "cursor");
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_case_list(nt_req_svc(r), &r->actor, state, NULL, NULL, cursor, NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Vụ việc", "Cases"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", L("Vụ việc", "Cases"));
    nt_page_states(p, "/console/cases", &case_states);
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có vụ việc nào.", "No cases."));
    } else {
        const char *cols[] = {L("Vụ việc", "Case"), L("Người", "Person"), L("Trạng thái", "State")};
        nt_page_table_head(p, L("Vụ việc", "Cases"), cols, 3);
    }
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c)
    {
        nt_html(&p->b,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/console/cases/%u\">"
                "%s</a><br><span class=\"govuk-body-s\">%T</span></td><td class=\"govuk-table__cell\">",
                nt_json_str(c, "id"), nt_json_str(c, "id"), nt_json_time(c, "opened_at"));
        person_link(p, nt_json_str(c, "person_id"));
        nt_html(&p->b, "</td><td class=\"govuk-table__cell\">%s</td></tr>", nt_label(p, &case_states, nt_json_str(c, "state")));
    }
    if (json_array_size(items) > 0)
        nt_html(&p->b, "</tbody></table>");
    nt_page_next(p, "/console/cases", out);
    json_decref(out);
    return nt_page_end(p, 200);
}

/* A case opened from a report of the inbox, or about a person a recommendation names (as POST
 * /v1/cases with that report or person). */
enum MHD_Result nt_w_case_open(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *report = nt_form_field(r, "report_id"), *person = report ? NULL : nt_form_field(r, "person_id");
    json_t *in = report ? json_pack("{s:[s]}", "report_ids", report) : json_pack("{s:s?}", "person_id", person);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *c = NULL;
    int rc = report || person ? nt_svc_case_open(nt_req_svc(r), &w, &r->actor, in, &c, &e)
                              : nt_err_field(&e, "report_id", "required", 0);
    ret = rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/cases", nt_json_str(c, "id"));
    json_decref(c);
    json_decref(in);
    free(report);
    free(person);
    return ret;
}

/* The repeat-violation policy's recommendations (as GET /v1/recommendations): who, why, the
 * decisions behind each, and a case to open — nothing is applied without a decision. */
enum MHD_Result nt_w_console_recommendations(nt_req *r)
{
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_recommendations(nt_req_svc(r), &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Đề nghị theo chính sách tái phạm", "Repeat-violation recommendations"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><div class=\"govuk-inset-text\">%s</div>",
            L("Đề nghị theo chính sách tái phạm", "Repeat-violation recommendations"),
            nt_page_text(p, json_object_get(out, "note")));
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có đề nghị nào.", "No recommendations."));
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    size_t i, j;
    json_t *x, *d;
    json_array_foreach(items, i, x)
    {
        const char *person = nt_json_str(x, "person_id");
        json_t *who = NULL;
        nt_err e2;
        nt_err_clear(&e2);
        nt_svc_person_get(nt_req_svc(r), person, &who, &e2);
        nt_html(&p->b,
                "<div class=\"govuk-summary-card\" id=\"rec-%s\"><div class=\"govuk-summary-card__title-wrapper\"><h2 "
                "class=\"govuk-summary-card__title\"><a class=\"govuk-link\" href=\"/persons/%u\">%s</a></h2></div><div "
                "class=\"govuk-summary-card__content\"><p class=\"govuk-body\">%s</p><ul class=\"govuk-list\">",
                person, person, who ? nt_json_str(who, "legal_name") : person, nt_page_text(p, json_object_get(x, "reason")));
        json_decref(who);
        json_array_foreach(json_object_get(x, "decisions"), j, d)
            nt_html(&p->b, "<li><a class=\"govuk-link\" href=\"/console/decisions/%u\">%s</a> — %T</li>",
                    nt_json_str(d, "decision_id"), nt_json_str(d, "number"), nt_json_time(d, "issued_at"));
        nt_html(&p->b,
                "</ul><form method=\"post\" action=\"/console/cases\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"person_id\" value=\"%s\"><button class=\"govuk-button govuk-button--secondary "
                "govuk-!-margin-bottom-0\" type=\"submit\">%s</button></form></div></div>",
                token, person, L("Mở vụ việc để xem xét", "Open a case to consider it"));
    }
    json_decref(out);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_console_case(nt_req *r)
{
    json_t *c = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_case_get(nt_req_svc(r), r->params[0], &c, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Vụ việc", "Case"));
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1><dl class=\"govuk-summary-list\">"
            "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt><dd "
            "class=\"govuk-summary-list__value\">",
            L("Vụ việc", "Case"), nt_json_str(c, "id"), L("Người", "Person"));
    person_link(p, nt_json_str(c, "person_id"));
    nt_html(&p->b,
            "</dd></div><div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
            "<dd class=\"govuk-summary-list__value\"><strong id=\"case-state\">%s</strong></dd></div>"
            "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt><dd "
            "class=\"govuk-summary-list__value\">%s"
            "</dd></div><div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
            "<dd class=\"govuk-summary-list__value\">%T</dd></div><div class=\"govuk-summary-list__row\"><dt "
            "class=\"govuk-summary-list__key\">%s</dt><dd class=\"govuk-summary-list__value\">",
            L("Trạng thái", "State"), nt_label(p, &case_states, nt_json_str(c, "state")), L("Cơ quan", "Authority"),
            nt_json_str(c, "authority"), L("Mở lúc", "Opened"), nt_json_time(c, "opened_at"), L("Từ báo cáo", "From reports"));
    size_t i;
    json_t *x;
    if (json_array_size(json_object_get(c, "report_ids")) == 0)
        nt_html(&p->b, "%s", L("Cơ quan tự phát hiện", "The authority's own initiative"));
    json_array_foreach(json_object_get(c, "report_ids"), i, x)
        nt_html(&p->b, "%s<a class=\"govuk-link\" href=\"/console/reports#%u\">%s</a>", i ? ", " : "", json_string_value(x),
                json_string_value(x));
    nt_html(&p->b, "</dd></div></dl><h2 class=\"govuk-heading-m\">%s</h2>", L("Quyết định", "Decisions"));
    if (json_array_size(json_object_get(c, "decisions")) == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa có quyết định.", "No decision yet."));
    else
        nt_html(&p->b, "<ul class=\"govuk-list\">");
    json_array_foreach(json_object_get(c, "decisions"), i, x)
        nt_html(&p->b, "<li><a class=\"govuk-link\" href=\"/console/decisions/%u\">%s</a> — %T</li>", nt_json_str(x, "id"),
                nt_json_str(x, "number"), nt_json_time(x, "issued_at"));
    if (json_array_size(json_object_get(c, "decisions")) > 0)
        nt_html(&p->b, "</ul>");
    const char *state = nt_json_str(c, "state");
    if (state != NULL && strcmp(state, "under_review") == 0)
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-button\" href=\"/console/cases/%u/decision\">%s</a></p>",
                nt_json_str(c, "id"), L("Ra quyết định", "Issue a decision"));
    else if (state != NULL && strcmp(state, "open") == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>",
                L("Chuyển vụ việc sang Đang xem xét để ra quyết định.", "Move the case under review to issue a decision."));
    const json_t *moves = json_object_get(c, "allowed_transitions");
    if (json_array_size(moves) > 0) {
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><div class=\"govuk-button-group\">",
                L("Chuyển trạng thái", "Move the case"));
        json_array_foreach(moves, i, x)
            nt_html(&p->b,
                    "<form method=\"post\" action=\"/console/cases/%u/move\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"state\" value=\"%s\"><button class=\"govuk-button govuk-button--secondary\" "
                    "type=\"submit\">%s: %s</button></form>",
                    nt_json_str(c, "id"), token, json_string_value(x), L("Chuyển sang", "Move to"),
                    nt_label(p, &case_states, json_string_value(x)));
        nt_html(&p->b, "</div>");
    }
    json_decref(c);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_case_move(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *state = nt_form_field(r, "state");
    json_t *in = json_pack("{s:s?}", "state", state);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *c = NULL;
    int rc = nt_svc_case_move(nt_req_svc(r), &w, r->params[0], in, &c, &e);
    ret = rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/cases", r->params[0]);
    json_decref(c);
    json_decref(in);
    free(state);
    return ret;
}
