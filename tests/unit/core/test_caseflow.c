/* core/caseflow: every case and appeal transition, allowed and refused, and the deadline. */
#include "core/caseflow.h"
#include "helpers.h"

static void case_moves_only_forward_one_step(void **state)
{
    for (int from = 0; from < NT_CASE_STATE_COUNT; from++)
        for (int to = 0; to < NT_CASE_STATE_COUNT; to++)
            assert_int_equal(nt_case_can_move((nt_case_state)from, (nt_case_state)to), to == from + 1);
    const char *moves[4];
    assert_int_equal(nt_case_moves_from(NT_CASE_DECIDED, moves, 4), 1);
    assert_string_equal(moves[0], "closed");
    assert_int_equal(nt_case_moves_from(NT_CASE_CLOSED, moves, 4), 0);
    assert_false(nt_case_can_move(NT_CASE_OPEN, NT_CASE_STATE_COUNT));
    for (int s = 0; s < NT_CASE_STATE_COUNT; s++)
        assert_int_equal(nt_case_state_parse(nt_case_state_name((nt_case_state)s)), s);
    assert_int_equal(nt_case_state_parse("archived"), -1);
}

static void appeal_moves(void **state)
{
    assert_true(nt_appeal_can_move(NT_APPEAL_FILED, NT_APPEAL_UNDER_REVIEW));
    assert_false(nt_appeal_can_move(NT_APPEAL_FILED, NT_APPEAL_UPHELD)); /* review first */
    const char *moves[5];
    assert_int_equal(nt_appeal_moves_from(NT_APPEAL_UNDER_REVIEW, moves, 5), 3);
    assert_string_equal(moves[0], "upheld");
    assert_string_equal(moves[1], "overturned");
    assert_string_equal(moves[2], "modified");
    for (int s = NT_APPEAL_UPHELD; s < NT_APPEAL_STATE_COUNT; s++) {
        assert_true(nt_appeal_resolved((nt_appeal_state)s));
        assert_int_equal(nt_appeal_moves_from((nt_appeal_state)s, moves, 5), 0); /* final */
    }
    assert_false(nt_appeal_resolved(NT_APPEAL_UNDER_REVIEW));
    for (int s = 0; s < NT_APPEAL_STATE_COUNT; s++)
        assert_int_equal(nt_appeal_state_parse(nt_appeal_state_name((nt_appeal_state)s)), s);
}

/* The lists an error offers are the names the parsers read, and the resolved outcomes the last three. */
static void names_offered_are_read(void **state)
{
    int n = 0;
    for (const char *const *c = nt_case_state_names; *c; c++, n++)
        assert_int_equal(nt_case_state_parse(*c), n);
    assert_int_equal(n, NT_CASE_STATE_COUNT);
    n = 0;
    for (const char *const *a = nt_appeal_state_names; *a; a++, n++)
        assert_int_equal(nt_appeal_state_parse(*a), n);
    assert_int_equal(n, NT_APPEAL_STATE_COUNT);
    n = 0;
    for (const char *const *a = nt_appeal_state_names + NT_APPEAL_UPHELD; *a; a++, n++)
        assert_true(nt_appeal_resolved((nt_appeal_state)nt_appeal_state_parse(*a)));
    assert_int_equal(n, 3);
    assert_false(nt_appeal_resolved(NT_APPEAL_FILED) || nt_appeal_resolved(NT_APPEAL_UNDER_REVIEW));
}

static void deadline_is_strict(void **state)
{
    int64_t issued = 1798761600LL * 1000000; /* 2027-01-01T00:00:00Z */
    int64_t deadline = nt_appeal_deadline(issued, NT_APPEAL_DEADLINE_DAYS_DEFAULT);
    assert_true(deadline == issued + 30LL * 86400 * 1000000);
    assert_true(nt_appeal_in_time(deadline - 1, deadline));
    assert_false(nt_appeal_in_time(deadline, deadline));
}

static bool has_field(const nt_err *e, const char *field, const char *code)
{
    for (int i = 0; i < e->nfields; i++)
        if (strcmp(e->fields[i].field, field) == 0 && strcmp(e->fields[i].code, code) == 0)
            return true;
    return false;
}

/* A violation names its legal basis and facts and the notice given; no sanction without one. */
static void decision_requirements(void **state)
{
    int64_t now = 1798761600LL * 1000000;
    nt_err e;
    nt_err_clear(&e);
    nt_decision_facts ok = {.violation = true,
                            .legal_bases = 1,
                            .facts_chars = 40,
                            .notice = true,
                            .sanctions = 2,
                            .issued_us = now - 1,
                            .now_us = now};
    assert_int_equal(nt_decision_requirements(&ok, &e), 0);
    nt_decision_facts bare = {.violation = true, .issued_us = now, .now_us = now};
    assert_int_equal(nt_decision_requirements(&bare, &e), 3);
    assert_true(has_field(&e, "legal_bases", "required"));
    assert_true(has_field(&e, "facts", "required"));
    assert_true(has_field(&e, "notice", "required"));
    nt_err_clear(&e);
    nt_decision_facts cleared = {.violation = false, .sanctions = 1, .issued_us = now, .now_us = now};
    assert_int_equal(nt_decision_requirements(&cleared, &e), 1);
    assert_true(has_field(&e, "sanctions", "invalid"));
    nt_err_clear(&e);
    nt_decision_facts ahead = ok;
    ahead.issued_us = now + 61LL * 1000000; /* recorded before it was issued */
    assert_int_equal(nt_decision_requirements(&ahead, &e), 1);
    assert_true(has_field(&e, "issued_at", "out_of_range"));
}

static void appeal_reviewer_is_independent(void **state)
{
    assert_true(nt_appeal_reviewer_independent("k_a", "Lê Văn Ký", "k_b", "Trần Thị Xét"));
    assert_false(nt_appeal_reviewer_independent("k_a", "Lê Văn Ký", "k_a", "Trần Thị Xét")); /* the same key */
    assert_false(nt_appeal_reviewer_independent("k_a", "Lê Văn Ký", "k_b", "Lê Văn Ký"));    /* the signer */
    assert_int_equal(nt_appeal_reviewer_conflict("k_a", "Lê Văn Ký", "k_b", "  le van KY "), NT_REVIEWER_SAME_SIGNER);
    assert_int_equal(nt_appeal_reviewer_conflict("k_a", "Lê Văn Ký", "k_a", "Trần Thị Xét"), NT_REVIEWER_SAME_KEY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(case_moves_only_forward_one_step),
                                       cmocka_unit_test(appeal_moves),
                                       cmocka_unit_test(deadline_is_strict),
                                       cmocka_unit_test(decision_requirements),
                                       cmocka_unit_test(appeal_reviewer_is_independent),
                                       cmocka_unit_test(names_offered_are_read)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
