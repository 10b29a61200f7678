/* http/cache: views, invalidation, the generation guard, eviction. */
#include "helpers.h"
#include "http/cache.h"

static char got[256];
static char got_etag[32];

static void grab(void *arg, const char *body, size_t len, const char *etag)
{
    (void)arg;
    snprintf(got, sizeof(got), "%.*s", (int)len, body);
    snprintf(got_etag, sizeof(got_etag), "%s", etag);
}

static void views_are_apart(void **state)
{
    nt_cache *c = nt_cache_new(100);
    assert_false(nt_cache_with(c, "p1", NT_VIEW_FULL, grab, NULL));
    nt_cache_put(c, "p1", NT_VIEW_FULL, "{full}", 6, "\"1\"", nt_cache_gen(c));
    assert_false(nt_cache_with(c, "p1", NT_VIEW_PUBLIC, grab, NULL));
    assert_true(nt_cache_with(c, "p1", NT_VIEW_FULL, grab, NULL));
    assert_string_equal(got, "{full}");
    assert_string_equal(got_etag, "\"1\"");
    nt_cache_put(c, "p1", NT_VIEW_PUBLIC, "{pub}", 5, "\"1\"", nt_cache_gen(c));
    assert_true(nt_cache_with(c, "p1", NT_VIEW_PUBLIC, grab, NULL));
    assert_string_equal(got, "{pub}");
    /* A newer version of one view drops the other view's older copy. */
    nt_cache_put(c, "p1", NT_VIEW_PUBLIC, "{pub2}", 6, "\"2\"", nt_cache_gen(c));
    assert_false(nt_cache_with(c, "p1", NT_VIEW_FULL, grab, NULL));
    assert_int_equal(nt_cache_size(c), 1);
    nt_cache_free(c);
}

static void invalidation_wins_over_an_older_read(void **state)
{
    nt_cache *c = nt_cache_new(100);
    uint64_t gen = nt_cache_gen(c); /* a reader starts reading the database */
    nt_cache_invalidate(c, "p2");   /* a writer commits and invalidates meanwhile */
    nt_cache_put(c, "p2", NT_VIEW_FULL, "{old}", 5, "\"1\"", gen);
    assert_false(nt_cache_with(c, "p2", NT_VIEW_FULL, grab, NULL));
    nt_cache_put(c, "p2", NT_VIEW_FULL, "{new}", 5, "\"2\"", nt_cache_gen(c));
    assert_true(nt_cache_with(c, "p2", NT_VIEW_FULL, grab, NULL));
    nt_cache_invalidate(c, "p2");
    assert_false(nt_cache_with(c, "p2", NT_VIEW_FULL, grab, NULL));
    assert_int_equal(nt_cache_size(c), 0);
    nt_cache_free(c);
}

static void bounded(void **state)
{
    nt_cache *c = nt_cache_new(64); /* one entry per shard */
    char id[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(id, sizeof(id), "p%d", i);
        nt_cache_put(c, id, NT_VIEW_FULL, "{}", 2, "\"1\"", nt_cache_gen(c));
    }
    assert_true(nt_cache_size(c) <= 128);
    assert_true(nt_cache_with(c, "p999", NT_VIEW_FULL, grab, NULL)); /* the newest stays */
    /* Ids or ETags too long to hold are simply not cached. */
    char longid[100];
    memset(longid, 'x', sizeof(longid) - 1);
    longid[99] = '\0';
    nt_cache_put(c, longid, NT_VIEW_FULL, "{}", 2, "\"1\"", nt_cache_gen(c));
    assert_false(nt_cache_with(c, longid, NT_VIEW_FULL, grab, NULL));
    nt_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(views_are_apart), cmocka_unit_test(invalidation_wins_over_an_older_read),
                                       cmocka_unit_test(bounded)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
