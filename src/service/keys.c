/* API keys and authentication.
 *
 * A key is shown once as "<key id>.<secret>"; only SHA-256(secret) is kept.
 * Authentication answers from a small in-memory cache of keys. A key revoked
 * through this process stops at once; through another, when the runtime
 * follows its change row (200 ms); an entry is also re-read from the database
 * once a minute. last_used_at is written at most once a minute per key. */
#include "core/alloc.h"
#include "core/schema.h"
#include "core/util.h"
#include "service/commit.h"
#include "service/keys.h"
#include "service/query.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A key changed by this process is forgotten at once, and by another within the runtime's 200 ms
 * (its change row); the re-read from the database, once a minute, is only a safety net. */
#define KEY_RECHECK_US (60 * 1000000LL)
#define KEY_TOUCH_US   (60 * 1000000)

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
    case NT_ROLE_PROGRAMME:
        return strcmp(kind, "alliance") == 0;
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

int nt__svc_owner_check(nt_svc *svc, int role, const char *org_id, const char *person_id, nt_err *err)
{
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
    return 0;
}

int nt_svc_key_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, key_spec, sizeof(key_spec) / sizeof(key_spec[0]), "", err) != 0)
        return NT_EINVAL;
    int role = nt_role_parse(nt_json_str(in, "role"));
    const char *org_id = nt_json_str(in, "org_id"), *person_id = nt_json_str(in, "person_id");
    int owned = nt__svc_owner_check(svc, role, org_id, person_id, err);
    if (owned != 0)
        return owned;

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

int nt_svc_nid_refusal(nt_svc *svc, const char *key_id)
{
    int64_t now = nt_mono_us();
    pthread_mutex_lock(&svc->key_lock);
    nt_key_entry *e = &svc->keys[slot_of(key_id)];
    if (strcmp(e->id, key_id) != 0 || now - e->refusals_since_us > 3600 * 1000000LL) {
        e->refusals = 0;
        e->refusals_since_us = now;
    }
    int n = strcmp(e->id, key_id) == 0 ? ++e->refusals : 1;
    pthread_mutex_unlock(&svc->key_lock);
    return n;
}

void nt_svc_keys_forget_org(nt_svc *svc, const char *org_id)
{
    json_t *keys = nt__svc_q(svc, NT_Q_org_keys, json_pack("[s]", org_id));
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) nt_svc_key_forget(svc, nt_json_str(k, "id"));
    json_decref(keys);
}
