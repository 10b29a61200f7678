/* An advertiser's side of offers on the web, and the registered ads of an advertiser or an
 * influencer. The offer form (as POST /v1/offers): the influencer (a person id, or an account
 * as platform:handle), one of the advertiser's products, the claims, the period in Vietnam time,
 * the platforms, the fee typed as people write it ("70.000.000 ₫") and the relationship; its fields
 * named by the API body's paths, each error at its field. An open offer withdrawn with a reason
 * (as /withdraw). The ads (as GET /v1/ads filtered by advertiser or influencer), each linking to its
 * public page by code. */
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/ads.h"
#include "service/registry.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const labels[][3] = {
    {"person_id", "Người có ảnh hưởng", "Influencer"},
    {"product_id", "Sản phẩm", "Product"},
    {"claims", "Nội dung quảng cáo", "The claims"},
    {"start", "Bắt đầu", "From"},
    {"end", "Kết thúc", "Until"},
    {"platforms", "Nền tảng", "Platforms"},
    {"fee_vnd", "Thù lao", "Fee"},
    {"relationship", "Quan hệ với nhà quảng cáo", "Relationship"},
};

static enum MHD_Result offer_form(nt_req *r, const nt_pform *f, unsigned status)
{
    json_t *mine = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_products_mine(nt_req_svc(r), &r->actor, &mine, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Gửi lời mời quảng cáo", "Send an advertising offer"));
    if (f->err != NULL)
        nt_pf_summary(p, f, L("Lời mời chưa được gửi", "The offer was not sent"), "offer-problem");
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p><form method=\"post\" action=\"/console/offers\" "
            "novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Gửi lời mời quảng cáo", "Send an advertising offer"),
            L("Người có ảnh hưởng xem kiểm tra tự động và xác nhận từng điều Luật Quảng cáo yêu cầu trước khi nhận lời.",
              "The influencer sees the automatic checks and confirms each point the Advertising Law asks before accepting."),
            token);
    nt_pf_text(p, f, "person_id", "text", L("Người có ảnh hưởng", "Influencer"),
               L("Mã người (p…) hoặc tài khoản dạng nền tảng:tài khoản, ví dụ tiktok:@hoa.nguyen",
                 "A person id (p…) or an account as platform:handle, e.g. tiktok:@hoa.nguyen"));
    const json_t *items = json_object_get(mine, "items");
    size_t n = json_array_size(items), i;
    const char *(*opts)[3] = calloc(n ? n : 1, sizeof(*opts));
    json_t *x;
    json_array_foreach(items, i, x) opts[i][0] = nt_json_str(x, "id"), opts[i][1] = opts[i][2] = nt_json_str(x, "name");
    if (n == 0)
        nt_html(&p->b, "<p class=\"govuk-body\">%s <a class=\"govuk-link\" href=\"/console/products\">%s</a>.</p>",
                L("Chưa có sản phẩm:", "No products yet:"), L("thêm sản phẩm trước", "add a product first"));
    else
        nt_pf_choice(p, f, "product_id", L("Sản phẩm", "Product"), (const char *const(*)[3])opts, n);
    free(opts);
    nt_pf_text(p, f, "claims", "textarea", L("Nội dung quảng cáo", "The claims"),
               L("Đúng như sẽ nói trong bài đăng; phải khớp giấy tờ của sản phẩm.", "As the post will say them; they must match "
                                                                                    "the product's documents."));
    nt_pf_text(p, f, "start", "datetime-local", L("Bắt đầu", "From"), L("Giờ Việt Nam", "Vietnam time"));
    nt_pf_text(p, f, "end", "datetime-local", L("Kết thúc", "Until"), L("Giờ Việt Nam", "Vietnam time"));
    nt_pf_section(p, f, "platforms", L("Nền tảng", "Platforms"));
    nt_html(&p->b, "<div class=\"govuk-form-group\"><div class=\"govuk-checkboxes govuk-checkboxes--small\">");
    for (const char *const *pl = nt_platforms; *pl; pl++) {
        char name[48];
        snprintf(name, sizeof(name), "platforms.%s", *pl);
        nt_pf_tick(p, f, name, *pl);
    }
    nt_html(&p->b, "</div></div>");
    nt_pf_text(p, f, "fee_vnd", "text", L("Thù lao (đồng)", "Fee (VND)"), L("Ví dụ 70.000.000", "For example 70.000.000"));
    nt_pf_text(p, f, "relationship", "text", L("Quan hệ với nhà quảng cáo (không bắt buộc)", "Relationship (optional)"),
               L("Ví dụ đại sứ thương hiệu, được tặng sản phẩm", "E.g. brand ambassador, given the product"));
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form>", L("Gửi lời mời", "Send the offer"));
    json_decref(mine);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_offer_form(nt_req *r)
{
    /* A new offer: from tomorrow 08:00 for 30 days, on TikTok. */
    char a[NT_TIME_LEN], b[NT_TIME_LEN], start[24], end[24];
    int64_t day = 86400LL * 1000000;
    nt_time_local(nt_now_us() + day, a);
    nt_time_local(nt_now_us() + 31 * day, b);
    snprintf(start, sizeof(start), "%.10sT08:00", a);
    snprintf(end, sizeof(end), "%.10sT22:00", b);
    json_t *d = json_pack("{s:s, s:s, s:s}", "start", start, "end", end, "platforms.tiktok", "1");
    nt_pform f = {.r = r, .defaults = d, .labels = labels, .nlabels = N(labels)};
    enum MHD_Result ret = offer_form(r, &f, 200);
    json_decref(d);
    return ret;
}

/* The influencer typed as a person id or platform:handle, as the person id the API takes. */
static json_t *influencer(nt_req *r, const char *typed)
{
    if (strchr(typed, ':') == NULL)
        return json_string(typed);
    char platform[NT_PLATFORM_MAX], handle[NT_SUBJECT_KEY_MAX];
    json_t *acc = NULL;
    nt_err e;
    nt_err_clear(&e);
    if (nt_subject_handle(typed, platform, handle) == 0 && nt_svc_account_get(nt_req_svc(r), platform, handle, &acc, &e) == 0 &&
        nt_json_str(acc, "person_id") != NULL) {
        json_t *id = json_string(nt_json_str(acc, "person_id"));
        json_decref(acc);
        return id;
    }
    json_decref(acc);
    return json_string(typed); /* not an account the registry holds: named at the field */
}

enum MHD_Result nt_w_offer_create(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    nt_pform f = {.r = r, .labels = labels, .nlabels = N(labels)};
    json_t *in = json_object();
    static const char *const plain[] = {"product_id", "claims", "relationship"};
    for (size_t i = 0; i < N(plain); i++) {
        char *v = nt_pf_value(&f, plain[i]);
        if (!nt_blank(v))
            json_object_set_new(in, plain[i], json_string(v));
        free(v);
    }
    char *who = nt_pf_value(&f, "person_id"), *start = nt_pf_value(&f, "start"), *end = nt_pf_value(&f, "end"),
         *fee = nt_pf_value(&f, "fee_vnd");
    if (who != NULL && who[0])
        json_object_set_new(in, "person_id", influencer(r, who));
    json_t *t;
    if ((t = nt_pf_local_time(start)) != NULL)
        json_object_set_new(in, "start", t);
    if ((t = nt_pf_local_time(end)) != NULL)
        json_object_set_new(in, "end", t);
    if (fee != NULL && fee[0])
        json_object_set_new(in, "fee_vnd", nt_pf_vnd(fee));
    free(who), free(start), free(end), free(fee);
    json_t *platforms = json_array();
    for (const char *const *pl = nt_platforms; *pl; pl++) {
        char name[48];
        snprintf(name, sizeof(name), "platforms.%s", *pl);
        if (nt_pf_checked(&f, name))
            json_array_append_new(platforms, json_string(*pl));
    }
    json_object_set_new(in, "platforms", platforms);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *o = NULL;
    int rc = nt_svc_offer_create(nt_req_svc(r), &w, &r->actor, in, &o, &e);
    if (rc == 0) {
        ret = nt_page_redirect_to(r, "/console/offers", nt_json_str(o, "id"));
    } else if (rc == NT_EINVAL || rc == NT_ECONFLICT || rc == NT_ENOTFOUND || rc == NT_EFORBIDDEN) {
        if (rc == NT_ENOTFOUND && e.nfields == 0)
            nt_err_field(&e, "person_id", "not_found", 0);
        f.err = &e;
        ret = offer_form(r, &f, rc == NT_EINVAL ? 400 : rc == NT_ECONFLICT ? 409 : rc == NT_ENOTFOUND ? 404 : 403);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    json_decref(o);
    json_decref(in);
    return ret;
}

enum MHD_Result nt_w_offer_withdraw(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *reason = nt_form_field(r, "reason");
    json_t *in = json_pack("{s:s?}", "reason", nt_blank(reason) ? NULL : reason), *o = NULL;
    free(reason);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_offer_withdraw(nt_req_svc(r), &w, &r->actor, r->params[0], in, &o, &e);
    json_decref(in);
    json_decref(o);
    return rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/offers", r->params[0]);
}

/* ---- registered ads ---- */

static const char *const ad_state_v[][3] = {
    {"registered", "Đã đăng ký", "Registered"}, {"suspended", "Tạm dừng", "Suspended"}, {"withdrawn", "Đã rút", "Withdrawn"}};
static const nt_labels ad_states = {N(ad_state_v), ad_state_v};

enum MHD_Result nt_w_console_ads(nt_req *r)
{
    nt_ad_query q = {.state = nt_uri_param(&r->uri, "state"), .cursor = nt_uri_param(&r->uri, "cursor"), .limit = NT_LIST_MAX};
    json_t *adv = NULL, *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = 0;
    if (r->actor.role == NT_ROLE_KOL) {
        q.influencer = r->actor.person_id;
    } else {
        rc = nt_svc_advertiser_mine(nt_req_svc(r), &r->actor, &adv, &e);
        q.advertiser = nt_json_str(adv, "id");
    }
    if (rc == 0)
        rc = nt_svc_ad_library(nt_req_svc(r), &q, &out, &e);
    if (rc != 0) {
        json_decref(adv);
        return nt_respond_error(r, rc, &e);
    }
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Quảng cáo đã đăng ký", "Registered ads"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>",
            L("Quảng cáo đã đăng ký", "Registered ads"),
            L("Mỗi quảng cáo có mã công khai để ghi trong bài đăng; ai cũng tra được mã ở trang Tra cứu quảng cáo.",
              "Each ad has a public code to show in the post; anyone can look it up on the ad lookup page."));
    nt_page_states(p, "/console/ads", &ad_states);
    const json_t *items = json_object_get(out, "items");
    if (json_array_size(items) == 0) {
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>", L("Không có quảng cáo nào.", "No ads."));
    } else {
        const char *cols[] = {L("Mã", "Code"), L("Thời gian", "Period"), L("Trạng thái", "State")};
        nt_page_table_head(p, L("Quảng cáo đã đăng ký", "Registered ads"), cols, 3);
        size_t i;
        json_t *a;
        json_array_foreach(items, i, a)
            nt_html(&p->b,
                    "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/ads/%u\">%s</a>"
                    "</td><td class=\"govuk-table__cell\">%T – %T</td><td class=\"govuk-table__cell\">%s</td></tr>",
                    nt_json_str(a, "code"), nt_json_str(a, "code"), nt_json_time(a, "start_at"), nt_json_time(a, "end_at"),
                    nt_label(p, &ad_states, nt_json_str(a, "state")));
        nt_html(&p->b, "</tbody></table>");
    }
    nt_page_next(p, "/console/ads", out);
    json_decref(out);
    json_decref(adv);
    return nt_page_end(p, 200);
}
