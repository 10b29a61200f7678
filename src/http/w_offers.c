/* Advertising offers on the web: an influencer's offers (and an advertiser's own), each with its
 * automatic checks and, for the influencer, the checklist to confirm, accept (registering the ad,
 * whose public code the page then links) or decline with a reason. Each form is a write through the
 * write pipeline (as POST /v1/offers/{id}/confirm, /accept, /decline). */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/ads.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const states[][3] = {
    {"sent", "Đang chờ trả lời", "Waiting for an answer"},
    {"accepted", "Đã nhận lời", "Accepted"},
    {"declined", "Đã từ chối", "Declined"},
    {"withdrawn", "Đã rút lại", "Withdrawn"},
};
static const nt_labels offer_states = {sizeof(states) / sizeof(states[0]), states};

/* What the influencer confirms before accepting, as POST /v1/offers/{id}/confirm names it. */
static const char *const confirmations[][3] = {
    {"used_or_understands_product", "Tôi đã dùng hoặc hiểu rõ sản phẩm", "I have used or understand the product"},
    {"claims_match_documents", "Nội dung quảng cáo khớp với giấy tờ của sản phẩm", "The claims match the product's documents"},
    {"will_label_as_advertising", "Tôi sẽ ghi rõ bài đăng là quảng cáo", "I will label the post as advertising"},
    {"relationship_disclosed", "Quan hệ với nhà quảng cáo đã được nêu rõ", "My relationship with the advertiser is disclosed"},
};
static const nt_labels confirmation_labels = {sizeof(confirmations) / sizeof(confirmations[0]), confirmations};

static const char *const checks[][3] = {
    {"advertiser_active", "Nhà quảng cáo đang hoạt động", "The advertiser is active"},
    {"category_advertisable", "Loại sản phẩm được phép quảng cáo", "The product's category may be advertised"},
    {"not_recalled", "Sản phẩm không bị thu hồi", "The product is not recalled"},
    {"disclaimer_in_claims", "Nội dung có câu khuyến cáo bắt buộc", "The claims carry the required disclaimer"},
    {"influencer_not_restricted", "Bạn không bị cấm quảng cáo trong thời gian này", "You are free to advertise then"},
};
static const nt_labels check_labels = {sizeof(checks) / sizeof(checks[0]), checks};

enum MHD_Result nt_w_console_offers(nt_req *r)
{
    const char *state = nt_uri_param(&r->uri, "state"), *cursor = nt_uri_param(&r->uri, "cursor");
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_offer_list(nt_req_svc(r), &r->actor, state, cursor, NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Lời mời quảng cáo", "Advertising offers"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", L("Lời mời quảng cáo", "Advertising offers"));
    if (r->actor.role == NT_ROLE_ADVERTISER)
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-button\" href=\"/console/offers/new\">%s</a></p>",
                L("Gửi lời mời mới", "Send a new offer"));
    nt_page_states(p, "/console/offers", &offer_states);
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có lời mời nào.", "No offers."));
    } else {
        const char *cols[] = {L("Lời mời", "Offer"), L("Thời gian", "Period"), L("Thù lao", "Fee"), L("Trạng thái", "State")};
        nt_page_table_head(p, L("Lời mời quảng cáo", "Advertising offers"), cols, 4);
    }
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        nt_html(
            &p->b,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/console/offers/%u\">%s"
            "</a></td><td class=\"govuk-table__cell\">%T – %T</td><td class=\"govuk-table__cell\">%V</td>"
            "<td class=\"govuk-table__cell\">%s</td></tr>",
            nt_json_str(o, "id"), nt_json_str(o, "id"), nt_json_time(o, "start_at"), nt_json_time(o, "end_at"),
            (int64_t)json_integer_value(json_object_get(o, "fee_vnd")), nt_label(p, &offer_states, nt_json_str(o, "state")));
    }
    if (json_array_size(items) > 0)
        nt_html(&p->b, "</tbody></table>");
    json_decref(out);
    return nt_page_end(p, 200);
}

static void row(nt_page *p, const char *key)
{
    nt_html(&p->b,
            "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
            "<dd class=\"govuk-summary-list__value\">",
            key);
}

static enum MHD_Result offer_page(nt_req *r, const char *problem, const json_t *failing, unsigned status)
{
    json_t *o = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_offer_get(nt_req_svc(r), &r->actor, r->params[0], &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Lời mời quảng cáo", "Advertising offer"));
    if (problem != NULL) {
        nt_html(&p->b,
                "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\"><h2 "
                "class=\"govuk-error-summary__title\">%s</h2><div class=\"govuk-error-summary__body\"><p class=\"govuk-body\" "
                "id=\"offer-problem\">%s</p><ul class=\"govuk-list govuk-error-summary__list\">",
                L("Chưa nhận lời được", "Not accepted yet"), problem);
        size_t i;
        json_t *x;
        json_array_foreach(failing, i, x) nt_html(&p->b, "<li><a href=\"#checklist\">%s</a></li>", json_string_value(x));
        nt_html(&p->b, "</ul></div></div></div>");
    }
    const char *state = nt_json_str(o, "state"), *id = nt_json_str(o, "id");
    nt_html(&p->b,
            "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1><dl class=\"govuk-summary-list\">", id,
            L("Lời mời quảng cáo", "Advertising offer"));
    row(p, L("Trạng thái", "State"));
    nt_html(&p->b, "<strong id=\"offer-state\">%s</strong></dd></div>", nt_label(p, &offer_states, state));
    row(p, L("Nội dung quảng cáo", "The claims"));
    nt_html(&p->b, "%s</dd></div>", nt_json_str(o, "claims"));
    row(p, L("Thời gian", "Period"));
    nt_html(&p->b, "%T – %T</dd></div>", nt_json_time(o, "start_at"), nt_json_time(o, "end_at"));
    row(p, L("Nền tảng", "Platforms"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "platforms"), i, x) nt_html(&p->b, "%s%s", i ? ", " : "", json_string_value(x));
    nt_html(&p->b, "</dd></div>");
    row(p, L("Thù lao", "Fee"));
    nt_html(&p->b, "%V</dd></div>", (int64_t)json_integer_value(json_object_get(o, "fee_vnd")));
    row(p, L("Quan hệ với nhà quảng cáo", "Relationship"));
    nt_html(&p->b, "%s</dd></div></dl>", nt_json_str(o, "relationship"));
    const char *code = nt_json_str(o, "ad_code");
    if (code != NULL)
        nt_html(&p->b, "<p class=\"govuk-body\">%s <a class=\"govuk-link\" id=\"ad-code\" href=\"/ads/%u\">%s</a></p>",
                L("Quảng cáo đã đăng ký, mã công khai:", "The ad is registered, its public code:"), code, code);
    if (json_array_size(json_object_get(o, "checks")) > 0) {
        nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list\">", L("Kiểm tra tự động", "Automatic checks"));
        json_array_foreach(json_object_get(o, "checks"), i, x)
        {
            const char *name = nt_json_str(x, "check");
            bool ok = json_is_true(json_object_get(x, "ok"));
            const json_t *detail = json_object_get(x, "detail");
            nt_html(&p->b, "<li><strong class=\"nt-status nt-status--%s\">%s</strong> %s", ok ? "valid" : "unrecognised",
                    ok ? L("Đạt", "Passed") : L("Không đạt", "Failed"),
                    name && strncmp(name, "document:", 9) == 0
                        ? L("Giấy tờ của sản phẩm còn hiệu lực", "The product's document is valid")
                        : nt_label(p, &check_labels, name));
            if (detail != NULL)
                nt_html(&p->b, " — %s",
                        json_is_string(detail) ? json_string_value(detail)
                                               : nt_json_str(detail, p->r->lang == NT_LANG_EN ? "en" : "vi"));
            nt_html(&p->b, "</li>");
        }
        nt_html(&p->b, "</ul>");
    }
    if (r->actor.role == NT_ROLE_KOL && state != NULL && strcmp(state, "sent") == 0) {
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        const json_t *conf = json_object_get(o, "confirmations");
        nt_html(
            &p->b,
            "<h2 class=\"govuk-heading-m\" id=\"checklist\">%s</h2><form method=\"post\" action=\"/console/offers/%u/confirm\">"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><div class=\"govuk-form-group\"><fieldset class=\"govuk-fieldset\">"
            "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">%s</legend><div class=\"govuk-checkboxes\">",
            L("Trước khi nhận lời", "Before you accept"), id, token,
            L("Luật Quảng cáo yêu cầu bạn xác nhận từng điều:", "The Advertising Law asks you to confirm each of these:"));
        for (i = 0; i < confirmation_labels.n; i++) {
            const char *k = confirmation_labels.v[i][0];
            bool on = json_is_true(json_object_get(json_object_get(conf, k), "value"));
            nt_html(&p->b,
                    "<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"c-%s\" name=\"%s\" "
                    "type=\"checkbox\" value=\"1\"%R><label class=\"govuk-label govuk-checkboxes__label\" "
                    "for=\"c-%s\">%s</label></div>",
                    k, k, on ? " checked" : "", k, L(confirmation_labels.v[i][1], confirmation_labels.v[i][2]));
        }
        nt_html(&p->b,
                "</div></fieldset></div><button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>"
                "<form method=\"post\" action=\"/console/offers/%u/accept\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<button class=\"govuk-button\" type=\"submit\">%s</button></form>"
                "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/offers/%u/decline\" novalidate>"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                L("Lưu xác nhận", "Save the confirmations"), id, token, L("Nhận lời quảng cáo", "Accept the offer"),
                L("Từ chối", "Decline"), id, token);
        nt_page_input(p, "reason", "text", L("Lý do từ chối", "Why you decline"), NULL, NULL, NULL, "off", NULL);
        nt_html(&p->b, "<button class=\"govuk-button govuk-button--warning\" type=\"submit\">%s</button></form>",
                L("Từ chối lời mời", "Decline the offer"));
    }
    if (r->actor.role == NT_ROLE_ADVERTISER && state != NULL && strcmp(state, "sent") == 0) {
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        nt_html(&p->b,
                "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/offers/%u/withdraw\" novalidate>"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                L("Rút lại lời mời", "Withdraw the offer"), id, token);
        nt_page_input(p, "reason", "text", L("Lý do", "Reason"), NULL, NULL, NULL, "off", NULL);
        nt_html(&p->b, "<button class=\"govuk-button govuk-button--warning\" type=\"submit\">%s</button></form>",
                L("Rút lại lời mời", "Withdraw"));
    }
    json_decref(o);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_offer(nt_req *r)
{
    return offer_page(r, NULL, NULL, 200);
}

enum MHD_Result nt_w_offer_confirm(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    json_t *in = json_object(); /* every item said, ticked or not: a box left empty is a "no" */
    for (size_t i = 0; i < confirmation_labels.n; i++) {
        char *v = nt_form_field(r, confirmation_labels.v[i][0]);
        json_object_set_new(in, confirmation_labels.v[i][0], json_boolean(v != NULL && strcmp(v, "1") == 0));
        free(v);
    }
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_offer_confirm(nt_req_svc(r), &w, &r->actor, r->params[0], in, &o, &e);
    json_decref(in);
    json_decref(o);
    return rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/offers", r->params[0]);
}

enum MHD_Result nt_w_offer_accept(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *ad = NULL;
    int rc = nt_svc_offer_accept(nt_req_svc(r), &w, &r->actor, r->params[0], &ad, &e);
    if (rc == 0) {
        ret = nt_page_redirect_to(r, "/console/offers", r->params[0]);
    } else if (rc == NT_ECONFLICT) {
        /* What still fails or is not confirmed, each named. */
        json_t *failing = json_array();
        nt_page names = {.r = r}; /* for the labels' language */
        for (int i = 0; i < e.nfields; i++) {
            const char *f = e.fields[i].field, *label = nt_label(&names, &confirmation_labels, f);
            if (label == f)
                label = strncmp(f, "document:", 9) == 0
                            ? nt_l(r, "Giấy tờ của sản phẩm còn hiệu lực", "The product's document is valid")
                            : nt_label(&names, &check_labels, f);
            json_array_append_new(failing, json_string(label));
        }
        ret = offer_page(
            r, nt_l(r, "Còn những điều dưới đây chưa đạt hoặc chưa được xác nhận.", "These are not met or not confirmed yet."),
            failing, 409);
        json_decref(failing);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    json_decref(ad);
    return ret;
}

enum MHD_Result nt_w_offer_decline(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *reason = nt_form_field(r, "reason");
    json_t *in = json_pack("{s:s?}", "reason", reason && reason[strspn(reason, " ")] ? reason : NULL);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_offer_decline(nt_req_svc(r), &w, &r->actor, r->params[0], in, &o, &e);
    if (rc == NT_EINVAL)
        ret = offer_page(r, nt_l(r, "Hãy nêu lý do từ chối", "Say why you decline"), NULL, 400);
    else
        ret = rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/offers", r->params[0]);
    json_decref(o);
    json_decref(in);
    free(reason);
    return ret;
}
