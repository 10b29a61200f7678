/* SQLite backend: the named reads of verified notices and the trusted network. Their writes are
 * generic rows (sqlite_rows.c). */
#include "store/sqlite_int.h"
#include <stddef.h>

const nt__sq_named nt__sq_queries_notices[] = {
    {NT_Q_notice_get, "SELECT n.*, o.name AS issuer_name FROM notices n JOIN orgs o ON o.id = n.issuer_org WHERE n.id = ?"},
    /* ?1 state (NULL: any), ?2 kind, ?3 topic, ?4 province, ?5 after id, ?6 limit. */
    {NT_Q_notices_page,
     "SELECT n.*, o.name AS issuer_name FROM notices n JOIN orgs o ON o.id = n.issuer_org WHERE (?1 IS NULL OR n.state = ?1) "
     "AND (?2 IS NULL OR n.kind = ?2) AND (?3 IS NULL OR EXISTS (SELECT 1 FROM notice_tags t WHERE t.notice_id = n.id "
     "AND t.tag = 'topic' AND t.value = ?3 AND t.active = 1)) AND (?4 IS NULL OR EXISTS (SELECT 1 FROM notice_tags t "
     "WHERE t.notice_id = n.id AND t.tag = 'province' AND t.value = ?4 AND t.active = 1)) AND n.id > ?5 ORDER BY n.id LIMIT ?6"},
    /* The newest first, for feeds: ?1 topic, ?2 province (NULL: any), ?3 limit. */
    {NT_Q_notices_feed,
     "SELECT n.*, o.name AS issuer_name FROM notices n JOIN orgs o ON o.id = n.issuer_org WHERE (?1 IS NULL OR EXISTS "
     "(SELECT 1 FROM notice_tags t WHERE t.notice_id = n.id AND t.tag = 'topic' AND t.value = ?1 AND t.active = 1)) AND "
     "(?2 IS NULL OR EXISTS (SELECT 1 FROM notice_tags t WHERE t.notice_id = n.id AND t.tag = 'province' AND t.value = ?2 "
     "AND t.active = 1)) ORDER BY n.updated_at DESC, n.id DESC LIMIT ?3"},
    {NT_Q_notice_versions, "SELECT version, changes, key_id, created_at FROM notice_versions WHERE notice_id = ? ORDER BY version"},
    {NT_Q_notice_tags, "SELECT id, tag, value FROM notice_tags WHERE notice_id = ? AND active = 1"},
    {NT_Q_persons_by_key, "SELECT id FROM persons WHERE search_key = ?"},
    {NT_Q_person_published_decision, "SELECT id FROM decisions WHERE person_id = ?1 AND publish = 1 AND (delist_at IS NULL "
                                     "OR delist_at > ?2) LIMIT 1"},
    {NT_Q_network_member_person, "SELECT * FROM network_members WHERE person_id = ?"},
    {NT_Q_network_member_org, "SELECT * FROM network_members WHERE org_id = ?"},
    {NT_Q_notice_delivery_of, "SELECT * FROM notice_deliveries WHERE notice_id = ? AND member_id = ?"},
    {NT_Q_member_deliveries, "SELECT id FROM notice_deliveries WHERE member_id = ?"},
    {NT_Q_member_inbox, "SELECT d.notice_id, d.channel, d.queued_at, d.received_at, d.read_at, d.shared_at, n.kind, n.state, "
                        "n.version, n.severity FROM notice_deliveries d JOIN notices n ON n.id = d.notice_id "
                        "WHERE d.member_id = ? ORDER BY d.queued_at DESC, d.id DESC LIMIT ?"},
    {NT_Q_notice_reach, "SELECT province, topic, channel, count(*) AS delivered, count(received_at) AS received, count(read_at) "
                        "AS read, count(shared_at) AS shared FROM notice_deliveries WHERE notice_id = ? "
                        "GROUP BY province, topic, channel ORDER BY province, topic, channel"},
    {NT_Q_notice_read_times, "SELECT queued_at, read_at FROM notice_deliveries WHERE notice_id = ? AND read_at IS NOT NULL"},
    /* Named writes, run in a notice's own write (nt_tx_named): its fan-out, made in the database in
     * bulk. ?1 notice, ?2 its topics, ?3 its provinces (JSON arrays), ?4 the time. A member gets
     * one row: the first topic and province it shares with the notice, by webhook when it chose
     * that channel and named its subscription. */
    {NT_Q_notice_fan_out,
     "INSERT INTO notice_deliveries (notice_id, member_id, province, topic, channel, webhook_delivery, queued_at) "
     "SELECT ?1, m.id, m.province, m.topic, CASE WHEN m.hook THEN 'webhook' ELSE "
     "'feed' END, CASE WHEN m.hook THEN 'wd_' || ?1 || ':' || printf('%010d', m.rowid) END, ?4 FROM (SELECT rowid, id, "
     "(SELECT t.value FROM json_each(topics) t WHERE t.value IN (SELECT value FROM json_each(?2)) LIMIT 1) AS topic, "
     "(SELECT p.value FROM json_each(provinces) p WHERE p.value IN (SELECT value FROM json_each(?3)) LIMIT 1) AS province, "
     "webhook_id IS NOT NULL AND instr(channels, '\"webhook\"') > 0 AS hook FROM network_members) m "
     "WHERE m.topic IS NOT NULL AND m.province IS NOT NULL ORDER BY m.rowid"},
    /* ?1 notice, ?2 the webhook payload without its id (each delivery's is put in front), ?3 the time. */
    {NT_Q_notice_fan_out_hooks,
     "INSERT INTO webhook_deliveries (id, webhook_id, event, payload, state, attempts, next_attempt_at, created_at) "
     "SELECT d.webhook_delivery, m.webhook_id, 'notice.published', '{\"id\":\"' || d.webhook_delivery || '\",' || substr(?2, 2), "
     "'pending', 0, ?3, "
     "?3 FROM notice_deliveries d JOIN network_members m ON m.id = d.member_id WHERE d.notice_id = ?1 "
     "AND d.webhook_delivery IS NOT NULL ORDER BY d.id"},
    {NT_Q_notice_reached, "SELECT count(*) AS n FROM notice_deliveries WHERE notice_id = ?"},
    {NT_Q_webhook_of, "SELECT id, key_id, org_id, active, events FROM webhooks WHERE id = ?"},
    {NT_QUERY_COUNT, NULL},
};
