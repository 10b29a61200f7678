/* SQLite backend: the named reads of the trust programme (members, quiz attempts, audience figures,
 * applications and certificates). Their writes are generic rows (sqlite_rows.c). */
#include "store/sqlite_int.h"
#include <stddef.h>

const nt__sq_named nt__sq_queries_trust[] = {
    {NT_Q_org_get, "SELECT * FROM orgs WHERE id = ?"},
    {NT_Q_key_org, "SELECT id, role, org_id, person_id FROM api_keys WHERE id = ?"},
    {NT_Q_member_get, "SELECT * FROM members WHERE id = ?"},
    {NT_Q_member_open_org, "SELECT * FROM members WHERE org_id = ? AND state IN ('applied', 'admitted')"},
    {NT_Q_member_open_person, "SELECT * FROM members WHERE person_id = ? AND state IN ('applied', 'admitted')"},
    /* ?1 state, ?2 kind, ?3 category, ?4 province, ?5 topic, ?6 after id. */
    {NT_Q_members_list, "SELECT * FROM members WHERE state = ?1 AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR category = ?3) "
                        "AND (?4 IS NULL OR province = ?4) AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(members.topics) "
                        "WHERE value = ?5)) AND id > ?6 ORDER BY id"},
    {NT_Q_quiz_get, "SELECT * FROM quiz_attempts WHERE id = ?"},
    {NT_Q_quiz_recent, "SELECT count(*) AS n, min(started_at) AS first FROM quiz_attempts WHERE person_id = ? AND started_at > ?"},
    {NT_Q_quiz_best, "SELECT max(percent) AS percent FROM quiz_attempts WHERE person_id = ? AND passed = 1 AND submitted_at > ?"},
    {NT_Q_person_trust, "SELECT p.id, p.legal_name, p.kind, p.province, p.created_by, k.role AS created_role, "
                        "k.org_id AS created_org FROM persons p LEFT JOIN api_keys k ON k.id = p.created_by WHERE p.id = ?"},
    {NT_Q_person_attested, "SELECT platform, handle, display_handle, verified_by, followers FROM accounts WHERE person_id = ? "
                           "ORDER BY platform, handle"},
    /* Decided violations not overturned or replaced on appeal; heavier: sanctions beyond a warning. */
    {NT_Q_person_violations, "SELECT d.id, d.number, d.issued_at, k.org_id AS issued_org, (SELECT count(*) FROM sanctions s "
                             "WHERE s.decision_id = d.id AND s.type != 'warning') AS heavier FROM decisions d "
                             "LEFT JOIN api_keys k ON k.id = d.issued_by WHERE d.person_id = ? AND d.outcome = 'violation' "
                             "AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.decision_id = d.id "
                             "AND a.state IN ('overturned', 'modified')) ORDER BY d.issued_at"},
    {NT_Q_person_ads_summary,
     "SELECT count(*) AS total, coalesce(sum(CASE WHEN state = 'suspended' AND state_reason "
     "LIKE '%restricted from advertising%' THEN 1 ELSE 0 END), 0) AS own_cause FROM ads WHERE person_id = ?"},
    /* Each account's latest figures since ?2. */
    {NT_Q_audience_latest, "SELECT * FROM audience_attestations a WHERE person_id = ?1 AND created_at > ?2 AND created_at = "
                           "(SELECT max(created_at) FROM audience_attestations b WHERE b.person_id = a.person_id "
                           "AND b.platform = a.platform AND b.handle = a.handle) ORDER BY platform, handle"},
    {NT_Q_application_get, "SELECT * FROM trust_applications WHERE id = ?"},
    {NT_Q_application_open, "SELECT * FROM trust_applications WHERE person_id = ? AND state = 'awaiting_review'"},
    /* ?1 person (NULL: any), ?2 state (NULL: any), ?3 after id, ?4 limit. */
    {NT_Q_applications_page, "SELECT * FROM trust_applications WHERE (?1 IS NULL OR person_id = ?1) AND (?2 IS NULL OR state = ?2) "
                             "AND id > ?3 ORDER BY id LIMIT ?4"},
    {NT_Q_certificate_get, "SELECT c.*, p.legal_name FROM certificates c JOIN persons p ON p.id = c.person_id WHERE c.id = ?"},
    {NT_Q_certificate_current, "SELECT * FROM certificates WHERE person_id = ? AND status != 'superseded' "
                               "ORDER BY created_at DESC, id DESC LIMIT 1"},
    {NT_Q_certificate_successor, "SELECT id FROM certificates WHERE supersedes = ?"},
    {NT_Q_certificates_open, "SELECT id, person_id, status, status_reason, status_decision, valid_until FROM certificates "
                             "WHERE status IN ('active', 'suspended') ORDER BY id"},
    {NT_Q_certificate_revocations, "SELECT s.*, c.id AS certificate_id, d.number AS decision_number FROM sanctions s "
                                   "JOIN certificates c ON c.person_id = s.person_id AND c.status IN ('active', 'suspended') "
                                   "JOIN decisions d ON d.id = s.decision_id WHERE s.type = 'certificate_revocation'"},
    {NT_Q_certificates_flagged, "SELECT status_index, status FROM certificates WHERE status IN ('suspended', 'revoked', "
                                "'superseded')"},
    {NT_Q_certificates_next_index, "SELECT coalesce(max(status_index), -1) + 1 AS n FROM certificates"},
    {NT_Q_certificates_current_all, "SELECT id, person_id, status, valid_until FROM certificates WHERE status != 'superseded' "
                                    "ORDER BY person_id, created_at"},
    /* ?1 status (NULL: any; 'active' and 'expired' by ?7, the time now), ?2 province, ?3 folded name pattern, ?4 handle or
     * platform:handle, ?5 topic, ?6 after id, ?7 now, ?8 limit. */
    {NT_Q_certificates_directory,
     "SELECT c.id, c.person_id, c.status, c.valid_from, c.valid_until, c.score, p.legal_name, p.province, m.topics "
     "FROM certificates c JOIN persons p ON p.id = c.person_id LEFT JOIN members m ON m.person_id = c.person_id "
     "AND m.state = 'admitted' WHERE c.status != 'superseded' AND (?1 IS NULL OR (?1 = 'active' AND c.status = 'active' "
     "AND c.valid_until > ?7) OR (?1 = 'expired' AND (c.status = 'expired' OR (c.status = 'active' AND c.valid_until <= ?7))) "
     "OR (?1 NOT IN ('active', 'expired') AND c.status = ?1)) AND (?2 IS NULL OR p.province = ?2) "
     "AND (?3 IS NULL OR p.search_key LIKE ?3) AND (?4 IS NULL OR c.person_id IN (SELECT person_id FROM accounts "
     "WHERE handle = ?4 OR platform || ':' || handle = ?4)) AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(m.topics) "
     "WHERE value = ?5)) AND c.id > ?6 ORDER BY c.id LIMIT ?8"},
    {NT_QUERY_COUNT, NULL},
};
