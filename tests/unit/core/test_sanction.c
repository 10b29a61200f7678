/* core/sanction: states by time (start inclusive, end exclusive), lifts,
 * suspensions pending appeal, windows, and each type's own rules. */
#include "core/sanction.h"
#include "helpers.h"

#define S   1000000LL
#define DAY (86400 * S)
#define T0  (1798761600LL * S) /* 2027-01-01T00:00:00Z */

static void boundaries(void **state)
{
    nt_sanction_timeline t = {.start_us = T0, .end_us = T0 + 30 * DAY};
    assert_int_equal(nt_sanction_state_at(&t, T0 - 1), NT_SST_SCHEDULED);
    assert_int_equal(nt_sanction_state_at(&t, T0), NT_SST_ACTIVE); /* start inclusive */
    assert_int_equal(nt_sanction_state_at(&t, T0 + 30 * DAY - 1), NT_SST_ACTIVE);
    assert_int_equal(nt_sanction_state_at(&t, T0 + 30 * DAY), NT_SST_EXPIRED); /* end exclusive */
    assert_false(nt_sanction_in_force_at(&t, T0 - 1));
    assert_true(nt_sanction_in_force_at(&t, T0));
    assert_false(nt_sanction_in_force_at(&t, T0 + 30 * DAY));
    /* Open-ended (a warning, a fine) never expires. */
    nt_sanction_timeline open = {.start_us = T0};
    assert_int_equal(nt_sanction_state_at(&open, T0 + 3650 * DAY), NT_SST_ACTIVE);
}

static void lifted_ends_it_from_that_instant(void **state)
{
    nt_sanction_timeline t = {.start_us = T0, .end_us = T0 + 365 * DAY, .lifted_us = T0 + 10 * DAY};
    assert_int_equal(nt_sanction_state_at(&t, T0 + 10 * DAY - 1), NT_SST_ACTIVE);
    assert_int_equal(nt_sanction_state_at(&t, T0 + 10 * DAY), NT_SST_LIFTED);
    assert_false(nt_sanction_in_force_at(&t, T0 + 11 * DAY));
    /* Lifted before it even started. */
    nt_sanction_timeline early = {.start_us = T0 + 7 * DAY, .end_us = T0 + 14 * DAY, .lifted_us = T0};
    assert_int_equal(nt_sanction_state_at(&early, T0 + 8 * DAY), NT_SST_LIFTED);
}

static void suspended_pending_appeal_then_reinstated(void **state)
{
    nt_sanction_timeline t = {.start_us = T0, .end_us = T0 + 90 * DAY, .suspended_from_us = T0 + 5 * DAY};
    assert_int_equal(nt_sanction_state_at(&t, T0 + 4 * DAY), NT_SST_ACTIVE);
    assert_int_equal(nt_sanction_state_at(&t, T0 + 5 * DAY), NT_SST_SUSPENDED);
    assert_false(nt_sanction_in_force_at(&t, T0 + 20 * DAY)); /* still under review: allowed */
    t.suspended_until_us = T0 + 25 * DAY;                     /* the appeal is upheld */
    assert_int_equal(nt_sanction_state_at(&t, T0 + 25 * DAY - 1), NT_SST_SUSPENDED);
    assert_int_equal(nt_sanction_state_at(&t, T0 + 25 * DAY), NT_SST_REINSTATED);
    assert_true(nt_sanction_in_force_at(&t, T0 + 25 * DAY));
    assert_int_equal(nt_sanction_state_at(&t, T0 + 90 * DAY), NT_SST_EXPIRED);
    /* Overturned instead: lifted when resolved. */
    nt_sanction_timeline o = {.start_us = T0,
                              .end_us = T0 + 90 * DAY,
                              .suspended_from_us = T0 + 5 * DAY,
                              .suspended_until_us = T0 + 25 * DAY,
                              .lifted_us = T0 + 25 * DAY};
    assert_int_equal(nt_sanction_state_at(&o, T0 + 30 * DAY), NT_SST_LIFTED);
}

static void windows_for_planned_shows(void **state)
{
    nt_sanction_timeline t = {.start_us = T0 + 7 * DAY, .end_us = T0 + 14 * DAY};
    assert_false(nt_sanction_in_force_during(&t, T0, T0 + 7 * DAY)); /* ends as it starts */
    assert_true(nt_sanction_in_force_during(&t, T0, T0 + 7 * DAY + 1));
    assert_true(nt_sanction_in_force_during(&t, T0 + 13 * DAY, T0 + 20 * DAY));
    assert_false(nt_sanction_in_force_during(&t, T0 + 14 * DAY, T0 + 20 * DAY)); /* after the end */
    nt_sanction_timeline s = t;
    s.suspended_from_us = T0;
    assert_false(nt_sanction_in_force_during(&s, T0 + 8 * DAY, T0 + 9 * DAY)); /* suspended all through */
    s.suspended_until_us = T0 + 10 * DAY;
    assert_true(nt_sanction_in_force_during(&s, T0 + 8 * DAY, T0 + 11 * DAY));
    nt_sanction_timeline l = t;
    l.lifted_us = T0 + 8 * DAY;
    assert_false(nt_sanction_in_force_during(&l, T0 + 9 * DAY, T0 + 12 * DAY));
    assert_true(nt_sanction_in_force_during(&l, T0, T0 + 9 * DAY));
}

static void names_and_scopes(void **state)
{
    for (int i = 0; i < NT_SANCTION_TYPE_COUNT; i++)
        assert_int_equal(nt_sanction_type_parse(nt_sanction_type_name((nt_sanction_type)i)), i);
    assert_int_equal(nt_sanction_type_parse("jail"), -1);
    assert_true(nt_sanction_restricts(NT_SANCTION_ADVERTISING_BAN));
    assert_false(nt_sanction_restricts(NT_SANCTION_FINE));
    assert_int_equal(nt_scope_parse("livestream"), NT_SCOPE_LIVESTREAM);
    assert_int_equal(nt_scope_parse("any"), NT_SCOPE_ALL);
    assert_int_equal(nt_scope_parse("radio"), 0);
    assert_string_equal(nt_scope_name(NT_SCOPE_PRESS), "press");
    assert_null(nt_scope_name(NT_SCOPE_PRESS | NT_SCOPE_BROADCAST));
    assert_string_equal(nt_sanction_state_name(NT_SST_REINSTATED), "reinstated");
    /* The lists an error offers are what the parsers read: every scope bit once, every type. */
    assert_string_equal(nt_scope_choices[0], "any");
    unsigned seen = 0;
    for (const char *const *c = nt_scope_choices + 1; *c; c++) {
        unsigned bit = nt_scope_parse(*c);
        assert_int_equal(bit & (bit - 1), 0);
        assert_string_equal(nt_scope_name(bit), *c);
        seen |= bit;
    }
    assert_int_equal(seen, NT_SCOPE_ALL);
    int types = 0;
    for (const char *const *t = nt_sanction_type_names; *t; t++, types++)
        assert_int_equal(nt_sanction_type_parse(*t), types);
    assert_int_equal(types, NT_SANCTION_TYPE_COUNT);
}

static void each_type_has_its_rules(void **state)
{
    nt_err e;
    int64_t max = 365 * DAY;
    nt_err_clear(&e);
    /* Livestream and advertising for 12 months: fine. */
    assert_int_equal(nt_sanction_check(NT_SANCTION_APPEARANCE_RESTRICTION, NT_SCOPE_LIVESTREAM | NT_SCOPE_ADVERTISING, T0,
                                       T0 + 365 * DAY, 0, max, "", &e),
                     0);
    /* A restriction without an end, or beyond the cap, or without a scope. */
    assert_int_equal(nt_sanction_check(NT_SANCTION_APPEARANCE_RESTRICTION, NT_SCOPE_BROADCAST, T0, 0, 0, max, "sanctions[0].", &e),
                     NT_EINVAL);
    assert_string_equal(e.fields[0].field, "sanctions[0].end");
    assert_string_equal(e.fields[0].code, "required");
    nt_err_clear(&e);
    assert_int_equal(nt_sanction_check(NT_SANCTION_ADVERTISING_BAN, 0, T0, T0 + 366 * DAY, 0, max, "", &e), NT_EINVAL);
    assert_string_equal(e.fields[0].code, "out_of_range");
    nt_err_clear(&e);
    assert_int_equal(nt_sanction_check(NT_SANCTION_APPEARANCE_RESTRICTION, 0, T0, T0 + DAY, 0, max, "", &e), NT_EINVAL);
    assert_string_equal(e.fields[0].field, "scopes");
    nt_err_clear(&e);
    assert_int_equal(nt_sanction_check(NT_SANCTION_WARNING, 0, T0, T0 - 1, 0, max, "", &e), NT_EINVAL); /* end before start */
    nt_err_clear(&e);
    /* A fine in whole đồng, positive. */
    assert_int_equal(nt_sanction_check(NT_SANCTION_FINE, 0, T0, 0, 70000000, max, "", &e), 0);
    assert_int_equal(nt_sanction_check(NT_SANCTION_FINE, 0, T0, 0, 0, max, "", &e), NT_EINVAL);
    assert_string_equal(e.fields[0].field, "amount_vnd");
    nt_err_clear(&e);
    assert_int_equal(nt_sanction_check(NT_SANCTION_REMEDIAL, 0, T0, 0, 0, max, "", &e), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boundaries),
        cmocka_unit_test(lifted_ends_it_from_that_instant),
        cmocka_unit_test(suspended_pending_appeal_then_reinstated),
        cmocka_unit_test(windows_for_planned_shows),
        cmocka_unit_test(names_and_scopes),
        cmocka_unit_test(each_type_has_its_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
