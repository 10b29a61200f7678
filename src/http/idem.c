/* Idempotency-Key on every route that writes: the claims that make a duplicate wait, and the
 * answer kept with a write's record (replay.c answers retries).
 *
 * A write carrying a key records it in its own transaction (the store writes one record per
 * write); once its answer is sent, the answer's exact bytes are kept with that record. A retry
 * with the same key and request replays those bytes with Idempotent-Replayed: true; the same key
 * with another request is 422. A duplicate that arrives while the first is still running waits
 * for it here (claims held in memory, keyed by a hash of scope and key) and then replays its
 * answer, or runs itself if the first failed and so recorded nothing: a first try never sees 409. */
#include "core/alloc.h"
#include "http/http.h"
#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#define CLAIMS      1024
#define WAIT_MS_MAX 30000

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned char held[CLAIMS][16];
    bool used[CLAIMS];
} claims = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, {{0}}, {0}};

static void claim_id(const nt_req *r, unsigned char out[16])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 16);
    crypto_generichash_update(&st, (const unsigned char *)r->idem_scope, strlen(r->idem_scope) + 1);
    crypto_generichash_update(&st, (const unsigned char *)r->idem_key, strlen(r->idem_key));
    crypto_generichash_final(&st, out, 16);
}

static int find(const unsigned char id[16])
{
    for (int i = 0; i < CLAIMS; i++)
        if (claims.used[i] && memcmp(claims.held[i], id, 16) == 0)
            return i;
    return -1;
}

/* Waits while another request holds the same key, then holds it. False after WAIT_MS_MAX. */
bool nt__idem_claim(nt_req *r)
{
    unsigned char id[16];
    claim_id(r, id);
    struct timespec deadline;
    nt_deadline_ms(WAIT_MS_MAX, &deadline);
    pthread_mutex_lock(&claims.mu);
    while (find(id) >= 0) {
        if (pthread_cond_timedwait(&claims.cv, &claims.mu, &deadline) == ETIMEDOUT) {
            pthread_mutex_unlock(&claims.mu);
            return false;
        }
    }
    int slot;
    for (slot = 0; slot < CLAIMS && claims.used[slot]; slot++)
        ;
    if (slot < CLAIMS) { /* a full table only loses the wait: the store still refuses a second record */
        memcpy(claims.held[slot], id, 16);
        claims.used[slot] = true;
        r->idem_claimed = true;
        r->idem_slot = slot;
    }
    pthread_mutex_unlock(&claims.mu);
    return true;
}

void nt__idem_release(nt_req *r)
{
    if (!r->idem_claimed)
        return;
    pthread_mutex_lock(&claims.mu);
    claims.used[r->idem_slot] = false;
    pthread_cond_broadcast(&claims.cv);
    pthread_mutex_unlock(&claims.mu);
    r->idem_claimed = false;
}

void nt__idem_hash(nt_req *r)
{
    crypto_hash_sha256_state st;
    unsigned char h[32];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)r->method, strlen(r->method));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)r->target, strcspn(r->target, "?"));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    if (r->body != NULL)
        crypto_hash_sha256_update(&st, (const unsigned char *)r->body, r->body_len);
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(r->idem_hash, sizeof(r->idem_hash), h, sizeof(h));
}

void nt__idem_keep(nt_req *r, unsigned status, const char *ctype, const char *data, size_t len)
{
    if (r->idem_replay || !r->logged.idem_recorded || status < 200 || status >= 300)
        return;
    char *shown = NULL;
    if (r->route->flags & NT_ROUTE_SECRET) { /* kept without the secret: it is shown once */
        json_t *o = json_loadb(data, len, 0, NULL);
        json_object_del(o, "secret");
        json_object_del(o, "password");
        shown = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (shown == NULL)
            return;
        data = shown;
        len = strlen(shown);
    }
    json_t *h = json_object();
    json_object_set_new(h, "Content-Type", json_string(ctype));
    for (int i = 0; i < r->nheaders; i++)
        if (strcmp(r->headers[i].name, "Idempotent-Replayed") != 0)
            json_object_set_new(h, r->headers[i].name, json_string(r->headers[i].value));
    char *hs = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(h);
    char at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    nt_store *st = r->env->svc->store;
    if (st->ops->idem_answer(st, r->idem_scope, r->idem_key, (int)status, hs, data, len, at) != 0)
        fprintf(stderr, "{\"msg\":\"idempotency answer not kept\",\"id\":\"%s\"}\n", r->id);
    free(hs);
    free(shown);
}
