/* `niemtin init`: creates the database and its secrets, prints the first admin key once.
 *
 * Secrets live beside the database, each readable by its owner only (0600):
 * hash.key (BLAKE2b key for national-ID hashes) and log.key / log.pub (the
 * Ed25519 key that signs log checkpoints, in the signed-note key format). */
#include "core/schema.h"
#include "app/cli.h"
#include "core/util.h"
#include "service/registry.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_secret(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        fprintf(stderr, "niemtin: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
    close(fd);
    if (!ok)
        fprintf(stderr, "niemtin: cannot write %s\n", path);
    return ok ? 0 : -1;
}

static int mkdirs(const char *dir)
{
    char buf[4096];
    nt_strlcpy(buf, dir, sizeof(buf));
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The signed-note key pair for the log (C2SP signed-note): name+hash+base64(0x01 || key). */
static int make_log_key(const char *db, const char *origin)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], seed[32];
    crypto_sign_keypair(pk, sk);
    crypto_sign_ed25519_sk_to_seed(seed, sk);
    unsigned char buf[1 + 32], h[32];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)origin, strlen(origin));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n\x01", 2);
    crypto_hash_sha256_update(&st, pk, sizeof(pk));
    crypto_hash_sha256_final(&st, h);
    char b64[64], line[512], path[4096];
    buf[0] = 0x01;
    memcpy(buf + 1, seed, 32);
    sodium_bin2base64(b64, sizeof(b64), buf, sizeof(buf), sodium_base64_VARIANT_ORIGINAL);
    snprintf(line, sizeof(line), "PRIVATE+KEY+%s+%02x%02x%02x%02x+%s\n", origin, h[0], h[1], h[2], h[3], b64);
    nt_svc_secret_path(db, "log.key", path, sizeof(path));
    int rc = write_secret(path, line);
    memcpy(buf + 1, pk, 32);
    sodium_bin2base64(b64, sizeof(b64), buf, sizeof(buf), sodium_base64_VARIANT_ORIGINAL);
    snprintf(line, sizeof(line), "%s+%02x%02x%02x%02x+%s\n", origin, h[0], h[1], h[2], h[3], b64);
    nt_svc_secret_path(db, "log.pub", path, sizeof(path));
    if (rc == 0)
        rc = write_secret(path, line);
    sodium_memzero(sk, sizeof(sk));
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(buf, sizeof(buf));
    sodium_memzero(line, sizeof(line));
    return rc;
}

static void usage(void)
{
    printf("usage: niemtin init [--db PATH] [--log-origin NAME]\n\n"
           "Creates the database at PATH (default $NIEMTIN_DB or " NT_DEFAULT_DB "), runs the migrations,\n"
           "creates the secrets beside it with mode 0600 (hash.key for national-ID hashes; log.key and\n"
           "log.pub, the Ed25519 key that signs log checkpoints under NAME, default \"niemtin.local/log\"),\n"
           "an operator organisation, and prints the first admin API key. The key is shown once.\n"
           "PATH may be a PostgreSQL URL (postgres://user@host:port/dbname, an existing empty database):\n"
           "the secrets then go to the directory $NIEMTIN_SECRETS (default var), to be copied to every server.\n");
}

/* An init that failed takes back the secrets it made, so that it can be run again (a PostgreSQL
 * URL mistyped, a server not started yet). */
static void forget_secrets(const char *db, const bool *made)
{
    for (size_t i = 0; nt_svc_secret_files[i] != NULL; i++) {
        char path[4200];
        nt_svc_secret_path(db, nt_svc_secret_files[i], path, sizeof(path));
        if (made[i])
            unlink(path);
    }
}

int nt_cmd_init(int argc, char **argv)
{
    const char *db = nt_cli_env("DB", NT_DEFAULT_DB);
    const char *origin = nt_cli_env("LOG_ORIGIN", "niemtin.local/log");
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"log-origin", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'o')
            origin = optarg;
        else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    if (sodium_init() < 0)
        return 1;
    char dir[4096];
    nt_svc_secret_path(db, "hash.key", dir, sizeof(dir));
    /* A SQLite file, or for PostgreSQL the secrets of a database made before (NIEMTIN_SECRETS). */
    if (access(db, F_OK) == 0 || access(dir, F_OK) == 0) {
        fprintf(stderr, "niemtin: %s exists already; init does not touch an existing database\n", access(db, F_OK) == 0 ? db : dir);
        return 1;
    }
    bool made[8] = {0};
    for (size_t i = 0; i < sizeof(made) / sizeof(made[0]) && nt_svc_secret_files[i] != NULL; i++) {
        char path[4200];
        nt_svc_secret_path(db, nt_svc_secret_files[i], path, sizeof(path));
        made[i] = access(path, F_OK) != 0; /* what this init makes, it may take back */
    }
    nt_svc_secret_path(db, ".", dir, sizeof(dir));
    dir[strlen(dir) - 2] = '\0';
    if (mkdirs(dir) != 0) {
        fprintf(stderr, "niemtin: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char path[4096], hex[80];
    unsigned char key[32];
    randombytes_buf(key, sizeof(key));
    sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
    strcat(hex, "\n");
    nt_svc_secret_path(db, "hash.key", path, sizeof(path));
    if (write_secret(path, hex) != 0 || make_log_key(db, origin) != 0) {
        forget_secrets(db, made);
        return 1;
    }
    sodium_memzero(key, sizeof(key));
    sodium_memzero(hex, sizeof(hex));

    nt_svc *svc = NULL;
    nt_err err;
    nt_err_clear(&err);
    int rc = nt_svc_open(&svc, db, true, &err);
    if (rc != 0) {
        nt_cli_error("init", rc, &err);
        forget_secrets(db, made);
        return 1;
    }
    json_t *orgs = NULL; /* a PostgreSQL database made before, with other secrets: not touched */
    if (svc->store->ops->org_list(svc->store, NULL, 1, &orgs) != 0 || json_array_size(orgs) > 0) {
        fprintf(stderr, "niemtin: %s holds records already; init does not touch an existing database\n", db);
        json_decref(orgs);
        nt_svc_close(svc);
        forget_secrets(db, made);
        return 1;
    }
    json_decref(orgs);
    chmod(db, 0600);
    nt_wctx w;
    char at[NT_TIME_LEN], who[64], token[160];
    nt_cli_wctx(&w, at, who);
    json_t *in = json_pack("{s:s, s:s}", "name", "Đơn vị vận hành niemtin", "kind", "operator"), *org = NULL;
    rc = nt_svc_org_create(svc, &w, in, &org, &err);
    json_decref(in);
    if (rc == 0)
        rc = nt__create_key(svc, "admin", nt_json_str(org, "id"), NULL, "first admin key (init)", token, sizeof(token));
    if (rc == 0) {
        printf("Initialised %s\n", db);
        printf("Operator organisation: %s\n", nt_json_str(org, "id"));
        printf("Admin API key (shown once; keep it safe):\n%s\n", token);
        sodium_memzero(token, sizeof(token));
    } else {
        nt_cli_error("init", rc, &err);
    }
    json_decref(org);
    nt_svc_close(svc);
    return rc == 0 ? 0 : 1;
}
