/* `niemtin migrate --from FILE --to URL`: moves a SQLite database to PostgreSQL. */
#include "app/cli.h"
#include "app/progress.h"
#include "core/alloc.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: niemtin migrate --from FILE --to postgres://USER@HOST:PORT/DBNAME [--quiet]\n\n"
           "Copies everything in the SQLite database FILE (registry, cases, decisions, sanctions, appeals, ads,\n"
           "the trust programme, notices, web users, the transparency log with its salts and records, the outbox,\n"
           "keys) into the PostgreSQL database, which must exist and hold nothing yet, in one transaction: a copy\n"
           "that fails leaves it empty. The secrets beside FILE (hash.key, log.key, log.pub, programme.key,\n"
           "programme.pub, vapid.key) are copied to $NIEMTIN_SECRETS (default var), the directory every server of\n"
           "the PostgreSQL database reads them from. Stop the servers writing to FILE first. Afterwards\n"
           "`niemtin log verify --db URL` checks the log and prints its root, which is the source's.\n"
           "Needs a superuser on the target (the copy switches foreign-key triggers off in its transaction).\n");
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    do {
        cap = cap ? cap * 2 : 4096;
        buf = nt_xrealloc(buf, cap);
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (n == cap);
    fclose(f);
    *len = n;
    return buf;
}

/* The secrets, beside the source to the target's directory: refused if the target has others. */
static int copy_secrets(const char *from, const char *to)
{
    char dir[4096];
    nt_svc_secret_path(to, ".", dir, sizeof(dir));
    dir[strlen(dir) - 2] = '\0'; /* without its "/." */
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "niemtin: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (size_t i = 0; nt_svc_secret_files[i] != NULL; i++) {
        char src[4200], dst[4200];
        nt_svc_secret_path(from, nt_svc_secret_files[i], src, sizeof(src));
        nt_svc_secret_path(to, nt_svc_secret_files[i], dst, sizeof(dst));
        size_t n = 0, m = 0;
        char *a = slurp(src, &n);
        if (a == NULL)
            continue; /* made when first opened (programme, vapid) */
        char *b = slurp(dst, &m);
        int bad = 0;
        if (b != NULL && (m != n || memcmp(a, b, n) != 0)) {
            fprintf(stderr, "niemtin: %s exists and differs from %s: the target has secrets of its own\n", dst, src);
            bad = 1;
        } else if (b == NULL) {
            FILE *f = fopen(dst, "wx");
            bad = f == NULL || fwrite(a, 1, n, f) != n;
            if (f != NULL)
                bad |= fclose(f) != 0;
            chmod(dst, 0600);
            if (bad)
                fprintf(stderr, "niemtin: cannot write %s\n", dst);
        }
        free(a);
        free(b);
        if (bad)
            return -1;
    }
    return 0;
}

typedef struct {
    nt_progress p;
    int64_t before; /* rows of the tables done */
} migration;

static void progress(void *arg, const char *table, int64_t rows, bool table_done)
{
    migration *m = arg;
    if (table == NULL) {
        m->p.total = (uint64_t)rows;
        return;
    }
    nt_progress_update(&m->p, (uint64_t)(m->before + rows));
    if (!table_done)
        return;
    m->before += rows;
    if (rows > 0)
        printf("%s  %-24s %lld\n", m->p.tty && !m->p.quiet ? "\r\033[K" : "", table, (long long)rows);
}

int nt_cmd_migrate(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    bool quiet = false;
    static const struct option opts[] = {{"from", required_argument, 0, 'f'},
                                         {"to", required_argument, 0, 't'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    int c;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (c == 'q')
            quiet = true;
        else if (c == 'f')
            from = optarg;
        else if (c == 't')
            to = optarg;
        else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    if (from == NULL || to == NULL || optind != argc || nt_store_is_postgres(from) || !nt_store_is_postgres(to)) {
        fprintf(stderr, "niemtin: migrate wants --from a SQLite file and --to a postgres:// URL\n");
        usage();
        return 2;
    }
    if (access(from, F_OK) != 0) {
        fprintf(stderr, "niemtin: no database at %s\n", from);
        return 1;
    }
    if (copy_secrets(from, to) != 0)
        return 1;
    nt_svc *src = nt_cli_open(from), *dst = src ? nt_cli_open(to) : NULL;
    if (dst == NULL) {
        nt_svc_close(src);
        return 1;
    }
    printf("copying %s to %s\n", from, to);
    nt_err err;
    nt_err_clear(&err);
    migration m = {0};
    nt_progress_begin(&m.p, "migrate", "rows", 0, quiet);
    fflush(stdout);
    int rc = nt_store_copy(src->store, dst->store, progress, &m, &err);
    nt_progress_end(&m.p);
    int64_t total = m.before;
    nt_svc_close(src);
    nt_svc_close(dst);
    if (rc != 0) {
        nt_cli_error("migrate", rc, &err);
        return 1;
    }
    printf("copied %lld rows. Check the log on the target: niemtin log verify --db %s\n", (long long)total, to);
    return 0;
}
