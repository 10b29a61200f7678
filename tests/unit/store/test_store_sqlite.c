/* store/sqlite: migrations, one transaction per write with its audit and
 * change rows, conflicts, optimistic versions, bulk import, backup. */
#include "core/embed.h"
#include "helpers.h"
#include "store/sqlite_int.h"
#include "store/store.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
    char *dir;
    char db[512];
    nt_store *s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    f->dir = nt_test_tmpdir();
    snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
    nt_err e;
    nt_err_clear(&e);
    if (nt_store_open(f->db, true, &f->s, &e) != 0 || f->s->ops->migrate(f->s, &e) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nt_store_close(f->s);
    nt_test_rmtree(f->dir);
    free(f);
    return 0;
}

static int64_t count(fixture *f, const char *sql)
{
    sqlite3 *db;
    sqlite3_open(f->db, &db);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static nt_wctx wctx(const char *at)
{
    nt_wctx w = {.key_id = "k_test", .request_id = "r1", .at = at};
    return w;
}

static nt_person person(const char *id, const char *name, const char *tokens)
{
    nt_person p = {.legal_name = name, .search_key = tokens, .tokens = tokens, .aliases_json = "[]", .kind = "kol", .version = 1};
    snprintf(p.id, sizeof(p.id), "%s", id);
    return p;
}

static void migrate_is_idempotent(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(f->s->ops->migrate(f->s, &e), 0);
    int64_t embedded = 0;
    for (const struct nt_embedded *m = nt_embedded_files; m->name != NULL; m++)
        embedded += strstr(m->name, ".sql") != NULL;
    assert_true(embedded >= 2);
    assert_int_equal(count(f, "SELECT count(*) FROM schema_migrations"), embedded);
    assert_string_equal(f->s->ops->name, "sqlite");
    assert_int_equal(count(f, "PRAGMA journal_mode='wal'") >= 0, 1);
}

static void write_records_audit_and_change(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    nt_person p = person("p1", "Nguyễn Thị Thu Cúc", "nguyen thi thu cuc");
    assert_int_equal(f->s->ops->person_put(f->s, &w, &p, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity_id = 'p1' AND key_id = 'k_test' AND request_id = 'r1'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM changes WHERE entity = 'person' AND entity_id = 'p1'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM person_tokens WHERE person_id = 'p1'"), 4);
    json_t *got = NULL;
    assert_int_equal(f->s->ops->person_get(f->s, "p1", &got), 0);
    assert_string_equal(json_string_value(json_object_get(got, "legal_name")), "Nguyễn Thị Thu Cúc");
    assert_true(json_is_false(json_object_get(got, "has_national_id")));
    json_decref(got);
    assert_int_equal(f->s->ops->person_get(f->s, "nobody", &got), NT_ENOTFOUND);
}

static void conflicts_name_the_existing(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    nt_person a = person("pa", "Trần Văn A", "tran van a");
    a.nid_hash = "aa";
    assert_int_equal(f->s->ops->person_put(f->s, &w, &a, &e), 0);
    nt_person b = person("pb", "Trần Văn B", "tran van b");
    b.nid_hash = "aa";
    assert_int_equal(f->s->ops->person_put(f->s, &w, &b, &e), NT_ECONFLICT);
    assert_string_equal(e.conflict_id, "pa");
    /* Nothing of the failed write remains: no person, no audit row, no change. */
    assert_int_equal(count(f, "SELECT count(*) FROM persons WHERE id = 'pb'"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity_id = 'pb'"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM changes"), 1);
    nt_err_clear(&e);
    assert_int_equal(f->s->ops->person_put(f->s, &w, &a, &e), NT_ECONFLICT);
    assert_string_equal(e.conflict_id, "pa");
}

static void update_checks_version(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    nt_person p = person("pv", "Lê Văn Cũ", "le van cu");
    p.nid_hash = "bb";
    assert_int_equal(f->s->ops->person_put(f->s, &w, &p, &e), 0);
    nt_person u = person("pv", "Lê Văn Mới", "le van moi");
    u.version = 2;
    u.keep_nid = true;
    assert_int_equal(f->s->ops->person_update(f->s, &w, &u, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM persons WHERE id = 'pv' AND nid_hash = 'bb' AND version = 2"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM person_tokens WHERE person_id = 'pv' AND token = 'moi'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM person_tokens WHERE person_id = 'pv' AND token = 'cu'"), 0);
    /* The same version again is stale. */
    assert_int_equal(f->s->ops->person_update(f->s, &w, &u, &e), NT_ESTALE);
}

static void search_is_word_order_free(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    nt_person a = person("s1", "Nguyễn Thị Thu Cúc", "nguyen thi thu cuc");
    nt_person b = person("s2", "Nguyễn Văn Cúc", "nguyen van cuc");
    nt_person c = person("s3", "Phạm Thị Lan", "pham thi lan");
    f->s->ops->person_put(f->s, &w, &a, &e);
    f->s->ops->person_put(f->s, &w, &b, &e);
    f->s->ops->person_put(f->s, &w, &c, &e);
    char *q[] = {"cuc", "thi", "nguyen"};
    json_t *out = NULL;
    assert_int_equal(f->s->ops->person_search(f->s, q, 3, "", 10, &out), 0);
    assert_int_equal(json_array_size(out), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "id")), "s1");
    json_decref(out);
    char *q2[] = {"cuc"};
    assert_int_equal(f->s->ops->person_search(f->s, q2, 1, "s1", 10, &out), 0); /* after the cursor */
    assert_int_equal(json_array_size(out), 1);
    json_decref(out);
    char *q3[] = {"zzz"};
    assert_int_equal(f->s->ops->person_search(f->s, q3, 1, "", 10, &out), 0);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    assert_int_equal(f->s->ops->person_search(f->s, NULL, 0, "", 2, &out), 0);
    assert_int_equal(json_array_size(out), 2);
    json_decref(out);
}

static void accounts_unique_per_platform(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    nt_person a = person("a1", "Hồ Văn A", "ho van a"), b = person("b1", "Hồ Văn B", "ho van b");
    f->s->ops->person_put(f->s, &w, &a, &e);
    f->s->ops->person_put(f->s, &w, &b, &e);
    nt_account acc = {.platform = "tiktok", .display_handle = "@hovana", .person_id = "a1", .followers = -1, .claimed_by = "a1"};
    snprintf(acc.handle, sizeof(acc.handle), "hovana");
    bool updated;
    assert_int_equal(f->s->ops->account_put(f->s, &w, &acc, false, &updated, &e), 0);
    assert_false(updated);
    nt_account other = acc;
    other.person_id = "b1";
    assert_int_equal(f->s->ops->account_put(f->s, &w, &other, false, &updated, &e), NT_ECONFLICT);
    assert_string_equal(e.conflict_id, "a1");
    /* The platform attests the person's own claim. */
    nt_account att = acc;
    att.verified_by = "o_tiktok";
    att.claimed_by = NULL;
    nt_err_clear(&e);
    /* verified_by must name an organisation */
    assert_int_not_equal(f->s->ops->account_put(f->s, &w, &att, true, &updated, &e), 0);
    nt_org o = {.name = "TikTok", .kind = "platform", .platform = "tiktok", .status = "active"};
    snprintf(o.id, sizeof(o.id), "o_tiktok");
    assert_int_equal(f->s->ops->org_put(f->s, &w, &o, &e), 0);
    nt_err_clear(&e);
    assert_int_equal(f->s->ops->account_put(f->s, &w, &att, true, &updated, &e), 0);
    assert_true(updated);
    json_t *got = NULL;
    assert_int_equal(f->s->ops->account_get(f->s, "tiktok", "hovana", &got), 0);
    assert_string_equal(json_string_value(json_object_get(got, "verified_by")), "o_tiktok");
    json_decref(got);
    assert_int_equal(f->s->ops->account_delete(f->s, &w, "tiktok", "hovana", &e), 0);
    assert_int_equal(f->s->ops->account_delete(f->s, &w, "tiktok", "hovana", &e), NT_ENOTFOUND);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'account.unlink'"), 1);
}

static void bulk_is_all_or_nothing(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    assert_int_equal(f->s->ops->bulk_begin(f->s, &e), 0);
    nt_person a = person("x1", "Vũ Thị X", "vu thi x");
    assert_int_equal(f->s->ops->bulk_person(f->s, &w, &a, &e), 0);
    assert_int_equal(f->s->ops->bulk_end(f->s, &w, "1 persons", false, NULL), 0); /* roll back */
    assert_int_equal(count(f, "SELECT count(*) FROM persons WHERE id = 'x1'"), 0);
    assert_int_equal(f->s->ops->bulk_begin(f->s, &e), 0);
    assert_int_equal(f->s->ops->bulk_person(f->s, &w, &a, &e), 0);
    assert_int_equal(f->s->ops->bulk_end(f->s, &w, "1 persons, 0 accounts", true, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'person.import' AND entity_id = '1 persons, 0 accounts'"),
                     1);
    assert_int_equal(count(f, "SELECT count(*) FROM changes WHERE entity_id = 'x1'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM persons WHERE id = 'x1'"), 1);
}

static void backup_copies_live_db(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    nt_person a = person("bk", "Đỗ Văn Bảo", "do van bao");
    f->s->ops->person_put(f->s, &w, &a, &e);
    char path[600];
    snprintf(path, sizeof(path), "%s/copy.db", f->dir);
    assert_int_equal(f->s->ops->backup(f->s, path, &e), 0);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT legal_name FROM persons WHERE id = 'bk'", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "Đỗ Văn Bảo");
    sqlite3_finalize(st);
    sqlite3_close(db);
    nt_store_stats stats;
    assert_int_equal(f->s->ops->stats(f->s, &stats), 0);
    assert_int_equal(stats.persons, 1);
    assert_true(stats.db_bytes > 0);
    assert_int_equal(stats.change_seq, 1);
}

static void idempotency_rows_are_scoped(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    w.idem_scope = "key:k1";
    w.idem_key = "abc";
    w.idem_hash = "h1";
    w.idem_created = true;
    w.idem_response = "{\"id\":\"i1\"}";
    nt_person a = person("i1", "Ngô Thị I", "ngo thi i");
    assert_int_equal(f->s->ops->person_put(f->s, &w, &a, &e), 0);
    nt_idem_record rec;
    assert_int_equal(f->s->ops->idem_get(f->s, "key:k1", "abc", &rec), 0);
    assert_true(rec.created);
    assert_int_equal(rec.status, 0); /* no answer kept yet */
    assert_string_equal(rec.request_hash, "h1");
    assert_string_equal(rec.response, "{\"id\":\"i1\"}");
    assert_string_equal(rec.entity_id, "i1");
    assert_false(rec.answered);
    nt_idem_record_free(&rec);
    assert_int_equal(f->s->ops->idem_get(f->s, "key:k2", "abc", &rec), NT_ENOTFOUND);
    /* The answer, once sent, is kept with the record, byte for byte; only once. */
    assert_int_equal(f->s->ops->idem_answer(f->s, "key:k1", "abc", 201, "{\"Location\":\"/v1/persons/i1\"}", "{\"a\":1}", 7,
                                            "2026-11-28T00:00:01.000Z"),
                     0);
    assert_int_equal(f->s->ops->idem_answer(f->s, "key:k1", "abc", 500, NULL, "x", 1, "2026-11-28T00:00:02.000Z"), 0);
    assert_int_equal(f->s->ops->idem_get(f->s, "key:k1", "abc", &rec), 0);
    assert_true(rec.answered);
    assert_int_equal(rec.status, 201);
    assert_int_equal(rec.answer_len, 7);
    assert_memory_equal(rec.answer, "{\"a\":1}", 7);
    assert_string_equal(rec.headers, "{\"Location\":\"/v1/persons/i1\"}");
    nt_idem_record_free(&rec);
    /* A second write under the same key is refused and leaves nothing behind. */
    nt_person b = person("i2", "Ngô Thị J", "ngo thi j");
    assert_int_equal(f->s->ops->person_put(f->s, &w, &b, &e), NT_EBUSY);
    assert_int_equal(count(f, "SELECT count(*) FROM persons WHERE id = 'i2'"), 0);
}

/* An insert of an open case, as a service builds it. */
static nt_write *case_row(nt_write *r, const char *id, const char *authority, const char *at)
{
    memset(r, 0, sizeof(*r));
    r->kind = NT_WRITE_INSERT;
    snprintf(r->id, sizeof(r->id), "%s", id);
    r->values.table = NT_T_cases;
    nt_row_str(&r->values, COL(cases, person_id), "m1");
    nt_row_str(&r->values, COL(cases, authority), authority);
    nt_row_str(&r->values, COL(cases, state), "open");
    nt_row_int(&r->values, COL(cases, version), 1);
    nt_row_str(&r->values, COL(cases, created_at), at);
    nt_row_str(&r->values, COL(cases, updated_at), at);
    r->entity = "case";
    r->action = "case.open";
    return r;
}

/* A write of several audited rows records its key once (it used to clash with itself: 409). */
static void idempotency_once_per_write(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    nt_logged logged = {0};
    w.logged = &logged;
    w.idem_scope = "key:k1";
    w.idem_key = "many";
    w.idem_hash = "h2";
    nt_person a = person("m1", "Ngô Thị M", "ngo thi m");
    assert_int_equal(f->s->ops->person_put(f->s, &w, &a, &e), 0);
    nt_write c1, c2, c3;
    nt_write *rows[] = {case_row(&c1, "c_m1", "Cục A", w.at), case_row(&c2, "c_m2", "Cục B", w.at)};
    nt_wctx w2 = w;
    nt_logged logged2 = {0};
    w2.logged = &logged2;
    w2.idem_key = "many2";
    assert_int_equal(f->s->ops->write(f->s, &w2, rows, 2, &e), 0);
    assert_true(logged2.idem_recorded);
    assert_int_equal(count(f, "SELECT count(*) FROM idempotency WHERE idem_key = 'many2'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'case.open'"), 2);
    /* A second transaction of the same write does not record the key again. */
    nt_write *more[] = {case_row(&c3, "c_m3", "Cục C", w.at)};
    assert_int_equal(f->s->ops->write(f->s, &w2, more, 1, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM idempotency WHERE idem_key = 'many2'"), 1);
    /* A guarded update applies while its guard holds, and is stale after. */
    nt_write up = {.kind = NT_WRITE_UPDATE,
                   .id = "c_m3",
                   .values = {.table = NT_T_cases},
                   .guard = COL(cases, state),
                   .guard_val = "open",
                   .entity = "case",
                   .action = "case.move"};
    nt_row_str(&up.values, COL(cases, state), "under_review");
    nt_write *ups[] = {&up};
    assert_int_equal(f->s->ops->write(f->s, &w, ups, 1, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM cases WHERE id = 'c_m3' AND state = 'under_review'"), 1);
    assert_int_equal(f->s->ops->write(f->s, &w, ups, 1, &e), NT_ESTALE);
    nt_row_clear(&c1.values);
    nt_row_clear(&c2.values);
    nt_row_clear(&c3.values);
    nt_row_clear(&up.values);
}

/* A redaction removes a record's personal content and its entries' salts and records, records
 * itself and appends its own entry, all in one write; once only. */
static void redaction_removes_content_keeps_entries(void **state)
{
    fixture *f = *state;
    nt_err e;
    nt_err_clear(&e);
    nt_wctx w = wctx("2026-11-28T00:00:00.000Z");
    nt_org o = {.name = "TikTok", .kind = "platform", .platform = "tiktok", .status = "active"};
    snprintf(o.id, sizeof(o.id), "o_tt");
    assert_int_equal(f->s->ops->org_put(f->s, &w, &o, &e), 0);
    nt_person p = person("r1", "Phan Thị Riêng", "phan thi rieng");
    assert_int_equal(f->s->ops->person_put(f->s, &w, &p, &e), 0);
    nt_account acc = {.platform = "tiktok", .display_handle = "@rieng", .person_id = "r1", .followers = -1, .verified_by = "o_tt"};
    snprintf(acc.handle, sizeof(acc.handle), "rieng");
    bool updated;
    nt_logged logged = {0};
    w.logged = &logged;
    assert_int_equal(f->s->ops->account_put(f->s, &w, &acc, true, &updated, &e), 0);
    assert_int_equal(logged.count, 1); /* the attestation is logged */
    int64_t entries = count(f, "SELECT count(*) FROM log_entries");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT record_id FROM log_entries ORDER BY idx DESC LIMIT 1", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char record_id[80];
    snprintf(record_id, sizeof(record_id), "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(count(f, "SELECT count(*) FROM log_records WHERE salt IS NOT NULL AND record IS NOT NULL"), 1);
    assert_int_equal(f->s->ops->log_redact(f->s, &w, "red_1", record_id, "Điều 16 Nghị định 13/2023/NĐ-CP", "yêu cầu", &e), 0);
    assert_int_equal(logged.count, 1); /* the redaction's own entry */
    assert_int_equal(count(f, "SELECT count(*) FROM log_entries"), entries + 1);
    assert_int_equal(count(f, "SELECT count(*) FROM log_records WHERE record_table = 'accounts' AND (salt IS NOT NULL OR "
                              "record IS NOT NULL)"),
                     0);
    assert_int_equal(count(f, "SELECT count(*) FROM accounts"), 0); /* the link itself was the personal content */
    assert_int_equal(count(f, "SELECT count(*) FROM redactions WHERE record_table = 'accounts'"), 1);
    assert_int_equal(f->s->ops->log_redact(f->s, &w, "red_2", record_id, "x", NULL, &e), NT_ECONFLICT);
    assert_int_equal(f->s->ops->log_redact(f->s, &w, "red_3", "no_such_record", "x", NULL, &e), NT_ENOTFOUND);
    assert_int_equal(count(f, "SELECT count(*) FROM redactions"), 1); /* the refused ones left nothing */
}

/* Every named read of store/queries.h has its statement, and the schema it reads has what it names. */
static void every_named_read_prepares(void **state)
{
    fixture *f = *state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (int q = 0; q < NT_QUERY_COUNT; q++) {
        const char *sql = nt__sq_query_sql((nt_query)q);
        if (sql == NULL)
            fail_msg("no statement for %s", nt_query_name((nt_query)q));
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            fail_msg("%s: %s", nt_query_name((nt_query)q), sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

/* The tables and columns services write by name (store/tables.h) are the schema's, one for one. */
static void typed_tables_match_the_schema(void **state)
{
    fixture *f = *state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (int t = 0; t < NT_TABLE_COUNT; t++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s') WHERE name <> 'id' ORDER BY cid", nt_table_name(t));
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        int ndb = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            bool listed = false;
            for (int c = NT_COL_NONE + 1; c < NT_COL_COUNT; c++)
                listed = listed || ((int)nt_col_table(c) == t && strcmp(nt_col_name(c), name) == 0);
            if (!listed)
                fail_msg("%s.%s is not in store/tables.h", nt_table_name(t), name);
            ndb++;
        }
        sqlite3_finalize(st);
        int nlisted = 0;
        for (int c = NT_COL_NONE + 1; c < NT_COL_COUNT; c++)
            nlisted += (int)nt_col_table(c) == t;
        if (nlisted != ndb)
            fail_msg("%s: %d columns listed in store/tables.h, %d in the schema", nt_table_name(t), nlisted, ndb);
    }
    sqlite3_close(db);
}

/* ---- the writer: group commit ---- */

typedef struct job {
    fixture *f;
    int t;
    int ok, conflict, other;
    int nalias; /* bytes of alias text per person (the WAL test) */
    int n;
} job;

static void *write_persons(void *arg)
{
    job *j = arg;
    char *aliases = NULL;
    if (j->nalias > 0) {
        aliases = malloc((size_t)j->nalias + 8);
        memset(aliases, 'a', (size_t)j->nalias + 8);
        aliases[0] = '[';
        aliases[1] = '"';
        aliases[j->nalias + 2] = '"';
        aliases[j->nalias + 3] = ']';
        aliases[j->nalias + 4] = '\0';
    }
    for (int i = 0; i < j->n; i++) {
        char id[32], at[NT_TIME_LEN];
        if (j->nalias == 0 && i % 10 == 0)
            snprintf(id, sizeof(id), "dup"); /* every thread tries it: one wins */
        else
            snprintf(id, sizeof(id), "g%d_%d", j->t, i);
        nt_time_utc(nt_now_us(), at);
        nt_wctx w = wctx(at);
        nt_person p = person(id, "Nhóm Ghi Cùng", "nhom ghi cung");
        if (aliases != NULL)
            p.aliases_json = aliases;
        nt_err e;
        nt_err_clear(&e);
        int rc = j->f->s->ops->person_put(j->f->s, &w, &p, &e);
        if (rc == 0)
            j->ok++;
        else if (rc == NT_ECONFLICT)
            j->conflict++;
        else
            j->other++;
    }
    free(aliases);
    return NULL;
}

/* Writes from many threads share transactions; one that fails (a duplicate id) rolls back alone,
 * and every write acknowledged is there with its audit and change rows. */
static void group_commit_keeps_each_write_apart(void **state)
{
    fixture *f = *state;
    enum { T = 8, N = 200 };
    pthread_t th[T];
    job jobs[T];
    for (int t = 0; t < T; t++) {
        jobs[t] = (job){.f = f, .t = t, .n = N};
        pthread_create(&th[t], NULL, write_persons, &jobs[t]);
    }
    int ok = 0, conflict = 0, other = 0;
    for (int t = 0; t < T; t++) {
        pthread_join(th[t], NULL);
        ok += jobs[t].ok;
        conflict += jobs[t].conflict;
        other += jobs[t].other;
    }
    int dups = T * (N / 10);
    assert_int_equal(other, 0);
    assert_int_equal(conflict, dups - 1);
    assert_int_equal(ok, T * N - (dups - 1));
    assert_int_equal(count(f, "SELECT count(*) FROM persons"), ok);
    assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'person.create'"), ok);
    assert_int_equal(count(f, "SELECT count(*) FROM changes WHERE entity = 'person'"), ok);
    /* The bounds a write's catch-up uses cover what was committed. */
    int64_t seq = 0, log_size = 0;
    f->s->ops->committed(f->s, &seq, &log_size);
    assert_true(seq >= count(f, "SELECT max(seq) FROM changes"));
}

static atomic_bool wal_stop;
static _Atomic int64_t wal_max;

static void *watch_wal(void *arg)
{
    fixture *f = arg;
    char path[600];
    snprintf(path, sizeof(path), "%s-wal", f->db);
    while (!atomic_load(&wal_stop)) {
        struct stat st;
        if (stat(path, &st) == 0 && st.st_size > atomic_load(&wal_max))
            atomic_store(&wal_max, st.st_size);
        json_t *p = NULL; /* a reader too, holding snapshots as a server's requests do */
        if (f->s->ops->person_get(f->s, "g0_1", &p) == 0)
            json_decref(p);
        usleep(1000);
    }
    return NULL;
}

/* Writes at full speed, with a reader, do not grow the WAL past its bound (it used to grow until
 * a clean shutdown: 2.9 GB in 35 s under load). */
static void wal_stays_bounded(void **state)
{
    fixture *f = *state;
    enum { T = 4, N = 2500, ALIAS = 8192 }; /* about 90 MiB of rows and index pages */
    atomic_store(&wal_stop, false);
    atomic_store(&wal_max, 0);
    pthread_t watcher, th[T];
    pthread_create(&watcher, NULL, watch_wal, f);
    job jobs[T];
    for (int t = 0; t < T; t++) {
        jobs[t] = (job){.f = f, .t = t, .n = N, .nalias = ALIAS};
        pthread_create(&th[t], NULL, write_persons, &jobs[t]);
    }
    int ok = 0;
    for (int t = 0; t < T; t++) {
        pthread_join(th[t], NULL);
        ok += jobs[t].ok;
    }
    atomic_store(&wal_stop, true);
    pthread_join(watcher, NULL);
    assert_int_equal(ok, T * N);
    struct stat db;
    assert_int_equal(stat(f->db, &db), 0);
    assert_true(db.st_size > 64 << 20);             /* more was written than the bound */
    assert_true(atomic_load(&wal_max) <= 64 << 20); /* and the WAL never held it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(group_commit_keeps_each_write_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(wal_stays_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(idempotency_once_per_write, setup, teardown),
        cmocka_unit_test_setup_teardown(typed_tables_match_the_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(every_named_read_prepares, setup, teardown),
        cmocka_unit_test_setup_teardown(redaction_removes_content_keeps_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(migrate_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(write_records_audit_and_change, setup, teardown),
        cmocka_unit_test_setup_teardown(conflicts_name_the_existing, setup, teardown),
        cmocka_unit_test_setup_teardown(update_checks_version, setup, teardown),
        cmocka_unit_test_setup_teardown(search_is_word_order_free, setup, teardown),
        cmocka_unit_test_setup_teardown(accounts_unique_per_platform, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(backup_copies_live_db, setup, teardown),
        cmocka_unit_test_setup_teardown(idempotency_rows_are_scoped, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
