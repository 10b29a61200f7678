/* SQLite backend: the named reads of the due-process tables (reports, cases, decisions, sanctions,
 * appeals, and what recommendations count). Their writes are generic rows (sqlite_rows.c). */
#include "store/sqlite_int.h"
#include <stddef.h>

/* The named reads of reports, cases, decisions, sanctions and appeals. */
const nt__sq_named nt__sq_queries_cases[] = {
    {NT_Q_report_get, "SELECT * FROM reports WHERE id = ?"},
    {NT_Q_reports_by_key, "SELECT * FROM reports WHERE reporter_key = ? AND id > ? ORDER BY id LIMIT ?"},
    {NT_Q_reports_all, "SELECT * FROM reports WHERE id > ? ORDER BY id LIMIT ?"},
    {NT_Q_case_get, "SELECT * FROM cases WHERE id = ?"},
    {NT_Q_case_reports, "SELECT id FROM reports WHERE case_id = ? ORDER BY id"},
    {NT_Q_case_decisions, "SELECT id, number, outcome, issued_at, amends FROM decisions WHERE case_id = ? ORDER BY issued_at, id"},
    {NT_Q_cases_all, "SELECT * FROM cases WHERE id > ? ORDER BY id LIMIT ?"},
    /* Inboxes: pages by id after ?1, each filter NULL for "any", ?last the page size. */
    {NT_Q_cases_page, "SELECT * FROM cases WHERE id > ?1 AND (?2 IS NULL OR state = ?2) AND (?3 IS NULL OR person_id = ?3) "
                      "AND (?4 IS NULL OR opened_by = ?4) ORDER BY id LIMIT ?5"},
    {NT_Q_reports_page, "SELECT * FROM reports WHERE id > ?1 AND (?2 IS NULL OR reporter_key = ?2) "
                        "AND (?3 IS NULL OR (case_id IS NULL) = ?3) ORDER BY id LIMIT ?4"},
    {NT_Q_appeals_page, "SELECT a.*, d.number AS decision_number FROM appeals a JOIN decisions d ON d.id = a.decision_id "
                        "WHERE a.id > ?1 AND (?2 IS NULL OR a.person_id = ?2) AND (?3 IS NULL OR a.state = ?3) "
                        "AND (?4 IS NULL OR a.filed_at < ?4) ORDER BY a.id LIMIT ?5"},
    /* ?7: 1 for a caller who sees published decisions only (and ?9's own person's, for a kol). */
    {NT_Q_decisions_page, "SELECT id, number, case_id, person_id, amends, authority, issued_at, outcome, appeal_deadline, "
                          "publish, delist_at FROM decisions WHERE id > ?1 AND (?2 IS NULL OR person_id = ?2) "
                          "AND (?3 IS NULL OR number = ?3) AND (?4 IS NULL OR publish = ?4) AND (?5 IS NULL OR issued_at >= ?5) "
                          "AND (?6 IS NULL OR issued_at < ?6) AND (?7 = 0 OR person_id = ?9 OR (publish = 1 "
                          "AND (delist_at IS NULL OR delist_at > ?8))) ORDER BY id LIMIT ?10"},
    {NT_Q_decision_get, "SELECT * FROM decisions WHERE id = ?"},
    /* Transparency numbers (service/transparency.c): what happened in [?1, ?2). */
    {NT_Q_tr_reports, "SELECT r.received_at, r.category, r.reporter_key, coalesce(k.role, u.role) AS role FROM reports r "
                      "LEFT JOIN api_keys k ON k.id = r.reporter_key LEFT JOIN users u ON u.id = r.reporter_key "
                      "WHERE r.received_at >= ?1 AND r.received_at < ?2"},
    {NT_Q_tr_decisions, "SELECT d.issued_at, d.outcome, d.authority, d.body, d.amends, "
                        "(SELECT min(r.received_at) FROM reports r WHERE r.case_id = d.case_id) AS reported_at "
                        "FROM decisions d WHERE d.issued_at >= ?1 AND d.issued_at < ?2"},
    {NT_Q_tr_sanctions,
     "SELECT d.issued_at, s.type, s.scopes, s.amount_vnd FROM sanctions s JOIN decisions d ON d.id = s.decision_id "
     "WHERE d.issued_at >= ?1 AND d.issued_at < ?2"},
    {NT_Q_tr_appeals, "SELECT filed_at, state, resolved_at FROM appeals WHERE (filed_at >= ?1 AND filed_at < ?2) "
                      "OR (resolved_at >= ?1 AND resolved_at < ?2)"},
    {NT_Q_tr_restrictions, "SELECT start_at, end_at, lifted_at, suspended_from, suspended_until FROM sanctions "
                           "WHERE type IN ('appearance_restriction', 'advertising_ban') AND start_at < ?2 "
                           "AND (end_at IS NULL OR end_at > ?1) AND (lifted_at IS NULL OR lifted_at > ?1)"},
    {NT_Q_tr_events, "SELECT l.type, l.at, r.record FROM log_entries l LEFT JOIN log_records r ON r.idx = l.idx "
                     "WHERE l.at >= ?1 AND l.at < ?2 AND (l.type LIKE 'certificate.%' OR l.type LIKE 'notice.%' "
                     "OR l.type LIKE 'ad.%')"},
    /* Decisions withdrawn from publication, latest first (the decisions feed). */
    {NT_Q_decisions_delisted, "SELECT id, number, delist_at, delist_reason, delist_legal_basis FROM decisions "
                              "WHERE delisted_by IS NOT NULL ORDER BY delist_at DESC, id LIMIT ?"},
    {NT_Q_decision_by_number, "SELECT id FROM decisions WHERE number = ?"},
    {NT_Q_decision_sanctions, "SELECT * FROM sanctions WHERE decision_id = ? ORDER BY id"},
    {NT_Q_decision_appeals, "SELECT * FROM appeals WHERE decision_id = ? ORDER BY filed_at"},
    {NT_Q_decisions_published, "SELECT * FROM decisions WHERE publish = 1 AND id > ? ORDER BY id LIMIT ?"},
    {NT_Q_sanction_get, "SELECT * FROM sanctions WHERE id = ?"},
    {NT_Q_sanctions_person, "SELECT * FROM sanctions WHERE person_id = ? ORDER BY start_at, id"},
    /* Every restricting sanction that has not ended, with what the check answers with. */
    {NT_Q_sanctions_restricting,
     "SELECT s.id, s.decision_id, s.person_id, s.type, s.scopes, s.platforms, s.territory, s.start_at, s.end_at, s.lifted_at, "
     "s.suspended_from, s.suspended_until, s.suspend_pending_appeal, d.number AS decision_number, d.authority, "
     "d.publish, d.delist_at, p.legal_name FROM sanctions s JOIN decisions d ON d.id = s.decision_id "
     "JOIN persons p ON p.id = s.person_id "
     "WHERE s.type IN ('appearance_restriction', 'advertising_ban') AND (s.end_at IS NULL OR s.end_at > ?) "
     "AND (s.lifted_at IS NULL OR s.lifted_at > ?) ORDER BY s.id"},
    {NT_Q_sanction_restricting,
     "SELECT s.id, s.decision_id, s.person_id, s.type, s.scopes, s.platforms, s.territory, s.start_at, s.end_at, s.lifted_at, "
     "s.suspended_from, s.suspended_until, s.suspend_pending_appeal, d.number AS decision_number, d.authority, "
     "d.publish, d.delist_at, p.legal_name FROM sanctions s JOIN decisions d ON d.id = s.decision_id "
     "JOIN persons p ON p.id = s.person_id WHERE s.id = ?"},
    {NT_Q_appeal_get, "SELECT * FROM appeals WHERE id = ?"},
    {NT_Q_violations_all, "SELECT person_id, id, number, issued_at FROM decisions WHERE outcome = 'violation' AND amends IS NULL "
                          "ORDER BY person_id, issued_at"},
    {NT_Q_temporary_restrictions_all, "SELECT person_id, count(*) AS n FROM sanctions WHERE type = 'appearance_restriction' "
                                      "AND lifted_by_decision IS NULL GROUP BY person_id"},
    {NT_QUERY_COUNT, NULL},
};
