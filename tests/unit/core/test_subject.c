/* core/subject: the forms a check's subject may take, and why others are refused. */
#include "core/subject.h"
#include "helpers.h"
#include <string.h>

static void accepted_forms(void **state)
{
    static const struct {
        const char *in;
        nt_subject_kind kind;
        const char *value; /* id, key or handle */
        bool name_like;
    } ok[] = {
        {"p0000002", NT_SUBJECT_PERSON, "p0000002", false},
        {"P0000002", NT_SUBJECT_PERSON, "P0000002", false}, /* matched ignoring case by the check */
        {"  p_4kq9x2m7w1z3  ", NT_SUBJECT_PERSON, "p_4kq9x2m7w1z3", false},
        {"abcdef", NT_SUBJECT_PERSON, "abcdef", true}, /* an id or a name: the registry tells */
        {"tiktok:@ThuCuc.Official", NT_SUBJECT_HANDLE, "tiktok:thucuc.official", false},
        {"TikTok:thucuc.official", NT_SUBJECT_HANDLE, "tiktok:thucuc.official", false},
        {"https://www.tiktok.com/@thucuc.official?lang=vi", NT_SUBJECT_HANDLE, "tiktok:thucuc.official", false},
        {"tiktok.com/@thucuc.official/video/123", NT_SUBJECT_HANDLE, "tiktok:thucuc.official", false},
        {"http://m.facebook.com/thu.cuc.official", NT_SUBJECT_HANDLE, "facebook:thucucofficial", false},
        {"https://instagram.com/thucuc_/", NT_SUBJECT_HANDLE, "instagram:thucuc_", false},
        {"https://www.youtube.com/@ThuCuc", NT_SUBJECT_HANDLE, "youtube:thucuc", false},
        {"https://twitter.com/thucuc", NT_SUBJECT_HANDLE, "x:thucuc", false},
        {"https://www.threads.net/@thucuc", NT_SUBJECT_HANDLE, "threads:thucuc", false},
        {"@cuong.review2", NT_SUBJECT_ANY_HANDLE, "cuong.review2", false},
        {"cuong.review2", NT_SUBJECT_ANY_HANDLE, "cuong.review2", false},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        nt_subject s;
        const char *why = nt_subject_parse(ok[i].in, &s);
        if (why != NULL)
            fail_msg("%s: refused (%s)", ok[i].in, why);
        assert_int_equal(s.kind, ok[i].kind);
        const char *got = s.kind == NT_SUBJECT_PERSON ? s.id : s.kind == NT_SUBJECT_HANDLE ? s.key : s.handle;
        if (strcmp(got, ok[i].value) != 0)
            fail_msg("%s: %s, expected %s", ok[i].in, got, ok[i].value);
        assert_int_equal(s.name_like, ok[i].name_like);
    }
}

static void refused_forms(void **state)
{
    static const struct {
        const char *in, *why;
    } bad[] = {
        {"Nguyen Van A", "is_a_name"},
        {"Nguyễn Văn A", "is_a_name"},
        {"Trương", "is_a_name"},
        {"myspace:abc", "unknown_platform"},
        {"https://example.org/thucuc", "unknown_platform"},
        {"tiktok:", "invalid_handle"},
        {"tiktok:@a!b", "invalid_handle"},
        {"https://www.youtube.com/channel/UC123", "invalid_handle"},
        {"https://www.facebook.com/profile.php?id=100", "invalid_handle"},
        {"@", "invalid_handle"},
        {"#$%", "not_a_subject"},
        {"12 + 3", "not_a_subject"},
        {"", "not_a_subject"},
        {"   ", "not_a_subject"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        nt_subject s;
        const char *why = nt_subject_parse(bad[i].in, &s);
        if (why == NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("\"%s\": %s, expected %s", bad[i].in, why ? why : "accepted", bad[i].why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(accepted_forms), cmocka_unit_test(refused_forms)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
