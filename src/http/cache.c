/* Sharded response cache for persons; see cache.h.
 *
 * A put races an invalidation when a reader loaded the person from the
 * database, a writer then changed it and invalidated, and the reader puts its
 * old copy. To refuse that put, every invalidation bumps a global generation;
 * a put carries the generation read before the database read and is dropped
 * if any invalidation has happened since (rare: only under concurrent writes). */
#include "core/alloc.h"
#include "http/cache.h"
#include "core/util.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SHARDS   64
#define ID_MAX   48
#define ETAG_MAX 24

struct entry {
    char id[ID_MAX];
    char etag[2][ETAG_MAX];
    char *body[2];
    size_t len[2];
    uint64_t stamp; /* insertion order, for eviction */
    struct entry *next;
};

struct shard {
    pthread_rwlock_t lock;
    struct entry **buckets;
    size_t nbuckets, count;
    uint64_t stamp;
};

struct nt_cache {
    struct shard shards[SHARDS];
    size_t max_per_shard;
    _Atomic uint64_t gen;
    _Atomic size_t size;
};

nt_cache *nt_cache_new(size_t max_entries)
{
    nt_cache *c = nt_xcalloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->max_per_shard = max_entries / SHARDS + 1;
    for (int i = 0; i < SHARDS; i++) {
        pthread_rwlock_init(&c->shards[i].lock, NULL);
        c->shards[i].nbuckets = 256;
        c->shards[i].buckets = nt_xcalloc(256, sizeof(struct entry *));
        if (c->shards[i].buckets == NULL) {
            nt_cache_free(c);
            return NULL;
        }
    }
    return c;
}

static void entry_free(struct entry *e)
{
    free(e->body[0]);
    free(e->body[1]);
    free(e);
}

void nt_cache_free(nt_cache *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < SHARDS; i++) {
        struct shard *s = &c->shards[i];
        for (size_t b = 0; s->buckets && b < s->nbuckets; b++) {
            struct entry *e = s->buckets[b];
            while (e) {
                struct entry *n = e->next;
                entry_free(e);
                e = n;
            }
        }
        free(s->buckets);
        pthread_rwlock_destroy(&s->lock);
    }
    free(c);
}

static struct shard *shard_of(nt_cache *c, uint64_t h)
{
    return &c->shards[h % SHARDS];
}

static struct entry **slot(struct shard *s, uint64_t h, const char *id)
{
    struct entry **p = &s->buckets[(h / SHARDS) % s->nbuckets];
    while (*p != NULL && strcmp((*p)->id, id) != 0)
        p = &(*p)->next;
    return p;
}

bool nt_cache_with(nt_cache *c, const char *id, enum nt_cache_view view,
                   void (*fn)(void *arg, const char *body, size_t len, const char *etag), void *arg)
{
    uint64_t h = nt_hash_str(id);
    struct shard *s = shard_of(c, h);
    bool hit = false;
    pthread_rwlock_rdlock(&s->lock);
    struct entry *e = *slot(s, h, id);
    if (e != NULL && e->body[view] != NULL) {
        fn(arg, e->body[view], e->len[view], e->etag[view]);
        hit = true;
    }
    pthread_rwlock_unlock(&s->lock);
    return hit;
}

uint64_t nt_cache_gen(nt_cache *c)
{
    return atomic_load(&c->gen);
}

/* Drops the oldest entry of a full shard. */
static void evict_one(nt_cache *c, struct shard *s)
{
    struct entry **oldest = NULL;
    for (size_t b = 0; b < s->nbuckets; b++)
        for (struct entry **p = &s->buckets[b]; *p; p = &(*p)->next)
            if (oldest == NULL || (*p)->stamp < (*oldest)->stamp)
                oldest = p;
    if (oldest != NULL) {
        struct entry *e = *oldest;
        *oldest = e->next;
        entry_free(e);
        s->count--;
        atomic_fetch_sub(&c->size, 1);
    }
}

void nt_cache_put(nt_cache *c, const char *id, enum nt_cache_view view, const char *body, size_t len, const char *etag,
                  uint64_t gen)
{
    if (strlen(id) >= ID_MAX || strlen(etag) >= ETAG_MAX)
        return;
    char *copy = nt_xmalloc(len);
    if (copy == NULL)
        return;
    memcpy(copy, body, len);
    uint64_t h = nt_hash_str(id);
    struct shard *s = shard_of(c, h);
    pthread_rwlock_wrlock(&s->lock);
    if (atomic_load(&c->gen) != gen) { /* an invalidation happened since the read */
        pthread_rwlock_unlock(&s->lock);
        free(copy);
        return;
    }
    struct entry **p = slot(s, h, id);
    if (*p == NULL) {
        if (s->count >= c->max_per_shard)
            evict_one(c, s);
        p = slot(s, h, id);
        struct entry *e = nt_xcalloc(1, sizeof(*e));
        if (e == NULL) {
            pthread_rwlock_unlock(&s->lock);
            free(copy);
            return;
        }
        strcpy(e->id, id);
        e->stamp = ++s->stamp;
        *p = e;
        s->count++;
        atomic_fetch_add(&c->size, 1);
    }
    struct entry *e = *p;
    /* Both views of one entry must come from the same version. */
    if (e->body[!view] != NULL && strcmp(e->etag[!view], etag) != 0) {
        free(e->body[!view]);
        e->body[!view] = NULL;
    }
    free(e->body[view]);
    e->body[view] = copy;
    e->len[view] = len;
    strcpy(e->etag[view], etag);
    pthread_rwlock_unlock(&s->lock);
}

void nt_cache_invalidate(nt_cache *c, const char *id)
{
    uint64_t h = nt_hash_str(id);
    struct shard *s = shard_of(c, h);
    pthread_rwlock_wrlock(&s->lock);
    atomic_fetch_add(&c->gen, 1);
    struct entry **p = slot(s, h, id);
    if (*p != NULL) {
        struct entry *e = *p;
        *p = e->next;
        entry_free(e);
        s->count--;
        atomic_fetch_sub(&c->size, 1);
    }
    pthread_rwlock_unlock(&s->lock);
}

size_t nt_cache_size(nt_cache *c)
{
    return atomic_load(&c->size);
}
