/* `niemtin log`: the transparency log's tools. So far: check-vector, build-static. */
#include "app/cli.h"
#include "log/merkle.h"
#include "log/tiles.h"
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("usage: niemtin log check-vector FILE.json...\n"
           "       niemtin log build-static --origin O --key KEYFILE --out DIR ENTRY_FILE...\n\n"
           "check-vector checks RFC 6962 / RFC 9162 inclusion and consistency proof test vectors (the JSON\n"
           "format of transparency-dev/merkle's testdata): prints each verdict and exits 0 exactly when\n"
           "every verdict matches the vector's wantErr, 1 when one does not, 2 when a file is not a vector.\n\n"
           "build-static writes a static C2SP tlog-tiles log of the entry files, one entry per file, in\n"
           "order: DIR/checkpoint (signed with the signed-note private key in KEYFILE, origin O),\n"
           "DIR/tile/<L>/<N>[.p/<W>] and DIR/tile/entries/<N>[.p/<W>]. Entries are at most 65535 bytes.\n");
}

/* A whole file; NULL on failure. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, n;
    unsigned char chunk[4096];
    *len = 0;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (*len + n + 1 > cap) {
            cap = (*len + n + 1) * 2;
            unsigned char *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        memcpy(buf + *len, chunk, n);
        *len += n;
    }
    fclose(f);
    if (buf == NULL)
        buf = calloc(1, 1);
    else
        buf[*len] = '\0';
    return buf;
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
    char *keytext = (char *)slurp(keyfile, &klen);
    nt_note_signer key;
    if (keytext == NULL || nt_note_signer_parse(keytext, &key) != 0) {
        fprintf(stderr, "niemtin: %s is not a signed-note private key\n", keyfile);
        free(keytext);
        return 1;
    }
    sodium_memzero(keytext, klen);
    free(keytext);
    size_t n = (size_t)(argc - optind);
    nt_entry *entries = calloc(n + 1, sizeof(nt_entry));
    int rc = entries ? 0 : 1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        entries[i].data = slurp(argv[optind + (int)i], &entries[i].len);
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

int nt_cmd_log(int argc, char **argv)
{
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
                char *nb = realloc(buf, cap);
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
