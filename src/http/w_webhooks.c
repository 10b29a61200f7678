/* Webhooks on the web: an organisation's subscriptions (a platform's, an advertiser's, a
 * regulator's, the secretariat's; an influencer's own), subscribing with the events wanted (the
 * signing secret shown once, on a page no cache keeps), each subscription's deliveries with their
 * state, attempts and last answer, and stopping one — as POST/GET/DELETE /v1/webhooks and
 * /deliveries, through the write pipeline. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/webhooks.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const event_v[][3] = {
    {"decision.published", "Quyết định được công bố", "A decision published"},
    {"decision.delisted", "Quyết định được gỡ khỏi danh sách công khai", "A decision delisted"},
    {"sanction.activated", "Biện pháp bắt đầu có hiệu lực", "A measure takes effect"},
    {"sanction.lifted", "Biện pháp được dỡ bỏ", "A measure lifted"},
    {"sanction.expired", "Biện pháp hết hạn", "A measure expired"},
    {"appeal.filed", "Khiếu nại được nộp", "An appeal filed"},
    {"appeal.resolved", "Khiếu nại được giải quyết", "An appeal resolved"},
    {"ad.suspended", "Quảng cáo bị tạm dừng", "An ad suspended"},
    {"ad.reinstated", "Quảng cáo được khôi phục", "An ad reinstated"},
    {"offer.sent", "Lời mời quảng cáo được gửi", "An offer sent"},
    {"offer.accepted", "Lời mời được chấp nhận", "An offer accepted"},
    {"offer.declined", "Lời mời bị từ chối", "An offer declined"},
    {"offer.withdrawn", "Lời mời bị rút lại", "An offer withdrawn"},
    {"certificate.issued", "Chứng nhận được cấp", "A certificate issued"},
    {"certificate.suspended", "Chứng nhận bị tạm đình chỉ", "A certificate suspended"},
    {"certificate.reinstated", "Chứng nhận được khôi phục", "A certificate reinstated"},
    {"certificate.revoked", "Chứng nhận bị thu hồi", "A certificate revoked"},
    {"certificate.expired", "Chứng nhận hết hạn", "A certificate expired"},
    {"member.admitted", "Thành viên được kết nạp", "A member admitted"},
    {"member.left", "Thành viên rời Liên minh", "A member left"},
    {"member.removed", "Thành viên bị loại", "A member removed"},
    {"notice.published", "Thông báo được công bố", "A notice published"},
};
static const nt_labels events = {sizeof(event_v) / sizeof(event_v[0]), event_v};

static const char *const delivery_v[][3] = {
    {"pending", "Đang chờ gửi", "Pending"},
    {"delivered", "Đã gửi", "Delivered"},
    {"dead", "Thất bại sau mọi lần thử", "Failed after every attempt"},
    {"stopped", "Đã dừng", "Stopped"},
};
static const nt_labels delivery_states = {sizeof(delivery_v) / sizeof(delivery_v[0]), delivery_v};

static enum MHD_Result hooks_page(nt_req *r, const json_t *made, const char *url, const char *problem, const char *bad,
                                  unsigned status)
{
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_webhook_list(nt_req_svc(r), &r->actor, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, "Webhook");
    if (problem != NULL)
        nt_page_error_summary(p, problem, bad ? bad : "url");
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">Webhook</h1><p class=\"govuk-body\">%s</p>",
            L("Hệ thống của bạn nhận sự kiện dưới dạng yêu cầu POST có chữ ký HMAC-SHA256, gửi lại khi lỗi. Mọi người và "
              "mọi khóa của tổ chức dùng chung các đăng ký này.",
              "Your systems receive events as POSTs signed with HMAC-SHA256, retried on failure. Everyone and every key of "
              "your organisation shares these subscriptions."));
    if (made != NULL)
        nt_page_secret(p, L("Đã đăng ký. Khóa ký:", "Subscribed. The signing secret:"), nt_json_str(made, "secret"),
                       L("Chỉ hiện một lần: hãy lưu vào hệ thống nhận để kiểm tra chữ ký.",
                         "Shown once: store it in the receiving system to check signatures."));
    const json_t *items = json_object_get(out, "items");
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa có đăng ký nào.", "No subscriptions yet."));
    } else {
        const char *cols[] = {L("Địa chỉ nhận", "Receiver"), L("Sự kiện", "Events"), L("Trạng thái", "State"),
                              L("Thao tác", "Action")};
        nt_page_table_head(p, "Webhook", cols, 4);
        size_t i, j;
        json_t *h, *ev;
        json_array_foreach(items, i, h)
        {
            const char *id = nt_json_str(h, "id");
            bool active = json_is_true(json_object_get(h, "active"));
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\" id=\"%s\"><td class=\"govuk-table__cell nt-break\"><a class=\"govuk-link\" "
                    "href=\"/console/webhooks/%u\">%s</a><br><span class=\"govuk-body-s\">%T</span></td><td "
                    "class=\"govuk-table__cell\">",
                    id, id, nt_json_str(h, "url"), nt_json_time(h, "created_at"));
            const json_t *evs = json_object_get(h, "events");
            json_t *parsed = json_is_string(evs) ? json_loads(json_string_value(evs), 0, NULL) : NULL;
            json_array_foreach(parsed ? parsed : evs, j, ev)
                nt_html(&p->b, "%R%s", j ? "<br>" : "", nt_label(p, &events, json_string_value(ev)));
            json_decref(parsed);
            nt_html(&p->b, "</td><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">",
                    active ? L("Đang nhận", "Active") : L("Đã dừng", "Stopped"));
            if (active)
                nt_html(&p->b,
                        "<form method=\"post\" action=\"/console/webhooks/%u/delete\"><input type=\"hidden\" name=\"csrf\" "
                        "value=\"%s\"><button class=\"govuk-button govuk-button--warning govuk-!-margin-bottom-0\" "
                        "type=\"submit\">%s<span class=\"govuk-visually-hidden\"> %s</span></button></form>",
                        id, token, L("Dừng", "Stop"), nt_json_str(h, "url"));
            nt_html(&p->b, "</td></tr>");
        }
        nt_html(&p->b, "</tbody></table>");
    }
    json_decref(out);
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/webhooks\" novalidate><input "
            "type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Đăng ký nhận sự kiện", "Subscribe to events"), token);
    nt_page_input(p, "url", "url", L("Địa chỉ nhận (https)", "Receiver address (https)"),
                  L("Địa chỉ công khai; địa chỉ nội bộ bị từ chối.", "A public address; internal addresses are refused."), url,
                  bad && strcmp(bad, "url") == 0 ? problem : NULL, "url", "spellcheck=\"false\"");
    bool events_bad = bad && strncmp(bad, "events", 6) == 0;
    nt_html(&p->b,
            "<div class=\"govuk-form-group%s\"><fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend "
            "govuk-fieldset__legend--s\" id=\"events\">%s</legend>",
            events_bad ? " govuk-form-group--error" : "", L("Sự kiện", "Events"));
    if (events_bad)
        nt_html(&p->b, "<p class=\"govuk-error-message\">%s</p>", problem);
    nt_html(&p->b, "<div class=\"govuk-checkboxes govuk-checkboxes--small\">");
    for (size_t i = 0; i < events.n; i++) {
        char name[64];
        snprintf(name, sizeof(name), "event-%s", events.v[i][0]);
        char *on = made ? NULL : nt_form_field(r, name);
        nt_html(&p->b,
                "<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"%s\" name=\"%s\" "
                "type=\"checkbox\" value=\"1\"%R><label class=\"govuk-label govuk-checkboxes__label\" for=\"%s\">%s <code>%s"
                "</code></label></div>",
                name, name, on ? " checked" : "", name, L(events.v[i][1], events.v[i][2]), events.v[i][0]);
        free(on);
    }
    nt_html(&p->b, "</div></fieldset></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>",
            L("Đăng ký", "Subscribe"));
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_webhooks(nt_req *r)
{
    return hooks_page(r, NULL, NULL, NULL, NULL, 200);
}

enum MHD_Result nt_w_webhook_create(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *url = nt_form_field(r, "url");
    json_t *evs = json_array();
    for (size_t i = 0; i < events.n; i++) {
        char name[64];
        snprintf(name, sizeof(name), "event-%s", events.v[i][0]);
        char *on = nt_form_field(r, name);
        if (on != NULL)
            json_array_append_new(evs, json_string(events.v[i][0]));
        free(on);
    }
    json_t *in = json_pack("{s:s, s:o}", "url", url ? url : "", "events", evs), *h = NULL;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_webhook_create(nt_req_svc(r), &w, &r->actor, in, &h, &e);
    if (rc == 0) {
        ret = hooks_page(r, h, NULL, NULL, NULL, 201);
    } else if (rc == NT_EINVAL) {
        const char *bad = e.nfields > 0 ? e.fields[0].field : "url";
        const char *why = strncmp(bad, "events", 6) == 0
                              ? nt_l(r, "Hãy chọn ít nhất một sự kiện (tối đa 10)", "Choose at least one event (at most 10)")
                          : e.nfields > 0 && strcmp(e.fields[0].code, "internal_address") == 0
                              ? nt_l(r, "Địa chỉ này là địa chỉ nội bộ; hãy dùng một địa chỉ công khai",
                                     "This is an internal address; use a public one")
                              : nt_l(r, "Hãy nhập một địa chỉ http(s) đầy đủ", "Enter a full http(s) address");
        ret = hooks_page(r, NULL, url, why, strncmp(bad, "events", 6) == 0 ? "events" : "url", 400);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    json_decref(h);
    json_decref(in);
    free(url);
    return ret;
}

enum MHD_Result nt_w_console_webhook(nt_req *r)
{
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_webhook_deliveries(nt_req_svc(r), &r->actor, r->params[0], 200, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Lượt gửi webhook", "Webhook deliveries"));
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>", r->params[0],
            L("Lượt gửi", "Deliveries"));
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Chưa có sự kiện nào được gửi.", "Nothing sent yet."));
    } else {
        const char *cols[] = {L("Sự kiện", "Event"), L("Trạng thái", "State"), L("Số lần thử", "Attempts"),
                              L("Phản hồi cuối", "Last answer")};
        nt_page_table_head(p, L("Lượt gửi", "Deliveries"), cols, 4);
        size_t i;
        json_t *d;
        json_array_foreach(items, i, d)
        {
            char status[16] = "";
            if (json_is_integer(json_object_get(d, "last_status")))
                snprintf(status, sizeof(status), "HTTP %lld", (long long)json_integer_value(json_object_get(d, "last_status")));
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">%T</span>"
                    "</td><td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%D</td><td "
                    "class=\"govuk-table__cell nt-break\">%s%R%s</td></tr>",
                    nt_label(p, &events, nt_json_str(d, "event")), nt_json_time(d, "created_at"),
                    nt_label(p, &delivery_states, nt_json_str(d, "state")),
                    (int64_t)json_integer_value(json_object_get(d, "attempts")), status,
                    status[0] && nt_json_str(d, "last_error") ? " — " : "",
                    nt_json_str(d, "last_error") ? nt_json_str(d, "last_error") : "");
        }
        nt_html(&p->b, "</tbody></table>");
    }
    nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/console/webhooks\">%s</a></p>",
            L("Mọi đăng ký", "All subscriptions"));
    json_decref(out);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_webhook_delete(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_webhook_delete(nt_req_svc(r), &w, &r->actor, r->params[0], &e);
    char *next = nt_form_field(r, "next"); /* a browser's push subscription is stopped from the network page */
    ret =
        rc ? nt_respond_error(r, rc, &e)
           : nt_respond_redirect(r, 303, next && strcmp(next, "/console/network") == 0 ? "/console/network" : "/console/webhooks");
    free(next);
    return ret;
}
