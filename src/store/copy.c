/* Copying a whole database from one store to another (`niemtin migrate`): SQLite to PostgreSQL.
 *
 * Every table of the source, row for row and column for column (registry, decisions, ads, the log
 * with its salts and records, the outbox, keys, sessions), into a target whose schema is the same
 * migrations' and which holds nothing yet, in one transaction of the target: a copy that fails
 * leaves it empty. The rows go in table by table by COPY, with the target's foreign-key triggers
 * off for that transaction (PostgreSQL's session_replication_role: the source's rows hold their
 * keys already). Identity columns then continue after the largest number copied. */
#include "core/alloc.h"
#include "store/sqlite_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_TABLES[] = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                                 "('schema_migrations', 'sqlite_sequence') AND name NOT LIKE 'sqlite_%' ORDER BY name";
static const char SQL_TARGET_EMPTY[] = "SELECT (SELECT count(*) FROM changes) + (SELECT count(*) FROM persons) + "
                                       "(SELECT count(*) FROM log_entries) + (SELECT count(*) FROM orgs)";
static const char SQL_IDENTITIES[] = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                                     "current_schema() AND is_identity = 'YES'";

typedef void (*copy_progress)(void *arg, const char *table, int64_t rows, bool table_done);

/* Copies one table's rows by COPY (buffers of 8 MiB in COPY's text format); the number in *rows;
 * progress told after each buffer. */
static int copy_table(struct conn *from, struct conn *to, const char *table, int64_t *rows, copy_progress progress, void *arg,
                      nt_err *err)
{
    char sql[8192];
    snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", table);
    db_stmt *q = db_prepare(from->db, sql);
    if (q == NULL)
        return nt__sq_db_error(from, err);
    int rc = nt__sq_step(q);
    int ncol = db_column_count(q);
    int o = snprintf(sql, sizeof(sql), "COPY \"%s\" (", table);
    for (int i = 0; i < ncol; i++)
        o += snprintf(sql + o, sizeof(sql) - (size_t)o, "%s\"%s\"", i ? ", " : "", db_column_name(q, i));
    snprintf(sql + o, sizeof(sql) - (size_t)o, ") FROM STDIN");
    nt__copybuf b = {0};
    int64_t n = 0;
    int out = 0;
    for (; rc == DB_ROW && out == 0; rc = nt__sq_step(q)) {
        for (int i = 0; i < ncol; i++) {
            char num[32];
            bool last = i == ncol - 1;
            switch (db_column_type(q, i)) {
            case DB_NULL:
                nt__copy_field(&b, NULL, last);
                break;
            case DB_INTEGER:
                snprintf(num, sizeof(num), "%lld", (long long)db_column_int64(q, i));
                nt__copy_field(&b, num, last);
                break;
            case DB_BLOB: { /* bytea's hex form, its backslash doubled for COPY */
                const unsigned char *v = db_column_blob(q, i);
                int len = db_column_bytes(q, i);
                nt__copy_put(&b, "\\\\x", 3);
                for (int k = 0; k < len; k++) {
                    char h[3];
                    snprintf(h, sizeof(h), "%02x", v[k]);
                    nt__copy_put(&b, h, 2);
                }
                nt__copy_put(&b, last ? "\n" : "\t", 1);
                break;
            }
            default:
                nt__copy_field(&b, (const char *)db_column_text(q, i), last);
            }
        }
        n++;
        if (b.n > (8u << 20)) {
            out = pg_copy_in(to->db->pg, sql, b.p, b.n) == DB_OK ? 0 : nt__sq_db_error(to, err);
            b.n = 0;
            if (progress != NULL)
                progress(arg, table, n, false);
        }
    }
    if (out == 0 && b.n > 0)
        out = pg_copy_in(to->db->pg, sql, b.p, b.n) == DB_OK ? 0 : nt__sq_db_error(to, err);
    free(b.p);
    db_finalize(q);
    if (out != 0)
        return out;
    *rows = n;
    return rc == DB_DONE ? 0 : nt__sq_db_error(from, err);
}

int nt_store_copy(nt_store *from_store, nt_store *to_store, copy_progress progress, void *arg, nt_err *err)
{
    struct conn *from = nt__sq_get_conn(from_store), *to = nt__sq_get_conn(to_store);
    if (from == NULL || to == NULL)
        return nt__sq_db_error(NULL, err);
    if (from->db->engine != DB_SQLITE || to->db->engine != DB_POSTGRES)
        return nt_err_set(err, NT_EINVAL, "a copy goes from a SQLite file to a PostgreSQL database",
                          "chỉ sao chép được từ tệp SQLite sang cơ sở dữ liệu PostgreSQL");
    db_stmt *q = db_prepare(to->db, SQL_TARGET_EMPTY);
    int64_t held = q != NULL && nt__sq_step(q) == DB_ROW ? db_column_int64(q, 0) : -1;
    db_finalize(q);
    if (held != 0)
        return held < 0 ? nt__sq_db_error(to, err)
                        : nt_err_set(err, NT_ECONFLICT, "the target database holds records already: migrate into an empty one",
                                     "cơ sở dữ liệu đích đã có dữ liệu: hãy chuyển sang một cơ sở dữ liệu trống");
    int rc = nt__sq_tx_begin(to, err);
    if (rc == 0 && db_exec(to->db, "SET LOCAL session_replication_role = replica", NULL) != DB_OK)
        rc = nt_err_set(err, NT_EFORBIDDEN, "the target refused to set session_replication_role: migrate as a superuser (%s)",
                        "cơ sở dữ liệu đích từ chối session_replication_role: hãy chuyển với quyền superuser (%s)",
                        db_errmsg(to->db));
    /* The rows the migrations themselves inserted (a clock row, defaults) give way to the source's. */
    db_stmt *tables = rc == 0 ? db_prepare(from->db, SQL_TABLES) : NULL;
    char **names = NULL;
    int ntables = 0;
    while (tables != NULL && nt__sq_step(tables) == DB_ROW) {
        names = nt_xrealloc(names, (size_t)(ntables + 1) * sizeof(*names));
        names[ntables++] = nt_xstrdup((const char *)db_column_text(tables, 0));
    }
    db_finalize(tables);
    for (int i = 0; rc == 0 && i < ntables; i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"", names[i]);
        if (db_exec(to->db, sql, NULL) != DB_OK)
            rc = nt__sq_db_error(to, err);
    }
    if (progress != NULL) { /* how many rows in all, first */
        int64_t all = 0;
        for (int i = 0; rc == 0 && i < ntables; i++) {
            char sql[160];
            snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", names[i]);
            db_stmt *count = db_prepare(from->db, sql);
            if (count != NULL && nt__sq_step(count) == DB_ROW)
                all += db_column_int64(count, 0);
            db_finalize(count);
        }
        progress(arg, NULL, all, false);
    }
    for (int i = 0; rc == 0 && i < ntables; i++) {
        int64_t rows = 0;
        rc = copy_table(from, to, names[i], &rows, progress, arg, err);
        if (rc == 0 && progress != NULL)
            progress(arg, names[i], rows, true);
    }
    /* Identity columns continue after the largest number copied. */
    db_stmt *ids = rc == 0 ? db_prepare(to->db, SQL_IDENTITIES) : NULL;
    char **pairs = NULL;
    int npairs = 0;
    while (ids != NULL && nt__sq_step(ids) == DB_ROW) {
        pairs = nt_xrealloc(pairs, (size_t)(npairs + 2) * sizeof(*pairs));
        pairs[npairs++] = nt_xstrdup((const char *)db_column_text(ids, 0));
        pairs[npairs++] = nt_xstrdup((const char *)db_column_text(ids, 1));
    }
    db_finalize(ids);
    for (int i = 0; rc == 0 && i < npairs; i += 2) {
        char sql[512];
        snprintf(sql, sizeof(sql),
                 "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), coalesce(max(\"%s\"), 0) + 1, false) FROM \"%s\"", pairs[i],
                 pairs[i + 1], pairs[i + 1], pairs[i]);
        if (db_exec(to->db, sql, NULL) != DB_OK)
            rc = nt__sq_db_error(to, err);
    }
    for (int i = 0; i < npairs; i++)
        free(pairs[i]);
    free(pairs);
    for (int i = 0; i < ntables; i++)
        free(names[i]);
    free(names);
    return nt__sq_tx_end(to, rc, err);
}
