/* libFuzzer: what a log client reads: tlog-proof receipts, checkpoints and entry bytes. An accepted
 * receipt is formatted again and must read back the same; its checkpoint and entry are parsed and
 * the inclusion proof is verified against the checkpoint's root. */
#include "fuzz.h"
#include "log/entry.h"
#include "log/merkle.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = nt_fuzz_cstr(data, size);
    if (s == NULL)
        return 0;
    char origin[256], why[256];
    uint64_t cp_size;
    nt_hash root;
    nt_checkpoint_parse(s, size, origin, sizeof(origin), &cp_size, &root);
    nt_log_entry e;
    nt_log_entry_decode(data, size, &e);
    static nt_tlog_proof p, q;
    if (nt_tlog_proof_parse(s, size, &p, why, sizeof(why)) == 0) {
        char *cp = nt_fuzz_cstr((const uint8_t *)p.checkpoint, p.checkpoint_len);
        char *again = cp ? nt_tlog_proof_format(p.index, p.proof, p.nproof, p.has_extra ? p.extra : NULL, p.extra_len, cp) : NULL;
        if (again != NULL) {
            if (nt_tlog_proof_parse(again, strlen(again), &q, why, sizeof(why)) != 0 || q.index != p.index ||
                q.nproof != p.nproof || q.has_extra != p.has_extra || q.extra_len != p.extra_len ||
                memcmp(q.proof, p.proof, p.nproof * sizeof(nt_hash)) != 0 || memcmp(q.extra, p.extra, p.extra_len) != 0 ||
                q.checkpoint_len != p.checkpoint_len)
                abort();
        }
        if (nt_checkpoint_parse(p.checkpoint, p.checkpoint_len, origin, sizeof(origin), &cp_size, &root) == 0) {
            nt_hash leaf;
            nt_merkle_leaf_hash(p.extra, p.extra_len, &leaf);
            nt_merkle_verify_inclusion(p.index, cp_size, &leaf, p.proof, p.nproof, &root);
            nt_log_entry_decode(p.extra, p.extra_len, &e);
        }
        free(again);
        free(cp);
    }
    free(s);
    return 0;
}
