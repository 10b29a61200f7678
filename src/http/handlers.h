/* The resource handlers, one file per resource group. */
#ifndef NT_HTTP_HANDLERS_H
#define NT_HTTP_HANDLERS_H
#include "http/http.h"

/* Declares w, the write context of request r. */
#define WCTX(r, w)                                                                                                                 \
    nt_wctx w;                                                                                                                     \
    char w##_at[NT_TIME_LEN];                                                                                                      \
    nt_req_wctx(r, &w, w##_at)

/* Answers a write: its error, or what it returns with the log receipts (status; Location under
 * prefix when not NULL). `call` fills `o` and reports into `e`, both declared here. */
#define WRITTEN(r, status, prefix, call)                                                                                           \
    do {                                                                                                                           \
        nt_err e;                                                                                                                  \
        nt_err_clear(&e);                                                                                                          \
        json_t *o = NULL;                                                                                                          \
        int rc_ = (call);                                                                                                          \
        return rc_ ? nt_respond_error((r), rc_, &e) : nt_h_written((r), (status), (prefix), o);                                    \
    } while (0)

/* Answers a read: its error, or 200 with what `call` put in `o` (reporting into `e`). */
#define ANSWERED(r, call)                                                                                                          \
    do {                                                                                                                           \
        nt_err e;                                                                                                                  \
        nt_err_clear(&e);                                                                                                          \
        json_t *o = NULL;                                                                                                          \
        int rc_ = (call);                                                                                                          \
        return nt_h_answer((r), rc_, o, &e);                                                                                       \
    } while (0)

enum MHD_Result nt_h_healthz(nt_req *r);
enum MHD_Result nt_h_readyz(nt_req *r);
enum MHD_Result nt_h_metrics(nt_req *r);
enum MHD_Result nt_h_openapi(nt_req *r);
enum MHD_Result nt_h_me(nt_req *r);

enum MHD_Result nt_h_org_create(nt_req *r);
enum MHD_Result nt_h_org_list(nt_req *r);
enum MHD_Result nt_h_org_get(nt_req *r);

enum MHD_Result nt_h_key_create(nt_req *r);
enum MHD_Result nt_h_key_list(nt_req *r);
enum MHD_Result nt_h_key_revoke(nt_req *r);
enum MHD_Result nt_h_user_create(nt_req *r);
enum MHD_Result nt_h_user_list(nt_req *r);
enum MHD_Result nt_h_user_get(nt_req *r);
enum MHD_Result nt_h_user_disable(nt_req *r);
enum MHD_Result nt_h_user_reset(nt_req *r);

enum MHD_Result nt_h_person_create(nt_req *r);
enum MHD_Result nt_h_person_list(nt_req *r);
enum MHD_Result nt_h_person_get(nt_req *r);
enum MHD_Result nt_h_person_update(nt_req *r);
enum MHD_Result nt_h_person_accounts(nt_req *r);

enum MHD_Result nt_h_account_link(nt_req *r);
enum MHD_Result nt_h_account_get(nt_req *r);
enum MHD_Result nt_h_account_unlink(nt_req *r);

enum MHD_Result nt_h_report_create(nt_req *r);
enum MHD_Result nt_h_report_list(nt_req *r);
enum MHD_Result nt_h_report_get(nt_req *r);
enum MHD_Result nt_h_case_open(nt_req *r);
enum MHD_Result nt_h_case_list(nt_req *r);
enum MHD_Result nt_h_case_get(nt_req *r);
enum MHD_Result nt_h_case_move(nt_req *r);
enum MHD_Result nt_h_decision_issue(nt_req *r);
enum MHD_Result nt_h_decision_get(nt_req *r);
enum MHD_Result nt_h_decision_delist(nt_req *r);
enum MHD_Result nt_h_appeal_file(nt_req *r);
enum MHD_Result nt_h_appeal_get(nt_req *r);
enum MHD_Result nt_h_appeal_review(nt_req *r);
enum MHD_Result nt_h_appeal_resolve(nt_req *r);
enum MHD_Result nt_h_recommendations(nt_req *r);

enum MHD_Result nt_h_check(nt_req *r);
enum MHD_Result nt_h_check_batch(nt_req *r);
enum MHD_Result nt_h_screen(nt_req *r);
enum MHD_Result nt_h_restrictions(nt_req *r);
enum MHD_Result nt_h_snapshot(nt_req *r);
enum MHD_Result nt_h_changes(nt_req *r);

enum MHD_Result nt_h_log_checkpoint(nt_req *r);
enum MHD_Result nt_h_log_key(nt_req *r);
enum MHD_Result nt_h_log_tile(nt_req *r);
enum MHD_Result nt_h_log_inclusion(nt_req *r);
enum MHD_Result nt_h_log_consistency(nt_req *r);
enum MHD_Result nt_h_log_receipt(nt_req *r);
enum MHD_Result nt_h_log_record(nt_req *r);
enum MHD_Result nt_h_log_records(nt_req *r);
enum MHD_Result nt_h_redaction_create(nt_req *r);
enum MHD_Result nt_h_redaction_list(nt_req *r);
/** 200 with out, or the error. */
enum MHD_Result nt_h_answer(nt_req *r, int rc, json_t *out, const nt_err *e);
/** A paged listing (?cursor=, ?limit=) by a service function of that shape. */
enum MHD_Result nt_h_list(nt_req *r, int (*fn)(nt_svc *, const char *, int, json_t **, nt_err *));
/** The log receipts of what this request's write appended, as "log" in o (when any). */
void nt_h_add_receipts(nt_req *r, json_t *o);
/** The answer to a write: the check index, caches and log brought up to it, its receipts added,
 * then o with status (and Location: <prefix>/<id> when prefix is not empty). */
enum MHD_Result nt_h_written(nt_req *r, unsigned status, const char *location_prefix, json_t *o);
/** A read by the path's first parameter, by a service function of that shape. */
enum MHD_Result nt_h_get(nt_req *r, int (*fn)(nt_svc *, const char *, json_t **, nt_err *));

enum MHD_Result nt_h_ad_categories(nt_req *r);
enum MHD_Result nt_h_advertiser_register(nt_req *r);
enum MHD_Result nt_h_advertiser_list(nt_req *r);
enum MHD_Result nt_h_advertiser_get(nt_req *r);
enum MHD_Result nt_h_advertiser_suspend(nt_req *r);
enum MHD_Result nt_h_advertiser_reinstate(nt_req *r);

enum MHD_Result nt_h_product_create(nt_req *r);
enum MHD_Result nt_h_product_list(nt_req *r);
enum MHD_Result nt_h_product_get(nt_req *r);
enum MHD_Result nt_h_product_recall(nt_req *r);
enum MHD_Result nt_h_product_checks(nt_req *r);
enum MHD_Result nt_h_document_file_put(nt_req *r);
enum MHD_Result nt_h_document_file_get(nt_req *r);

enum MHD_Result nt_h_offer_create(nt_req *r);
enum MHD_Result nt_h_offer_get(nt_req *r);
enum MHD_Result nt_h_offer_list(nt_req *r);
enum MHD_Result nt_h_offer_withdraw(nt_req *r);
enum MHD_Result nt_h_product_recall_lift(nt_req *r);
enum MHD_Result nt_h_product_document_add(nt_req *r);
enum MHD_Result nt_h_org_suspend(nt_req *r);
enum MHD_Result nt_h_org_reinstate(nt_req *r);
enum MHD_Result nt_h_audit(nt_req *r);
enum MHD_Result nt_h_decision_list(nt_req *r);
enum MHD_Result nt_h_appeal_list(nt_req *r);
enum MHD_Result nt_h_offer_confirm(nt_req *r);
enum MHD_Result nt_h_offer_decline(nt_req *r);
enum MHD_Result nt_h_offer_accept(nt_req *r);
enum MHD_Result nt_h_ad_get(nt_req *r);
enum MHD_Result nt_h_ad_library(nt_req *r);
enum MHD_Result nt_h_ad_verify(nt_req *r);

enum MHD_Result nt_h_standards(nt_req *r);
enum MHD_Result nt_h_did_document(nt_req *r);
enum MHD_Result nt_h_member_apply(nt_req *r);
enum MHD_Result nt_h_member_get(nt_req *r);
enum MHD_Result nt_h_member_list(nt_req *r);
enum MHD_Result nt_h_member_admit(nt_req *r);
enum MHD_Result nt_h_member_refuse(nt_req *r);
enum MHD_Result nt_h_member_remove(nt_req *r);
enum MHD_Result nt_h_member_leave(nt_req *r);
enum MHD_Result nt_h_member_accept(nt_req *r);
enum MHD_Result nt_h_training(nt_req *r);
enum MHD_Result nt_h_quiz_start(nt_req *r);
enum MHD_Result nt_h_quiz_get(nt_req *r);
enum MHD_Result nt_h_quiz_submit(nt_req *r);
enum MHD_Result nt_h_eligibility(nt_req *r);
enum MHD_Result nt_h_application_create(nt_req *r);
enum MHD_Result nt_h_application_get(nt_req *r);
enum MHD_Result nt_h_application_list(nt_req *r);
enum MHD_Result nt_h_application_review(nt_req *r);
enum MHD_Result nt_h_audience_attest(nt_req *r);
enum MHD_Result nt_h_certificate_get(nt_req *r);
enum MHD_Result nt_h_certificate_list(nt_req *r);
enum MHD_Result nt_h_certificate_credential(nt_req *r);
enum MHD_Result nt_h_certificate_badge(nt_req *r);
enum MHD_Result nt_h_certificate_qr_png(nt_req *r);
enum MHD_Result nt_h_certificate_qr_svg(nt_req *r);
enum MHD_Result nt_h_status_list(nt_req *r);

enum MHD_Result nt_h_notice_create(nt_req *r);
enum MHD_Result nt_h_notice_amend(nt_req *r);
enum MHD_Result nt_h_notice_withdraw(nt_req *r);
enum MHD_Result nt_h_notice_get(nt_req *r);
enum MHD_Result nt_h_notice_versions(nt_req *r);
enum MHD_Result nt_h_notice_list(nt_req *r);
enum MHD_Result nt_h_notice_claimreview(nt_req *r);
enum MHD_Result nt_h_notice_cap(nt_req *r);
enum MHD_Result nt_h_feed_atom(nt_req *r);
enum MHD_Result nt_h_transparency(nt_req *r);
enum MHD_Result nt_h_open_decisions_csv(nt_req *r);
enum MHD_Result nt_h_open_restrictions_csv(nt_req *r);
enum MHD_Result nt_h_open_statements(nt_req *r);
enum MHD_Result nt_h_open_ftm(nt_req *r);
enum MHD_Result nt_h_feed_decisions(nt_req *r);
enum MHD_Result nt_h_feed_json(nt_req *r);
enum MHD_Result nt_h_notice_topics(nt_req *r);
enum MHD_Result nt_h_provinces(nt_req *r);
enum MHD_Result nt_h_network_join(nt_req *r);
enum MHD_Result nt_h_network_me(nt_req *r);
enum MHD_Result nt_h_network_leave(nt_req *r);
enum MHD_Result nt_h_network_inbox(nt_req *r);
enum MHD_Result nt_h_notice_ack(nt_req *r);
enum MHD_Result nt_h_notice_reach(nt_req *r);

enum MHD_Result nt_h_webhook_create(nt_req *r);
enum MHD_Result nt_h_webhook_list(nt_req *r);
enum MHD_Result nt_h_webhook_delete(nt_req *r);
enum MHD_Result nt_h_webhook_deliveries(nt_req *r);
#endif
