/* `niemtin export open-data DIR`: the public record as open data, in one directory with a
 * manifest of SHA-256s signed with the log's key as a C2SP signed note, and the log checkpoint the
 * record matches (docs/TRANSPARENCY.md). */
#include "app/cli.h"
#include "app/progress.h"
#include "core/util.h"
#include "service/opendata.h"
#include "service/tlog.h"
#include "service/transparency.h"
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_TRIES 5

static void usage(void)
{
    printf("usage: niemtin export open-data DIR [--db PATH] [--quiet]\n\n"
           "Writes the public record as it is now into DIR: decisions.csv, restrictions.csv,\n"
           "statements-of-reasons.json, entities.ftm.json, decisions.atom, transparency.json and\n"
           "transparency.csv (the last 12 months), checkpoint (the log's signed checkpoint the files match)\n"
           "and manifest (each file's SHA-256, signed with the log's key as a signed note). Delisted\n"
           "decisions are not in it. Links in the files start with NIEMTIN_PUBLIC_URL (default\n"
           "http://127.0.0.1:8080). Run it daily, e.g. from cron, into a directory served as static files.\n");
}

typedef struct {
    const char *name;
    char *data;
    size_t len;
} file;

static void add(file *f, int *n, const char *name, char *data, size_t len)
{
    f[*n].name = name;
    f[*n].data = data;
    f[*n].len = len;
    (*n)++;
}

int nt_cmd_export(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "open-data") != 0) {
        usage();
        return argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) ? 0 : 2;
    }
    argc--;
    argv++;
    const char *db;
    bool quiet;
    int status = nt_cli_db_only(argc, argv, &db, &quiet, usage);
    if (status >= 0)
        return status;
    if (optind != argc - 1) {
        usage();
        return 2;
    }
    const char *dir = argv[optind];
    nt_svc *svc = nt_cli_open(db);
    if (svc == NULL)
        return 2;
    snprintf(svc->public_url, sizeof(svc->public_url), "%s", nt_cli_env("PUBLIC_URL", "http://127.0.0.1:8080"));
    nt_err err;
    nt_err_clear(&err);
    char why[512];
    int rc = nt_svc_log_open(svc, &err);
    if (rc == 0 && nt_svc_log_broken(svc, why, sizeof(why))) {
        fprintf(stderr, "niemtin: the log does not match its checkpoint: %s\n", why);
        nt_svc_close(svc);
        return 1;
    }
    /* Every change to the public record is logged: a record read while the log's size stayed the
     * same is the record that size's checkpoint commits to. */
    nt_open_record rec = {0};
    json_t *numbers = NULL;
    char *note = NULL;
    size_t note_len = 0;
    uint64_t size = 0, after = 0;
    for (int tries = 0; rc == 0; tries++) {
        free(note);
        note = NULL;
        rc = nt_svc_log_sync(svc, &err);
        if (rc == 0 && nt_svc_log_checkpoint(svc, &note, &note_len, &size) != 0)
            size = 0; /* an empty log: no checkpoint yet */
        nt_open_record_free(&rec);
        json_decref(numbers);
        numbers = NULL;
        if (rc == 0)
            rc = nt_svc_open_record(svc, &rec, &err);
        if (rc == 0)
            rc = nt_svc_transparency(svc, NULL, NULL, NULL, &numbers, &err);
        if (rc == 0)
            rc = nt_svc_log_sync(svc, &err);
        char *again = NULL;
        size_t again_len = 0;
        if (rc == 0 && nt_svc_log_checkpoint(svc, &again, &again_len, &after) != 0)
            after = 0;
        free(again);
        if (rc != 0 || after == size)
            break;
        if (tries + 1 == READ_TRIES) {
            fprintf(stderr, "niemtin: the record kept changing while it was read (%d tries); try again\n", READ_TRIES);
            rc = NT_EBUSY;
        }
    }
    if (rc != 0) {
        if (rc != NT_EBUSY)
            nt_cli_error("export", rc, &err);
        free(note);
        nt_open_record_free(&rec);
        json_decref(numbers);
        nt_svc_close(svc);
        return 1;
    }
    file f[10];
    int n = 0;
    size_t len = 0;
    char *text;
    text = nt_od_decisions_csv(svc, &rec, &len);
    add(f, &n, "decisions.csv", text, len);
    text = nt_od_restrictions_csv(svc, &rec, &len);
    add(f, &n, "restrictions.csv", text, len);
    text = nt_od_statements(svc, &rec, &len);
    add(f, &n, "statements-of-reasons.json", text, len);
    text = nt_od_ftm(svc, &rec, &len);
    add(f, &n, "entities.ftm.json", text, len);
    text = nt_od_atom(svc, &rec, &len);
    add(f, &n, "decisions.atom", text, len);
    text = json_dumps(numbers, JSON_INDENT(1));
    add(f, &n, "transparency.json", text, text ? strlen(text) : 0);
    text = nt_transparency_csv(numbers, &len);
    add(f, &n, "transparency.csv", text, len);
    if (note != NULL)
        add(f, &n, "checkpoint", note, note_len);
    /* The manifest: what the files are, then each file's SHA-256, signed. */
    char manifest[4096], shown[NT_TIME_LEN];
    size_t cap = sizeof(manifest);
    nt_time_show(rec.as_of, shown);
    size_t m = (size_t)snprintf(manifest, cap, "niemtin open data\norigin %s\nas-of %s\nlog-size %llu\n", nt_svc_log_origin(svc),
                                shown, (unsigned long long)size);
    for (int i = 0; i < n && rc == 0; i++) {
        if (f[i].data == NULL) {
            rc = NT_ENOMEM;
            break;
        }
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[2 * crypto_hash_sha256_BYTES + 1];
        crypto_hash_sha256(h, (const unsigned char *)f[i].data, f[i].len);
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        m += (size_t)snprintf(manifest + m, cap - m, "%s %s\n", hex, f[i].name);
    }
    char *signed_manifest = rc == 0 ? nt_svc_log_sign_note(svc, manifest, m) : NULL;
    if (rc == 0 && signed_manifest == NULL) {
        fprintf(stderr, "niemtin: the log's signing key is not there: the manifest cannot be signed\n");
        rc = 1;
    }
    nt_progress prog;
    nt_progress_begin(&prog, "export", "files", (uint64_t)n + 1, quiet);
    for (int i = 0; i < n && rc == 0; i++) {
        rc = nt_cli_write_file(dir, f[i].name, f[i].data, f[i].len);
        nt_progress_update(&prog, (uint64_t)i + 1);
    }
    if (rc == 0) /* last: a manifest present says the files beside it are whole */
        rc = nt_cli_write_file(dir, "manifest", signed_manifest, strlen(signed_manifest));
    if (rc == 0)
        prog.done = prog.total;
    nt_progress_end(&prog);
    if (rc == 0)
        printf("exported %zu published decisions and %zu restrictions in force to %s (log size %llu); manifest signed by %s\n",
               json_array_size(rec.decisions), json_array_size(rec.restrictions), dir, (unsigned long long)size,
               nt_svc_log_origin(svc));
    for (int i = 0; i < n; i++)
        free(f[i].data);
    free(signed_manifest);
    nt_open_record_free(&rec);
    json_decref(numbers);
    nt_svc_close(svc);
    return rc == 0 ? 0 : 1;
}
