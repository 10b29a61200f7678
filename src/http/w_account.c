/* Signing in and out of the web pages, the second factor, and the console's first page
 * (docs/ACCOUNTS.md). A sign-in is a write like any other: the form's token checked, then one
 * service call committed through the write pipeline with its audit rows. */
#include "core/alloc.h"
#include "core/graphics.h"
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/query.h"
#include "service/users.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where to go after signing in: a path of this site, else the console. */
static const char *next_of(const char *next)
{
    if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) >= 100 ||
        strncmp(next, "/login", 6) == 0 || strncmp(next, "/logout", 7) == 0 || strpbrk(next, "\r\n") != NULL)
        return "/console";
    return next;
}

/* The session cookie: set to a sign-in's secret, or cleared (token NULL). Secure behind https. */
static void session_cookie(nt_req *r, const char *token)
{
    bool tls = strncmp(nt_req_svc(r)->public_url, "https://", 8) == 0;
    char set[128];
    if (token != NULL)
        snprintf(set, sizeof(set), "nt_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token, tls ? "; Secure" : "");
    else
        snprintf(set, sizeof(set), "nt_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s", tls ? "; Secure" : "");
    nt_resp_header(r, "Set-Cookie", set);
}

/* ---- signing in ---- */

/* Why a sign-in was refused, as a sentence: a wrong login or password, or the lock and its end. */
static void refusal(nt_req *r, int64_t locked_until, char *out, size_t cap)
{
    if (locked_until == 0) {
        nt_strlcpy(out, nt_l(r, "Tên đăng nhập hoặc mật khẩu không đúng.", "The login or the password is wrong."), cap);
        return;
    }
    char at[40];
    nt_html_time(at, sizeof(at), locked_until);
    snprintf(
        out, cap, "%s %s.",
        nt_l(r, "Đăng nhập sai quá nhiều lần. Tên đăng nhập này tạm khóa đến", "Too many wrong tries. This login is locked until"),
        at);
}

static enum MHD_Result login_page(nt_req *r, const char *login, const char *next, const char *problem, const char *field,
                                  unsigned status)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Đăng nhập", "Sign in"));
    nt_html(&p->b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (problem != NULL)
        nt_page_error_summary(p, problem, field);
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>"
            "<form method=\"post\" action=\"/login\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<input type=\"hidden\" name=\"next\" value=\"%s\">",
            L("Đăng nhập", "Sign in"),
            L("Dành cho cán bộ cơ quan quản lý, nền tảng, nhà quảng cáo, người có ảnh hưởng và Ban thư ký Liên minh. Tài khoản do "
              "quản trị viên của tổ chức cấp.",
              "For regulators, platforms, advertisers, influencers and the alliance's secretariat. Accounts are given by your "
              "organisation's administrator."),
            token, next_of(next));
    nt_page_input(p, "login", "text", L("Tên đăng nhập", "Login"), NULL, login,
                  field && strcmp(field, "login") == 0 ? problem : NULL, "username",
                  "spellcheck=\"false\" autocapitalize=\"none\"");
    nt_page_input(p, "password", "password", L("Mật khẩu", "Password"), NULL, NULL,
                  field && strcmp(field, "password") == 0 ? problem : NULL, "current-password", NULL);
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form><p class=\"govuk-body-s\">%s</p></div></div>",
            L("Đăng nhập", "Sign in"),
            L("Sau 5 lần nhập sai liên tiếp, tên đăng nhập bị tạm khóa 15 phút. Quên mật khẩu: hãy nhờ quản trị viên đặt lại.",
              "After 5 wrong tries in a row a login is locked for 15 minutes. Forgot your password: ask your administrator to "
              "reset it."));
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_login(nt_req *r)
{
    const char *next = nt_uri_param(&r->uri, "next");
    if (r->session != NULL && r->session->stage == NT_SESSION_FULL)
        return nt_respond_redirect(r, 303, next_of(next));
    return login_page(r, NULL, next, NULL, NULL, 200);
}

/* Where a half-done sign-in goes on: its code page, keeping where it was going. */
static enum MHD_Result to_code(nt_req *r, const char *next)
{
    return nt_page_redirect_next(r, "/login/code", next_of(next));
}

enum MHD_Result nt_w_login_post(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *login = nt_form_field(r, "login"), *password = nt_form_field(r, "password"), *next = nt_form_field(r, "next");
    if (login == NULL || login[strspn(login, " ")] == '\0') {
        ret = login_page(r, login, next, nt_l(r, "Hãy nhập tên đăng nhập", "Enter your login"), "login", 400);
    } else if (password == NULL || password[0] == '\0') {
        ret = login_page(r, login, next, nt_l(r, "Hãy nhập mật khẩu", "Enter your password"), "password", 400);
    } else {
        WCTX(r, w);
        nt_err e;
        nt_err_clear(&e);
        nt_login out;
        int rc = nt_svc_login(nt_req_svc(r), &w, login, password, r->client, &out, &e);
        if (rc == NT_EFORBIDDEN || rc == NT_ELIMIT) {
            char why[256];
            refusal(r, rc == NT_ELIMIT ? out.locked_until_us : 0, why, sizeof(why));
            ret = login_page(r, login, next, why, "password", rc == NT_ELIMIT ? 429 : 401);
        } else if (rc != 0) {
            ret = nt_respond_error(r, rc, &e);
        } else {
            session_cookie(r, out.token);
            sodium_memzero(out.token, sizeof(out.token));
            ret = out.stage == NT_SESSION_FULL ? nt_respond_redirect(r, 303, next_of(next)) : to_code(r, next);
        }
    }
    if (password != NULL)
        sodium_memzero(password, strlen(password));
    free(login);
    free(password);
    free(next);
    return ret;
}

/* ---- the second factor ---- */

static void enrol_help(nt_page *p, const nt_session *s)
{
    nt_jbuf b;
    nt_jb_init(&b, 256);
    nt_html(&b, "otpauth://totp/niemtin:%u?secret=%u&issuer=niemtin&algorithm=SHA1&digits=6&period=30", s->login, s->pending);
    size_t len = 0;
    char *uri = nt_jb_take(&b, &len);
    /* The QR code's SVG as an image (the pages' CSP allows data: images, never inline markup). */
    size_t svg_len = 0;
    char *svg = uri ? nt_qr_svg(uri, &svg_len) : NULL;
    free(uri);
    char grouped[NT_TOTP_B32 + 8];
    size_t g = 0;
    for (size_t i = 0; s->pending[i] && g + 2 < sizeof(grouped); i++) {
        if (i > 0 && i % 4 == 0)
            grouped[g++] = ' ';
        grouped[g++] = s->pending[i];
    }
    grouped[g] = '\0';
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><ol class=\"govuk-list govuk-list--number\"><li>%s</li><li>%s</li></ol>",
            L("Thiết lập xác thực hai lớp", "Set up two-step verification"),
            L("Mở ứng dụng xác thực trên điện thoại (Google Authenticator, Microsoft Authenticator, FreeOTP…).",
              "Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, FreeOTP…)."),
            L("Quét mã QR, hoặc nhập khóa bên dưới.", "Scan the QR code, or type the key below."));
    if (svg != NULL) {
        size_t cap = sodium_base64_ENCODED_LEN(svg_len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = nt_xmalloc(cap);
        sodium_bin2base64(b64, cap, (const unsigned char *)svg, svg_len, sodium_base64_VARIANT_ORIGINAL);
        nt_html(&p->b, "<p><img class=\"nt-qr\" src=\"data:image/svg+xml;base64,%s\" width=\"200\" height=\"200\" alt=\"%s\"></p>",
                b64, L("Mã QR để thiết lập ứng dụng xác thực", "QR code to set up the authenticator app"));
        free(b64);
        free(svg);
    }
    nt_html(&p->b, "<p class=\"govuk-body\">%s <code class=\"nt-secret\" id=\"totp-secret\">%s</code></p>", L("Khóa:", "Key:"),
            grouped);
}

static enum MHD_Result code_page(nt_req *r, const char *next, const char *problem, unsigned status)
{
    const nt_session *s = r->session;
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Mã xác thực", "Verification code"));
    nt_html(&p->b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (problem != NULL)
        nt_page_error_summary(p, problem, "code");
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>", s->name,
            L("Xác thực hai lớp", "Two-step verification"));
    if (s->stage == NT_SESSION_ENROL)
        enrol_help(p, s);
    else
        nt_html(&p->b, "<p class=\"govuk-body\">%s</p>",
                L("Vai trò của bạn cần thêm một lớp xác thực. Nhập mã 6 chữ số trong ứng dụng xác thực.",
                  "Your role needs a second step. Type the 6-digit code from your authenticator app."));
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<form method=\"post\" action=\"/login/code\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<input type=\"hidden\" name=\"next\" value=\"%s\">",
            token, next_of(next));
    nt_page_input(p, "code", "text", L("Mã 6 chữ số", "6-digit code"),
                  L("Mã đổi sau mỗi 30 giây.", "The code changes every 30 seconds."), NULL, problem, "one-time-code",
                  "inputmode=\"numeric\" spellcheck=\"false\"");
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form></div></div>", L("Tiếp tục", "Continue"));
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_login_code(nt_req *r)
{
    const char *next = nt_uri_param(&r->uri, "next");
    if (r->session == NULL)
        return nt_respond_redirect(r, 303, "/login");
    if (r->session->stage == NT_SESSION_FULL)
        return nt_respond_redirect(r, 303, next_of(next));
    return code_page(r, next, NULL, 200);
}

enum MHD_Result nt_w_login_code_post(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    if (r->session == NULL)
        return nt_respond_redirect(r, 303, "/login");
    char *code = nt_form_field(r, "code"), *next = nt_form_field(r, "next");
    if (r->session->stage == NT_SESSION_FULL) {
        ret = nt_respond_redirect(r, 303, next_of(next));
    } else if (code == NULL || code[strspn(code, " ")] == '\0') {
        ret = code_page(r, next, nt_l(r, "Hãy nhập mã 6 chữ số", "Enter the 6-digit code"), 400);
    } else {
        WCTX(r, w);
        nt_err e;
        nt_err_clear(&e);
        int64_t until = 0;
        int rc = nt_svc_session_code(nt_req_svc(r), &w, r->session, code, &until, &e);
        if (rc == NT_EINVAL) {
            ret = code_page(r, next,
                            nt_l(r, "Mã không đúng. Hãy nhập 6 chữ số ứng dụng xác thực đang hiện.",
                                 "The code is not right. Type the 6 digits your authenticator app shows now."),
                            400);
        } else if (rc == NT_ELIMIT) {
            char why[256];
            refusal(r, until, why, sizeof(why));
            session_cookie(r, NULL);
            ret = login_page(r, r->session->login, next, why, "password", 429);
        } else if (rc != 0) {
            ret = nt_respond_error(r, rc, &e);
        } else {
            ret = nt_respond_redirect(r, 303, next_of(next));
        }
    }
    free(code);
    free(next);
    return ret;
}

/* ---- signing out ---- */

static enum MHD_Result logout(nt_req *r, bool everywhere)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    if (r->session != NULL) {
        WCTX(r, w);
        nt_err e;
        nt_err_clear(&e);
        int rc = nt_svc_logout(nt_req_svc(r), &w, r->session, everywhere, &e);
        if (rc != 0)
            return nt_respond_error(r, rc, &e);
    }
    session_cookie(r, NULL);
    return nt_respond_redirect(r, 303, everywhere ? "/login" : "/");
}

enum MHD_Result nt_w_logout(nt_req *r)
{
    return logout(r, false);
}

enum MHD_Result nt_w_logout_all(nt_req *r)
{
    return logout(r, true);
}

/* ---- the console ---- */

enum MHD_Result nt_w_console(nt_req *r)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Bảng điều khiển", "Console"));
    const nt_session *s = r->session;
    const char *role = nt_role_name(r->actor.role);
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>", s ? s->org_name : "",
            s ? s->name : L("Bảng điều khiển", "Console"));
    nt_html(&p->b, "<dl class=\"govuk-summary-list\">");
    nt_page_row(p, L("Vai trò", "Role"), nt_label(p, &nt_roles, role), NULL);
    if (s != NULL) {
        nt_page_row(p, L("Tên đăng nhập", "Login"), s->login, NULL);
        nt_page_row(p, L("Xác thực hai lớp", "Two-step verification"),
                    nt_role_needs_totp(r->actor.role) ? L("Đang dùng", "In use")
                                                      : L("Không bắt buộc với vai trò này", "Not required for this role"),
                    NULL);
    }
    nt_html(&p->b, "</dl>");
    if (s != NULL)
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/console/password\">%s</a></p>",
                L("Đổi mật khẩu", "Change your password"));
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\">%s</h2><ul class=\"govuk-list\">", L("Công việc", "Your work"));
    /* Each role's pages (the route table says the same: a link here is a page the role may open). */
#define R(role) (1u << (role))
    static const struct {
        unsigned roles;
        const char *path, *vi, *en;
    } work[] = {
        {R(NT_ROLE_ADMIN), "/console/orgs", "Tổ chức, khóa API và người dùng", "Organisations, API keys and users"},
        {R(NT_ROLE_ADMIN), "/console/users", "Người dùng", "Users"},
        {R(NT_ROLE_ADMIN), "/console/keys", "Khóa API", "API keys"},
        {R(NT_ROLE_REGULATOR), "/console/reports", "Báo cáo nhận được", "Reports received"},
        {R(NT_ROLE_PLATFORM), "/console/reports", "Báo cáo của bạn", "Your reports"},
        {R(NT_ROLE_REGULATOR), "/console/cases", "Vụ việc", "Cases"},
        {R(NT_ROLE_REGULATOR), "/console/recommendations", "Đề nghị theo chính sách tái phạm", "Repeat-violation recommendations"},
        {R(NT_ROLE_REGULATOR) | R(NT_ROLE_KOL), "/console/appeals", "Khiếu nại", "Appeals"},
        {R(NT_ROLE_KOL) | R(NT_ROLE_ADVERTISER), "/console/offers", "Lời mời quảng cáo", "Advertising offers"},
        {R(NT_ROLE_REGULATOR) | R(NT_ROLE_PLATFORM) | R(NT_ROLE_ADVERTISER) | R(NT_ROLE_PROGRAMME), "/console/notices",
         "Thông báo đã xác minh: đính chính, cảnh báo lừa đảo, thu hồi", "Verified notices: corrections, scam alerts, recalls"},
        {R(NT_ROLE_PLATFORM), "/console/accounts", "Xác thực tài khoản và số liệu người theo dõi",
         "Attest accounts and audience figures"},
        {R(NT_ROLE_KOL) | R(NT_ROLE_ADVERTISER), "/console/ads", "Quảng cáo đã đăng ký", "Registered ads"},
        {R(NT_ROLE_ADVERTISER), "/console/products", "Sản phẩm và giấy tờ", "Products and their documents"},
        {R(NT_ROLE_KOL), "/console/decisions", "Quyết định về tôi", "Decisions about me"},
        {R(NT_ROLE_KOL), "/console/certificate", "Chứng nhận Người có ảnh hưởng đáng tin cậy", "Influencer Trust certificate"},
        {R(NT_ROLE_REGULATOR) | R(NT_ROLE_PLATFORM) | R(NT_ROLE_ADVERTISER), "/console/check", "Kiểm tra trước khi mời một người",
         "Check before featuring someone"},
        {R(NT_ROLE_KOL) | R(NT_ROLE_PLATFORM) | R(NT_ROLE_ADVERTISER), "/console/membership", "Thành viên Liên minh Niềm tin số",
         "Digital Trust alliance membership"},
        {R(NT_ROLE_PROGRAMME), "/console/members", "Đơn gia nhập Liên minh", "Applications to join the alliance"},
        {R(NT_ROLE_PROGRAMME), "/console/applications", "Hồ sơ xin chứng nhận", "Certificate applications"},
        {R(NT_ROLE_REGULATOR) | R(NT_ROLE_PLATFORM) | R(NT_ROLE_ADVERTISER) | R(NT_ROLE_KOL) | R(NT_ROLE_PROGRAMME),
         "/console/network", "Mạng lưới tin cậy: thông báo đến bạn và thông báo đẩy", "The trusted network: notices for you, push"},
        {R(NT_ROLE_REGULATOR) | R(NT_ROLE_PLATFORM) | R(NT_ROLE_ADVERTISER) | R(NT_ROLE_KOL) | R(NT_ROLE_PROGRAMME),
         "/console/webhooks", "Webhook: sự kiện gửi tới hệ thống của bạn", "Webhooks: events sent to your systems"},
        {R(NT_ROLE_ADMIN) | R(NT_ROLE_REGULATOR), "/console/audit", "Nhật ký thao tác", "Audit trail"},
    };
    for (size_t i = 0; i < sizeof(work) / sizeof(work[0]); i++)
        if (work[i].roles & R(r->actor.role))
            nt_html(&p->b, "<li><a class=\"govuk-link\" href=\"%s\">%s</a></li>", work[i].path, L(work[i].vi, work[i].en));
#undef R
    nt_html(&p->b,
            "<li><a class=\"govuk-link\" href=\"/search\">%s</a></li><li><a class=\"govuk-link\" href=\"/restrictions\">%s</a></li>"
            "<li><a class=\"govuk-link\" href=\"/openapi.json\">%s</a></li></ul>",
            L("Tìm người có ảnh hưởng", "Find an influencer"), L("Hạn chế đang áp dụng", "Restrictions in force"),
            L("API cho hệ thống của tổ chức (khóa API do quản trị viên cấp)",
              "The API for your organisation's systems (API keys from your administrator)"));
    if (s != NULL) {
        json_t *open = nt_svc_user_sessions(nt_req_svc(r), s->user_id);
        nt_html(&p->b,
                "<h2 class=\"govuk-heading-m\">%s</h2><table class=\"govuk-table\"><caption class=\"govuk-table__caption "
                "govuk-visually-hidden\">%s</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                "<th scope=\"col\" class=\"govuk-table__header\">%s</th><th scope=\"col\" class=\"govuk-table__header\">%s</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">%s</th></tr></thead><tbody class=\"govuk-table__body\">",
                L("Phiên đăng nhập đang mở", "Open sessions"), L("Phiên đăng nhập đang mở", "Open sessions"),
                L("Bắt đầu", "Started"), L("Dùng lần cuối", "Last used"), L("Địa chỉ", "Address"));
        size_t i;
        json_t *o;
        json_array_foreach(open, i, o)
        {
            bool this_one = strcmp(nt_json_str(o, "id") ? nt_json_str(o, "id") : "", s->id) == 0;
            nt_html(
                &p->b,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%T%s</td><td class=\"govuk-table__cell\">%T</td>"
                "<td class=\"govuk-table__cell\">%s</td></tr>",
                nt_json_time(o, "created_at"), this_one ? L(" (phiên này)", " (this one)") : "", nt_json_time(o, "seen_at"),
                nt_json_str(o, "client"));
        }
        json_decref(open);
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        nt_html(&p->b,
                "</tbody></table><form method=\"post\" action=\"/logout/all\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>",
                token, L("Đăng xuất khỏi mọi thiết bị", "Sign out everywhere"));
    }
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_console_users(nt_req *r)
{
    const char *cursor = nt_uri_param(&r->uri, "cursor");
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_user_list(nt_req_svc(r), cursor, NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Người dùng", "Users"));
    nt_html(&p->b,
            "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p><table class=\"govuk-table\">"
            "<caption class=\"govuk-table__caption govuk-visually-hidden\">%s</caption><thead class=\"govuk-table__head\">"
            "<tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">%s</th>"
            "<th scope=\"col\" class=\"govuk-table__header\">%s</th><th scope=\"col\" class=\"govuk-table__header\">%s</th>"
            "<th scope=\"col\" class=\"govuk-table__header\">%s</th></tr></thead><tbody class=\"govuk-table__body\">",
            L("Người dùng", "Users"),
            L("Người đăng nhập vào trang web. Tạo người dùng ở trang của tổ chức; vô hiệu hóa hay đặt lại mật khẩu ở trang "
              "của người dùng.",
              "People who sign in to the web pages. Add a user from their organisation's page; disable one or reset their "
              "password from the user's page."),
            L("Người dùng", "Users"), L("Tên đăng nhập", "Login"), L("Họ tên", "Name"), L("Vai trò, tổ chức", "Role, organisation"),
            L("Trạng thái", "State"));
    size_t i;
    json_t *u;
    int64_t now = nt_now_us();
    json_array_foreach(json_object_get(out, "items"), i, u)
    {
        const char *second = nt_json_str(u, "second_factor");
        const char *state = json_is_string(json_object_get(u, "disabled_at")) ? L("Đã vô hiệu hóa", "Disabled")
                            : nt_json_time(u, "locked_until") > now           ? L("Tạm khóa", "Locked")
                            : second && strcmp(second, "to_set_up") == 0
                                ? L("Chưa thiết lập xác thực hai lớp", "Two-step not set up")
                                : L("Hoạt động", "Active");
        nt_html(&p->b,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/console/users/%u\">"
                "%s</a></td><td class=\"govuk-table__cell\">%s</td>"
                "<td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">%s</span></td>"
                "<td class=\"govuk-table__cell\">%s</td></tr>",
                nt_json_str(u, "id"), nt_json_str(u, "login"), nt_json_str(u, "name"),
                nt_label(p, &nt_roles, nt_json_str(u, "role")), nt_json_str(u, "org_name"), state);
    }
    nt_html(&p->b, "</tbody></table>");
    nt_page_next(p, "/console/users", out);
    json_decref(out);
    return nt_page_end(p, 200);
}

/* ---- one's own password ---- */

static enum MHD_Result password_page(nt_req *r, const char *problem, const char *field, bool done, unsigned status)
{
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Đổi mật khẩu", "Change your password"));
    nt_html(&p->b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if (problem != NULL)
        nt_page_error_summary(p, problem, field);
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", L("Đổi mật khẩu", "Change your password"));
    if (done)
        nt_html(&p->b,
                "<div class=\"govuk-panel govuk-panel--confirmation\"><div class=\"govuk-panel__body\" id=\"password-changed\">%s"
                "</div></div>",
                L("Đã đổi mật khẩu. Mọi phiên đăng nhập khác của bạn đã kết thúc.",
                  "Your password is changed. Every other session of yours has ended."));
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<form method=\"post\" action=\"/console/password\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
            token);
    bool c = field && strcmp(field, "current") == 0, n = field && strcmp(field, "password") == 0,
         a = field && strcmp(field, "password2") == 0;
    nt_page_input(p, "current", "password", L("Mật khẩu hiện tại", "Current password"), NULL, NULL, c ? problem : NULL,
                  "current-password", NULL);
    nt_page_input(p, "password", "password", L("Mật khẩu mới", "New password"),
                  L("Ít nhất 12 ký tự; một câu dễ nhớ là tốt nhất.", "At least 12 characters; a sentence you remember is best."),
                  NULL, n ? problem : NULL, "new-password", NULL);
    nt_page_input(p, "password2", "password", L("Nhập lại mật khẩu mới", "The new password again"), NULL, NULL, a ? problem : NULL,
                  "new-password", NULL);
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form></div></div>",
            L("Đổi mật khẩu", "Change the password"));
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_password(nt_req *r)
{
    return password_page(r, NULL, NULL, false, 200);
}

enum MHD_Result nt_w_password_post(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    if (r->session == NULL) { /* a key, not a person: nothing to change here */
        nt_err e;
        nt_err_clear(&e);
        nt_err_set(&e, NT_EFORBIDDEN, "sign in to change your password", "hãy đăng nhập để đổi mật khẩu");
        return nt_respond_error(r, NT_EFORBIDDEN, &e);
    }
    char *current = nt_form_field(r, "current"), *next = nt_form_field(r, "password"), *again = nt_form_field(r, "password2");
    if (next == NULL || again == NULL || strcmp(next, again) != 0) {
        ret = password_page(r, nt_l(r, "Hai lần nhập mật khẩu mới không khớp", "The two new passwords differ"), "password2", false,
                            400);
    } else {
        WCTX(r, w);
        nt_err e;
        nt_err_clear(&e);
        int rc = nt_svc_user_password(nt_req_svc(r), &w, r->session, current, next, &e);
        if (rc == 0)
            ret = password_page(r, NULL, NULL, true, 200);
        else if (rc == NT_EINVAL && e.nfields > 0 && strcmp(e.fields[0].field, "current") == 0)
            ret = password_page(r, nt_l(r, "Mật khẩu hiện tại không đúng", "The current password is wrong"), "current", false, 400);
        else if (rc == NT_EINVAL && e.nfields > 0 && strcmp(e.fields[0].code, "too_short") == 0)
            ret = password_page(r, nt_l(r, "Mật khẩu mới cần ít nhất 12 ký tự", "The new password needs at least 12 characters"),
                                "password", false, 400);
        else if (rc == NT_EINVAL)
            ret = password_page(r,
                                nt_l(r, "Mật khẩu mới phải khác mật khẩu hiện tại và tên đăng nhập",
                                     "The new password must differ from the current one and the login"),
                                "password", false, 400);
        else
            ret = nt_respond_error(r, rc, &e);
    }
    if (current)
        sodium_memzero(current, strlen(current));
    if (next)
        sodium_memzero(next, strlen(next));
    if (again)
        sodium_memzero(again, strlen(again));
    free(current), free(next), free(again);
    return ret;
}
