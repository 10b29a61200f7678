/* `niemtin key` and `niemtin org`: keys and organisations from the command line. */
#include "core/schema.h"
#include "app/cli.h"
#include "core/util.h"
#include "service/keys.h"
#include "service/registry.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void key_usage(void)
{
    printf("usage: niemtin key create --role ROLE (--org ID | --person ID) [--label TEXT] [--db PATH]\n"
           "       niemtin key list [--db PATH]\n"
           "       niemtin key revoke ID [--db PATH]\n\n"
           "ROLE is admin, regulator, platform, advertiser or kol. A kol key belongs to a person; the\n"
           "others to an organisation of a fitting kind. The key is printed once; only its hash is kept.\n");
}

static void org_usage(void)
{
    printf("usage: niemtin org create --name NAME --kind KIND [--platform P] [--db PATH]\n"
           "       niemtin org list [--db PATH]\n\n"
           "KIND is operator, regulator, platform, broadcaster, press, event_organiser, advertiser or\n"
           "alliance; a platform organisation names the platform it speaks for (tiktok, facebook,\n"
           "instagram, youtube, zalo, x, threads).\n");
}

/* Prints every page of a listing as JSON lines. */
static int print_all(nt_svc *svc, int (*list)(nt_svc *, const char *, int, json_t **, nt_err *))
{
    char cursor[256] = "";
    for (;;) {
        json_t *page = NULL;
        nt_err err;
        nt_err_clear(&err);
        int rc = list(svc, cursor[0] ? cursor : NULL, 100, &page, &err);
        if (rc != 0) {
            nt_cli_error("list", rc, &err);
            return 1;
        }
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(page, "items"), i, item)
        {
            char *s = json_dumps(item, JSON_COMPACT);
            puts(s);
            free(s);
        }
        const char *next = nt_json_str(page, "next_cursor");
        bool more = next != NULL;
        if (more)
            nt_strlcpy(cursor, next, sizeof(cursor));
        json_decref(page);
        if (!more)
            return 0;
    }
}

int nt_cmd_key(int argc, char **argv)
{
    const char *db = nt_cli_env("DB", NT_DEFAULT_DB), *role = NULL, *org = NULL, *person = NULL, *label = NULL;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"role", required_argument, 0, 'r'},
                                         {"org", required_argument, 0, 'o'},
                                         {"person", required_argument, 0, 'p'},
                                         {"label", required_argument, 0, 'l'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'o':
            org = optarg;
            break;
        case 'p':
            person = optarg;
            break;
        case 'l':
            label = optarg;
            break;
        default:
            key_usage();
            return c == 'h' ? 0 : 2;
        }
    }
    const char *verb = optind < argc ? argv[optind] : NULL;
    if (verb == NULL || (strcmp(verb, "create") && strcmp(verb, "list") && strcmp(verb, "revoke"))) {
        key_usage();
        return 2;
    }
    if ((strcmp(verb, "create") == 0 && role == NULL) || (strcmp(verb, "revoke") == 0 && optind + 1 >= argc)) {
        key_usage();
        return 2;
    }
    nt_svc *svc = nt_cli_open(db);
    if (svc == NULL)
        return 1;
    int rc = 0;
    if (strcmp(verb, "create") == 0) {
        char token[160];
        rc = nt__create_key(svc, role, org, person, label, token, sizeof(token)) != 0;
        if (rc == 0)
            printf("%s\n", token);
    } else if (strcmp(verb, "list") == 0) {
        rc = print_all(svc, nt_svc_key_list);
    } else {
        nt_wctx w;
        char at[NT_TIME_LEN], who[64];
        nt_cli_wctx(&w, at, who);
        nt_err err;
        nt_err_clear(&err);
        json_t *out = NULL;
        rc = nt_svc_key_revoke(svc, &w, argv[optind + 1], &out, &err);
        if (rc != 0) {
            nt_cli_error("key revoke", rc, &err);
            rc = 1;
        } else {
            printf("revoked %s\n", argv[optind + 1]);
            json_decref(out);
        }
    }
    nt_svc_close(svc);
    return rc;
}

int nt_cmd_org(int argc, char **argv)
{
    const char *db = nt_cli_env("DB", NT_DEFAULT_DB), *name = NULL, *kind = NULL, *platform = NULL;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},   {"name", required_argument, 0, 'n'},
                                         {"kind", required_argument, 0, 'k'}, {"platform", required_argument, 0, 'p'},
                                         {"help", no_argument, 0, 'h'},       {0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'k':
            kind = optarg;
            break;
        case 'p':
            platform = optarg;
            break;
        default:
            org_usage();
            return c == 'h' ? 0 : 2;
        }
    }
    const char *verb = optind < argc ? argv[optind] : NULL;
    if (verb == NULL || (strcmp(verb, "create") && strcmp(verb, "list")) ||
        (strcmp(verb, "create") == 0 && (name == NULL || kind == NULL))) {
        org_usage();
        return 2;
    }
    nt_svc *svc = nt_cli_open(db);
    if (svc == NULL)
        return 1;
    int rc;
    if (strcmp(verb, "list") == 0) {
        rc = print_all(svc, nt_svc_org_list);
    } else {
        nt_wctx w;
        char at[NT_TIME_LEN], who[64];
        nt_cli_wctx(&w, at, who);
        nt_err err;
        nt_err_clear(&err);
        json_t *in = json_pack("{s:s, s:s, s:s?}", "name", name, "kind", kind, "platform", platform), *out = NULL;
        rc = nt_svc_org_create(svc, &w, in, &out, &err);
        json_decref(in);
        if (rc != 0) {
            nt_cli_error("org create", rc, &err);
            rc = 1;
        } else {
            printf("%s\n", nt_json_str(out, "id"));
            json_decref(out);
        }
    }
    nt_svc_close(svc);
    return rc;
}
