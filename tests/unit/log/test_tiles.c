/* log/tiles: tile paths, checkpoints and a static log whose tiles rebuild its root. */
#include "helpers.h"
#include "log/tiles.h"
#include <sodium.h>
#include <sys/stat.h>

static void paths(void **state)
{
    char p[128];
    nt_tile_path(p, sizeof(p), 0, 0, 256);
    assert_string_equal(p, "tile/0/000");
    nt_tile_path(p, sizeof(p), 0, 1234067, 256);
    assert_string_equal(p, "tile/0/x001/x234/067");
    nt_tile_path(p, sizeof(p), 1, 0, 1);
    assert_string_equal(p, "tile/1/000.p/1");
    nt_tile_path(p, sizeof(p), 2, 1000, 256);
    assert_string_equal(p, "tile/2/x001/000");
    nt_tile_path(p, sizeof(p), -1, 5, 10);
    assert_string_equal(p, "tile/entries/005.p/10");
}

static void path_parse(void **state)
{
    int level;
    uint64_t n;
    unsigned w;
    assert_int_equal(nt_tile_path_parse("tile/0/x001/x234/067", &level, &n, &w), 0);
    assert_int_equal(level, 0);
    assert_true(n == 1234067);
    assert_int_equal(w, 256);
    assert_int_equal(nt_tile_path_parse("tile/entries/005.p/10", &level, &n, &w), 0);
    assert_int_equal(level, -1);
    assert_true(n == 5);
    assert_int_equal(w, 10);
    assert_int_equal(nt_tile_path_parse("tile/63/x018/x446/x744/x073/x709/x551/615", &level, &n, &w), 0);
    assert_int_equal(level, 63);
    assert_true(n == UINT64_MAX);
    /* Every index and width formats and parses back to itself. */
    uint64_t samples[] = {0, 1, 999, 1000, 1001, 65535, 1234567890123ULL, UINT64_MAX / 1000, UINT64_MAX - 1};
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        for (unsigned width = 1; width <= 256; width += 85) {
            char p[128];
            nt_tile_path(p, sizeof(p), 7, samples[i], width);
            assert_int_equal(nt_tile_path_parse(p, &level, &n, &w), 0);
            assert_true(level == 7 && n == samples[i] && w == width);
        }
    }
    const char *bad[] = {"",
                         "tile/",
                         "tile/0/",
                         "tile/0/00",
                         "tile/0/0000",
                         "tile/0/x000/001",  /* a leading zero group */
                         "tile/00/000",      /* a leading zero level */
                         "tile/64/000",      /* levels stop at 63 */
                         "tile/1/x001",      /* a group with x must be followed by another */
                         "tile/1/001/002",   /* and one without x must be last */
                         "tile/0/000.p/0",   /* widths are 1-255 */
                         "tile/0/000.p/256", /* a full tile has no .p */
                         "tile/0/000.p/010", /* no leading zeros */
                         "tile/0/000.p/",
                         "tile/0/000.q/5",
                         "tile/0/000/",
                         "tile/entries/x000/005",
                         "tile/data/000",
                         "tiles/0/000",
                         "tile/0/x018/x446/x744/x073/x709/x551/616", /* 2^64 */
                         "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
                         "/tile/0/000",
                         "tile/-1/000"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (nt_tile_path_parse(bad[i], &level, &n, &w) == 0)
            fail_msg("accepted %s", bad[i]);
    }
}

static void checkpoint_text(void **state)
{
    nt_hash root;
    size_t len;
    sodium_base642bin(root.b, 32, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", 44, NULL, &len, NULL,
                      sodium_base64_VARIANT_ORIGINAL);
    char t[256];
    nt_checkpoint_text(t, sizeof(t), "example.com/log", 8, &root);
    assert_string_equal(t, "example.com/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
}

static unsigned char *read_all(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void static_log_rebuilds_its_root(void **state)
{
    char *dir = nt_test_tmpdir();
    nt_note_signer key;
    nt_note_verifier ver;
    assert_int_equal(nt_note_signer_parse("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", &key),
                     0);
    assert_int_equal(nt_note_verifier_parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &ver), 0);
    enum { N = 300 };
    unsigned char data[N][8];
    nt_entry e[N];
    nt_hash leaves[N];
    for (int i = 0; i < N; i++) {
        int len = snprintf((char *)data[i], sizeof(data[i]), "e%d", i);
        e[i].data = data[i];
        e[i].len = (size_t)len;
        nt_merkle_leaf_hash(data[i], (size_t)len, &leaves[i]);
    }
    char why[256];
    assert_int_equal(nt_tlog_build_static(dir, "PeterNeumann", &key, e, N, why, sizeof(why)), 0);
    size_t len;
    unsigned char *t0 = read_all(dir, "tile/0/000", &len);
    assert_int_equal(len, 256 * 32);
    assert_memory_equal(t0, leaves, 256 * 32);
    unsigned char *t1 = read_all(dir, "tile/0/001.p/44", &len);
    assert_int_equal(len, 44 * 32);
    assert_memory_equal(t1, leaves + 256, 44 * 32);
    unsigned char *up = read_all(dir, "tile/1/000.p/1", &len);
    assert_int_equal(len, 32);
    nt_hash sub;
    nt_merkle_root(leaves, 256, &sub);
    assert_memory_equal(up, sub.b, 32);
    unsigned char *b1 = read_all(dir, "tile/entries/001.p/44", &len);
    assert_non_null(b1);
    assert_int_equal(b1[0], 0);
    assert_int_equal(b1[1], 4); /* "e256" */
    assert_memory_equal(b1 + 2, "e256", 4);
    unsigned char *cp = read_all(dir, "checkpoint", &len);
    size_t text_len;
    assert_int_equal(nt_note_verify(&ver, (const char *)cp, len, &text_len), 0);
    nt_hash root;
    nt_merkle_root(leaves, N, &root);
    char want[256];
    nt_checkpoint_text(want, sizeof(want), "PeterNeumann", N, &root);
    assert_int_equal(text_len, strlen(want));
    assert_memory_equal(cp, want, text_len);
    free(t0);
    free(t1);
    free(up);
    free(b1);
    free(cp);
    /* The empty log: a checkpoint and nothing else. */
    char *empty = nt_test_tmpdir();
    assert_int_equal(nt_tlog_build_static(empty, "PeterNeumann", &key, NULL, 0, why, sizeof(why)), 0);
    cp = read_all(empty, "checkpoint", &len);
    assert_non_null(cp);
    assert_non_null(strstr((char *)cp, "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"));
    free(cp);
    struct stat st;
    char tiles[1100];
    snprintf(tiles, sizeof(tiles), "%s/tile", empty);
    assert_int_not_equal(stat(tiles, &st), 0);
    nt_test_rmtree(empty);
    nt_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(paths), cmocka_unit_test(path_parse), cmocka_unit_test(checkpoint_text),
                                       cmocka_unit_test(static_log_rebuilds_its_root)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
