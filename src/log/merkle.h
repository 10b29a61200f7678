/* RFC 6962 / RFC 9162 Merkle tree hashing and proof verification.
 *
 * Leaves hash as SHA-256(0x00 || data), interior nodes as SHA-256(0x01 ||
 * left || right). Verification follows RFC 9162 sections 2.1.3.2 (inclusion)
 * and 2.1.4.2 (consistency) and is checked against the public test vectors
 * (shared/vectors/merkle). Pure functions. */
#ifndef NT_LOG_MERKLE_H
#define NT_LOG_MERKLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NT_HASH_LEN 32

typedef struct nt_hash {
    uint8_t b[NT_HASH_LEN];
} nt_hash;

void nt_merkle_leaf_hash(const void *data, size_t len, nt_hash *out);
void nt_merkle_node_hash(const nt_hash *left, const nt_hash *right, nt_hash *out);

/** The root of the tree of n leaf hashes (n = 0: SHA-256 of the empty string). */
void nt_merkle_root(const nt_hash *leaves, uint64_t n, nt_hash *out);

/** True when proof shows leaf `index` with hash `leaf` is in the tree of `size` leaves with `root`. */
bool nt_merkle_verify_inclusion(uint64_t index, uint64_t size, const nt_hash *leaf, const nt_hash *proof, size_t nproof,
                                const nt_hash *root);

/** True when proof shows the tree of size1 leaves (root1) is a prefix of the tree of size2 (root2). */
bool nt_merkle_verify_consistency(uint64_t size1, uint64_t size2, const nt_hash *root1, const nt_hash *root2, const nt_hash *proof,
                                  size_t nproof);

/** The inclusion proof of leaf `index` in the tree of the first `size` leaf hashes (RFC 9162
 * §2.1.3.1). Writes at most cap hashes; returns how many, or -1 if index >= size or cap is short. */
int nt_merkle_prove_inclusion(const nt_hash *leaves, uint64_t size, uint64_t index, nt_hash *out, size_t cap);

/** The consistency proof from the tree of size1 to the tree of size2 leaves (RFC 9162 §2.1.4.1). */
int nt_merkle_prove_consistency(const nt_hash *leaves, uint64_t size1, uint64_t size2, nt_hash *out, size_t cap);

/** Where a prover reads MTH(D[start, start + n)) from, for trees that keep their inner nodes. */
typedef void (*nt_merkle_range_fn)(void *ctx, uint64_t start, uint64_t n, nt_hash *out);
int nt_merkle_prove_inclusion_with(nt_merkle_range_fn fn, void *ctx, uint64_t size, uint64_t index, nt_hash *out, size_t cap);
int nt_merkle_prove_consistency_with(nt_merkle_range_fn fn, void *ctx, uint64_t size1, uint64_t size2, nt_hash *out, size_t cap);

/** Checks one test vector file in the JSON format of shared/vectors/merkle: 0 when the verdict
 * matches its wantErr, 1 when it does not, -1 when the file is not a vector. */
int nt_merkle_check_vector(const char *json, size_t len, char *why, size_t cap);
#endif
