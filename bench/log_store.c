/* The transparency log in process, on real SQLite databases made by `niemtin init`:
 *  1. appending N entries in batches of B through the log alone (store log_append: record, salt,
 *     commitment, entry, one transaction per batch; then the server's sync after each batch:
 *     hashing into the in-memory tree, signing and storing a checkpoint). Then the same N entries
 *     as the services make them: N sanction rows written through the store, each logged in its
 *     row's transaction. Baseline in the same run: the same N rows in the same batches, unlogged.
 *     Three databases, so that the first holds only logged rows for verify.
 *  2. loading the log at start (read, hash, build the tree, check and sign the checkpoint).
 *  3. inclusion proofs in the tree of N, through the service (JSON answer included). Baseline:
 *     the plain RFC 9162 prover over the array of leaf hashes, which rehashes subtrees.
 *  4. `log verify` of the N-entry log. Baseline: reading every entry and record row alone.
 * usage: bench_log_store ROWS_DB LOG_DB BASELINE_DB [N] [B]   (each made by `niemtin init`) */
#include "core/util.h"
#include "log/entry.h"
#include "log/merkle.h"
#include "service/commit.h"
#include "service/service.h"
#include "service/tlog.h"
#include "service/log_verify.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double now_s(void)
{
    return (double)nt_mono_us() / 1e6;
}

static void die(const char *what, const nt_err *err)
{
    fprintf(stderr, "bench_log_store: %s: %s\n", what, err ? err->en : "");
    exit(1);
}

/* Writes n sanction rows in batches of b, each row with `action` (logged or not). */
static double write_rows(nt_svc *svc, const char *prefix, long n, long b, const char *action)
{
    nt_tx tx = {0};
    char at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    nt_wctx w = {.key_id = "bench", .at = at};
    double t0 = now_s();
    for (long i = 0; i < n; i += b) {
        long k = n - i < b ? n - i : b;
        for (long j = 0; j < k; j++) {
            char id[32];
            snprintf(id, sizeof(id), "%s%09ld", prefix, i + j);
            nt_row *r = nt_tx_insert(&tx, NT_T_sanctions, id, "sanction", action,
                                     action != NULL && strcmp(action, "sanction.create") == 0 ? NT_LOG_SANCTION_CREATED : 0);
            nt_row_str(r, COL(sanctions, decision_id), "d_bench");
            nt_row_str(r, COL(sanctions, person_id), "p_bench");
            nt_row_str(r, COL(sanctions, type), "appearance_restriction");
            nt_row_int(r, COL(sanctions, scopes), 40);
            nt_row_str(r, COL(sanctions, start_at), at);
            nt_row_str(r, COL(sanctions, end_at), "2027-11-28T00:00:00.000Z");
            nt_row_str(r, COL(sanctions, created_at), at);
        }
        nt_err err;
        nt_err_clear(&err);
        if (svc->store->ops->write(svc->store, &w, tx.rows, tx.n, &err) != 0)
            die("write", &err);
        nt_tx_free(&tx);
    }
    double t = now_s() - t0;
    return t;
}

/* n records appended through the log alone in batches of b, each batch followed by the sync a server
 * does after a write (tree, checkpoint). */
static double append_only(nt_svc *svc, long n, long b)
{
    nt_log_item *items = calloc((size_t)b, sizeof(nt_log_item));
    char(*ids)[32] = calloc((size_t)b, 32);
    char(*recs)[160] = calloc((size_t)b, 160);
    char at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    nt_wctx w = {.key_id = "bench", .at = at};
    nt_err err;
    nt_err_clear(&err);
    if (nt_svc_log_open(svc, &err) != 0)
        die("log open", &err);
    double t0 = now_s();
    for (long i = 0; i < n; i += b) {
        long k = n - i < b ? n - i : b;
        for (long j = 0; j < k; j++) {
            snprintf(ids[j], 32, "n_%09ld", i + j);
            snprintf(recs[j], 160,
                     "{\"id\":\"%s\",\"kind\":\"scam_alert\",\"published_at\":\"%s\",\"title\":\"Cảnh báo lừa đảo số %ld\"}",
                     ids[j], at, i + j);
            items[j] = (nt_log_item){NT_LOG_SANCTION_CREATED, ids[j], recs[j]};
        }
        if (svc->store->ops->log_append(svc->store, &w, items, (size_t)k, &err) != 0 || nt_svc_log_sync(svc, &err) != 0)
            die("log append", &err);
    }
    double t = now_s() - t0;
    free(items);
    free(ids);
    free(recs);
    return t;
}

static int count_entry(void *arg, int64_t idx, const unsigned char *entry, size_t len)
{
    (void)idx;
    *(size_t *)arg += len;
    return 0;
}

static int count_record(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt, const char *record)
{
    (void)idx, (void)table, (void)key, (void)salt;
    *(size_t *)arg += record ? strlen(record) : 0;
    return 0;
}

static void quiet(void *arg, bool bad, const char *line)
{
    if (bad && (*(int *)arg)++ < 5)
        printf("  discrepancy: %s\n", line);
}

/* A person and a decision for the sanctions to belong to. */
static void setup(nt_svc *svc)
{
    nt_err err;
    nt_err_clear(&err);
    char at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    nt_wctx w = {.key_id = "bench", .at = at};
    nt_person p = {.id = "p_bench",
                   .legal_name = "Nguyễn Văn Đo",
                   .search_key = "nguyen van do",
                   .tokens = "nguyen van do",
                   .aliases_json = "[]",
                   .kind = "kol",
                   .created_by = "bench",
                   .version = 1};
    if (svc->store->ops->person_put(svc->store, &w, &p, &err) != 0)
        die("person", &err);
    nt_tx tx = {0};
    nt_row *c = nt_tx_insert(&tx, NT_T_cases, "c_bench", "case", NULL, 0);
    nt_row_str(c, COL(cases, person_id), "p_bench");
    nt_row_str(c, COL(cases, authority), "Bộ");
    nt_row_str(c, COL(cases, state), "decided");
    nt_row_str(c, COL(cases, created_at), at);
    nt_row_str(c, COL(cases, updated_at), at);
    nt_row *d = nt_tx_insert(&tx, NT_T_decisions, "d_bench", "decision", "decision.issue", NT_LOG_DECISION_ISSUED);
    nt_row_str(d, COL(decisions, number), "1/QĐ-BENCH");
    nt_row_str(d, COL(decisions, case_id), "c_bench");
    nt_row_str(d, COL(decisions, person_id), "p_bench");
    nt_row_str(d, COL(decisions, authority), "Bộ");
    nt_row_str(d, COL(decisions, signer_name), "Lê Văn Ký");
    nt_row_str(d, COL(decisions, signer_title), "Cục trưởng");
    nt_row_str(d, COL(decisions, issued_at), at);
    nt_row_str(d, COL(decisions, outcome), "violation");
    nt_row_str(d, COL(decisions, body), "{}");
    nt_row_str(d, COL(decisions, appeal_deadline), at);
    nt_row_str(d, COL(decisions, created_at), at);
    if (svc->store->ops->write(svc->store, &w, tx.rows, tx.n, &err) != 0)
        die("setup", &err);
    nt_tx_free(&tx);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_log_store ROWS_DB LOG_DB BASELINE_DB [N] [BATCH]\n");
        return 2;
    }
    long n = argc > 4 ? atol(argv[4]) : 1000000, b = argc > 5 ? atol(argv[5]) : 1000;
    nt_svc *svc = NULL, *lsvc = NULL, *base = NULL;
    nt_err err;
    nt_err_clear(&err);
    if (nt_svc_open(&svc, argv[1], false, &err) != 0 || nt_svc_open(&lsvc, argv[2], false, &err) != 0 ||
        nt_svc_open(&base, argv[3], false, &err) != 0)
        die("open", &err);
    setup(svc);
    setup(base);
    printf("1. append %ld entries in batches of %ld\n", n, b);
    double only = append_only(lsvc, n, b);
    nt_svc_close(lsvc);
    double plain = write_rows(base, "s_plain_", n, b, "sanction.bench");
    nt_svc_close(base);
    double logged = write_rows(svc, "s_logged_", n, b, "sanction.create");
    printf("   through the log alone, with the tree and a signed checkpoint per batch: %.2f s (%.0f entries/s)\n", only,
           (double)n / only);
    printf("   baseline, the same number of sanction rows written unlogged: %.2f s (%.0f rows/s); ratio %.2f\n", plain,
           (double)n / plain, only / plain);
    printf("   sanction rows written and logged, each in its row's transaction: %.2f s (%.0f rows/s); ratio to unlogged %.2f\n",
           logged, (double)n / logged, logged / plain);

    if (getenv("NT_BENCH_APPEND_ONLY") != NULL) { /* for profiling the append alone */
        nt_svc_close(svc);
        return 0;
    }
    double t0 = now_s();
    if (nt_svc_log_open(svc, &err) != 0)
        die("log open", &err);
    char *note = NULL;
    size_t len = 0;
    uint64_t size = 0;
    nt_svc_log_checkpoint(svc, &note, &len, &size);
    printf("2. load the log at start (read, hash, tree, check, sign): %.2f s for %llu entries\n", now_s() - t0,
           (unsigned long long)size);
    free(note);

    long proofs = 200000, plain_proofs = 200;
    uint64_t seed = 2026;
    t0 = now_s();
    for (long i = 0; i < proofs; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        json_t *o = NULL;
        if (nt_svc_log_inclusion(svc, (seed >> 11) % size, size, &o, &err) != 0)
            die("inclusion", &err);
        json_decref(o);
    }
    double us = (now_s() - t0) / (double)proofs * 1e6;
    /* The baseline prover needs the leaf hashes in an array: read them from the tiles. */
    nt_hash *leaves = malloc(size * sizeof(nt_hash));
    for (uint64_t t = 0; t * 256 < size; t++) {
        unsigned char *bytes = NULL;
        size_t blen = 0;
        unsigned wd = size - t * 256 >= 256 ? 256 : (unsigned)(size - t * 256);
        if (nt_svc_log_tile(svc, 0, t, wd, &bytes, &blen) != 0)
            die("tile", NULL);
        memcpy(leaves + t * 256, bytes, blen);
        free(bytes);
    }
    t0 = now_s();
    for (long i = 0; i < plain_proofs; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        nt_hash proof[64];
        if (nt_merkle_prove_inclusion(leaves, size, (seed >> 11) % size, proof, 64) < 0)
            die("plain proof", NULL);
    }
    double plain_us = (now_s() - t0) / (double)plain_proofs * 1e6;
    free(leaves);
    printf("3. inclusion proof in the tree of %llu: %.2f us each (%ld random, service call with its JSON answer)\n",
           (unsigned long long)size, us, proofs);
    printf("   baseline, plain RFC 9162 prover over the leaf array: %.0f us each (%ld random); ratio %.4f\n", plain_us,
           plain_proofs, us / plain_us);

    size_t bytes = 0;
    t0 = now_s();
    svc->store->ops->log_each(svc->store, 0, count_entry, &bytes);
    svc->store->ops->log_records_each(svc->store, 0, count_record, &bytes);
    double scan = now_s() - t0;
    FILE *f = fopen(svc->log_pub_path, "r");
    char pub[512] = "";
    if (f == NULL || fgets(pub, sizeof(pub), f) == NULL)
        die("log.pub", NULL);
    fclose(f);
    int shown = 0;
    nt_log_verify_result res = {0};
    t0 = now_s();
    if (nt_svc_log_verify(svc, pub, NULL, quiet, &shown, &res) != 0)
        die("verify", NULL);
    double ver = now_s() - t0;
    printf("4. log verify of %llu entries: %.2f s, %d discrepancies (%llu commitments, %llu rows compared)\n",
           (unsigned long long)res.entries, ver, res.discrepancies, (unsigned long long)res.records, (unsigned long long)res.rows);
    printf("   baseline, reading every entry and record row alone (%zu bytes): %.2f s; ratio %.2f\n", bytes, scan, ver / scan);
    nt_svc_close(svc);
    return res.discrepancies == 0 ? 0 : 1;
}
