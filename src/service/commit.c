/* The commit step; see commit.h. */
#include "service/commit.h"
#include "core/alloc.h"
#include "service/follow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nt_write *add(nt_tx *t, int kind, nt_table table, const char *id, const char *entity, const char *action, int log)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 8;
        t->rows = nt_xrealloc(t->rows, t->cap * sizeof(*t->rows));
    }
    nt_write *w = nt_xcalloc(1, sizeof(*w));
    w->kind = kind;
    NT_ASSERT(strlen(id) < sizeof(w->id));
    nt_strlcpy(w->id, id, sizeof(w->id));
    w->values.table = table;
    w->entity = entity;
    w->action = action;
    w->log = log;
    t->rows[t->n++] = w;
    return w;
}

nt_row *nt_tx_insert(nt_tx *t, nt_table table, const char *id, const char *entity, const char *action, int log)
{
    return &add(t, NT_WRITE_INSERT, table, id, entity, action, log)->values;
}

nt_row *nt_tx_update(nt_tx *t, nt_table table, const char *id, nt_col guard, const char *guard_val, const char *entity,
                     const char *action, int log)
{
    nt_write *w = add(t, NT_WRITE_UPDATE, table, id, entity, action, log);
    w->guard = guard;
    w->guard_null = guard != NT_COL_NONE && guard_val == NULL;
    if (guard_val != NULL) {
        NT_ASSERT(strlen(guard_val) < sizeof(w->guard_val));
        nt_strlcpy(w->guard_val, guard_val, sizeof(w->guard_val));
    }
    return &w->values;
}

void nt_tx_delete(nt_tx *t, nt_table table, const char *id, const char *entity, const char *action)
{
    add(t, NT_WRITE_DELETE, table, id, entity, action, 0);
}

void nt_tx_named(nt_tx *t, nt_query q, json_t *params)
{
    nt_write *w = add(t, NT_WRITE_NAMED, NT_T_notices, "-", NULL, NULL, 0);
    w->named = q;
    w->params = params;
}

void nt_tx_answer(nt_tx *t, const json_t *resource, bool created)
{
    json_decref(t->resource);
    t->resource = resource ? json_deep_copy(resource) : NULL;
    t->created = created;
}

void nt_tx_append(nt_tx *t, nt_tx *from)
{
    for (size_t i = 0; i < from->n; i++) {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 8;
            t->rows = nt_xrealloc(t->rows, t->cap * sizeof(*t->rows));
        }
        t->rows[t->n++] = from->rows[i];
    }
    from->n = 0;
}

nt_write *nt_tx_row(nt_tx *t, size_t from_last)
{
    NT_ASSERT(from_last < t->n);
    return t->rows[t->n - 1 - from_last];
}

void nt_tx_free(nt_tx *t)
{
    for (size_t i = 0; i < t->n; i++) {
        nt_row_clear(&t->rows[i]->values);
        json_decref(t->rows[i]->params);
        free(t->rows[i]);
    }
    free(t->rows);
    json_decref(t->resource);
    memset(t, 0, sizeof(*t));
}

int nt_svc_commit(nt_svc *svc, nt_wctx *w, nt_tx *t, nt_err *err)
{
    NT_ASSERT(t->op == NULL || t->n == 0);
    char *replay = t->resource ? json_dumps(t->resource, JSON_COMPACT) : NULL;
    w->idem_response = replay;
    w->idem_created = t->created;
    int rc = t->op ? t->op(svc->store, w, t->op_arg, err) : svc->store->ops->write(svc->store, w, t->rows, t->n, err);
    w->idem_response = NULL;
    w->idem_created = false;
    free(replay);
    if (rc == 0 && (svc->index != NULL || svc->tlog != NULL)) /* a server's; the command line holds neither */
        nt_svc_catch_up(svc);
    return rc;
}

void nt_svc_audit(nt_svc *svc, const nt_wctx *w, const char *action, const char *entity, const char *id)
{
    nt_err err;
    nt_err_clear(&err);
    if (svc->store->ops->audit(svc->store, w, action, entity, id ? id : "", &err) != 0)
        fprintf(stderr, "{\"level\":\"error\",\"msg\":\"audit row not written\",\"action\":\"%s\"}\n", action);
}
