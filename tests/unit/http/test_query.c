/* http/query: the request-target parser and its limits. */
#include "http/query.h"
#include "helpers.h"

static nt_uri u;

static int parse(const char *s, nt_err *e)
{
    nt_err_clear(e);
    return nt_uri_parse(s, &u, e);
}

static void splits_and_decodes(void **state)
{
    nt_err e;
    assert_int_equal(parse("/v1/accounts/tiktok/%40thu.cuc?q=nguy%E1%BB%85n+thi&limit=5", &e), 0);
    assert_int_equal(u.nsegs, 4);
    assert_string_equal(u.segs[3], "@thu.cuc");
    assert_string_equal(nt_uri_param(&u, "q"), "nguyễn thi");
    assert_string_equal(nt_uri_param(&u, "limit"), "5");
    assert_null(nt_uri_param(&u, "cursor"));
}

static void encoded_slash_stays_in_segment(void **state)
{
    nt_err e;
    assert_int_equal(parse("/v1/persons/a%2Fb", &e), 0);
    assert_int_equal(u.nsegs, 3);
    assert_string_equal(u.segs[2], "a/b");
}

static void root_and_flag_params(void **state)
{
    nt_err e;
    assert_int_equal(parse("/", &e), 0);
    assert_int_equal(u.nsegs, 0);
    assert_int_equal(parse("/x?flag&a=", &e), 0);
    assert_string_equal(nt_uri_param(&u, "flag"), "");
    assert_string_equal(nt_uri_param(&u, "a"), "");
}

static void rejects_malformed(void **state)
{
    nt_err e;
    assert_int_equal(parse("v1/persons", &e), NT_EINVAL);
    assert_int_equal(parse("/v1//persons", &e), NT_EINVAL);
    assert_int_equal(parse("/v1/%zz", &e), NT_EINVAL);
    assert_int_equal(parse("/v1/%4", &e), NT_EINVAL);
    assert_int_equal(parse("/v1/%ff", &e), NT_EINVAL);     /* invalid UTF-8 */
    assert_int_equal(parse("/v1/a%00b", &e), NT_EINVAL);   /* NUL */
    assert_int_equal(parse("/v1?a=1&a=2", &e), NT_EINVAL); /* duplicate */
    assert_string_equal(e.fields[0].code, "duplicate");
    assert_int_equal(parse("/v1?=1", &e), NT_EINVAL);
    assert_int_equal(parse("/v1#frag", &e), NT_EINVAL);
}

static void enforces_limits(void **state)
{
    nt_err e;
    char *s = malloc(NT_URI_MAX_LEN + 10);
    memset(s, 'a', NT_URI_MAX_LEN + 5);
    s[0] = '/';
    s[NT_URI_MAX_LEN + 5] = '\0';
    assert_int_equal(parse(s, &e), NT_EINVAL);
    assert_string_equal(e.fields[0].code, "too_long");
    free(s);
    assert_int_equal(parse("/a/b/c/d/e/f/g/h/i/j/k/l/m", &e), NT_EINVAL);
    assert_int_equal(parse("/x?a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1&l=1&m=1&n=1&o=1&p=1&q=1", &e), NT_EINVAL);
    assert_string_equal(e.fields[0].code, "too_many");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_and_decodes),   cmocka_unit_test(encoded_slash_stays_in_segment),
        cmocka_unit_test(root_and_flag_params), cmocka_unit_test(rejects_malformed),
        cmocka_unit_test(enforces_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
