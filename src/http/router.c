/* The route table and the request pipeline in front of every handler.
 *
 * The table is the one place that decides who may do what: each route names
 * the roles allowed (docs/AUTHORIZATION.md is generated from the same facts
 * and a test walks it). The pipeline, in order: parse the target (400/414),
 * pick the language, match the route (404/405 with Allow), refuse an
 * oversized body (413), authenticate (401), rate-limit the unauthenticated
 * (429 with Retry-After), check the role (401/403), check query parameters
 * (400), decode a JSON body (415/400), handle Idempotency-Key (replay or
 * 422), and call the handler. */
#include "core/schema.h"
#include "core/util.h"
#include "http/handlers.h"
#include "http/ratelimit.h"
#include "http/web.h"
#include "service/tlog.h"
#include "service/keys.h"
#include "service/users.h"
#include "core/alloc.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ALL (NT_ROLE_BIT(NT_ROLE_PUBLIC) | KEYED)
#define KEYED                                                                                                                      \
    (NT_ROLE_BIT(NT_ROLE_ADMIN) | NT_ROLE_BIT(NT_ROLE_REGULATOR) | NT_ROLE_BIT(NT_ROLE_PLATFORM) |                                 \
     NT_ROLE_BIT(NT_ROLE_ADVERTISER) | NT_ROLE_BIT(NT_ROLE_KOL) | NT_ROLE_BIT(NT_ROLE_PROGRAMME))
#define ADMIN NT_ROLE_BIT(NT_ROLE_ADMIN)
#define PAGE  NT_ROUTE_PAGE
#define REG   NT_ROLE_BIT(NT_ROLE_REGULATOR)
#define PLAT  NT_ROLE_BIT(NT_ROLE_PLATFORM)
#define KOL   NT_ROLE_BIT(NT_ROLE_KOL)
#define ADV   NT_ROLE_BIT(NT_ROLE_ADVERTISER)
#define PROG  NT_ROLE_BIT(NT_ROLE_PROGRAMME)
#define J     NT_ROUTE_JSON_BODY
#define JOPT  (NT_ROUTE_JSON_BODY | NT_ROUTE_JSON_OPT)

const nt_route nt_routes[] = {
    /* The web pages (http/web.h, docs/WEB.md): public, read-only, rate-limited as the API is. */
    {"GET", "/", nt_w_home, ALL, PAGE, NULL, "page.home"},
    {"GET", "/search", nt_w_search, ALL, PAGE, "q,cursor", "page.search"},
    {"GET", "/persons/{id}", nt_w_person, ALL, PAGE, NULL, "page.person"},
    {"GET", "/restrictions", nt_w_restrictions, ALL, PAGE, "q,cursor", "page.restrictions"},
    {"GET", "/transparency", nt_w_transparency, ALL, PAGE, "from,to,by", "page.transparency"},
    {"GET", "/decisions/{id}", nt_w_decision, ALL, PAGE, NULL, "page.decision"},
    {"GET", "/ads", nt_w_ads, ALL, PAGE, "code,category,state,cursor", "page.ads"},
    {"GET", "/ads/{code}", nt_w_ad, ALL, PAGE, NULL, "page.ad"},
    {"GET", "/notices", nt_w_notices, ALL, PAGE, "topic,province,cursor", "page.notices"},
    {"GET", "/notices/{id}", nt_w_notice, ALL, PAGE, NULL, "page.notice"},
    {"GET", "/standards", nt_w_standards, ALL, PAGE, "version", "page.standards"},
    {"GET", "/log", nt_w_log, ALL, PAGE, NULL, "page.log"},
    {"POST", "/log", nt_w_log_verify, ALL, PAGE | NT_ROUTE_READS, NULL, "page.log.verify"}, /* a receipt checked */
    /* Signing in and out, and the consoles (docs/ACCOUNTS.md): a page for signed-in users sends
     * a visitor to sign in first. */
    {"GET", "/login", nt_w_login, ALL, PAGE, "next", "page.login"},
    {"POST", "/login", nt_w_login_post, ALL, PAGE, NULL, "page.login.post"},
    {"GET", "/login/code", nt_w_login_code, ALL, PAGE, "next", "page.login.code"},
    {"POST", "/login/code", nt_w_login_code_post, ALL, PAGE, NULL, "page.login.code.post"},
    {"POST", "/logout", nt_w_logout, ALL, PAGE, NULL, "page.logout"},
    {"POST", "/logout/all", nt_w_logout_all, ALL, PAGE, NULL, "page.logout.all"},
    {"GET", "/console", nt_w_console, KEYED, PAGE, NULL, "page.console"},
    {"GET", "/console/password", nt_w_password, KEYED, PAGE, NULL, "page.password"},
    {"POST", "/console/password", nt_w_password_post, KEYED, PAGE, NULL, "page.password.change"},
    {"GET", "/console/users", nt_w_console_users, ADMIN, PAGE, "cursor", "page.console.users"},
    {"GET", "/console/users/{id}", nt_w_console_user, ADMIN, PAGE, NULL, "page.console.user"},
    {"POST", "/console/users/{id}/disable", nt_w_user_disable, ADMIN, PAGE, NULL, "page.user.disable"},
    {"POST", "/console/users/{id}/reset", nt_w_user_reset, ADMIN, PAGE, NULL, "page.user.reset"},
    {"GET", "/console/orgs", nt_w_console_orgs, ADMIN, PAGE, "cursor", "page.console.orgs"},
    {"POST", "/console/orgs", nt_w_org_create, ADMIN, PAGE, NULL, "page.org.create"},
    {"GET", "/console/orgs/{id}", nt_w_console_org, ADMIN, PAGE, NULL, "page.console.org"},
    {"POST", "/console/orgs/{id}/suspend", nt_w_org_suspend, ADMIN, PAGE, NULL, "page.org.suspend"},
    {"POST", "/console/orgs/{id}/reinstate", nt_w_org_reinstate, ADMIN, PAGE, NULL, "page.org.reinstate"},
    {"POST", "/console/orgs/{id}/keys", nt_w_org_key, ADMIN, PAGE, NULL, "page.org.key"},
    {"POST", "/console/orgs/{id}/users", nt_w_org_user, ADMIN, PAGE, NULL, "page.org.user"},
    {"GET", "/console/keys", nt_w_console_keys, ADMIN, PAGE, "cursor", "page.console.keys"},
    {"POST", "/console/keys/{id}/revoke", nt_w_key_revoke, ADMIN, PAGE, NULL, "page.key.revoke"},
    {"GET", "/console/audit", nt_w_console_audit, ADMIN | REG, PAGE, "action,entity_id,key_id,cursor", "page.console.audit"},
    {"GET", "/report", nt_w_report, ALL, PAGE, NULL, "page.report"},
    {"POST", "/report", nt_w_report_post, ALL, PAGE, NULL, "page.report.post"},
    {"GET", "/console/reports", nt_w_console_reports, REG | PLAT, PAGE, "unassigned,cursor", "page.console.reports"},
    {"GET", "/console/recommendations", nt_w_console_recommendations, REG, PAGE, NULL, "page.console.recommendations"},
    {"GET", "/console/cases", nt_w_console_cases, REG, PAGE, "state,cursor", "page.console.cases"},
    {"POST", "/console/cases", nt_w_case_open, REG, PAGE, NULL, "page.case.open"},
    {"GET", "/console/cases/{id}", nt_w_console_case, REG, PAGE, NULL, "page.console.case"},
    {"POST", "/console/cases/{id}/move", nt_w_case_move, REG, PAGE, NULL, "page.case.move"},
    {"GET", "/console/cases/{id}/decision", nt_w_decision_form, REG, PAGE, NULL, "page.decision.form"},
    {"POST", "/console/cases/{id}/decision", nt_w_decision_post, REG, PAGE, NULL, "page.decision.issue"},
    {"GET", "/console/decisions", nt_w_my_decisions, KOL, PAGE, NULL, "page.my.decisions"},
    {"GET", "/console/decisions/{id}", nt_w_console_decision, REG | KOL, PAGE, NULL, "page.console.decision"},
    {"GET", "/console/decisions/{id}/appeal", nt_w_appeal_form, KOL, PAGE, NULL, "page.appeal.form"},
    {"POST", "/console/decisions/{id}/appeal", nt_w_appeal_file, KOL, PAGE, NULL, "page.appeal.file"},
    {"GET", "/console/appeals", nt_w_console_appeals, REG | KOL, PAGE, "state,cursor", "page.console.appeals"},
    {"GET", "/console/appeals/{id}", nt_w_console_appeal, REG | KOL, PAGE, NULL, "page.console.appeal"},
    {"POST", "/console/appeals/{id}/review", nt_w_appeal_review, REG, PAGE, NULL, "page.appeal.review"},
    {"POST", "/console/appeals/{id}/resolve", nt_w_appeal_resolve, REG, PAGE, NULL, "page.appeal.resolve"},
    {"GET", "/console/offers", nt_w_console_offers, KOL | ADV, PAGE, "state,cursor", "page.console.offers"},
    {"GET", "/console/offers/new", nt_w_offer_form, ADV, PAGE, NULL, "page.offer.form"},
    {"POST", "/console/offers", nt_w_offer_create, ADV, PAGE, NULL, "page.offer.create"},
    {"POST", "/console/offers/{id}/withdraw", nt_w_offer_withdraw, ADV, PAGE, NULL, "page.offer.withdraw"},
    {"GET", "/console/ads", nt_w_console_ads, KOL | ADV, PAGE, "state,cursor", "page.console.ads"},
    {"GET", "/console/offers/{id}", nt_w_console_offer, KOL | ADV, PAGE, NULL, "page.console.offer"},
    {"POST", "/console/offers/{id}/confirm", nt_w_offer_confirm, KOL, PAGE, NULL, "page.offer.confirm"},
    {"POST", "/console/offers/{id}/accept", nt_w_offer_accept, KOL, PAGE, NULL, "page.offer.accept"},
    {"POST", "/console/offers/{id}/decline", nt_w_offer_decline, KOL, PAGE, NULL, "page.offer.decline"},
    {"GET", "/console/certificate", nt_w_my_certificate, KOL, PAGE, NULL, "page.my.certificate"},
    {"POST", "/console/certificate/apply", nt_w_certificate_apply, KOL, PAGE, NULL, "page.certificate.apply"},
    {"POST", "/console/quiz", nt_w_quiz_start, KOL, PAGE, NULL, "page.quiz.start"},
    {"GET", "/console/quiz/{id}", nt_w_quiz, KOL, PAGE, NULL, "page.quiz"},
    {"POST", "/console/quiz/{id}", nt_w_quiz_submit, KOL, PAGE, NULL, "page.quiz.submit"},
    {"GET", "/console/membership", nt_w_membership, PLAT | ADV | KOL, PAGE, NULL, "page.membership"},
    {"POST", "/console/membership", nt_w_membership_apply, PLAT | ADV | KOL, PAGE, NULL, "page.membership.apply"},
    {"POST", "/console/membership/accept", nt_w_membership_accept, PLAT | ADV | KOL, PAGE, NULL, "page.membership.accept"},
    {"POST", "/console/membership/leave", nt_w_membership_leave, PLAT | ADV | KOL, PAGE, NULL, "page.membership.leave"},
    {"GET", "/console/members", nt_w_console_members, PROG, PAGE, "state,cursor", "page.console.members"},
    {"GET", "/console/members/{id}", nt_w_console_member, PROG, PAGE, NULL, "page.console.member"},
    {"POST", "/console/members/{id}/admit", nt_w_member_admit, PROG, PAGE, NULL, "page.member.admit"},
    {"POST", "/console/members/{id}/refuse", nt_w_member_refuse, PROG, PAGE, NULL, "page.member.refuse"},
    {"POST", "/console/members/{id}/remove", nt_w_member_remove, PROG, PAGE, NULL, "page.member.remove"},
    {"GET", "/console/applications", nt_w_console_applications, PROG, PAGE, "state,cursor", "page.console.applications"},
    {"GET", "/console/applications/{id}", nt_w_console_application, PROG, PAGE, NULL, "page.console.application"},
    {"POST", "/console/applications/{id}/review", nt_w_application_review, PROG, PAGE, NULL, "page.application.review"},
    {"GET", "/console/network", nt_w_network, REG | PLAT | ADV | KOL | PROG, PAGE, NULL, "page.network"},
    {"POST", "/console/network", nt_w_network_join, REG | PLAT | ADV | KOL | PROG, PAGE, NULL, "page.network.join"},
    {"POST", "/console/network/leave", nt_w_network_leave, REG | PLAT | ADV | KOL | PROG, PAGE, NULL, "page.network.leave"},
    {"POST", "/console/network/read/{id}", nt_w_network_read, REG | PLAT | ADV | KOL | PROG, PAGE, NULL, "page.network.read"},
    {"POST", "/console/network/push", nt_w_network_push, REG | PLAT | ADV | KOL | PROG, PAGE, NULL, "page.network.push"},
    {"GET", "/console/webhooks", nt_w_console_webhooks, REG | PLAT | ADV | KOL | PROG, PAGE, NULL, "page.console.webhooks"},
    {"POST", "/console/webhooks", nt_w_webhook_create, REG | PLAT | ADV | KOL | PROG, PAGE, NULL, "page.webhook.create"},
    {"GET", "/console/webhooks/{id}", nt_w_console_webhook, REG | PLAT | ADV | KOL | PROG, PAGE, NULL, "page.console.webhook"},
    {"POST", "/console/webhooks/{id}/delete", nt_w_webhook_delete, REG | PLAT | ADV | KOL | PROG, PAGE, NULL,
     "page.webhook.delete"},
    {"GET", "/console/products", nt_w_console_products, ADV, PAGE, NULL, "page.console.products"},
    {"POST", "/console/products", nt_w_product_create, ADV, PAGE, NULL, "page.product.create"},
    {"GET", "/console/products/{id}", nt_w_console_product, ADV, PAGE, NULL, "page.console.product"},
    {"POST", "/console/products/{id}/documents", nt_w_product_document, ADV, PAGE | NT_ROUTE_FILE_BODY, NULL,
     "page.product.document"},
    {"POST", "/console/products/{id}/lift", nt_w_recall_lift, REG, PAGE, NULL, "page.recall.lift"},
    {"GET", "/console/notices", nt_w_console_notices, REG | PLAT | ADV | PROG, PAGE, "state,cursor", "page.console.notices"},
    {"POST", "/console/notices", nt_w_notice_issue, REG | PLAT | ADV | PROG, PAGE, NULL, "page.notice.issue"},
    {"GET", "/console/notices/new", nt_w_notice_form, REG | PLAT | ADV | PROG, PAGE, "kind", "page.notice.form"},
    {"GET", "/console/notices/{id}", nt_w_console_notice, REG | PLAT | ADV | PROG, PAGE, NULL, "page.console.notice"},
    {"POST", "/console/notices/{id}/withdraw", nt_w_notice_withdraw, REG | PLAT | ADV | PROG, PAGE, NULL, "page.notice.withdraw"},
    {"GET", "/console/accounts", nt_w_console_accounts, PLAT, PAGE, NULL, "page.console.accounts"},
    {"POST", "/console/accounts", nt_w_account_attest, PLAT, PAGE, NULL, "page.account.attest"},
    {"POST", "/console/audience", nt_w_audience_attest, PLAT, PAGE, NULL, "page.audience.attest"},
    {"GET", "/console/check/csv", nt_w_console_check_csv, REG | PLAT | ADV, PAGE, NULL, "page.check.csv"},
    {"POST", "/console/check/csv", nt_w_console_check_csv_post, REG | PLAT | ADV, PAGE | NT_ROUTE_READS, NULL,
     "page.check.csv.run"},
    {"GET", "/console/check", nt_w_console_check, REG | PLAT | ADV, PAGE, "subject,scope", "page.console.check"},
    {"GET", "/assets/{name}", nt_w_asset, ALL, 0, NULL, "asset"},
    {"GET", "/sw.js", nt_w_service_worker, ALL, 0, NULL, "asset.sw"}, /* at the root: it serves every page */
    {"GET", "/healthz", nt_h_healthz, ALL, 0, NULL, "healthz"},
    {"GET", "/readyz", nt_h_readyz, ALL, 0, NULL, "readyz"},
    {"GET", "/metrics", nt_h_metrics, ALL, 0, NULL, "metrics"},
    {"GET", "/openapi.json", nt_h_openapi, ALL, 0, NULL, "openapi"},
    {"GET", "/v1/me", nt_h_me, KEYED, 0, NULL, "me"},
    {"POST", "/v1/orgs", nt_h_org_create, ADMIN, J, NULL, "org.create"},
    {"GET", "/v1/orgs", nt_h_org_list, ADMIN, 0, "cursor,limit", "org.list"},
    {"GET", "/v1/orgs/{id}", nt_h_org_get, ADMIN, 0, NULL, "org.get"},
    {"POST", "/v1/orgs/{id}/suspend", nt_h_org_suspend, ADMIN, J, NULL, "org.suspend"},
    {"POST", "/v1/orgs/{id}/reinstate", nt_h_org_reinstate, ADMIN, J, NULL, "org.reinstate"},
    {"GET", "/v1/audit", nt_h_audit, ADMIN | REG, 0, "action,entity,entity_id,key_id,from,to,cursor,limit", "audit.list"},
    {"POST", "/v1/keys", nt_h_key_create, ADMIN, J | NT_ROUTE_SECRET, NULL, "key.create"},
    {"GET", "/v1/keys", nt_h_key_list, ADMIN, 0, "cursor,limit", "key.list"},
    {"POST", "/v1/keys/{id}/revoke", nt_h_key_revoke, ADMIN, 0, NULL, "key.revoke"},
    {"POST", "/v1/users", nt_h_user_create, ADMIN, J | NT_ROUTE_SECRET, NULL, "user.create"},
    {"GET", "/v1/users", nt_h_user_list, ADMIN, 0, "cursor,limit", "user.list"},
    {"GET", "/v1/users/{id}", nt_h_user_get, ADMIN, 0, NULL, "user.get"},
    {"POST", "/v1/users/{id}/disable", nt_h_user_disable, ADMIN, J, NULL, "user.disable"},
    {"POST", "/v1/users/{id}/reset", nt_h_user_reset, ADMIN, NT_ROUTE_SECRET, NULL, "user.reset"},
    {"POST", "/v1/persons", nt_h_person_create, ADMIN | REG | PLAT, J, NULL, "person.create"},
    {"GET", "/v1/persons", nt_h_person_list, ALL, 0, "q,cursor,limit", "person.list"},
    {"GET", "/v1/persons/{id}", nt_h_person_get, ALL, 0, NULL, "person.get"},
    {"PATCH", "/v1/persons/{id}", nt_h_person_update, ADMIN | REG | PLAT, J, NULL, "person.update"},
    {"GET", "/v1/persons/{id}/accounts", nt_h_person_accounts, ALL, 0, NULL, "person.accounts"},
    {"POST", "/v1/accounts", nt_h_account_link, KOL | PLAT, J, NULL, "account.link"},
    {"GET", "/v1/accounts/{platform}/{handle}", nt_h_account_get, ALL, 0, NULL, "account.get"},
    {"DELETE", "/v1/accounts/{platform}/{handle}", nt_h_account_unlink, ADMIN | REG | PLAT | KOL, 0, NULL, "account.unlink"},
    {"POST", "/v1/reports", nt_h_report_create, NT_ROLE_BIT(NT_ROLE_PUBLIC) | REG | PLAT, J, NULL, "report.create"},
    {"GET", "/v1/reports", nt_h_report_list, REG | PLAT, 0, "unassigned,cursor,limit", "report.list"},
    {"GET", "/v1/reports/{id}", nt_h_report_get, REG | PLAT, 0, NULL, "report.get"},
    {"POST", "/v1/cases", nt_h_case_open, REG, J, NULL, "case.open"},
    {"GET", "/v1/cases", nt_h_case_list, REG, 0, "state,person_id,assigned,cursor,limit", "case.list"},
    {"GET", "/v1/cases/{id}", nt_h_case_get, REG, 0, NULL, "case.get"},
    {"POST", "/v1/cases/{id}/transition", nt_h_case_move, REG, J, NULL, "case.move"},
    {"POST", "/v1/cases/{id}/decision", nt_h_decision_issue, REG, J, NULL, "decision.issue"},
    {"GET", "/v1/decisions", nt_h_decision_list, ALL, 0, "person_id,number,published,from,to,cursor,limit", "decision.list"},
    {"GET", "/v1/decisions/{id}", nt_h_decision_get, ALL, 0, NULL, "decision.get"},
    {"POST", "/v1/decisions/{id}/delist", nt_h_decision_delist, REG, J, NULL, "decision.delist"},
    {"POST", "/v1/decisions/{id}/appeals", nt_h_appeal_file, REG | KOL, J, NULL, "appeal.file"},
    {"GET", "/v1/appeals", nt_h_appeal_list, REG | KOL, 0, "state,due_before,cursor,limit", "appeal.list"},
    {"GET", "/v1/appeals/{id}", nt_h_appeal_get, REG | KOL, 0, NULL, "appeal.get"},
    {"POST", "/v1/appeals/{id}/review", nt_h_appeal_review, REG, 0, NULL, "appeal.review"},
    {"POST", "/v1/appeals/{id}/resolve", nt_h_appeal_resolve, REG, J, NULL, "appeal.resolve"},
    {"GET", "/v1/recommendations", nt_h_recommendations, REG, 0, NULL, "recommendations"},
    {"GET", "/v1/check", nt_h_check, REG | PLAT | ADV, 0, "subject,scope,platform,at,from,to", "check"},
    {"POST", "/v1/check", nt_h_check_batch, REG | PLAT | ADV, J | NT_ROUTE_READS, NULL, "check.batch"},
    {"GET", "/v1/public/check", nt_h_check, ALL, 0, "subject,scope,platform,at,from,to", "check.public"},
    {"POST", "/v1/screen", nt_h_screen, REG | PLAT | ADV, J | NT_ROUTE_READS, NULL, "screen"},
    {"GET", "/v1/restrictions", nt_h_restrictions, ALL, 0, "q,cursor,limit", "restrictions.public"},
    {"GET", "/v1/restrictions/snapshot", nt_h_snapshot, REG | PLAT | ADV, 0, NULL, "restrictions.snapshot"},
    {"GET", "/v1/changes", nt_h_changes, REG | PLAT | ADV, 0, "since,limit", "changes"},
    {"GET", "/log/checkpoint", nt_h_log_checkpoint, ALL, 0, NULL, "log.checkpoint"},
    {"GET", "/log/key", nt_h_log_key, ALL, 0, NULL, "log.key"},
    {"GET", "/log/tile/{path}", nt_h_log_tile, ALL, NT_ROUTE_REST, NULL, "log.tile"},
    {"GET", "/v1/log/proof/inclusion", nt_h_log_inclusion, ALL, 0, "index,size", "log.inclusion"},
    {"GET", "/v1/log/proof/consistency", nt_h_log_consistency, ALL, 0, "from,to", "log.consistency"},
    {"GET", "/v1/log/receipt", nt_h_log_receipt, ALL, 0, "index", "log.receipt"},
    {"GET", "/v1/log/records", nt_h_log_records, ALL, 0, "from,limit", "log.records"},
    {"GET", "/v1/log/records/{id}", nt_h_log_record, ALL, 0, NULL, "log.record"},
    {"POST", "/v1/redactions", nt_h_redaction_create, ADMIN | REG, J, NULL, "redaction.create"},
    {"GET", "/v1/redactions", nt_h_redaction_list, ALL, 0, "cursor,limit", "redaction.list"},
    {"GET", "/v1/ad-categories", nt_h_ad_categories, ALL, 0, NULL, "ad.categories"},
    {"POST", "/v1/advertisers", nt_h_advertiser_register, ADV, J, NULL, "advertiser.register"},
    {"GET", "/v1/advertisers", nt_h_advertiser_list, ALL, 0, "cursor,limit", "advertiser.list"},
    {"GET", "/v1/advertisers/{id}", nt_h_advertiser_get, ALL, 0, NULL, "advertiser.get"},
    {"POST", "/v1/advertisers/{id}/suspend", nt_h_advertiser_suspend, REG, J, NULL, "advertiser.suspend"},
    {"POST", "/v1/advertisers/{id}/reinstate", nt_h_advertiser_reinstate, REG, J, NULL, "advertiser.reinstate"},
    {"POST", "/v1/products", nt_h_product_create, ADV, J, NULL, "product.create"},
    {"GET", "/v1/products", nt_h_product_list, ALL, 0, "cursor,limit", "product.list"},
    {"GET", "/v1/products/{id}", nt_h_product_get, ALL, 0, NULL, "product.get"},
    {"POST", "/v1/products/{id}/recall", nt_h_product_recall, REG, J, NULL, "product.recall"},
    {"POST", "/v1/products/{id}/recall/lift", nt_h_product_recall_lift, REG, J, NULL, "product.recall_lift"},
    {"POST", "/v1/products/{id}/documents", nt_h_product_document_add, ADV, J, NULL, "product.document_add"},
    {"PUT", "/v1/products/{id}/documents/{doc}/file", nt_h_document_file_put, ADV, NT_ROUTE_FILE_BODY, NULL,
     "product.document_file.put"},
    {"GET", "/v1/products/{id}/documents/{doc}/file", nt_h_document_file_get, ALL, 0, NULL, "product.document_file.get"},
    {"GET", "/v1/products/{id}/checks", nt_h_product_checks, ALL, 0, "from,to", "product.checks"},
    {"POST", "/v1/offers", nt_h_offer_create, ADV, J, NULL, "offer.create"},
    {"GET", "/v1/offers", nt_h_offer_list, ADV | KOL | REG, 0, "state,cursor,limit", "offer.list"},
    {"GET", "/v1/offers/{id}", nt_h_offer_get, ADV | KOL | REG, 0, NULL, "offer.get"},
    {"POST", "/v1/offers/{id}/withdraw", nt_h_offer_withdraw, ADV, J, NULL, "offer.withdraw"},
    {"POST", "/v1/offers/{id}/confirm", nt_h_offer_confirm, KOL, J, NULL, "offer.confirm"},
    {"POST", "/v1/offers/{id}/decline", nt_h_offer_decline, KOL, J, NULL, "offer.decline"},
    {"POST", "/v1/offers/{id}/accept", nt_h_offer_accept, KOL, 0, NULL, "offer.accept"},
    {"GET", "/v1/ads", nt_h_ad_library, ALL, 0, "influencer,advertiser,product,category,state,from,to,cursor,limit", "ad.library"},
    {"GET", "/v1/ads/{code}", nt_h_ad_get, ALL, 0, NULL, "ad.get"},
    {"GET", "/v1/ads/{code}/verify", nt_h_ad_verify, ALL, 0, "handle,at", "ad.verify"},
    {"POST", "/v1/webhooks", nt_h_webhook_create, REG | PLAT | ADV | KOL | PROG, J, NULL, "webhook.create"},
    {"GET", "/v1/webhooks", nt_h_webhook_list, REG | PLAT | ADV | KOL | PROG, 0, NULL, "webhook.list"},
    {"DELETE", "/v1/webhooks/{id}", nt_h_webhook_delete, REG | PLAT | ADV | KOL | PROG, 0, NULL, "webhook.delete"},
    {"GET", "/v1/webhooks/{id}/deliveries", nt_h_webhook_deliveries, REG | PLAT | ADV | KOL | PROG, 0, "limit",
     "webhook.deliveries"},
    {"GET", "/.well-known/did.json", nt_h_did_document, ALL, 0, NULL, "did.document"},
    {"GET", "/v1/standards", nt_h_standards, ALL, 0, "version", "standards.get"},
    {"POST", "/v1/trust/members", nt_h_member_apply, PLAT | ADV | KOL, JOPT, NULL, "member.apply"},
    {"GET", "/v1/trust/members", nt_h_member_list, ALL, 0, "state,kind,category,province,topic,q,cursor,limit", "member.list"},
    {"GET", "/v1/trust/members/{id}", nt_h_member_get, ALL, 0, NULL, "member.get"},
    {"POST", "/v1/trust/members/{id}/admit", nt_h_member_admit, PROG, JOPT, NULL, "member.admit"},
    {"POST", "/v1/trust/members/{id}/refuse", nt_h_member_refuse, PROG, J, NULL, "member.refuse"},
    {"POST", "/v1/trust/members/{id}/remove", nt_h_member_remove, PROG, J, NULL, "member.remove"},
    {"POST", "/v1/trust/members/{id}/accept", nt_h_member_accept, PLAT | ADV | KOL, J, NULL, "member.accept"},
    {"POST", "/v1/trust/members/{id}/leave", nt_h_member_leave, PLAT | ADV | KOL, JOPT, NULL, "member.leave"},
    {"GET", "/v1/trust/training", nt_h_training, ALL, 0, NULL, "training.get"},
    {"POST", "/v1/trust/quiz", nt_h_quiz_start, KOL, 0, NULL, "quiz.start"},
    {"GET", "/v1/trust/quiz/{id}", nt_h_quiz_get, KOL, 0, NULL, "quiz.get"},
    {"POST", "/v1/trust/quiz/{id}/answers", nt_h_quiz_submit, KOL, J, NULL, "quiz.submit"},
    {"GET", "/v1/trust/eligibility", nt_h_eligibility, KOL | PROG, 0, "person_id", "trust.eligibility"},
    {"POST", "/v1/trust/applications", nt_h_application_create, KOL, 0, NULL, "application.create"},
    {"GET", "/v1/trust/applications", nt_h_application_list, KOL | PROG, 0, "state,cursor,limit", "application.list"},
    {"GET", "/v1/trust/applications/{id}", nt_h_application_get, KOL | PROG, 0, NULL, "application.get"},
    {"POST", "/v1/trust/applications/{id}/review", nt_h_application_review, PROG, J, NULL, "application.review"},
    {"POST", "/v1/persons/{id}/audience", nt_h_audience_attest, PLAT, J, NULL, "audience.attest"},
    {"GET", "/v1/certificates", nt_h_certificate_list, ALL, 0, "q,handle,province,topic,status,cursor,limit", "certificate.list"},
    {"GET", "/v1/certificates/{id}", nt_h_certificate_get, ALL, 0, NULL, "certificate.get"},
    {"GET", "/v1/certificates/{id}/credential", nt_h_certificate_credential, ALL, 0, NULL, "certificate.credential"},
    {"GET", "/v1/certificates/{id}/badge.svg", nt_h_certificate_badge, ALL, 0, NULL, "certificate.badge"},
    {"GET", "/v1/certificates/{id}/qr.png", nt_h_certificate_qr_png, ALL, 0, NULL, "certificate.qr_png"},
    {"GET", "/v1/certificates/{id}/qr.svg", nt_h_certificate_qr_svg, ALL, 0, NULL, "certificate.qr_svg"},
    {"GET", "/certificates/{id}", nt_w_certificate, ALL, 0, "lang", "certificate.page"}, /* a page, or JSON if asked */
    {"GET", "/v1/status-lists/{id}", nt_h_status_list, ALL, 0, NULL, "status_list.get"},
    {"GET", "/v1/notice-topics", nt_h_notice_topics, ALL, 0, NULL, "notice.topics"},
    {"GET", "/v1/provinces", nt_h_provinces, ALL, 0, NULL, "provinces"},
    {"POST", "/v1/notices", nt_h_notice_create, REG | PLAT | ADV | PROG, J, NULL, "notice.create"},
    {"GET", "/v1/notices", nt_h_notice_list, ALL, 0, "state,kind,topic,province,cursor,limit", "notice.list"},
    {"GET", "/v1/notices/{id}", nt_h_notice_get, ALL, 0, NULL, "notice.get"},
    {"POST", "/v1/notices/{id}/amend", nt_h_notice_amend, REG | PLAT | ADV | PROG, J, NULL, "notice.amend"},
    {"POST", "/v1/notices/{id}/withdraw", nt_h_notice_withdraw, REG | PLAT | ADV | PROG, J, NULL, "notice.withdraw"},
    {"GET", "/v1/notices/{id}/versions", nt_h_notice_versions, ALL, 0, NULL, "notice.versions"},
    {"GET", "/v1/notices/{id}/claimreview", nt_h_notice_claimreview, ALL, 0, NULL, "notice.claimreview"},
    {"GET", "/v1/notices/{id}/cap", nt_h_notice_cap, ALL, 0, NULL, "notice.cap"},
    {"POST", "/v1/notices/{id}/ack", nt_h_notice_ack, REG | PLAT | ADV | KOL | PROG, J, NULL, "notice.ack"},
    {"GET", "/v1/notices/{id}/reach", nt_h_notice_reach, REG | PLAT | ADV | PROG, 0, NULL, "notice.reach"},
    {"GET", "/v1/feeds/notices.atom", nt_h_feed_atom, ALL, 0, "topic,province", "feed.atom"},
    {"GET", "/v1/feeds/decisions.atom", nt_h_feed_decisions, ALL, 0, NULL, "feed.decisions"},
    {"GET", "/v1/transparency", nt_h_transparency, ALL, 0, "from,to,by,format", "transparency"},
    {"GET", "/v1/open-data/decisions.csv", nt_h_open_decisions_csv, ALL, 0, NULL, "open.decisions_csv"},
    {"GET", "/v1/open-data/restrictions.csv", nt_h_open_restrictions_csv, ALL, 0, NULL, "open.restrictions_csv"},
    {"GET", "/v1/open-data/statements-of-reasons.json", nt_h_open_statements, ALL, 0, NULL, "open.statements"},
    {"GET", "/v1/open-data/entities.ftm.json", nt_h_open_ftm, ALL, 0, NULL, "open.ftm"},
    {"GET", "/v1/feeds/notices.json", nt_h_feed_json, ALL, 0, "topic,province", "feed.json"},
    {"POST", "/v1/network/members", nt_h_network_join, REG | PLAT | ADV | KOL | PROG, J, NULL, "network.join"},
    {"GET", "/v1/network/members/me", nt_h_network_me, REG | PLAT | ADV | KOL | PROG, 0, NULL, "network.me"},
    {"DELETE", "/v1/network/members/me", nt_h_network_leave, REG | PLAT | ADV | KOL | PROG, 0, NULL, "network.leave"},
    {"GET", "/v1/network/inbox", nt_h_network_inbox, REG | PLAT | ADV | KOL | PROG, 0, "limit", "network.inbox"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL},
};

size_t nt_route_count(void)
{
    return sizeof(nt_routes) / sizeof(nt_routes[0]) - 1;
}

size_t nt_route_index(const nt_route *r)
{
    return (size_t)(r - nt_routes);
}

/* The patterns split into segments once, so that matching a request against every route is a
 * comparison of lengths and bytes: no pattern is scanned again per request. */
#define ROUTE_SEGS 8
typedef struct compiled_route {
    int nsegs;
    bool rest;                   /* the last segment, a parameter, takes one or more */
    const char *lit[ROUTE_SEGS]; /* NULL for a parameter */
    size_t len[ROUTE_SEGS];
} compiled_route;

static compiled_route *compiled;
static pthread_once_t compiled_once = PTHREAD_ONCE_INIT;

/* Each route's key, four bytes apiece, scanned before any pattern is read: the number of segments
 * (low 7 bits), whether the last takes the rest (bit 7), and a hash of the first segment (the rest;
 * KEY_ANY when it is a parameter). A request is matched against the few routes whose key it fits,
 * so that a table of pages in front of the API costs the check almost nothing. */
#define KEY_ANY 0xFFFFFFu
static uint32_t *route_keys;

static uint32_t seg_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a, folded to 24 bits */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    h = (h >> 24) ^ (h & 0xFFFFFFu);
    return h == KEY_ANY ? 0 : h;
}

/* Whether a request of nsegs segments, its first hashed to h, may match a route of key k. */
static inline bool may_match(uint32_t k, int nsegs, uint32_t h)
{
    int rn = (int)(k & 0x7Fu);
    if ((k & 0x80u) ? nsegs < rn : nsegs != rn)
        return false;
    return rn == 0 || (k >> 8) == KEY_ANY || (k >> 8) == h;
}

static void compile_routes(void)
{
    size_t n = nt_route_count();
    compiled = nt_xcalloc(n, sizeof(*compiled));
    route_keys = nt_xcalloc(n, sizeof(*route_keys));
    for (size_t i = 0; i < n; i++) {
        compiled_route *c = &compiled[i];
        for (const char *p = nt_routes[i].pattern + 1; *p;) {
            const char *slash = strchr(p, '/');
            size_t len = slash ? (size_t)(slash - p) : strlen(p);
            NT_ASSERT(c->nsegs < ROUTE_SEGS);
            c->lit[c->nsegs] = p[0] == '{' ? NULL : p;
            c->len[c->nsegs++] = len;
            p += len + (slash ? 1 : 0);
        }
        c->rest = (nt_routes[i].flags & NT_ROUTE_REST) && c->nsegs > 0 && c->lit[c->nsegs - 1] == NULL;
        uint32_t first = c->nsegs == 0 ? 0 : c->lit[0] ? seg_hash(c->lit[0], c->len[0]) : KEY_ANY;
        route_keys[i] = (first << 8) | (c->rest ? 0x80u : 0) | (uint32_t)c->nsegs;
    }
}

/* The hash of a request's first segment, as route keys hold it. */
static uint32_t first_hash(const nt_uri *u, const size_t *len)
{
    return u->nsegs > 0 ? seg_hash(u->segs[0], len[0]) : 0;
}

/* A parsed path's segments' lengths, once per request (before any match). */
static void seg_lengths(const nt_uri *u, size_t *len)
{
    pthread_once(&compiled_once, compile_routes);
    for (int i = 0; i < u->nsegs; i++)
        len[i] = strlen(u->segs[i]);
}

/* Matches the parsed path against a route's pattern; fills params on success. With rest, the
 * final parameter takes one or more segments (the handler reads them from the raw target). */
static bool match(const nt_route *rt, const nt_uri *u, const size_t *len, const char **params)
{
    const compiled_route *c = &compiled[rt - nt_routes];
    if (c->rest ? u->nsegs < c->nsegs : u->nsegs != c->nsegs)
        return false;
    int np = 0;
    for (int i = 0; i < c->nsegs; i++) {
        if (c->lit[i] == NULL) {
            if (np < 4)
                params[np++] = u->segs[i];
        } else if (len[i] != c->len[i] || memcmp(u->segs[i], c->lit[i], len[i]) != 0) {
            return false;
        }
    }
    return true;
}

static nt_lang pick_lang(nt_req *r)
{
    /* Vietnamese unless English is preferred over it. */
    const char *al = nt_req_header(r, "Accept-Language");
    if (al == NULL)
        return NT_LANG_VI;
    double qvi = -1, qen = -1;
    char buf[256];
    nt_strlcpy(buf, al, sizeof(buf));
    char *save = NULL;
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        double q = 1;
        char *semi = strchr(item, ';');
        if (semi != NULL) {
            char *qs = strstr(semi, "q=");
            q = qs ? atof(qs + 2) : 1;
            *semi = '\0';
        }
        if (strncasecmp(item, "vi", 2) == 0 && q > qvi)
            qvi = q;
        else if (strncasecmp(item, "en", 2) == 0 && q > qen)
            qen = q;
    }
    return qen > qvi ? NT_LANG_EN : NT_LANG_VI;
}

static bool query_allowed(const nt_route *rt, const nt_uri *u, const char **bad)
{
    for (int i = 0; i < u->nparams; i++) {
        const char *name = u->params[i].name;
        size_t n = strlen(name);
        bool ok = (rt->flags & NT_ROUTE_PAGE) && strcmp(name, "lang") == 0;
        for (const char *p = rt->query; p != NULL && *p;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (len == n && strncmp(p, name, n) == 0)
                ok = true;
            p += len + (comma ? 1 : 0);
        }
        if (!ok) {
            *bad = name;
            return false;
        }
    }
    return true;
}

static bool is_json_type(const char *ct)
{
    if (ct == NULL)
        return false;
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, "application/json", 16) != 0)
        return false;
    ct += 16;
    while (*ct == ' ')
        ct++;
    return *ct == '\0' || *ct == ';';
}

/* Decodes the body of a JSON route: 415, 400 invalid-json, or 0. */
static enum MHD_Result decode_body(nt_req *r, bool *done)
{
    *done = true;
    if (!is_json_type(nt_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE))) {
        nt_err e;
        nt_err_clear(&e);
        nt_err_set(&e, NT_EINVAL, "send Content-Type: application/json", "hãy gửi Content-Type: application/json");
        return nt_respond_problem(r, 415, "unsupported-media-type", &e);
    }
    nt_err e;
    nt_err_clear(&e);
    if (nt__body_decode(r->body ? r->body : "", r->body_len, &r->json, &e) != 0)
        return nt_respond_problem(r, 400, "invalid-json", &e);
    *done = false;
    return MHD_YES;
}

/* The route a method and target go to, or NULL (the dispatcher then says 404, 405 or 400). */
static const nt_route *route_of(const char *method, const char *target)
{
    static _Thread_local nt_uri u; /* large: not on the stack */
    nt_err e;
    nt_err_clear(&e);
    if (target == NULL || nt_uri_parse(target, &u, &e) != 0)
        return NULL;
    size_t len[NT_URI_MAX_SEGS];
    seg_lengths(&u, len);
    uint32_t h = first_hash(&u, len);
    for (const nt_route *rt = nt_routes; rt->method != NULL; rt++) {
        const char *params[4] = {0};
        if (may_match(route_keys[rt - nt_routes], u.nsegs, h) && strcmp(rt->method, method) == 0 && match(rt, &u, len, params))
            return rt;
    }
    return NULL;
}

size_t nt__route_body_max(const char *method, const char *target)
{
    const nt_route *rt = route_of(method, target);
    return rt != NULL && (rt->flags & NT_ROUTE_FILE_BODY) ? NT_FILE_MAX : NT_BODY_MAX;
}

bool nt__route_writes(const char *method, const char *target)
{
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) /* no GET writes: no route to look for */
        return false;
    const nt_route *rt = route_of(method, target);
    return rt != NULL && strcmp(rt->method, "GET") != 0 && !(rt->flags & NT_ROUTE_READS);
}

/* Counts a header's occurrences (libmicrohttpd's lookup returns the first only). */
static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    struct {
        const char *name;
        int n;
    } *c = cls;
    if (strcasecmp(key, c->name) == 0)
        c->n++;
    return MHD_YES;
}

static int header_count(nt_req *r, const char *name)
{
    struct {
        const char *name;
        int n;
    } c = {name, 0};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_header, &c);
    return c.n;
}

/* The web session of a page's request, from its cookie: whole, it acts as its user; half-done, it
 * is kept for the sign-in pages alone. */
static void page_session(nt_req *r)
{
    char token[NT_SESSION_TOKEN + 2];
    if (!nt_req_cookie(r, "nt_session", token, sizeof(token)))
        return;
    nt_session *s = nt_xmalloc(sizeof(*s));
    if (s == NULL || nt_svc_session(nt_req_svc(r), token, s) != 0) {
        free(s);
        return;
    }
    r->session = s;
    if (s->stage == NT_SESSION_FULL)
        r->actor = s->actor;
}

static enum MHD_Result to_sign_in(nt_req *r)
{
    nt_page_pick_lang(r); /* a ?lang= on the address asked for holds for the sign-in page too */
    return nt_page_redirect_next(r, "/login", strcmp(r->method, "GET") == 0 ? r->target : NULL);
}

enum MHD_Result nt__dispatch(nt_req *r)
{
    nt_err e;
    nt_err_clear(&e);
    nt_store_unreachable(true); /* this request's own reads say, at its answer (nt_respond_bytes) */
    r->lang = pick_lang(r);
    /* A request must say which host it is for, and carry one credential, not two to choose from. */
    int hosts = header_count(r, "Host");
    if ((hosts == 0 && !r->http10) || hosts > 1 || header_count(r, "Authorization") > 1) {
        nt_err_field(&e, hosts == 1 || (hosts == 0 && r->http10) ? "Authorization" : "Host", hosts == 0 ? "required" : "duplicate",
                     0);
        return nt_respond_problem(r, 400, "bad-request", &e);
    }
    if (nt_uri_parse(r->target, &r->uri, &e) != 0) {
        if (e.nfields > 0 && strcmp(e.fields[0].code, "too_long") == 0 && strcmp(e.fields[0].field, "(uri)") == 0)
            return nt_respond_problem(r, 414, "uri-too-long", &e);
        return nt_respond_problem(r, 400, "bad-request", &e);
    }
    const nt_route *found = NULL;
    char allow[128] = "";
    size_t len[NT_URI_MAX_SEGS];
    seg_lengths(&r->uri, len);
    uint32_t h = first_hash(&r->uri, len);
    for (const nt_route *rt = nt_routes; rt->method != NULL; rt++) {
        const char *params[4] = {0};
        if (!may_match(route_keys[rt - nt_routes], r->uri.nsegs, h) || !match(rt, &r->uri, len, params))
            continue;
        /* HEAD is GET without the body, which libmicrohttpd leaves out. */
        bool head = strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0;
        if (strcmp(rt->method, r->method) == 0 || head) {
            found = rt;
            memcpy(r->params, params, sizeof(params));
            break;
        }
        if (strstr(allow, rt->method) == NULL) {
            size_t n = strlen(allow);
            snprintf(allow + n, sizeof(allow) - n, "%s%s%s", n ? ", " : "", rt->method, strcmp(rt->method, "GET") ? "" : ", HEAD");
        }
    }
    if (found == NULL) {
        if (allow[0]) {
            nt_resp_header(r, "Allow", allow);
            return nt_respond_problem(r, 405, "method-not-allowed", NULL);
        }
        return nt_respond_problem(r, 404, "not-found", NULL);
    }
    r->route = found;
    if (r->too_big) {
        nt_err_set(&e, NT_EINVAL, "the body is larger than %zu bytes", "nội dung lớn hơn %zu byte", r->body_max);
        return nt_respond_problem(r, 413, "payload-too-large", &e);
    }

    const char *auth = nt_req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (auth != NULL) {
        if (strncasecmp(auth, "Bearer ", 7) != 0 || nt_svc_authenticate(nt_req_svc(r), auth + 7, &r->actor) != 0) {
            nt_resp_header(r, "WWW-Authenticate", "Bearer");
            nt_err_set(&e, NT_EINVAL, "the API key is missing, malformed, unknown or revoked",
                       "khóa API bị thiếu, sai định dạng, không tồn tại hoặc đã bị thu hồi");
            return nt_respond_problem(r, 401, "unauthorized", &e);
        }
    } else {
        r->actor.role = NT_ROLE_PUBLIC;
        if (found->flags & NT_ROUTE_PAGE)
            page_session(r); /* a page's visitor may be signed in: the API takes keys only */
    }
    if (auth == NULL && r->actor.role == NT_ROLE_PUBLIC) {
        int retry = 1;
        /* Health, metrics, the API description, the log's tiles, assets: not pages, not the API. */
        bool exempt = strncmp(found->pattern, "/v1/", 4) != 0 && !(found->flags & NT_ROUTE_PAGE);
        if (!exempt && !nt_ratelimit_take(r->env->rl, r->client, nt_mono_us(), &retry)) {
            char ra[16];
            snprintf(ra, sizeof(ra), "%d", retry);
            nt_resp_header(r, "Retry-After", ra);
            nt_err_set(&e, NT_EBUSY, "too many requests without an API key; retry in %d s",
                       "quá nhiều yêu cầu không có khóa API; thử lại sau %d giây", retry);
            return nt_respond_problem(r, 429, "rate-limited", &e);
        }
    }
    if (!(found->roles & NT_ROLE_BIT(r->actor.role))) {
        if (r->actor.role == NT_ROLE_PUBLIC && (found->flags & NT_ROUTE_PAGE))
            return to_sign_in(r); /* a page for signed-in users: sign in first, then back here */
        if (r->actor.role == NT_ROLE_PUBLIC) {
            nt_resp_header(r, "WWW-Authenticate", "Bearer");
            nt_err_set(&e, NT_EINVAL, "%s %s needs an API key", "%s %s cần khóa API", found->method, found->pattern);
            return nt_respond_problem(r, 401, "unauthorized", &e);
        }
        nt_err_set(&e, NT_EFORBIDDEN, "role %s may not call %s %s", "vai trò %s không được gọi %s %s", nt_role_name(r->actor.role),
                   found->method, found->pattern);
        return nt_respond_problem(r, 403, "forbidden", &e);
    }
    enum MHD_Result ret;
    char why[512];
    bool writes = strcmp(found->method, "GET") != 0 && !(found->flags & NT_ROUTE_READS);
    if (writes && nt_svc_log_broken(nt_req_svc(r), why, sizeof(why))) {
        nt_err_set(&e, NT_EBUSY, "writes are refused until the log is repaired: %s",
                   "tạm ngừng ghi cho đến khi nhật ký được sửa: %s", why);
        return nt_respond_problem(r, 503, "log-inconsistent", &e);
    }
    if (found->flags & NT_ROUTE_PAGE)
        nt_page_pick_lang(r); /* ?lang= on any page, and the cookie it leaves */
    const char *bad = NULL;
    if (!query_allowed(found, &r->uri, &bad)) {
        char known[sizeof(e.fields[0].allowed)];
        snprintf(known, sizeof(known), "%s%s%s", found->query ? found->query : "",
                 found->query && (found->flags & NT_ROUTE_PAGE) ? "," : "", (found->flags & NT_ROUTE_PAGE) ? "lang" : "");
        nt_err_field_allowed(&e, bad, "unknown", known);
        return nt_respond_problem(r, 400, "validation", &e);
    }
    if ((found->flags & NT_ROUTE_PAGE) && nt_page_from_cache(r, &ret))
        return ret;
    bool done = false;
    if ((found->flags & NT_ROUTE_JSON_OPT) && r->body_len == 0) {
        r->json = json_object(); /* nothing to say: every field of its body is optional */
    } else if (found->flags & NT_ROUTE_JSON_BODY) {
        ret = decode_body(r, &done);
        if (done)
            return ret;
    }
    ret = nt__idempotency(r, &done);
    if (done)
        return ret;
    return found->handler(r);
}
