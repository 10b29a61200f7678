/* The storage interface: a table of operations chosen at start-up.
 *
 * Every write runs in one transaction that also appends an audit row (who,
 * when, what, request id), a row in the monotonic change sequence (entity,
 * id, op) and, for a POST carrying an Idempotency-Key, the response to replay.
 * Reads return jansson objects built from rows; the caller owns them and
 * releases them with json_decref. All SQL lives in this directory. */
#ifndef NT_STORE_STORE_H
#define NT_STORE_STORE_H
#include "core/err.h"
#include "core/text.h"
#include "core/util.h"
#include "store/queries.h"
#include "store/tables.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct nt_store nt_store;

/** What a write did: the transparency log entries it appended, first .. first + count - 1 (one
 * writer at a time, so a transaction's entries are contiguous), and whether its idempotency
 * record is written (a write of several transactions records it with the first). */
typedef struct nt_logged {
    int64_t first;
    int count;
    bool idem_recorded;
} nt_logged;

/** Context of a write: recorded in the audit row and, if idem_key is set, in one idempotency record
 * written in the write's transaction (idem_created and idem_response as the first changed row finds
 * them: what to answer should the answer's own bytes be lost; see nt_store_ops.idem_answer). */
typedef struct nt_wctx {
    const char *key_id;     /* the API key, or "cli:<user>" for the command line */
    const char *request_id; /* may be NULL */
    const char *at;         /* RFC 3339 UTC time of the write */
    const char *idem_scope; /* who the Idempotency-Key belongs to (key id or client address) */
    const char *idem_key;
    const char *idem_hash;     /* hash of method, route and body */
    bool idem_created;         /* the write created the resource it answers with */
    const char *idem_response; /* JSON of the resource to replay */
    nt_logged *logged;         /* if set: filled with the log entries the write appended */
} nt_wctx;

/** A write's idempotency record: what the write recorded in its transaction, and once sent, the
 * exact answer. Owned strings; nt_idem_record_free releases them. */
typedef struct nt_idem_record {
    char request_hash[65];
    bool created;                       /* the write created its resource */
    int status;                         /* of the answer kept (0 until then) */
    char *response;                     /* the resource the service recorded, or NULL */
    char entity_id[NT_HANDLE_MAX + 32]; /* the first row the write changed */
    nt_logged logged;                   /* the log entries it appended */
    bool answered;                      /* the answer below was kept */
    char *headers;                      /* JSON object, or NULL */
    char *answer;                       /* NUL-terminated; answer_len bytes */
    size_t answer_len;
} nt_idem_record;

void nt_idem_record_free(nt_idem_record *r);

typedef struct nt_org {
    char id[NT_ID_LEN];
    const char *name;
    const char *kind;
    const char *platform; /* for kind "platform": the platform it speaks for */
    const char *status;
} nt_org;

typedef struct nt_person {
    char id[NT_ID_LEN];
    const char *legal_name;   /* NFC */
    const char *search_key;   /* of the legal name */
    const char *tokens;       /* distinct tokens of name and aliases, space-separated */
    const char *aliases_json; /* JSON array of NFC strings */
    const char *kind;
    int birth_year; /* 0: unknown */
    const char *gender;
    const char *province;
    const char *nid_hash; /* hex keyed hash, or NULL */
    bool keep_nid;        /* update: leave the stored hash as it is */
    int log;              /* update: the log entry it appends (NT_LOG_PERSON_IDENTITY), or 0 */
    const char *created_by;
    int64_t version;
} nt_person;

typedef struct nt_account {
    const char *platform;
    char handle[NT_HANDLE_MAX]; /* normalised */
    const char *display_handle;
    const char *person_id;
    const char *platform_user_id;
    const char *url;
    int64_t followers; /* -1: unknown */
    const char *verified_by;
    const char *claimed_by;
} nt_account;

typedef struct nt_key {
    char id[NT_ID_LEN];
    const char *secret_hash;
    const char *role;
    const char *org_id;
    const char *person_id;
    const char *label;
} nt_key;

/* A record appended to the log by itself (nt_store_ops.log_append). */
typedef struct nt_log_item {
    int type;              /* nt_log_type */
    const char *record_id; /* [A-Za-z0-9_-], at most 64 */
    const char *record;    /* RFC 8785 JSON */
} nt_log_item;

typedef struct nt_store_stats {
    int64_t db_bytes;
    int64_t persons;
    int64_t accounts;
    int64_t orgs;
    int64_t keys;
    int64_t change_seq;
} nt_store_stats;

/** The values of one row, by column (store/tables.h); each value owned. Columns not set are left
 * as they are (update) or take their default (insert). */
#define NT_ROW_COLS 24
typedef struct nt_row {
    nt_table table;
    int n;
    nt_col col[NT_ROW_COLS];
    json_t *val[NT_ROW_COLS]; /* objects and arrays are stored as their JSON text */
} nt_row;

/** Sets a column (replacing a value set before); `v` is stolen. NT_ASSERT: the column is the row's table's. */
void nt_row_set(nt_row *r, nt_col c, json_t *v);
void nt_row_str(nt_row *r, nt_col c, const char *s); /* NULL: SQL NULL */
void nt_row_int(nt_row *r, nt_col c, int64_t v);
void nt_row_bool(nt_row *r, nt_col c, bool v);
/** The value set for a column, or NULL (borrowed). */
const json_t *nt_row_get(const nt_row *r, nt_col c);
/** A new JSON object of the columns set, by their names. */
json_t *nt_row_object(const nt_row *r);
void nt_row_clear(nt_row *r);

/* A row written by the generic write operation (the due-process, advertising and outbox tables):
 * an insert, an update of the row `id` guarded by a column's value, or its deletion (a member of
 * the trusted network leaving: nothing of them is kept). */
typedef struct nt_write {
    enum { NT_WRITE_INSERT, NT_WRITE_UPDATE, NT_WRITE_DELETE, NT_WRITE_NAMED } kind;
    char id[NT_ID_LEN];        /* the row's id (inserted or updated) */
    nt_row values;             /* its table and columns */
    nt_col guard;              /* update only if this column (NT_COL_NONE: no guard) ... */
    bool guard_null;           /* ... IS NULL, or ... */
    char guard_val[NT_ID_LEN]; /* ... holds this value; else NT_ESTALE */
    const char *entity;        /* for the change sequence: "case", "sanction", ...; NULL: no change row */
    const char *action;        /* for the audit row; NULL: a change row only */
    int log;                   /* the log entry this row's write appends (nt_log_type), or 0: none */
    /* NT_WRITE_NAMED: a named statement of the backend's run with params (a JSON array, owned) in
     * the write's transaction — rows made from other rows in bulk (a notice's fan-out), never
     * held in memory one by one. Bookkeeping: no audit, change or log row of its own. */
    nt_query named;
    json_t *params;
} nt_write;

struct nt_store_ops {
    const char *name;
    int (*open)(const char *dsn, bool create, nt_store **out, nt_err *err);
    void (*close)(nt_store *s);
    int (*migrate)(nt_store *s, nt_err *err);
    int (*ping)(nt_store *s);

    /* Upper bounds of what this process's own writes committed: no change row above change_seq, no
     * log entry at or above log_size (0 when it wrote none). A write's catch-up that already
     * reached them has nothing to read. */
    void (*committed)(nt_store *s, int64_t *change_seq, int64_t *log_size);

    /* Idempotency: the record of a key (the caller frees it with nt_idem_record_free), or NT_ENOTFOUND. */
    int (*idem_get)(nt_store *s, const char *scope, const char *key, nt_idem_record *out);
    /* Keeps the exact answer to a key's write once it is sent: status, headers (a JSON object of the
     * headers that matter), body. Does nothing for a key without a record or already answered. */
    int (*idem_answer)(nt_store *s, const char *scope, const char *key, int status, const char *headers, const char *body,
                       size_t len, const char *at);

    int (*org_put)(nt_store *s, const nt_wctx *w, const nt_org *o, nt_err *err);
    int (*org_get)(nt_store *s, const char *id, json_t **out);
    int (*org_list)(nt_store *s, const char *after, int limit, json_t **out);

    int (*key_put)(nt_store *s, const nt_wctx *w, const nt_key *k, nt_err *err);
    int (*key_get)(nt_store *s, const char *id, json_t **out); /* includes secret_hash */
    int (*key_list)(nt_store *s, const char *after, int limit, json_t **out);
    int (*key_revoke)(nt_store *s, const nt_wctx *w, const char *id, nt_err *err);
    int (*key_touch)(nt_store *s, const char *id, const char *at);
    /* A web session's last use (seen_at), written with the next group like a key's. */
    int (*session_touch)(nt_store *s, const char *id, const char *at);
    /* An audit row alone, in a write of its own: something refused that must leave a trace. */
    int (*audit)(nt_store *s, const nt_wctx *w, const char *action, const char *entity, const char *id, nt_err *err);

    /* NT_ECONFLICT with conflict_id when the id or the national-ID hash exists. */
    int (*person_put)(nt_store *s, const nt_wctx *w, const nt_person *p, nt_err *err);
    /* NT_ESTALE when the stored version is not p->version - 1. */
    int (*person_update)(nt_store *s, const nt_wctx *w, const nt_person *p, nt_err *err);
    int (*person_get)(nt_store *s, const char *id, json_t **out);
    int (*person_by_nid)(nt_store *s, const char *nid_hash, char id[NT_ID_LEN]);
    /* Persons having every token (all persons when ntokens is 0), by id after the cursor. */
    int (*person_search)(nt_store *s, char *const *tokens, int ntokens, const char *after, int limit, json_t **out);

    /* Bulk import: one transaction around many puts. Each entity gets its change row; the import
     * as a whole gets one audit row, written by bulk_end with the summary. A put_account conflict
     * is NT_ECONFLICT and leaves the transaction usable. */
    int (*bulk_begin)(nt_store *s, nt_err *err);
    int (*bulk_person)(nt_store *s, const nt_wctx *w, const nt_person *p, nt_err *err);
    int (*bulk_account)(nt_store *s, const nt_wctx *w, const nt_account *a, nt_err *err);
    int (*bulk_end)(nt_store *s, const nt_wctx *w, const char *summary, bool commit, nt_err *err);

    /* Inserts; or, with attest, marks an existing link to the same person verified. */
    int (*account_put)(nt_store *s, const nt_wctx *w, const nt_account *a, bool attest, bool *updated, nt_err *err);
    int (*account_get)(nt_store *s, const char *platform, const char *handle, json_t **out);
    int (*account_delete)(nt_store *s, const nt_wctx *w, const char *platform, const char *handle, nt_err *err);
    int (*account_list)(nt_store *s, const char *person_id, json_t **out);

    /* The change sequence after a number, oldest first: [{seq, entity, entity_id, op}]. */
    int (*changes_since)(nt_store *s, int64_t after, int limit, json_t **out);

    /* Writes the rows in one transaction, each with its change row (and audit row when it names an
     * action). NT_ESTALE when a guarded update finds the guard no longer holds; NT_ECONFLICT on a
     * uniqueness clash. */
    int (*write)(nt_store *s, const nt_wctx *w, nt_write *const *rows, size_t n, nt_err *err);
    /* Runs a named read (store/queries.h) with positional parameters (a JSON array of strings,
     * integers or nulls); out is an array of row objects. */
    int (*query)(nt_store *s, nt_query q, const json_t *params, json_t **out);
    /* The same, a row at a time (for reads too large to hold at once); fn's row is borrowed. */
    int (*query_each)(nt_store *s, nt_query q, const json_t *params, void (*fn)(void *arg, const json_t *row), void *arg);

    /* ---- the transparency log (docs/LOG.md) ----
     * Rows that name a log type (nt_write.log) append their entry in
     * their own transaction: the record (RFC 8785 JSON of the row), a fresh salt, the commitment
     * and the entry bytes. */
    /* Entries from index `from` in order: fn gets each one's index and bytes. */
    int (*log_each)(nt_store *s, int64_t from, int (*fn)(void *arg, int64_t idx, const unsigned char *entry, size_t len),
                    void *arg);
    /* The private side of each entry from `from`: table, key, salt (NULL once redacted), record
     * (NULL once redacted). fn's strings are borrowed. */
    int (*log_records_each)(nt_store *s, int64_t from,
                            int (*fn)(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                                      const char *record),
                            void *arg);
    /* For each logged row, its latest entry: table, key, salt (NULL once redacted) and the entry's
     * bytes (len 0 when the entry itself is gone), in no particular order. */
    int (*log_latest_each)(nt_store *s,
                           int (*fn)(void *arg, int64_t idx, const char *table, const char *key, const unsigned char *salt,
                                     const unsigned char *entry, size_t len),
                           void *arg);
    /* The canonical record (RFC 8785 text, malloc'd) a row would be logged with now: the row as
     * stored, every column, JSON columns as their text. NT_ENOTFOUND when the row is gone. */
    int (*log_live_record)(nt_store *s, const char *table, const char *key, char **out);
    /* Appends, in one transaction, entries for records that live only in the log's own table (no
     * row elsewhere to compare with): lists published through the log. */
    int (*log_append)(nt_store *s, const nt_wctx *w, const nt_log_item *items, size_t n, nt_err *err);
    int (*log_checkpoint_put)(nt_store *s, int64_t size, const char *note, const char *at, nt_err *err);
    /* The checkpoint of the largest size (*note malloc'd), or NT_ENOTFOUND. */
    int (*log_checkpoint_latest)(nt_store *s, int64_t *size, char **note);
    /* Redacts record_id: in one transaction, the redaction row, the removal of the record's
     * personal content and of the salts and records of its entries, and the redaction entry. */
    int (*log_redact)(nt_store *s, const nt_wctx *w, const char *redaction_id, const char *record_id, const char *legal_basis,
                      const char *reason, nt_err *err);

    /* Makes durable writes skip copying the write-ahead log into the database, and does that copy
     * now: a server calls it from a background thread every 200 ms, so that no request waits
     * for it. 1 when much is still to copy (call again soon), 0, or an error. A backend without
     * such a log does nothing. */
    int (*checkpoint)(nt_store *s);

    /* Waits up to ms for another process's write to commit: 1 when one did (PostgreSQL tells its
     * listeners, NOTIFY at each commit), 0 when none did in time, -1 at once when the store cannot
     * tell (SQLite): the caller polls. */
    int (*wait_change)(nt_store *s, int ms);
    /* Whether this process leads the time-driven work (webhook delivery, sanctions' start and end
     * events, ads' and certificates' reconciliation), which runs once across the servers of one
     * database. PostgreSQL: a session advisory lock, held by one server until it stops or its
     * connection is lost (then another takes it within a round). SQLite: always (one machine). */
    bool (*lead)(nt_store *s);

    int (*stats)(nt_store *s, nt_store_stats *out);
    int (*backup)(nt_store *s, const char *path, nt_err *err);
};

struct nt_store {
    const struct nt_store_ops *ops;
    /* A store on a read-only copy (a PostgreSQL hot standby): writes fail with NT_EREADONLY, small
     * deferred writes are dropped, and it never leads the time-driven work. */
    bool read_only;
};

/** Whether a DSN names a PostgreSQL database (postgres:// or postgresql://) rather than a SQLite file. */
bool nt_store_is_postgres(const char *dsn);

/** Opens a store by DSN: a file path (SQLite) or a PostgreSQL URL. create: allow making a new
 * SQLite file (a PostgreSQL database is made by its operator). */
int nt_store_open(const char *dsn, bool create, nt_store **out, nt_err *err);

/** Copies every row of a SQLite store into an empty PostgreSQL one (migrated to the same schema),
 * in one transaction of the target. progress(arg, NULL, all rows, false) first, then (arg, table,
 * its rows so far, false) as they go and (arg, table, its rows, true) after each table. */
int nt_store_copy(nt_store *from, nt_store *to, void (*progress)(void *arg, const char *table, int64_t rows, bool table_done),
                  void *arg, nt_err *err);

/** Whether a statement on this thread found the database unreachable (PostgreSQL away) since the
 * last clear: a request whose reads failed so must not answer "not found" or an empty list, but
 * 503. clear: reset it (at a request's start). */
bool nt_store_unreachable(bool clear);

/** Closes it; every connection any thread opened is closed. */
void nt_store_close(nt_store *s);

extern const struct nt_store_ops nt_store_sqlite_ops;

#endif
