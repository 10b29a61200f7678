/* An influencer's way to the Influencer Trust certificate on the web: where they stand (each hard
 * requirement met or not, and why; the pillars' points), the training quiz taken in the page (drawn
 * and scored on the server, as POST /v1/trust/quiz and /answers: the result names the modules to
 * read again, never the right option), and the application once every requirement is met. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/certificates.h"
#include "service/me.h"
#include "core/trust.h"
#include "service/trust.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const requirements[][3] = {
    {"identity", "Danh tính được xác nhận", "Identity confirmed"},
    {"no_restriction_in_force", "Không có hạn chế đang có hiệu lực", "No restriction in force"},
    {"no_recent_violation", "Không có vi phạm gần đây", "No recent violation"},
    {"standards_accepted", "Đã chấp thuận bộ tiêu chuẩn của Liên minh", "The alliance's standards accepted"},
    {"training_passed", "Đã đạt bài kiểm tra", "The training quiz passed"},
};
static const nt_labels requirement_labels = {sizeof(requirements) / sizeof(requirements[0]), requirements};

/* A training module's title, by its id. */
static const char *module_title(const nt_page *p, const char *id)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(nt_trust_training(), "modules"), i,
                       m) if (id != NULL && nt_streq(nt_json_str(m, "id"), id)) return nt_page_text(p, json_object_get(m, "title"));
    return id ? id : "";
}

/* Where the influencer stands: the certificate they hold, an application awaiting review, and
 * their membership of the alliance (the standards requirement), each linked to its page. */
static void standing(nt_page *p)
{
    json_t *me = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (nt_svc_me(nt_req_svc(p->r), &p->r->actor, &me, &e) != 0)
        return;
    const json_t *t = json_object_get(json_object_get(me, "summary"), "trust");
    const json_t *cert = json_object_get(t, "certificate"), *member = json_object_get(t, "member");
    nt_html(&p->b, "<ul class=\"govuk-list\" id=\"standing\">");
    if (nt_json_str(cert, "id") != NULL)
        nt_html(&p->b, "<li>%s: <a class=\"govuk-link\" href=\"/certificates/%u\">%s</a></li>", L("Giấy chứng nhận", "Certificate"),
                nt_json_str(cert, "id"), nt_label(p, &nt_certificate_statuses, nt_json_str(cert, "status")));
    if (nt_json_str(t, "application_awaiting_review") != NULL)
        nt_html(
            &p->b, "<li>%s</li>",
            L("Hồ sơ xin chứng nhận của bạn đang chờ Ban thư ký thẩm định.", "Your application awaits the secretariat's review."));
    nt_html(&p->b, "<li><a class=\"govuk-link\" href=\"/console/membership\">%s</a>: %s</li></ul>",
            L("Thành viên Liên minh", "Alliance membership"),
            member == NULL || json_is_null(member) ? L("chưa tham gia", "not a member")
            : json_is_true(json_object_get(member, "standards_pending_acceptance"))
                ? L("chờ bạn chấp thuận bộ tiêu chuẩn", "the standards await your acceptance")
            : nt_streq(nt_json_str(member, "state"), "admitted") ? L("thành viên", "member")
                                                                 : L("đang chờ xét", "awaiting the secretariat"));
    json_decref(me);
}

enum MHD_Result nt_w_my_certificate(nt_req *r)
{
    json_t *el = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_trust_eligibility(nt_req_svc(r), &r->actor, r->actor.person_id, &el, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Chứng nhận Người có ảnh hưởng đáng tin cậy", "Influencer Trust certificate"));
    nt_html(
        &p->b,
        "<h1 class=\"govuk-heading-l\">%s</h1><h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list\" id=\"requirements\">",
        L("Chứng nhận Người có ảnh hưởng đáng tin cậy", "Influencer Trust certificate"), L("Điều kiện", "Requirements"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(el, "requirements"), i, x)
    {
        bool met = json_is_true(json_object_get(x, "met"));
        nt_html(&p->b, "<li><strong class=\"nt-status nt-status--%s\">%s</strong> %s — %s</li>", met ? "valid" : "unrecognised",
                met ? L("Đạt", "Met") : L("Chưa đạt", "Not met"), nt_label(p, &requirement_labels, nt_json_str(x, "requirement")),
                nt_page_text(p, json_object_get(x, "detail")));
    }
    nt_html(&p->b, "</ul>");
    standing(p);
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list\">", L("Điểm", "Points"));
    json_array_foreach(json_object_get(el, "scores"), i, x)
        nt_html(&p->b, "<li><strong>%s</strong>: %D/%D</li>", nt_page_text(p, json_object_get(x, "title")),
                (int64_t)json_integer_value(json_object_get(x, "points")), (int64_t)json_integer_value(json_object_get(x, "max")));
    nt_html(&p->b, "</ul>");
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(
        &p->b,
        "<h2 class=\"govuk-heading-m\">%s</h2><p class=\"govuk-body\">%s</p><form method=\"post\" action=\"/console/quiz\">"
        "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><button class=\"govuk-button govuk-button--secondary\" type=\"submit\">"
        "%s</button></form>",
        L("Bài kiểm tra", "The training quiz"),
        L("20 câu hỏi về Luật Quảng cáo, thẩm định sản phẩm, đính chính, quyền riêng tư, lừa đảo và bản quyền. Đạt từ 80%; "
          "tối đa 3 lượt trong 24 giờ.",
          "20 questions on the Advertising Law, verifying products, corrections, privacy, scams and copyright. Pass at 80%; "
          "at most 3 attempts in 24 hours."),
        token, L("Làm bài kiểm tra", "Take the quiz"));
    if (json_is_true(json_object_get(el, "requirements_met")))
        nt_html(&p->b,
                "<form method=\"post\" action=\"/console/certificate/apply\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<button class=\"govuk-button\" type=\"submit\">%s</button></form>",
                token, L("Nộp đơn xin chứng nhận", "Apply for the certificate"));
    json_decref(el);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_quiz_start(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *q = NULL;
    int rc = nt_svc_quiz_start(nt_req_svc(r), &w, &r->actor, &q, &e);
    ret = rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/quiz", nt_json_str(q, "id"));
    json_decref(q);
    return ret;
}

static enum MHD_Result quiz_page(nt_req *r, const json_t *result, const char *problem, unsigned status)
{
    json_t *q = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_quiz_get(nt_req_svc(r), &r->actor, r->params[0], &q, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Bài kiểm tra", "The training quiz"));
    if (problem != NULL)
        nt_page_error_summary(p, problem, "quiz");
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\" id=\"quiz\">%s</h1>", L("Bài kiểm tra", "The training quiz"));
    const json_t *questions = json_object_get(q, "questions");
    if (nt_json_str(q, "submitted_at") != NULL) {
        bool passed = json_is_true(json_object_get(q, "passed"));
        nt_html(&p->b,
                "<p class=\"govuk-body\"><strong class=\"nt-status nt-status--%s\" id=\"quiz-result\">%s</strong> %D%% (%D/%D)</p>",
                passed ? "valid" : "unrecognised", passed ? L("Đạt", "Passed") : L("Chưa đạt", "Not passed"),
                (int64_t)json_integer_value(json_object_get(q, "percent")),
                (int64_t)json_integer_value(json_object_get(q, "correct")),
                (int64_t)json_integer_value(json_object_get(q, "total")));
        size_t i, wrong = 0;
        json_t *x;
        json_array_foreach(json_object_get(result, "questions"), i, x) wrong += !json_is_true(json_object_get(x, "correct"));
        if (wrong > 0) {
            nt_html(&p->b, "<p class=\"govuk-body\">%s</p><ul class=\"govuk-list govuk-list--bullet\">",
                    L("Những câu chưa đúng thuộc các phần sau, hãy đọc lại:",
                      "The questions you missed are in these modules, to read again:"));
            json_array_foreach(json_object_get(result, "questions"), i, x) if (!json_is_true(json_object_get(x, "correct")))
                nt_html(&p->b, "<li>%s</li>", module_title(p, nt_json_str(x, "module")));
            nt_html(&p->b, "</ul>");
        }
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/console/certificate\">%s</a></p>",
                L("Về trang chứng nhận", "Back to the certificate"));
    } else {
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        nt_html(&p->b,
                "<form method=\"post\" action=\"/console/quiz/%u\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                nt_json_str(q, "id"), token);
        size_t i, j;
        json_t *x, *o;
        json_array_foreach(questions, i, x)
        {
            const char *qid = nt_json_str(x, "id");
            nt_html(&p->b,
                    "<div class=\"govuk-form-group\"><fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend "
                    "govuk-fieldset__legend--s\">%D. %s</legend><div class=\"govuk-radios govuk-radios--small\">",
                    (int64_t)i + 1, nt_page_text(p, json_object_get(x, "text")));
            json_array_foreach(json_object_get(x, "options"), j, o) nt_html(
                &p->b,
                "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"%s-%D\" name=\"%s\" type=\"radio\" "
                "value=\"%D\"><label class=\"govuk-label govuk-radios__label\" for=\"%s-%D\">%s</label></div>",
                qid, (int64_t)j, qid, (int64_t)j, qid, (int64_t)j, nt_page_text(p, o));
            nt_html(&p->b, "</div></fieldset></div>");
        }
        nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form>", L("Nộp bài", "Submit"));
    }
    json_decref(q);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_quiz(nt_req *r)
{
    return quiz_page(r, NULL, NULL, 200);
}

enum MHD_Result nt_w_quiz_submit(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    json_t *q = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_quiz_get(nt_req_svc(r), &r->actor, r->params[0], &q, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    json_t *answers = json_object(); /* each question answered; one left blank counts as wrong */
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(q, "questions"), i, x)
    {
        char *v = nt_form_field(r, nt_json_str(x, "id"));
        char *end = NULL;
        long idx = v ? strtol(v, &end, 10) : -1;
        if (v != NULL && end != v && *end == '\0' && idx >= 0 && idx < 16)
            json_object_set_new(answers, nt_json_str(x, "id"), json_integer(idx));
        free(v);
    }
    json_decref(q);
    json_t *in = json_pack("{s:o}", "answers", answers), *result = NULL;
    WCTX(r, w);
    rc = nt_svc_quiz_submit(nt_req_svc(r), &w, &r->actor, r->params[0], in, &result, &e);
    json_decref(in);
    if (rc == 0)
        ret = quiz_page(r, result, NULL, 200);
    else if (rc == NT_ECONFLICT || rc == NT_EINVAL)
        ret = quiz_page(r, NULL, nt_err_said(r, &e), rc == NT_ECONFLICT ? 409 : 400);
    else
        ret = nt_respond_error(r, rc, &e);
    json_decref(result);
    return ret;
}

enum MHD_Result nt_w_certificate_apply(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *a = NULL;
    int rc = nt_svc_application_create(nt_req_svc(r), &w, &r->actor, &a, &e);
    json_decref(a);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_redirect(r, 303, "/console/certificate");
}
