/* Token buckets per client address; see ratelimit.h. */
#include "core/alloc.h"
#include "http/ratelimit.h"
#include "core/util.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 8192

struct bucket {
    char client[48];
    double tokens;
    int64_t at_us;
};

struct nt_ratelimit {
    double rate, burst;
    pthread_mutex_t lock;
    struct bucket b[BUCKETS];
};

nt_ratelimit *nt_ratelimit_new(double rate, double burst)
{
    nt_ratelimit *rl = nt_xcalloc(1, sizeof(*rl));
    if (rl == NULL)
        return NULL;
    rl->rate = rate > 0 ? rate : 1;
    rl->burst = burst >= 1 ? burst : 1;
    pthread_mutex_init(&rl->lock, NULL);
    return rl;
}

void nt_ratelimit_free(nt_ratelimit *rl)
{
    if (rl == NULL)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

bool nt_ratelimit_take(nt_ratelimit *rl, const char *client, int64_t now_us, int *retry_after)
{
    uint64_t h = nt_hash_str(client);
    pthread_mutex_lock(&rl->lock);
    struct bucket *b = &rl->b[h % BUCKETS];
    if (strncmp(b->client, client, sizeof(b->client)) != 0) {
        strncpy(b->client, client, sizeof(b->client) - 1);
        b->client[sizeof(b->client) - 1] = '\0';
        b->tokens = rl->burst;
        b->at_us = now_us;
    }
    double elapsed = (double)(now_us - b->at_us) / 1e6;
    if (elapsed > 0) {
        b->tokens = fmin(rl->burst, b->tokens + elapsed * rl->rate);
        b->at_us = now_us;
    }
    bool ok = b->tokens >= 1;
    if (ok)
        b->tokens -= 1;
    else
        *retry_after = (int)ceil((1 - b->tokens) / rl->rate);
    pthread_mutex_unlock(&rl->lock);
    return ok;
}

long nt_ratelimit_size(nt_ratelimit *rl)
{
    long n = 0;
    pthread_mutex_lock(&rl->lock);
    for (int i = 0; i < BUCKETS; i++)
        n += rl->b[i].client[0] != '\0';
    pthread_mutex_unlock(&rl->lock);
    return n;
}
