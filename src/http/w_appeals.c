/* Appeals on the web: an influencer's decisions and the appeal they file against one (as POST
 * /v1/decisions/{id}/appeals), and the appeals a regulator reviews and resolves, with when each is
 * due (as POST /v1/appeals/{id}/review and /resolve). Each form is a write through the write
 * pipeline; who may resolve (someone other than who decided) is the service's rule, said on the
 * page when it refuses. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/appeals.h"
#include "service/decisions.h"
#include "service/users.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- an influencer's decisions ---- */

enum MHD_Result nt_w_my_decisions(nt_req *r)
{
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc =
        nt_svc_decision_list(nt_req_svc(r), &r->actor, r->actor.person_id, NULL, NULL, NULL, NULL, NULL, NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Quyết định về tôi", "Decisions about me"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>",
            L("Quyết định về tôi", "Decisions about me"),
            L("Mọi quyết định về bạn, kể cả chưa công bố. Bạn có thể khiếu nại một quyết định trước hạn ghi bên cạnh.",
              "Every decision about you, published or not. You may appeal a decision before the deadline beside it."));
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có quyết định nào.", "No decisions."));
    } else {
        const char *cols[] = {L("Quyết định", "Decision"), L("Hạn khiếu nại", "Appeal by"), L("Khiếu nại", "Appeal")};
        nt_page_table_head(p, L("Quyết định về tôi", "Decisions about me"), cols, 3);
    }
    size_t i;
    json_t *d;
    json_array_foreach(items, i, d)
    {
        const char *id = nt_json_str(d, "id");
        json_t *full = NULL;
        nt_err e2;
        nt_err_clear(&e2);
        nt_svc_decision_get(nt_req_svc(r), &r->actor, id, &full, &e2);
        const json_t *appeal = json_object_get(full, "appeal");
        nt_html(&p->b,
                "<tr class=\"govuk-table__row\" id=\"%s\"><td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">%T"
                "</span></td><td class=\"govuk-table__cell\">%T</td><td class=\"govuk-table__cell\">",
                id, nt_json_str(d, "number"), nt_json_time(d, "issued_at"), nt_json_time(full, "appeal_deadline"));
        if (nt_json_str(appeal, "appeal_id") != NULL)
            nt_html(&p->b, "<a class=\"govuk-link\" href=\"/console/appeals/%u\">%s</a>", nt_json_str(appeal, "appeal_id"),
                    nt_label(p, &nt_appeal_states, nt_json_str(appeal, "state")));
        else if (json_is_true(json_object_get(appeal, "open")))
            nt_html(&p->b,
                    "<a class=\"govuk-link\" href=\"/console/decisions/%u/appeal\">%s<span class=\"govuk-visually-hidden\"> "
                    "%s</span></a>",
                    id, L("Khiếu nại", "Appeal"), nt_json_str(d, "number"));
        else
            nt_html(&p->b, "%s", L("Đã hết hạn", "Too late"));
        nt_html(&p->b, "</td></tr>");
        json_decref(full);
    }
    if (json_array_size(items) > 0)
        nt_html(&p->b, "</tbody></table>");
    json_decref(out);
    return nt_page_end(p, 200);
}

static enum MHD_Result appeal_form(nt_req *r, const json_t *d, const char *grounds, const char *problem, unsigned status)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Khiếu nại quyết định", "Appeal a decision"));
    nt_html(&p->b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (problem != NULL)
        nt_page_error_summary(p, problem, "grounds");
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s %T.</p>"
            "<form method=\"post\" action=\"/console/decisions/%u/appeal\" novalidate><input type=\"hidden\" name=\"csrf\" "
            "value=\"%s\">"
            "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"grounds\">%s</label>"
            "<div class=\"govuk-hint\" id=\"grounds-hint\">%s</div>",
            nt_json_str(d, "number"), L("Khiếu nại quyết định", "Appeal a decision"), L("Hạn khiếu nại:", "Appeal by:"),
            nt_json_time(d, "appeal_deadline"), nt_json_str(d, "id"), token, problem ? " govuk-form-group--error" : "",
            L("Lý do khiếu nại", "Your grounds"),
            L("Vì sao quyết định không đúng hoặc cần xem xét lại. Cơ quan quản lý trả lời trong 30 ngày.",
              "Why the decision is wrong or should be looked at again. The regulator answers within 30 days."));
    if (problem != NULL)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"grounds-error\">%s</p>", problem);
    nt_html(&p->b,
            "<textarea class=\"govuk-textarea\" id=\"grounds\" name=\"grounds\" rows=\"8\" aria-describedby=\"grounds-hint%s\">%s"
            "</textarea></div><button class=\"govuk-button\" type=\"submit\">%s</button></form></div></div>",
            problem ? " grounds-error" : "", grounds ? grounds : "", L("Gửi khiếu nại", "Send the appeal"));
    return nt_page_end(p, status);
}

/* The decision an influencer appeals: theirs, or NT_ENOTFOUND as for anyone else's. */
static int my_decision(nt_req *r, json_t **d, nt_err *e)
{
    int rc = nt_svc_decision_get(nt_req_svc(r), &r->actor, r->params[0], d, e);
    const char *person = rc == 0 ? nt_json_str(*d, "person_id") : NULL;
    if (rc == 0 && (person == NULL || strcmp(person, r->actor.person_id) != 0)) { /* published, but not theirs */
        json_decref(*d);
        *d = NULL;
        return nt_err_set(e, NT_ENOTFOUND, "no decision %s about you", "không có quyết định %s về bạn", r->params[0]);
    }
    return rc;
}

enum MHD_Result nt_w_appeal_form(nt_req *r)
{
    json_t *d = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = my_decision(r, &d, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    enum MHD_Result ret = appeal_form(r, d, NULL, NULL, 200);
    json_decref(d);
    return ret;
}

enum MHD_Result nt_w_appeal_file(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    json_t *d = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = my_decision(r, &d, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    char *grounds = nt_form_field(r, "grounds");
    json_t *a = NULL;
    if (nt_blank(grounds)) {
        ret = appeal_form(r, d, grounds, nt_l(r, "Hãy nêu lý do khiếu nại", "Say why you appeal"), 400);
    } else {
        json_t *in = json_pack("{s:s}", "grounds", grounds);
        WCTX(r, w);
        rc = nt_svc_appeal_file(nt_req_svc(r), &w, &r->actor, r->params[0], in, &a, &e);
        json_decref(in);
        if (rc == 0)
            ret = nt_page_redirect_to(r, "/console/appeals", nt_json_str(a, "id"));
        else if (rc == NT_EINVAL || rc == NT_ECONFLICT)
            ret = appeal_form(r, d, grounds, nt_err_said(r, &e), rc == NT_EINVAL ? 400 : 409);
        else
            ret = nt_respond_error(r, rc, &e);
    }
    json_decref(a);
    json_decref(d);
    free(grounds);
    return ret;
}

/* ---- appeals ---- */

enum MHD_Result nt_w_console_appeals(nt_req *r)
{
    const char *state = nt_uri_param(&r->uri, "state"), *cursor = nt_uri_param(&r->uri, "cursor");
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_appeal_list(nt_req_svc(r), &r->actor, state, NULL, cursor, NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Khiếu nại", "Appeals"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", L("Khiếu nại", "Appeals"));
    nt_page_states(p, "/console/appeals", &nt_appeal_states);
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có khiếu nại nào.", "No appeals."));
    } else {
        const char *cols[] = {L("Khiếu nại", "Appeal"), L("Quyết định", "Decision"), L("Trạng thái", "State"),
                              L("Hạn giải quyết", "To resolve by")};
        nt_page_table_head(p, L("Khiếu nại", "Appeals"), cols, 4);
    }
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a)
    {
        nt_html(
            &p->b,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/console/appeals/%u\">"
            "%s</a><br><span class=\"govuk-body-s\">%T</span></td><td class=\"govuk-table__cell\">%s</td>"
            "<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
            nt_json_str(a, "id"), nt_json_str(a, "id"), nt_json_time(a, "filed_at"), nt_json_str(a, "decision_number"),
            nt_label(p, &nt_appeal_states, nt_json_str(a, "state")));
        if (nt_json_str(a, "due_at") != NULL)
            nt_html(&p->b, "%T", nt_json_time(a, "due_at"));
        nt_html(&p->b, "</td></tr>");
    }
    if (json_array_size(items) > 0)
        nt_html(&p->b, "</tbody></table>");
    nt_page_next(p, "/console/appeals", out);
    json_decref(out);
    return nt_page_end(p, 200);
}

static enum MHD_Result appeal_page(nt_req *r, const char *problem, unsigned status)
{
    json_t *a = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_appeal_get(nt_req_svc(r), &r->actor, r->params[0], &a, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Khiếu nại", "Appeal"));
    if (problem != NULL)
        nt_page_error_summary(p, problem, "outcome");
    const char *state = nt_json_str(a, "state");
    char filed[40] = "", due[40] = "";
    nt_html_time(filed, sizeof(filed), nt_json_time(a, "filed_at"));
    if (nt_json_str(a, "due_at") != NULL)
        nt_html_time(due, sizeof(due), nt_json_time(a, "due_at"));
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s %s</h1><dl class=\"govuk-summary-list\">",
            nt_json_str(a, "id"), L("Khiếu nại quyết định", "Appeal against"), nt_json_str(a, "decision_number"));
    nt_page_row(p, L("Trạng thái", "State"), nt_label(p, &nt_appeal_states, state), "appeal-state");
    nt_page_row(p, L("Nộp lúc", "Filed"), filed, NULL);
    nt_page_row(p, L("Hạn giải quyết", "To resolve by"), due[0] ? due : NULL, NULL);
    nt_page_row(p, L("Lý do khiếu nại", "Grounds"), nt_json_str(a, "grounds"), NULL);
    nt_page_row(p, L("Người xem xét", "Reviewer"), nt_json_str(a, "reviewer"), NULL);
    nt_page_row(p, L("Lý do giải quyết", "Reasons"), nt_json_str(a, "reasons"), NULL);
    nt_html(&p->b, "</dl><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/console/decisions/%u\">%s</a></p>",
            nt_json_str(a, "decision_id"), L("Quyết định", "The decision"));
    if (r->actor.role == NT_ROLE_REGULATOR && state != NULL &&
        (strcmp(state, "filed") == 0 || strcmp(state, "under_review") == 0)) {
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        if (strcmp(state, "filed") == 0) {
            nt_html(&p->b,
                    "<form method=\"post\" action=\"/console/appeals/%u/review\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<button class=\"govuk-button\" type=\"submit\">%s</button></form>",
                    nt_json_str(a, "id"), token, L("Bắt đầu xem xét", "Start the review"));
            json_decref(a);
            return nt_page_end(p, status); /* resolved once under review */
        }
        const char *name = r->session ? r->session->name : "";
        nt_html(
            &p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/appeals/%u/resolve\" novalidate>"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><div class=\"govuk-form-group\"><fieldset class=\"govuk-fieldset\">"
            "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\" id=\"outcome\">%s</legend>"
            "<div class=\"govuk-radios\">",
            L("Giải quyết", "Resolve"), nt_json_str(a, "id"), token, L("Kết quả", "Outcome"));
        static const char *const outcomes[][3] = {
            {"upheld", "Giữ nguyên quyết định", "Uphold the decision"},
            {"overturned", "Hủy quyết định (các biện pháp chấm dứt)", "Overturn the decision (its measures end)"}};
        for (size_t i = 0; i < 2; i++)
            nt_html(
                &p->b,
                "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"outcome-%s\" name=\"outcome\" "
                "type=\"radio\" value=\"%s\"><label class=\"govuk-label govuk-radios__label\" for=\"outcome-%s\">%s</label></div>",
                outcomes[i][0], outcomes[i][0], outcomes[i][0], L(outcomes[i][1], outcomes[i][2]));
        nt_html(&p->b, "</div></fieldset></div><p class=\"govuk-body-s\">%s</p>",
                L("Sửa đổi quyết định (một quyết định sửa đổi) thực hiện qua API.",
                  "Modifying the decision (an amending decision) is done through the API."));
        nt_page_input(p, "reviewer", "text", L("Người xem xét", "Reviewer"),
                      L("Phải là người khác với người ký quyết định.", "Someone other than the decision's signer."), name, NULL,
                      "name", NULL);
        nt_html(
            &p->b,
            "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"reasons\">%s</label><textarea "
            "class=\"govuk-textarea\" id=\"reasons\" name=\"reasons\" rows=\"5\"></textarea></div><button class=\"govuk-button\" "
            "type=\"submit\">%s</button></form>",
            L("Lý do", "Reasons"), L("Giải quyết khiếu nại", "Resolve the appeal"));
    }
    json_decref(a);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_appeal(nt_req *r)
{
    return appeal_page(r, NULL, 200);
}

enum MHD_Result nt_w_appeal_review(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *a = NULL;
    int rc = nt_svc_appeal_review(nt_req_svc(r), &w, &r->actor, r->params[0], &a, &e);
    json_decref(a);
    return rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/appeals", r->params[0]);
}

enum MHD_Result nt_w_appeal_resolve(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *outcome = nt_form_field(r, "outcome"), *reasons = nt_form_field(r, "reasons"), *reviewer = nt_form_field(r, "reviewer");
    json_t *in = json_pack("{s:s?, s:s?, s:s?}", "outcome", outcome && outcome[0] ? outcome : NULL, "reasons",
                           reasons && reasons[0] ? reasons : NULL, "reviewer", reviewer && reviewer[0] ? reviewer : NULL);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *a = NULL;
    int rc = nt_svc_appeal_resolve(nt_req_svc(r), &w, &r->actor, r->params[0], in, &a, &e);
    if (rc == 0) {
        ret = nt_page_redirect_to(r, "/console/appeals", r->params[0]);
    } else if (rc == NT_EINVAL || rc == NT_EFORBIDDEN || rc == NT_ECONFLICT) {
        /* Said on the appeal's page: what is missing, or why this reviewer may not resolve it. */
        char why[320];
        if (rc == NT_EINVAL && e.nfields > 0)
            snprintf(
                why, sizeof(why), "%s",
                nt_l(r, "Hãy chọn kết quả, nêu lý do và người xem xét", "Choose the outcome, and give the reasons and reviewer"));
        else
            snprintf(why, sizeof(why), "%s", nt_err_said(r, &e));
        ret = appeal_page(r, why, rc == NT_EFORBIDDEN ? 403 : rc == NT_ECONFLICT ? 409 : 400);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    json_decref(a);
    json_decref(in);
    free(outcome), free(reasons), free(reviewer);
    return ret;
}
