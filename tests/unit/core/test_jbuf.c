/* core/jbuf: the hot-path JSON writer produces what jansson parses back. */
#include "core/jbuf.h"
#include "helpers.h"
#include <jansson.h>

static void writes_valid_json(void **state)
{
    nt_jbuf b;
    nt_jb_init(&b, 4); /* tiny: forces growth */
    nt_jb_lit(&b, "{\"name\":");
    nt_jb_str(&b, "Nguyễn \"Cúc\" \\ \n\x01");
    nt_jb_lit(&b, ",\"n\":");
    nt_jb_int(&b, -42);
    nt_jb_lit(&b, ",\"ok\":");
    nt_jb_bool(&b, true);
    nt_jb_lit(&b, ",\"none\":");
    nt_jb_str(&b, NULL);
    nt_jb_lit(&b, ",\"at\":");
    nt_jb_time(&b, 1798761600LL * 1000000);
    nt_jb_lit(&b, ",\"never\":");
    nt_jb_time(&b, 0);
    nt_jb_lit(&b, "}");
    size_t len;
    char *s = nt_jb_take(&b, &len);
    assert_non_null(s);
    json_error_t e;
    json_t *v = json_loadb(s, len, 0, &e);
    assert_non_null(v);
    assert_string_equal(json_string_value(json_object_get(v, "name")), "Nguyễn \"Cúc\" \\ \n\x01");
    assert_int_equal(json_integer_value(json_object_get(v, "n")), -42);
    assert_true(json_is_true(json_object_get(v, "ok")));
    assert_true(json_is_null(json_object_get(v, "none")));
    assert_string_equal(json_string_value(json_object_get(v, "at")), "2027-01-01T07:00:00.000+07:00");
    assert_true(json_is_null(json_object_get(v, "never")));
    json_decref(v);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(writes_valid_json)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
