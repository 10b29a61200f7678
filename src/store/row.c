/* The tables and columns of store/tables.h and the reads of store/queries.h by name, and the rows
 * built from them. */
#include "core/alloc.h"
#include "store/store.h"
#include <string.h>

static const char *const table_names[] = {
#define NT__T(t) #t,
    NT_TABLE_LIST(NT__T)
#undef NT__T
};

static const struct {
    nt_table table;
    const char *name;
} cols[] = {{NT_TABLE_COUNT, NULL},
#define NT__C(t, c) {NT_T_##t, #c},
            NT_COLUMN_LIST(NT__C)
#undef NT__C
};

const char *nt_table_name(nt_table t)
{
    NT_ASSERT((unsigned)t < NT_TABLE_COUNT);
    return table_names[t];
}

const char *nt_col_name(nt_col c)
{
    NT_ASSERT(c > NT_COL_NONE && c < NT_COL_COUNT);
    return cols[c].name;
}

nt_table nt_col_table(nt_col c)
{
    NT_ASSERT(c > NT_COL_NONE && c < NT_COL_COUNT);
    return cols[c].table;
}

void nt_row_set(nt_row *r, nt_col c, json_t *v)
{
    NT_ASSERT(nt_col_table(c) == r->table);
    NT_ASSERT(v != NULL);
    for (int i = 0; i < r->n; i++)
        if (r->col[i] == c) {
            json_decref(r->val[i]);
            r->val[i] = v;
            return;
        }
    NT_ASSERT(r->n < NT_ROW_COLS);
    r->col[r->n] = c;
    r->val[r->n++] = v;
}

void nt_row_str(nt_row *r, nt_col c, const char *s)
{
    nt_row_set(r, c, s ? json_string(s) : json_null());
}

void nt_row_int(nt_row *r, nt_col c, int64_t v)
{
    nt_row_set(r, c, json_integer(v));
}

void nt_row_bool(nt_row *r, nt_col c, bool v)
{
    nt_row_set(r, c, json_boolean(v));
}

const json_t *nt_row_get(const nt_row *r, nt_col c)
{
    for (int i = 0; i < r->n; i++)
        if (r->col[i] == c)
            return r->val[i];
    return NULL;
}

json_t *nt_row_object(const nt_row *r)
{
    json_t *o = json_object();
    for (int i = 0; i < r->n; i++)
        json_object_set(o, nt_col_name(r->col[i]), r->val[i]);
    return o;
}

void nt_row_clear(nt_row *r)
{
    for (int i = 0; i < r->n; i++)
        json_decref(r->val[i]);
    r->n = 0;
}

static const char *const query_names[] = {
#define NT__Q(q) #q,
    NT_QUERY_LIST(NT__Q)
#undef NT__Q
};

const char *nt_query_name(nt_query q)
{
    NT_ASSERT((unsigned)q < NT_QUERY_COUNT);
    return query_names[q];
}
