/* core/ads: enterprise codes, public ad codes with their check digit, the category rules. */
#include "core/ads.h"
#include "core/util.h"
#include "helpers.h"

static void enterprise_codes(void **state)
{
    (void)state;
    assert_true(nt_enterprise_code_valid("0101234567"));
    assert_true(nt_enterprise_code_valid("0101234567-001"));
    const char *bad[] = {"",           "010123456",   "01012345678", "0101234567-01", "0101234567-0011", "0101234567_001",
                         "01012345a7", "0101234567-", " 0101234567", "0101234567-00a"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(nt_enterprise_code_valid(bad[i]));
    assert_false(nt_enterprise_code_valid(NULL));
}

static void ad_codes(void **state)
{
    (void)state;
    char code[NT_AD_CODE_LEN];
    int year;
    int64_t seq;
    assert_true(nt_ad_code_format(2026, 123, code));
    assert_int_equal(strlen(code), 15);
    assert_true(strncmp(code, "QC-2026-000123", 14) == 0);
    assert_true(nt_ad_code_parse(code, &year, &seq));
    assert_int_equal(year, 2026);
    assert_int_equal(seq, 123);
    /* Every single-digit change and every swap of two neighbouring different digits is caught. */
    for (int64_t s = 1; s < 2000; s += 37) {
        assert_true(nt_ad_code_format(2026, s, code));
        for (int i = 3; i < 15; i++) {
            if (code[i] == '-')
                continue;
            char c = code[i];
            for (char d = '0'; d <= '9'; d++) {
                if (d == c)
                    continue;
                code[i] = d;
                assert_false(nt_ad_code_parse(code, &year, &seq));
            }
            code[i] = c;
            if (i + 1 < 15 && code[i + 1] != '-' && code[i + 1] != c) {
                char t = code[i + 1];
                code[i + 1] = c;
                code[i] = t;
                bool swapped_ok = nt_ad_code_parse(code, &year, &seq);
                code[i] = c;
                code[i + 1] = t;
                /* Luhn misses only the 09 <-> 90 swap. */
                assert_true(!swapped_ok || (c == '0' && t == '9') || (c == '9' && t == '0'));
            }
        }
    }
    assert_false(nt_ad_code_format(2026, 0, code));
    assert_false(nt_ad_code_format(2026, 1000000, code));
    const char *bad[] = {"QC-2026-000123", "QC-2026-00012345", "qc-2026-0001234", "QC_2026_0001234", "QC-2026-00012A4", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(nt_ad_code_parse(bad[i], &year, &seq));
}

static void categories(void **state)
{
    (void)state;
    const json_t *t = nt_ad_categories();
    assert_non_null(t);
    assert_int_equal(json_integer_value(json_object_get(t, "version")), 1);
    const json_t *c = nt_ad_category("health_supplements");
    assert_non_null(c);
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "disclaimers"), 0)),
                        "Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh");
    assert_false(json_is_true(json_object_get(nt_ad_category("prescription_drugs"), "advertisable")));
    assert_false(json_is_true(json_object_get(nt_ad_category("spirits_15"), "advertisable")));
    assert_true(json_is_true(json_object_get(nt_ad_category("cosmetics"), "advertisable")));
    assert_null(nt_ad_category("nothing"));
    /* Every document a category needs is a known document type. */
    size_t i, j;
    json_t *cat, *doc;
    json_array_foreach(json_object_get(t, "categories"), i, cat)
    {
        json_array_foreach(json_object_get(cat, "documents"), j, doc)
            assert_non_null(json_object_get(json_object_get(t, "document_types"), json_string_value(doc)));
    }
}

static void product_checks(void **state)
{
    (void)state;
    int64_t from = 0, to = 0;
    assert_int_equal(nt_time_parse("2026-12-01T00:00:00Z", &from), 0);
    assert_int_equal(nt_time_parse("2027-02-28T00:00:00Z", &to), 0);
    json_t *docs = json_pack("[{s:s, s:s, s:s, s:s}]", "type", "product_declaration_registration", "number", "1234/ĐKSP",
                             "valid_from", "2026-01-01T00:00:00Z", "valid_until", "2027-06-30T00:00:00Z");
    bool ok = false;
    json_t *c = nt_ad_product_checks(nt_ad_category("health_supplements"), docs, NULL, from, to, &ok);
    assert_true(ok);
    assert_int_equal(json_array_size(c), 3);
    json_decref(c);
    /* Valid on the first day, expired before the last: refused, and the detail says so. */
    json_string_set(json_object_get(json_array_get(docs, 0), "valid_until"), "2027-01-31T00:00:00Z");
    c = nt_ad_product_checks(nt_ad_category("health_supplements"), docs, NULL, from, to, &ok);
    assert_false(ok);
    const json_t *detail = json_object_get(json_array_get(c, 1), "detail"); /* in both languages, times in +07:00 */
    assert_string_equal(json_string_value(json_object_get(detail, "en")),
                        "1234/ĐKSP expires 2027-01-31T07:00:00.000+07:00, before the end of the period");
    assert_string_equal(json_string_value(json_object_get(detail, "vi")),
                        "1234/ĐKSP hết hiệu lực lúc 2027-01-31T07:00:00.000+07:00, trước khi hết thời gian quảng cáo");
    json_decref(c);
    /* Missing for another category; recalled; banned. */
    c = nt_ad_product_checks(nt_ad_category("cosmetics"), docs, NULL, from, to, &ok);
    assert_false(ok);
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(c, 1), "detail"), "en")), "missing");
    json_decref(c);
    json_string_set(json_object_get(json_array_get(docs, 0), "valid_until"), "2027-06-30T00:00:00Z");
    c = nt_ad_product_checks(nt_ad_category("health_supplements"), docs, "2026-11-28T00:00:00Z", from, to, &ok);
    assert_false(ok);
    assert_false(json_is_true(json_object_get(json_array_get(c, 2), "ok")));
    json_decref(c);
    c = nt_ad_product_checks(nt_ad_category("cigarettes"), docs, NULL, from, to, &ok);
    assert_false(ok);
    assert_int_equal(json_array_size(c), 2); /* no documents to look for */
    json_decref(c);
    json_decref(docs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(enterprise_codes), cmocka_unit_test(ad_codes), cmocka_unit_test(categories),
                                       cmocka_unit_test(product_checks)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
