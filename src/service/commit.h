/* The one commit step every write goes through.
 *
 * A service validates its input, then builds its write as an nt_tx: the rows it inserts and
 * updates, in order (typed: store/tables.h), each naming its change-sequence entity, audit action
 * and log entry; the webhook deliveries it causes (nt_webhook_enqueue adds them to the same tx);
 * and the resource a retry with the same Idempotency-Key is answered with should the answer's own
 * bytes be lost. nt_svc_commit writes all of it in one transaction with its single idempotency
 * record, and once committed brings the in-memory indexes, caches and the log's signed checkpoint
 * up to it. A write the generic rows cannot express (a person with its search tokens, an API key,
 * a log redaction) is a typed store operation, committed through the same step with nt_tx.op.
 * Services speak of what a write did (created or not); the HTTP layer alone turns that into
 * status codes. */
#ifndef NT_SERVICE_COMMIT_H
#define NT_SERVICE_COMMIT_H
#include "service/service.h"

typedef struct nt_tx {
    nt_write **rows; /* each owned */
    size_t n, cap;
    json_t *resource; /* owned; NULL: a retry whose answer was lost gets the first changed row's id */
    bool created;     /* the write created the resource it answers with */
    /* A typed store operation, run in place of the rows (which must then be empty). */
    int (*op)(nt_store *st, const nt_wctx *w, void *arg, nt_err *err);
    void *op_arg;
} nt_tx;

/** Adds an insert of row `id` into `table`; the returned values are the row's to set. entity: the
 * change-sequence entity (NULL: none, our own bookkeeping); action: the audit action (NULL: a
 * change row only); log: the log entry type it appends (0: none). */
nt_row *nt_tx_insert(nt_tx *t, nt_table table, const char *id, const char *entity, const char *action, int log);
/** Adds an update of row `id`, applied only while column `guard` holds `guard_val` (NULL: IS NULL;
 * NT_COL_NONE: no guard), else the commit fails with NT_ESTALE. */
nt_row *nt_tx_update(nt_tx *t, nt_table table, const char *id, nt_col guard, const char *guard_val, const char *entity,
                     const char *action, int log);
/** Adds the deletion of row `id` (NT_ESTALE when it is gone already); never logged. */
void nt_tx_delete(nt_tx *t, nt_table table, const char *id, const char *entity, const char *action);
/** Adds a named statement of the backend, run with params (stolen) in the same transaction: rows
 * written in bulk from other rows (store/queries.h names it). */
void nt_tx_named(nt_tx *t, nt_query q, json_t *params);
/** The resource a retry is answered with (copied) and whether the write created it. */
void nt_tx_answer(nt_tx *t, const json_t *resource, bool created);
/** Moves the rows of `from` to the end of t (from is left empty, its answer untouched). */
void nt_tx_append(nt_tx *t, nt_tx *from);
/** The row added before this one, counting from the last (0: the last). */
nt_write *nt_tx_row(nt_tx *t, size_t from_last);
void nt_tx_free(nt_tx *t);

/** Commits the write in one transaction (its audit, change, log, outbox and idempotency rows),
 * then catches the process up to it (service/runtime.h). NT_ESTALE when a guarded update finds its
 * guard no longer holds; NT_ECONFLICT on a uniqueness clash; the tx is left as it was (free it). */
int nt_svc_commit(nt_svc *svc, nt_wctx *w, nt_tx *t, nt_err *err);

/** An audit row alone, for something refused that must leave a trace (who asked, when, what). */
void nt_svc_audit(nt_svc *svc, const nt_wctx *w, const char *action, const char *entity, const char *id);

#endif
