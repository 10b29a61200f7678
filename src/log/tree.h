/* An append-only Merkle tree in memory that keeps every perfect subtree's
 * root: level h holds the roots of leaves [i * 2^h, (i + 1) * 2^h). Roots of
 * any prefix, inclusion and consistency proofs and tlog tiles then cost
 * O(log n) lookups instead of rehashing. About 64 bytes per leaf. Not
 * synchronised: the caller locks. */
#ifndef NT_LOG_TREE_H
#define NT_LOG_TREE_H
#include "log/merkle.h"
#include <stddef.h>
#include <stdint.h>

#define NT_MTREE_LEVELS 64

typedef struct nt_mtree {
    nt_hash *lvl[NT_MTREE_LEVELS];
    uint64_t cap[NT_MTREE_LEVELS];
    uint64_t size; /* leaves; level h holds size >> h hashes */
} nt_mtree;

void nt_mtree_free(nt_mtree *t);
/** Appends a leaf hash; 0, or -1 when out of memory (the tree is unchanged). */
int nt_mtree_append(nt_mtree *t, const nt_hash *leaf);
/** MTH of leaves [start, start + n), which must be within the tree. */
void nt_mtree_range(const nt_mtree *t, uint64_t start, uint64_t n, nt_hash *out);
/** The root of the first `size` leaves (size <= t->size). */
void nt_mtree_root(const nt_mtree *t, uint64_t size, nt_hash *out);
int nt_mtree_prove_inclusion(const nt_mtree *t, uint64_t size, uint64_t index, nt_hash *out, size_t cap);
int nt_mtree_prove_consistency(const nt_mtree *t, uint64_t size1, uint64_t size2, nt_hash *out, size_t cap);
/** The hashes of tile (level, n) as the tree of `size` leaves has them: 0 and *width (1-256), or -1
 * when that tile does not exist at this size. hashes points into the tree (valid until the next append). */
int nt_mtree_tile(const nt_mtree *t, uint64_t size, int level, uint64_t n, const nt_hash **hashes, unsigned *width);
#endif
