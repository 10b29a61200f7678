/* libFuzzer: tile path parsing and Merkle proof verification on arbitrary input.
 * The input is read twice: as a path (which must round-trip when accepted) and as
 * index, size and hashes for both proof verifiers. */
#include "fuzz.h"
#include "log/merkle.h"
#include "log/tiles.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = nt_fuzz_cstr(data, size);
    if (s == NULL)
        return 0;
    int level;
    uint64_t n;
    unsigned width;
    if (nt_tile_path_parse(s, &level, &n, &width) == 0) {
        char again[128];
        nt_tile_path(again, sizeof(again), level, n, width);
        if (strcmp(again, s) != 0 || level < -1 || level > 63 || width < 1 || width > NT_TILE_WIDTH)
            abort();
    }
    free(s);

    if (size < 16 + 2 * NT_HASH_LEN)
        return 0;
    uint64_t a = be64(data), b = be64(data + 8);
    size_t nh = (size - 16) / NT_HASH_LEN;
    nt_hash *h = malloc(nh * sizeof(nt_hash));
    if (h == NULL)
        return 0;
    memcpy(h, data + 16, nh * sizeof(nt_hash));
    /* hash 0 is the leaf (or first root), hash 1 the root (or second root), the rest the proof. */
    nt_merkle_verify_inclusion(a, b, &h[0], h + 2, nh - 2, &h[1]);
    nt_merkle_verify_consistency(a, b, &h[0], &h[1], h + 2, nh - 2);
    /* Small trees: a proof the prover makes must verify. */
    uint64_t tree = nh < 70 ? nh : 70;
    if (tree > 0) {
        nt_hash proof[64], root;
        uint64_t idx = a % tree, s1 = 1 + b % tree;
        nt_merkle_root(h, tree, &root);
        int k = nt_merkle_prove_inclusion(h, tree, idx, proof, 64);
        if (k < 0 || !nt_merkle_verify_inclusion(idx, tree, &h[idx], proof, (size_t)k, &root))
            abort();
        nt_hash root1;
        nt_merkle_root(h, s1, &root1);
        k = nt_merkle_prove_consistency(h, s1, tree, proof, 64);
        if (k < 0 || !nt_merkle_verify_consistency(s1, tree, &root1, &root, proof, (size_t)k))
            abort();
    }
    free(h);
    return 0;
}
