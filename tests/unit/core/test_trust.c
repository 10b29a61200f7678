/* core/trust: the programme's data as compiled in, the quiz's draw and scoring, the conduct decay,
 * and a standards file given at start. */
#include "core/trust.h"
#include "core/util.h"
#include "helpers.h"
#include <sodium.h>
#include <unistd.h>

#define DAY (86400LL * 1000000)

static void the_data_is_whole(void **state)
{
    const json_t *t = nt_trust_training();
    assert_int_equal(json_array_size(json_object_get(t, "modules")), 6);
    size_t i;
    json_t *q;
    size_t n = json_array_size(json_object_get(t, "questions"));
    assert_true(n >= 80);
    json_array_foreach(json_object_get(t, "questions"), i, q)
    {
        /* Every question in both languages, with its right option among its options. */
        assert_non_null(json_string_value(json_object_get(json_object_get(q, "text"), "vi")));
        assert_non_null(json_string_value(json_object_get(json_object_get(q, "text"), "en")));
        json_int_t a = json_integer_value(json_object_get(q, "answer"));
        assert_true(a >= 0 && (size_t)a < json_array_size(json_object_get(q, "options")));
    }
    int total = 0;
    json_t *p;
    json_array_foreach(json_object_get(nt_trust_scoring(), "pillars"), i, p) total +=
        (int)json_integer_value(json_object_get(p, "points"));
    assert_int_equal(total, 100); /* five pillars, 100 points */
    assert_int_equal(json_array_size(json_object_get(nt_trust_scoring(), "pillars")), 5);
    json_t *pub = nt_trust_training_public();
    assert_null(json_object_get(pub, "questions"));
    assert_int_equal(json_integer_value(json_object_get(pub, "bank_size")), (json_int_t)n);
    json_decref(pub);
}

static void a_draw_hides_answers_and_scores_by_what_was_shown(void **state)
{
    json_t *drawn = nt_trust_quiz_draw(20), *shown = nt_trust_quiz_shown(drawn);
    assert_int_equal(json_array_size(drawn), 20);
    char *text = json_dumps(shown, 0);
    assert_null(strstr(text, "\"answer\""));
    free(text);
    /* The right answer as shown: the bank's right option, found where the shuffle put it. */
    json_t *answers = json_object();
    size_t i, k;
    json_t *d, *o;
    json_array_foreach(drawn, i, d)
    {
        json_t *s = json_array_get(shown, i);
        const json_t *bank = NULL;
        json_t *b;
        json_array_foreach(
            json_object_get(nt_trust_training(), "questions"), k,
            b) if (nt_streq(json_string_value(json_object_get(b, "id")), json_string_value(json_object_get(d, "id")))) bank = b;
        json_t *right =
            json_array_get(json_object_get(bank, "options"), (size_t)json_integer_value(json_object_get(bank, "answer")));
        json_array_foreach(json_object_get(s, "options"), k, o) if (json_equal(o, right))
            json_object_set_new(answers, json_string_value(json_object_get(d, "id")), json_integer((json_int_t)k));
    }
    int correct = 0;
    json_t *per = NULL;
    const char *field = NULL;
    assert_int_equal(nt_trust_quiz_score(drawn, answers, &correct, &per, &field), 0);
    assert_int_equal(correct, 20);
    json_decref(per);
    /* Unanswered questions are wrong; an answer to a question not drawn is refused. */
    json_object_del(answers, json_string_value(json_object_get(json_array_get(drawn, 0), "id")));
    assert_int_equal(nt_trust_quiz_score(drawn, answers, &correct, &per, &field), 0);
    assert_int_equal(correct, 19);
    json_decref(per);
    json_object_set_new(answers, "nope-01", json_integer(0));
    assert_int_equal(nt_trust_quiz_score(drawn, answers, &correct, &per, &field), -1);
    assert_string_equal(field, "nope-01");
    json_decref(answers);
    json_decref(shown);
    json_decref(drawn);
}

static void draws_differ(void **state)
{
    json_t *a = nt_trust_quiz_draw(20), *b = nt_trust_quiz_draw(20);
    assert_false(json_equal(a, b)); /* 80 choose 20 orders: equal only by a broken generator */
    json_decref(a);
    json_decref(b);
}

static void conduct_deductions_decay(void **state)
{
    int64_t now = 1800000000LL * 1000000;
    int64_t at[2] = {now, now};
    bool warn[2] = {false, true};
    assert_int_equal(nt_trust_conduct_permille(at, warn, 0, now), 1000);
    assert_int_equal(nt_trust_conduct_permille(at, warn, 1, now), 500); /* a violation today: half */
    assert_int_equal(nt_trust_conduct_permille(at, warn, 2, now), 250); /* and a warning: a quarter more */
    at[0] = now - 360 * DAY;                                            /* half the 24 months (720 days) */
    assert_int_equal(nt_trust_conduct_permille(at, warn, 1, now), 750);
    at[0] = now - 720 * DAY;
    assert_int_equal(nt_trust_conduct_permille(at, warn, 1, now), 1000); /* decayed away */
    int64_t many[3] = {now, now, now};
    bool no[3] = {false, false, false};
    assert_int_equal(nt_trust_conduct_permille(many, no, 3, now), 0); /* never below nothing */
}

static void a_standards_file_replaces_the_built_in_one(void **state)
{
    assert_non_null(nt_trust_standards_current(nt_now_us()));
    assert_null(nt_trust_standards_current(0)); /* before any version was adopted */
    char *dir = nt_test_tmpdir(), path[600], why[300];
    snprintf(path, sizeof(path), "%s/s.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"accept_within_days\": 30, \"versions\": [{\"version\": 1, \"adopted_at\": \"2026-01-01T00:00:00Z\", "
          "\"pillars\": [{\"id\": \"a\"}], \"commitments\": [{\"id\": \"a-1\", \"pillar\": \"b\"}]}]}",
          f);
    fclose(f);
    assert_int_equal(nt_trust_standards_load(path, why, sizeof(why)), -1); /* a commitment of no pillar */
    assert_non_null(strstr(why, "pillar"));
    f = fopen(path, "w");
    fputs("{\"accept_within_days\": 30, \"versions\": [{\"version\": 1, \"adopted_at\": \"2026-01-01T00:00:00Z\", "
          "\"pillars\": [{\"id\": \"a\"}], \"commitments\": [{\"id\": \"a-1\", \"pillar\": \"a\"}]}, {\"version\": 2, "
          "\"adopted_at\": \"2026-06-01T00:00:00Z\", \"pillars\": [], \"commitments\": []}]}",
          f);
    fclose(f);
    assert_int_equal(nt_trust_standards_load(path, why, sizeof(why)), 0);
    int64_t june;
    nt_time_parse("2026-06-01T00:00:00Z", &june);
    assert_int_equal(json_integer_value(json_object_get(nt_trust_standards_current(june - 1), "version")), 1);
    assert_int_equal(json_integer_value(json_object_get(nt_trust_standards_current(june), "version")), 2);
    assert_int_equal(nt_trust_accept_by(2), june + 30 * DAY);
    assert_int_equal(nt_trust_accept_by(3), 0);
    remove(path);
    rmdir(dir);
    free(dir);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_data_is_whole),
        cmocka_unit_test(a_draw_hides_answers_and_scores_by_what_was_shown),
        cmocka_unit_test(draws_differ),
        cmocka_unit_test(conduct_deductions_decay),
        cmocka_unit_test(a_standards_file_replaces_the_built_in_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
