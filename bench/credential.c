/* The Influencer Trust certificate in process, each part beside its baseline in the same run:
 *  1. verifying a certificate credential: parse its JSON, canonicalise (JCS), hash and check the
 *     Ed25519 signature. Baseline: the Ed25519 verification alone, of the same 64 bytes.
 *  2. issuing N certificates through the service, as a certifying review does: the credential
 *     built and signed, the application, certificate and log rows committed, one write each; by
 *     eight reviewers at once, after a sample of N/10 one at a time. Baseline: N Ed25519 signatures.
 *  3. the status lists of M certificates (1% suspended, 0.5% revoked) rebuilt from the database
 *     and signed, as the first read after a change does (both lists). Baseline: GZIP of the same
 *     M-bit bitstring alone.
 *  4. the check of N certified persons, answered with their certificate, against the check of N
 *     persons who hold none (the lookup made, finding nothing: the check as it was before).
 * usage: bench_credential DEMO_DB LIST_DB [N] [M]
 *   DEMO_DB: `niemtin demo --persons` at least 2N+2+N/10; LIST_DB: a fresh `niemtin init` database. */
#include "core/util.h"
#include "index/restrictions.h"
#include "log/vc.h"
#include "service/certificates.h"
#include "service/check.h"
#include "service/commit.h"
#include "service/credentials.h"
#include "service/query.h"
#include "service/service.h"
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static double now_s(void)
{
    return (double)nt_mono_us() / 1e6;
}

static void die(const char *what, const nt_err *err)
{
    fprintf(stderr, "bench_credential: %s: %s\n", what, err ? err->en : "");
    exit(1);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp);
    return v[n / 2];
}

static void verify_part(const char *credential)
{
    json_t *doc = json_loads(credential, 0, NULL);
    unsigned char pk[32], h[64];
    const char *vm = nt_vc_proof_method(doc);
    if (doc == NULL || vm == NULL || nt_vc_multikey_parse(strchr(vm, '#') + 1, pk) != 0)
        die("a credential to verify", NULL);
    json_decref(doc);
    unsigned char sig[64], sk[64], opk[32];
    crypto_sign_keypair(opk, sk);
    randombytes_buf(h, sizeof(h));
    crypto_sign_detached(sig, NULL, h, sizeof(h), sk);
    const int n = 20000;
    double full[3], base[3];
    size_t len = strlen(credential);
    for (int r = 0; r < 3; r++) {
        double t0 = now_s();
        int ok = 0;
        for (int i = 0; i < n; i++) {
            json_t *d = json_loadb(credential, len, 0, NULL);
            ok += nt_vc_verify(d, pk) == NT_VC_VALID;
            json_decref(d);
        }
        full[r] = n / (now_s() - t0);
        if (ok != n)
            die("the credential does not verify", NULL);
        t0 = now_s();
        for (int i = 0; i < n; i++)
            ok += crypto_sign_verify_detached(sig, h, sizeof(h), opk) == 0;
        base[r] = n / (now_s() - t0);
    }
    double f = median(full, 3), b = median(base, 3);
    printf("1. verify a certificate (%zu bytes): %.0f/s; Ed25519 alone: %.0f/s; ratio %.2f\n", len, f, b, f / b);
}

/* The person of application i: p0000002.. for the first n (the check's certified persons), then
 * past the 2n persons the check reads (the sample issued one at a time). */
static long person_of(long i, long n)
{
    return i < n ? i + 2 : 2 * n + 2 + (i - n);
}

/* Applications for n + extra persons, one write (untimed setup). */
static void applications(nt_svc *svc, long n, long extra)
{
    char at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    nt_wctx w = {.key_id = "bench", .at = at};
    nt_tx tx = {0};
    for (long i = 0; i < n + extra; i++) {
        char id[NT_ID_LEN], person[NT_ID_LEN];
        snprintf(id, sizeof(id), "app_bench%07ld", i);
        snprintf(person, sizeof(person), "p%07ld", person_of(i, n));
        nt_row *row = nt_tx_insert(&tx, NT_T_trust_applications, id, NULL, NULL, 0);
        nt_row_str(row, COL(trust_applications, person_id), person);
        nt_row_str(row, COL(trust_applications, state), "awaiting_review");
        nt_row_str(row, COL(trust_applications, requirements), "[]");
        nt_row_str(row, COL(trust_applications, scores), "[]");
        nt_row_int(row, COL(trust_applications, scoring_version), 1);
        nt_row_str(row, COL(trust_applications, created_at), at);
        nt_row_str(row, COL(trust_applications, updated_at), at);
    }
    nt_err err;
    nt_err_clear(&err);
    if (nt_svc_commit(svc, &w, &tx, &err) != 0)
        die("applications", &err);
    nt_tx_free(&tx);
}

struct issuer {
    nt_svc *svc;
    long from, to, n;
    const json_t *pillars;
    char first[NT_ID_LEN];
};

/* Issues certificates to the persons of applications [from, to), one write each. */
static void *issue_range(void *arg)
{
    struct issuer *is = arg;
    for (long i = is->from; i < is->to; i++) {
        char at[NT_TIME_LEN], app[NT_ID_LEN], person[NT_ID_LEN], cert[NT_ID_LEN];
        nt_time_utc(nt_now_us(), at);
        nt_wctx w = {.key_id = "bench", .at = at};
        snprintf(app, sizeof(app), "app_bench%07ld", i);
        snprintf(person, sizeof(person), "p%07ld", person_of(i, is->n));
        nt_tx tx = {0};
        nt_row *set = nt_tx_update(&tx, NT_T_trust_applications, app, COL(trust_applications, state), "awaiting_review",
                                   "application", "certificate.certify", 0);
        nt_row_str(set, COL(trust_applications, state), "certified");
        nt_err err;
        nt_err_clear(&err);
        if (nt__certificate_issue(is->svc, &tx, person, app, 95, is->pillars, NULL, at, cert, &err) != 0)
            die("issue", &err);
        nt_row_str(set, COL(trust_applications, certificate_id), cert);
        if (nt_svc_commit(is->svc, &w, &tx, &err) != 0)
            die("commit", &err);
        nt_tx_free(&tx);
        if (i == is->from)
            snprintf(is->first, sizeof(is->first), "%s", cert);
    }
    return NULL;
}

/* N certificates by eight reviewers at once (the server's write threads commit concurrent writes
 * in groups), after a sample of N/10 one at a time. */
static char *issue_part(nt_svc *svc, long n)
{
    json_t *pillars = json_pack("[{s:s, s:i, s:i}, {s:s, s:i, s:i}, {s:s, s:i, s:i}, {s:s, s:i, s:i}, {s:s, s:i, s:i}]", "pillar",
                                "ad_transparency", "points", 25, "max", 25, "pillar", "conduct", "points", 25, "max", 25, "pillar",
                                "knowledge", "points", 18, "max", 20, "pillar", "audience", "points", 14, "max", 15, "pillar",
                                "community", "points", 13, "max", 15);
    enum { T = 8 };
    struct issuer is[T];
    long sample = n / 10;
    double t0 = now_s();
    is[0] = (struct issuer){.svc = svc, .from = n, .to = n + sample, .n = n, .pillars = pillars};
    issue_range(&is[0]);
    double single = now_s() - t0;
    pthread_t th[T];
    double t1 = now_s();
    for (int k = 0; k < T; k++) {
        is[k] = (struct issuer){.svc = svc, .from = n * k / T, .to = n * (k + 1) / T, .n = n, .pillars = pillars};
        pthread_create(&th[k], NULL, issue_range, &is[k]);
    }
    for (int k = 0; k < T; k++)
        pthread_join(th[k], NULL);
    double many = now_s() - t1;
    char first[NT_ID_LEN];
    snprintf(first, sizeof(first), "%s", is[0].first);
    json_decref(pillars);
    unsigned char sk[64], pk[32], sig[64], msg[64] = {0};
    crypto_sign_keypair(pk, sk);
    t0 = now_s();
    for (long i = 0; i < n; i++) {
        msg[0] = (unsigned char)i;
        crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
    }
    double base = now_s() - t0;
    printf("2. issue %ld certificates by 8 reviewers at once: %.2f s (%.0f/s); one at a time: %.0f/s (%ld); %ld Ed25519 "
           "signatures alone: %.3f s\n",
           n, many, n / many, sample / single, sample, n, base);
    char *body = NULL;
    size_t len = 0;
    nt_err err;
    nt_err_clear(&err);
    if (nt_svc_certificate_credential(svc, first, &body, &len, &err) != 0)
        die("credential", &err);
    return body;
}

static void status_part(const char *db, long m)
{
    sqlite3 *s = NULL;
    if (sqlite3_open(db, &s) != SQLITE_OK)
        die("open the list database", NULL);
    /* Setup, untimed: M certificates straight into the table (one application, one person). */
    char *e = NULL;
    sqlite3_exec(s,
                 "PRAGMA foreign_keys=OFF; BEGIN; INSERT INTO persons (id, legal_name, search_key, kind, created_at, updated_at) "
                 "VALUES ('p_bench', 'Bench', 'bench', 'kol', '2026-01-01', '2026-01-01'); INSERT INTO trust_applications (id, "
                 "person_id, state, requirements, scores, scoring_version, created_at, updated_at) VALUES ('app_bench', 'p_bench', "
                 "'certified', '[]', '[]', 1, '2026-01-01', '2026-01-01');",
                 NULL, NULL, &e);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(s,
                       "INSERT INTO certificates (id, person_id, application_id, status_index, status, valid_from, valid_until, "
                       "scoring_version, score, credential, credential_sha256, created_at, updated_at) VALUES (?, 'p_bench', "
                       "'app_bench', ?, ?, '2026-01-01', '2027-01-01', 1, 90, '{}', '', '2026-01-01', '2026-01-01')",
                       -1, &st, NULL);
    for (long i = 0; i < m; i++) {
        char id[32];
        snprintf(id, sizeof(id), "cert_b%08ld", i);
        const char *status = i % 100 == 7 ? "suspended" : i % 200 == 3 ? "revoked" : "active";
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, i);
        sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(s, "COMMIT", NULL, NULL, &e);
    sqlite3_close(s);
    nt_svc *svc = NULL;
    nt_err err;
    nt_err_clear(&err);
    if (nt_svc_open(&svc, db, false, &err) != 0)
        die("open", &err);
    double full[5], base[5];
    size_t bits = NT_VC_STATUS_MIN;
    while ((long)bits < m)
        bits += NT_VC_STATUS_MIN;
    unsigned char *raw = calloc(1, bits / 8);
    for (long i = 0; i < m; i++)
        if (i % 100 == 7)
            raw[i / 8] |= (unsigned char)(0x80 >> (i % 8));
    for (int r = 0; r < 5; r++) {
        nt_svc_status_lists_drop(svc);
        char *body = NULL, etag[72];
        size_t len = 0;
        double t0 = now_s();
        if (nt_svc_status_list(svc, "suspension", &body, &len, etag, &err) != 0)
            die("status list", &err);
        full[r] = now_s() - t0;
        free(body);
        t0 = now_s();
        char *enc = nt_vc_bitstring_encode(raw, bits / 8);
        base[r] = now_s() - t0;
        free(enc);
    }
    free(raw);
    double f = median(full, 5), b = median(base, 5);
    printf("3. both status lists of %ld certificates rebuilt from the database and signed: %.1f ms; GZIP of one bitstring "
           "alone: %.1f ms\n",
           m, f * 1000, b * 1000);
    nt_svc_close(svc);
}

/* The check of N persons holding a certificate against the check of N persons holding none (the
 * demo's next N). */
static void check_part(nt_svc *svc, long n)
{
    nt_err err;
    nt_err_clear(&err);
    if (nt_svc_index_build(svc, &err) != 0)
        die("index", &err);
    char person[NT_ID_LEN], *answer = NULL;
    size_t alen = 0;
    nt_cert_brief c;
    snprintf(person, sizeof(person), "p%07ld", n + 2);
    if (nt_svc_check(svc, "p0000002", "livestream", NULL, NULL, NULL, NULL, &answer, &alen, &err) != 0 ||
        strstr(answer, "\"certificate\":{\"id\":") == NULL || nt_rindex_cert(svc->index, person, &c))
        die("the certified and the others", NULL);
    free(answer);
    /* Blocks of 1,000 checks of each kind taken in turn, so that the machine's drift falls on both
     * alike; seven rounds of 20 passes over the N persons of each kind. */
    double with[7], without[7];
    const long loops = 20, block = 1000;
    for (int r = 0; r < 7; r++) {
        double spent[2] = {0, 0};
        for (long k = 0; k < loops; k++)
            for (long from = 0; from < n; from += block)
                for (int v = 0; v < 2; v++) {
                    int variant = (v + (int)(from / block)) % 2; /* which kind goes first alternates too */
                    long base = variant == 0 ? 2 : n + 2;
                    double t0 = now_s();
                    for (long i = from; i < from + block && i < n; i++) {
                        char *body = NULL;
                        size_t len = 0;
                        snprintf(person, sizeof(person), "p%07ld", base + i);
                        if (nt_svc_check(svc, person, "livestream", NULL, NULL, NULL, NULL, &body, &len, &err) != 0)
                            die("check", &err);
                        free(body);
                    }
                    spent[variant] += now_s() - t0;
                }
        with[r] = loops * n / spent[0];
        without[r] = loops * n / spent[1];
    }
    double a = median(with, 7), b = median(without, 7);
    printf("4. the check: %.0f/s of persons holding a certificate (answered with it); %.0f/s of persons holding none; "
           "ratio %.3f (medians of 7 rounds of %ld checks of each, in alternating blocks of 1,000)\n",
           a, b, a / b, loops * n);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_credential DEMO_DB LIST_DB [N] [M]\n");
        return 2;
    }
    long n = argc > 3 ? atol(argv[3]) : 10000, m = argc > 4 ? atol(argv[4]) : 1000000;
    nt_svc *svc = NULL;
    nt_err err;
    nt_err_clear(&err);
    if (nt_svc_open(&svc, argv[1], false, &err) != 0)
        die("open", &err);
    applications(svc, n, n / 10);
    char *credential = issue_part(svc, n);
    verify_part(credential);
    free(credential);
    check_part(svc, n);
    nt_svc_close(svc);
    status_part(argv[2], m);
    return 0;
}
