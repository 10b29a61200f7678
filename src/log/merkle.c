/* RFC 6962 / RFC 9162 hashing and proof verification; see merkle.h. */
/* SHA256_Init and friends: deprecated in OpenSSL 3 for EVP, which locks and allocates per digest. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/alloc.h"
#include "log/merkle.h"
#include <openssl/sha.h>
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OpenSSL's low-level SHA-256 uses the CPU's SHA extensions and takes no lock: a node hash costs a
 * fraction of libsodium's portable one (PERFORMANCE.md), and a log of a million entries hashes two
 * million of them when it loads. Same SHA-256; the test vectors check it. */
void nt_merkle_leaf_hash(const void *data, size_t len, nt_hash *out)
{
    SHA256_CTX st;
    SHA256_Init(&st);
    SHA256_Update(&st, "\x00", 1);
    SHA256_Update(&st, data, len);
    SHA256_Final(out->b, &st);
}

void nt_merkle_node_hash(const nt_hash *left, const nt_hash *right, nt_hash *out)
{
    SHA256_CTX st;
    SHA256_Init(&st);
    SHA256_Update(&st, "\x01", 1);
    SHA256_Update(&st, left->b, NT_HASH_LEN);
    SHA256_Update(&st, right->b, NT_HASH_LEN);
    SHA256_Final(out->b, &st);
}

/* The largest power of two smaller than n (n >= 2): where RFC 9162 splits a tree. */
static uint64_t split(uint64_t n)
{
    uint64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

/* MTH(D[n]). */
void nt_merkle_root(const nt_hash *leaves, uint64_t n, nt_hash *out)
{
    if (n == 0) {
        crypto_hash_sha256(out->b, (const unsigned char *)"", 0);
        return;
    }
    if (n == 1) {
        *out = leaves[0];
        return;
    }
    uint64_t k = split(n);
    nt_hash l, r;
    nt_merkle_root(leaves, k, &l);
    nt_merkle_root(leaves + k, n - k, &r);
    nt_merkle_node_hash(&l, &r, out);
}

/* Where a prover gets subtree roots from: a plain array of leaf hashes, or a tree that keeps them. */
typedef struct src {
    nt_merkle_range_fn fn;
    void *ctx;
} src;

static void array_range(void *ctx, uint64_t start, uint64_t n, nt_hash *out)
{
    nt_merkle_root((const nt_hash *)ctx + start, n, out);
}

/* Appends MTH(D[start, start + n)) to a proof being built; -1 when it is full. */
static int append_root(const src *d, uint64_t start, uint64_t n, nt_hash *out, size_t cap, size_t *len)
{
    if (*len >= cap)
        return -1;
    d->fn(d->ctx, start, n, &out[(*len)++]);
    return 0;
}

/* PATH(m, D[start, start + n)) of RFC 9162 §2.1.3.1, appended leaf-most first. */
static int path(const src *d, uint64_t start, uint64_t n, uint64_t m, nt_hash *out, size_t cap, size_t *len)
{
    if (n <= 1)
        return 0;
    uint64_t k = split(n);
    if (m < k)
        return path(d, start, k, m, out, cap, len) != 0 ? -1 : append_root(d, start + k, n - k, out, cap, len);
    return path(d, start + k, n - k, m - k, out, cap, len) != 0 ? -1 : append_root(d, start, k, out, cap, len);
}

int nt_merkle_prove_inclusion_with(nt_merkle_range_fn fn, void *ctx, uint64_t size, uint64_t index, nt_hash *out, size_t cap)
{
    size_t len = 0;
    src d = {fn, ctx};
    if (index >= size || path(&d, 0, size, index, out, cap, &len) != 0)
        return -1;
    return (int)len;
}

int nt_merkle_prove_inclusion(const nt_hash *leaves, uint64_t size, uint64_t index, nt_hash *out, size_t cap)
{
    return nt_merkle_prove_inclusion_with(array_range, (void *)leaves, size, index, out, cap);
}

/* SUBPROOF(m, D[start, start + n), b) of RFC 9162 §2.1.4.1. */
static int subproof(const src *d, uint64_t start, uint64_t n, uint64_t m, bool b, nt_hash *out, size_t cap, size_t *len)
{
    if (m == n)
        return b ? 0 : append_root(d, start, n, out, cap, len);
    uint64_t k = split(n);
    if (m <= k)
        return subproof(d, start, k, m, b, out, cap, len) != 0 ? -1 : append_root(d, start + k, n - k, out, cap, len);
    return subproof(d, start + k, n - k, m - k, false, out, cap, len) != 0 ? -1 : append_root(d, start, k, out, cap, len);
}

int nt_merkle_prove_consistency_with(nt_merkle_range_fn fn, void *ctx, uint64_t size1, uint64_t size2, nt_hash *out, size_t cap)
{
    size_t len = 0;
    src d = {fn, ctx};
    if (size1 > size2)
        return -1;
    if (size1 == 0 || size1 == size2)
        return 0;
    if (subproof(&d, 0, size2, size1, true, out, cap, &len) != 0)
        return -1;
    return (int)len;
}

int nt_merkle_prove_consistency(const nt_hash *leaves, uint64_t size1, uint64_t size2, nt_hash *out, size_t cap)
{
    return nt_merkle_prove_consistency_with(array_range, (void *)leaves, size1, size2, out, cap);
}

static bool same(const nt_hash *a, const nt_hash *b)
{
    return sodium_memcmp(a->b, b->b, NT_HASH_LEN) == 0;
}

bool nt_merkle_verify_inclusion(uint64_t index, uint64_t size, const nt_hash *leaf, const nt_hash *proof, size_t nproof,
                                const nt_hash *root)
{
    if (index >= size)
        return false;
    uint64_t fn = index, sn = size - 1;
    nt_hash r = *leaf;
    for (size_t i = 0; i < nproof; i++) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            nt_merkle_node_hash(&proof[i], &r, &r);
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            nt_merkle_node_hash(&r, &proof[i], &r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && same(&r, root);
}

bool nt_merkle_verify_consistency(uint64_t size1, uint64_t size2, const nt_hash *root1, const nt_hash *root2, const nt_hash *proof,
                                  size_t nproof)
{
    if (size1 > size2)
        return false;
    if (size1 == size2)
        return nproof == 0 && same(root1, root2);
    if (size1 == 0)
        return nproof == 0; /* the empty tree is a prefix of every tree */
    if (nproof == 0)
        return false;
    /* If size1 is a power of two, its root is the first node of the path. */
    bool pow2 = (size1 & (size1 - 1)) == 0;
    size_t n = nproof + (pow2 ? 1 : 0);
    const nt_hash *path = proof;
    nt_hash *buf = NULL;
    if (pow2) {
        buf = nt_xmalloc(n * sizeof(nt_hash));
        if (buf == NULL)
            return false;
        buf[0] = *root1;
        memcpy(buf + 1, proof, nproof * sizeof(nt_hash));
        path = buf;
    }
    uint64_t fn = size1 - 1, sn = size2 - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    nt_hash fr = path[0], sr = path[0];
    bool ok = true;
    for (size_t i = 1; i < n; i++) {
        if (sn == 0) {
            ok = false;
            break;
        }
        if ((fn & 1) || fn == sn) {
            nt_merkle_node_hash(&path[i], &fr, &fr);
            nt_merkle_node_hash(&path[i], &sr, &sr);
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            nt_merkle_node_hash(&sr, &path[i], &sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    free(buf);
    return ok && sn == 0 && same(&fr, root1) && same(&sr, root2);
}

/* Base64 bytes of any length up to 64 (a vector may hold a hash of the wrong length on purpose);
 * -1 when absent or not base64, else the length. */
static int b64_bytes(const json_t *v, unsigned char out[64])
{
    const char *s = json_string_value(v);
    size_t len = 0;
    if (s == NULL || sodium_base642bin(out, 64, s, strlen(s), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
        return -1;
    return (int)len;
}

/* A base64 SHA-256 hash; false unless exactly 32 bytes. */
static bool b64_hash(const json_t *v, nt_hash *out)
{
    unsigned char tmp[64];
    if (b64_bytes(v, tmp) != NT_HASH_LEN)
        return false;
    memcpy(out->b, tmp, NT_HASH_LEN);
    return true;
}

/* A uint64 field read from the text itself: vectors hold values up to 2^64 - 1, beyond what a
 * JSON library's signed integers take. -1 when absent or not a non-negative integer. */
static int u64_field(const char *json, size_t len, const char *key, uint64_t *out)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\"", key);
    const char *p = memmem(json, len, pat, strlen(pat));
    if (p == NULL)
        return -1;
    p += strlen(pat);
    const char *end = json + len;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ':'))
        p++;
    if (p >= end || *p < '0' || *p > '9')
        return -1;
    char num[32];
    size_t n = 0;
    while (p < end && *p >= '0' && *p <= '9' && n < sizeof(num) - 1)
        num[n++] = *p++;
    num[n] = '\0';
    char *stop;
    errno = 0;
    *out = strtoull(num, &stop, 10);
    return errno == 0 && *stop == '\0' ? 0 : -1;
}

/* A consistency vector, its checks in the reference order: the sizes, then (equal sizes) the
 * roots compared as the bytes given, then (an empty first tree) nothing more, then an empty
 * proof; only a proof that must be computed needs every hash to be a SHA-256 hash. */
static bool vector_consistency(const char *json, size_t len, const json_t *v, const nt_hash *p, size_t n, bool hashes_ok)
{
    uint64_t s1 = 0, s2 = 0;
    unsigned char r1b[64], r2b[64];
    if (u64_field(json, len, "size1", &s1) != 0 || u64_field(json, len, "size2", &s2) != 0)
        return false;
    if (s2 < s1)
        return false;
    if (s1 == s2) {
        int l1 = b64_bytes(json_object_get(v, "root1"), r1b), l2 = b64_bytes(json_object_get(v, "root2"), r2b);
        return n == 0 && l1 >= 0 && l1 == l2 && memcmp(r1b, r2b, (size_t)l1) == 0;
    }
    if (s1 == 0)
        return n == 0;
    if (n == 0)
        return false;
    nt_hash r1, r2;
    return hashes_ok && b64_hash(json_object_get(v, "root1"), &r1) && b64_hash(json_object_get(v, "root2"), &r2) &&
           nt_merkle_verify_consistency(s1, s2, &r1, &r2, p, n);
}

int nt_merkle_check_vector(const char *json, size_t len, char *why, size_t cap)
{
    json_t *v = json_loadb(json, len, JSON_DECODE_INT_AS_REAL, NULL);
    json_t *want = json_object_get(v, "wantErr");
    if (!json_is_boolean(want)) {
        snprintf(why, cap, "not a test vector (no wantErr)");
        json_decref(v);
        return -1;
    }
    json_t *proof = json_object_get(v, "proof");
    size_t n = json_array_size(proof);
    nt_hash *p = nt_xcalloc(n + 1, sizeof(nt_hash));
    bool valid = p != NULL && (json_is_null(proof) || json_is_array(proof));
    for (size_t i = 0; valid && i < n; i++)
        valid = b64_hash(json_array_get(proof, i), &p[i]);
    bool verdict = false;
    const char *kind;
    if (json_object_get(v, "leafIdx") != NULL) {
        kind = "inclusion";
        nt_hash leaf, root;
        uint64_t idx = 0, size = 0;
        valid = valid && u64_field(json, len, "leafIdx", &idx) == 0 && u64_field(json, len, "treeSize", &size) == 0 &&
                b64_hash(json_object_get(v, "leafHash"), &leaf) && b64_hash(json_object_get(v, "root"), &root);
        verdict = valid && nt_merkle_verify_inclusion(idx, size, &leaf, p, n, &root);
    } else {
        kind = "consistency";
        verdict = p != NULL && (json_is_null(proof) || json_is_array(proof)) && vector_consistency(json, len, v, p, n, valid);
    }
    bool want_err = json_is_true(want);
    const char *desc = json_string_value(json_object_get(v, "desc"));
    snprintf(why, cap, "%s \"%s\": proof %s, wantErr %s", kind, desc ? desc : "", verdict ? "verifies" : "rejected",
             want_err ? "true" : "false");
    free(p);
    json_decref(v);
    return verdict == !want_err ? 0 : 1;
}
