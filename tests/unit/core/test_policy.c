/* core/policy: repeat-violation thresholds produce recommendations, at the window edges. */
#include "core/policy.h"
#include "helpers.h"

#define DAY (86400LL * 1000000)
#define NOW (1798761600LL * 1000000)

static void five_in_thirty_days(void **state)
{
    nt_policy p = nt_policy_default();
    int64_t v[5];
    for (int i = 0; i < 5; i++)
        v[i] = NOW - (29 - i) * DAY; /* days -29..-25 */
    nt_recommendation r = nt_policy_evaluate(&p, v, 4, 0, NOW);
    assert_int_equal(r.kind, NT_RECOMMEND_NONE); /* four is not enough */
    r = nt_policy_evaluate(&p, v, 5, 0, NOW);
    assert_int_equal(r.kind, NT_RECOMMEND_TEMPORARY_RESTRICTION);
    assert_int_equal(r.min_days, 7);
    assert_int_equal(r.max_days, 30);
    assert_int_equal(r.window_days, 30);
    assert_int_equal(r.violations_in_window, 5);
    assert_int_equal(r.first, 0);
    assert_int_equal(r.last, 4);
    /* Exactly 30 days ago falls out of the window. */
    v[0] = NOW - 30 * DAY;
    r = nt_policy_evaluate(&p, v, 5, 0, NOW);
    assert_int_equal(r.kind, NT_RECOMMEND_NONE);
}

static void ten_in_ninety_days(void **state)
{
    nt_policy p = nt_policy_default();
    int64_t v[10];
    for (int i = 0; i < 10; i++)
        v[i] = NOW - (89 - 8 * i) * DAY; /* spread: never 5 within 30 days */
    nt_recommendation r = nt_policy_evaluate(&p, v, 10, 0, NOW);
    assert_int_equal(r.kind, NT_RECOMMEND_TEMPORARY_RESTRICTION);
    assert_int_equal(r.window_days, 90);
    assert_int_equal(r.violations_in_window, 10);
    /* Violations in the future are not counted. */
    v[9] = NOW + DAY;
    assert_int_equal(nt_policy_evaluate(&p, v, 10, 0, NOW).kind, NT_RECOMMEND_NONE);
}

static void third_temporary_restriction_means_review(void **state)
{
    nt_policy p = nt_policy_default();
    assert_int_equal(nt_policy_evaluate(&p, NULL, 0, 2, NOW).kind, NT_RECOMMEND_NONE);
    assert_int_equal(nt_policy_evaluate(&p, NULL, 0, 3, NOW).kind, NT_RECOMMEND_LONG_TERM_REVIEW);
    assert_string_equal(nt_recommendation_kind_name(NT_RECOMMEND_LONG_TERM_REVIEW), "long_term_review");
}

static void configurable(void **state)
{
    nt_policy p = nt_policy_default();
    p.short_count = 2;
    p.short_days = 7;
    int64_t v[2] = {NOW - 6 * DAY, NOW};
    assert_int_equal(nt_policy_evaluate(&p, v, 2, 0, NOW).kind, NT_RECOMMEND_TEMPORARY_RESTRICTION);
    p.short_count = 0; /* a threshold of 0 is switched off */
    p.long_count = 0;
    assert_int_equal(nt_policy_evaluate(&p, v, 2, 0, NOW).kind, NT_RECOMMEND_NONE);
}

static void parses_settings(void **state)
{
    nt_policy p;
    assert_int_equal(nt_policy_parse("5/30,10/90,7-30,3", &p), 0);
    nt_policy d = nt_policy_default();
    assert_memory_equal(&p, &d, sizeof(p));
    assert_int_equal(nt_policy_parse("3/7,0/1,1-14,2", &p), 0);
    assert_int_equal(p.short_count, 3);
    assert_int_equal(p.long_count, 0);
    assert_int_equal(p.restrict_max_days, 14);
    const char *bad[] = {"", "5/30", "5/30,10/90,30-7,3", "5/0,10/90,7-30,3", "5/30,10/90,7-30,3x", "a/b,c/d,e-f,g"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(nt_policy_parse(bad[i], &p), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(five_in_thirty_days), cmocka_unit_test(ten_in_ninety_days),
                                       cmocka_unit_test(third_temporary_restriction_means_review), cmocka_unit_test(configurable),
                                       cmocka_unit_test(parses_settings)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
