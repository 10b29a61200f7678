/* SQLite backend: the named reads of web users and their sessions. Their writes are generic rows
 * (sqlite_rows.c), but for ending every session of a user at once. */
#include "store/sqlite_int.h"
#include <stddef.h>

/* A user as shown (never the password's hash or the second factor's secret). */
#define USER_SHOWN                                                                                                                 \
    "u.id, u.login, u.name, u.role, u.org_id, u.person_id, u.password_at, u.totp_at, u.failed, u.locked_until, "                   \
    "u.disabled_at, u.disabled_reason, u.created_by, u.created_at, u.updated_at, o.name AS org_name"

const nt__sq_named nt__sq_queries_users[] = {
    {NT_Q_user_get, "SELECT " USER_SHOWN " FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = ?"},
    /* For signing in: the hash and the second factor too. */
    {NT_Q_user_by_login, "SELECT u.*, o.status AS org_status FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.login = ?"},
    /* ?1 after id, ?2 limit, ?3 organisation (NULL: any). */
    {NT_Q_users_page, "SELECT " USER_SHOWN " FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id > ?1 "
                      "AND (?3 IS NULL OR u.org_id = ?3) ORDER BY u.id LIMIT ?2"},
    /* A session with what the request acts as: its user, role and organisation. */
    {NT_Q_session_get,
     "SELECT s.id, s.user_id, s.stage, s.created_at, s.seen_at, s.ended_at, u.login, u.name, u.role, u.org_id, u.person_id, "
     "u.disabled_at, u.totp_pending, o.status AS org_status, o.platform, o.name AS org_name "
     "FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN orgs o ON o.id = u.org_id WHERE s.id = ?"},
    {NT_Q_user_sessions, "SELECT id, stage, client, created_at, seen_at FROM sessions WHERE user_id = ? AND ended_at IS NULL "
                         "ORDER BY created_at DESC LIMIT 50"},
    /* Named write: ?1 user, ?2 the time, ?3 why; every session of the user still open ends. */
    {NT_Q_sessions_end_user, "UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE user_id = ?1 AND ended_at IS NULL"},
    {NT_Q_sessions_end_others,
     "UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE user_id = ?1 AND id <> ?4 AND ended_at IS NULL"},
    {NT_QUERY_COUNT, NULL},
};
#undef USER_SHOWN
