/* Opening the services, API keys and authentication.
 *
 * A key is shown once as "<key id>.<secret>"; only SHA-256(secret) is kept.
 * Authentication answers from a small in-memory cache of keys, re-read from
 * the database when an entry is older than two seconds, so a key revoked by
 * another process stops working within that time (at once when revoked
 * through this one). last_used_at is written at most once a minute per key. */
#include "core/alloc.h"
#include "core/schema.h"
#include "core/util.h"
#include "index/restrictions.h"
#include "service/service.h"
#include "service/commit.h"
#include "service/ads.h"
#include "service/screen.h"
#include "service/tlog.h"
#include <libgen.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A key changed by this process is forgotten at once, and by another within the runtime's 200 ms
 * (its change row); the re-read from the database, once a minute, is only a safety net. */
#define KEY_RECHECK_US (60 * 1000000LL)
#define KEY_TOUCH_US   (60 * 1000000)

static const char *const role_names[NT_ROLE_COUNT] = {"public", "admin", "regulator", "platform", "advertiser", "kol"};

const char *nt_role_name(nt_role r)
{
    return (unsigned)r < NT_ROLE_COUNT ? role_names[r] : "?";
}

int nt_role_parse(const char *s)
{
    for (int i = 0; s != NULL && i < NT_ROLE_COUNT; i++)
        if (strcmp(role_names[i], s) == 0)
            return i;
    return -1;
}

void nt_svc_secret_path(const char *db, const char *name, char *out, size_t cap)
{
    char *copy = nt_xstrdup(db);
    snprintf(out, cap, "%s/%s", copy ? dirname(copy) : ".", name);
    free(copy);
}

static int load_nid_key(const char *db, unsigned char key[32], nt_err *err)
{
    char path[4096], hex[80] = {0};
    nt_svc_secret_path(db, "hash.key", path, sizeof(path));
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "missing %s: run `niemtin init` first", "thiếu %s: hãy chạy `niemtin init` trước",
                          path);
    size_t n = fread(hex, 1, sizeof(hex) - 1, f);
    fclose(f);
    size_t len = 0;
    if (sodium_hex2bin(key, 32, hex, n, "\n", &len, NULL) != 0 || len != 32)
        return nt_err_set(err, NT_EINVAL, "%s is not a 32-byte hex key", "%s không phải khóa hex 32 byte", path);
    return 0;
}

int nt_svc_open(nt_svc **out, const char *db, bool create, nt_err *err)
{
    if (sodium_init() < 0)
        return nt_err_set(err, NT_EIO, "libsodium failed to initialise", "không khởi tạo được libsodium");
    nt_svc *svc = nt_xcalloc(1, sizeof(*svc));
    if (svc == NULL)
        return NT_ENOMEM;
    int rc = load_nid_key(db, svc->nid_key, err);
    if (rc == 0)
        rc = nt_store_open(db, create, &svc->store, err);
    if (rc == 0)
        rc = svc->store->ops->migrate(svc->store, err);
    if (rc != 0) {
        nt_store_close(svc->store);
        free(svc);
        return rc;
    }
    nt_svc_secret_path(db, ".", svc->data_dir, sizeof(svc->data_dir));
    nt_svc_secret_path(db, "log.key", svc->log_key_path, sizeof(svc->log_key_path));
    nt_svc_secret_path(db, "log.pub", svc->log_pub_path, sizeof(svc->log_pub_path));
    pthread_mutex_init(&svc->key_lock, NULL);
    pthread_mutex_init(&svc->follow_lock, NULL);
    svc->appeal_days = 30;
    svc->max_restriction_days = 730;
    svc->webhook_attempts = 8;
    svc->webhook_backoff_ms = 1000;
    svc->policy = nt_policy_default();
    *out = svc;
    return 0;
}

void nt_svc_close(nt_svc *svc)
{
    if (svc == NULL)
        return;
    nt_store_close(svc->store);
    nt_rindex_free(svc->index);
    nt_svc_log_free(svc);
    nt_svc_ad_index_free(svc->ads);
    nt_screen_free(svc->screen);
    pthread_mutex_destroy(&svc->key_lock);
    pthread_mutex_destroy(&svc->follow_lock);
    sodium_memzero(svc->nid_key, sizeof(svc->nid_key));
    free(svc);
}

static unsigned slot_of(const char *id)
{
    return (unsigned)(nt_hash_str(id) % NT_SVC_KEY_CACHE);
}

/* Reads a key and its organisation from the database into e. */
static int load_key(nt_svc *svc, const char *id, nt_key_entry *e)
{
    json_t *k = NULL, *org = NULL;
    int rc = svc->store->ops->key_get(svc->store, id, &k);
    if (rc != 0)
        return rc;
    memset(e, 0, sizeof(*e));
    nt_strlcpy(e->id, id, sizeof(e->id));
    size_t len = 0;
    const char *hex = nt_json_str(k, "secret_hash");
    if (hex == NULL || sodium_hex2bin(e->hash, sizeof(e->hash), hex, strlen(hex), NULL, &len, NULL) != 0 || len != 32) {
        json_decref(k);
        return NT_EIO;
    }
    int role = nt_role_parse(nt_json_str(k, "role"));
    e->actor.role = role < 0 ? NT_ROLE_PUBLIC : (nt_role)role;
    nt_strlcpy(e->actor.key_id, id, sizeof(e->actor.key_id));
    const char *org_id = nt_json_str(k, "org_id"), *person_id = nt_json_str(k, "person_id");
    nt_strlcpy(e->actor.org_id, org_id ? org_id : "", sizeof(e->actor.org_id));
    nt_strlcpy(e->actor.person_id, person_id ? person_id : "", sizeof(e->actor.person_id));
    e->valid = role > 0 && json_is_null(json_object_get(k, "revoked_at"));
    if (org_id != NULL && svc->store->ops->org_get(svc->store, org_id, &org) == 0) {
        const char *platform = nt_json_str(org, "platform");
        nt_strlcpy(e->actor.platform, platform ? platform : "", sizeof(e->actor.platform));
        const char *status = nt_json_str(org, "status");
        if (status == NULL || strcmp(status, "active") != 0)
            e->valid = false;
        json_decref(org);
    }
    json_decref(k);
    return 0;
}

int nt_svc_authenticate(nt_svc *svc, const char *token, nt_actor *out)
{
    const char *dot = token ? strchr(token, '.') : NULL;
    if (dot == NULL || dot == token || (size_t)(dot - token) >= NT_ID_LEN || strlen(dot + 1) > 128)
        return NT_ENOTFOUND;
    char id[NT_ID_LEN];
    memcpy(id, token, (size_t)(dot - token));
    id[dot - token] = '\0';
    unsigned char hash[32];
    crypto_hash_sha256(hash, (const unsigned char *)dot + 1, strlen(dot + 1));

    int64_t now = nt_mono_us();
    nt_key_entry *slot = &svc->keys[slot_of(id)];
    nt_key_entry e;
    bool touch = false;
    pthread_mutex_lock(&svc->key_lock);
    bool fresh = strcmp(slot->id, id) == 0 && slot->checked_us != 0 && now - slot->checked_us < KEY_RECHECK_US;
    if (fresh) {
        e = *slot;
        if (e.valid && sodium_memcmp(e.hash, hash, sizeof(hash)) == 0 &&
            (slot->touched_us == 0 || now - slot->touched_us >= KEY_TOUCH_US)) {
            slot->touched_us = now;
            touch = true;
        }
    }
    pthread_mutex_unlock(&svc->key_lock);
    if (!fresh) {
        if (load_key(svc, id, &e) != 0)
            return NT_ENOTFOUND;
        e.checked_us = now;
        pthread_mutex_lock(&svc->key_lock);
        e.touched_us = strcmp(slot->id, id) == 0 ? slot->touched_us : 0;
        if (e.valid && sodium_memcmp(e.hash, hash, sizeof(hash)) == 0 &&
            (e.touched_us == 0 || now - e.touched_us >= KEY_TOUCH_US)) {
            e.touched_us = now;
            touch = true;
        }
        *slot = e;
        pthread_mutex_unlock(&svc->key_lock);
    }
    if (!e.valid || sodium_memcmp(e.hash, hash, sizeof(hash)) != 0)
        return NT_ENOTFOUND;
    if (touch) {
        char at[NT_TIME_LEN];
        nt_time_utc(nt_now_us(), at);
        svc->store->ops->key_touch(svc->store, id, at);
    }
    *out = e.actor;
    return 0;
}

void nt_svc_key_forget(nt_svc *svc, const char *id)
{
    pthread_mutex_lock(&svc->key_lock);
    nt_key_entry *slot = &svc->keys[slot_of(id)];
    if (strcmp(slot->id, id) == 0)
        slot->checked_us = 0;
    pthread_mutex_unlock(&svc->key_lock);
}

long nt_svc_key_cache_size(nt_svc *svc)
{
    long n = 0;
    pthread_mutex_lock(&svc->key_lock);
    for (int i = 0; i < NT_SVC_KEY_CACHE; i++)
        n += svc->keys[i].id[0] != '\0';
    pthread_mutex_unlock(&svc->key_lock);
    return n;
}

static const nt_field key_spec[] = {
    {"role", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"org_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"person_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0},
    {"label", NT_FT_STR, NT_F_NULLABLE, 0, 200, 0},
};

/* Which organisation kinds may hold a key of each role. */
static bool role_fits_org(nt_role role, const char *kind)
{
    switch (role) {
    case NT_ROLE_ADMIN:
        return strcmp(kind, "operator") == 0 || strcmp(kind, "alliance") == 0;
    case NT_ROLE_REGULATOR:
        return strcmp(kind, "regulator") == 0;
    case NT_ROLE_PLATFORM:
        return strcmp(kind, "platform") == 0 || strcmp(kind, "broadcaster") == 0 || strcmp(kind, "press") == 0 ||
               strcmp(kind, "event_organiser") == 0;
    case NT_ROLE_ADVERTISER:
        return strcmp(kind, "advertiser") == 0;
    default:
        return false;
    }
}

static int key_put_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    return st->ops->key_put(st, w, arg, err);
}

static int key_revoke_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    return st->ops->key_revoke(st, w, arg, err);
}

int nt_svc_key_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, key_spec, sizeof(key_spec) / sizeof(key_spec[0]), "", err) != 0)
        return NT_EINVAL;
    int role = nt_role_parse(nt_json_str(in, "role"));
    const char *org_id = nt_json_str(in, "org_id"), *person_id = nt_json_str(in, "person_id");
    if (role <= 0)
        return nt_err_field(err, "role", "invalid", 0);
    json_t *owner = NULL;
    if (role == NT_ROLE_KOL) {
        if (person_id == NULL)
            return nt_err_field(err, "person_id", "required", 0);
        if (org_id != NULL)
            return nt_err_field(err, "org_id", "invalid", 0);
        if (svc->store->ops->person_get(svc->store, person_id, &owner) != 0)
            return nt_err_set(err, NT_ENOTFOUND, "person %s does not exist", "không có người %s", person_id);
    } else {
        if (org_id == NULL)
            return nt_err_field(err, "org_id", "required", 0);
        if (person_id != NULL)
            return nt_err_field(err, "person_id", "invalid", 0);
        if (svc->store->ops->org_get(svc->store, org_id, &owner) != 0)
            return nt_err_set(err, NT_ENOTFOUND, "organisation %s does not exist", "không có tổ chức %s", org_id);
        if (!role_fits_org((nt_role)role, nt_json_str(owner, "kind"))) {
            json_decref(owner);
            return nt_err_field(err, "role", "invalid", 0);
        }
    }
    json_decref(owner);

    nt_key k = {0};
    nt_id_new("k_", k.id, sizeof(k.id));
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    char secret[64], token[128], hash_hex[65];
    nt_b64url_encode(raw, sizeof(raw), secret, sizeof(secret));
    snprintf(token, sizeof(token), "%s.%s", k.id, secret);
    unsigned char hash[32];
    crypto_hash_sha256(hash, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(hash_hex, sizeof(hash_hex), hash, sizeof(hash));
    k.secret_hash = hash_hex;
    k.role = nt_role_name((nt_role)role);
    k.org_id = org_id;
    k.person_id = person_id;
    k.label = nt_json_str(in, "label");

    json_t *o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s, s:n, s:n}", "id", k.id, "role", k.role, "org_id", org_id, "person_id",
                          person_id, "label", k.label, "created_at", w->at, "last_used_at", "revoked_at");
    /* The secret is never stored, not even in the idempotency record. */
    nt_tx tx = {.op = key_put_op, .op_arg = &k};
    nt_tx_answer(&tx, o, true);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    sodium_memzero(raw, sizeof(raw));
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "secret", json_string(token));
    sodium_memzero(secret, sizeof(secret));
    sodium_memzero(token, sizeof(token));
    *out = o;
    return 0;
}

json_t *nt__svc_q(nt_svc *svc, const char *name, json_t *params)
{
    json_t *out = NULL;
    int rc = svc->store->ops->query(svc->store, name, params, &out);
    json_decref(params);
    return rc == 0 ? out : NULL;
}

json_t *nt__svc_q1(nt_svc *svc, const char *name, json_t *params)
{
    json_t *rows = nt__svc_q(svc, name, params);
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return row;
}

int nt__svc_paged(int rc, json_t *items, int limit, json_t **out, nt_err *err)
{
    if (rc != 0)
        return nt_err_set(err, rc, "cannot list: %s", "không liệt kê được: %s", nt_strerror(rc));
    char cursor[128] = "";
    size_t n = json_array_size(items);
    if ((int)n == limit && n > 0)
        nt_svc_cursor_encode(nt_json_str(json_array_get(items, n - 1), "id"), cursor, sizeof(cursor));
    *out = json_pack("{s:o, s:s?}", "items", items, "next_cursor", cursor[0] ? cursor : NULL);
    return 0;
}

int nt_svc_key_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *items = NULL;
    int rc = svc->store->ops->key_list(svc->store, after, limit, &items);
    return nt__svc_paged(rc, items, limit, out, err);
}

int nt_svc_key_revoke(nt_svc *svc, nt_wctx *w, const char *id, json_t **out, nt_err *err)
{
    json_t *k = NULL;
    if (svc->store->ops->key_get(svc->store, id, &k) != 0)
        return nt_err_set(err, NT_ENOTFOUND, "no key %s", "không có khóa %s", id);
    if (!json_is_null(json_object_get(k, "revoked_at"))) {
        json_decref(k);
        return nt_err_set(err, NT_ECONFLICT, "key %s is already revoked", "khóa %s đã bị thu hồi", id);
    }
    json_object_del(k, "secret_hash");
    json_object_set_new(k, "revoked_at", json_string(w->at));
    nt_tx tx = {.op = key_revoke_op, .op_arg = (void *)id};
    nt_tx_answer(&tx, k, false);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc != 0) {
        json_decref(k);
        return rc;
    }
    pthread_mutex_lock(&svc->key_lock);
    nt_key_entry *slot = &svc->keys[slot_of(id)];
    if (strcmp(slot->id, id) == 0)
        slot->valid = false;
    pthread_mutex_unlock(&svc->key_lock);
    *out = k;
    return 0;
}

void nt_svc_cursor_encode(const char *last_id, char *out, size_t cap)
{
    if (last_id == NULL || nt_b64url_encode(last_id, strlen(last_id), out, cap) < 0)
        out[0] = '\0';
}

int nt_svc_cursor_decode(const char *cursor, char *out, size_t cap)
{
    if (strlen(cursor) > 2 * cap)
        return NT_EINVAL;
    int n = nt_b64url_decode(cursor, out, cap - 1);
    if (n < 0)
        return NT_EINVAL;
    out[n] = '\0';
    return nt_text_valid_utf8(out, (size_t)n) ? 0 : NT_EINVAL;
}
