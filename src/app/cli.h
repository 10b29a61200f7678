/* Shared pieces of the command line: the subcommand table, option helpers
 * and opening the services on the configured database. */
#ifndef NT_APP_CLI_H
#define NT_APP_CLI_H
#include "service/service.h"
#include <stdbool.h>

#define NT_DEFAULT_DB "var/niemtin.db"

/** NIEMTIN_<name> from the environment, or def. */
const char *nt_cli_env(const char *name, const char *def);

/** Opens the services on db; prints the error and returns NULL on failure. */
nt_svc *nt_cli_open(const char *db);
/** The same for a server that only reads (a hot standby's database): no migration, no writes. */
nt_svc *nt_cli_open_ex(const char *db, bool read_only);

/** A write context for the command line: the audit row names the OS user. */
void nt_cli_wctx(nt_wctx *w, char at[NT_TIME_LEN], char who[64]);

/** Parses the options of a command whose only options are --db, --help and, with quiet not NULL,
 * --quiet. Returns -1 to go on, or the exit status after printing usage. */
int nt_cli_db_only(int argc, char **argv, const char **db, bool *quiet, void (*usage)(void));

/** A whole file, NUL-terminated (not counted in *len); NULL when it cannot be read. */
unsigned char *nt_cli_slurp(const char *path, size_t *len);

/** Prints an error report to stderr with a prefix. */
void nt_cli_error(const char *what, int rc, const nt_err *err);
/** Writes DIR/NAME (making the directories on the way); 0, or -1 with the reason on stderr. */
int nt_cli_write_file(const char *dir, const char *name, const void *data, size_t len);

int nt_cmd_init(int argc, char **argv);
int nt_cmd_serve(int argc, char **argv);
int nt_cmd_key(int argc, char **argv);
int nt_cmd_org(int argc, char **argv);
int nt_cmd_person(int argc, char **argv);
int nt_cmd_demo(int argc, char **argv);
int nt_cmd_backup(int argc, char **argv);
int nt_cmd_migrate(int argc, char **argv);
int nt_cmd_log(int argc, char **argv);
int nt_cmd_screen_eval(int argc, char **argv);
int nt_cmd_credential(int argc, char **argv);
int nt_cmd_export(int argc, char **argv);

/** Creates an organisation and an admin key for it on a fresh database; prints the key. */
int nt__create_key(nt_svc *svc, const char *role, const char *org_id, const char *person_id, const char *label, char *token,
                   size_t cap);
#endif
