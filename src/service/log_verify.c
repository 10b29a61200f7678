/* niemtin log verify; see log_verify.h. */
#include "core/alloc.h"
#include "core/schema.h"
#include "core/util.h"
#include "log/entry.h"
#include "log/jcs.h"
#include "service/log_verify.h"
#include "service/tlog_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- niemtin log verify ---- */

typedef struct verifier {
    nt_svc *svc;
    struct nt_tlog t; /* the entries and tree rebuilt from the database */
    bool *present;    /* present[i]: entry i was in log_entries */
    bool *has_record; /* has_record[i]: its private side was in log_records */
    uint64_t flags_cap;
    uint64_t expected; /* the next index log_entries should hold */
    json_t *redacted;  /* record ids named by redaction entries -> entry index */
    void (*say)(void *arg, bool bad, const char *line);
    void *arg;
    nt_log_verify_result *res;
    uint64_t total;           /* the checks to make, for progress: every entry, then every record */
    pthread_mutex_t say_lock; /* the rows are compared in a second thread */
    int rows_rc;
} verifier;

static void say(verifier *v, bool bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(verifier *v, bool bad, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&v->say_lock);
    if (bad)
        v->res->discrepancies++;
    v->say(v->arg, bad, line);
    pthread_mutex_unlock(&v->say_lock);
}

/* "entry 12 (decision.issued d…)" */
static void entry_name(verifier *v, uint64_t i, char *out, size_t cap)
{
    nt_log_entry e;
    if (i < v->t.tree.size && v->present[i] &&
        nt_log_entry_decode(v->t.ent + v->t.off[i], (size_t)(v->t.off[i + 1] - v->t.off[i]), &e) == 0)
        snprintf(out, cap, "entry %llu (%s %s)", (unsigned long long)i, nt_log_type_name(e.type), e.record_id);
    else
        snprintf(out, cap, "entry %llu", (unsigned long long)i);
}

/* Progress, every 4,096 checks. */
static void step(verifier *v, uint64_t done)
{
    if (v->res->progress != NULL && done % 4096 == 0)
        v->res->progress(v->res->progress_arg, done, v->total > done ? v->total : done);
}

static int verify_entry(void *arg, int64_t idx, const unsigned char *entry, size_t len)
{
    verifier *v = arg;
    step(v, (uint64_t)idx + 1);
    uint64_t gap_from = v->expected;
    while (v->expected < (uint64_t)idx) { /* deleted rows: keep the slot, so later indexes stay right */
        say(v, true, "entry %llu: missing from the log_entries table", (unsigned long long)v->expected);
        unsigned char none = 0;
        if (nt__tlog_add_entry(&v->t, &none, 0) != 0)
            return NT_ENOMEM;
        v->expected++;
    }
    nt_log_entry e;
    if (nt_log_entry_decode(entry, len, &e) != 0)
        say(v, true, "entry %lld: its bytes are not a valid log entry", (long long)idx);
    if (nt__tlog_add_entry(&v->t, entry, len) != 0)
        return NT_ENOMEM;
    if (v->flags_cap < v->t.off_cap) {
        v->flags_cap = v->t.off_cap;
        v->present = nt_xrealloc(v->present, v->flags_cap * sizeof(bool));
        v->has_record = nt_xrealloc(v->has_record, v->flags_cap * sizeof(bool));
        if (v->present == NULL || v->has_record == NULL)
            return NT_ENOMEM;
    }
    for (uint64_t k = gap_from; k < v->t.tree.size; k++) {
        v->present[k] = k == (uint64_t)idx;
        v->has_record[k] = false;
    }
    v->expected = (uint64_t)idx + 1;
    if (e.type == NT_LOG_REDACTION)
        json_object_set_new(v->redacted, e.record_id, json_integer(idx));
    v->res->entries++;
    return 0;
}

static int verify_record(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt, const char *record)
{
    verifier *v = arg;
    step(v, v->total / 2 + (uint64_t)idx + 1);
    char name[160];
    if ((uint64_t)idx >= v->t.tree.size || !v->present[idx]) {
        entry_name(v, (uint64_t)idx, name, sizeof(name));
        say(v, true, "%s: a %s record (%s) whose log entry is missing", name, table, key);
        return 0;
    }
    v->has_record[idx] = true;
    nt_log_entry e;
    if (nt_log_entry_decode(v->t.ent + v->t.off[idx], (size_t)(v->t.off[idx + 1] - v->t.off[idx]), &e) != 0)
        return 0; /* reported already */
    if (salt == NULL || record == NULL) {
        json_t *by = json_object_get(v->redacted, e.record_id);
        entry_name(v, (uint64_t)idx, name, sizeof(name));
        if (by == NULL || e.type == NT_LOG_REDACTION)
            say(v, true, "%s: its salt and record were deleted, but no redaction entry names %s", name, e.record_id);
        else {
            say(v, false, "%s: redacted (redaction entry %lld); the commitment stays, the record and salt are gone", name,
                (long long)json_integer_value(by));
            v->res->redacted++;
        }
        return 0;
    }
    nt_hash c;
    nt_log_commit(salt, record, strlen(record), &c);
    if (memcmp(c.b, e.commitment.b, NT_HASH_LEN) != 0) {
        entry_name(v, (uint64_t)idx, name, sizeof(name));
        say(v, true, "%s: the stored record does not match the commitment in the log", name);
    }
    v->res->records++;
    return 0;
}

/* The columns in which a row now differs from its logged record. */
static void differing(const json_t *logged, const json_t *live, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)logged, k, x)
    {
        json_t *y = json_object_get(live, k);
        if (y == NULL || !json_equal(x, y))
            o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", o ? ", " : "", k);
    }
    json_object_foreach((json_t *)live, k, x) if (json_object_get(logged, k) == NULL) o +=
        (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s (new)", o ? ", " : "", k);
}

/* The record an entry committed to, as stored (malloc'd), or NULL. */
static char *stored_record(nt_svc *svc, int64_t idx)
{
    json_t *p = json_pack("[I]", (json_int_t)idx), *rows = NULL;
    svc->store->ops->query(svc->store, NT_Q_log_record_at, p, &rows);
    json_decref(p);
    const char *r = nt_json_str(json_array_get(rows, 0), "record");
    char *out = r ? nt_xstrdup(r) : NULL;
    json_decref(rows);
    return out;
}

/* Each row's latest entry against the row as it stands: the commitment of the row now, with that
 * entry's salt, must be the entry's. (Whether the stored record matches the entry is the other
 * thread's check.) Runs beside the tree's rebuilding, so it reads entries from its own query. */
static int verify_latest(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                         const unsigned char *entry, size_t len)
{
    verifier *v = arg;
    nt_log_entry e;
    if (salt == NULL || strcmp(table, "log") == 0 || nt_log_entry_decode(entry, len, &e) != 0)
        return 0; /* redacted; a record with no row but its own; or its entry missing or bad (reported with the entries) */
    char name[160], *live = NULL;
    int rc = v->svc->store->ops->log_live_record(v->svc->store, table, key, &live);
    nt_hash now;
    if (rc == 0 && e.type != NT_LOG_ACCOUNT_UNLINKED) {
        nt_log_commit(salt, live, strlen(live), &now);
        if (memcmp(now.b, e.commitment.b, NT_HASH_LEN) == 0) { /* the common case: nothing to say */
            free(live);
            v->res->rows++;
            return 0;
        }
    }
    snprintf(name, sizeof(name), "entry %lld (%s %s)", (long long)idx, nt_log_type_name(e.type), e.record_id);
    if (e.type == NT_LOG_ACCOUNT_UNLINKED) {
        char *stored = stored_record(v->svc, idx);
        json_t *logged = stored ? json_loads(stored, 0, NULL) : NULL, *row = rc == 0 ? json_loads(live, 0, NULL) : NULL;
        const char *was = nt_json_str(logged, "person_id"), *is = nt_json_str(row, "person_id");
        if (row != NULL && was != NULL && is != NULL && strcmp(was, is) == 0 && !json_is_null(json_object_get(row, "verified_by")))
            say(v, true, "%s: the account %s is attested to the same person again without a log entry", name, key);
        json_decref(logged);
        json_decref(row);
        free(stored);
    } else if (rc == NT_ENOTFOUND) {
        say(v, true, "%s: the %s row %s has been deleted", name, table, key);
    } else if (rc != 0) {
        say(v, true, "%s: the %s row %s cannot be read", name, table, key);
    } else { /* the row differs from what the entry committed to */
        char *stored = stored_record(v->svc, idx);
        json_t *logged = stored ? json_loads(stored, 0, NULL) : NULL, *row = json_loads(live, 0, NULL);
        char cols[512] = "";
        if (logged != NULL && row != NULL)
            differing(logged, row, cols, sizeof(cols));
        if (cols[0] != '\0')
            say(v, true, "%s: the %s row %s differs from its logged record in: %s", name, table, key, cols);
        else /* the stored record was edited to match the row: only the commitment tells */
            say(v, true, "%s: the %s row %s does not match the commitment in the log", name, table, key);
        json_decref(logged);
        json_decref(row);
        free(stored);
    }
    free(live);
    v->res->rows++;
    return 0;
}

static void unlogged_cb(void *arg, const json_t *row)
{
    verifier *v = arg;
    say(v, true, "the %s row %s is not in the log", nt_json_str(row, "record_table"), nt_json_str(row, "record_key"));
}

static void *compare_rows(void *arg)
{
    verifier *v = arg;
    json_t *none = json_array();
    v->rows_rc = v->svc->store->ops->log_latest_each(v->svc->store, verify_latest, v);
    if (v->rows_rc == 0)
        v->rows_rc = v->svc->store->ops->query_each(v->svc->store, NT_Q_log_unlogged, none, unlogged_cb, v);
    json_decref(none);
    return NULL;
}

/* A checkpoint against the rebuilt tree: signature, and root at its size. */
static bool verify_checkpoint(verifier *v, const nt_note_verifier *key, const char *note, const char *what, uint64_t *size_out)
{
    size_t text_len = 0;
    char origin[256];
    uint64_t size = 0;
    nt_hash root, mine;
    if (nt_note_verify(key, note, strlen(note), &text_len) != 0) {
        say(v, true, "%s: not signed by the log key %s+%08x", what, key->name, key->hash);
        return false;
    }
    if (nt_checkpoint_parse(note, text_len, origin, sizeof(origin), &size, &root) != 0) {
        say(v, true, "%s: not a checkpoint", what);
        return false;
    }
    *size_out = size;
    if (size > v->t.tree.size) {
        say(v, true, "%s: covers %llu entries but the database holds %llu", what, (unsigned long long)size,
            (unsigned long long)v->t.tree.size);
        return false;
    }
    nt_mtree_root(&v->t.tree, size, &mine);
    if (memcmp(mine.b, root.b, NT_HASH_LEN) != 0) {
        say(v, true, "%s: the entries in the database do not hash to its root (size %llu)", what, (unsigned long long)size);
        return false;
    }
    return true;
}

int nt_svc_log_verify(nt_svc *svc, const char *pub, const char *old_checkpoint,
                      void (*report)(void *arg, bool bad, const char *line), void *arg, nt_log_verify_result *res)
{
    void (*progress)(void *, uint64_t, uint64_t) = res->progress;
    void *progress_arg = res->progress_arg;
    memset(res, 0, sizeof(*res));
    res->progress = progress;
    res->progress_arg = progress_arg;
    int64_t log_size = 0; /* about: the latest checkpoint's */
    char *latest = NULL;
    if (svc->store->ops->log_checkpoint_latest(svc->store, &log_size, &latest) != 0)
        log_size = 0;
    free(latest);
    verifier v = {.svc = svc, .redacted = json_object(), .say = report, .arg = arg, .res = res, .total = 2 * (uint64_t)log_size};
    nt_note_verifier key;
    int rc = 0;
    if (nt_note_verifier_parse(pub, &key) != 0) {
        say(&v, true, "the log public key cannot be read");
        rc = NT_EINVAL;
    }
    pthread_mutex_init(&v.say_lock, NULL);
    pthread_t rows;
    bool rows_started = rc == 0 && pthread_create(&rows, NULL, compare_rows, &v) == 0;
    if (rc == 0 && !rows_started)
        compare_rows(&v);
    step(&v, 0);
    if (rc == 0)
        rc = svc->store->ops->log_each(svc->store, 0, verify_entry, &v);
    if (rc == 0)
        rc = svc->store->ops->log_records_each(svc->store, 0, verify_record, &v);
    if (rc == 0 && progress != NULL) {
        v.total = 2 * v.t.tree.size; /* as it turned out */
        progress(progress_arg, v.total, v.total);
    }
    if (rows_started)
        pthread_join(rows, NULL);
    if (rc == 0)
        rc = v.rows_rc;
    for (uint64_t i = 0; rc == 0 && i < v.t.tree.size; i++)
        if (v.present[i] && !v.has_record[i]) {
            char name[160];
            entry_name(&v, i, name, sizeof(name));
            say(&v, true, "%s: its record and salt are missing from the log_records table", name);
        }
    if (rc == 0) {
        int64_t size = 0;
        char *note = NULL;
        if (svc->store->ops->log_checkpoint_latest(svc->store, &size, &note) != 0) {
            if (v.t.tree.size > 0)
                say(&v, true, "no checkpoint is stored for a log of %llu entries", (unsigned long long)v.t.tree.size);
        } else {
            char what[64];
            snprintf(what, sizeof(what), "the latest checkpoint (size %lld)", (long long)size);
            uint64_t s = 0;
            if (verify_checkpoint(&v, &key, note, what, &s))
                res->checkpoint_size = s;
            if (s < v.t.tree.size && res->checkpoint_size == s)
                say(&v, false, "%llu entries after the latest checkpoint are not signed yet (the server signs them when it runs)",
                    (unsigned long long)(v.t.tree.size - s));
        }
        free(note);
        uint64_t s = 0;
        if (old_checkpoint != NULL && verify_checkpoint(&v, &key, old_checkpoint, "the saved checkpoint", &s))
            say(&v, false, "the saved checkpoint (size %llu) is consistent with the log", (unsigned long long)s);
    }
    json_decref(v.redacted);
    nt_mtree_free(&v.t.tree);
    free(v.t.ent);
    free(v.t.off);
    free(v.present);
    free(v.has_record);
    pthread_mutex_destroy(&v.say_lock);
    return rc;
}
