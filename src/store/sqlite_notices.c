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
// clang-format off
/* A member's channel: by webhook when it chose that channel and named its subscription, else by
 * browser push when it chose that, else by feed. */
#define MEMBER_CHANNEL(m) \
    "CASE WHEN " m "webhook_id IS NOT NULL AND instr(" m "channels, '\"webhook\"') > 0 THEN 'webhook' " \
    "WHEN instr(" m "channels, '\"push\"') > 0 THEN 'push' ELSE 'feed' END"
/* The first of a member's topics (provinces) that a notice has, the group it is counted in. */
#define SHARED_TAG(m, list, tag) \
    "(SELECT x.value FROM json_each(" m list ") x WHERE x.value IN (SELECT g.value FROM notice_tags g WHERE " \
    "g.notice_id = n.id AND g.tag = '" tag "' AND g.active = 1) LIMIT 1)"
    {NT_Q_notice_ack_of, "SELECT * FROM notice_acks WHERE notice_id = ? AND member_id = ?"},
    /* Whether notice ?1 reached member ?2 (it joined before the notice was published and shares a
     * topic and a province with it), and the group it was counted in. */
    {NT_Q_notice_reaches_member,
     "SELECT * FROM (SELECT n.published_at AS queued_at, "
     SHARED_TAG("m.", "topics", "topic") " AS topic, "
     SHARED_TAG("m.", "provinces", "province") " AS province, "
     MEMBER_CHANNEL("m.") " AS channel "
     "FROM notices n, network_members m WHERE n.id = ?1 AND m.id = ?2 AND n.published_at >= m.created_at) r "
     "WHERE topic IS NOT NULL AND province IS NOT NULL"},
    {NT_Q_member_acks, "SELECT id FROM notice_acks WHERE member_id = ?"},
    /* ?1 member, ?2 limit: the notices of its topics and provinces since it joined, newest first. */
    {NT_Q_member_inbox,
     "SELECT n.id AS notice_id, " MEMBER_CHANNEL("m.") " AS channel, n.published_at AS queued_at, "
     "a.received_at, a.read_at, a.shared_at, n.kind, n.state, n.version, n.severity "
     "FROM network_members m JOIN notices n ON n.published_at >= m.created_at "
     "LEFT JOIN notice_acks a ON a.notice_id = n.id AND a.member_id = m.id "
     "WHERE m.id = ?1 AND " SHARED_TAG("m.", "topics", "topic") " IS NOT NULL "
     "AND " SHARED_TAG("m.", "provinces", "province") " IS NOT NULL "
     "ORDER BY n.published_at DESC, n.id DESC LIMIT ?2"},
    {NT_Q_notice_reach,
     "SELECT r.province, r.topic, r.channel, r.members AS delivered, count(a.received_at) AS received, "
     "count(a.read_at) AS read, count(a.shared_at) AS shared FROM notice_reach r "
     "LEFT JOIN notice_acks a ON a.notice_id = r.notice_id AND a.province = r.province AND a.topic = r.topic "
     "AND a.channel = r.channel WHERE r.notice_id = ? "
     "GROUP BY r.province, r.topic, r.channel, r.members ORDER BY r.province, r.topic, r.channel"},
    {NT_Q_notice_read_times, "SELECT queued_at, read_at FROM notice_acks WHERE notice_id = ? AND read_at IS NOT NULL"},
    /* Named writes, run in a notice's own write (nt_tx_named): its fan-out, made in the database
     * in bulk, with no row per member but its webhook delivery. ?1 notice, ?2 its topics, ?3 its
     * provinces (JSON arrays; NULL for a notice to every province, whose members need no look at
     * theirs: a member's first province is then the first it shares), ?4 the time. The members it
     * reaches, counted per group: the first of a member's topics and provinces the notice has,
     * and its channel. MATERIALIZED: each member's group is found once, not again for the
     * grouping (6 → 3 s at a million). */
    {NT_Q_notice_fan_out,
     "INSERT INTO notice_reach (notice_id, province, topic, channel, members) "
     "WITH m AS MATERIALIZED (SELECT "
     "(SELECT t.value FROM json_each(topics) t WHERE t.value IN (SELECT value FROM json_each(?2)) LIMIT 1) AS topic, "
     "CASE WHEN CAST(?3 AS TEXT) IS NULL THEN (SELECT f.value FROM json_each(provinces) f WHERE f.key = 0) ELSE (SELECT p.value FROM json_each(provinces) p "
     "WHERE p.value IN (SELECT value FROM json_each(?3)) LIMIT 1) END AS province, "
     MEMBER_CHANNEL("") " AS channel FROM network_members WHERE created_at <= ?4) "
     "SELECT ?1, province, topic, channel, count(*) FROM m WHERE topic IS NOT NULL AND province IS NOT NULL "
     "GROUP BY province, topic, channel"},
    /* ?1 the shared payload's id, ?2 the payload without its id (each delivery's is put in front). */
    {NT_Q_webhook_payload_put, "INSERT INTO webhook_payloads (id, body) VALUES (?1, ?2)"},
    /* ?1 notice, ?2 the shared payload's id, ?3 the time, ?4 topics, ?5 provinces (NULL: all): a
     * delivery through the outbox for each member by webhook, sharing the payload. */
    {NT_Q_notice_fan_out_hooks,
     "INSERT INTO webhook_deliveries (id, webhook_id, event, payload, payload_ref, state, attempts, next_attempt_at, "
     "created_at) SELECT 'wd_' || ?1 || ':' || printf('%010d', rowid), webhook_id, 'notice.published', '', ?2, "
     "'pending', 0, ?3, ?3 FROM network_members WHERE " MEMBER_CHANNEL("") " = 'webhook' AND created_at <= ?3 "
     "AND EXISTS (SELECT 1 FROM json_each(topics) t WHERE t.value IN (SELECT value FROM json_each(?4))) "
     "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(provinces) p WHERE p.value IN (SELECT value FROM json_each(?5)))) "
     "ORDER BY rowid"},
    /* ?1 notice, ?2 the shared payload's id, ?3 the time, ?4 topics, ?5 provinces (NULL: all): a
     * delivery through the outbox to each browser subscribed by a member who chose push (the
     * person's own browsers, or the organisation's), sharing the payload. */
    {NT_Q_notice_fan_out_push,
     "INSERT INTO webhook_deliveries (id, webhook_id, event, payload, payload_ref, state, attempts, next_attempt_at, "
     "created_at) SELECT 'wd_' || ?1 || ':p' || printf('%010d', row_number() OVER (ORDER BY m.rowid, w.id)), w.id, "
     "'notice.published', '', ?2, 'pending', 0, ?3, ?3 FROM network_members m JOIN webhooks w ON w.push_p256dh IS NOT NULL "
     "AND w.active = 1 AND ((m.person_id IS NOT NULL AND w.person_id = m.person_id) OR (m.org_id IS NOT NULL AND w.org_id = m.org_id)) "
     "WHERE instr(m.channels, '\"push\"') > 0 AND m.created_at <= ?3 "
     "AND EXISTS (SELECT 1 FROM json_each(m.topics) t WHERE t.value IN (SELECT value FROM json_each(?4))) "
     "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(m.provinces) p WHERE p.value IN (SELECT value FROM json_each(?5)))) "
     "ORDER BY m.rowid, w.id"},
    // clang-format on
    {NT_Q_notice_reached, "SELECT coalesce(sum(members), 0) AS n FROM notice_reach WHERE notice_id = ?"},
    {NT_Q_webhook_of, "SELECT id, key_id, org_id, active, events FROM webhooks WHERE id = ?"},
    {NT_QUERY_COUNT, NULL},
};

/* The same two fan-outs as PostgreSQL spells them: no rowid (members in the order they joined) and
 * lpad() for printf(). */
// clang-format off
const nt__sq_named nt__sq_queries_pg[] = {
    {NT_Q_notice_fan_out_hooks,
     "INSERT INTO webhook_deliveries (id, webhook_id, event, payload, payload_ref, state, attempts, next_attempt_at, "
     "created_at) SELECT 'wd_' || ?1 || ':' || lpad((row_number() OVER (ORDER BY created_at, id))::text, 10, '0'), "
     "webhook_id, 'notice.published', '', ?2, "
     "'pending', 0, ?3, ?3 FROM network_members WHERE " MEMBER_CHANNEL("") " = 'webhook' AND created_at <= ?3 "
     "AND EXISTS (SELECT 1 FROM json_each(topics) t WHERE t.value IN (SELECT value FROM json_each(?4))) "
     "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(provinces) p WHERE p.value IN (SELECT value FROM json_each(?5)))) "
     "ORDER BY created_at, id"},
    {NT_Q_notice_fan_out_push,
     "INSERT INTO webhook_deliveries (id, webhook_id, event, payload, payload_ref, state, attempts, next_attempt_at, "
     "created_at) SELECT 'wd_' || ?1 || ':p' || lpad((row_number() OVER (ORDER BY m.created_at, m.id, w.id))::text, 10, '0'), "
     "w.id, 'notice.published', '', ?2, 'pending', 0, ?3, ?3 FROM network_members m JOIN webhooks w ON w.push_p256dh IS NOT NULL "
     "AND w.active = 1 AND ((m.person_id IS NOT NULL AND w.person_id = m.person_id) OR (m.org_id IS NOT NULL AND w.org_id = m.org_id)) "
     "WHERE instr(m.channels, '\"push\"') > 0 AND m.created_at <= ?3 "
     "AND EXISTS (SELECT 1 FROM json_each(m.topics) t WHERE t.value IN (SELECT value FROM json_each(?4))) "
     "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(m.provinces) p WHERE p.value IN (SELECT value FROM json_each(?5)))) "
     "ORDER BY m.created_at, m.id, w.id"},
    {NT_QUERY_COUNT, NULL},
};
// clang-format on
#undef MEMBER_CHANNEL
#undef SHARED_TAG
