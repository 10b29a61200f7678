/* core/periods: months and quarters in Vietnam's time, their defaults and limits. */
#include "core/err.h"
#include "core/periods.h"
#include "core/util.h"
#include "helpers.h"
#include <string.h>

static nt_period p[NT_PERIODS_MAX];

static void months_start_at_local_midnight(void **state)
{
    int n = 0;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_periods("2026-01", "2026-03-15", NULL, "2026-11-30", p, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_string_equal(p[0].label, "2026-01");
    assert_string_equal(p[2].label, "2026-03");
    char out[NT_TIME_LEN];
    nt_time_utc(p[0].from, out);
    assert_string_equal(out, "2025-12-31T17:00:00.000Z"); /* 1 January 00:00 +07:00 */
    nt_time_local(p[2].to, out);
    assert_string_equal(out, "2026-04-01T00:00:00.000+07:00");
    for (int i = 1; i < n; i++)
        assert_true(p[i].from == p[i - 1].to);
}

static void quarters_and_defaults(void **state)
{
    int n = 0;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_periods(NULL, NULL, "quarter", "2026-11-30", p, &n, &e), 0);
    assert_int_equal(n, 8); /* the last eight quarters, this one included */
    assert_string_equal(p[0].label, "2025-Q1");
    assert_string_equal(p[7].label, "2026-Q4");
    assert_int_equal(nt_periods(NULL, NULL, NULL, "2026-11-30", p, &n, &e), 0);
    assert_int_equal(n, 12);
    assert_string_equal(p[0].label, "2025-12");
    assert_string_equal(p[11].label, "2026-11");
    assert_int_equal(nt_periods("2026-02-10", "2026-05", "quarter", "2026-11-30", p, &n, &e), 0);
    assert_int_equal(n, 2); /* the quarters holding each */
}

static void refusals_name_their_field(void **state)
{
    static const char *const cases[][4] = {
        {NULL, NULL, "week", "by"},           {"2026-13", NULL, NULL, "from"},      {"2026-1", NULL, NULL, "from"},
        {NULL, "2026-02-30", NULL, "to"},     {"2030-01", "2029-01", NULL, "from"}, {"1999-12", "2000-12", NULL, "from"},
        {"2016-01", "2026-12", NULL, "from"}, {"2026-01-01x", NULL, NULL, "from"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = 0;
        nt_err e;
        nt_err_clear(&e);
        assert_int_equal(nt_periods(cases[i][0], cases[i][1], cases[i][2], "2026-11-30", p, &n, &e), NT_EINVAL);
        assert_string_equal(e.fields[0].field, cases[i][3]);
    }
    int n = 0;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_periods("2017-01", "2026-12", NULL, "2026-11-30", p, &n, &e), 0);
    assert_int_equal(n, NT_PERIODS_MAX); /* ten years of months: the most */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(months_start_at_local_midnight),
        cmocka_unit_test(quarters_and_defaults),
        cmocka_unit_test(refusals_name_their_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
