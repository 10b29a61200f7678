/* core/names: the forms screening compares names and handles in, on real Vietnamese names. */
#include "core/names.h"
#include "core/text.h"
#include "helpers.h"

static void toned(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(nt_name_toned("  Nguyễn   THỊ Thu Cúc ", out, sizeof(out)), (int)strlen("nguyễn thị thu cúc"));
    assert_string_equal(out, "nguyễn thị thu cúc");
    /* The same name typed decomposed (NFD) has the same toned form. */
    assert_true(nt_name_toned("Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3", out, sizeof(out)) > 0);
    assert_string_equal(out, "nguyễn thị");
    assert_true(nt_name_toned("Đặng-Văn.Lâm", out, sizeof(out)) > 0);
    assert_string_equal(out, "đặng văn lâm");
    assert_int_equal(nt_name_toned("\xff", out, sizeof(out)), -1);
    assert_int_equal(nt_name_toned("Nguyễn", out, 3), -1);
}

static void sounds(void **state)
{
    (void)state;
    char a[64], b[64];
    /* Spellings of one sound share a key. */
    const char *same[][2] = {{"dung", "zung"},    {"dung", "rung"},  {"giang", "zang"}, {"tram", "cham"},    {"sang", "xang"},
                             {"phuong", "fuong"}, {"quynh", "wynh"}, {"khanh", "khan"}, {"kim", "cim"},      {"huy", "hui"},
                             {"nghia", "ngia"},   {"ghe", "ge"},     {"lan", "lang"},   {"nguyen", "nuyen"}, {"ngoc", "ngok"},
                             {"ngoc", "noc"},     {"bich", "bikh"},  {"bich", "bitr"},  {"duc", "duk"},      {"thi", "thy"},
                             {"khai", "khay"},    {"tuyet", "tuiet"}};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        assert_true(nt_name_sound(same[i][0], a, sizeof(a)) > 0);
        assert_true(nt_name_sound(same[i][1], b, sizeof(b)) > 0);
        assert_string_equal(a, b);
    }
    /* Different names stay different. */
    const char *differ[][2] = {{"cuc", "cuong"},   {"lan", "linh"},    {"hoa", "hoang"},  {"tam", "tham"},  {"gia", "ga"},
                               {"khanh", "chanh"}, {"thanh", "tranh"}, {"nhung", "nung"}, {"viet", "viec"}, {"cuc", "cu"}};
    for (size_t i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
        nt_name_sound(differ[i][0], a, sizeof(a));
        nt_name_sound(differ[i][1], b, sizeof(b));
        assert_string_not_equal(a, b);
    }
    assert_int_equal(nt_name_sound("cúc", a, sizeof(a)), -1); /* plain tokens only */
}

static void handles(void **state)
{
    (void)state;
    char out[256];
    assert_true(nt_handle_tokens("@thucuc.official2", 0, out, sizeof(out)) > 0);
    assert_string_equal(out, "thucuc");
    assert_true(nt_handle_tokens("@Th0m_Cuc_TV", 0, out, sizeof(out)) > 0);
    assert_string_equal(out, "thom cuc");
    assert_true(nt_handle_tokens("lan1990", NT_HT_EDGES, out, sizeof(out)) > 0); /* a number at the end stays a number */
    assert_string_equal(out, "lan");
    assert_true(nt_handle_tokens("ng0c.tr1nh.real.backup99", 0, out, sizeof(out)) > 0);
    assert_string_equal(out, "ngoc trinh");
    assert_true(nt_handle_tokens("@Lê-Văn_Lâm.vlog", 0, out, sizeof(out)) > 0);
    assert_string_equal(out, "le van lam");
    /* At the edge of a word, a digit is read as a letter only when asked. */
    assert_true(nt_handle_tokens("@huy3nca0", 0, out, sizeof(out)) > 0);
    assert_string_equal(out, "huyenca");
    assert_true(nt_handle_tokens("@huy3nca0", NT_HT_EDGES, out, sizeof(out)) > 0);
    assert_string_equal(out, "huyencao");
    assert_true(nt_handle_tokens("@conghung_2.real", NT_HT_EDGES, out, sizeof(out)) > 0);
    assert_string_equal(out, "conghung");
    assert_true(nt_handle_tokens("@k13u.tran", 0, out, sizeof(out)) > 0);
    assert_string_equal(out, "kieu tran");
    assert_true(nt_handle_tokens("@tuankh0195", 0, out, sizeof(out)) > 0);
    assert_string_equal(out, "tuankh");
    assert_true(nt_handle_tokens("@tuankh0195", NT_HT_EDGES, out, sizeof(out)) > 0);
    assert_string_equal(out, "tuankhoi");
    assert_true(nt_handle_tokens("@lan1990", NT_HT_EDGES, out, sizeof(out)) > 0);
    assert_string_equal(out, "lan");
    assert_true(nt_handle_tokens("@thuy_dung.backup", NT_HT_FILLERS, out, sizeof(out)) > 0);
    assert_string_equal(out, "thuy dung backup");
    const char *one[] = {"thuan", "nguyen", "nghieng", "quynh", "gia", "a", "uyen", "khuyen", "wang", "zung", "tuiet"};
    for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
        assert_true(nt_name_syllable(one[i]));
    const char *two[] = {"lanthao", "thanhkhue", "minhanh", "thuthu", "myuyen", "kimmai", "hoangluan", "", "xyz"};
    for (size_t i = 0; i < sizeof(two) / sizeof(two[0]); i++)
        assert_false(nt_name_syllable(two[i]));
    const char *telex[][2] = {{"nguyeenx", "nguyen"}, {"cucs", "cuc"}, {"ddawngj", "dang"}, {"thij", "thi"}, {"huwowng", "huong"}};
    for (size_t i = 0; i < sizeof(telex) / sizeof(telex[0]); i++) {
        assert_true(nt_name_untelex(telex[i][0], out, sizeof(out)) > 0);
        assert_string_equal(out, telex[i][1]);
    }
    assert_int_equal(nt_name_untelex("lan", out, sizeof(out)), -1);
    assert_true(nt_name_filler("studio", 6) && nt_name_filler("official", 8) && !nt_name_filler("thuc", 4));
    assert_int_equal(nt_handle_tokens("@official_tv_123", 0, out, sizeof(out)), 0);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(toned), cmocka_unit_test(sounds), cmocka_unit_test(handles)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
