/* The web pages: server-rendered HTML over the same services as the API (docs/WEB.md). A page
 * is a handler that asks a service, then writes HTML through the template layer (core/html.h),
 * inside the layout every page shares (nt_page_begin / nt_page_end). */
#ifndef NT_HTTP_WEB_H
#define NT_HTTP_WEB_H
#include "core/html.h"
#include "http/http.h"
#include <string.h>

typedef struct nt_page {
    nt_req *r;
    nt_jbuf b;
    int64_t seq;  /* the change sequence the page was read at (its cache entry's) */
    bool private; /* never kept in the pages' cache (it carries this visitor's form token) */
} nt_page;

/** The text in the request's language: Vietnamese unless English was chosen. */
static inline const char *nt_l(const nt_req *r, const char *vi, const char *en)
{
    return r->lang == NT_LANG_EN ? en : vi;
}
#define L(vi, en) nt_l(p->r, vi, en)
/** A service's report in the request's language. */
static inline const char *nt_err_said(const nt_req *r, const nt_err *e)
{
    return r->lang == NT_LANG_EN ? e->en : e->vi;
}

/** Starts a page: the document's head, the header with the navigation, and <main>. */
void nt_page_begin(nt_page *p, nt_req *r, const char *title);
/** Ends it (the footer) and sends it with the page's security headers. */
enum MHD_Result nt_page_end(nt_page *p, unsigned status);

/** An error page for a status and the problem's slug and report (HTML for browsers). */
enum MHD_Result nt_page_problem(nt_req *r, unsigned status, const char *slug, const nt_err *err);

/** Whether a request is a page's (its route is, or a browser asked for HTML outside /v1/). */
bool nt_req_wants_page(nt_req *r);

/** The page's language from ?lang= or the nt_lang cookie, when there is either. */
void nt_page_pick_lang(nt_req *r);

/** Answers a page from the pages' cache when it holds this page as the registry stands now (the
 * same change sequence, within a second): true and *ret, or false to render it. */
bool nt_page_from_cache(nt_req *r, enum MHD_Result *ret);

/** The form token of this visitor (the nt_csrf cookie, set now when it has none) into out
 * (NT_CSRF_LEN + 1 bytes), for a form's hidden "csrf" field; the page is then private. */
#define NT_CSRF_LEN 32
void nt_page_csrf(nt_page *p, char *out);
/** Whether a posted form's "csrf" field is this visitor's token (the cookie), compared in
 * constant time. */
bool nt_form_csrf_ok(nt_req *r, const char *field);
/** A posted form (urlencoded or multipart) without this visitor's token is refused: true and *ret
 * the 403 page. */
bool nt_form_refused(nt_req *r, enum MHD_Result *ret);
/** Whether a text is blank: NULL, empty or only spaces, tabs and line breaks. */
static inline bool nt_blank(const char *s)
{
    return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}
/** A field of a posted form as nt_form_field, or NULL when it is blank (malloc'd). */
char *nt_form_text(nt_req *r, const char *name);
/** A field of a posted form, urlencoded (decoded) or multipart (a text part, up to a NUL), malloc'd, or NULL. */
char *nt_form_field(nt_req *r, const char *name);

/** The error summary at the top of a form: the problem, linking to its field. */
void nt_page_error_summary(nt_page *p, const char *problem, const char *field);
/** A text input with its label, its hint and its error (each NULL when none); extra: attributes of
 * this program's (written as they are). */
void nt_page_input(nt_page *p, const char *name, const char *type, const char *label, const char *hint, const char *value,
                   const char *problem, const char *autocomplete, const char *extra);

/** A textarea with its label, hint and error (each NULL when none), as nt_page_input. */
void nt_page_textarea(nt_page *p, const char *name, const char *label, const char *hint, const char *value, const char *problem);
/** A text of the data in the page's language: {"vi", "en"} or a plain string. */
const char *nt_page_text(const nt_page *p, const json_t *v);

/** A redirect (303) to path with ?next= the address to come back to (left out when too long). */
enum MHD_Result nt_page_redirect_next(nt_req *r, const char *path, const char *next);

/** A table's opening up to its body: a caption for screen readers and the column headers. */
void nt_page_table_head(nt_page *p, const char *caption, const char *const *cols, size_t n);

/** A form whose fields are named by the paths of an API body ("signer.name", "sources[0].url"), so
 * an error the service names lands on its field (http/w_fields.c). */
typedef struct nt_pform {
    nt_req *r;
    const json_t *defaults; /* name -> value for a new form; NULL once posted */
    const nt_err *err;      /* the service's field errors, if any */
    /* A field error in this form's own words (true), or false for the service's. */
    bool (*sentence)(const nt_req *r, const nt_field_error *e, char *out, size_t cap);
    const char *const (*labels)[3]; /* {field, vi, en}: how the summary names a field */
    size_t nlabels;
} nt_pform;
/** A field's value: posted, or the new form's default (malloc'd), or NULL. */
char *nt_pf_value(const nt_pform *f, const char *name);
/** Whether a checkbox field is ticked ("1"). */
bool nt_pf_checked(const nt_pform *f, const char *name);
/** A field's error, as a sentence, into out (empty and false when none). */
bool nt_pf_error(const nt_pform *f, const char *name, char *out, size_t cap);
/** An element id for a field's name: letters and digits, the rest '-'. */
void nt_pf_id(const char *name, char *out, size_t cap);
/** A text field (type "text", "date", "datetime-local", … or "textarea") with its label, hint and error. */
void nt_pf_text(nt_page *p, const nt_pform *f, const char *name, const char *type, const char *label, const char *hint);
/** A <select> of {value, vi, en} options. */
void nt_pf_choice(nt_page *p, const nt_pform *f, const char *name, const char *label, const char *const (*opts)[3], size_t n);
/** A part's heading (its id the part's path) with the error of the whole part under it. */
void nt_pf_section(nt_page *p, const nt_pform *f, const char *name, const char *title);
/** A checkbox, inside a govuk-checkboxes group. */
void nt_pf_tick(nt_page *p, const nt_pform *f, const char *name, const char *label);
/** The error summary: the service's report (its element id problem_id) and every field error,
 * each linking to its field. */
void nt_pf_summary(nt_page *p, const nt_pform *f, const char *title, const char *problem_id);
/** A datetime-local ("2026-11-30T21:44") or date-time as RFC 3339 in Vietnam's offset; NULL when empty. */
json_t *nt_pf_local_time(const char *v);
/** An amount as people write it ("70.000.000 ₫", "70 000 000 đ") as a number of VND; anything else
 * as typed, for the service to name at its field. */
json_t *nt_pf_vnd(const char *typed);

/** Names the pages give an API's values: {value, vi, en} each (http/w_labels.c). */
typedef struct nt_labels {
    size_t n;
    const char *const (*v)[3];
} nt_labels;
extern const nt_labels nt_categories;           /* a report's or decision's category */
extern const nt_labels nt_scopes;               /* an appearance restriction's scopes */
extern const nt_labels nt_sanction_types;       /* a sanction's type */
extern const nt_labels nt_certificate_statuses; /* a certificate's status */
extern const nt_labels nt_roles;                /* a key's or user's role */
extern const nt_labels nt_org_kinds;            /* an organisation's kind */
extern const nt_labels nt_appeal_states;        /* an appeal's state */
/** A value's name in the page's language; the value itself when the table has none. */
const char *nt_label(const nt_page *p, const nt_labels *t, const char *value);

/** The links filtering a listing by state: "All · <each state>" (path?state=…). */
void nt_page_states(nt_page *p, const char *path, const nt_labels *states);
/** A row of a summary list (<dl class="govuk-summary-list">): key, value ("—" when none or empty),
 * the value's element id when not NULL. */
void nt_page_row(nt_page *p, const char *key, const char *value, const char *id);
/** A secret shown once (a key, a password, a signing secret) under its title, with a note on keeping it;
 * the page is sent with no-store as every signed-in page is. */
void nt_page_secret(nt_page *p, const char *title, const char *secret, const char *note);
/** The "Next page" link of a listing's answer ({next_cursor}) at path?cursor=…, when there is one. */
void nt_page_next(nt_page *p, const char *path, const json_t *out);
/** A redirect (303) to path/id: the page of the thing a form acted on. */
enum MHD_Result nt_page_redirect_to(nt_req *r, const char *path, const char *id);

/** The path of an embedded asset with its content hash ("/assets/web.3f9a1c2b7d.css"). */
const char *nt_asset_path(const char *name);

enum MHD_Result nt_w_asset(nt_req *r);
enum MHD_Result nt_w_home(nt_req *r);
enum MHD_Result nt_w_search(nt_req *r);
enum MHD_Result nt_w_person(nt_req *r);
enum MHD_Result nt_w_restrictions(nt_req *r);
enum MHD_Result nt_w_transparency(nt_req *r);
enum MHD_Result nt_w_decision(nt_req *r);
enum MHD_Result nt_w_ads(nt_req *r);
enum MHD_Result nt_w_ad(nt_req *r);
enum MHD_Result nt_w_notices(nt_req *r);
enum MHD_Result nt_w_notice(nt_req *r);
enum MHD_Result nt_w_certificate(nt_req *r);
enum MHD_Result nt_w_log(nt_req *r);
enum MHD_Result nt_w_log_verify(nt_req *r);
enum MHD_Result nt_w_login(nt_req *r);
enum MHD_Result nt_w_login_post(nt_req *r);
enum MHD_Result nt_w_login_code(nt_req *r);
enum MHD_Result nt_w_login_code_post(nt_req *r);
enum MHD_Result nt_w_logout(nt_req *r);
enum MHD_Result nt_w_logout_all(nt_req *r);
enum MHD_Result nt_w_console(nt_req *r);
enum MHD_Result nt_w_console_users(nt_req *r);
enum MHD_Result nt_w_console_check(nt_req *r);
enum MHD_Result nt_w_console_check_csv(nt_req *r);
enum MHD_Result nt_w_console_check_csv_post(nt_req *r);
enum MHD_Result nt_w_report(nt_req *r);
enum MHD_Result nt_w_report_post(nt_req *r);
enum MHD_Result nt_w_console_reports(nt_req *r);
enum MHD_Result nt_w_console_cases(nt_req *r);
enum MHD_Result nt_w_case_open(nt_req *r);
enum MHD_Result nt_w_console_case(nt_req *r);
enum MHD_Result nt_w_case_move(nt_req *r);
enum MHD_Result nt_w_decision_form(nt_req *r);
enum MHD_Result nt_w_decision_post(nt_req *r);
enum MHD_Result nt_w_my_decisions(nt_req *r);
enum MHD_Result nt_w_appeal_form(nt_req *r);
enum MHD_Result nt_w_appeal_file(nt_req *r);
enum MHD_Result nt_w_console_appeals(nt_req *r);
enum MHD_Result nt_w_console_appeal(nt_req *r);
enum MHD_Result nt_w_appeal_review(nt_req *r);
enum MHD_Result nt_w_appeal_resolve(nt_req *r);
enum MHD_Result nt_w_console_offers(nt_req *r);
enum MHD_Result nt_w_console_offer(nt_req *r);
enum MHD_Result nt_w_offer_confirm(nt_req *r);
enum MHD_Result nt_w_offer_accept(nt_req *r);
enum MHD_Result nt_w_offer_decline(nt_req *r);
enum MHD_Result nt_w_my_certificate(nt_req *r);
enum MHD_Result nt_w_certificate_apply(nt_req *r);
enum MHD_Result nt_w_quiz_start(nt_req *r);
enum MHD_Result nt_w_quiz(nt_req *r);
enum MHD_Result nt_w_quiz_submit(nt_req *r);
enum MHD_Result nt_w_standards(nt_req *r);
enum MHD_Result nt_w_membership(nt_req *r);
enum MHD_Result nt_w_membership_apply(nt_req *r);
enum MHD_Result nt_w_membership_accept(nt_req *r);
enum MHD_Result nt_w_membership_leave(nt_req *r);
enum MHD_Result nt_w_console_members(nt_req *r);
enum MHD_Result nt_w_console_member(nt_req *r);
enum MHD_Result nt_w_member_admit(nt_req *r);
enum MHD_Result nt_w_member_refuse(nt_req *r);
enum MHD_Result nt_w_member_remove(nt_req *r);
enum MHD_Result nt_w_console_applications(nt_req *r);
enum MHD_Result nt_w_console_application(nt_req *r);
enum MHD_Result nt_w_application_review(nt_req *r);
enum MHD_Result nt_w_console_orgs(nt_req *r);
enum MHD_Result nt_w_org_create(nt_req *r);
enum MHD_Result nt_w_console_org(nt_req *r);
enum MHD_Result nt_w_org_suspend(nt_req *r);
enum MHD_Result nt_w_org_reinstate(nt_req *r);
enum MHD_Result nt_w_org_key(nt_req *r);
enum MHD_Result nt_w_org_user(nt_req *r);
enum MHD_Result nt_w_console_keys(nt_req *r);
enum MHD_Result nt_w_key_revoke(nt_req *r);
enum MHD_Result nt_w_console_audit(nt_req *r);
enum MHD_Result nt_w_console_webhooks(nt_req *r);
enum MHD_Result nt_w_webhook_create(nt_req *r);
enum MHD_Result nt_w_console_webhook(nt_req *r);
enum MHD_Result nt_w_webhook_delete(nt_req *r);
enum MHD_Result nt_w_console_products(nt_req *r);
enum MHD_Result nt_w_product_create(nt_req *r);
enum MHD_Result nt_w_console_product(nt_req *r);
enum MHD_Result nt_w_product_document(nt_req *r);
enum MHD_Result nt_w_console_notices(nt_req *r);
enum MHD_Result nt_w_notice_issue(nt_req *r);
enum MHD_Result nt_w_notice_form(nt_req *r);
enum MHD_Result nt_w_console_notice(nt_req *r);
enum MHD_Result nt_w_notice_withdraw(nt_req *r);
enum MHD_Result nt_w_console_decision(nt_req *r);
enum MHD_Result nt_w_console_recommendations(nt_req *r);
enum MHD_Result nt_w_console_accounts(nt_req *r);
enum MHD_Result nt_w_account_attest(nt_req *r);
enum MHD_Result nt_w_audience_attest(nt_req *r);
enum MHD_Result nt_w_offer_form(nt_req *r);
enum MHD_Result nt_w_offer_create(nt_req *r);
enum MHD_Result nt_w_offer_withdraw(nt_req *r);
enum MHD_Result nt_w_console_ads(nt_req *r);
enum MHD_Result nt_w_password(nt_req *r);
enum MHD_Result nt_w_password_post(nt_req *r);
enum MHD_Result nt_w_recall_lift(nt_req *r);
enum MHD_Result nt_w_network(nt_req *r);
enum MHD_Result nt_w_network_join(nt_req *r);
enum MHD_Result nt_w_network_leave(nt_req *r);
enum MHD_Result nt_w_network_read(nt_req *r);
enum MHD_Result nt_w_network_push(nt_req *r);
enum MHD_Result nt_w_service_worker(nt_req *r);
enum MHD_Result nt_w_console_user(nt_req *r);
enum MHD_Result nt_w_user_disable(nt_req *r);
enum MHD_Result nt_w_user_reset(nt_req *r);
#endif
