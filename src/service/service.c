/* Opening and closing the services: the store, the secrets beside it, the defaults; and the
 * names of the roles. */
#include "core/alloc.h"
#include "index/restrictions.h"
#include "service/ads.h"
#include "service/keys.h"
#include "service/screen.h"
#include "service/service.h"
#include "service/tlog.h"
#include <libgen.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

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
    nt_svc_secret_path(db, "log.size", svc->log_mark_path, sizeof(svc->log_mark_path));
    pthread_mutex_init(&svc->key_lock, NULL);
    pthread_mutex_init(&svc->follow_lock, NULL);
    svc->appeal_days = 30;
    svc->max_restriction_days = 730;
    svc->webhook_attempts = 8;
    svc->webhook_backoff_ms = 1000;
    svc->policy = nt_policy_default();
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
    sodium_memzero(svc->nid_key, sizeof(svc->nid_key));
    free(svc);
}
