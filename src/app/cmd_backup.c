/* `niemtin backup FILE`: an online copy of a live database. */
#include "app/cli.h"
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: niemtin backup FILE [--db PATH]\n\n"
           "Copies the database to FILE while the server keeps running (SQLite online backup).\n"
           "The secrets beside the database (hash.key, log.key, programme.key) are not copied: back them up apart.\n");
}

int nt_cmd_backup(int argc, char **argv)
{
    const char *db;
    int status = nt_cli_db_only(argc, argv, &db, NULL, usage);
    if (status >= 0)
        return status;
    if (optind + 1 != argc) {
        usage();
        return 2;
    }
    if (access(argv[optind], F_OK) == 0) {
        fprintf(stderr, "niemtin: %s exists; choose a new file\n", argv[optind]);
        return 1;
    }
    nt_svc *svc = nt_cli_open(db);
    if (svc == NULL)
        return 1;
    nt_err err;
    nt_err_clear(&err);
    int rc = svc->store->ops->backup(svc->store, argv[optind], &err);
    nt_svc_close(svc);
    if (rc != 0) {
        nt_cli_error("backup", rc, &err);
        return 1;
    }
    printf("backed up %s to %s\n", db, argv[optind]);
    return 0;
}
