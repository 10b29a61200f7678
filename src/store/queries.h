/* The store's named reads, as C names: a service asks for NT_Q_case_get, and a misspelt read is
 * a compile error. Each backend gives every one its statement (a unit test checks the SQLite
 * backend has them all); parameters are positional, as the backend's list documents. */
#ifndef NT_STORE_QUERIES_H
#define NT_STORE_QUERIES_H

// clang-format off
#define NT_QUERY_LIST(Q) \
    Q(account_get) Q(accounts_all) Q(accounts_person) Q(ad_by_code) Q(ad_get) Q(ads_all) Q(ads_library) Q(ads_next_seq) \
    Q(ads_of_product) Q(ads_open) Q(advertiser_by_code) Q(advertiser_by_org) Q(advertiser_get) Q(advertisers_page) \
    Q(appeal_get) Q(case_decisions) Q(case_get) Q(case_reports) Q(cases_all) Q(changes_page) Q(decision_appeals) \
    Q(decision_by_number) Q(decision_get) Q(decision_sanctions) Q(decisions_published) Q(deliveries_due) Q(log_latest_of) \
    Q(log_record_at) Q(log_records_of) Q(log_records_page) Q(log_unlogged) Q(offer_get) Q(person_exists) Q(persons_ids) Q(person_has_decision) \
    Q(offers_page) Q(appeals_page) Q(cases_page) Q(reports_page) Q(decisions_page) Q(person_offers) Q(person_ads) Q(audit_page) Q(org_keys) Q(product_document) \
    Q(product_documents) Q(product_get) Q(products_page) Q(products_of_org) Q(redactions_all) Q(redactions_page) Q(report_get) Q(reports_all) \
    Q(reports_by_key) Q(sanction_get) Q(sanction_restricting) Q(sanctions_ending) Q(sanctions_person) \
    Q(sanctions_restricting) Q(sanctions_starting) Q(screen_person) Q(screen_persons) Q(temporary_restrictions_all) \
    Q(violations_all) Q(webhook_deliveries) Q(webhook_get) Q(webhook_clock_get) Q(webhooks_by_key) Q(push_by_endpoint) Q(notice_fan_out_push) Q(webhooks_for_event) \
    Q(org_get) Q(key_org) Q(member_get) Q(member_open_org) Q(member_open_person) Q(members_list) Q(quiz_get) Q(quiz_recent) \
    Q(quiz_best) Q(person_trust) Q(person_attested) Q(person_violations) Q(person_ads_summary) Q(audience_latest) \
    Q(application_get) Q(application_open) Q(applications_page) Q(certificate_get) Q(certificate_current) \
    Q(certificate_successor) Q(certificates_open) Q(certificate_revocations) Q(certificates_flagged) \
    Q(certificates_next_index) Q(certificates_current_all) Q(certificates_directory) \
    Q(notice_get) Q(notices_page) Q(notices_feed) Q(notice_versions) Q(notice_tags) Q(persons_by_key) \
    Q(person_published_decision) Q(network_member_person) Q(network_member_org) \
    Q(notice_ack_of) Q(notice_reaches_member) Q(member_acks) Q(member_inbox) Q(notice_reach) Q(notice_read_times) Q(webhook_of) \
    Q(notice_fan_out) Q(webhook_payload_put) Q(notice_fan_out_hooks) Q(notice_reached) \
    Q(user_get) Q(user_by_login) Q(users_page) Q(session_get) Q(user_sessions) Q(sessions_end_user) Q(sessions_end_others) \
    Q(tr_reports) Q(tr_decisions) Q(tr_sanctions) Q(tr_appeals) Q(tr_restrictions) Q(tr_events) Q(decisions_delisted)
// clang-format on

typedef enum nt_query {
#define NT__Q(q) NT_Q_##q,
    NT_QUERY_LIST(NT__Q)
#undef NT__Q
        NT_QUERY_COUNT
} nt_query;

/** Its name, for messages: "case_get". */
const char *nt_query_name(nt_query q);

#endif
