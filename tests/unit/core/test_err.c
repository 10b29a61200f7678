/* core/err: field errors that say what would be accepted, and the nearest known field. */
#include "core/err.h"
#include "helpers.h"

static const char *const periods[] = {"month", "quarter", NULL};

static void detail_lists_what_is_accepted(void **state)
{
    nt_err e;
    char d[640];
    nt_err_clear(&e);
    assert_int_equal(nt_err_field_one_of(&e, "by", "invalid", periods), NT_EINVAL);
    assert_string_equal(e.fields[0].allowed, "month,quarter");
    nt_err_field_detail(&e.fields[0], NT_LANG_EN, d, sizeof(d));
    assert_string_equal(d, "is not valid; one of: month, quarter");
    nt_err_field_detail(&e.fields[0], NT_LANG_VI, d, sizeof(d));
    assert_string_equal(d, "giá trị không hợp lệ; một trong: month, quarter");
    /* A field error without a list says only what is wrong, as before. */
    nt_err_field(&e, "to", "invalid", 0);
    assert_string_equal(e.fields[1].allowed, "");
    nt_err_field_detail(&e.fields[1], NT_LANG_EN, d, sizeof(d));
    assert_string_equal(d, "is not valid");
    nt_err_field_allowed(&e, "assigned", "invalid", "me"); /* a choice of one */
    nt_err_field_detail(&e.fields[2], NT_LANG_EN, d, sizeof(d));
    assert_string_equal(d, "is not valid; must be: me");
    nt_err_field_detail(&e.fields[2], NT_LANG_VI, d, sizeof(d));
    assert_string_equal(d, "giá trị không hợp lệ; phải là: me");
}

static void unknown_field_names_the_nearest(void **state)
{
    nt_err e;
    char d[640], near[64];
    nt_err_clear(&e);
    nt_err_field_allowed(&e, "subjct", "unknown", "subject,scope,platform,at,from,to");
    assert_string_equal(nt_err_field_suggestion(&e.fields[0], near, sizeof(near)), "subject");
    nt_err_field_detail(&e.fields[0], NT_LANG_EN, d, sizeof(d));
    assert_string_equal(d, "is not a known field (did you mean “subject”?); known: subject, scope, platform, at, from, to");
    nt_err_field_detail(&e.fields[0], NT_LANG_VI, d, sizeof(d));
    assert_non_null(strstr(d, "(ý bạn là “subject”?); các trường được hỗ trợ: subject, scope"));

    /* Two letters swapped are one edit; a nested field is compared by its last part. */
    nt_err_clear(&e);
    nt_err_field_allowed(&e, "claim.raitng", "unknown", "rating,appeared,source");
    assert_string_equal(nt_err_field_suggestion(&e.fields[0], near, sizeof(near)), "rating");
}

static void no_guess_when_unsure(void **state)
{
    nt_err e;
    char near[64];
    nt_err_clear(&e);
    nt_err_field_allowed(&e, "kind", "unknown", "subject,scope,platform,at,from,to"); /* nothing near */
    assert_null(nt_err_field_suggestion(&e.fields[0], near, sizeof(near)));
    nt_err_field_allowed(&e, "ta", "unknown", "subject,scope,platform,at,from,to"); /* "at" and "to": two alike */
    assert_null(nt_err_field_suggestion(&e.fields[1], near, sizeof(near)));
    nt_err_field_allowed(&e, "ab", "unknown", "at,xyz"); /* a rewrite of half of what was written */
    assert_null(nt_err_field_suggestion(&e.fields[2], near, sizeof(near)));
    nt_err_field_allowed(&e, "scopes", "invalid", "scope"); /* only a field that is not known is guessed at */
    assert_null(nt_err_field_suggestion(&e.fields[3], near, sizeof(near)));
    nt_err_field(&e, "subjct", "unknown", 0); /* no list, no guess */
    assert_null(nt_err_field_suggestion(&e.fields[4], near, sizeof(near)));
}

static void a_list_too_long_is_not_said(void **state)
{
    static char word[40][16];
    static const char *many[41];
    for (int i = 0; i < 40; i++) {
        snprintf(word[i], sizeof(word[i]), "choice_%02d", i);
        many[i] = word[i];
    }
    many[40] = NULL;
    nt_err e;
    char d[640];
    nt_err_clear(&e);
    nt_err_field_one_of(&e, "x", "invalid", many); /* 399 characters: more than is kept */
    assert_string_equal(e.fields[0].allowed, "");
    nt_err_field_detail(&e.fields[0], NT_LANG_EN, d, sizeof(d));
    assert_string_equal(d, "is not valid");
    many[20] = NULL; /* 199: kept whole */
    nt_err_field_one_of(&e, "x", "invalid", many);
    assert_int_equal(strlen(e.fields[1].allowed), 20 * 10 - 1);
}

static void a_small_buffer_gets_whole_sentences(void **state)
{
    nt_err e;
    char d[32];
    nt_err_clear(&e);
    nt_err_field_one_of(&e, "by", "invalid", periods);
    nt_err_field_detail(&e.fields[0], NT_LANG_VI, d, sizeof(d));
    assert_string_equal(d, "giá trị không hợp lệ"); /* the list left out rather than cut inside a letter */
}

static void full_report_keeps_its_first_errors(void **state)
{
    nt_err e;
    nt_err_clear(&e);
    for (int i = 0; i < NT_ERR_MAX_FIELDS; i++)
        nt_err_field(&e, "f", "required", 0);
    nt_err_field_one_of(&e, "by", "invalid", periods); /* no room: the last kept error is left as it was */
    assert_int_equal(e.nfields, NT_ERR_MAX_FIELDS);
    assert_string_equal(e.fields[NT_ERR_MAX_FIELDS - 1].code, "required");
    assert_string_equal(e.fields[NT_ERR_MAX_FIELDS - 1].allowed, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detail_lists_what_is_accepted),
        cmocka_unit_test(unknown_field_names_the_nearest),
        cmocka_unit_test(no_guess_when_unsure),
        cmocka_unit_test(a_list_too_long_is_not_said),
        cmocka_unit_test(a_small_buffer_gets_whole_sentences),
        cmocka_unit_test(full_report_keeps_its_first_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
