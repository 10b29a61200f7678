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

/* Numbers as ECMAScript writes them: RFC 8785 §3.2.2.3 and Appendix B's samples, by their bits. */
static void numbers_as_ecmascript_writes_them(void **state)
{
    static const struct {
        uint64_t bits;
        const char *want;
    } samples[] = {
        {0x0000000000000000ULL, "0"},
        {0x8000000000000000ULL, "0"},
        {0x0000000000000001ULL, "5e-324"},
        {0x8000000000000001ULL, "-5e-324"},
        {0x7fefffffffffffffULL, "1.7976931348623157e+308"},
        {0xffefffffffffffffULL, "-1.7976931348623157e+308"},
        {0x4340000000000000ULL, "9007199254740992"},
        {0xc340000000000000ULL, "-9007199254740992"},
        {0x4430000000000000ULL, "295147905179352830000"},
        {0x44b52d02c7e14af5ULL, "9.999999999999997e+22"},
        {0x44b52d02c7e14af6ULL, "1e+23"},
        {0x44b52d02c7e14af7ULL, "1.0000000000000001e+23"},
        {0x444b1ae4d6e2ef4eULL, "999999999999999700000"},
        {0x444b1ae4d6e2ef4fULL, "999999999999999900000"},
        {0x444b1ae4d6e2ef50ULL, "1e+21"},
        {0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7"},
        {0x3eb0c6f7a0b5ed8dULL, "0.000001"},
        {0x41b3de4355555553ULL, "333333333.3333332"},
        {0x41b3de4355555554ULL, "333333333.33333325"},
        {0x41b3de4355555555ULL, "333333333.3333333"},
        {0x41b3de4355555556ULL, "333333333.3333334"},
        {0x41b3de4355555557ULL, "333333333.33333343"},
        {0xbecbf647612f3696ULL, "-0.0000033333333333333333"},
        {0x43143ff3c1cb0959ULL, "1424953923781206.2"},
    };
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        double d;
        memcpy(&d, &samples[i].bits, sizeof(d));
        nt_jbuf b;
        nt_jb_init(&b, 64);
        assert_int_equal(nt_jcs_number(&b, d), 0);
        size_t len;
        char *got = nt_jb_take(&b, &len);
        if (strcmp(got, samples[i].want) != 0)
            fail_msg("%016llx: %s, not %s", (unsigned long long)samples[i].bits, got, samples[i].want);
        free(got);
    }
    /* NaN and infinities have no JSON form. */
    uint64_t nan = 0x7fffffffffffffffULL, inf = 0x7ff0000000000000ULL;
    double d;
    nt_jbuf b;
    nt_jb_init(&b, 64);
    memcpy(&d, &nan, sizeof(d));
    assert_int_equal(nt_jcs_number(&b, d), -1);
    memcpy(&d, &inf, sizeof(d));
    assert_int_equal(nt_jcs_number(&b, d), -1);
    nt_jb_free(&b);
    canon("[1.5, -0.0, 1E30, 4.50, 2e-3, 9007199254740993]", "[1.5,0,1e+30,4.5,0.002,9007199254740992]");
}

/* The reference implementation's test data, as it is. */
static void the_reference_test_data(void **state)
{
    static const char *const names[] = {"arrays", "french", "structures", "unicode", "values", "weird"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char in[600], out[600], want[4096] = "";
        snprintf(in, sizeof(in), "%s/jcs/%s.input.json", NT_TEST_DATA, names[i]);
        snprintf(out, sizeof(out), "%s/jcs/%s.output.json", NT_TEST_DATA, names[i]);
        json_error_t e;
        json_t *v = json_load_file(in, JSON_DECODE_ANY, &e);
        if (v == NULL)
            fail_msg("%s: %s", in, e.text);
        FILE *f = fopen(out, "rb");
        assert_non_null(f);
        size_t n = fread(want, 1, sizeof(want) - 1, f);
        fclose(f);
        want[n] = '\0';
        char *got = nt_jcs(v);
        assert_non_null(got);
        if (strcmp(got, want) != 0)
            fail_msg("%s: %s, not %s", names[i], got, want);
        free(got);
        json_decref(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorts_by_utf16_code_units), cmocka_unit_test(escapes_only_what_json_requires),
        cmocka_unit_test(numbers_as_ecmascript_writes_them), cmocka_unit_test(the_reference_test_data)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
