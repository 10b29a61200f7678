/* The SQL engines under the store: SQLite (a file) and PostgreSQL (a server, through libpq).
 *
 * The store's operations (src/store/sqlite*.c: the writer, idempotency, the registry, the generic
 * rows, the log) are written once against this small interface, shaped after SQLite's own API:
 * a connection, statements prepared from SQL with `?` or `?N` parameters, bound, stepped row by
 * row, and columns read by index. db.c implements it for SQLite; postgres.c for PostgreSQL, where
 * parameters become `$N`, a step runs the statement and walks its result, and the few things the
 * two dialects spell differently (docs/INTERNALS.md) are kept: the migration placeholders, a
 * handful of functions PostgreSQL is given so the same SQL runs on both; the statements that still
 * differ sit beside their SQLite form where they are used. Nothing outside src/store/ includes this. */
#ifndef NT_STORE_DB_H
#define NT_STORE_DB_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Step results and column types: SQLite's values, so that SQLite's code paths pass through. */
#define DB_OK      SQLITE_OK
#define DB_ROW     SQLITE_ROW
#define DB_DONE    SQLITE_DONE
#define DB_ERROR   SQLITE_ERROR
#define DB_INTEGER SQLITE_INTEGER
#define DB_FLOAT   SQLITE_FLOAT
#define DB_TEXT    SQLITE_TEXT
#define DB_BLOB    SQLITE_BLOB
#define DB_NULL    SQLITE_NULL

typedef enum { DB_SQLITE, DB_POSTGRES } db_engine;

typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;
struct pg_conn;
struct pg_stmt;

struct db_conn {
    db_engine engine;
    sqlite3 *sq;
    struct pg_conn *pg;
};

struct db_stmt {
    db_conn *owner;
    sqlite3_stmt *sq;
    struct pg_stmt *pg;
};

/** Whether a DSN names a PostgreSQL server (postgres:// or postgresql://). */
bool db_is_postgres(const char *dsn);

/** Prepares one statement; NULL on error (db_errmsg says why). */
db_stmt *db_prepare(db_conn *d, const char *sql);
void db_finalize(db_stmt *st);
/** Runs SQL of one or more statements with no parameters and no result wanted; on error *msg
 * (if msg is not NULL) is a message the caller frees with free(). */
int db_exec(db_conn *d, const char *sql, char **msg);
const char *db_errmsg(db_conn *d);
/** Whether the last failed step broke a unique or primary key. */
bool db_unique_violation(db_conn *d);
/** Whether the last failure was the disk being full (SQLITE_FULL; PostgreSQL's disk_full). */
bool db_disk_full(db_conn *d);
/** Rows changed by the last statement. */
int db_changes(db_conn *d);
/** Whether no transaction is open. */
bool db_autocommit(db_conn *d);
/** The connection is no longer usable (a server gone): reopen it before the next use. */
bool db_broken(db_conn *d);
void db_close(db_conn *d);

int db_bind_text(db_stmt *st, int i, const char *v, int n, void (*destructor)(void *));
int db_bind_blob(db_stmt *st, int i, const void *v, int n, void (*destructor)(void *));
int db_bind_int(db_stmt *st, int i, int v);
int db_bind_int64(db_stmt *st, int i, int64_t v);
int db_bind_double(db_stmt *st, int i, double v);
int db_bind_null(db_stmt *st, int i);
/** DB_ROW, DB_DONE, or an error. */
int db_step(db_stmt *st);
void db_reset(db_stmt *st);
void db_clear_bindings(db_stmt *st);

int db_column_count(db_stmt *st);
const char *db_column_name(db_stmt *st, int i);
int db_column_type(db_stmt *st, int i);
int64_t db_column_int64(db_stmt *st, int i);
int db_column_int(db_stmt *st, int i);
const unsigned char *db_column_text(db_stmt *st, int i);
const void *db_column_blob(db_stmt *st, int i);
int db_column_bytes(db_stmt *st, int i);

#define DB_STATIC    SQLITE_STATIC
#define DB_TRANSIENT SQLITE_TRANSIENT

/* ---- PostgreSQL (postgres.c) ---- */

/** Connects to a server by URL; NULL with *msg (malloc'd) on failure. */
struct pg_conn *pg_connect(const char *dsn, char **msg);
void pg_disconnect(struct pg_conn *c);
struct pg_stmt *pg_prepare(struct pg_conn *c, const char *sql);
void pg_finalize(struct pg_stmt *st);
int pg_exec(struct pg_conn *c, const char *sql, char **msg);
const char *pg_errmsg(struct pg_conn *c);
bool pg_unique_violation(struct pg_conn *c);
int pg_changes(struct pg_conn *c);
bool pg_autocommit(struct pg_conn *c);
bool pg_broken(struct pg_conn *c);
/** Waits up to ms for a notification on a connection that LISTENs: 1 when one came from another
 * session than the backend `self` (all pending are consumed), 0 when none did. */
int pg_wait_notify(struct pg_conn *c, int ms, int self);
bool pg_disk_full(struct pg_conn *c);
/** COPY … FROM STDIN of rows in COPY's text format: DB_OK or DB_ERROR (pg_errmsg). */
int pg_copy_in(struct pg_conn *c, const char *sql, const char *data, size_t len);
/** The server process serving the connection (a notification's sender is named by it). */
int pg_backend_pid(struct pg_conn *c);
int pg_bind(struct pg_stmt *st, int i, const char *v, size_t n, bool binary);
int pg_step(struct pg_stmt *st);
void pg_reset(struct pg_stmt *st);
void pg_clear_bindings(struct pg_stmt *st);
int pg_column_count(struct pg_stmt *st);
const char *pg_column_name(struct pg_stmt *st, int i);
int pg_column_type(struct pg_stmt *st, int i);
const char *pg_column_text(struct pg_stmt *st, int i);
const void *pg_column_blob(struct pg_stmt *st, int i, int *len);
/** Prepares sql on the server as the store would (translated), and forgets it: DB_OK, or DB_ERROR
 * with pg_errmsg saying why. For tests. */
int pg_check(struct pg_conn *c, const char *sql);
/** The migration's SQL as PostgreSQL spells it (malloc'd): placeholders, INTEGER as BIGINT. */
char *pg_migration_sql(const char *sql);
/** What PostgreSQL is given, before the first migration, so that the shared SQL runs on it. */
extern const char pg_compat_sql[];

#endif
