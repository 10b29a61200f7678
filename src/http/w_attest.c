/* A platform's attestations on the web: an account on its own platform attested as a person's (as
 * POST /v1/accounts with the platform's role: verified, not merely claimed), and the audience
 * figures of such an account for a month (as POST /v1/persons/{id}/audience), which score the
 * certificate's audience pillar. Each is one write through the write pipeline; a problem is said
 * at its field and what was typed is kept. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/certificates.h"
#include "service/registry.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const labels[][3] = {
    {"person_id", "Mã người trong sổ đăng ký", "Person id in the registry"},
    {"handle", "Tài khoản", "Handle"},
    {"followers", "Số người theo dõi", "Followers"},
    {"suspicious_percent", "Tỷ lệ người theo dõi đáng ngờ (%)", "Suspicious followers (%)"},
    {"period", "Tháng", "Month"},
    {"url", "Địa chỉ trang", "Profile address"},
    {"audience.person_id", "Mã người trong sổ đăng ký", "Person id in the registry"},
    {"audience.handle", "Tài khoản", "Handle"},
    {"audience.followers", "Số người theo dõi", "Followers"},
    {"audience.suspicious_percent", "Tỷ lệ người theo dõi đáng ngờ (%)", "Suspicious followers (%)"},
    {"audience.period", "Tháng", "Month"},
};

static enum MHD_Result page(nt_req *r, const nt_pform *f, const char *which, const char *done, unsigned status)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Xác thực tài khoản", "Attestations"));
    if (f->err != NULL)
        nt_pf_summary(p, f, L("Chưa ghi được", "Not recorded"), "attest-problem");
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", L("Xác thực tài khoản", "Attestations"));
    if (done != NULL)
        nt_html(
            &p->b,
            "<div class=\"govuk-panel govuk-panel--confirmation\"><div class=\"govuk-panel__body\" id=\"attested\">%s</div></div>",
            done);
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    /* A form's values are its own: the other form starts empty. */
    nt_pform blank = {.r = r, .defaults = json_object()};
    const nt_pform *acc = which && strcmp(which, "account") == 0 && done == NULL ? f : &blank;
    const nt_pform *aud = which && strcmp(which, "audience") == 0 && done == NULL ? f : &blank;
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><p class=\"govuk-body\">%s <strong>%s</strong>. %s <a class=\"govuk-link\" "
            "href=\"/search\">%s</a>.</p><form method=\"post\" action=\"/console/accounts\" novalidate><input type=\"hidden\" "
            "name=\"csrf\" value=\"%s\">",
            L("Tài khoản của một người", "An account of a person"), L("Trên nền tảng của bạn:", "On your platform:"),
            r->actor.platform, L("Tìm mã người ở", "Find a person's id with"), L("trang tìm kiếm", "the search page"), token);
    nt_pf_text(p, acc, "person_id", "text", L("Mã người trong sổ đăng ký", "Person id in the registry"),
               L("Ví dụ p0000001", "E.g. p0000001"));
    nt_pf_text(p, acc, "handle", "text", L("Tài khoản", "Handle"), L("Có hoặc không có @", "With or without @"));
    nt_pf_text(p, acc, "followers", "text", L("Số người theo dõi (không bắt buộc)", "Followers (optional)"), NULL);
    nt_pf_text(p, acc, "url", "url", L("Địa chỉ trang (không bắt buộc)", "Profile address (optional)"), NULL);
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form>",
            L("Xác thực tài khoản", "Attest the account"));
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><p class=\"govuk-body\">%s</p><form method=\"post\" action=\"/console/audience\" "
            "novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Số liệu người theo dõi trong tháng", "Audience figures for a month"),
            L("Dùng để chấm trụ cột “Người theo dõi thật” của chứng nhận; chỉ cho tài khoản đã xác thực trên nền tảng của bạn.",
              "They score the certificate's audience pillar; only for accounts attested on your platform."),
            token);
    /* Named apart from the first form's fields (audience.…): each field's id is unique on the page. */
    nt_pf_text(p, aud, "audience.person_id", "text", L("Mã người trong sổ đăng ký", "Person id in the registry"), NULL);
    nt_pf_text(p, aud, "audience.handle", "text", L("Tài khoản", "Handle"), NULL);
    nt_pf_text(p, aud, "audience.followers", "text", L("Số người theo dõi", "Followers"), NULL);
    nt_pf_text(p, aud, "audience.suspicious_percent", "text", L("Tỷ lệ người theo dõi đáng ngờ (%)", "Suspicious followers (%)"),
               L("Từ 0 đến 100", "From 0 to 100"));
    nt_pf_text(p, aud, "audience.period", "month", L("Tháng", "Month"), L("Ví dụ 2026-10", "E.g. 2026-10"));
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form>", L("Ghi số liệu", "Record the figures"));
    json_decref((json_t *)blank.defaults);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_accounts(nt_req *r)
{
    nt_pform f = {.r = r, .labels = labels, .nlabels = N(labels)};
    json_t *d = json_object();
    f.defaults = d;
    enum MHD_Result ret = page(r, &f, NULL, NULL, 200);
    json_decref(d);
    return ret;
}

/* A field of the form (prefix + key) into in[key] when typed. */
static void put(const nt_pform *f, json_t *in, const char *prefix, const char *key, json_t *(*conv)(const char *))
{
    char name[64];
    snprintf(name, sizeof(name), "%s%s", prefix, key);
    char *v = nt_pf_value(f, name);
    if (!nt_blank(v))
        json_object_set_new(in, key, conv ? conv(v) : json_string(v));
    free(v);
}

/* The service's field names as the audience form names its fields. */
static void prefixed(nt_err *e)
{
    for (int i = 0; i < e->nfields; i++) {
        char f[sizeof(e->fields[i].field) + 16];
        snprintf(f, sizeof(f), "audience.%s", e->fields[i].field);
        nt_strlcpy(e->fields[i].field, f, sizeof(e->fields[i].field)); /* field names are short: nothing cut */
    }
}

enum MHD_Result nt_w_account_attest(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    nt_pform f = {.r = r, .labels = labels, .nlabels = N(labels)};
    json_t *in = json_pack("{s:s}", "platform", r->actor.platform), *a = NULL;
    put(&f, in, "", "person_id", NULL);
    put(&f, in, "", "handle", NULL);
    put(&f, in, "", "followers", nt_pf_vnd); /* a number typed with or without thousands dots ("120.000") */
    put(&f, in, "", "url", NULL);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int created = 0;
    int rc = nt_svc_account_link(nt_req_svc(r), &w, &r->actor, in, &a, &created, &e);
    if (rc == 0) {
        char done[300];
        snprintf(done, sizeof(done), "%s %s:%s → %s", nt_l(r, "Đã xác thực", "Attested"), nt_json_str(a, "platform"),
                 nt_json_str(a, "handle"), nt_json_str(a, "person_id"));
        ret = page(r, &f, "account", done, created ? 201 : 200);
    } else if (rc == NT_EINVAL || rc == NT_ENOTFOUND || rc == NT_EFORBIDDEN || rc == NT_ECONFLICT) {
        if (rc == NT_ENOTFOUND && e.nfields == 0)
            nt_err_field(&e, "person_id", "not_found", 0);
        f.err = &e;
        ret = page(r, &f, "account", NULL, rc == NT_ENOTFOUND ? 404 : rc == NT_EFORBIDDEN ? 403 : rc == NT_ECONFLICT ? 409 : 400);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    json_decref(a);
    json_decref(in);
    return ret;
}

enum MHD_Result nt_w_audience_attest(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    nt_pform f = {.r = r, .labels = labels, .nlabels = N(labels)};
    json_t *in = json_pack("{s:s}", "platform", r->actor.platform), *a = NULL;
    put(&f, in, "audience.", "handle", NULL);
    put(&f, in, "audience.", "followers", nt_pf_vnd);
    put(&f, in, "audience.", "suspicious_percent", nt_pf_vnd);
    put(&f, in, "audience.", "period", NULL);
    char *person = nt_pf_value(&f, "audience.person_id");
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = person && person[0] ? nt_svc_audience_attest(nt_req_svc(r), &w, &r->actor, person, in, &a, &e)
                                 : nt_err_field(&e, "person_id", "required", 0);
    if (rc == 0) {
        char done[300];
        snprintf(done, sizeof(done), "%s %s, %s", nt_l(r, "Đã ghi số liệu của", "Figures recorded for"), person,
                 nt_json_str(in, "period") ? nt_json_str(in, "period") : "");
        ret = page(r, &f, "audience", done, 201);
    } else if (rc == NT_EINVAL || rc == NT_ENOTFOUND || rc == NT_EFORBIDDEN || rc == NT_ECONFLICT) {
        if (rc == NT_ENOTFOUND && e.nfields == 0)
            nt_err_field(&e, "person_id", "not_found", 0);
        prefixed(&e);
        f.err = &e;
        ret = page(r, &f, "audience", NULL, rc == NT_ENOTFOUND ? 404 : rc == NT_EFORBIDDEN ? 403 : rc == NT_ECONFLICT ? 409 : 400);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    free(person);
    json_decref(a);
    json_decref(in);
    return ret;
}
