/* Opening and closing the services: the store, the secrets beside it, the defaults; and the
 * names of the roles. */
#include "core/alloc.h"
#include "index/restrictions.h"
#include "service/ads.h"
#include "service/keys.h"
#include "service/screen.h"
#include "service/service.h"
#include "core/webpush.h"
#include "service/tlog.h"
#include "service/users.h"
#include "service/credentials.h"
#include "service/feeds.h"
#include "log/vc.h"
#include <fcntl.h>
#include <libgen.h>
#include <unistd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[NT_ROLE_COUNT] = {"public", "admin", "regulator", "platform", "advertiser", "kol", "programme"};

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

const char *const nt_svc_secret_files[] = {"hash.key", "log.key", "log.pub", "programme.key", "programme.pub", "vapid.key", NULL};

/* Beside a SQLite file; for a PostgreSQL URL, in the directory NIEMTIN_SECRETS names (default
 * var): the same files on every server of one database, copied there by the operator. */
void nt_svc_secret_path(const char *db, const char *name, char *out, size_t cap)
{
    if (nt_store_is_postgres(db)) {
        const char *dir = getenv("NIEMTIN_SECRETS");
        snprintf(out, cap, "%s/%s", dir != NULL && *dir ? dir : "var", name);
        return;
    }
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

/* The programme key (programme.key: the Ed25519 seed in hex, 0600), which signs certificates and
 * status lists, apart from the log key. `niemtin init` makes it; a database made before the trust
 * programme existed gets one the first time it is opened. programme.pub holds its Multikey. */
static int load_programme_key(const char *db, nt_svc *svc, nt_err *err)
{
    char path[4096], hex[80] = {0};
    unsigned char seed[32];
    nt_svc_secret_path(db, "programme.key", path, sizeof(path));
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        randombytes_buf(seed, sizeof(seed));
        sodium_bin2hex(hex, sizeof(hex), seed, sizeof(seed));
        strcat(hex, "\n");
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        bool ok = fd >= 0 && write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) && fsync(fd) == 0;
        if (fd >= 0)
            close(fd);
        if (!ok && access(path, R_OK) != 0) /* another process may have made it meanwhile: read theirs */
            return nt_err_set(err, NT_EIO, "cannot create %s", "không tạo được %s", path);
        sodium_memzero(hex, sizeof(hex));
        f = fopen(path, "r");
        if (f == NULL)
            return nt_err_set(err, NT_EIO, "cannot read %s", "không đọc được %s", path);
    }
    size_t n = fread(hex, 1, sizeof(hex) - 1, f), len = 0;
    fclose(f);
    if (sodium_hex2bin(seed, 32, hex, n, "\n", &len, NULL) != 0 || len != 32)
        return nt_err_set(err, NT_EINVAL, "%s is not a 32-byte hex key", "%s không phải khóa hex 32 byte", path);
    crypto_sign_seed_keypair(svc->programme_pk, svc->programme_sk, seed);
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(hex, sizeof(hex));
    char mk[NT_VC_MULTIKEY_LEN + 1];
    nt_vc_multikey(svc->programme_pk, mk);
    strcat(mk, "\n");
    nt_svc_secret_path(db, "programme.pub", path, sizeof(path));
    if (access(path, F_OK) != 0) {
        FILE *p = fopen(path, "w");
        if (p != NULL) {
            fputs(mk, p);
            fclose(p);
        }
    }
    return 0;
}

/* The Web Push key (vapid.key: the P-256 scalar in hex, 0600) that identifies this server to push
 * services (RFC 8292); made the first time a database is opened, as the programme key is. */
static int load_vapid_key(const char *db, nt_svc *svc, nt_err *err)
{
    char path[4096], hex[80] = {0};
    nt_svc_secret_path(db, "vapid.key", path, sizeof(path));
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (nt_p256_keypair(svc->vapid_sk, svc->vapid_pk) != 0)
            return nt_err_set(err, NT_EIO, "cannot make a P-256 key", "không tạo được khóa P-256");
        sodium_bin2hex(hex, sizeof(hex), svc->vapid_sk, sizeof(svc->vapid_sk));
        strcat(hex, "\n");
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        bool ok = fd >= 0 && write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) && fsync(fd) == 0;
        if (fd >= 0)
            close(fd);
        sodium_memzero(hex, sizeof(hex));
        if (!ok && access(path, R_OK) != 0)
            return nt_err_set(err, NT_EIO, "cannot create %s", "không tạo được %s", path);
        f = fopen(path, "r"); /* another process may have made it first: theirs stands */
        if (f == NULL)
            return nt_err_set(err, NT_EIO, "cannot read %s", "không đọc được %s", path);
    }
    size_t n = fread(hex, 1, sizeof(hex) - 1, f), len = 0;
    fclose(f);
    int rc = sodium_hex2bin(svc->vapid_sk, 32, hex, n, "\n", &len, NULL) != 0 || len != 32 ||
                     nt_p256_public(svc->vapid_sk, svc->vapid_pk) != 0
                 ? nt_err_set(err, NT_EINVAL, "%s is not a P-256 key in hex", "%s không phải khóa P-256 dạng hex", path)
                 : 0;
    sodium_memzero(hex, sizeof(hex));
    return rc;
}

int nt_svc_open(nt_svc **out, const char *db, bool create, nt_err *err)
{
    return nt_svc_open_ex(out, db, create, false, err);
}

/* read_only: a server on a read-only copy (a hot standby): no migration (the primary's), no writes. */
int nt_svc_open_ex(nt_svc **out, const char *db, bool create, bool read_only, nt_err *err)
{
    if (sodium_init() < 0)
        return nt_err_set(err, NT_EIO, "libsodium failed to initialise", "không khởi tạo được libsodium");
    nt_svc *svc = nt_xcalloc(1, sizeof(*svc));
    if (svc == NULL)
        return NT_ENOMEM;
    int rc = load_nid_key(db, svc->nid_key, err);
    if (rc == 0)
        rc = load_programme_key(db, svc, err);
    if (rc == 0)
        rc = load_vapid_key(db, svc, err);
    if (rc == 0)
        rc = nt_store_open(db, create, &svc->store, err);
    if (rc == 0 && read_only)
        svc->store->read_only = true;
    else if (rc == 0)
        rc = svc->store->ops->migrate(svc->store, err);
    if (rc != 0) {
        nt_store_close(svc->store);
        free(svc);
        return rc;
    }
    nt_svc_secret_path(db, ".", svc->data_dir, sizeof(svc->data_dir));
    nt_svc_secret_path(db, "log.key", svc->log_key_path, sizeof(svc->log_key_path));
    nt_svc_secret_path(db, "log.pub", svc->log_pub_path, sizeof(svc->log_pub_path));
    nt_svc_secret_path(db, "log.size", svc->log_mark_path, sizeof(svc->log_mark_path));
    pthread_mutex_init(&svc->key_lock, NULL);
    pthread_mutex_init(&svc->follow_lock, NULL);
    svc->appeal_days = 30;
    svc->max_restriction_days = 730;
    svc->webhook_attempts = 8;
    svc->webhook_backoff_ms = 1000;
    svc->policy = nt_policy_default();
    svc->clean_record_months = 12;
    svc->session_idle_us = NT_SESSION_IDLE_S * 1000000LL;
    svc->session_max_us = NT_SESSION_MAX_S * 1000000LL;
    svc->next_status_index = -1;
    snprintf(svc->public_url, sizeof(svc->public_url), "http://127.0.0.1:8080");
    pthread_mutex_init(&svc->status_lock, NULL);
    svc->key_changed = nt_svc_key_forget;
    svc->org_changed = nt_svc_keys_forget_org;
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
    nt_svc_status_lists_free(svc);
    nt_svc_notice_feeds_drop(svc);
    pthread_mutex_destroy(&svc->status_lock);
    sodium_memzero(svc->nid_key, sizeof(svc->nid_key));
    sodium_memzero(svc->programme_sk, sizeof(svc->programme_sk));
    free(svc);
}
