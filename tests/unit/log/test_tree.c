/* log/tree and log/entry: the in-memory tree against the plain RFC 9162 functions for every size
 * up to 300, entry bytes, checkpoints read back, and tlog-proof receipts. */
#include "helpers.h"
#include "log/entry.h"
#include "log/tiles.h"
#include "log/tree.h"
#include <sodium.h>

static void leaf(uint64_t i, nt_hash *out)
{
    char s[32];
    int n = snprintf(s, sizeof(s), "entry %llu", (unsigned long long)i);
    nt_merkle_leaf_hash(s, (size_t)n, out);
}

static void tree_matches_plain_functions(void **state)
{
    (void)state;
    enum { N = 300 };
    nt_hash leaves[N], a[NT_LOG_PROOF_MAX], b[NT_LOG_PROOF_MAX], r1, r2;
    nt_mtree t = {0};
    for (uint64_t i = 0; i < N; i++) {
        leaf(i, &leaves[i]);
        assert_int_equal(nt_mtree_append(&t, &leaves[i]), 0);
    }
    for (uint64_t size = 0; size <= N; size++) {
        nt_mtree_root(&t, size, &r1);
        nt_merkle_root(leaves, size, &r2);
        assert_memory_equal(r1.b, r2.b, NT_HASH_LEN);
        for (uint64_t i = 0; i < size; i += (size > 40 ? 7 : 1)) {
            int na = nt_mtree_prove_inclusion(&t, size, i, a, NT_LOG_PROOF_MAX);
            int nb = nt_merkle_prove_inclusion(leaves, size, i, b, NT_LOG_PROOF_MAX);
            assert_int_equal(na, nb);
            assert_memory_equal(a, b, (size_t)na * sizeof(nt_hash));
            assert_true(nt_merkle_verify_inclusion(i, size, &leaves[i], a, (size_t)na, &r1));
        }
        for (uint64_t m = 0; m <= size; m += (size > 40 ? 11 : 1)) {
            int na = nt_mtree_prove_consistency(&t, m, size, a, NT_LOG_PROOF_MAX);
            int nb = nt_merkle_prove_consistency(leaves, m, size, b, NT_LOG_PROOF_MAX);
            assert_int_equal(na, nb);
            assert_memory_equal(a, b, (size_t)na * sizeof(nt_hash));
        }
    }
    assert_int_equal(nt_mtree_prove_inclusion(&t, N + 1, 0, a, NT_LOG_PROOF_MAX), -1);
    /* Tiles: level 0 holds the leaves, level 1 the root of each full 256. */
    const nt_hash *h;
    unsigned w;
    assert_int_equal(nt_mtree_tile(&t, N, 0, 0, &h, &w), 0);
    assert_int_equal(w, 256);
    assert_memory_equal(h, leaves, 256 * sizeof(nt_hash));
    assert_int_equal(nt_mtree_tile(&t, N, 0, 1, &h, &w), 0);
    assert_int_equal(w, N - 256);
    assert_int_equal(nt_mtree_tile(&t, 200, 0, 1, &h, &w), -1);
    assert_int_equal(nt_mtree_tile(&t, N, 1, 0, &h, &w), 0);
    assert_int_equal(w, 1);
    nt_merkle_root(leaves, 256, &r2);
    assert_memory_equal(h[0].b, r2.b, NT_HASH_LEN);
    assert_int_equal(nt_mtree_tile(&t, 255, 1, 0, &h, &w), -1);
    assert_int_equal(nt_mtree_tile(&t, N, 2, 0, &h, &w), -1);
    nt_mtree_free(&t);
}

static void entries(void **state)
{
    (void)state;
    nt_log_entry e = {.type = NT_LOG_DECISION_ISSUED, .at_ms = 1795000000123LL}, d;
    strcpy(e.record_id, "d_hbpbysb4by414pv9");
    memset(e.commitment.b, 0xab, NT_HASH_LEN);
    unsigned char b[NT_LOG_ENTRY_MAX];
    int n = nt_log_entry_encode(&e, b);
    assert_int_equal(n, 11 + 18 + 32);
    assert_int_equal(b[0], 1);
    assert_int_equal(b[1], 1);
    assert_int_equal(b[10], 18);
    assert_int_equal(nt_log_entry_decode(b, (size_t)n, &d), 0);
    assert_string_equal(d.record_id, e.record_id);
    assert_int_equal(d.at_ms, e.at_ms);
    assert_int_equal(d.type, e.type);
    assert_memory_equal(d.commitment.b, e.commitment.b, NT_HASH_LEN);
    /* Anything else is refused: another length, version, type, or id character. */
    assert_int_equal(nt_log_entry_decode(b, (size_t)n - 1, &d), -1);
    b[0] = 2;
    assert_int_equal(nt_log_entry_decode(b, (size_t)n, &d), -1);
    b[0] = 1;
    b[1] = NT_LOG_TYPE_END;
    assert_int_equal(nt_log_entry_decode(b, (size_t)n, &d), -1);
    b[1] = 1;
    b[12] = '/';
    assert_int_equal(nt_log_entry_decode(b, (size_t)n, &d), -1);
    strcpy(e.record_id, "has space");
    assert_int_equal(nt_log_entry_encode(&e, b), -1);
    assert_string_equal(nt_log_type_name(NT_LOG_REDACTION), "redaction");
    /* The commitment: SHA-256 of the domain tag with its NUL, the salt and the record. */
    unsigned char salt[NT_LOG_SALT_LEN] = {1, 2, 3}, buf[64 + NT_LOG_SALT_LEN + 8], want[32];
    nt_hash c;
    nt_log_commit(salt, "{\"a\":1}", 7, &c);
    size_t o = sizeof(NT_LOG_DOMAIN);
    memcpy(buf, NT_LOG_DOMAIN, o);
    memcpy(buf + o, salt, sizeof(salt));
    memcpy(buf + o + sizeof(salt), "{\"a\":1}", 7);
    crypto_hash_sha256(want, buf, o + sizeof(salt) + 7);
    assert_memory_equal(c.b, want, 32);
}

static void checkpoints_and_receipts(void **state)
{
    (void)state;
    char origin[64];
    uint64_t size;
    nt_hash root, proof[3];
    const char text[] = "example.com/log\n12\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    assert_int_equal(nt_checkpoint_parse(text, strlen(text), origin, sizeof(origin), &size, &root), 0);
    assert_string_equal(origin, "example.com/log");
    assert_int_equal(size, 12);
    const char *bad[] = {"example.com/log\n012\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
                         "example.com/log\n12\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\n",
                         "\n12\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
                         "example.com/log\n12\n",
                         "example.com/log\n99999999999999999999\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
                         "example.com/log\n12\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(nt_checkpoint_parse(bad[i], strlen(bad[i]), origin, sizeof(origin), &size, &root), -1);
    for (int i = 0; i < 3; i++)
        memset(proof[i].b, i + 1, NT_HASH_LEN);
    const char note[] = "example.com/log\n12\nAAAA\n\n— example.com/log abcd\n";
    char *r = nt_tlog_proof_format(7, proof, 3, "\x01\x02", 2, note);
    assert_non_null(r);
    assert_true(strncmp(r, "c2sp.org/tlog-proof@v1\nextra AQI=\nindex 7\nAQEB", 44) == 0);
    nt_tlog_proof p;
    char why[128];
    assert_int_equal(nt_tlog_proof_parse(r, strlen(r), &p, why, sizeof(why)), 0);
    assert_int_equal(p.index, 7);
    assert_int_equal(p.nproof, 3);
    assert_true(p.has_extra);
    assert_int_equal(p.extra_len, 2);
    assert_memory_equal(p.proof[2].b, proof[2].b, NT_HASH_LEN);
    assert_int_equal(p.checkpoint_len, strlen(note));
    assert_memory_equal(p.checkpoint, note, strlen(note));
    free(r);
    r = nt_tlog_proof_format(0, NULL, 0, NULL, 0, note); /* no extra, no hashes */
    assert_int_equal(nt_tlog_proof_parse(r, strlen(r), &p, why, sizeof(why)), 0);
    assert_false(p.has_extra);
    assert_int_equal(p.nproof, 0);
    free(r);
    const char *broken[] = {"c2sp.org/tlog-proof@v2\nindex 1\n\nx\n", "c2sp.org/tlog-proof@v1\nindex x\n\nx\n",
                            "c2sp.org/tlog-proof@v1\nindex 1\nnot-base64\n\nx\n", "c2sp.org/tlog-proof@v1\nindex 1\n",
                            "c2sp.org/tlog-proof@v1\nextra !!\nindex 1\n\nx\n"};
    for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
        assert_int_equal(nt_tlog_proof_parse(broken[i], strlen(broken[i]), &p, why, sizeof(why)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(tree_matches_plain_functions), cmocka_unit_test(entries),
                                       cmocka_unit_test(checkpoints_and_receipts)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
