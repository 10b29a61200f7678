/* `niemtin person import FILE.jsonl`: bulk import in one transaction. */
#include "app/cli.h"
#include "app/progress.h"
#include <getopt.h>
#include "core/util.h"
#include "service/registry.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void usage(void)
{
    printf("usage: niemtin person import FILE.jsonl [--db PATH] [--quiet]\n\n"
           "Imports persons, one JSON object a line, in one transaction: all of them or none.\n"
           "Fields: id (required), name or legal_name (required), aliases, kind, birth_year, gender\n"
           "(f, m or x), province, national_id, accounts [{platform, handle, ...}]. FILE - reads stdin.\n"
           "Handles are unique per platform: an account whose handle another person already holds is\n"
           "skipped and counted, and so is a handle its platform's rules do not allow; everything else\n"
           "about that person is imported. On a terminal a line shows how far it has read (--quiet: not).\n");
}

static void on_progress(void *arg, long lines, uint64_t bytes)
{
    (void)lines;
    nt_progress_update(arg, bytes);
}

int nt_cmd_person(int argc, char **argv)
{
    const char *db;
    bool quiet;
    int status = nt_cli_db_only(argc, argv, &db, &quiet, usage);
    if (status >= 0)
        return status;
    if (optind + 2 != argc || strcmp(argv[optind], "import") != 0) {
        usage();
        return 2;
    }
    const char *file = argv[optind + 1];
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    if (f == NULL) {
        perror(file);
        return 1;
    }
    nt_svc *svc = nt_cli_open(db);
    if (svc == NULL) {
        if (f != stdin)
            fclose(f);
        return 1;
    }
    nt_wctx w;
    char at[NT_TIME_LEN], who[64];
    nt_cli_wctx(&w, at, who);
    struct stat st;
    nt_progress prog;
    nt_progress_begin(&prog, "import", "bytes", f != stdin && fstat(fileno(f), &st) == 0 ? (uint64_t)st.st_size : 0, quiet);
    nt_import_report rep = {.progress = on_progress, .progress_arg = &prog};
    nt_err err;
    nt_err_clear(&err);
    int64_t t0 = nt_mono_us();
    int rc = nt_svc_person_import(svc, &w, f, &rep, &err);
    if (rc == 0 && prog.total > 0)
        prog.done = prog.total; /* read to the end */
    nt_progress_end(&prog);
    double secs = (double)(nt_mono_us() - t0) / 1e6;
    if (f != stdin)
        fclose(f);
    nt_svc_close(svc);
    if (rc != 0) {
        nt_cli_error("import (nothing was imported)", rc, &err);
        return 1;
    }
    printf("imported %ld persons and %ld accounts from %ld lines in %.1f s\n", rep.persons, rep.accounts, rep.lines, secs);
    if (rep.accounts_skipped > 0)
        printf("skipped %ld accounts whose handle another person holds (first: %s)\n", rep.accounts_skipped, rep.first_skip);
    if (rep.accounts_invalid > 0)
        printf("skipped %ld accounts whose handle the platform's rules do not allow (first: %s)\n", rep.accounts_invalid,
               rep.first_invalid);
    return 0;
}
