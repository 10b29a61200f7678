/* The in-memory Merkle tree; see tree.h. */
#include "core/alloc.h"
#include "log/tree.h"
#include "log/tiles.h"
#include <stdlib.h>
#include <string.h>

void nt_mtree_free(nt_mtree *t)
{
    for (int h = 0; h < NT_MTREE_LEVELS; h++)
        free(t->lvl[h]);
    memset(t, 0, sizeof(*t));
}

int nt_mtree_append(nt_mtree *t, const nt_hash *leaf)
{
    /* Reserve first, so a failure leaves the tree as it was. */
    uint64_t s1 = t->size + 1;
    for (int h = 0; h < NT_MTREE_LEVELS && (h == 0 || (s1 & ((1ULL << h) - 1)) == 0); h++) {
        uint64_t n = s1 >> h;
        if (n > t->cap[h]) {
            uint64_t cap = t->cap[h] ? t->cap[h] * 2 : 64;
            nt_hash *p = nt_xrealloc(t->lvl[h], cap * sizeof(nt_hash));
            if (p == NULL)
                return -1;
            t->lvl[h] = p;
            t->cap[h] = cap;
        }
    }
    t->lvl[0][t->size] = *leaf;
    for (int h = 1; h < NT_MTREE_LEVELS && (s1 & ((1ULL << h) - 1)) == 0; h++) {
        uint64_t i = (s1 >> h) - 1;
        nt_merkle_node_hash(&t->lvl[h - 1][2 * i], &t->lvl[h - 1][2 * i + 1], &t->lvl[h][i]);
    }
    t->size = s1;
    return 0;
}

/* The largest power of two smaller than n (n >= 2). */
static uint64_t split(uint64_t n)
{
    uint64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

void nt_mtree_range(const nt_mtree *t, uint64_t start, uint64_t n, nt_hash *out)
{
    if (n == 0) {
        nt_merkle_root(NULL, 0, out);
        return;
    }
    if ((n & (n - 1)) == 0 && (start & (n - 1)) == 0) { /* a perfect subtree: stored */
        int h = __builtin_ctzll(n);
        *out = t->lvl[h][start >> h];
        return;
    }
    uint64_t k = split(n);
    nt_hash l, r;
    nt_mtree_range(t, start, k, &l);
    nt_mtree_range(t, start + k, n - k, &r);
    nt_merkle_node_hash(&l, &r, out);
}

void nt_mtree_root(const nt_mtree *t, uint64_t size, nt_hash *out)
{
    nt_mtree_range(t, 0, size, out);
}

static void range_fn(void *ctx, uint64_t start, uint64_t n, nt_hash *out)
{
    nt_mtree_range(ctx, start, n, out);
}

int nt_mtree_prove_inclusion(const nt_mtree *t, uint64_t size, uint64_t index, nt_hash *out, size_t cap)
{
    if (size > t->size)
        return -1;
    return nt_merkle_prove_inclusion_with(range_fn, (void *)t, size, index, out, cap);
}

int nt_mtree_prove_consistency(const nt_mtree *t, uint64_t size1, uint64_t size2, nt_hash *out, size_t cap)
{
    if (size2 > t->size)
        return -1;
    return nt_merkle_prove_consistency_with(range_fn, (void *)t, size1, size2, out, cap);
}

int nt_mtree_tile(const nt_mtree *t, uint64_t size, int level, uint64_t n, const nt_hash **hashes, unsigned *width)
{
    int h = level * 8;
    if (level < 0 || h >= NT_MTREE_LEVELS || size > t->size)
        return -1;
    uint64_t count = size >> h; /* hashes at this level */
    if (n > (count - (count > 0)) / NT_TILE_WIDTH || count == 0)
        return -1;
    uint64_t first = n * NT_TILE_WIDTH, left = count - first;
    *width = left >= NT_TILE_WIDTH ? NT_TILE_WIDTH : (unsigned)left;
    *hashes = t->lvl[h] + first;
    return 0;
}
