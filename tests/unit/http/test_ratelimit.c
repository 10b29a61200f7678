/* http/ratelimit: token buckets per client address. */
#include "http/ratelimit.h"
#include "helpers.h"

static void burst_then_refuse_then_refill(void **state)
{
    nt_ratelimit *rl = nt_ratelimit_new(2, 3);
    int retry = 0;
    int64_t t = 1000000;
    for (int i = 0; i < 3; i++)
        assert_true(nt_ratelimit_take(rl, "127.0.0.1", t, &retry));
    assert_false(nt_ratelimit_take(rl, "127.0.0.1", t, &retry));
    assert_int_equal(retry, 1);
    /* Another client has its own bucket. */
    assert_true(nt_ratelimit_take(rl, "127.0.0.2", t, &retry));
    /* Half a second at 2/s refills one token. */
    assert_true(nt_ratelimit_take(rl, "127.0.0.1", t + 500000, &retry));
    assert_false(nt_ratelimit_take(rl, "127.0.0.1", t + 500000, &retry));
    assert_int_equal(nt_ratelimit_size(rl), 2);
    nt_ratelimit_free(rl);
}

static void slow_rate_says_how_long(void **state)
{
    nt_ratelimit *rl = nt_ratelimit_new(0.1, 1);
    int retry = 0;
    assert_true(nt_ratelimit_take(rl, "a", 0, &retry));
    assert_false(nt_ratelimit_take(rl, "a", 0, &retry));
    assert_int_equal(retry, 10);
    nt_ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(burst_then_refuse_then_refill), cmocka_unit_test(slow_rate_says_how_long)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
