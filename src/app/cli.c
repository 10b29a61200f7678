/* Helpers shared by the subcommands. */
#include "core/alloc.h"
#include "core/schema.h"
#include "app/cli.h"
#include "core/util.h"
#include "service/keys.h"
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *nt_cli_env(const char *name, const char *def)
{
    char var[64];
    snprintf(var, sizeof(var), "NIEMTIN_%s", name);
    const char *v = getenv(var);
    return v != NULL && v[0] != '\0' ? v : def;
}

int nt_cli_db_only(int argc, char **argv, const char **db, bool *quiet, void (*usage)(void))
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0}};
    *db = nt_cli_env("DB", NT_DEFAULT_DB);
    if (quiet != NULL)
        *quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (c == 'd') {
            *db = optarg;
        } else if (c == 'q' && quiet != NULL) {
            *quiet = true;
        } else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    return -1;
}

void nt_cli_error(const char *what, int rc, const nt_err *err)
{
    fprintf(stderr, "niemtin: %s: %s\n", what, err && err->en[0] ? err->en : nt_strerror(rc));
    for (int i = 0; err && i < err->nfields; i++) {
        char detail[640];
        nt_err_field_detail(&err->fields[i], NT_LANG_EN, detail, sizeof(detail));
        fprintf(stderr, "  %s: %s (%s)\n", err->fields[i].field, detail, err->fields[i].code);
    }
}

nt_svc *nt_cli_open(const char *db)
{
    return nt_cli_open_ex(db, false);
}

nt_svc *nt_cli_open_ex(const char *db, bool read_only)
{
    nt_svc *svc = NULL;
    nt_err err;
    nt_err_clear(&err);
    if (!nt_store_is_postgres(db) && access(db, F_OK) != 0) {
        fprintf(stderr, "niemtin: no database at %s: run `niemtin init --db %s` first\n", db, db);
        return NULL;
    }
    int rc = nt_svc_open_ex(&svc, db, false, read_only, &err);
    if (rc != 0) {
        nt_cli_error("open", rc, &err);
        return NULL;
    }
    return svc;
}

void nt_cli_wctx(nt_wctx *w, char at[NT_TIME_LEN], char who[64])
{
    struct passwd *pw = getpwuid(getuid());
    snprintf(who, 64, "cli:%s", pw ? pw->pw_name : "?");
    nt_time_utc(nt_now_us(), at);
    memset(w, 0, sizeof(*w));
    w->key_id = who;
    w->at = at;
}

int nt__create_key(nt_svc *svc, const char *role, const char *org_id, const char *person_id, const char *label, char *token,
                   size_t cap)
{
    nt_wctx w;
    char at[NT_TIME_LEN], who[64];
    nt_cli_wctx(&w, at, who);
    nt_err err;
    nt_err_clear(&err);
    json_t *in = json_pack("{s:s, s:s?, s:s?, s:s?}", "role", role, "org_id", org_id, "person_id", person_id, "label", label);
    json_t *out = NULL;
    int rc = nt_svc_key_create(svc, &w, in, &out, &err);
    json_decref(in);
    if (rc != 0) {
        nt_cli_error("key create", rc, &err);
        return rc;
    }
    snprintf(token, cap, "%s", nt_json_str(out, "secret"));
    json_decref(out);
    return 0;
}

unsigned char *nt_cli_slurp(const char *path, size_t *len)
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
            unsigned char *nb = nt_xrealloc(buf, cap);
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
        buf = nt_xcalloc(1, 1);
    else
        buf[*len] = '\0';
    return buf;
}

static int make_parents(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

int nt_cli_write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = make_parents(path) == 0 ? fopen(path, "wb") : NULL;
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}
