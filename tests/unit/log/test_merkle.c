/* log/merkle: RFC 6962 roots and every public inclusion and consistency vector. */
#include "helpers.h"
#include "log/merkle.h"
#include <dirent.h>
#include <sodium.h>

static const char *const leaves_hex[] = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
static const char *const roots_hex[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void roots_match_rfc6962(void **state)
{
    nt_hash leaves[8];
    for (int i = 0; i < 8; i++) {
        unsigned char data[32];
        size_t len = 0;
        sodium_hex2bin(data, sizeof(data), leaves_hex[i], strlen(leaves_hex[i]), NULL, &len, NULL);
        nt_merkle_leaf_hash(data, len, &leaves[i]);
    }
    for (int n = 0; n <= 8; n++) {
        nt_hash root;
        nt_merkle_root(leaves, (uint64_t)n, &root);
        char hex[65];
        sodium_bin2hex(hex, sizeof(hex), root.b, NT_HASH_LEN);
        assert_string_equal(hex, roots_hex[n]);
    }
}

/* Every vector under dir: the verdict must match wantErr. Returns how many were checked. */
static int check_dir(const char *dir)
{
    int checked = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (strstr(e->d_name, ".json") == NULL) {
            checked += check_dir(path);
            continue;
        }
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char buf[8192];
        size_t len = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        char why[512];
        int rc = nt_merkle_check_vector(buf, len, why, sizeof(why));
        if (rc != 0)
            fail_msg("%s: %s", path, why);
        checked++;
    }
    closedir(d);
    return checked;
}

static void public_vectors(void **state)
{
    const char *shared = getenv("NT_SHARED");
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/vectors/merkle", shared ? shared : "../../../shared");
    int n = check_dir(dir);
    if (n == 0)
        skip(); /* the vectors are beside the repository; CI always has them */
    assert_true(n > 100);
}

static void own_proofs_verify(void **state)
{
    /* An inclusion proof for leaf 2 of 3, built by hand from the definition. */
    nt_hash l[3], n01, root;
    for (int i = 0; i < 3; i++)
        nt_merkle_leaf_hash(&i, sizeof(i), &l[i]);
    nt_merkle_node_hash(&l[0], &l[1], &n01);
    nt_merkle_root(l, 3, &root);
    assert_true(nt_merkle_verify_inclusion(2, 3, &l[2], &n01, 1, &root));
    assert_false(nt_merkle_verify_inclusion(1, 3, &l[2], &n01, 1, &root));
    assert_false(nt_merkle_verify_inclusion(3, 3, &l[2], &n01, 1, &root));
    /* Consistency 2 -> 3: the proof is leaf 2 (size1 = 2 is a power of two). */
    assert_true(nt_merkle_verify_consistency(2, 3, &n01, &root, &l[2], 1));
    assert_false(nt_merkle_verify_consistency(3, 2, &root, &n01, &l[2], 1));
    assert_true(nt_merkle_verify_consistency(3, 3, &root, &root, NULL, 0));
}

/* Every proof we make for every index and pair of sizes up to 70 leaves verifies, and fails
 * against another leaf or root. */
static void generated_proofs_verify(void **state)
{
    enum { N = 70 };
    nt_hash leaves[N], roots[N + 1], proof[64];
    for (int i = 0; i < N; i++)
        nt_merkle_leaf_hash(&i, sizeof(i), &leaves[i]);
    for (int n = 0; n <= N; n++)
        nt_merkle_root(leaves, (uint64_t)n, &roots[n]);
    for (uint64_t size = 1; size <= N; size++) {
        for (uint64_t i = 0; i < size; i++) {
            int len = nt_merkle_prove_inclusion(leaves, size, i, proof, 64);
            assert_true(len >= 0);
            assert_true(nt_merkle_verify_inclusion(i, size, &leaves[i], proof, (size_t)len, &roots[size]));
            if (size > 1)
                assert_false(nt_merkle_verify_inclusion(i, size, &leaves[(i + 1) % size], proof, (size_t)len, &roots[size]));
        }
        for (uint64_t s1 = 0; s1 <= size; s1++) {
            int len = nt_merkle_prove_consistency(leaves, s1, size, proof, 64);
            assert_true(len >= 0);
            assert_true(nt_merkle_verify_consistency(s1, size, &roots[s1], &roots[size], proof, (size_t)len));
            if (s1 > 0 && s1 < size)
                assert_false(nt_merkle_verify_consistency(s1, size, &roots[s1 - 1], &roots[size], proof, (size_t)len));
        }
    }
    assert_int_equal(nt_merkle_prove_inclusion(leaves, 5, 5, proof, 64), -1);
    assert_int_equal(nt_merkle_prove_consistency(leaves, 6, 5, proof, 64), -1);
    assert_int_equal(nt_merkle_prove_inclusion(leaves, 70, 3, proof, 2), -1); /* too small a buffer */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(roots_match_rfc6962), cmocka_unit_test(public_vectors),
                                       cmocka_unit_test(own_proofs_verify), cmocka_unit_test(generated_proofs_verify)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
