/* core/html: the template layer escapes whatever comes from data, in text and in attributes;
 * only %R passes markup; URLs are percent-encoded; times in Asia/Ho_Chi_Minh; money in VND. */
#include "core/html.h"
#include "helpers.h"
#include <stdlib.h>
#include <string.h>

static void data_is_escaped(void **state)
{
    nt_jbuf b;
    nt_jb_init(&b, 16);
    const char *evil = "<script>alert(1)</script>\"'&><img src=x onerror=alert(2)>";
    nt_html(&b, "<p title=\"%s\">%s</p>%R", evil, evil, "<br>");
    size_t len;
    char *s = nt_jb_take(&b, &len);
    assert_non_null(s);
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<img"));
    assert_null(strstr(s, "\"'"));
    assert_string_equal(s,
                        "<p title=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&gt;&lt;img src=x onerror=alert(2)&gt;\">"
                        "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&gt;&lt;img src=x onerror=alert(2)&gt;</p><br>");
    free(s);
}

static void urls_numbers_times_money(void **state)
{
    nt_jbuf b;
    nt_jb_init(&b, 16);
    nt_html(&b, "<a href=\"/search?q=%u\">%d %D %%</a> %T · %V · %V · %V · %s", "Nguyễn \"a\"&b=c/d", -7, (int64_t)1234567890123LL,
            (int64_t)1798761600LL * 1000000, (int64_t)70000000, (int64_t)0, (int64_t)-1500, (const char *)NULL);
    size_t len;
    char *s = nt_jb_take(&b, &len);
    assert_string_equal(s, "<a href=\"/search?q=Nguy%E1%BB%85n%20%22a%22%26b%3Dc%2Fd\">-7 1234567890123 %</a> 01/01/2027 07:00 · "
                           "70.000.000\xc2\xa0\xe2\x82\xab · 0\xc2\xa0\xe2\x82\xab · -1.500\xc2\xa0\xe2\x82\xab · ");
    free(s);
    char t[32];
    nt_html_time(t, sizeof(t), 1798761599LL * 1000000); /* 2026-12-31T23:59:59Z is the next morning in Vietnam */
    assert_string_equal(t, "01/01/2027 06:59");
}

static void form_fields_are_decoded(void **state)
{
    const char body[] = "csrf=abc&receipt=c2sp.org%2Ftlog-proof%40v1%0D%0Aindex+3&x=%ZZ%4&receiptx=no&empty=";
    char *v = nt_form_value(body, strlen(body), "receipt");
    assert_string_equal(v, "c2sp.org/tlog-proof@v1\r\nindex 3");
    free(v);
    v = nt_form_value(body, strlen(body), "x");
    assert_string_equal(v, "%ZZ%4"); /* a broken escape stays as it is */
    free(v);
    v = nt_form_value(body, strlen(body), "empty");
    assert_string_equal(v, "");
    free(v);
    assert_null(nt_form_value(body, strlen(body), "rec"));
    assert_null(nt_form_value(body, 4, "csrf")); /* the body's length is respected: "csrf" alone */
    /* Names are compared decoded, as browsers encode brackets in them. */
    const char *nested = "a=1&legal_bases%5B0%5D.article=%C4%90i%E1%BB%81u+51&sanctions[0].type=fine";
    v = nt_form_value(nested, strlen(nested), "legal_bases[0].article");
    assert_string_equal(v, "\xc4\x90i\xe1\xbb\x81u 51");
    free(v);
    v = nt_form_value(nested, strlen(nested), "sanctions[0].type");
    assert_string_equal(v, "fine");
    free(v);
    assert_null(nt_form_value(nested, strlen(nested), "legal_bases%5B0%5D.article"));
}

static void multipart_parts_are_found(void **state)
{
    const char *ct = "multipart/form-data; boundary=----WebKitFormBoundaryX3";
    const char body[] = "------WebKitFormBoundaryX3\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
                        "------WebKitFormBoundaryX3\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
                        "Content-Type: text/csv\r\n\r\nsubject\r\np0000002\r\n\0x\r\n------WebKitFormBoundaryX3--\r\n";
    size_t at = 0, n = 0;
    assert_true(nt_multipart_part(ct, body, sizeof(body) - 1, "file", &at, &n));
    assert_int_equal(n, strlen("subject\r\np0000002\r\n") + 2); /* a NUL byte is content too */
    assert_memory_equal(body + at, "subject\r\np0000002\r\n\0x", n);
    assert_true(nt_multipart_part(ct, body, sizeof(body) - 1, "csrf", &at, &n));
    assert_int_equal(n, 3);
    assert_false(nt_multipart_part(ct, body, sizeof(body) - 1, "fil", &at, &n)); /* names whole */
    assert_false(nt_multipart_part(ct, body, sizeof(body) - 1, "subject", &at, &n));
    assert_false(nt_multipart_part("multipart/form-data; boundary=\"----WebKitFormBoundaryX3\"", body, 40, "file", &at, &n));
    assert_true(
        nt_multipart_part("multipart/form-data; boundary=\"----WebKitFormBoundaryX3\"", body, sizeof(body) - 1, "file", &at, &n));
    assert_false(nt_multipart_part("application/x-www-form-urlencoded", body, sizeof(body) - 1, "file", &at, &n));
    assert_false(nt_multipart_part("multipart/form-data", body, sizeof(body) - 1, "file", &at, &n));
    assert_false(nt_multipart_part(NULL, body, sizeof(body) - 1, "file", &at, &n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(data_is_escaped), cmocka_unit_test(urls_numbers_times_money),
                                       cmocka_unit_test(form_fields_are_decoded), cmocka_unit_test(multipart_parts_are_found)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
