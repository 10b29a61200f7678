/* `niemtin log`: the transparency log's tools: verify, monitor, export, build-static, check-vector. */
#include "core/alloc.h"
#include "app/cli.h"
#include "app/progress.h"
#include "log/merkle.h"
#include "log/tiles.h"
#include "service/tlog.h"
#include "service/log_verify.h"
#include <errno.h>
#include <sys/stat.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("usage: niemtin log verify [--db PATH] [--key PUBFILE] [--checkpoint FILE] [--quiet]\n"
           "       niemtin log monitor URL [--state FILE] [--key PUBFILE] [RECEIPT...]\n"
           "       niemtin log export DIR [--db PATH]\n"
           "       niemtin log check-vector FILE.json...\n"
           "       niemtin log build-static --origin O --key KEYFILE --out DIR ENTRY_FILE...\n\n"
           "verify recomputes every commitment from the database, rebuilds the tree, compares each logged\n"
           "row with its latest record, finds rows missing from the log and checks the latest checkpoint\n"
           "(root and signature, with PUBFILE or the log.pub beside the database) and, with --checkpoint,\n"
           "an older saved one. It prints each discrepancy and exits 1 on any, 0 when all is well.\n\n"
           "monitor checks a running log over HTTP (see niemtin log monitor --help).\n\n"
           "export writes the latest checkpoint and every tile and entry bundle under DIR as static files.\n\n"
           "check-vector checks RFC 6962 / RFC 9162 inclusion and consistency proof test vectors (the JSON\n"
           "format of transparency-dev/merkle's testdata): prints each verdict and exits 0 exactly when\n"
           "every verdict matches the vector's wantErr, 1 when one does not, 2 when a file is not a vector.\n\n"
           "build-static writes a static C2SP tlog-tiles log of the entry files, one entry per file, in\n"
           "order: DIR/checkpoint (signed with the signed-note private key in KEYFILE, origin O),\n"
           "DIR/tile/<L>/<N>[.p/<W>] and DIR/tile/entries/<N>[.p/<W>]. Entries are at most 65535 bytes.\n");
}

static int build_static(int argc, char **argv)
{
    const char *origin = NULL, *keyfile = NULL, *out = NULL;
    static const struct option opts[] = {
        {"origin", required_argument, 0, 'o'}, {"key", required_argument, 0, 'k'}, {"out", required_argument, 0, 'd'}, {0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o')
            origin = optarg;
        else if (c == 'k')
            keyfile = optarg;
        else if (c == 'd')
            out = optarg;
        else {
            usage();
            return 2;
        }
    }
    if (origin == NULL || keyfile == NULL || out == NULL) {
        usage();
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    size_t klen;
    char *keytext = (char *)nt_cli_slurp(keyfile, &klen);
    nt_note_signer key;
    if (keytext == NULL || nt_note_signer_parse(keytext, &key) != 0) {
        fprintf(stderr, "niemtin: %s is not a signed-note private key\n", keyfile);
        free(keytext);
        return 1;
    }
    sodium_memzero(keytext, klen);
    free(keytext);
    size_t n = (size_t)(argc - optind);
    nt_entry *entries = nt_xcalloc(n + 1, sizeof(nt_entry));
    int rc = entries ? 0 : 1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        entries[i].data = nt_cli_slurp(argv[optind + (int)i], &entries[i].len);
        if (entries[i].data == NULL) {
            perror(argv[optind + (int)i]);
            rc = 1;
        }
    }
    char why[512];
    if (rc == 0 && nt_tlog_build_static(out, origin, &key, entries, n, why, sizeof(why)) != 0) {
        fprintf(stderr, "niemtin: %s\n", why);
        rc = 1;
    }
    for (size_t i = 0; entries && i < n; i++)
        free((void *)entries[i].data);
    free(entries);
    sodium_memzero(&key, sizeof(key));
    if (rc == 0)
        printf("wrote a log of %zu entries to %s\n", n, out);
    return rc;
}

static void print_finding(void *arg, bool bad, const char *line)
{
    (void)arg;
    printf("%s%s\n", bad ? "DISCREPANCY: " : "note: ", line);
}

static void on_progress(void *arg, uint64_t done, uint64_t total)
{
    nt_progress *p = arg;
    p->total = total;
    nt_progress_update(p, done);
}

static int verify(int argc, char **argv)
{
    const char *db = nt_cli_env("DB", NT_DEFAULT_DB), *keyfile = NULL, *cpfile = NULL;
    bool quiet = false;
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"key", required_argument, 0, 'k'}, {"checkpoint", required_argument, 0, 'c'},
        {"quiet", no_argument, 0, 'q'},    {"help", no_argument, 0, 'h'},      {0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'q')
            quiet = true;
        else if (c == 'k')
            keyfile = optarg;
        else if (c == 'c')
            cpfile = optarg;
        else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    nt_svc *svc = nt_cli_open(db);
    if (svc == NULL)
        return 2;
    size_t len = 0;
    char *pub = (char *)nt_cli_slurp(keyfile ? keyfile : svc->log_pub_path, &len);
    char *old = cpfile ? (char *)nt_cli_slurp(cpfile, &len) : NULL;
    if (pub == NULL || (cpfile != NULL && old == NULL)) {
        fprintf(stderr, "niemtin: %s cannot be read\n", pub == NULL ? (keyfile ? keyfile : svc->log_pub_path) : cpfile);
        free(pub);
        nt_svc_close(svc);
        return 2;
    }
    int64_t t0 = nt_mono_us();
    nt_progress prog;
    nt_progress_begin(&prog, "verify", "checks", 0, quiet);
    nt_log_verify_result res = {.progress = on_progress, .progress_arg = &prog};
    int rc = nt_svc_log_verify(svc, pub, old, print_finding, NULL, &res);
    if (rc == 0 && prog.total > 0)
        prog.done = prog.total;
    nt_progress_end(&prog);
    double secs = (double)(nt_mono_us() - t0) / 1e6;
    free(pub);
    free(old);
    nt_svc_close(svc);
    if (rc != 0) {
        fprintf(stderr, "niemtin: the log cannot be read (%s)\n", nt_strerror(rc));
        return 2;
    }
    printf("%s: %llu entries, %llu commitments recomputed, %llu redacted, %llu rows compared, checkpoint of size %llu; "
           "%d discrepanc%s (%.2f s)\n",
           res.discrepancies ? "FAILED" : "ok", (unsigned long long)res.entries, (unsigned long long)res.records,
           (unsigned long long)res.redacted, (unsigned long long)res.rows, (unsigned long long)res.checkpoint_size,
           res.discrepancies, res.discrepancies == 1 ? "y" : "ies", secs);
    return res.discrepancies ? 1 : 0;
}

static int export_log(int argc, char **argv)
{
    const char *db;
    int status = nt_cli_db_only(argc, argv, &db, NULL, usage);
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
    nt_err err;
    nt_err_clear(&err);
    char why[512];
    char *note = NULL;
    size_t len = 0;
    uint64_t size = 0, files = 0;
    int rc = nt_svc_log_open(svc, &err);
    if (rc == 0 && nt_svc_log_broken(svc, why, sizeof(why))) {
        fprintf(stderr, "niemtin: the log does not match its checkpoint: %s\n", why);
        rc = 1;
    }
    if (rc == 0 && nt_svc_log_checkpoint(svc, &note, &len, &size) != 0) {
        fprintf(stderr, "niemtin: the log is empty: nothing to export\n");
        rc = 1;
    }
    /* Every tile the checkpoint's tree has, level by level, and the entry bundles. */
    for (int level = -1; rc == 0 && level < 8; level++) {
        uint64_t count = level < 0 ? size : size >> (8 * level);
        if (level > 0 && count == 0)
            break;
        for (uint64_t t = 0; rc == 0 && t * NT_TILE_WIDTH < count; t++) {
            uint64_t left = count - t * NT_TILE_WIDTH;
            unsigned w = left >= NT_TILE_WIDTH ? NT_TILE_WIDTH : (unsigned)left;
            unsigned char *bytes = NULL;
            size_t blen = 0;
            char name[128];
            nt_tile_path(name, sizeof(name), level, t, w);
            rc = nt_svc_log_tile(svc, level, t, w, &bytes, &blen) == 0 ? nt_cli_write_file(dir, name, bytes, blen) : -1;
            free(bytes);
            files++;
        }
    }
    if (rc == 0)
        rc = nt_cli_write_file(dir, "checkpoint", note, len);
    free(note);
    nt_svc_close(svc);
    if (rc == 0)
        printf("exported the log of %llu entries to %s: checkpoint and %llu tiles\n", (unsigned long long)size, dir,
               (unsigned long long)files);
    return rc == 0 ? 0 : 1;
}

int nt__log_monitor(int argc, char **argv);

int nt_cmd_log(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return verify(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "monitor") == 0)
        return nt__log_monitor(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "export") == 0)
        return export_log(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "build-static") == 0)
        return build_static(argc - 1, argv + 1);
    if (argc < 3 || strcmp(argv[1], "check-vector") != 0) {
        usage();
        return argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) ? 0 : 2;
    }
    int status = 0;
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL) {
            perror(argv[i]);
            return 2;
        }
        char *buf = NULL;
        size_t cap = 0, len = 0;
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
            if (len + n > cap) {
                cap = (len + n) * 2;
                char *nb = nt_xrealloc(buf, cap);
                if (nb == NULL) {
                    free(buf);
                    fclose(f);
                    return 2;
                }
                buf = nb;
            }
            memcpy(buf + len, chunk, n);
            len += n;
        }
        fclose(f);
        char why[512];
        int rc = nt_merkle_check_vector(buf ? buf : "", len, why, sizeof(why));
        free(buf);
        printf("%s: %s: %s\n", rc == 0 ? "ok" : rc > 0 ? "MISMATCH" : "INVALID", argv[i], why);
        if (rc < 0)
            return 2;
        if (rc > 0)
            status = 1;
    }
    return status;
}
