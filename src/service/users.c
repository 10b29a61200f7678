/* Users of the web pages, their sign-ins and sessions (service/users.h, docs/ACCOUNTS.md).
 *
 * A password is kept as an argon2id string (crypto_pwhash_str); a session as the SHA-256 of the
 * secret in its cookie. A wrong login and a wrong password get the same answer after the same
 * work (an unknown login is checked against a hash made for nobody). NT_LOGIN_FAILURES failed
 * sign-ins in a row lock a login for NT_LOGIN_LOCK_S: in the database for a user (it survives a
 * restart), and in this process for any login typed, known or not, so that the lock does not tell
 * which logins exist. Every sign-in, refused or not, leaves an audit row. */
#include "service/users.h"
#include "core/alloc.h"
#include "core/schema.h"
#include "core/util.h"
#include "service/commit.h"
#include "service/keys.h"
#include "service/query.h"
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define TOUCH_US (60 * 1000000LL)

bool nt_role_needs_totp(nt_role role)
{
    return role == NT_ROLE_REGULATOR || role == NT_ROLE_PROGRAMME || role == NT_ROLE_ADMIN;
}

/* ---- logins as typed ---- */

/* A login folded to lower case into out; false when it is not one (3-100 of a-z 0-9 . _ @ + -). */
static bool login_fold(const char *in, char *out, size_t cap)
{
    if (in == NULL)
        return false;
    while (*in == ' ')
        in++;
    size_t n = strlen(in);
    while (n > 0 && in[n - 1] == ' ')
        n--;
    if (n < 3 || n > 100 || n + 1 > cap)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] + 32) : in[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("._@+-", c) != NULL))
            return false;
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

/* ---- the lock in this process, for any login typed ---- */

#define THROTTLE_SLOTS 4096
static struct {
    uint64_t h;
    int failed;
    int64_t until_us;
} throttle[THROTTLE_SLOTS];
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;

/* Until when a login is locked here (0: it is not). */
static int64_t throttle_until(const char *login, int64_t now)
{
    uint64_t h = nt_hash_str(login);
    pthread_mutex_lock(&throttle_lock);
    int64_t until = throttle[h % THROTTLE_SLOTS].h == h ? throttle[h % THROTTLE_SLOTS].until_us : 0;
    pthread_mutex_unlock(&throttle_lock);
    return until > now ? until : 0;
}

/* Counts a failure; until when the login is now locked (0: not yet). */
static int64_t throttle_fail(const char *login, int64_t now)
{
    uint64_t h = nt_hash_str(login);
    int64_t until = 0;
    pthread_mutex_lock(&throttle_lock);
    __typeof__(throttle[0]) *t = &throttle[h % THROTTLE_SLOTS];
    if (t->h != h) {
        t->h = h;
        t->failed = 0;
        t->until_us = 0;
    }
    if (++t->failed >= NT_LOGIN_FAILURES) {
        t->failed = 0;
        t->until_us = until = now + NT_LOGIN_LOCK_S * 1000000LL;
    }
    pthread_mutex_unlock(&throttle_lock);
    return until;
}

static void throttle_clear(const char *login)
{
    uint64_t h = nt_hash_str(login);
    pthread_mutex_lock(&throttle_lock);
    if (throttle[h % THROTTLE_SLOTS].h == h)
        memset(&throttle[h % THROTTLE_SLOTS], 0, sizeof(throttle[0]));
    pthread_mutex_unlock(&throttle_lock);
}

/* ---- passwords ---- */

/* A password people can copy: 16 of 32 unambiguous characters (80 bits), in groups of four. */
static void password_new(char out[20])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    unsigned char raw[16];
    randombytes_buf(raw, sizeof(raw));
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i > 0 && i % 4 == 0)
            out[o++] = '-';
        out[o++] = alphabet[raw[i] & 31];
    }
    out[o] = '\0';
    sodium_memzero(raw, sizeof(raw));
}

static int password_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : NT_ENOMEM;
}

/* A hash made for nobody: an unknown login is checked against it, so that it takes as long. */
static char nobody[crypto_pwhash_STRBYTES];
static void nobody_make(void)
{
    char pw[20];
    password_new(pw);
    if (password_hash(pw, nobody) != 0)
        nobody[0] = '\0';
}

/* ---- users ---- */

static const nt_field user_spec[] = {
    {"login", NT_FT_STR, NT_F_REQUIRED, 3, 100, 0},    {"name", NT_FT_STR, NT_F_REQUIRED, 1, 160, 0},
    {"role", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},      {"org_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"person_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
};

/* Whether a second factor is asked of a user, and set up: not_required, to_set_up or set. */
static void second_factor(json_t *u)
{
    int role = nt_role_parse(nt_json_str(u, "role"));
    bool needed = nt_role_needs_totp(role < 0 ? NT_ROLE_PUBLIC : (nt_role)role);
    json_object_set_new(u, "second_factor",
                        json_string(!needed                                         ? "not_required"
                                    : json_is_string(json_object_get(u, "totp_at")) ? "set"
                                                                                    : "to_set_up"));
}

/* A user as shown: what the store shows and whether a second factor is asked of them. */
static json_t *user_shown(nt_svc *svc, const char *id)
{
    json_t *u = nt__svc_q1(svc, NT_Q_user_get, json_pack("[s]", id));
    if (u != NULL)
        second_factor(u);
    return u;
}

int nt_svc_user_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, user_spec, sizeof(user_spec) / sizeof(user_spec[0]), "", err) != 0)
        return NT_EINVAL;
    char login[128];
    if (!login_fold(nt_json_str(in, "login"), login, sizeof(login)))
        return nt_err_field(err, "login", "invalid", 0);
    int role = nt_role_parse(nt_json_str(in, "role"));
    const char *org_id = nt_json_str(in, "org_id"), *person_id = nt_json_str(in, "person_id");
    int owned = nt__svc_owner_check(svc, role, org_id, person_id, err);
    if (owned != 0)
        return owned;
    json_t *taken = nt__svc_q1(svc, NT_Q_user_by_login, json_pack("[s]", login));
    if (taken != NULL) {
        json_decref(taken);
        return nt_err_set(err, NT_ECONFLICT, "the login %s is taken", "tên đăng nhập %s đã có người dùng", login);
    }
    char password[20], hash[crypto_pwhash_STRBYTES];
    password_new(password);
    if (password_hash(password, hash) != 0)
        return nt_err_set(err, NT_ENOMEM, "the password could not be hashed", "không băm được mật khẩu");
    char id[NT_ID_LEN];
    nt_id_new("u_", id, sizeof(id));
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_users, id, "user", "user.created", 0);
    nt_row_str(row, COL(users, login), login);
    nt_row_str(row, COL(users, name), nt_json_str(in, "name"));
    nt_row_str(row, COL(users, role), nt_role_name((nt_role)role));
    nt_row_str(row, COL(users, org_id), org_id);
    nt_row_str(row, COL(users, person_id), person_id);
    nt_row_str(row, COL(users, pwhash), hash);
    nt_row_str(row, COL(users, password_at), w->at);
    nt_row_str(row, COL(users, created_by), w->key_id);
    nt_row_str(row, COL(users, created_at), w->at);
    nt_row_str(row, COL(users, updated_at), w->at);
    tx.created = true;
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    sodium_memzero(hash, sizeof(hash));
    if (rc == 0 && (*out = user_shown(svc, id)) == NULL)
        rc = nt_err_set(err, NT_EIO, "user %s was written but cannot be read", "đã ghi người dùng %s nhưng không đọc lại được", id);
    if (rc == 0) /* shown this once: never stored as it is, nor kept for a replay */
        json_object_set_new(*out, "password", json_string(password));
    sodium_memzero(password, sizeof(password));
    return rc;
}

int nt_svc_user_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *items = nt__svc_q(svc, NT_Q_users_page, json_pack("[s, i, n]", after, limit));
    size_t i;
    json_t *u;
    json_array_foreach(items, i, u) second_factor(u);
    return nt__svc_paged(items ? 0 : NT_EIO, items, limit, out, err);
}

/* Whether a session row is within its limits at now: a whole one neither idle nor too old, a
 * half-done one not older than NT_SESSION_STEP_S. */
static bool session_live(const nt_svc *svc, const json_t *s, int64_t now)
{
    int64_t made = nt_json_time(s, "created_at"), seen = nt_json_time(s, "seen_at");
    const char *stage = nt_json_str(s, "stage");
    if (stage != NULL && strcmp(stage, "full") == 0)
        return now - seen <= svc->session_idle_us && now - made <= svc->session_max_us;
    return now - made <= NT_SESSION_STEP_S * 1000000LL;
}

json_t *nt_svc_user_sessions(nt_svc *svc, const char *user_id)
{
    json_t *all = nt__svc_q(svc, NT_Q_user_sessions, json_pack("[s]", user_id));
    json_t *open = json_array();
    int64_t now = nt_now_us();
    size_t i;
    json_t *s;
    json_array_foreach(all, i, s)
    {
        if (session_live(svc, s, now))
            json_array_append(open, s);
    }
    json_decref(all);
    return open;
}

int nt_svc_user_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *u = user_shown(svc, id);
    if (u == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no user %s", "không có người dùng %s", id);
    json_object_set_new(u, "sessions", nt_svc_user_sessions(svc, id));
    *out = u;
    return 0;
}

/* A user read for a change (its login and updated_at, the guard), or NT_ENOTFOUND. */
static int user_row(nt_svc *svc, const char *id, json_t **u, nt_err *err)
{
    *u = nt__svc_q1(svc, NT_Q_user_get, json_pack("[s]", id));
    return *u != NULL ? 0 : nt_err_set(err, NT_ENOTFOUND, "no user %s", "không có người dùng %s", id);
}

static const nt_field disable_spec[] = {{"reason", NT_FT_STR, NT_F_REQUIRED, 3, 1000, 0}};

int nt_svc_user_disable(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, disable_spec, 1, "", err) != 0)
        return NT_EINVAL;
    json_t *u = NULL;
    int rc = user_row(svc, id, &u, err);
    if (rc != 0)
        return rc;
    if (json_is_string(json_object_get(u, "disabled_at"))) {
        json_decref(u);
        return nt_err_set(err, NT_ECONFLICT, "user %s is already disabled", "người dùng %s đã bị vô hiệu hóa", id);
    }
    nt_tx tx = {0};
    nt_row *row =
        nt_tx_update(&tx, NT_T_users, id, COL(users, updated_at), nt_json_str(u, "updated_at"), "user", "user.disabled", 0);
    nt_row_str(row, COL(users, disabled_at), w->at);
    nt_row_str(row, COL(users, disabled_reason), nt_json_str(in, "reason"));
    nt_row_str(row, COL(users, updated_at), w->at);
    nt_tx_named(&tx, NT_Q_sessions_end_user, json_pack("[s, s, s]", id, w->at, "disabled"));
    json_decref(u);
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    return rc != 0 ? rc : nt_svc_user_get(svc, id, out, err);
}

int nt_svc_user_reset(nt_svc *svc, nt_wctx *w, const char *id, json_t **out, nt_err *err)
{
    json_t *u = NULL;
    int rc = user_row(svc, id, &u, err);
    if (rc != 0)
        return rc;
    char password[20], hash[crypto_pwhash_STRBYTES];
    password_new(password);
    if (password_hash(password, hash) != 0) {
        json_decref(u);
        return nt_err_set(err, NT_ENOMEM, "the password could not be hashed", "không băm được mật khẩu");
    }
    nt_tx tx = {0};
    nt_row *row = nt_tx_update(&tx, NT_T_users, id, COL(users, updated_at), nt_json_str(u, "updated_at"), "user", "user.reset", 0);
    nt_row_str(row, COL(users, pwhash), hash);
    nt_row_str(row, COL(users, password_at), w->at);
    nt_row_str(row, COL(users, totp_secret), NULL);
    nt_row_str(row, COL(users, totp_pending), NULL);
    nt_row_str(row, COL(users, totp_at), NULL);
    nt_row_int(row, COL(users, totp_step), 0);
    nt_row_int(row, COL(users, failed), 0);
    nt_row_str(row, COL(users, locked_until), NULL);
    nt_row_str(row, COL(users, updated_at), w->at);
    nt_tx_named(&tx, NT_Q_sessions_end_user, json_pack("[s, s, s]", id, w->at, "reset"));
    char login[128];
    nt_strlcpy(login, nt_json_str(u, "login"), sizeof(login));
    json_decref(u);
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    sodium_memzero(hash, sizeof(hash));
    if (rc == 0) {
        throttle_clear(login);
        rc = nt_svc_user_get(svc, id, out, err);
    }
    if (rc == 0)
        json_object_set_new(*out, "password", json_string(password));
    sodium_memzero(password, sizeof(password));
    return rc;
}

#define NT_PASSWORD_MIN 12 /* characters a password chosen by its user has at least */

static int64_t user_failed(nt_svc *svc, const nt_wctx *w, const json_t *u, const char *session, int64_t now);

int nt_svc_user_password(nt_svc *svc, nt_wctx *w, const nt_session *s, const char *current, const char *next, nt_err *err)
{
    json_t *u = nt__svc_q1(svc, NT_Q_user_by_login, json_pack("[s]", s->login)); /* with its hash */
    if (u == NULL || !nt_streq(nt_json_str(u, "id"), s->user_id)) {
        json_decref(u);
        return nt_err_set(err, NT_ENOTFOUND, "no user %s", "không có người dùng %s", s->user_id);
    }
    int rc = 0;
    const char *hash = nt_json_str(u, "pwhash");
    bool right =
        current != NULL && strlen(current) <= 1024 && hash != NULL && crypto_pwhash_str_verify(hash, current, strlen(current)) == 0;
    size_t chars = 0;
    for (const char *c = next ? next : ""; *c; c++)
        chars += ((unsigned char)*c & 0xC0) != 0x80; /* UTF-8: count characters, not bytes */
    if (!right) {                                    /* counted as a failed sign-in: a stolen session cannot guess the password */
        nt_svc_audit(svc, w, "password.refused", "user", s->user_id);
        int64_t until = user_failed(svc, w, u, s->id, nt_now_us());
        json_decref(u);
        if (until != 0)
            return nt_err_set(err, NT_ELIMIT, "too many wrong passwords: the login is locked and signed out",
                              "sai mật khẩu quá nhiều lần: tài khoản bị khóa và đã đăng xuất");
        return nt_err_field(err, "current", "wrong", 0);
    } else if (next == NULL || chars < NT_PASSWORD_MIN || strlen(next) > 1024) {
        nt_err_field(err, "password", "too_short", NT_PASSWORD_MIN);
    } else if (strcmp(next, current) == 0 || strcasecmp(next, nt_json_str(u, "login")) == 0) {
        nt_err_field(err, "password", "not_allowed", 0);
    }
    if (err->nfields > 0) {
        json_decref(u);
        return NT_EINVAL;
    }
    char h[crypto_pwhash_STRBYTES];
    if (password_hash(next, h) != 0) {
        json_decref(u);
        return nt_err_set(err, NT_ENOMEM, "the password could not be hashed", "không băm được mật khẩu");
    }
    nt_tx tx = {0};
    nt_row *row = nt_tx_update(&tx, NT_T_users, s->user_id, COL(users, updated_at), nt_json_str(u, "updated_at"), "user",
                               "user.password_changed", 0);
    nt_row_str(row, COL(users, pwhash), h);
    nt_row_str(row, COL(users, password_at), w->at);
    nt_row_str(row, COL(users, updated_at), w->at);
    nt_tx_named(&tx, NT_Q_sessions_end_others, json_pack("[s, s, s, s]", s->user_id, w->at, "password_changed", s->id));
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    sodium_memzero(h, sizeof(h));
    json_decref(u);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "your account changed meanwhile: try again", "tài khoản vừa thay đổi: hãy thử lại");
    return rc;
}

/* ---- signing in ---- */

static void session_id(const char *token, char out[NT_ID_LEN])
{
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    char hex[65];
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    snprintf(out, NT_ID_LEN, "s_%.40s", hex);
}

static const char *stage_name(nt_session_stage s)
{
    return s == NT_SESSION_FULL ? "full" : s == NT_SESSION_ENROL ? "enrol" : "code";
}

/* A failed sign-in of a user: counted, and the login locked at NT_LOGIN_FAILURES. Until when it is
 * now locked (0: not). A lock reached from a half-done sign-in (session) ends every session of the
 * user: someone is guessing codes with the right password. */
static int64_t user_failed(nt_svc *svc, const nt_wctx *w, const json_t *u, const char *session, int64_t now)
{
    const char *id = nt_json_str(u, "id");
    int failed = (int)json_integer_value(json_object_get(u, "failed")) + 1;
    bool lock = failed >= NT_LOGIN_FAILURES;
    int64_t until = lock ? now + NT_LOGIN_LOCK_S * 1000000LL : 0;
    nt_tx tx = {0};
    nt_row *row = nt_tx_update(&tx, NT_T_users, id, COL(users, updated_at), nt_json_str(u, "updated_at"), "user",
                               lock ? "login.locked" : "login.failed", 0);
    nt_row_int(row, COL(users, failed), lock ? 0 : failed);
    nt_row_str(row, COL(users, failed_at), w->at);
    if (lock) {
        char at[NT_TIME_LEN];
        nt_time_utc(until, at);
        nt_row_str(row, COL(users, locked_until), at);
        if (session != NULL)
            nt_tx_named(&tx, NT_Q_sessions_end_user, json_pack("[s, s, s]", id, w->at, "locked"));
    }
    nt_row_str(row, COL(users, updated_at), w->at);
    nt_wctx as = *w;
    as.key_id = id;
    nt_err e;
    nt_err_clear(&e);
    nt_svc_commit(svc, &as, &tx, &e); /* a clash: another sign-in counted meanwhile; this one is not */
    nt_tx_free(&tx);
    return until;
}

static int wrong(nt_err *err)
{
    return nt_err_set(err, NT_EFORBIDDEN, "the login or the password is wrong", "tên đăng nhập hoặc mật khẩu không đúng");
}

static int locked(nt_err *err, int64_t until, nt_login *out)
{
    if (out != NULL)
        out->locked_until_us = until;
    char local[NT_TIME_LEN];
    nt_time_local(until, local);
    return nt_err_set(err, NT_ELIMIT, "too many failed sign-ins: this login is locked until %.16s",
                      "đăng nhập sai quá nhiều lần: tên đăng nhập này bị tạm khóa đến %.16s", local);
}

int nt_svc_login(nt_svc *svc, nt_wctx *w, const char *login_in, const char *password, const char *client, nt_login *out,
                 nt_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, nobody_make);
    memset(out, 0, sizeof(*out));
    char login[128] = "";
    bool shaped = login_fold(login_in, login, sizeof(login));
    if (!shaped)
        nt_strlcpy(login, "(not a login)", sizeof(login));
    int64_t now = nt_now_us(), until = throttle_until(login, now);
    if (until != 0) {
        nt_svc_audit(svc, w, "login.refused", "login", "locked");
        return locked(err, until, out);
    }
    json_t *u = shaped ? nt__svc_q1(svc, NT_Q_user_by_login, json_pack("[s]", login)) : NULL;
    const char *hash = u != NULL ? nt_json_str(u, "pwhash") : nobody;
    bool ok = password != NULL && strlen(password) <= 1024 && hash != NULL && hash[0] != '\0' &&
              crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && u != NULL;
    int64_t held = u != NULL ? nt_json_time(u, "locked_until") : 0;
    if (u != NULL && held > now) {
        json_decref(u);
        nt_svc_audit(svc, w, "login.refused", "login", "locked");
        return locked(err, held, out);
    }
    const char *org_status = u != NULL ? nt_json_str(u, "org_status") : NULL;
    bool usable = u != NULL && !json_is_string(json_object_get(u, "disabled_at")) &&
                  (json_is_null(json_object_get(u, "org_id")) || (org_status != NULL && strcmp(org_status, "active") == 0));
    if (!ok || !usable) {
        int64_t lock_here = throttle_fail(login, now), lock_user = 0;
        if (u != NULL)
            lock_user = user_failed(svc, w, u, NULL, now);
        else
            nt_svc_audit(svc, w, "login.failed", "login", "unknown");
        json_decref(u);
        if (lock_here || lock_user)
            return locked(err, lock_here > lock_user ? lock_here : lock_user, out);
        return wrong(err);
    }
    throttle_clear(login);
    const char *id = nt_json_str(u, "id");
    int role = nt_role_parse(nt_json_str(u, "role"));
    nt_session_stage stage = !nt_role_needs_totp(role < 0 ? NT_ROLE_PUBLIC : (nt_role)role) ? NT_SESSION_FULL
                             : json_is_string(json_object_get(u, "totp_secret"))            ? NT_SESSION_CODE
                                                                                            : NT_SESSION_ENROL;
    unsigned char raw[NT_SESSION_TOKEN / 2];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out->token, sizeof(out->token), raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
    char sid[NT_ID_LEN];
    session_id(out->token, sid);
    out->stage = stage;

    nt_tx tx = {0};
    nt_row *row = nt_tx_update(&tx, NT_T_users, id, COL(users, updated_at), nt_json_str(u, "updated_at"), "user",
                               stage == NT_SESSION_FULL ? "login.succeeded" : "login.password", 0);
    nt_row_int(row, COL(users, failed), 0);
    nt_row_str(row, COL(users, locked_until), NULL);
    nt_row_str(row, COL(users, updated_at), w->at);
    if (stage == NT_SESSION_ENROL) { /* a secret to set up, offered until its first code is right */
        unsigned char secret[NT_TOTP_SECRET];
        char b32[NT_TOTP_B32];
        randombytes_buf(secret, sizeof(secret));
        nt_base32_encode(secret, sizeof(secret), b32, sizeof(b32));
        nt_row_str(row, COL(users, totp_pending), b32);
        sodium_memzero(secret, sizeof(secret));
    }
    row = nt_tx_insert(&tx, NT_T_sessions, sid, "session", "session.started", 0);
    nt_row_str(row, COL(sessions, user_id), id);
    nt_row_str(row, COL(sessions, stage), stage_name(stage));
    nt_row_str(row, COL(sessions, client), client);
    nt_row_str(row, COL(sessions, created_at), w->at);
    nt_row_str(row, COL(sessions, seen_at), w->at);
    tx.created = true;
    nt_wctx as = *w;
    as.key_id = id;
    int rc = nt_svc_commit(svc, &as, &tx, err);
    nt_tx_free(&tx);
    json_decref(u);
    if (rc == NT_ESTALE) /* another sign-in of the same user at the same moment */
        rc = nt_err_set(err, NT_EBUSY, "another sign-in is under way: try again", "đang có một lần đăng nhập khác: hãy thử lại");
    if (rc != 0)
        memset(out->token, 0, sizeof(out->token));
    return rc;
}

int nt_svc_session(nt_svc *svc, const char *token, nt_session *out)
{
    if (token == NULL || strlen(token) != NT_SESSION_TOKEN || strspn(token, "0123456789abcdef") != NT_SESSION_TOKEN)
        return NT_ENOTFOUND;
    char sid[NT_ID_LEN];
    session_id(token, sid);
    json_t *s = nt__svc_q1(svc, NT_Q_session_get, json_pack("[s]", sid));
    if (s == NULL)
        return NT_ENOTFOUND;
    int64_t now = nt_now_us(), seen = nt_json_time(s, "seen_at");
    const char *stage = nt_json_str(s, "stage"), *org_status = nt_json_str(s, "org_status");
    int role = nt_role_parse(nt_json_str(s, "role"));
    bool full = stage != NULL && strcmp(stage, "full") == 0;
    bool live = json_is_null(json_object_get(s, "ended_at")) && !json_is_string(json_object_get(s, "disabled_at")) && role > 0 &&
                (json_is_null(json_object_get(s, "org_id")) || (org_status != NULL && strcmp(org_status, "active") == 0)) &&
                session_live(svc, s, now);
    if (!live) {
        json_decref(s);
        return NT_ENOTFOUND;
    }
    memset(out, 0, sizeof(*out));
    nt_strlcpy(out->id, sid, sizeof(out->id));
    out->stage = full ? NT_SESSION_FULL : strcmp(stage, "enrol") == 0 ? NT_SESSION_ENROL : NT_SESSION_CODE;
    const char *uid = nt_json_str(s, "user_id"), *org = nt_json_str(s, "org_id"), *person = nt_json_str(s, "person_id");
    const char *platform = nt_json_str(s, "platform"), *org_name = nt_json_str(s, "org_name");
    nt_strlcpy(out->user_id, uid, sizeof(out->user_id));
    nt_strlcpy(out->login, nt_json_str(s, "login"), sizeof(out->login));
    nt_strlcpy(out->name, nt_json_str(s, "name"), sizeof(out->name));
    nt_strlcpy(out->org_name, org_name ? org_name : "", sizeof(out->org_name));
    out->actor.role = (nt_role)role;
    nt_strlcpy(out->actor.key_id, uid, sizeof(out->actor.key_id));
    nt_strlcpy(out->actor.org_id, org ? org : "", sizeof(out->actor.org_id));
    nt_strlcpy(out->actor.person_id, person ? person : "", sizeof(out->actor.person_id));
    nt_strlcpy(out->actor.platform, platform ? platform : "", sizeof(out->actor.platform));
    const char *pending = nt_json_str(s, "totp_pending");
    if (out->stage == NT_SESSION_ENROL && pending != NULL)
        nt_strlcpy(out->pending, pending, sizeof(out->pending));
    json_decref(s);
    int64_t every = svc->session_idle_us / 4 < TOUCH_US ? svc->session_idle_us / 4 : TOUCH_US;
    if (full && now - seen >= every) {
        char at[NT_TIME_LEN];
        nt_time_utc(now, at);
        svc->store->ops->session_touch(svc->store, sid, at);
    }
    return 0;
}

int nt_svc_session_code(nt_svc *svc, nt_wctx *w, const nt_session *s, const char *code, int64_t *locked_until_us, nt_err *err)
{
    *locked_until_us = 0;
    json_t *u = nt__svc_q1(svc, NT_Q_user_by_login, json_pack("[s]", s->login));
    if (u == NULL || s->stage == NT_SESSION_FULL) {
        json_decref(u);
        return nt_err_set(err, NT_ECONFLICT, "this sign-in asks for no code", "lần đăng nhập này không cần mã");
    }
    bool enrol = s->stage == NT_SESSION_ENROL;
    const char *secret = nt_json_str(u, enrol ? "totp_pending" : "totp_secret");
    int64_t now = nt_now_us();
    int64_t step = nt_totp_check(secret, code, now / 1000000, json_integer_value(json_object_get(u, "totp_step")));
    if (step < 0) {
        int64_t until = user_failed(svc, w, u, s->id, now), here = throttle_fail(s->login, now);
        json_decref(u);
        if (until || here) {
            *locked_until_us = until > here ? until : here;
            return locked(err, *locked_until_us, NULL);
        }
        nt_err_set(err, NT_EINVAL, "the code is not right: type the 6 digits your app shows now",
                   "mã không đúng: hãy nhập 6 chữ số ứng dụng đang hiện");
        return nt_err_field(err, "code", "invalid", 0);
    }
    nt_tx tx = {0};
    nt_row *row = nt_tx_update(&tx, NT_T_users, s->user_id, COL(users, updated_at), nt_json_str(u, "updated_at"), "user",
                               enrol ? "totp.enrolled" : "login.code", 0);
    nt_row_int(row, COL(users, totp_step), step);
    nt_row_int(row, COL(users, failed), 0);
    if (enrol) {
        nt_row_str(row, COL(users, totp_secret), secret);
        nt_row_str(row, COL(users, totp_pending), NULL);
        nt_row_str(row, COL(users, totp_at), w->at);
    }
    nt_row_str(row, COL(users, updated_at), w->at);
    row = nt_tx_update(&tx, NT_T_sessions, s->id, COL(sessions, stage), stage_name(s->stage), "session", "login.succeeded", 0);
    nt_row_str(row, COL(sessions, stage), "full");
    nt_row_str(row, COL(sessions, seen_at), w->at);
    nt_wctx as = *w;
    as.key_id = s->user_id;
    int rc = nt_svc_commit(svc, &as, &tx, err);
    nt_tx_free(&tx);
    json_decref(u);
    if (rc == NT_ESTALE)
        rc = nt_err_set(err, NT_ECONFLICT, "this sign-in changed meanwhile: sign in again",
                        "lần đăng nhập này đã thay đổi: hãy đăng nhập lại");
    return rc;
}

int nt_svc_logout(nt_svc *svc, nt_wctx *w, const nt_session *s, bool everywhere, nt_err *err)
{
    nt_tx tx = {0};
    nt_row *row = nt_tx_update(&tx, NT_T_sessions, s->id, COL(sessions, ended_at), NULL, "session",
                               everywhere ? "logout.everywhere" : "logout", 0);
    nt_row_str(row, COL(sessions, ended_at), w->at);
    nt_row_str(row, COL(sessions, end_reason), everywhere ? "logout_everywhere" : "logout");
    if (everywhere)
        nt_tx_named(&tx, NT_Q_sessions_end_user, json_pack("[s, s, s]", s->user_id, w->at, "logout_everywhere"));
    nt_wctx as = *w;
    as.key_id = s->user_id;
    int rc = nt_svc_commit(svc, &as, &tx, err);
    nt_tx_free(&tx);
    return rc == NT_ESTALE ? 0 : rc; /* ended meanwhile: signed out all the same */
}
