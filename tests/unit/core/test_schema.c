/* core/schema: unknown fields, types, limits, all reported at once. */
#include "core/schema.h"
#include "helpers.h"

static const nt_field spec[] = {
    {"name", NT_FT_STR, NT_F_REQUIRED, 1, 5, 0},
    {"year", NT_FT_INT, NT_F_NULLABLE, 1900, 2100, 0},
    {"tags", NT_FT_STR_ARRAY, 0, 0, 2, 3},
    {"ok", NT_FT_BOOL, 0, 0, 0, 0},
};
#define N (sizeof(spec) / sizeof(spec[0]))

static int check(const char *json, nt_err *e)
{
    json_t *v = json_loads(json, 0, NULL);
    assert_non_null(v);
    nt_err_clear(e);
    int rc = nt_schema_check(v, spec, N, "", e);
    json_decref(v);
    return rc;
}

static void accepts_valid(void **state)
{
    nt_err e;
    assert_int_equal(check("{\"name\":\"Cúc\",\"year\":null,\"tags\":[\"a\"],\"ok\":true}", &e), 0);
}

static void reports_every_problem(void **state)
{
    nt_err e;
    assert_int_equal(check("{\"year\":\"1990\",\"tags\":[\"abcd\", 1],\"extra\":1}", &e), NT_EINVAL);
    assert_int_equal(e.nfields, 5);
    assert_string_equal(e.fields[0].field, "extra");
    assert_string_equal(e.fields[0].code, "unknown");
    assert_string_equal(e.fields[1].field, "name");
    assert_string_equal(e.fields[1].code, "required");
    assert_string_equal(e.fields[2].field, "year");
    assert_string_equal(e.fields[2].code, "type");
    assert_string_equal(e.fields[3].field, "tags[0]");
    assert_string_equal(e.fields[3].code, "too_long");
    assert_string_equal(e.fields[4].field, "tags[1]");
}

static void lengths_count_code_points(void **state)
{
    nt_err e;
    assert_int_equal(check("{\"name\":\"Nguyễn\"}", &e), NT_EINVAL); /* 6 > 5 */
    assert_int_equal(check("{\"name\":\"Ngọc\"}", &e), 0);
    assert_int_equal(check("{\"name\":\"\"}", &e), NT_EINVAL);
    assert_string_equal(e.fields[0].code, "required");
}

static void ranges_and_counts(void **state)
{
    nt_err e;
    assert_int_equal(check("{\"name\":\"a\",\"year\":1800}", &e), NT_EINVAL);
    assert_string_equal(e.fields[0].code, "out_of_range");
    assert_int_equal(check("{\"name\":\"a\",\"tags\":[\"a\",\"b\",\"c\"]}", &e), NT_EINVAL);
    assert_string_equal(e.fields[0].code, "too_many");
    assert_int_equal(check("{\"name\":\"a\",\"ok\":null}", &e), NT_EINVAL);
}

static void embedded_nul_is_invalid(void **state)
{
    nt_err e;
    json_t *v = json_loads("{\"name\":\"a\\u0000b\"}", JSON_ALLOW_NUL, NULL);
    assert_non_null(v);
    nt_err_clear(&e);
    assert_int_equal(nt_schema_check(v, spec, N, "", &e), NT_EINVAL);
    assert_string_equal(e.fields[0].code, "invalid");
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_valid),     cmocka_unit_test(reports_every_problem),   cmocka_unit_test(lengths_count_code_points),
        cmocka_unit_test(ranges_and_counts), cmocka_unit_test(embedded_nul_is_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
