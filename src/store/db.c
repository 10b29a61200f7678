/* The SQL engine interface (db.h): each call passes to SQLite, or to postgres.c. */
#include "store/db.h"
#include "core/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool db_is_postgres(const char *dsn)
{
    return dsn != NULL && (strncmp(dsn, "postgres://", 11) == 0 || strncmp(dsn, "postgresql://", 13) == 0);
}

db_stmt *db_prepare(db_conn *d, const char *sql)
{
    db_stmt *st = nt_xcalloc(1, sizeof(*st));
    st->owner = d;
    if (d->engine == DB_POSTGRES)
        st->pg = pg_prepare(d->pg, sql);
    else if (sqlite3_prepare_v3(d->sq, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->sq, NULL) != SQLITE_OK)
        st->sq = NULL;
    if (st->sq == NULL && st->pg == NULL) {
        fprintf(stderr, "niemtin: prepare failed: %s\n%s\n", db_errmsg(d), sql);
        free(st);
        return NULL;
    }
    return st;
}

void db_finalize(db_stmt *st)
{
    if (st == NULL)
        return;
    if (st->pg != NULL)
        pg_finalize(st->pg);
    else
        sqlite3_finalize(st->sq);
    free(st);
}

int db_exec(db_conn *d, const char *sql, char **msg)
{
    if (d->engine == DB_POSTGRES)
        return pg_exec(d->pg, sql, msg);
    char *m = NULL;
    int rc = sqlite3_exec(d->sq, sql, NULL, NULL, &m);
    if (msg != NULL)
        *msg = m != NULL ? nt_xstrdup(m) : NULL;
    sqlite3_free(m);
    return rc == SQLITE_OK ? DB_OK : DB_ERROR;
}

const char *db_errmsg(db_conn *d)
{
    return d->engine == DB_POSTGRES ? pg_errmsg(d->pg) : sqlite3_errmsg(d->sq);
}

bool db_unique_violation(db_conn *d)
{
    if (d->engine == DB_POSTGRES)
        return pg_unique_violation(d->pg);
    int ext = sqlite3_extended_errcode(d->sq);
    return ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY;
}

bool db_disk_full(db_conn *d)
{
    if (d->engine == DB_POSTGRES)
        return pg_disk_full(d->pg);
    return (sqlite3_extended_errcode(d->sq) & 0xff) == SQLITE_FULL;
}

int db_changes(db_conn *d)
{
    return d->engine == DB_POSTGRES ? pg_changes(d->pg) : sqlite3_changes(d->sq);
}

bool db_autocommit(db_conn *d)
{
    return d->engine == DB_POSTGRES ? pg_autocommit(d->pg) : sqlite3_get_autocommit(d->sq) != 0;
}

bool db_broken(db_conn *d)
{
    return d->engine == DB_POSTGRES && pg_broken(d->pg);
}

void db_close(db_conn *d)
{
    if (d == NULL)
        return;
    if (d->engine == DB_POSTGRES)
        pg_disconnect(d->pg);
    else
        sqlite3_close(d->sq);
    free(d);
}

int db_bind_text(db_stmt *st, int i, const char *v, int n, void (*destructor)(void *))
{
    if (st->pg != NULL)
        return v == NULL ? pg_bind(st->pg, i, NULL, 0, false) : pg_bind(st->pg, i, v, n < 0 ? strlen(v) : (size_t)n, false);
    return sqlite3_bind_text(st->sq, i, v, n, destructor);
}

int db_bind_blob(db_stmt *st, int i, const void *v, int n, void (*destructor)(void *))
{
    if (st->pg != NULL)
        return pg_bind(st->pg, i, v != NULL ? v : "", (size_t)n, true);
    return sqlite3_bind_blob(st->sq, i, v, n, destructor);
}

int db_bind_int64(db_stmt *st, int i, int64_t v)
{
    if (st->pg != NULL) {
        char t[24];
        int n = snprintf(t, sizeof(t), "%lld", (long long)v);
        return pg_bind(st->pg, i, t, (size_t)n, false);
    }
    return sqlite3_bind_int64(st->sq, i, v);
}

int db_bind_int(db_stmt *st, int i, int v)
{
    return db_bind_int64(st, i, v);
}

int db_bind_double(db_stmt *st, int i, double v)
{
    if (st->pg != NULL) {
        char t[32];
        int n = snprintf(t, sizeof(t), "%.17g", v);
        return pg_bind(st->pg, i, t, (size_t)n, false);
    }
    return sqlite3_bind_double(st->sq, i, v);
}

int db_bind_null(db_stmt *st, int i)
{
    return st->pg != NULL ? pg_bind(st->pg, i, NULL, 0, false) : sqlite3_bind_null(st->sq, i);
}

int db_step(db_stmt *st)
{
    return st->pg != NULL ? pg_step(st->pg) : sqlite3_step(st->sq);
}

void db_reset(db_stmt *st)
{
    if (st->pg != NULL)
        pg_reset(st->pg);
    else
        sqlite3_reset(st->sq);
}

void db_clear_bindings(db_stmt *st)
{
    if (st->pg != NULL)
        pg_clear_bindings(st->pg);
    else
        sqlite3_clear_bindings(st->sq);
}

int db_column_count(db_stmt *st)
{
    return st->pg != NULL ? pg_column_count(st->pg) : sqlite3_column_count(st->sq);
}

const char *db_column_name(db_stmt *st, int i)
{
    return st->pg != NULL ? pg_column_name(st->pg, i) : sqlite3_column_name(st->sq, i);
}

int db_column_type(db_stmt *st, int i)
{
    return st->pg != NULL ? pg_column_type(st->pg, i) : sqlite3_column_type(st->sq, i);
}

int64_t db_column_int64(db_stmt *st, int i)
{
    if (st->pg != NULL) {
        const char *t = pg_column_text(st->pg, i);
        return t == NULL ? 0 : t[0] == 't' ? 1 : t[0] == 'f' ? 0 : strtoll(t, NULL, 10);
    }
    return sqlite3_column_int64(st->sq, i);
}

int db_column_int(db_stmt *st, int i)
{
    return (int)db_column_int64(st, i);
}

const unsigned char *db_column_text(db_stmt *st, int i)
{
    return st->pg != NULL ? (const unsigned char *)pg_column_text(st->pg, i) : sqlite3_column_text(st->sq, i);
}

const void *db_column_blob(db_stmt *st, int i)
{
    if (st->pg != NULL) {
        int len;
        return pg_column_blob(st->pg, i, &len);
    }
    return sqlite3_column_blob(st->sq, i);
}

int db_column_bytes(db_stmt *st, int i)
{
    if (st->pg != NULL) {
        if (pg_column_type(st->pg, i) == DB_BLOB) {
            int len = 0;
            pg_column_blob(st->pg, i, &len);
            return len;
        }
        const char *t = pg_column_text(st->pg, i);
        return t ? (int)strlen(t) : 0;
    }
    return sqlite3_column_bytes(st->sq, i);
}
