/* People who sign in to the web pages (docs/ACCOUNTS.md): users with passwords (argon2id) who
 * belong to an organisation with the same roles as API keys (a kol user to their person), their
 * sessions, and a second factor (TOTP) that regulators, programme reviewers and admins must use.
 * API keys stay for machines. Every sign-in, failed or not, and every change to a user is
 * audited; nothing of it is logged in the public log. */
#ifndef NT_SERVICE_USERS_H
#define NT_SERVICE_USERS_H
#include "core/totp.h"
#include "service/service.h"

#define NT_SESSION_TOKEN  64 /* hex characters of the secret in a session's cookie */
#define NT_LOGIN_FAILURES 5  /* failed sign-ins in a row that lock a login */
#define NT_LOGIN_LOCK_S   (15 * 60)
#define NT_SESSION_IDLE_S (30 * 60)      /* default: a session not used for this long ends */
#define NT_SESSION_MAX_S  (12 * 60 * 60) /* default: and any session after this long */
#define NT_SESSION_STEP_S (10 * 60)      /* a sign-in half done (its second factor to give) */

typedef enum nt_session_stage {
    NT_SESSION_CODE,  /* the password was right; the second factor's code is to give */
    NT_SESSION_ENROL, /* the password was right; a second factor is to set up first */
    NT_SESSION_FULL,
} nt_session_stage;

/** A session, as a request acts through it. actor.key_id is the user's id (what audit rows show). */
typedef struct nt_session {
    char id[NT_ID_LEN];
    nt_session_stage stage;
    nt_actor actor;
    char user_id[NT_ID_LEN];
    char login[128];
    char name[160];
    char org_name[160];
    char pending[NT_TOTP_B32]; /* NT_SESSION_ENROL: the secret offered to set up */
} nt_session;

/** Whether a role must give a second factor (regulators, programme reviewers, admins). */
bool nt_role_needs_totp(nt_role role);

/** Creates a user: {login, name, role, org_id | person_id}. out has "password", shown this once. */
int nt_svc_user_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err);
int nt_svc_user_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);
/** A user with their open sessions. */
int nt_svc_user_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
/** Disables a user ({reason}): their sessions end and they cannot sign in. */
int nt_svc_user_disable(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err);
/** A new password (in out, shown once), the second factor to set up again, the lock lifted, every
 * session ended. */
int nt_svc_user_reset(nt_svc *svc, nt_wctx *w, const char *id, json_t **out, nt_err *err);

/** A signed-in user changes their own password: the current one checked (NT_EINVAL naming
 * "current" when wrong, audited and counted as a failed sign-in: NT_ELIMIT and every session ended
 * when that locks the login), the new one at least 12 characters, not the login, not the
 * current one (naming "password"); every other session of theirs ends. */
int nt_svc_user_password(nt_svc *svc, nt_wctx *w, const nt_session *s, const char *current, const char *next, nt_err *err);

/** What a sign-in gave: the session's secret for its cookie and its stage; or when the login is
 * locked, until when. */
typedef struct nt_login {
    char token[NT_SESSION_TOKEN + 1];
    nt_session_stage stage;
    int64_t locked_until_us;
} nt_login;

/** Signs in with a login and a password. 0 with a session; NT_EFORBIDDEN for a wrong login or
 * password (the same answer for either, in the same time); NT_ELIMIT while the login is locked. */
int nt_svc_login(nt_svc *svc, nt_wctx *w, const char *login, const char *password, const char *client, nt_login *out, nt_err *err);
/** The session of a cookie's secret: NT_ENOTFOUND when unknown, ended, idle or too old, or its user
 * disabled or organisation not active. Notes its use (at most every minute). */
int nt_svc_session(nt_svc *svc, const char *token, nt_session *out);
/** The second factor of a half-done sign-in (setting it up when the stage is NT_SESSION_ENROL): 0
 * and the session is whole; NT_EINVAL for a wrong code (counted as a failed sign-in); NT_ELIMIT
 * when that locked the login (the session ended). */
int nt_svc_session_code(nt_svc *svc, nt_wctx *w, const nt_session *s, const char *code, int64_t *locked_until_us, nt_err *err);
/** Signs out this session, or every session of its user. */
int nt_svc_logout(nt_svc *svc, nt_wctx *w, const nt_session *s, bool everywhere, nt_err *err);
/** The open sessions of a user (for their account page). */
json_t *nt_svc_user_sessions(nt_svc *svc, const char *user_id);
#endif
