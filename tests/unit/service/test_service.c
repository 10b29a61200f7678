/* service: the registry's rules (national-ID hashing and duplicates,
 * normalisation, versions, import), keys and authentication. */
#include "svc_fixture.h"
#include "log/entry.h"
#include "service/service.h"
#include "service/tlog.h"
#include "service/keys.h"
#include "service/registry.h"
#include "service/log_verify.h"
#include <sodium.h>
#include <sqlite3.h>

static int setup(void **state)
{
    return nt_test_svc_setup(state, false);
}

static nt_wctx W(fixture *f)
{
    nt_wctx w = {.key_id = "k_test", .at = f->at};
    return w;
}

static json_t *create(fixture *f, const char *body, int want_rc, nt_err *e)
{
    nt_wctx w = W(f);
    nt_actor who = {.role = NT_ROLE_REGULATOR};
    json_t *in = json_loads(body, 0, NULL), *out = NULL;
    assert_non_null(in);
    nt_err_clear(e);
    assert_int_equal(nt_svc_person_create(f->svc, &w, &who, in, &out, e), want_rc);
    json_decref(in);
    return out;
}

static void create_normalises_and_hides_national_id(void **state)
{
    fixture *f = *state;
    nt_err e;
    json_t *p = create(f, "{\"legal_name\":\" Nguye\\u0302\\u0303n  Thị Thu Cúc \",\"national_id\":\"001190012345\"}", 0, &e);
    assert_string_equal(json_string_value(json_object_get(p, "legal_name")), "Nguyễn Thị Thu Cúc");
    assert_true(json_is_true(json_object_get(p, "has_national_id")));
    assert_null(json_object_get(p, "national_id"));
    /* The number itself is nowhere in the database. */
    sqlite3 *db;
    sqlite3_open(f->db, &db);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT nid_hash FROM persons", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *h = (const char *)sqlite3_column_text(st, 0);
    assert_int_equal(strlen(h), 64);
    assert_null(strstr(h, "001190012345"));
    sqlite3_finalize(st);
    sqlite3_close(db);
    json_decref(p);
}

static void duplicate_national_id_names_the_person(void **state)
{
    fixture *f = *state;
    nt_err e;
    json_t *a = create(f, "{\"legal_name\":\"Trần Văn A\",\"national_id\":\"079090001234\"}", 0, &e);
    json_t *b = create(f, "{\"legal_name\":\"Trần Văn B\",\"national_id\":\"079090001234\"}", NT_ECONFLICT, &e);
    assert_null(b);
    assert_string_equal(e.conflict_id, json_string_value(json_object_get(a, "id")));
    json_decref(a);
}

static void invalid_fields_are_named(void **state)
{
    fixture *f = *state;
    nt_err e;
    create(f, "{\"legal_name\":\"A\",\"national_id\":\"12AB\"}", NT_EINVAL, &e);
    assert_string_equal(e.fields[0].field, "national_id");
    create(f, "{\"legal_name\":\"A\",\"kind\":\"celebrity\"}", NT_EINVAL, &e);
    assert_string_equal(e.fields[0].field, "kind");
    create(f, "{\"legal_name\":\"A\",\"birth_year\":2999}", NT_EINVAL, &e);
    assert_string_equal(e.fields[0].field, "birth_year");
    create(f, "{\"legal_name\":\"   \"}", NT_EINVAL, &e);
    assert_string_equal(e.fields[0].field, "legal_name");
    create(f, "{\"legal_name\":\"A\",\"aliases\":[\"\"]}", NT_EINVAL, &e);
    assert_string_equal(e.fields[0].field, "aliases[0]");
}

static void update_follows_versions(void **state)
{
    fixture *f = *state;
    nt_err e;
    json_t *p = create(f, "{\"legal_name\":\"Phạm Thị Lan\",\"national_id\":\"001190099999\"}", 0, &e);
    const char *id = json_string_value(json_object_get(p, "id"));
    nt_wctx w = W(f);
    json_t *patch = json_loads("{\"legal_name\":\"Phạm Thị Ngọc Lan\",\"province\":\"Hà Nội\"}", 0, NULL), *out = NULL;
    nt_err_clear(&e);
    nt_actor reg = {.role = NT_ROLE_REGULATOR}, plat = {.role = NT_ROLE_PLATFORM};
    assert_int_equal(nt_svc_person_update(f->svc, &w, &reg, id, 2, patch, &out, &e), NT_ESTALE);
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_update(f->svc, &w, &plat, id, 1, patch, &out, &e), NT_EFORBIDDEN); /* a rename */
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_update(f->svc, &w, &reg, id, 1, patch, &out, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
    assert_true(json_is_true(json_object_get(out, "has_national_id"))); /* kept */
    json_decref(out);
    json_t *page = NULL;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_search(f->svc, "lan NGOC pham", NULL, 10, &page, &e), 0);
    assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
    json_decref(page);
    json_decref(patch);
    json_decref(p);
}

static void search_ignores_diacritics_case_and_order(void **state)
{
    fixture *f = *state;
    nt_err e;
    json_decref(create(f, "{\"legal_name\":\"Nguyễn Thị Thu Cúc\",\"aliases\":[\"Cúc Kitchen\"]}", 0, &e));
    json_decref(create(f, "{\"legal_name\":\"Nguyễn Thị Cúc\"}", 0, &e));
    json_decref(create(f, "{\"legal_name\":\"Nguyễn Văn Cúc\"}", 0, &e));
    const char *queries[] = {"nguyen thi cuc", "CÚC NGUYỄN thị", "kitchen cuc"};
    size_t want[] = {2, 2, 1};
    for (int i = 0; i < 3; i++) {
        json_t *page = NULL;
        nt_err_clear(&e);
        assert_int_equal(nt_svc_person_search(f->svc, queries[i], NULL, 10, &page, &e), 0);
        assert_int_equal(json_array_size(json_object_get(page, "items")), want[i]);
        json_decref(page);
    }
    /* Paging: one at a time, then the cursor runs out. */
    json_t *page = NULL;
    assert_int_equal(nt_svc_person_search(f->svc, "nguyen cuc", NULL, 2, &page, &e), 0);
    const char *cursor = json_string_value(json_object_get(page, "next_cursor"));
    assert_non_null(cursor);
    json_t *page2 = NULL;
    assert_int_equal(nt_svc_person_search(f->svc, "nguyen cuc", cursor, 2, &page2, &e), 0);
    assert_int_equal(json_array_size(json_object_get(page2, "items")), 1);
    assert_true(json_is_null(json_object_get(page2, "next_cursor")));
    json_decref(page);
    json_decref(page2);
    assert_int_equal(nt_svc_person_search(f->svc, "a", "!!!", 2, &page, &e), NT_EINVAL);
}

static void import_is_all_or_nothing(void **state)
{
    fixture *f = *state;
    nt_wctx w = W(f);
    nt_err e;
    nt_import_report rep = {0};
    const char *good = "{\"id\":\"p1\",\"name\":\"Võ Thu Lan Uyên\",\"gender\":\"f\",\"birth_year\":1975,\"aliases\":[\"Lan Uyên "
                       "Kitchen\"],\"accounts\":[{\"platform\":\"zalo\",\"handle\":\"@uyen.vo\"}]}\n"
                       "{\"id\":\"p2\",\"name\":\"Võ Văn Uyên\",\"accounts\":[{\"platform\":\"zalo\",\"handle\":\"@Uyen.Vo\"}]}\n";
    FILE *in = fmemopen((void *)good, strlen(good), "r");
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_import(f->svc, &w, in, &rep, &e), 0);
    fclose(in);
    assert_int_equal(rep.persons, 2);
    assert_int_equal(rep.accounts, 1);
    assert_int_equal(rep.accounts_skipped, 1); /* same handle once normalised */
    const char *bad = "{\"id\":\"p3\",\"name\":\"Lý Văn C\"}\n{\"id\":\"p4\",\"name\":\"Lý Văn D\",\"gender\":\"q\"}\n";
    in = fmemopen((void *)bad, strlen(bad), "r");
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_import(f->svc, &w, in, &rep, &e), NT_EINVAL);
    fclose(in);
    assert_non_null(strstr(e.en, "line 2"));
    json_t *p = NULL;
    assert_int_equal(nt_svc_person_get(f->svc, "p3", &p, &e), NT_ENOTFOUND);
    assert_int_equal(nt_svc_person_get(f->svc, "p1", &p, &e), 0);
    assert_int_equal(json_array_size(json_object_get(p, "accounts")), 1);
    json_decref(p);
}

/* Regression: with the reader/writer pipeline, a bad line after several batches were written
 * must still leave nothing behind. */
static void import_error_after_many_batches_keeps_nothing(void **state)
{
    fixture *f = *state;
    nt_wctx w = W(f);
    nt_err e;
    nt_import_report rep = {0};
    char *buf = NULL;
    size_t len = 0;
    FILE *gen = open_memstream(&buf, &len);
    for (int i = 0; i < 3000; i++)
        fprintf(gen, "{\"id\":\"m%d\",\"name\":\"Mai Thị %d\",\"accounts\":[{\"platform\":\"tiktok\",\"handle\":\"@mai%d\"}]}\n", i,
                i, i);
    fprintf(gen, "{\"id\":\"bad\",\"name\":\"Mai Thị Sai\",\"birth_year\":\"1990\"}\n");
    for (int i = 3000; i < 3100; i++)
        fprintf(gen, "{\"id\":\"m%d\",\"name\":\"Mai Thị %d\"}\n", i, i);
    fclose(gen);
    FILE *in = fmemopen(buf, len, "r");
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_import(f->svc, &w, in, &rep, &e), NT_EINVAL);
    fclose(in);
    assert_non_null(strstr(e.en, "line 3001"));
    json_t *p = NULL;
    assert_int_equal(nt_svc_person_get(f->svc, "m0", &p, &e), NT_ENOTFOUND);
    /* The same data without the bad line goes in whole. */
    in = fmemopen(buf, len, "r");
    char *good = NULL;
    size_t glen = 0;
    FILE *out = open_memstream(&good, &glen);
    char line[256];
    while (fgets(line, sizeof(line), in))
        if (strstr(line, "\"bad\"") == NULL)
            fputs(line, out);
    fclose(in);
    fclose(out);
    in = fmemopen(good, glen, "r");
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_import(f->svc, &w, in, &rep, &e), 0);
    fclose(in);
    assert_int_equal(rep.persons, 3100);
    assert_int_equal(rep.accounts, 3000);
    assert_int_equal(nt_svc_person_get(f->svc, "m3099", &p, &e), 0);
    json_decref(p);
    free(buf);
    free(good);
}

static void keys_authenticate_until_revoked(void **state)
{
    fixture *f = *state;
    nt_wctx w = W(f);
    nt_err e;
    nt_err_clear(&e);
    json_t *oin = json_loads("{\"name\":\"TikTok Việt Nam\",\"kind\":\"platform\",\"platform\":\"tiktok\"}", 0, NULL), *org = NULL;
    assert_int_equal(nt_svc_org_create(f->svc, &w, oin, &org, &e), 0);
    json_t *kin = json_pack("{s:s, s:s}", "role", "platform", "org_id", json_string_value(json_object_get(org, "id"))), *key = NULL;
    assert_int_equal(nt_svc_key_create(f->svc, &w, kin, &key, &e), 0);
    const char *secret = json_string_value(json_object_get(key, "secret"));
    nt_actor a;
    assert_int_equal(nt_svc_authenticate(f->svc, secret, &a), 0);
    assert_int_equal(a.role, NT_ROLE_PLATFORM);
    assert_string_equal(a.platform, "tiktok");
    char wrong[200];
    snprintf(wrong, sizeof(wrong), "%sx", secret);
    assert_int_equal(nt_svc_authenticate(f->svc, wrong, &a), NT_ENOTFOUND);
    assert_int_equal(nt_svc_authenticate(f->svc, "nodot", &a), NT_ENOTFOUND);
    json_t *rev = NULL;
    assert_int_equal(nt_svc_key_revoke(f->svc, &w, json_string_value(json_object_get(key, "id")), &rev, &e), 0);
    assert_int_equal(nt_svc_authenticate(f->svc, secret, &a), NT_ENOTFOUND);
    json_decref(rev);
    /* A regulator key cannot belong to a platform organisation. */
    json_t *bad = json_pack("{s:s, s:s}", "role", "regulator", "org_id", json_string_value(json_object_get(org, "id"))), *k2 = NULL;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_key_create(f->svc, &w, bad, &k2, &e), NT_EINVAL);
    json_decref(bad);
    json_decref(kin);
    json_decref(key);
    json_decref(org);
    json_decref(oin);
}

static void accounts_by_role(void **state)
{
    fixture *f = *state;
    nt_wctx w = W(f);
    nt_err e;
    json_t *p = create(f, "{\"legal_name\":\"Hoàng Thùy Linh\"}", 0, &e);
    const char *pid = json_string_value(json_object_get(p, "id"));
    json_t *oin = json_loads("{\"name\":\"TikTok\",\"kind\":\"platform\",\"platform\":\"tiktok\"}", 0, NULL), *org = NULL;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_org_create(f->svc, &w, oin, &org, &e), 0);
    nt_actor kol = {.role = NT_ROLE_KOL};
    snprintf(kol.person_id, sizeof(kol.person_id), "%s", pid);
    nt_actor plat = {.role = NT_ROLE_PLATFORM};
    snprintf(plat.org_id, sizeof(plat.org_id), "%s", json_string_value(json_object_get(org, "id")));
    snprintf(plat.platform, sizeof(plat.platform), "tiktok");
    json_t *claim = json_loads("{\"platform\":\"tiktok\",\"handle\":\"@HoangThuyLinh\"}", 0, NULL), *out = NULL;
    int created = 0;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_account_link(f->svc, &w, &kol, claim, &out, &created, &e), 0);
    assert_true(created);
    assert_true(json_is_null(json_object_get(out, "verified_by")));
    json_decref(out);
    json_t *att = json_pack("{s:s, s:s, s:s}", "person_id", pid, "platform", "tiktok", "handle", "hoangthuylinh");
    nt_err_clear(&e);
    assert_int_equal(nt_svc_account_link(f->svc, &w, &plat, att, &out, &created, &e), 0);
    assert_false(created);
    assert_string_equal(json_string_value(json_object_get(out, "verified_by")), plat.org_id);
    json_decref(out);
    /* Not on its own platform. */
    json_t *yt = json_pack("{s:s, s:s, s:s}", "person_id", pid, "platform", "youtube", "handle", "@hoangthuylinh");
    nt_err_clear(&e);
    assert_int_equal(nt_svc_account_link(f->svc, &w, &plat, yt, &out, &created, &e), NT_EFORBIDDEN);
    /* The person may not unlink a verified account; the platform may. */
    char owner[NT_ID_LEN];
    nt_err_clear(&e);
    assert_int_equal(nt_svc_account_unlink(f->svc, &w, &kol, "tiktok", "@hoangthuylinh", owner, &e), NT_EFORBIDDEN);
    nt_err_clear(&e);
    assert_int_equal(nt_svc_account_unlink(f->svc, &w, &plat, "tiktok", "@HoangThuyLinh", owner, &e), 0);
    assert_string_equal(owner, pid);
    json_decref(yt);
    json_decref(att);
    json_decref(claim);
    json_decref(org);
    json_decref(oin);
    json_decref(p);
}

/* A signed-note key pair beside the database, as `niemtin init` makes it. */
static void log_keys(fixture *f)
{
    unsigned char seed[32], pk[32], sk[64], h[32], raw[33];
    randombytes_buf(seed, sizeof(seed));
    crypto_sign_seed_keypair(pk, sk, seed);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)"test/log\n\x01", 10);
    crypto_hash_sha256_update(&st, pk, 32);
    crypto_hash_sha256_final(&st, h);
    char b64[64], path[600];
    const unsigned char *keys[] = {seed, pk};
    const char *names[] = {"log.key", "log.pub"}, *prefix[] = {"PRIVATE+KEY+", ""};
    for (int i = 0; i < 2; i++) {
        raw[0] = 1;
        memcpy(raw + 1, keys[i], 32);
        sodium_bin2base64(b64, sizeof(b64), raw, 33, sodium_base64_VARIANT_ORIGINAL);
        snprintf(path, sizeof(path), "%s/%s", f->dir, names[i]);
        FILE *k = fopen(path, "w");
        fprintf(k, "%stest/log+%02x%02x%02x%02x+%s\n", prefix[i], h[0], h[1], h[2], h[3], b64);
        fclose(k);
    }
}

static int count_bad;
static char last_bad[512];
static void on_finding(void *arg, bool bad, const char *line)
{
    (void)arg;
    if (bad) {
        count_bad++;
        snprintf(last_bad, sizeof(last_bad), "%s", line);
    }
}

static void records_logged_alone_verify_and_prove(void **state)
{
    fixture *f = *state;
    log_keys(f);
    nt_wctx w = W(f);
    nt_logged logged = {0};
    w.logged = &logged;
    nt_log_item items[] = {{NT_LOG_SANCTION_CREATED, "n_1", "{\"a\":1}"},
                           {NT_LOG_SANCTION_CREATED, "n_2", "{\"a\":2}"},
                           {NT_LOG_SANCTION_CREATED, "n_3", "{\"a\":3}"}};
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(f->svc->store->ops->log_append(f->svc->store, &w, items, 3, &e), 0);
    assert_int_equal(logged.first, 0);
    assert_int_equal(logged.count, 3);
    assert_int_equal(nt_svc_log_sync(f->svc, &e), 0);
    assert_false(nt_svc_log_broken(f->svc, NULL, 0));
    char *note = NULL;
    size_t len = 0;
    uint64_t size = 0;
    assert_int_equal(nt_svc_log_checkpoint(f->svc, &note, &len, &size), 0);
    assert_int_equal(size, 3);
    assert_non_null(strstr(note, "test/log\n3\n"));
    /* A receipt proves entry 2 in that checkpoint. */
    char *r = nt_svc_log_receipt(f->svc, 2);
    nt_tlog_proof p;
    char why[128], origin[64];
    nt_hash root, leaf;
    assert_int_equal(nt_tlog_proof_parse(r, strlen(r), &p, why, sizeof(why)), 0);
    assert_int_equal(
        nt_checkpoint_parse(note, strlen(note) - strlen(strstr(note, "\n\n")) + 1, origin, sizeof(origin), &size, &root), 0);
    nt_merkle_leaf_hash(p.extra, p.extra_len, &leaf);
    assert_true(nt_merkle_verify_inclusion(2, 3, &leaf, p.proof, p.nproof, &root));
    free(r);
    char pub[600], path[600];
    snprintf(path, sizeof(path), "%s/log.pub", f->dir);
    FILE *k = fopen(path, "r");
    assert_non_null(fgets(pub, sizeof(pub), k));
    fclose(k);
    nt_log_verify_result res = {0};
    count_bad = 0;
    assert_int_equal(nt_svc_log_verify(f->svc, pub, note, on_finding, NULL, &res), 0);
    assert_int_equal(res.discrepancies, 0);
    assert_int_equal(res.records, 3);
    assert_int_equal(res.checkpoint_size, 3);
    /* One record edited behind the log's back. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE log_records SET record = '{\"a\":9}' WHERE idx = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    count_bad = 0;
    assert_int_equal(nt_svc_log_verify(f->svc, pub, NULL, on_finding, NULL, &res), 0);
    assert_int_equal(res.discrepancies, 1);
    assert_string_equal(last_bad, "entry 1 (sanction.created n_2): the stored record does not match the commitment in the log");
    free(note);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_normalises_and_hides_national_id, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_national_id_names_the_person, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_fields_are_named, setup, teardown),
        cmocka_unit_test_setup_teardown(update_follows_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(search_ignores_diacritics_case_and_order, setup, teardown),
        cmocka_unit_test_setup_teardown(import_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(import_error_after_many_batches_keeps_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(keys_authenticate_until_revoked, setup, teardown),
        cmocka_unit_test_setup_teardown(accounts_by_role, setup, teardown),
        cmocka_unit_test_setup_teardown(records_logged_alone_verify_and_prove, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
