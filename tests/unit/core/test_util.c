/* core/util: times in UTC and Asia/Ho_Chi_Minh, ids, encodings. */
#include "core/err.h"
#include "core/util.h"
#include "helpers.h"

static void time_round_trip(void **state)
{
    int64_t us;
    assert_int_equal(nt_time_parse("2026-11-28T14:30:00.123Z", &us), 0);
    char out[NT_TIME_LEN];
    nt_time_utc(us, out);
    assert_string_equal(out, "2026-11-28T14:30:00.123Z");
    nt_time_local(us, out);
    assert_string_equal(out, "2026-11-28T21:30:00.123+07:00");
}

static void time_offsets(void **state)
{
    int64_t a, b;
    assert_int_equal(nt_time_parse("2026-01-01T07:00:00+07:00", &a), 0);
    assert_int_equal(nt_time_parse("2026-01-01T00:00:00Z", &b), 0);
    assert_true(a == b);
    /* Local midnight of 1 January is still 31 December in UTC. */
    char out[NT_TIME_LEN];
    assert_int_equal(nt_time_parse("2026-01-01T00:00:00+07:00", &a), 0);
    nt_time_utc(a, out);
    assert_string_equal(out, "2025-12-31T17:00:00.000Z");
}

static void time_rejects_bad_forms(void **state)
{
    int64_t us;
    assert_int_equal(nt_time_parse("2026-02-30T00:00:00Z", &us), NT_EINVAL);
    assert_int_equal(nt_time_parse("2025-02-29T00:00:00Z", &us), NT_EINVAL);
    assert_int_equal(nt_time_parse("2026-11-28", &us), 0); /* a date alone: that day in Vietnam */
    char out[NT_TIME_LEN];
    nt_time_local(us, out);
    assert_string_equal(out, "2026-11-28T00:00:00.000+07:00");
    assert_int_equal(nt_time_parse("2026-02-30", &us), NT_EINVAL);
    assert_int_equal(nt_time_parse("2026-11-28 ", &us), NT_EINVAL);
    assert_int_equal(nt_time_parse("2026-11-28T25:00:00Z", &us), NT_EINVAL);
    assert_int_equal(nt_time_parse("2026-11-28T10:00:00", &us), NT_EINVAL);
    assert_int_equal(nt_time_parse("2026-11-28T10:00:00Zjunk", &us), NT_EINVAL);
    assert_int_equal(nt_time_parse("2024-02-29T00:00:00Z", &us), 0);
}

static void show_converts_or_copies(void **state)
{
    char out[NT_TIME_LEN];
    nt_time_show("2026-11-28T17:00:00.000Z", out);
    assert_string_equal(out, "2026-11-29T00:00:00.000+07:00");
    nt_time_show("not a time", out);
    assert_string_equal(out, "not a time");
}

static void ids_are_unique_and_prefixed(void **state)
{
    char a[NT_ID_LEN], b[NT_ID_LEN];
    nt_id_new("p_", a, sizeof(a));
    nt_id_new("p_", b, sizeof(b));
    assert_int_equal(strlen(a), 18);
    assert_memory_equal(a, "p_", 2);
    assert_string_not_equal(a, b);
}

static void b64url_round_trip(void **state)
{
    char enc[64], dec[64];
    assert_true(nt_b64url_encode("p0000023", 8, enc, sizeof(enc)) > 0);
    assert_string_equal(enc, "cDAwMDAwMjM");
    int n = nt_b64url_decode(enc, dec, sizeof(dec));
    assert_int_equal(n, 8);
    assert_memory_equal(dec, "p0000023", 8);
    assert_int_equal(nt_b64url_decode("!!!", dec, sizeof(dec)), -1);
}

static void err_formats_both_languages(void **state)
{
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_err_set(&e, NT_ENOTFOUND, "no person %s", "không có người %s", "p1"), NT_ENOTFOUND);
    assert_string_equal(e.en, "no person p1");
    assert_string_equal(e.vi, "không có người p1");
    for (int i = 0; i < NT_ERR_MAX_FIELDS + 3; i++)
        nt_err_field(&e, "f", "required", 0);
    assert_int_equal(e.nfields, NT_ERR_MAX_FIELDS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(time_round_trip),
        cmocka_unit_test(time_offsets),
        cmocka_unit_test(time_rejects_bad_forms),
        cmocka_unit_test(show_converts_or_copies),
        cmocka_unit_test(ids_are_unique_and_prefixed),
        cmocka_unit_test(b64url_round_trip),
        cmocka_unit_test(err_formats_both_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
