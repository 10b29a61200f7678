/* log/jcs: RFC 8785 canonical JSON, on the RFC's own examples. */
#include "helpers.h"
#include "log/jcs.h"

static void canon(const char *in, const char *want)
{
    json_error_t e;
    json_t *v = json_loads(in, JSON_ALLOW_NUL | JSON_DECODE_ANY, &e);
    if (v == NULL)
        fail_msg("bad test input: %s", e.text);
    char *got = nt_jcs(v);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    json_decref(v);
}

static void sorts_by_utf16_code_units(void **state)
{
    /* RFC 8785 §3.2.3: the supplementary-plane emoji (surrogates D83D DE00) sorts before U+FB33. */
    canon("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", "
          "\"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", "
          "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
          "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":\"Latin Small Letter O With "
          "Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew "
          "Letter Dalet With Dagesh\"}");
}

static void escapes_only_what_json_requires(void **state)
{
    /* RFC 8785 §3.2.2.2's string example. */
    canon("[\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"]", "[\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"]");
    canon("{\"b\": [1, true, null, {\"z\": -7, \"a\": \"Nguyễn\"}], \"a\": false}",
          "{\"a\":false,\"b\":[1,true,null,{\"a\":\"Nguyễn\",\"z\":-7}]}");
    canon("\"\\b\\f\\t\\u0001\"", "\"\\b\\f\\t\\u0001\"");
}

static void refuses_reals(void **state)
{
    json_t *v = json_pack("{s:f}", "x", 1.5);
    assert_null(nt_jcs(v));
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(sorts_by_utf16_code_units),
                                       cmocka_unit_test(escapes_only_what_json_requires), cmocka_unit_test(refuses_reals)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
