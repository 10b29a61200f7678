/* Idempotency-Key on every route that writes.
 *
 * A write carrying a key records it in its own transaction (the store writes one record per
 * write); once its answer is sent, the answer's exact bytes are kept with that record. A retry
 * with the same key and request replays those bytes with Idempotent-Replayed: true; the same key
 * with another request is 422. A duplicate that arrives while the first is still running waits
 * for it here (claims held in memory, keyed by a hash of scope and key) and then replays its
 * answer, or runs itself if the first failed and so recorded nothing: a first try never sees 409. */
#include "core/alloc.h"
#include "http/handlers.h"
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
static bool claim(nt_req *r)
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

static void request_hash(nt_req *r)
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

/* The answer kept with the record, as it was sent. */
static enum MHD_Result replay_answer(nt_req *r, const nt_idem_record *rec)
{
    const char *ctype = "application/json; charset=utf-8";
    json_t *h = rec->headers ? json_loads(rec->headers, 0, NULL) : NULL;
    const char *name;
    json_t *v;
    json_object_foreach(h, name, v)
    {
        if (strcmp(name, "Content-Type") == 0)
            ctype = json_string_value(v);
        else
            nt_resp_header(r, name, json_string_value(v));
    }
    nt_resp_header(r, "Idempotent-Replayed", "true");
    enum MHD_Result ret = nt_respond_bytes(r, (unsigned)rec->status, ctype, rec->answer, rec->answer_len, true);
    json_decref(h);
    return ret;
}

/* A write whose answer's bytes were lost (the machine stopped between the commit and keeping
 * them): the resource it recorded, or its id, with receipts for the entries it appended. */
static enum MHD_Result replay_record(nt_req *r, const nt_idem_record *rec)
{
    json_t *body = rec->response ? json_loads(rec->response, 0, NULL) : NULL;
    if (!json_is_object(body)) {
        json_decref(body);
        body = json_pack("{s:s}", "id", rec->entity_id);
    }
    r->logged = rec->logged;
    nt__server_catch_up(r->srv);
    nt_h_add_receipts(r, body);
    nt_resp_header(r, "Idempotent-Replayed", "true");
    r->idem_replay = false; /* this answer is kept, so later retries get these very bytes */
    r->logged.idem_recorded = true;
    return nt_respond_json(r, rec->created ? 201 : 200, body);
}

enum MHD_Result nt__idempotency(nt_req *r, bool *done)
{
    *done = false;
    const char *key = nt_req_header(r, "Idempotency-Key");
    bool writes = strcmp(r->route->method, "GET") != 0 && !(r->route->flags & NT_ROUTE_READS);
    if (key == NULL || !writes)
        return MHD_YES;
    size_t n = strlen(key);
    bool ok = n > 0 && n < sizeof(r->idem_key);
    for (const char *p = key; ok && *p; p++)
        ok = *p >= 0x21 && *p <= 0x7e;
    *done = true;
    nt_err e;
    nt_err_clear(&e);
    if (!ok) {
        nt_err_field(&e, "Idempotency-Key", "invalid", 0);
        return nt_respond_problem(r, 400, "bad-request", &e);
    }
    nt_strlcpy(r->idem_key, key, sizeof(r->idem_key));
    if (r->actor.key_id[0])
        snprintf(r->idem_scope, sizeof(r->idem_scope), "key:%s", r->actor.key_id);
    else
        snprintf(r->idem_scope, sizeof(r->idem_scope), "ip:%s", r->client);
    request_hash(r);
    if (!claim(r)) {
        nt_err_set(&e, NT_EBUSY, "a request with this Idempotency-Key is still being processed; retry later",
                   "một yêu cầu với Idempotency-Key này vẫn đang được xử lý; hãy thử lại sau");
        r->idem_key[0] = '\0';
        return nt_respond_problem(r, 409, "idempotency-in-progress", &e);
    }
    nt_store *st = nt_req_svc(r)->store;
    nt_idem_record rec;
    int rc = st->ops->idem_get(st, r->idem_scope, r->idem_key, &rec);
    if (rc == NT_ENOTFOUND) {
        *done = false;
        return MHD_YES;
    }
    enum MHD_Result ret;
    r->idem_replay = true;
    if (rc != 0) {
        ret = nt_respond_problem(r, 503, "unavailable", NULL);
    } else if (strcmp(rec.request_hash, r->idem_hash) != 0) {
        nt_err_set(&e, NT_EINVAL, "this Idempotency-Key was used with a different request",
                   "Idempotency-Key này đã được dùng cho một yêu cầu khác");
        ret = nt_respond_problem(r, 422, "idempotency-key-reused", &e);
    } else {
        ret = rec.answered ? replay_answer(r, &rec) : replay_record(r, &rec);
    }
    nt_idem_record_free(&rec);
    return ret;
}

void nt__idem_keep(nt_req *r, unsigned status, const char *ctype, const char *data, size_t len)
{
    if (r->idem_replay || !r->logged.idem_recorded || status < 200 || status >= 300)
        return;
    char *shown = NULL;
    if (r->route->flags & NT_ROUTE_SECRET) { /* kept without the secret: it is shown once */
        json_t *o = json_loadb(data, len, 0, NULL);
        json_object_del(o, "secret");
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
    nt_store *st = nt_req_svc(r)->store;
    if (st->ops->idem_answer(st, r->idem_scope, r->idem_key, (int)status, hs, data, len, at) != 0)
        fprintf(stderr, "{\"msg\":\"idempotency answer not kept\",\"id\":\"%s\"}\n", r->id);
    free(hs);
    free(shown);
}
