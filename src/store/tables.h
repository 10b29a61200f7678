/* The tables written through the generic row write, and their columns, as C names.
 *
 * A service names a column as COL(table, column): a misspelt table or column is a compile
 * error, and a column set on a row of another table stops the program (NT_ASSERT). The lists
 * below are the schema's, column for column (every column but the id); a unit test compares
 * them with the database a fresh store creates, so they cannot drift apart. A backend builds
 * its statements from the names nt_table_name and nt_col_name give. */
#ifndef NT_STORE_TABLES_H
#define NT_STORE_TABLES_H

// clang-format off
#define NT_TABLE_LIST(T) \
    T(reports) T(cases) T(decisions) T(sanctions) T(appeals) T(webhooks) T(webhook_deliveries) \
    T(webhook_clock) T(advertisers) T(products) T(product_documents) T(offers) T(ads) T(orgs) \
    T(members) T(quiz_attempts) T(audience_attestations) T(trust_applications) T(certificates) \
    T(notices) T(notice_tags) T(notice_versions) T(network_members) T(notice_acks) T(users) T(sessions)

#define NT_COLUMN_LIST(C) \
    C(orgs, name) C(orgs, kind) C(orgs, platform) C(orgs, status) C(orgs, created_at) C(orgs, updated_at) \
    C(orgs, status_reason) C(orgs, status_by) C(orgs, status_at) \
    C(reports, reporter_key) C(reports, reporter_org) C(reports, reporter_contact) C(reports, subject_person) \
    C(reports, subject_platform) C(reports, subject_handle) C(reports, category) C(reports, description) C(reports, evidence) \
    C(reports, case_id) C(reports, received_at) \
    C(cases, person_id) C(cases, authority) C(cases, state) C(cases, opened_by) C(cases, own_initiative) C(cases, version) \
    C(cases, created_at) C(cases, updated_at) C(cases, opened_at) \
    C(decisions, number) C(decisions, case_id) C(decisions, person_id) C(decisions, amends) C(decisions, authority) \
    C(decisions, signer_name) C(decisions, signer_title) C(decisions, issued_by) C(decisions, issued_at) \
    C(decisions, outcome) C(decisions, body) C(decisions, appeal_deadline) C(decisions, publish) C(decisions, delist_at) \
    C(decisions, created_at) C(decisions, delisted_by) C(decisions, delist_reason) C(decisions, delist_legal_basis) \
    C(sanctions, decision_id) C(sanctions, person_id) C(sanctions, type) C(sanctions, scopes) C(sanctions, platforms) \
    C(sanctions, territory) C(sanctions, amount_vnd) C(sanctions, description) C(sanctions, start_at) C(sanctions, end_at) \
    C(sanctions, suspend_pending_appeal) C(sanctions, lifted_at) C(sanctions, lifted_by_decision) \
    C(sanctions, suspended_from) C(sanctions, suspended_until) C(sanctions, created_at) \
    C(appeals, decision_id) C(appeals, person_id) C(appeals, filed_by) C(appeals, grounds) C(appeals, state) \
    C(appeals, filed_at) C(appeals, reviewer) C(appeals, resolved_by) C(appeals, reasons) C(appeals, amending_decision) \
    C(appeals, resolved_at) C(appeals, updated_at) \
    C(webhooks, key_id) C(webhooks, org_id) C(webhooks, url) C(webhooks, events) C(webhooks, secret) C(webhooks, active) \
    C(webhooks, created_at) C(webhooks, push_p256dh) C(webhooks, person_id) \
    C(webhook_deliveries, webhook_id) C(webhook_deliveries, event) C(webhook_deliveries, payload) \
    C(webhook_deliveries, state) C(webhook_deliveries, attempts) C(webhook_deliveries, next_attempt_at) \
    C(webhook_deliveries, last_status) C(webhook_deliveries, last_error) C(webhook_deliveries, created_at) \
    C(webhook_deliveries, delivered_at) C(webhook_deliveries, payload_ref) \
    C(webhook_clock, scanned_at) \
    C(advertisers, org_id) C(advertisers, enterprise_code) C(advertisers, name) C(advertisers, status) \
    C(advertisers, status_reason) C(advertisers, status_legal_basis) C(advertisers, status_by) C(advertisers, status_at) \
    C(advertisers, created_at) C(advertisers, updated_at) \
    C(products, advertiser_id) C(products, name) C(products, category) C(products, recalled_at) C(products, recall_reason) \
    C(products, recall_source) C(products, recalled_by) C(products, created_at) C(products, updated_at) C(products, recall_lifted_at) \
    C(products, recall_lift_reason) C(products, recall_lifted_by) \
    C(product_documents, product_id) C(product_documents, type) C(product_documents, number) C(product_documents, issuer) \
    C(product_documents, valid_from) C(product_documents, valid_until) C(product_documents, sha256) \
    C(product_documents, created_at) C(product_documents, file_size) C(product_documents, file_type) \
    C(product_documents, supersedes) \
    C(offers, advertiser_id) C(offers, person_id) C(offers, product_id) C(offers, claims) C(offers, start_at) \
    C(offers, end_at) C(offers, platforms) C(offers, fee_vnd) C(offers, relationship) C(offers, state) \
    C(offers, confirmations) C(offers, decline_reason) C(offers, ad_id) C(offers, created_at) C(offers, updated_at) C(offers, withdraw_reason) \
    C(ads, code) C(ads, year) C(ads, seq) C(ads, offer_id) C(ads, advertiser_id) C(ads, person_id) C(ads, product_id) \
    C(ads, platforms) C(ads, start_at) C(ads, end_at) C(ads, label) C(ads, state) C(ads, state_reason) C(ads, created_at) \
    C(ads, updated_at) \
    C(members, kind) C(members, org_id) C(members, person_id) C(members, name) C(members, category) C(members, province) C(members, topics) C(members, statement) C(members, state) C(members, applied_by) C(members, applied_at) C(members, decided_by) C(members, decided_at) C(members, decision_reason) C(members, standards_version) C(members, standards_accepted_at) C(members, ended_at) C(members, end_reason) C(members, updated_at) \
    C(quiz_attempts, person_id) C(quiz_attempts, questions) C(quiz_attempts, started_at) C(quiz_attempts, submitted_at) C(quiz_attempts, correct) C(quiz_attempts, total) C(quiz_attempts, percent) C(quiz_attempts, passed) \
    C(audience_attestations, person_id) C(audience_attestations, platform) C(audience_attestations, handle) C(audience_attestations, followers) C(audience_attestations, suspicious_percent) C(audience_attestations, period) C(audience_attestations, attested_by) C(audience_attestations, org_id) C(audience_attestations, created_at) \
    C(trust_applications, person_id) C(trust_applications, state) C(trust_applications, requirements) C(trust_applications, scores) C(trust_applications, scoring_version) C(trust_applications, reviewer_key) C(trust_applications, reviewer_org) C(trust_applications, review) C(trust_applications, total) C(trust_applications, certificate_id) C(trust_applications, created_at) C(trust_applications, updated_at) \
    C(certificates, person_id) C(certificates, application_id) C(certificates, status_index) C(certificates, status) C(certificates, status_reason) C(certificates, status_at) C(certificates, status_decision) C(certificates, valid_from) C(certificates, valid_until) C(certificates, scoring_version) C(certificates, score) C(certificates, credential) C(certificates, credential_sha256) C(certificates, supersedes) C(certificates, created_at) C(certificates, updated_at) \
    C(notices, version) C(notices, kind) C(notices, state) C(notices, issuer_org) C(notices, issuer_key) C(notices, content) C(notices, content_sha256) C(notices, severity) C(notices, valid_until) C(notices, published_at) C(notices, updated_at) C(notices, withdrawn_at) C(notices, withdraw_reason) \
    C(notice_tags, notice_id) C(notice_tags, tag) C(notice_tags, value) C(notice_tags, active) \
    C(notice_versions, notice_id) C(notice_versions, version) C(notice_versions, content) C(notice_versions, changes) C(notice_versions, key_id) C(notice_versions, created_at) \
    C(network_members, kind) C(network_members, person_id) C(network_members, org_id) C(network_members, topics) C(network_members, provinces) C(network_members, channels) C(network_members, webhook_id) C(network_members, created_at) C(network_members, updated_at) \
    C(notice_acks, notice_id) C(notice_acks, member_id) C(notice_acks, province) C(notice_acks, topic) C(notice_acks, channel) C(notice_acks, queued_at) C(notice_acks, received_at) C(notice_acks, read_at) C(notice_acks, shared_at) C(notice_acks, shared_link) \
    C(users, login) C(users, name) C(users, role) C(users, org_id) C(users, person_id) C(users, pwhash) C(users, password_at) C(users, totp_secret) C(users, totp_pending) C(users, totp_at) C(users, totp_step) C(users, failed) C(users, failed_at) C(users, locked_until) C(users, disabled_at) C(users, disabled_reason) C(users, created_by) C(users, created_at) C(users, updated_at) \
    C(sessions, user_id) C(sessions, stage) C(sessions, client) C(sessions, created_at) C(sessions, seen_at) C(sessions, ended_at) C(sessions, end_reason)
// clang-format on

typedef enum nt_table {
#define NT__T(t) NT_T_##t,
    NT_TABLE_LIST(NT__T)
#undef NT__T
        NT_TABLE_COUNT
} nt_table;

typedef enum nt_col {
    NT_COL_NONE = 0,
#define NT__C(t, c) NT_C_##t##_##c,
    NT_COLUMN_LIST(NT__C)
#undef NT__C
        NT_COL_COUNT
} nt_col;

/** The column `c` of table `t`: COL(decisions, number). */
#define COL(t, c) NT_C_##t##_##c

/** SQL names, and the table a column belongs to. */
const char *nt_table_name(nt_table t);
const char *nt_col_name(nt_col c);
nt_table nt_col_table(nt_col c);

#endif
