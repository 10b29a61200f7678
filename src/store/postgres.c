/* PostgreSQL under the store (db.h), on libpq.
 *
 * A statement is translated once from the SQLite spelling the store writes to PostgreSQL's
 * (parameters `?N` → `$N`, the few statements that differ replaced by their PostgreSQL form),
 * prepared on the server at its first step, and executed with its parameters as text (bytes as
 * binary): the server gives each parameter the type its place in the statement asks for, as
 * SQLite's loose typing did. A step that returns rows walks the result; columns are read as
 * SQLite's are (integers and booleans as integers, bytea as bytes, the rest as text). */
#include "core/alloc.h"
#include "store/db.h"
#include <ctype.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type OIDs of pg_type.h (catalog constants, stable across releases). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_OID = 26,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700
};

struct pg_conn {
    PGconn *c;
    char err[1024];
    bool unique;    /* the last failure broke a unique key (SQLSTATE 23505) */
    bool full;      /* the last failure was the server's disk full (SQLSTATE 53100) */
    int changes;    /* rows of the last command */
    unsigned next;  /* names of prepared statements */
    unsigned epoch; /* bumped when the connection is made anew: statements prepared before are gone */
};

#define PG_MAXP 32

struct pg_stmt {
    struct pg_conn *conn;
    char *sql;      /* PostgreSQL's spelling */
    int nparams;    /* the highest $N */
    char name[24];  /* prepared on the server as; "" until the first step */
    unsigned epoch; /* the connection's epoch it was prepared in */
    char *val[PG_MAXP];
    int len[PG_MAXP];
    int fmt[PG_MAXP];
    bool set[PG_MAXP];
    PGresult *res;
    int row, nrows;
    unsigned char **blob; /* per column, the current row's bytes decoded */
    size_t *blob_len;
    int blob_row;
};

struct pg_conn *pg_connect(const char *dsn, char **msg)
{
    PGconn *c = PQconnectdb(dsn);
    if (c == NULL || PQstatus(c) != CONNECTION_OK) {
        if (msg != NULL)
            *msg = nt_xstrdup(c ? PQerrorMessage(c) : "out of memory");
        PQfinish(c);
        return NULL;
    }
    /* Quiet notices ("relation already exists, skipping"); times and text as the store writes them. */
    PGresult *r = PQexec(c, "SET client_min_messages = warning; SET client_encoding = 'UTF8'");
    PQclear(r);
    struct pg_conn *p = nt_xcalloc(1, sizeof(*p));
    p->c = c;
    return p;
}

void pg_disconnect(struct pg_conn *c)
{
    if (c == NULL)
        return;
    PQfinish(c->c);
    free(c);
}

static void set_error(struct pg_conn *c, const PGresult *r)
{
    const char *m = r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(c->c);
    snprintf(c->err, sizeof(c->err), "%s", m != NULL && *m ? m : "server closed the connection");
    size_t n = strlen(c->err);
    while (n > 0 && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
        c->err[--n] = '\0';
    const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    c->unique = state != NULL && strcmp(state, "23505") == 0;
    c->full = state != NULL && strcmp(state, "53100") == 0; /* disk_full */
}

const char *pg_errmsg(struct pg_conn *c)
{
    return c->err[0] ? c->err : PQerrorMessage(c->c);
}

bool pg_unique_violation(struct pg_conn *c)
{
    return c->unique;
}

bool pg_disk_full(struct pg_conn *c)
{
    return c->full;
}

int pg_changes(struct pg_conn *c)
{
    return c->changes;
}

bool pg_autocommit(struct pg_conn *c)
{
    return PQtransactionStatus(c->c) == PQTRANS_IDLE || PQtransactionStatus(c->c) == PQTRANS_UNKNOWN;
}

bool pg_broken(struct pg_conn *c)
{
    return PQstatus(c->c) != CONNECTION_OK;
}

int pg_copy_in(struct pg_conn *c, const char *sql, const char *data, size_t len)
{
    PGresult *r = PQexec(c->c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        set_error(c, r);
        PQclear(r);
        return DB_ERROR;
    }
    PQclear(r);
    int ok = PQputCopyData(c->c, data, (int)len) == 1;
    ok = PQputCopyEnd(c->c, ok ? NULL : "the client failed") == 1 && ok;
    int rc = DB_OK;
    while ((r = PQgetResult(c->c)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            set_error(c, r);
            rc = DB_ERROR;
        }
        PQclear(r);
    }
    if (!ok && rc == DB_OK) {
        set_error(c, NULL);
        rc = DB_ERROR;
    }
    return rc;
}

int pg_backend_pid(struct pg_conn *c)
{
    return PQbackendPID(c->c);
}

int pg_wait_notify(struct pg_conn *c, int ms, int self)
{
    int got = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (PQconsumeInput(c->c) == 0)
            return 0;
        PGnotify *n;
        while ((n = PQnotifies(c->c)) != NULL) {
            got |= n->be_pid != self; /* this server's own writes are in its indexes already */
            PQfreemem(n);
        }
        if (got || pass == 1)
            return got;
        struct pollfd p = {.fd = PQsocket(c->c), .events = POLLIN};
        if (p.fd < 0 || poll(&p, 1, ms) <= 0)
            return 0;
    }
    return got;
}

int pg_exec(struct pg_conn *c, const char *sql, char **msg)
{
    PGresult *r = PQexec(c->c, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? DB_OK : DB_ERROR;
    if (s == PGRES_TUPLES_OK) /* rows returned; a command (RELEASE after a statement) leaves the count as it was */
        c->changes = PQntuples(r);
    if (rc != DB_OK) {
        set_error(c, r);
        if (msg != NULL)
            *msg = nt_xstrdup(c->err);
    } else if (msg != NULL) {
        *msg = NULL;
    }
    PQclear(r);
    return rc;
}

/* ---- translation ---- */

/* `?N` → `$N`, a bare `?` → the next number (as SQLite counts them); quoted text left alone. */
static char *placeholders(const char *sql, int *nparams)
{
    size_t cap = strlen(sql) * 2 + 16;
    char *out = nt_xmalloc(cap), *o = out;
    int max = 0;
    char quote = 0;
    for (const char *p = sql; *p;) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            *o++ = *p++;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            *o++ = *p++;
        } else if (*p == '?') {
            p++;
            int n;
            if (isdigit((unsigned char)*p)) {
                n = (int)strtol(p, (char **)&p, 10);
            } else {
                n = max + 1;
            }
            if (n > max)
                max = n;
            o += sprintf(o, "$%d", n);
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    *nparams = max;
    return out;
}

/* "($N IS NULL OR X)" → "(X OR $N IS NULL)": PostgreSQL types a parameter where it first meets
 * it, and `$N IS NULL` alone does not say a type; X (a comparison with a column) does. */
static void optional_filters_last(char *sql)
{
    for (;;) {
        char *p = sql, *hit = NULL;
        while ((p = strstr(p, "($")) != NULL) {
            char *q = p + 2;
            while (isdigit((unsigned char)*q))
                q++;
            if (q > p + 2 && strncmp(q, " IS NULL OR ", 12) == 0) {
                hit = p;
                break;
            }
            p += 2;
        }
        if (hit == NULL)
            return;
        char *test_end = strstr(hit, " IS NULL OR ") + 8; /* after "IS NULL" */
        char *x = test_end + 4;                           /* after " OR " */
        int depth = 1;
        char *e = x;
        char quote = 0;
        for (; *e && depth > 0; e++) {
            if (quote) {
                if (*e == quote)
                    quote = 0;
            } else if (*e == '\'' || *e == '"') {
                quote = *e;
            } else if (*e == '(') {
                depth++;
            } else if (*e == ')') {
                depth--;
            }
        }
        if (depth != 0)
            return;
        char *close = e - 1; /* the ')' matching hit's '(' */
        size_t test_len = (size_t)(test_end - (hit + 1)), x_len = (size_t)(close - x);
        char *tmp = nt_xmalloc(test_len + x_len + 8);
        memcpy(tmp, x, x_len);
        memcpy(tmp + x_len, " OR ", 4);
        memcpy(tmp + x_len + 4, hit + 1, test_len);
        memcpy(hit + 1, tmp, x_len + 4 + test_len);
        free(tmp);
    }
}

struct pg_stmt *pg_prepare(struct pg_conn *c, const char *sql)
{
    struct pg_stmt *st = nt_xcalloc(1, sizeof(*st));
    st->conn = c;
    st->sql = placeholders(sql, &st->nparams);
    optional_filters_last(st->sql);
    if (st->nparams > PG_MAXP) {
        snprintf(c->err, sizeof(c->err), "too many parameters (%d)", st->nparams);
        pg_finalize(st);
        return NULL;
    }
    st->row = -1;
    st->blob_row = -1;
    return st;
}

static void blobs_clear(struct pg_stmt *st)
{
    if (st->blob != NULL && st->res != NULL)
        for (int i = 0; i < PQnfields(st->res); i++) {
            PQfreemem(st->blob[i]);
            st->blob[i] = NULL;
        }
    st->blob_row = -1;
}

void pg_reset(struct pg_stmt *st)
{
    blobs_clear(st);
    free(st->blob);
    free(st->blob_len);
    st->blob = NULL;
    st->blob_len = NULL;
    PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->nrows = 0;
}

void pg_clear_bindings(struct pg_stmt *st)
{
    for (int i = 0; i < PG_MAXP; i++) {
        free(st->val[i]);
        st->val[i] = NULL;
        st->set[i] = false;
        st->fmt[i] = 0;
        st->len[i] = 0;
    }
}

void pg_finalize(struct pg_stmt *st)
{
    if (st == NULL)
        return;
    pg_reset(st);
    pg_clear_bindings(st);
    if (st->name[0] && st->epoch == st->conn->epoch && PQstatus(st->conn->c) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
        PQclear(PQexec(st->conn->c, sql));
    }
    free(st->sql);
    free(st);
}

int pg_bind(struct pg_stmt *st, int i, const char *v, size_t n, bool binary)
{
    if (i < 1 || i > PG_MAXP)
        return DB_ERROR;
    if (st->res != NULL) /* as SQLite: binding again starts the statement over */
        pg_reset(st);
    free(st->val[i - 1]);
    st->val[i - 1] = NULL;
    st->set[i - 1] = true;
    st->fmt[i - 1] = binary;
    st->len[i - 1] = (int)n;
    if (v != NULL) {
        st->val[i - 1] = nt_xmalloc(n + 1);
        memcpy(st->val[i - 1], v, n);
        st->val[i - 1][n] = '\0';
    }
    return DB_OK;
}

/* Prepares on the server at the first step: bytes are sent as bytea, the rest left to the server. */
static int server_prepare(struct pg_stmt *st)
{
    Oid types[PG_MAXP] = {0};
    for (int i = 0; i < st->nparams; i++)
        types[i] = st->fmt[i] ? OID_BYTEA : 0;
    char name[24];
    snprintf(name, sizeof(name), "s%u", ++st->conn->next);
    PGresult *r = PQprepare(st->conn->c, name, st->sql, st->nparams, types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        set_error(st->conn, r);
        fprintf(stderr, "niemtin: postgresql: %s\n  in: %.300s\n", st->conn->err, st->sql);
        PQclear(r);
        return DB_ERROR;
    }
    PQclear(r);
    memcpy(st->name, name, sizeof(name));
    st->epoch = st->conn->epoch;
    return DB_OK;
}

/* After a statement failed because the server went away (restarted, failed over): outside a
 * transaction the connection is made anew and the statement may run again, as a read would on a
 * fresh connection; inside one, the transaction is lost with it and the write fails (503). */
static bool reconnected(struct pg_conn *c, bool was_idle)
{
    if (!was_idle || PQstatus(c->c) == CONNECTION_OK)
        return false;
    PQreset(c->c);
    if (PQstatus(c->c) != CONNECTION_OK)
        return false;
    PQclear(PQexec(c->c, "SET client_min_messages = warning; SET client_encoding = 'UTF8'"));
    c->epoch++;
    return true;
}

int pg_step(struct pg_stmt *st)
{
    if (st->res == NULL) {
        struct pg_conn *c = st->conn;
        c->err[0] = '\0';
        c->unique = false;
        bool was_idle = PQtransactionStatus(c->c) == PQTRANS_IDLE;
        const char *vals[PG_MAXP];
        for (int i = 0; i < st->nparams; i++)
            vals[i] = st->val[i];
        ExecStatusType s = PGRES_FATAL_ERROR;
        for (int attempt = 0; attempt < 2; attempt++) {
            if ((!st->name[0] || st->epoch != c->epoch) && server_prepare(st) != DB_OK) {
                if (attempt == 0 && reconnected(c, was_idle))
                    continue;
                return DB_ERROR;
            }
            st->res = PQexecPrepared(c->c, st->name, st->nparams, vals, st->len, st->fmt, 0);
            s = PQresultStatus(st->res);
            if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK || attempt == 1 || !reconnected(c, was_idle))
                break;
            PQclear(st->res);
            st->res = NULL;
        }
        if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
            set_error(c, st->res);
            if (!c->unique) /* a clash is the caller's to tell; anything else is worth an operator's eye */
                fprintf(stderr, "niemtin: postgresql: %s\n  in: %.300s\n", c->err, st->sql);
            PQclear(st->res);
            st->res = NULL;
            return DB_ERROR;
        }
        const char *t = PQcmdTuples(st->res);
        c->changes = t != NULL && *t ? atoi(t) : 0;
        st->nrows = s == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
        st->row = -1;
        int nf = PQnfields(st->res);
        if (nf > 0) {
            st->blob = nt_xcalloc((size_t)nf, sizeof(*st->blob));
            st->blob_len = nt_xcalloc((size_t)nf, sizeof(*st->blob_len));
        }
    }
    blobs_clear(st);
    if (st->row + 1 < st->nrows) {
        st->row++;
        return DB_ROW;
    }
    st->row = st->nrows;
    return DB_DONE;
}

int pg_column_count(struct pg_stmt *st)
{
    return st->res ? PQnfields(st->res) : 0;
}

const char *pg_column_name(struct pg_stmt *st, int i)
{
    return st->res ? PQfname(st->res, i) : "";
}

static bool in_row(struct pg_stmt *st, int i)
{
    return st->res != NULL && st->row >= 0 && st->row < st->nrows && i >= 0 && i < PQnfields(st->res);
}

int pg_column_type(struct pg_stmt *st, int i)
{
    if (!in_row(st, i) || PQgetisnull(st->res, st->row, i))
        return DB_NULL;
    switch (PQftype(st->res, i)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        return DB_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8:
        return DB_FLOAT;
    case OID_NUMERIC: /* sum() of integers: an integer while it has no fraction */
        return strchr(PQgetvalue(st->res, st->row, i), '.') ? DB_FLOAT : DB_INTEGER;
    case OID_BYTEA:
        return DB_BLOB;
    default:
        return DB_TEXT;
    }
}

const char *pg_column_text(struct pg_stmt *st, int i)
{
    if (!in_row(st, i) || PQgetisnull(st->res, st->row, i))
        return NULL;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == OID_BOOL)
        return v[0] == 't' ? "1" : "0";
    if (PQftype(st->res, i) == OID_BYTEA) {
        int len;
        return pg_column_blob(st, i, &len);
    }
    return v;
}

const void *pg_column_blob(struct pg_stmt *st, int i, int *len)
{
    *len = 0;
    if (!in_row(st, i) || PQgetisnull(st->res, st->row, i))
        return NULL;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) != OID_BYTEA) {
        *len = PQgetlength(st->res, st->row, i);
        return v;
    }
    if (st->blob[i] == NULL) {
        size_t n = 0;
        st->blob[i] = PQunescapeBytea((const unsigned char *)v, &n);
        st->blob_len[i] = n;
    }
    *len = (int)st->blob_len[i];
    return st->blob[i] ? st->blob[i] : (const void *)"";
}

/* ---- the dialect ---- */

char *pg_migration_sql(const char *sql)
{
    size_t cap = strlen(sql) * 2 + 64;
    char *out = nt_xmalloc(cap), *o = out;
    for (const char *p = sql; *p;) {
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(p, "@SEQ@", 5) == 0) {
            rep = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
            skip = 5;
        } else if (strncmp(p, "@CLUSTERED@", 11) == 0) {
            rep = "";
            skip = 11;
        } else if (strncmp(p, "@BYTES@", 7) == 0) {
            rep = "BYTEA";
            skip = 7;
        } else if (strncmp(p, "INTEGER", 7) == 0 && (p == sql || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[7])) {
            rep = "BIGINT"; /* SQLite's integers are 64-bit; PostgreSQL's INTEGER is 32 */
            skip = 7;
        }
        if (rep != NULL) {
            o += sprintf(o, "%s", rep);
            p += skip;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* SQLite's functions the shared SQL uses, given to PostgreSQL: instr(), json_each() over a JSON
 * array held as text (key and value as SQLite's), json_group_array(), and for a migration's data
 * step, hex() and randomblob(). Run before every migration run; each is replaced if it exists. */
const char pg_compat_sql[] =
    "CREATE OR REPLACE FUNCTION hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT upper(encode($1, ''hex''))';"
    "CREATE OR REPLACE FUNCTION randomblob(integer) RETURNS bytea LANGUAGE sql VOLATILE "
    "AS 'SELECT substring(decode(md5(random()::text || clock_timestamp()::text), ''hex'') from 1 for $1)';"
    "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS 'SELECT strpos($1, $2)';"
    "CREATE OR REPLACE FUNCTION json_each(text) RETURNS TABLE (key integer, value text) LANGUAGE sql IMMUTABLE "
    "AS 'SELECT (o - 1)::integer, e FROM json_array_elements_text($1::json) WITH ORDINALITY AS t(e, o)';"
    "CREATE OR REPLACE AGGREGATE json_group_array(text) (SFUNC = array_append, STYPE = text[], FINALFUNC = array_to_json, "
    "INITCOND = '{}');";

int pg_check(struct pg_conn *c, const char *sql)
{
    struct pg_stmt *st = pg_prepare(c, sql);
    if (st == NULL)
        return DB_ERROR;
    int rc = server_prepare(st);
    pg_finalize(st);
    return rc;
}
