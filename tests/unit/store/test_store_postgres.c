/* store on PostgreSQL (store/postgres.c): every named read prepares, the change sequence stays
 * gap-free in commit order and the log contiguous with two stores (two servers) writing at once,
 * a unique clash is a conflict that leaves the store usable, and one Idempotency-Key records once
 * across stores. Runs against the tests' own server (tests/pg/server.sh, NT_PG_URL_FILE); each
 * test on a fresh database. */
#include "helpers.h"
#include "store/sqlite_int.h"
#include "store/store.h"
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct fixture {
    char url[512];
    nt_store *a, *b; /* two stores on one database: two servers */
} fixture;

static char base_url[256];

static int exec_on(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

static int64_t count(fixture *f, const char *sql)
{
    PGconn *c = PQconnectdb(f->url);
    PGresult *r = PQexec(c, sql);
    int64_t n = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    PQclear(r);
    PQfinish(c);
    return n;
}

static int setup(void **state)
{
    static atomic_int n;
    fixture *f = calloc(1, sizeof(*f));
    char name[64], sql[128];
    snprintf(name, sizeof(name), "nt_unit_%d_%d", (int)getpid(), atomic_fetch_add(&n, 1));
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
    char admin[300];
    snprintf(admin, sizeof(admin), "%s/postgres", base_url);
    if (exec_on(admin, sql) != 0)
        return -1;
    snprintf(f->url, sizeof(f->url), "%s/%s", base_url, name);
    nt_err e;
    nt_err_clear(&e);
    if (nt_store_open(f->url, false, &f->a, &e) != 0 || f->a->ops->migrate(f->a, &e) != 0 ||
        nt_store_open(f->url, false, &f->b, &e) != 0 || f->b->ops->migrate(f->b, &e) != 0) {
        fprintf(stderr, "open: %s\n", e.en);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nt_store_close(f->a);
    nt_store_close(f->b);
    free(f);
    return 0;
}

static nt_wctx wctx(void)
{
    nt_wctx w = {.key_id = "k_test", .request_id = "r1", .at = "2026-11-30T00:00:00.000Z"};
    return w;
}

static nt_person person(const char *id, const char *nid)
{
    nt_person p = {.legal_name = "Nguyễn Văn Bền",
                   .search_key = "nguyen van ben",
                   .tokens = "nguyen van ben",
                   .aliases_json = "[]",
                   .kind = "kol",
                   .version = 1,
                   .nid_hash = nid};
    snprintf(p.id, sizeof(p.id), "%s", id);
    return p;
}

/* Every named read of store/queries.h prepares on the server as the store spells it there. */
static void every_named_read_prepares(void **state)
{
    fixture *f = *state;
    char *msg = NULL;
    struct pg_conn *c = pg_connect(f->url, &msg);
    assert_non_null(c);
    for (int q = 0; q < NT_QUERY_COUNT; q++)
        if (pg_check(c, nt__sq_query_sql_for(DB_POSTGRES, (nt_query)q)) != DB_OK)
            fail_msg("%s: %s", nt_query_name((nt_query)q), pg_errmsg(c));
    pg_disconnect(c);
}

/* A clash on a unique key is NT_ECONFLICT naming the holder; nothing of the write stays and the
 * store goes on writing (PostgreSQL ends a transaction at its first error: the write's savepoint
 * is what is rolled back). */
static void a_conflict_leaves_the_store_usable(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx();
    nt_person a = person("pa", "aa"), b = person("pb", "aa"), c = person("pc", NULL);
    assert_int_equal(f->a->ops->person_put(f->a, &w, &a, &e), 0);
    assert_int_equal(f->b->ops->person_put(f->b, &w, &b, &e), NT_ECONFLICT);
    assert_string_equal(e.conflict_id, "pa");
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity_id = 'pb'"), 0);
    nt_err_clear(&e);
    assert_int_equal(f->b->ops->person_put(f->b, &w, &c, &e), 0);
    json_t *got = NULL;
    assert_int_equal(f->a->ops->person_get(f->a, "pc", &got), 0);
    assert_true(json_is_false(json_object_get(got, "has_national_id")));
    json_decref(got);
    assert_int_equal(count(f, "SELECT max(seq) FROM changes"), 2);
}

typedef struct writer_arg {
    nt_store *s;
    int id, n;
    fixture *f;
} writer_arg;

static void *writes(void *p)
{
    writer_arg *a = p;
    for (int i = 0; i < a->n; i++) {
        nt_err e;
        nt_err_clear(&e);
        nt_wctx w = wctx();
        char id[32], nid[32];
        snprintf(id, sizeof(id), "p%d_%d", a->id, i);
        snprintf(nid, sizeof(nid), "n%d", i % 7 == 3 ? 0 : a->id * 1000 + i); /* every 7th clashes: rolled back */
        nt_person per = person(id, nid);
        int rc = a->s->ops->person_put(a->s, &w, &per, &e);
        assert_true(rc == 0 || rc == NT_ECONFLICT);
        /* And a record appended to the log by itself. */
        nt_log_item item = {.type = 1, .record_id = id, .record = "{}"};
        if (i % 5 == 0)
            a->s->ops->log_append(a->s, &w, &item, 1, &e);
    }
    return NULL;
}

/* Two stores, three writers each, some writes rolled back: a follower reading the change
 * sequence while they write never sees a number before the one below it, the numbers end up
 * 1..N with no gap, and the log's indexes 0..M-1. */
static void sequence_and_log_stay_contiguous_across_servers(void **state)
{
    fixture *f = *state;
    pthread_t t[6];
    writer_arg args[6];
    for (int i = 0; i < 6; i++) {
        args[i] = (writer_arg){.s = i % 2 ? f->b : f->a, .id = i + 1, .n = 60, .f = f};
        pthread_create(&t[i], NULL, writes, &args[i]);
    }
    int64_t seen = 0;
    for (int round = 0; round < 400; round++) {
        json_t *rows = NULL;
        assert_int_equal(f->b->ops->changes_since(f->b, seen, 500, &rows), 0);
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
        {
            int64_t seq = json_integer_value(json_object_get(row, "seq"));
            if (seq != seen + 1)
                fail_msg("after %lld the follower read %lld", (long long)seen, (long long)seq);
            seen = seq;
        }
        json_decref(rows);
        usleep(2000);
    }
    for (int i = 0; i < 6; i++)
        pthread_join(t[i], NULL);
    int64_t n = count(f, "SELECT count(*) FROM changes");
    assert_true(n > 300);
    assert_int_equal(count(f, "SELECT max(seq) FROM changes"), n);
    int64_t entries = count(f, "SELECT count(*) FROM log_entries");
    assert_true(entries > 0);
    assert_int_equal(count(f, "SELECT max(idx) + 1 FROM log_entries"), entries);
}

typedef struct idem_arg {
    nt_store *s;
    int rc;
    char id[16];
} idem_arg;

static void *idem_write(void *p)
{
    idem_arg *a = p;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx();
    w.idem_scope = "k_test";
    w.idem_key = "same-key";
    w.idem_hash = "0000000000000000000000000000000000000000000000000000000000000000";
    nt_person per = person(a->id, NULL);
    a->rc = a->s->ops->person_put(a->s, &w, &per, &e);
    return NULL;
}

/* The same key sent to two servers at once: one write records it, the other is refused (busy),
 * never two records. */
static void one_idempotency_record_across_servers(void **state)
{
    fixture *f = *state;
    for (int round = 0; round < 10; round++) {
        idem_arg x = {.s = f->a}, y = {.s = f->b};
        snprintf(x.id, sizeof(x.id), "ia%d", round);
        snprintf(y.id, sizeof(y.id), "ib%d", round);
        char sql[96];
        snprintf(sql, sizeof(sql), "DELETE FROM idempotency");
        exec_on(f->url, sql);
        pthread_t t1, t2;
        pthread_create(&t1, NULL, idem_write, &x);
        pthread_create(&t2, NULL, idem_write, &y);
        pthread_join(t1, NULL);
        pthread_join(t2, NULL);
        assert_int_equal(count(f, "SELECT count(*) FROM idempotency WHERE idem_key = 'same-key'"), 1);
        assert_true((x.rc == 0) != (y.rc == 0));
        assert_int_equal(x.rc == 0 ? y.rc : x.rc, NT_EBUSY);
    }
}

/* The time-driven work's lead: one of two servers holds it; when that one stops, the other takes it. */
static void one_server_leads_and_another_takes_over(void **state)
{
    fixture *f = *state;
    bool a = f->a->ops->lead(f->a), b = f->b->ops->lead(f->b);
    assert_true(a != b);
    assert_true(f->a->ops->lead(f->a) == a); /* held, not taken again */
    nt_store **leader = a ? &f->a : &f->b, *other = a ? f->b : f->a;
    nt_store_close(*leader);
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_store_open(f->url, false, leader, &e), 0);
    bool took = false;
    for (int i = 0; i < 50 && !took; i++) { /* the closed session's lock is released by the server */
        took = other->ops->lead(other);
        if (!took)
            usleep(10000);
    }
    assert_true(took);
    assert_false((*leader)->ops->lead(*leader));
}

int main(void)
{
    const char *file = getenv("NT_PG_URL_FILE");
    FILE *fp = file ? fopen(file, "r") : NULL;
    if (fp == NULL || fscanf(fp, "%255s", base_url) != 1) {
        fprintf(stderr, "no PostgreSQL server: NT_PG_URL_FILE names none (ctest starts one: pg.start)\n");
        return 1;
    }
    fclose(fp);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_named_read_prepares, setup, teardown),
        cmocka_unit_test_setup_teardown(a_conflict_leaves_the_store_usable, setup, teardown),
        cmocka_unit_test_setup_teardown(sequence_and_log_stay_contiguous_across_servers, setup, teardown),
        cmocka_unit_test_setup_teardown(one_idempotency_record_across_servers, setup, teardown),
        cmocka_unit_test_setup_teardown(one_server_leads_and_another_takes_over, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
