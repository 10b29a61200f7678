/* The trusted network on the web: a member chooses the topics and province of the verified notices
 * it wants and how they reach it — the feed (this page), a webhook of its own, and browser push
 * (Web Push: this browser subscribed by the page's script and the service worker at /sw.js, the
 * messages encrypted for it, RFC 8291, from a server identified by VAPID, RFC 8292) — as POST
 * /v1/network/members; the notices that reached it, each marked read here (as /ack); leaving. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/notices.h"
#include "service/webhooks.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const channel_v[][3] = {
    {"feed", "Trên trang này", "On this page"},
    {"push", "Thông báo đẩy trên trình duyệt", "Browser notifications"},
    {"webhook", "Webhook tới hệ thống của bạn", "A webhook to your systems"},
};

/* Whether a list of strings has s. */
static bool has(const json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (nt_streq(json_string_value(v), s)) return true;
    return false;
}

static enum MHD_Result network_page(nt_req *r, const char *problem, const char *field, unsigned status)
{
    json_t *me = NULL, *hooks = NULL, *topics = NULL, *provinces = NULL, *inbox = NULL;
    nt_err e;
    nt_err_clear(&e);
    bool member = nt_svc_network_me(nt_req_svc(r), &r->actor, &me, &e) == 0;
    nt_err_clear(&e);
    nt_svc_webhook_list(nt_req_svc(r), &r->actor, &hooks, &e);
    nt_svc_notice_topics(&topics, &e);
    nt_svc_provinces(&provinces, &e);
    if (member)
        nt_svc_network_inbox(nt_req_svc(r), &r->actor, 50, &inbox, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Mạng lưới tin cậy", "The trusted network"));
    if (problem != NULL)
        nt_page_error_summary(p, problem, field ? field : "topics");
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>",
            L("Mạng lưới tin cậy", "The trusted network"),
            L("Nhận đính chính, cảnh báo lừa đảo và thông báo thu hồi đã được xác minh, theo chủ đề và tỉnh, thành bạn chọn.",
              "Receive verified corrections, scam alerts and recalls on the topics and in the province you choose."));
    /* The notices that reached this member. */
    if (member) {
        nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2>", L("Thông báo đến bạn", "Notices for you"));
        const json_t *items = json_object_get(inbox, "items");
        if (json_array_size(items) == 0)
            nt_html(&p->b, "<p class=\"govuk-body\" id=\"inbox\">%s</p>", L("Chưa có thông báo nào.", "None yet."));
        else
            nt_html(&p->b, "<ul class=\"govuk-list\" id=\"inbox\">");
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x)
        {
            json_t *n = NULL;
            nt_err e2;
            nt_err_clear(&e2);
            const char *id = nt_json_str(x, "notice_id");
            nt_svc_notice_get(nt_req_svc(r), id, &n, &e2);
            nt_html(&p->b, "<li id=\"n-%s\"><a class=\"govuk-link\" href=\"/notices/%u\">%s</a> — %T", id, id,
                    n ? nt_page_text(p, json_object_get(n, "title")) : id, nt_json_time(x, "queued_at"));
            if (nt_json_str(x, "read_at") != NULL)
                nt_html(&p->b, " · <strong>%s</strong>", L("đã đọc", "read"));
            else
                nt_html(&p->b,
                        " <form class=\"nt-inline\" method=\"post\" action=\"/console/network/read/%u\"><input type=\"hidden\" "
                        "name=\"csrf\" value=\"%s\"><button class=\"govuk-button govuk-button--secondary govuk-!-margin-bottom-0\" "
                        "type=\"submit\">%s<span class=\"govuk-visually-hidden\"> %s</span></button></form>",
                        id, token, L("Đánh dấu đã đọc", "Mark as read"), id);
            nt_html(&p->b, "</li>");
            json_decref(n);
        }
        if (json_array_size(items) > 0)
            nt_html(&p->b, "</ul>");
    }
    /* Browser push: this browser, subscribed by the script (a page without it says so). */
    char key[NT_PUSH_KEY_LEN];
    nt_svc_push_key(nt_req_svc(r), key);
    nt_html(
        &p->b,
        "<h2 class=\"govuk-heading-m\" id=\"push\">%s</h2><p class=\"govuk-body\">%s</p><button class=\"govuk-button "
        "govuk-button--secondary\" type=\"button\" hidden data-nt-push=\"%s\" data-csrf=\"%s\" data-done=\"%s\" data-failed=\"%s\" "
        "data-denied=\"%s\" data-unsupported=\"%s\">%s</button><p class=\"govuk-body\" id=\"push-status\" role=\"status\">"
        "<noscript>%s</noscript></p>",
        L("Thông báo trên trình duyệt này", "Notifications in this browser"),
        L("Chọn “Thông báo đẩy trên trình duyệt” bên dưới, rồi bật cho trình duyệt này. Nội dung được mã hóa cho riêng "
          "trình duyệt của bạn.",
          "Choose “Browser notifications” below, then turn them on for this browser. They are encrypted for your browser "
          "alone."),
        key, token, L("Đã bật thông báo cho trình duyệt này.", "Notifications are on for this browser."),
        L("Không bật được:", "Could not turn them on:"), L("bạn chưa cho phép thông báo", "notifications were not allowed"),
        L("Trình duyệt này không hỗ trợ thông báo đẩy.", "This browser does not support push notifications."),
        L("Bật thông báo cho trình duyệt này", "Turn on notifications in this browser"),
        L("Cần bật JavaScript để nhận thông báo đẩy.", "Push notifications need JavaScript."));
    size_t i;
    json_t *h;
    bool any = false;
    json_array_foreach(json_object_get(hooks, "items"), i,
                       h) if (json_is_true(json_object_get(h, "push")) && json_is_true(json_object_get(h, "active")))
    {
        if (!any)
            nt_html(&p->b, "<ul class=\"govuk-list\" id=\"push-subscriptions\">");
        any = true;
        nt_html(&p->b,
                "<li>%s %T <form class=\"nt-inline\" method=\"post\" action=\"/console/webhooks/%u/delete\"><input type=\"hidden\" "
                "name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"next\" value=\"/console/network\"><button "
                "class=\"govuk-button govuk-button--warning govuk-!-margin-bottom-0\" type=\"submit\">%s</button></form></li>",
                L("Trình duyệt đăng ký lúc", "A browser subscribed"), nt_json_time(h, "created_at"), nt_json_str(h, "id"), token,
                L("Tắt", "Turn off"));
    }
    if (any)
        nt_html(&p->b, "</ul>");
    /* What to receive and how. */
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/network\" novalidate><input "
            "type=\"hidden\" name=\"csrf\" value=\"%s\"><div class=\"govuk-form-group%s\"><fieldset class=\"govuk-fieldset\">"
            "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\" id=\"topics\">%s</legend><div "
            "class=\"govuk-checkboxes govuk-checkboxes--small\">",
            member ? L("Điều bạn nhận", "What you receive") : L("Tham gia mạng lưới", "Join the network"), token,
            field && strcmp(field, "topics") == 0 ? " govuk-form-group--error" : "", L("Chủ đề", "Topics"));
    json_t *t;
    json_array_foreach(json_object_get(topics, "topics"), i, t)
    {
        const char *id = nt_json_str(t, "id");
        nt_html(&p->b,
                "<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"topic-%s\" name=\"topic.%s\" "
                "type=\"checkbox\" value=\"1\"%R><label class=\"govuk-label govuk-checkboxes__label\" "
                "for=\"topic-%s\">%s</label></div>",
                id, id, has(json_object_get(me, "topics"), id) ? " checked" : "", id, nt_page_text(p, json_object_get(t, "title")));
    }
    const json_t *mine = json_object_get(me, "provinces");
    bool all = json_array_size(mine) == 0 || json_array_size(mine) == json_array_size(json_object_get(provinces, "provinces"));
    nt_html(&p->b,
            "</div></fieldset></div><div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"province\">%s</label>"
            "<select class=\"govuk-select\" id=\"province\" name=\"province\"><option value=\"all\">%s</option>",
            L("Tỉnh, thành", "Province"), L("Cả nước", "The whole country"));
    json_array_foreach(json_object_get(provinces, "provinces"), i, t)
        nt_html(&p->b, "<option value=\"%s\"%R>%s</option>", nt_json_str(t, "code"),
                !all && has(mine, nt_json_str(t, "code")) ? " selected" : "", nt_page_text(p, json_object_get(t, "name")));
    nt_html(&p->b,
            "</select></div><div class=\"govuk-form-group%s\"><fieldset class=\"govuk-fieldset\"><legend "
            "class=\"govuk-fieldset__legend govuk-fieldset__legend--s\" id=\"channels\">%s</legend><div class=\"govuk-checkboxes "
            "govuk-checkboxes--small\">",
            field && strncmp(field, "channels", 8) == 0 ? " govuk-form-group--error" : "", L("Nhận qua", "Receive by"));
    for (size_t k = 0; k < sizeof(channel_v) / sizeof(channel_v[0]); k++) {
        bool on = member ? has(json_object_get(me, "channels"), channel_v[k][0]) : k == 0;
        nt_html(
            &p->b,
            "<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"channel-%s\" name=\"channel.%s\" "
            "type=\"checkbox\" value=\"1\"%R><label class=\"govuk-label govuk-checkboxes__label\" for=\"channel-%s\">%s</label>"
            "</div>",
            channel_v[k][0], channel_v[k][0], on ? " checked" : "", channel_v[k][0], L(channel_v[k][1], channel_v[k][2]));
    }
    nt_html(&p->b,
            "</div></fieldset></div><div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"webhook_id\">%s</label>"
            "<select class=\"govuk-select\" id=\"webhook_id\" name=\"webhook_id\"><option value=\"\">%s</option>",
            field && strcmp(field, "webhook_id") == 0 ? " govuk-form-group--error" : "",
            L("Webhook nhận thông báo (khi chọn webhook)", "The webhook for notices (when you choose webhook)"),
            L("Không", "None"));
    json_array_foreach(json_object_get(hooks, "items"), i,
                       h) if (!json_is_true(json_object_get(h, "push")) && json_is_true(json_object_get(h, "active")))
        nt_html(&p->b, "<option value=\"%s\"%R>%s</option>", nt_json_str(h, "id"),
                nt_streq(nt_json_str(me, "webhook_id"), nt_json_str(h, "id")) ? " selected" : "", nt_json_str(h, "url"));
    nt_html(&p->b, "</select></div><button class=\"govuk-button\" type=\"submit\">%s</button></form>",
            member ? L("Lưu", "Save") : L("Tham gia", "Join"));
    if (member)
        nt_html(&p->b,
                "<form method=\"post\" action=\"/console/network/leave\"><input type=\"hidden\" name=\"csrf\" value=\"%s\"><button "
                "class=\"govuk-button govuk-button--warning\" type=\"submit\">%s</button></form>",
                token, L("Rời mạng lưới", "Leave the network"));
    json_decref(me), json_decref(hooks), json_decref(topics), json_decref(provinces), json_decref(inbox);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_network(nt_req *r)
{
    return network_page(r, NULL, NULL, 200);
}

enum MHD_Result nt_w_network_join(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    json_t *topics = json_array(), *channels = json_array(), *list = NULL;
    nt_err e;
    nt_err_clear(&e);
    nt_svc_notice_topics(&list, &e);
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(list, "topics"), i, t)
    {
        char name[64];
        snprintf(name, sizeof(name), "topic.%s", nt_json_str(t, "id"));
        char *v = nt_form_field(r, name);
        if (v != NULL)
            json_array_append_new(topics, json_string(nt_json_str(t, "id")));
        free(v);
    }
    json_decref(list);
    for (size_t k = 0; k < sizeof(channel_v) / sizeof(channel_v[0]); k++) {
        char name[32];
        snprintf(name, sizeof(name), "channel.%s", channel_v[k][0]);
        char *v = nt_form_field(r, name);
        if (v != NULL)
            json_array_append_new(channels, json_string(channel_v[k][0]));
        free(v);
    }
    char *province = nt_form_field(r, "province"), *hook = nt_form_field(r, "webhook_id");
    json_t *in = json_pack("{s:o, s:[s], s:o, s:s?}", "topics", topics, "provinces", province && province[0] ? province : "all",
                           "channels", channels, "webhook_id", hook && hook[0] ? hook : NULL),
           *m = NULL;
    free(province), free(hook);
    WCTX(r, w);
    bool created = false;
    int rc = nt_svc_network_join(nt_req_svc(r), &w, &r->actor, in, &m, &created, &e);
    json_decref(in);
    json_decref(m);
    if (rc == NT_EINVAL) {
        const char *f = e.nfields > 0 ? e.fields[0].field : "topics";
        const char *why = strncmp(f, "topics", 6) == 0 ? nt_l(r, "Hãy chọn ít nhất một chủ đề", "Choose at least one topic")
                          : strncmp(f, "channels", 8) == 0
                              ? nt_l(r, "Hãy chọn ít nhất một cách nhận", "Choose at least one way to receive")
                          : strcmp(f, "webhook_id") == 0
                              ? nt_l(r, "Khi nhận qua webhook, hãy chọn một webhook nhận sự kiện notice.published (và chỉ khi đó)",
                                     "With the webhook channel, choose a webhook that takes notice.published (and only then)")
                              : nt_err_said(r, &e);
        return network_page(r, why, strncmp(f, "topics", 6) == 0 ? "topics" : strncmp(f, "channels", 8) == 0 ? "channels" : f, 400);
    }
    if (rc == NT_ECONFLICT)
        return network_page(r, nt_err_said(r, &e), NULL, 409);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_redirect(r, 303, "/console/network");
}

enum MHD_Result nt_w_network_leave(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *m = NULL;
    int rc = nt_svc_network_leave(nt_req_svc(r), &w, &r->actor, &m, &e);
    json_decref(m);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_redirect(r, 303, "/console/network");
}

enum MHD_Result nt_w_network_read(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *in = json_pack("{s:s}", "state", "read"), *a = NULL;
    int rc = nt_svc_notice_ack(nt_req_svc(r), &w, &r->actor, r->params[0], in, &a, &e);
    json_decref(in);
    json_decref(a);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_redirect(r, 303, "/console/network");
}

/* This browser's push subscription, posted by the page's script (fields endpoint, p256dh, auth). */
enum MHD_Result nt_w_network_push(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *endpoint = nt_form_field(r, "endpoint"), *p256dh = nt_form_field(r, "p256dh"), *auth = nt_form_field(r, "auth");
    json_t *in = json_pack("{s:s, s:{s:s, s:s}}", "endpoint", endpoint ? endpoint : "", "keys", "p256dh", p256dh ? p256dh : "",
                           "auth", auth ? auth : ""),
           *s = NULL;
    free(endpoint), free(p256dh), free(auth);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    bool created = false;
    int rc = nt_svc_push_subscribe(nt_req_svc(r), &w, &r->actor, in, &s, &created, &e);
    json_decref(in);
    json_decref(s);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    return nt_respond_redirect(r, 303, "/console/network");
}
