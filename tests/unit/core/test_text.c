/* core/text: NFC storage form, search keys and handle rules, on real names. */
#include "core/err.h"
#include "core/text.h"
#include "helpers.h"

static void nfc_composes_and_collapses_space(void **state)
{
    /* "Nguyễn" written decomposed: e + circumflex + tilde. */
    char *s = nt_text_nfc("  Nguye\xcc\x82\xcc\x83n   Thị\tThu  Cúc ");
    assert_non_null(s);
    assert_string_equal(s, "Nguyễn Thị Thu Cúc");
    free(s);
}

static void nfc_rejects_invalid_utf8(void **state)
{
    assert_null(nt_text_nfc("Nguy\xff\xfen"));
    assert_null(nt_text_nfc("\xc3"));
}

static void key(const char *in, const char *want)
{
    char out[NT_KEY_MAX];
    assert_true(nt_text_search_key(in, out, sizeof(out)) >= 0);
    assert_string_equal(out, want);
}

static void search_key_strips_marks_and_d(void **state)
{
    key("Nguyễn Thị Thu Cúc", "nguyen thi thu cuc");
    key("ĐẶNG VĂN ĐỨC", "dang van duc");
    key("Đỗ Hoàng Phượng", "do hoang phuong");
    key("Trương Mỹ Lan", "truong my lan");
    key("Hồ Ngọc Hà", "ho ngoc ha");
    key("Lê Thị Ánh-Tuyết (Official)", "le thi anh tuyet official");
    key("Nguye\xcc\x82\xcc\x83n", "nguyen");
    key("   ", "");
}

static void search_key_refuses_overflow(void **state)
{
    char out[8];
    assert_int_equal(nt_text_search_key("Nguyễn Thị Thu Cúc", out, sizeof(out)), -1);
}

static void tokens_split(void **state)
{
    char buf[] = "nguyen thi thu cuc";
    char *t[8];
    assert_int_equal(nt_text_tokens(buf, t, 8), 4);
    assert_string_equal(t[0], "nguyen");
    assert_string_equal(t[3], "cuc");
}

static void handle(const char *platform, const char *in, const char *want)
{
    char out[NT_HANDLE_MAX];
    if (want == NULL) {
        assert_int_not_equal(nt_handle_normalize(platform, in, out), 0);
    } else {
        assert_int_equal(nt_handle_normalize(platform, in, out), 0);
        assert_string_equal(out, want);
    }
}

static void handles_follow_platform_rules(void **state)
{
    handle("tiktok", "@ThuCuc.Official", "thucuc.official");
    handle("tiktok", " @thu_cuc ", "thu_cuc");
    handle("tiktok", "@thucuc-official", NULL);            /* hyphen not allowed */
    handle("tiktok", "@abcdefghijklmnopqrstuvwxy", NULL);  /* 25 > 24 */
    handle("facebook", "@Thu.Cuc.Nguyen", "thucucnguyen"); /* periods do not count */
    handle("facebook", "@abc", NULL);                      /* at least 5 */
    handle("youtube", "@thu-cuc", "thu-cuc");
    handle("x", "@thu.cuc", NULL);
    handle("mastodon", "@thucuc", NULL); /* unknown platform */
    handle("tiktok", "@thu cuc", NULL);
    handle("tiktok", "@thục", NULL);
}

static void platforms_known(void **state)
{
    assert_true(nt_platform_known("zalo"));
    assert_false(nt_platform_known("ZALO"));
    assert_false(nt_platform_known(""));
}

static void length_counts_code_points(void **state)
{
    assert_int_equal(nt_text_length("Cúc"), 3);
    assert_int_equal(nt_text_length("Nguyễn"), 6);
}

static void subjects_split_into_platform_and_handle(void **state)
{
    char plat[NT_PLATFORM_MAX], key[NT_SUBJECT_KEY_MAX];
    assert_int_equal(nt_subject_handle("tiktok:@ThuCuc.Official", plat, key), 0);
    assert_string_equal(plat, "tiktok");
    assert_string_equal(key, "tiktok:thucuc.official");
    assert_int_equal(nt_subject_handle("p0000001", plat, key), 1);
    assert_int_equal(nt_subject_handle("myspace:thucuc", plat, key), NT_EINVAL);
    assert_int_equal(nt_subject_handle("tiktok:thu cuc!", plat, key), NT_EINVAL);
    assert_int_equal(nt_subject_handle("averyveryveryverylongplatformname:x", plat, key), NT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nfc_composes_and_collapses_space), cmocka_unit_test(subjects_split_into_platform_and_handle),
        cmocka_unit_test(nfc_rejects_invalid_utf8),         cmocka_unit_test(search_key_strips_marks_and_d),
        cmocka_unit_test(search_key_refuses_overflow),      cmocka_unit_test(tokens_split),
        cmocka_unit_test(handles_follow_platform_rules),    cmocka_unit_test(platforms_known),
        cmocka_unit_test(length_counts_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
