/* niemtin: the command line. One subcommand per file in src/app/. */
#include "app/cli.h"
#include "core/alloc.h"
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *help;
} commands[] = {
    {"init", nt_cmd_init, "create the database, its secrets and the first admin key"},
    {"serve", nt_cmd_serve, "serve the HTTP API"},
    {"key", nt_cmd_key, "create, list or revoke API keys"},
    {"org", nt_cmd_org, "create or list organisations"},
    {"person", nt_cmd_person, "import persons from JSON Lines"},
    {"demo", nt_cmd_demo, "fill a database with realistic demo data and print a key for each role"},
    {"backup", nt_cmd_backup, "copy a live database"},
    {"migrate", nt_cmd_migrate, "move a SQLite database to PostgreSQL"},
    {"log", nt_cmd_log, "transparency-log tools (check-vector, build-static)"},
    {"export", nt_cmd_export, "write the public record as open data, signed (export open-data DIR)"},
    {"credential", nt_cmd_credential, "verify or sign W3C verifiable credentials (eddsa-jcs-2022)"},
    {"screen-eval", nt_cmd_screen_eval, "measure name and handle screening on a labelled set"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "niemtin %s: the registry behind the Digital Trust programme for influencers\n\n"
            "usage: niemtin COMMAND [OPTIONS]   (niemtin COMMAND --help for each)\n\n",
            NT_VERSION);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "  %-11s %s\n", "version", "print the version");
}

int main(int argc, char **argv)
{
    nt_alloc_init();
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("niemtin %s\n", NT_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "niemtin: unknown command %s\n", argv[1]);
    usage(stderr);
    return 2;
}
