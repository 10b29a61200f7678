/* The operator's administration on the web: organisations (register, suspend, reinstate), their
 * API keys and users (each secret shown once, on a page no cache keeps), every key (revoke), and
 * the audit trail (an admin's or a regulator's, as GET /v1/audit). Each form is one write through
 * the write pipeline, as POST /v1/orgs, /v1/keys, /v1/users and their steps. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/web.h"
#include "service/audit.h"
#include "service/keys.h"
#include "service/registry.h"
#include "service/users.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const org_status_v[][3] = {{"active", "Hoạt động", "Active"}, {"suspended", "Tạm ngừng", "Suspended"}};
static const nt_labels org_statuses = {2, org_status_v};

/* A <select> of a labels table, the value chosen selected. */
static void select_of(nt_page *p, const char *name, const char *label, const nt_labels *t, const char *chosen, const char *problem)
{
    nt_html(&p->b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"%s\">%s</label>",
            problem ? " govuk-form-group--error" : "", name, label);
    if (problem != NULL)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"%s-error\">%s</p>", name, problem);
    nt_html(&p->b, "<select class=\"govuk-select\" id=\"%s\" name=\"%s\"%R%s%R>", name, name, problem ? " aria-describedby=\"" : "",
            problem ? name : "", problem ? "-error\"" : "");
    for (size_t i = 0; i < t->n; i++)
        nt_html(&p->b, "<option value=\"%s\"%R>%s</option>", t->v[i][0],
                chosen && strcmp(chosen, t->v[i][0]) == 0 ? " selected" : "", L(t->v[i][1], t->v[i][2]));
    nt_html(&p->b, "</select></div>");
}

/* The first field a service named, and a sentence for it. */
static const char *first_field(const nt_err *e)
{
    return e->nfields > 0 ? e->fields[0].field : NULL;
}

/* ---- organisations ---- */

static enum MHD_Result orgs_page(nt_req *r, const char *name, const char *kind, const char *problem, const char *bad,
                                 unsigned status)
{
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_org_list(nt_req_svc(r), nt_uri_param(&r->uri, "cursor"), NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Tổ chức", "Organisations"));
    if (problem != NULL)
        nt_page_error_summary(p, problem, bad ? bad : "name");
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1>", L("Tổ chức", "Organisations"));
    const char *cols[] = {L("Tên", "Name"), L("Loại", "Kind"), L("Trạng thái", "Status")};
    nt_page_table_head(p, L("Tổ chức", "Organisations"), cols, 3);
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(out, "items"), i, o) nt_html(
        &p->b,
        "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/console/orgs/%u\">%s"
        "</a></td><td class=\"govuk-table__cell\">%s%R%s</td><td class=\"govuk-table__cell\">%s</td></tr>",
        nt_json_str(o, "id"), nt_json_str(o, "name"), nt_label(p, &nt_org_kinds, nt_json_str(o, "kind")),
        nt_json_str(o, "platform") ? " · " : "", nt_json_str(o, "platform") ? nt_json_str(o, "platform") : "",
        nt_label(p, &org_statuses, nt_json_str(o, "status")));
    nt_html(&p->b, "</tbody></table>");
    nt_page_next(p, "/console/orgs", out);
    json_decref(out);
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/orgs\" novalidate>"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Đăng ký tổ chức", "Register an organisation"), token);
    nt_page_input(p, "name", "text", L("Tên tổ chức", "Name"), NULL, name, bad && strcmp(bad, "name") == 0 ? problem : NULL,
                  "organization", NULL);
    select_of(p, "kind", L("Loại", "Kind"), &nt_org_kinds, kind, bad && strcmp(bad, "kind") == 0 ? problem : NULL);
    nt_page_input(p, "platform", "text", L("Nền tảng (chỉ với loại Nền tảng)", "Platform (for a platform only)"),
                  L("Ví dụ: tiktok, facebook, youtube, zalo", "E.g. tiktok, facebook, youtube, zalo"), NULL,
                  bad && strcmp(bad, "platform") == 0 ? problem : NULL, "off", NULL);
    nt_html(&p->b, "<button class=\"govuk-button\" type=\"submit\">%s</button></form>", L("Đăng ký", "Register"));
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_orgs(nt_req *r)
{
    return orgs_page(r, NULL, NULL, NULL, NULL, 200);
}

enum MHD_Result nt_w_org_create(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *name = nt_form_text(r, "name"), *kind = nt_form_text(r, "kind"), *platform = nt_form_text(r, "platform");
    json_t *in = json_pack("{s:s?, s:s?, s:s?}", "name", name, "kind", kind, "platform", platform), *o = NULL;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_org_create(nt_req_svc(r), &w, in, &o, &e);
    if (rc == 0) {
        ret = nt_page_redirect_to(r, "/console/orgs", nt_json_str(o, "id"));
    } else if (rc == NT_EINVAL || rc == NT_ECONFLICT) {
        const char *bad = first_field(&e);
        const char *why = bad && strcmp(bad, "name") == 0 ? nt_l(r, "Hãy nhập tên tổ chức", "Enter the organisation's name")
                          : bad && strcmp(bad, "platform") == 0 ? nt_l(r,
                                                                       "Nền tảng chỉ dành cho tổ chức loại Nền tảng, và phải là "
                                                                       "một nền tảng đã biết",
                                                                       "A platform is for a platform organisation only, and must "
                                                                       "be a known one")
                          : bad && strcmp(bad, "kind") == 0     ? nt_l(r, "Hãy chọn loại tổ chức", "Choose the kind")
                                                                : nt_err_said(r, &e);
        ret = orgs_page(r, name, kind, why, bad, rc == NT_EINVAL ? 400 : 409);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    json_decref(o);
    json_decref(in);
    free(name), free(kind), free(platform);
    return ret;
}

/* An organisation's page; shown holds a secret made just now (a key's or a user's password), said
 * once with its label. */
static enum MHD_Result org_page(nt_req *r, const char *shown_label, const char *shown, const char *problem, const char *bad,
                                unsigned status)
{
    json_t *o = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_org_get(nt_req_svc(r), r->params[0], &o, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_json_str(o, "name"));
    if (problem != NULL)
        nt_page_error_summary(p, problem, bad ? bad : "org");
    const char *id = nt_json_str(o, "id"), *status_s = nt_json_str(o, "status");
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\" id=\"org\">%s</h1>", id,
            nt_json_str(o, "name"));
    if (shown != NULL)
        nt_page_secret(p, shown_label, shown,
                       L("Chỉ hiện một lần: hãy sao chép và trao tận tay người dùng qua kênh an toàn.",
                         "Shown once: copy it and hand it to its user over a safe channel."));
    nt_html(&p->b, "<dl class=\"govuk-summary-list\">");
    nt_page_row(p, L("Loại", "Kind"), nt_label(p, &nt_org_kinds, nt_json_str(o, "kind")), NULL);
    nt_page_row(p, L("Nền tảng", "Platform"), nt_json_str(o, "platform"), NULL);
    nt_page_row(p, L("Trạng thái", "Status"), nt_label(p, &org_statuses, status_s), "org-status");
    nt_page_row(p, L("Lý do", "Reason"), nt_json_str(o, "status_reason"), NULL);
    nt_html(&p->b, "</dl>");
    char token[NT_CSRF_LEN + 1], action[128];
    nt_page_csrf(p, token);
    bool active = nt_streq(status_s, "active");
    snprintf(action, sizeof(action), "/console/orgs/%s/%s", id, active ? "suspend" : "reinstate");
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"%s\" novalidate><input type=\"hidden\" "
            "name=\"csrf\" value=\"%s\">",
            active ? L("Tạm ngừng", "Suspend") : L("Cho hoạt động lại", "Reinstate"), action, token);
    nt_page_textarea(p, "reason", L("Lý do", "Reason"),
                     active ? L("Mọi khóa và người dùng của tổ chức ngừng hoạt động ngay.", "Its keys and users stop at once.")
                            : NULL,
                     NULL, bad && strcmp(bad, "reason") == 0 ? problem : NULL);
    nt_html(&p->b, "<button class=\"govuk-button%R\" type=\"submit\">%s</button></form>", active ? " govuk-button--warning" : "",
            active ? L("Tạm ngừng tổ chức", "Suspend the organisation") : L("Cho hoạt động lại", "Reinstate"));
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/orgs/%u/keys\" novalidate><input "
            "type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Cấp khóa API", "Issue an API key"), id, token);
    select_of(p, "key-role", L("Vai trò", "Role"), &nt_roles, NULL, bad && strcmp(bad, "role") == 0 ? problem : NULL);
    nt_page_input(p, "label", "text", L("Ghi chú", "Label"), L("Dùng cho hệ thống nào", "Which system uses it"), NULL, NULL, "off",
                  NULL);
    nt_html(&p->b, "<button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>",
            L("Cấp khóa", "Issue the key"));
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"/console/orgs/%u/users\" novalidate><input "
            "type=\"hidden\" name=\"csrf\" value=\"%s\">",
            L("Tạo người dùng", "Add a user"), id, token);
    nt_page_input(p, "login", "text", L("Tên đăng nhập", "Login"), NULL, NULL, bad && strcmp(bad, "login") == 0 ? problem : NULL,
                  "off", "spellcheck=\"false\"");
    nt_page_input(p, "user-name", "text", L("Họ tên", "Full name"), NULL, NULL, bad && strcmp(bad, "name") == 0 ? problem : NULL,
                  "off", NULL);
    select_of(p, "user-role", L("Vai trò", "Role"), &nt_roles, NULL, NULL);
    nt_html(&p->b, "<button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>",
            L("Tạo người dùng", "Add the user"));
    json_decref(o);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_org(nt_req *r)
{
    return org_page(r, NULL, NULL, NULL, NULL, 200);
}

static enum MHD_Result org_status(nt_req *r, bool suspend)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *reason = nt_form_text(r, "reason");
    json_t *in = json_pack("{s:s?}", "reason", reason), *o = NULL;
    free(reason);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_org_status(nt_req_svc(r), &w, r->params[0], suspend, in, &o, &e);
    json_decref(in);
    json_decref(o);
    if (rc == NT_EINVAL)
        return org_page(r, NULL, NULL, nt_l(r, "Hãy nêu lý do", "Give the reason"), "reason", 400);
    if (rc == NT_ECONFLICT || rc == NT_EFORBIDDEN)
        return org_page(r, NULL, NULL, nt_err_said(r, &e), NULL, rc == NT_EFORBIDDEN ? 403 : 409);
    return rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/orgs", r->params[0]);
}

enum MHD_Result nt_w_org_suspend(nt_req *r)
{
    return org_status(r, true);
}

enum MHD_Result nt_w_org_reinstate(nt_req *r)
{
    return org_status(r, false);
}

enum MHD_Result nt_w_org_key(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *role = nt_form_text(r, "key-role"), *label = nt_form_text(r, "label");
    json_t *in = json_pack("{s:s?, s:s, s:s?}", "role", role, "org_id", r->params[0], "label", label), *k = NULL;
    free(role), free(label);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_key_create(nt_req_svc(r), &w, in, &k, &e);
    json_decref(in);
    if (rc == 0)
        ret = org_page(r, nt_l(r, "Khóa API mới", "The new API key"), nt_json_str(k, "secret"), NULL, NULL, 201);
    else if (rc == NT_EINVAL)
        ret = org_page(r, NULL, NULL,
                       nt_l(r, "Vai trò này không dành cho loại tổ chức này", "This role is not for this kind of organisation"),
                       "role", 400);
    else
        ret = nt_respond_error(r, rc, &e);
    json_decref(k);
    return ret;
}

enum MHD_Result nt_w_org_user(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *login = nt_form_text(r, "login"), *name = nt_form_text(r, "user-name"), *role = nt_form_text(r, "user-role");
    json_t *in = json_pack("{s:s?, s:s?, s:s?, s:s}", "login", login, "name", name, "role", role, "org_id", r->params[0]),
           *u = NULL;
    free(login), free(name), free(role);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_user_create(nt_req_svc(r), &w, in, &u, &e);
    json_decref(in);
    if (rc == 0) {
        char label[200];
        snprintf(label, sizeof(label), "%s %s", nt_l(r, "Mật khẩu của", "The password of"), nt_json_str(u, "login"));
        ret = org_page(r, label, nt_json_str(u, "password"), NULL, NULL, 201);
    } else if (rc == NT_EINVAL || rc == NT_ECONFLICT) {
        const char *bad = first_field(&e);
        const char *why =
            rc == NT_ECONFLICT ? nt_l(r, "Tên đăng nhập này đã có người dùng", "This login is taken")
            : bad && strcmp(bad, "login") == 0
                ? nt_l(r, "Tên đăng nhập: 3–64 ký tự a–z, 0–9, dấu chấm, gạch", "Login: 3–64 characters a–z, 0–9, dot, dash")
            : bad && strcmp(bad, "name") == 0 ? nt_l(r, "Hãy nhập họ tên", "Enter the full name")
            : bad && strcmp(bad, "role") == 0
                ? nt_l(r, "Vai trò này không dành cho loại tổ chức này", "This role is not for this kind of organisation")
                : nt_err_said(r, &e);
        ret = org_page(r, NULL, NULL, why, rc == NT_ECONFLICT ? "login" : bad, rc == NT_ECONFLICT ? 409 : 400);
    } else {
        ret = nt_respond_error(r, rc, &e);
    }
    json_decref(u);
    return ret;
}

/* ---- keys ---- */

enum MHD_Result nt_w_console_keys(nt_req *r)
{
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_key_list(nt_req_svc(r), nt_uri_param(&r->uri, "cursor"), NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Khóa API", "API keys"));
    nt_html(&p->b, "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p>", L("Khóa API", "API keys"),
            L("Khóa cấp cho hệ thống của các tổ chức; cấp khóa mới từ trang của tổ chức.",
              "Keys for organisations' systems; issue a new one from the organisation's page."));
    const char *cols[] = {L("Khóa", "Key"), L("Vai trò, chủ khóa", "Role, holder"), L("Dùng lần cuối", "Last used"),
                          L("Thao tác", "Action")};
    nt_page_table_head(p, L("Khóa API", "API keys"), cols, 4);
    char token[NT_CSRF_LEN + 1];
    nt_page_csrf(p, token);
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(out, "items"), i, k)
    {
        const char *id = nt_json_str(k, "id"),
                   *owner = nt_json_str(k, "org_id") ? nt_json_str(k, "org_id") : nt_json_str(k, "person_id");
        nt_html(&p->b,
                "<tr class=\"govuk-table__row\" id=\"%s\"><td class=\"govuk-table__cell\"><code>%s</code><br><span "
                "class=\"govuk-body-s\">%s</span></td><td class=\"govuk-table__cell\">%s<br><span class=\"govuk-body-s\">%s"
                "</span></td><td class=\"govuk-table__cell\">",
                id, id, nt_json_str(k, "label") ? nt_json_str(k, "label") : "", nt_label(p, &nt_roles, nt_json_str(k, "role")),
                owner ? owner : "");
        if (nt_json_str(k, "last_used_at") != NULL)
            nt_html(&p->b, "%T", nt_json_time(k, "last_used_at"));
        nt_html(&p->b, "</td><td class=\"govuk-table__cell\">");
        if (nt_json_str(k, "revoked_at") != NULL)
            nt_html(&p->b, "%s %T", L("Đã thu hồi", "Revoked"), nt_json_time(k, "revoked_at"));
        else if (strcmp(id, r->actor.key_id) != 0)
            nt_html(&p->b,
                    "<form method=\"post\" action=\"/console/keys/%u/revoke\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<button class=\"govuk-button govuk-button--warning govuk-!-margin-bottom-0\" type=\"submit\">%s<span "
                    "class=\"govuk-visually-hidden\"> %s</span></button></form>",
                    id, token, L("Thu hồi", "Revoke"), id);
        nt_html(&p->b, "</td></tr>");
    }
    nt_html(&p->b, "</tbody></table>");
    nt_page_next(p, "/console/keys", out);
    json_decref(out);
    return nt_page_end(p, 200);
}

enum MHD_Result nt_w_key_revoke(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *k = NULL;
    int rc = nt_svc_key_revoke(nt_req_svc(r), &w, r->params[0], &k, &e);
    json_decref(k);
    return rc ? nt_respond_error(r, rc, &e) : nt_respond_redirect(r, 303, "/console/keys");
}

/* ---- the audit trail ---- */

enum MHD_Result nt_w_console_audit(nt_req *r)
{
    const char *action = nt_uri_param(&r->uri, "action"), *entity_id = nt_uri_param(&r->uri, "entity_id");
    const char *key_id = nt_uri_param(&r->uri, "key_id");
    json_t *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc =
        nt_svc_audit_list(nt_req_svc(r), action && action[0] ? action : NULL, NULL, entity_id && entity_id[0] ? entity_id : NULL,
                          key_id && key_id[0] ? key_id : NULL, NULL, NULL, nt_uri_param(&r->uri, "cursor"), NT_LIST_MAX, &out, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_l(r, "Nhật ký thao tác", "Audit trail"));
    nt_html(&p->b,
            "<h1 class=\"govuk-heading-l\">%s</h1><p class=\"govuk-body\">%s</p><form method=\"get\" action=\"/console/audit\" "
            "class=\"nt-filters\">",
            L("Nhật ký thao tác", "Audit trail"),
            L("Mọi thao tác ghi, đăng nhập và thay đổi quyền, mới nhất trước.",
              "Every write, sign-in and change of rights, newest first."));
    nt_page_input(p, "action", "text", L("Thao tác", "Action"),
                  L("Ví dụ: login.failed, decision.issue", "E.g. login.failed, decision.issue"), action, NULL, "off",
                  "spellcheck=\"false\"");
    nt_page_input(p, "entity_id", "text", L("Mã đối tượng", "Entity id"), NULL, entity_id, NULL, "off", "spellcheck=\"false\"");
    nt_page_input(p, "key_id", "text", L("Khóa hoặc người dùng", "Key or user"), NULL, key_id, NULL, "off", "spellcheck=\"false\"");
    nt_html(&p->b, "<button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>", L("Lọc", "Filter"));
    const char *cols[] = {L("Lúc", "At"), L("Thao tác", "Action"), L("Đối tượng", "Entity"), L("Bởi", "By")};
    nt_page_table_head(p, L("Nhật ký thao tác", "Audit trail"), cols, 4);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(out, "items"), i, a)
        nt_html(&p->b,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%T</td><td class=\"govuk-table__cell\"><code>%s"
                "</code></td><td class=\"govuk-table__cell\">%s <code>%s</code></td><td class=\"govuk-table__cell\"><code>%s</code>"
                "</td></tr>",
                nt_json_time(a, "at"), nt_json_str(a, "action"), nt_json_str(a, "entity"), nt_json_str(a, "entity_id"),
                nt_json_str(a, "key_id") ? nt_json_str(a, "key_id") : "");
    nt_html(&p->b, "</tbody></table>");
    const char *next = nt_json_str(out, "next_cursor");
    if (next != NULL)
        nt_html(
            &p->b,
            "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/console/audit?action=%u&amp;entity_id=%u&amp;key_id=%u&amp;"
            "cursor=%u\">%s</a></p>",
            action ? action : "", entity_id ? entity_id : "", key_id ? key_id : "", next, L("Trang sau", "Next page"));
    json_decref(out);
    return nt_page_end(p, 200);
}

/* ---- a user ---- */

static enum MHD_Result user_page(nt_req *r, const char *password, const char *problem, unsigned status)
{
    json_t *u = NULL;
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_user_get(nt_req_svc(r), r->params[0], &u, &e);
    if (rc != 0)
        return nt_respond_error(r, rc, &e);
    nt_page pg = {.r = r}, *p = &pg;
    nt_page_begin(p, r, nt_json_str(u, "name"));
    if (problem != NULL)
        nt_page_error_summary(p, problem, "reason");
    const char *id = nt_json_str(u, "id");
    bool disabled = json_is_string(json_object_get(u, "disabled_at"));
    nt_html(&p->b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">%s</h1>", nt_json_str(u, "login"),
            nt_json_str(u, "name"));
    if (password != NULL)
        nt_page_secret(p, L("Mật khẩu mới", "The new password"), password,
                       L("Chỉ hiện một lần. Mọi phiên của người này đã kết thúc; xác thực hai lớp phải thiết lập lại.",
                         "Shown once. Every session of theirs has ended; the second factor is to be set up again."));
    char sessions[16];
    snprintf(sessions, sizeof(sessions), "%zu", json_array_size(json_object_get(u, "sessions")));
    nt_html(&p->b, "<dl class=\"govuk-summary-list\">");
    nt_page_row(p, L("Vai trò", "Role"), nt_label(p, &nt_roles, nt_json_str(u, "role")), NULL);
    nt_page_row(p, L("Tổ chức", "Organisation"), nt_json_str(u, "org_name"), NULL);
    nt_page_row(p, L("Trạng thái", "State"), disabled ? L("Đã vô hiệu hóa", "Disabled") : L("Hoạt động", "Active"), "user-state");
    nt_page_row(p, L("Lý do vô hiệu hóa", "Why disabled"), nt_json_str(u, "disabled_reason"), NULL);
    nt_page_row(p, L("Phiên đang mở", "Open sessions"), sessions, NULL);
    nt_html(&p->b, "</dl>");
    char token[NT_CSRF_LEN + 1], action[128];
    nt_page_csrf(p, token);
    if (!disabled && strcmp(id, r->actor.key_id) != 0) {
        snprintf(action, sizeof(action), "/console/users/%s/disable", id);
        nt_html(&p->b,
                "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"%s\" novalidate><input type=\"hidden\" "
                "name=\"csrf\" value=\"%s\">",
                L("Vô hiệu hóa", "Disable"), action, token);
        nt_page_textarea(p, "reason", L("Lý do", "Reason"), L("Người này bị đăng xuất ngay.", "They are signed out at once."), NULL,
                         problem);
        nt_html(&p->b, "<button class=\"govuk-button govuk-button--warning\" type=\"submit\">%s</button></form>",
                L("Vô hiệu hóa người dùng", "Disable the user"));
    }
    snprintf(action, sizeof(action), "/console/users/%s/reset", id);
    nt_html(&p->b,
            "<h2 class=\"govuk-heading-m\">%s</h2><form method=\"post\" action=\"%s\"><input type=\"hidden\" name=\"csrf\" "
            "value=\"%s\"><button class=\"govuk-button govuk-button--secondary\" type=\"submit\">%s</button></form>",
            L("Đặt lại mật khẩu", "Reset the password"), action, token, L("Đặt lại mật khẩu", "Reset the password"));
    json_decref(u);
    return nt_page_end(p, status);
}

enum MHD_Result nt_w_console_user(nt_req *r)
{
    return user_page(r, NULL, NULL, 200);
}

enum MHD_Result nt_w_user_disable(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    char *reason = nt_form_text(r, "reason");
    json_t *in = json_pack("{s:s?}", "reason", reason), *u = NULL;
    free(reason);
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    int rc = nt_svc_user_disable(nt_req_svc(r), &w, r->params[0], in, &u, &e);
    json_decref(in);
    json_decref(u);
    if (rc == NT_EINVAL)
        return user_page(r, NULL, nt_l(r, "Hãy nêu lý do (ít nhất 3 ký tự)", "Give the reason (at least 3 characters)"), 400);
    if (rc == NT_ECONFLICT)
        return user_page(r, NULL, nt_err_said(r, &e), 409);
    return rc ? nt_respond_error(r, rc, &e) : nt_page_redirect_to(r, "/console/users", r->params[0]);
}

enum MHD_Result nt_w_user_reset(nt_req *r)
{
    enum MHD_Result ret;
    if (nt_form_refused(r, &ret))
        return ret;
    WCTX(r, w);
    nt_err e;
    nt_err_clear(&e);
    json_t *u = NULL;
    int rc = nt_svc_user_reset(nt_req_svc(r), &w, r->params[0], &u, &e);
    ret = rc ? nt_respond_error(r, rc, &e) : user_page(r, nt_json_str(u, "password"), NULL, 200);
    if (u != NULL && nt_json_str(u, "password") != NULL)
        sodium_memzero((char *)nt_json_str(u, "password"), strlen(nt_json_str(u, "password")));
    json_decref(u);
    return ret;
}
