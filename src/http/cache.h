/* Rendered person responses kept in memory, so GET /v1/persons/{id} is a
 * hash lookup and a copy, not two database queries and a JSON render.
 *
 * An entry holds the body for each view (public, full) and the ETag. Entries
 * are dropped when this process writes the person or its accounts, and when
 * the change-sequence follower sees another process (CLI, another replica)
 * do so; an entry is therefore never staler than one follower interval for
 * writes made elsewhere, and never stale for writes made here. Sharded, with
 * a read-write lock per shard: readers do not wait on each other. */
#ifndef NT_HTTP_CACHE_H
#define NT_HTTP_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nt_cache nt_cache;

enum nt_cache_view { NT_VIEW_PUBLIC = 0, NT_VIEW_FULL = 1 };

/** max_entries bounds memory: when full, a shard drops its oldest entries. */
nt_cache *nt_cache_new(size_t max_entries);
void nt_cache_free(nt_cache *c);

/** Calls fn with the cached body and ETag of id in view, under the shard's read lock; false on a miss. */
bool nt_cache_with(nt_cache *c, const char *id, enum nt_cache_view view,
                   void (*fn)(void *arg, const char *body, size_t len, const char *etag), void *arg);

/** Stores a body for id and view, unless an invalidation of id happened after gen was read. */
void nt_cache_put(nt_cache *c, const char *id, enum nt_cache_view view, const char *body, size_t len, const char *etag,
                  uint64_t gen);

/** The invalidation generation to pass to nt_cache_put for a value read from the database now. */
uint64_t nt_cache_gen(nt_cache *c);

/** Drops id (both views). */
void nt_cache_invalidate(nt_cache *c, const char *id);

/** Entries held. */
size_t nt_cache_size(nt_cache *c);
#endif
