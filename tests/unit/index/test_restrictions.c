/* index/restrictions (and index/epoch): lookups, scopes, platforms, time, and
 * readers racing a writer (run under ASan, a use-after-free would abort). */
#include "helpers.h"
#include "index/restrictions.h"
#include <pthread.h>
#include <stdatomic.h>

#define S   1000000LL
#define DAY (86400 * S)
#define T0  (1798761600LL * S)

static nt_restriction restriction(const char *id, unsigned scopes, int64_t start, int64_t end)
{
    nt_restriction r = {.type = NT_SANCTION_APPEARANCE_RESTRICTION, .scopes = scopes, .t = {.start_us = start, .end_us = end}};
    snprintf(r.sanction_id, sizeof(r.sanction_id), "%s", id);
    snprintf(r.decision_number, sizeof(r.decision_number), "QĐ-%s", id);
    snprintf(r.authority, sizeof(r.authority), "Cục PTTH&TTĐT");
    return r;
}

static void lookups_scopes_platforms_times(void **state)
{
    nt_rindex *ix = nt_rindex_new(10, 10);
    nt_rindex_put_handle(ix, "tiktok:thucuc", "p1");
    char person[NT_ID_LEN];
    assert_true(nt_rindex_handle(ix, "tiktok:thucuc", person));
    assert_string_equal(person, "p1");
    assert_false(nt_rindex_handle(ix, "tiktok:nobody", person));

    nt_restriction r = restriction("s1", NT_SCOPE_LIVESTREAM | NT_SCOPE_ADVERTISING, T0, T0 + 365 * DAY);
    nt_rindex_put(ix, "p1", "Nguyễn Thị Thu Cúc", &r);
    nt_restriction out[4];
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_LIVESTREAM, NULL, T0, T0, out, 4), 1);
    assert_string_equal(out[0].decision_number, "QĐ-s1");
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_BROADCAST, NULL, T0, T0, out, 4), 0);                   /* other scope */
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_ALL, NULL, T0 - 1, T0 - 1, out, 4), 0);                 /* not yet */
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_ALL, NULL, T0 + 365 * DAY, T0 + 365 * DAY, out, 4), 0); /* ended */
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_ALL, NULL, T0 - DAY, T0 + 1, out, 4), 1);               /* a window */
    assert_int_equal(nt_rindex_check(ix, "p2", NT_SCOPE_ALL, NULL, T0, T0, out, 4), 0);

    /* Only on YouTube (nt_platforms[3]). */
    nt_restriction yt = restriction("s2", NT_SCOPE_ONLINE_CONTENT, T0, T0 + DAY);
    yt.platforms = 1u << 3;
    nt_rindex_put(ix, "p1", NULL, &yt);
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_ONLINE_CONTENT, "youtube", T0, T0, out, 4), 1);
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_ONLINE_CONTENT, "tiktok", T0, T0, out, 4), 0);
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_ONLINE_CONTENT, NULL, T0, T0, out, 4), 1);

    /* Replace (lifted) and delete. */
    r.t.lifted_us = T0 + DAY;
    nt_rindex_put(ix, "p1", NULL, &r);
    assert_int_equal(nt_rindex_check(ix, "p1", NT_SCOPE_LIVESTREAM, NULL, T0 + 2 * DAY, T0 + 2 * DAY, out, 4), 0);
    nt_rindex_stats st;
    nt_rindex_stats_get(ix, &st);
    assert_int_equal(st.restrictions, 2);
    assert_int_equal(st.persons, 1);
    assert_int_equal(st.handles, 1);
    assert_int_equal(nt_rindex_prune(ix, T0 + 2 * DAY), 2); /* both ended by then */
    nt_rindex_stats_get(ix, &st);
    assert_int_equal(st.restrictions, 0);
    assert_int_equal(st.persons, 0);
    nt_rindex_del_handle(ix, "tiktok:thucuc");
    assert_false(nt_rindex_handle(ix, "tiktok:thucuc", person));
    nt_rindex_set_seq(ix, 42);
    assert_int_equal(nt_rindex_seq(ix), 42);
    nt_rindex_free(ix);
}

static void count_each(void *arg, const char *person_id, const char *legal_name, const nt_restriction *r)
{
    (*(int *)arg)++;
}

static void each_visits_all(void **state)
{
    nt_rindex *ix = nt_rindex_new(10, 10);
    char id[16], pid[16];
    for (int i = 0; i < 100; i++) {
        snprintf(id, sizeof(id), "s%d", i);
        snprintf(pid, sizeof(pid), "p%d", i % 7);
        nt_restriction r = restriction(id, NT_SCOPE_BROADCAST, T0, T0 + DAY);
        nt_rindex_put(ix, pid, "x", &r);
    }
    int n = 0;
    nt_rindex_each(ix, count_each, &n);
    assert_int_equal(n, 100);
    nt_rindex_free(ix);
}

static nt_rindex *shared;
static atomic_bool stop;
static atomic_long hits, wrong;

#define FIXED 10 /* persons always restricted (pr*) and always free (pf*), with a handle each */
#define CHURN 50 /* persons the writer restricts and frees all along */

/* Readers check the fixed subjects, whose answers never change, and the churning ones, whose
 * answers may be either but must be whole: every answer is counted, every wrong one too. */
static void *reader(void *arg)
{
    (void)arg;
    nt_restriction out[8];
    char person[NT_ID_LEN], pid[16], key[32];
    long h = 0, bad = 0;
    while (!atomic_load(&stop)) {
        for (int i = 0; i < FIXED; i++) {
            snprintf(pid, sizeof(pid), "pr%d", i);
            size_t n = nt_rindex_check(shared, pid, NT_SCOPE_LIVESTREAM, NULL, T0, T0, out, 8);
            char want[32];
            snprintf(want, sizeof(want), "QĐ-fixed%d", i);
            bool found = false;
            for (size_t k = 0; k < n; k++)
                found |= strcmp(out[k].decision_number, want) == 0;
            bad += !found;
            snprintf(key, sizeof(key), "tiktok:hr%d", i);
            bad += !nt_rindex_handle(shared, key, person) || strcmp(person, pid) != 0;
            snprintf(pid, sizeof(pid), "pf%d", i);
            bad += nt_rindex_check(shared, pid, NT_SCOPE_LIVESTREAM, NULL, T0, T0, out, 8) != 0;
            snprintf(key, sizeof(key), "tiktok:hf%d", i);
            bad += nt_rindex_handle(shared, key, person);
            h += 4;
        }
        /* Certificates: a churning person's is whole (its id names its status) or absent. */
        for (int i = 0; i < CHURN; i++) {
            nt_cert_brief c;
            snprintf(pid, sizeof(pid), "p%d", i);
            if (nt_rindex_cert(shared, pid, &c)) {
                char want[NT_ID_LEN];
                snprintf(want, sizeof(want), "c_%.4s_%.9s", pid, c.status);
                bad += strcmp(c.id, want) != 0 || c.valid_until_us != T0 + DAY;
            }
            h += 1;
        }
        for (int i = 0; i < CHURN; i++) {
            snprintf(pid, sizeof(pid), "p%d", i);
            size_t n = nt_rindex_check(shared, pid, NT_SCOPE_ALL, NULL, T0, T0, out, 8);
            for (size_t k = 0; k < n; k++) /* whole: the number its sanction was put with */
                bad += strncmp(out[k].decision_number, "QĐ-s", strlen("QĐ-s")) != 0 ||
                       strcmp(out[k].decision_number + strlen("QĐ-"), out[k].sanction_id) != 0;
            h += 1;
        }
    }
    atomic_fetch_add(&hits, h);
    atomic_fetch_add(&wrong, bad);
    return NULL;
}

static void readers_race_a_writer(void **state)
{
    shared = nt_rindex_new(16, 16); /* small: long chains, many copies */
    char id[32], pid[16], key[32];
    for (int i = 0; i < FIXED; i++) {
        snprintf(id, sizeof(id), "fixed%d", i);
        snprintf(pid, sizeof(pid), "pr%d", i);
        nt_restriction r = restriction(id, NT_SCOPE_LIVESTREAM, T0 - DAY, T0 + DAY);
        nt_rindex_put(shared, pid, "Cố Định", &r);
        snprintf(key, sizeof(key), "tiktok:hr%d", i);
        nt_rindex_put_handle(shared, key, pid);
    }
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, reader, NULL);
    for (int round = 0; round < 20000; round++) {
        int i = round % CHURN, f = round % FIXED;
        snprintf(id, sizeof(id), "s%d", round % 200);
        snprintf(pid, sizeof(pid), "p%d", i);
        snprintf(key, sizeof(key), "tiktok:h%d", i);
        nt_restriction r = restriction(id, NT_SCOPE_PRESS, T0 - DAY, T0 + DAY);
        nt_cert_brief cert = {.valid_until_us = T0 + DAY};
        snprintf(cert.status, sizeof(cert.status), "%s", round % 2 ? "active" : "suspended");
        snprintf(cert.id, sizeof(cert.id), "c_%.4s_%.9s", pid, cert.status);
        nt_rindex_put_cert(shared, pid, round % 5 == 4 ? NULL : &cert);
        if (round % 3 == 0) {
            nt_rindex_del(shared, pid, id);
            nt_rindex_del_handle(shared, key);
        } else {
            nt_rindex_put(shared, pid, "Tên", &r);
            nt_rindex_put_handle(shared, key, pid);
        }
        /* The fixed ones are rewritten too, as the follower would: same answers throughout. */
        snprintf(id, sizeof(id), "fixed%d", f);
        snprintf(pid, sizeof(pid), "pr%d", f);
        nt_restriction fixed = restriction(id, NT_SCOPE_LIVESTREAM, T0 - DAY, T0 + DAY);
        nt_rindex_put(shared, pid, "Cố Định", &fixed);
        snprintf(id, sizeof(id), "other%d", round % 7);
        nt_restriction other = restriction(id, NT_SCOPE_PRESS, T0 - DAY, T0 + DAY);
        if (round % 2)
            nt_rindex_put(shared, pid, NULL, &other);
        else
            nt_rindex_del(shared, pid, id);
        snprintf(key, sizeof(key), "tiktok:hr%d", f);
        nt_rindex_put_handle(shared, key, pid);
        /* The free ones get restrictions that do not apply (another scope, ended) and come and go. */
        snprintf(pid, sizeof(pid), "pf%d", f);
        snprintf(id, sizeof(id), "free%d", round % 5);
        nt_restriction elsewhere =
            restriction(id, round % 2 ? NT_SCOPE_PRESS : NT_SCOPE_LIVESTREAM, T0 - 2 * DAY, round % 2 ? T0 + DAY : T0 - DAY);
        if (round % 4 == 3)
            nt_rindex_del(shared, pid, id);
        else
            nt_rindex_put(shared, pid, NULL, &elsewhere);
    }
    atomic_store(&stop, true);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_true(atomic_load(&hits) > 0);
    assert_int_equal(atomic_load(&wrong), 0);
    nt_rindex_free(shared);
}

/* A person's certificate lives in their own entry: putting the person again keeps it, a handle
 * never carries one, removing the person removes it. */
static void certificates_ride_with_the_person(void **state)
{
    nt_rindex *ix = nt_rindex_new(16, 16);
    nt_cert_brief c = {.valid_until_us = T0 + DAY, .head_len = 3, .tail_len = 2}, out;
    snprintf(c.id, sizeof(c.id), "cert_one");
    snprintf(c.status, sizeof(c.status), "active");
    assert_false(nt_rindex_cert(ix, "p1", &out));
    nt_rindex_put_person(ix, "P1");
    nt_rindex_put_cert(ix, "p1", &c);
    assert_true(nt_rindex_cert(ix, "p1", &out));
    assert_string_equal(out.id, "cert_one");
    char reg[NT_ID_LEN];
    assert_true(nt_rindex_person(ix, "p1", reg));
    assert_string_equal(reg, "P1"); /* the id as the registry writes it, kept */
    nt_rindex_put_person(ix, "P1");
    assert_true(nt_rindex_cert(ix, "p1", &out));
    nt_rindex_put_handle(ix, "tiktok:one", "P1");
    assert_false(nt_rindex_cert(ix, "tiktok:one", &out));
    nt_rindex_put_cert(ix, "p1", NULL);
    assert_false(nt_rindex_cert(ix, "p1", &out));
    assert_true(nt_rindex_person(ix, "p1", reg)); /* the person stays */
    nt_rindex_put_cert(ix, "p1", &c);
    nt_rindex_del_person(ix, "P1");
    assert_false(nt_rindex_cert(ix, "p1", &out));
    nt_rindex_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(lookups_scopes_platforms_times), cmocka_unit_test(each_visits_all),
                                       cmocka_unit_test(readers_race_a_writer),
                                       cmocka_unit_test(certificates_ride_with_the_person)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
