/* The transparency log's in-memory state and its use cases; see tlog.h. */
#include "core/alloc.h"
#include "service/tlog.h"
#include "service/commit.h"
#include "core/schema.h"
#include "core/util.h"
#include "log/note.h"
#include "log/tiles.h"
#include "log/tree.h"
#include "log/jcs.h"
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nt_tlog {
    pthread_rwlock_t rw;       /* readers: tiles, proofs, the checkpoint; the writer: appending */
    pthread_mutex_t sync_lock; /* one catch-up at a time */
    nt_mtree tree;
    unsigned char *ent; /* the entries' bytes, back to back */
    size_t ent_len, ent_cap;
    uint64_t *off; /* off[i]: where entry i starts; off[size]: ent_len */
    uint64_t off_cap;
    bool have_signer;
    nt_note_signer signer;
    nt_note_verifier verifier;
    char pub[512];
    char *checkpoint; /* the latest signed one */
    size_t checkpoint_len;
    uint64_t cp_size;
    bool broken;
    char why[512];
};

static int add_entry(struct nt_tlog *t, const unsigned char *e, size_t len)
{
    if (t->ent_len + len > t->ent_cap) {
        size_t cap = (t->ent_len + len) * 2 + 4096;
        unsigned char *p = nt_xrealloc(t->ent, cap);
        if (p == NULL)
            return -1;
        t->ent = p;
        t->ent_cap = cap;
    }
    if (t->tree.size + 2 > t->off_cap) {
        uint64_t cap = (t->tree.size + 2) * 2;
        uint64_t *p = nt_xrealloc(t->off, cap * sizeof(*p));
        if (p == NULL)
            return -1;
        t->off = p;
        t->off_cap = cap;
    }
    nt_hash leaf;
    nt_merkle_leaf_hash(e, len, &leaf);
    if (nt_mtree_append(&t->tree, &leaf) != 0)
        return -1;
    memcpy(t->ent + t->ent_len, e, len);
    t->off[t->tree.size - 1] = t->ent_len;
    t->ent_len += len;
    t->off[t->tree.size] = t->ent_len;
    return 0;
}

typedef struct loading {
    struct nt_tlog *t;
    bool locked; /* take the write lock per entry (a live log) */
} loading;

static int load_one(void *arg, int64_t idx, const unsigned char *entry, size_t len)
{
    loading *l = arg;
    struct nt_tlog *t = l->t;
    if ((uint64_t)idx != t->tree.size) {
        t->broken = true;
        snprintf(t->why, sizeof(t->why), "log entry %llu is missing from the database (the next stored is %lld)",
                 (unsigned long long)t->tree.size, (long long)idx);
        return 1;
    }
    if (l->locked)
        pthread_rwlock_wrlock(&t->rw);
    int rc = add_entry(t, entry, len);
    if (l->locked)
        pthread_rwlock_unlock(&t->rw);
    return rc != 0 ? NT_ENOMEM : 0;
}

/* Signs and stores a checkpoint of the whole tree, if it grew. Called with sync_lock held. */
static int sign(nt_svc *svc, nt_err *err)
{
    struct nt_tlog *t = svc->tlog;
    if (t->broken || !t->have_signer || (t->checkpoint != NULL && t->tree.size == t->cp_size))
        return 0;
    uint64_t size = t->tree.size;
    nt_hash root;
    nt_mtree_root(&t->tree, size, &root);
    char text[512];
    nt_checkpoint_text(text, sizeof(text), t->signer.name, size, &root);
    char *note = nt_note_sign(&t->signer, text, strlen(text));
    if (note == NULL)
        return nt_err_set(err, NT_ENOMEM, "cannot sign the checkpoint", "không ký được checkpoint");
    char at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    int rc = svc->store->ops->log_checkpoint_put(svc->store, (int64_t)size, note, at, err);
    if (rc != 0) {
        free(note);
        return rc;
    }
    pthread_rwlock_wrlock(&t->rw);
    free(t->checkpoint);
    t->checkpoint = note;
    t->checkpoint_len = strlen(note);
    t->cp_size = size;
    pthread_rwlock_unlock(&t->rw);
    return 0;
}

/* A secret file's first line, or "" */
static void read_line(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    if (fgets(out, (int)cap, f) == NULL)
        out[0] = '\0';
    fclose(f);
}

/* Checks the latest stored checkpoint against the tree; marks the log broken if they differ. */
static void check_stored(nt_svc *svc)
{
    struct nt_tlog *t = svc->tlog;
    bool was_broken = t->broken;
    char why[sizeof(t->why)];
    memcpy(why, t->why, sizeof(why));
    int64_t size = 0;
    char *note = NULL;
    if (svc->store->ops->log_checkpoint_latest(svc->store, &size, &note) != 0)
        return; /* none yet: the first sync signs one */
    size_t text_len = 0;
    char origin[256];
    uint64_t cp_size = 0;
    nt_hash root, mine;
    if (nt_note_verify(&t->verifier, note, strlen(note), &text_len) != 0) {
        t->broken = true;
        snprintf(t->why, sizeof(t->why), "the latest checkpoint (size %lld) is not signed by the log key %s", (long long)size,
                 t->verifier.name);
    } else if (nt_checkpoint_parse(note, text_len, origin, sizeof(origin), &cp_size, &root) != 0 || (int64_t)cp_size != size) {
        t->broken = true;
        snprintf(t->why, sizeof(t->why), "the latest checkpoint (size %lld) cannot be read", (long long)size);
    } else if (cp_size > t->tree.size) {
        t->broken = true;
        snprintf(t->why, sizeof(t->why), "the latest checkpoint has %llu entries but the database only %llu",
                 (unsigned long long)cp_size, (unsigned long long)t->tree.size);
    } else {
        nt_mtree_root(&t->tree, cp_size, &mine);
        if (memcmp(mine.b, root.b, NT_HASH_LEN) != 0) {
            t->broken = true;
            snprintf(t->why, sizeof(t->why),
                     "the entries in the database do not hash to the root of the latest checkpoint (size %llu)",
                     (unsigned long long)cp_size);
        }
    }
    t->checkpoint = note;
    t->checkpoint_len = strlen(note);
    t->cp_size = (uint64_t)size;
    if (was_broken) { /* the first finding is the one to report */
        t->broken = true;
        memcpy(t->why, why, sizeof(why));
    }
}

int nt_svc_log_open(nt_svc *svc, nt_err *err)
{
    if (svc->tlog != NULL)
        return 0;
    struct nt_tlog *t = nt_xcalloc(1, sizeof(*t));
    if (t == NULL)
        return NT_ENOMEM;
    pthread_rwlock_init(&t->rw, NULL);
    pthread_mutex_init(&t->sync_lock, NULL);
    char line[1024];
    read_line(svc->log_key_path, line, sizeof(line));
    t->have_signer = nt_note_signer_parse(line, &t->signer) == 0;
    sodium_memzero(line, sizeof(line));
    read_line(svc->log_pub_path, t->pub, sizeof(t->pub));
    if (nt_note_verifier_parse(t->pub, &t->verifier) != 0) {
        t->broken = true;
        snprintf(t->why, sizeof(t->why), "no log public key (log.pub); run niemtin init");
    } else if (!t->have_signer) {
        t->broken = true;
        snprintf(t->why, sizeof(t->why), "no log private key (log.key): checkpoints cannot be signed");
    }
    svc->tlog = t;
    loading l = {t, false};
    int rc = svc->store->ops->log_each(svc->store, 0, load_one, &l);
    if (rc == NT_ENOMEM || rc < 0 || (rc != 0 && rc != 1))
        return nt_err_set(err, NT_EIO, "cannot read the log", "không đọc được nhật ký");
    check_stored(svc); /* even when broken: the stored checkpoint is what monitors must compare with */
    pthread_mutex_lock(&t->sync_lock);
    rc = sign(svc, err);
    pthread_mutex_unlock(&t->sync_lock);
    return rc;
}

int nt_svc_log_sync(nt_svc *svc, nt_err *err)
{
    if (svc->tlog == NULL)
        return nt_svc_log_open(svc, err);
    struct nt_tlog *t = svc->tlog;
    pthread_mutex_lock(&t->sync_lock);
    int rc = 0;
    if (!t->broken) {
        loading l = {t, true};
        rc = svc->store->ops->log_each(svc->store, (int64_t)t->tree.size, load_one, &l);
        rc = rc == 1 ? 0 : rc;
        if (rc == 0)
            rc = sign(svc, err);
    }
    pthread_mutex_unlock(&t->sync_lock);
    return rc;
}

bool nt_svc_log_covers(nt_svc *svc, int64_t size)
{
    struct nt_tlog *t = svc->tlog;
    if (t == NULL)
        return false;
    pthread_rwlock_rdlock(&t->rw);
    bool covered = t->checkpoint != NULL && (int64_t)t->cp_size >= size;
    pthread_rwlock_unlock(&t->rw);
    return covered;
}

bool nt_svc_log_broken(nt_svc *svc, char *why, size_t cap)
{
    if (svc->tlog == NULL || !svc->tlog->broken)
        return false;
    if (why != NULL)
        nt_strlcpy(why, svc->tlog->why, cap);
    return true;
}

void nt_svc_log_free(nt_svc *svc)
{
    struct nt_tlog *t = svc->tlog;
    if (t == NULL)
        return;
    nt_mtree_free(&t->tree);
    free(t->ent);
    free(t->off);
    free(t->checkpoint);
    sodium_memzero(&t->signer, sizeof(t->signer));
    pthread_rwlock_destroy(&t->rw);
    pthread_mutex_destroy(&t->sync_lock);
    free(t);
    svc->tlog = NULL;
}

int nt_svc_log_checkpoint(nt_svc *svc, char **note, size_t *len, uint64_t *size)
{
    struct nt_tlog *t = svc->tlog;
    if (t == NULL)
        return NT_ENOTFOUND;
    pthread_rwlock_rdlock(&t->rw);
    int rc = NT_ENOTFOUND;
    if (t->checkpoint != NULL) {
        *note = nt_xmalloc(t->checkpoint_len + 1);
        if (*note != NULL) {
            memcpy(*note, t->checkpoint, t->checkpoint_len + 1);
            *len = t->checkpoint_len;
            *size = t->cp_size;
            rc = 0;
        } else {
            rc = NT_ENOMEM;
        }
    }
    pthread_rwlock_unlock(&t->rw);
    return rc;
}

const char *nt_svc_log_key(nt_svc *svc)
{
    return svc->tlog ? svc->tlog->pub : "";
}

int nt_svc_log_tile(nt_svc *svc, int level, uint64_t n, unsigned width, unsigned char **out, size_t *len)
{
    struct nt_tlog *t = svc->tlog;
    if (t == NULL)
        return NT_ENOTFOUND;
    pthread_rwlock_rdlock(&t->rw);
    const nt_hash *hashes = NULL;
    unsigned have = 0;
    int rc = nt_mtree_tile(&t->tree, t->cp_size, level < 0 ? 0 : level, n, &hashes, &have) == 0 && width <= have ? 0 : NT_ENOTFOUND;
    if (rc == 0 && level >= 0) {
        *len = (size_t)width * NT_HASH_LEN;
        *out = nt_xmalloc(*len);
        if (*out != NULL)
            memcpy(*out, hashes, *len);
    } else if (rc == 0) {
        uint64_t first = n * NT_TILE_WIDTH;
        *len = (size_t)(t->off[first + width] - t->off[first]) + 2 * (size_t)width;
        *out = nt_xmalloc(*len);
        for (uint64_t i = first, o = 0; *out != NULL && i < first + width; i++) {
            size_t el = (size_t)(t->off[i + 1] - t->off[i]);
            (*out)[o] = (unsigned char)(el >> 8);
            (*out)[o + 1] = (unsigned char)el;
            memcpy(*out + o + 2, t->ent + t->off[i], el);
            o += 2 + el;
        }
    }
    pthread_rwlock_unlock(&t->rw);
    return rc != 0 ? rc : (*out == NULL ? NT_ENOMEM : 0);
}

static json_t *b64_hash(const nt_hash *h)
{
    char b[sodium_base64_ENCODED_LEN(NT_HASH_LEN, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b, sizeof(b), h->b, NT_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
    return json_string(b);
}

static json_t *hash_list(const nt_hash *h, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, b64_hash(&h[i]));
    return a;
}

static int no_log(nt_err *err)
{
    return nt_err_set(err, NT_ENOTFOUND, "the log has no checkpoint yet", "nhật ký chưa có checkpoint");
}

/* What proofs can cover: the checkpoint's tree (less if the stored entries fall short of it).
 * Called with the read lock held. */
static uint64_t provable(const struct nt_tlog *t)
{
    return t->cp_size < t->tree.size ? t->cp_size : t->tree.size;
}

int nt_svc_log_inclusion(nt_svc *svc, uint64_t index, uint64_t size, json_t **out, nt_err *err)
{
    struct nt_tlog *t = svc->tlog;
    if (t == NULL || t->checkpoint == NULL)
        return no_log(err);
    pthread_rwlock_rdlock(&t->rw);
    uint64_t avail = provable(t);
    if (size == 0)
        size = avail;
    int rc = 0;
    if (size > avail)
        rc = nt_err_field(err, "size", "too_large", (long)avail);
    else if (index >= size)
        rc = nt_err_field(err, "index", "too_large", (long)size - 1);
    if (rc == 0) {
        nt_hash proof[NT_LOG_PROOF_MAX], root;
        int n = nt_mtree_prove_inclusion(&t->tree, size, index, proof, NT_LOG_PROOF_MAX);
        nt_mtree_root(&t->tree, size, &root);
        *out = json_pack("{s:I, s:I, s:o, s:o, s:o}", "index", (json_int_t)index, "size", (json_int_t)size, "leaf_hash",
                         b64_hash(&t->tree.lvl[0][index]), "hashes", hash_list(proof, n), "root", b64_hash(&root));
        if (size == t->cp_size)
            json_object_set_new(*out, "checkpoint", json_string(t->checkpoint));
    }
    pthread_rwlock_unlock(&t->rw);
    return rc;
}

int nt_svc_log_consistency(nt_svc *svc, uint64_t from, uint64_t to, json_t **out, nt_err *err)
{
    struct nt_tlog *t = svc->tlog;
    if (t == NULL || t->checkpoint == NULL)
        return no_log(err);
    pthread_rwlock_rdlock(&t->rw);
    uint64_t avail = provable(t);
    if (to == 0)
        to = avail;
    int rc = 0;
    if (to > avail)
        rc = nt_err_field(err, "to", "too_large", (long)avail);
    else if (from > to)
        rc = nt_err_field(err, "from", "too_large", (long)to);
    if (rc == 0) {
        nt_hash proof[NT_LOG_PROOF_MAX], r1, r2;
        int n = nt_mtree_prove_consistency(&t->tree, from, to, proof, NT_LOG_PROOF_MAX);
        nt_mtree_root(&t->tree, from, &r1);
        nt_mtree_root(&t->tree, to, &r2);
        *out = json_pack("{s:I, s:I, s:o, s:o, s:o}", "from", (json_int_t)from, "to", (json_int_t)to, "hashes", hash_list(proof, n),
                         "from_root", b64_hash(&r1), "to_root", b64_hash(&r2));
        if (to == t->cp_size)
            json_object_set_new(*out, "checkpoint", json_string(t->checkpoint));
    }
    pthread_rwlock_unlock(&t->rw);
    return rc;
}

/* Called with the read lock held. */
static char *receipt_locked(struct nt_tlog *t, uint64_t index)
{
    if (t->checkpoint == NULL || index >= t->cp_size)
        return NULL;
    nt_hash proof[NT_LOG_PROOF_MAX];
    int n = nt_mtree_prove_inclusion(&t->tree, t->cp_size, index, proof, NT_LOG_PROOF_MAX);
    if (n < 0)
        return NULL;
    return nt_tlog_proof_format(index, proof, (size_t)n, t->ent + t->off[index], (size_t)(t->off[index + 1] - t->off[index]),
                                t->checkpoint);
}

char *nt_svc_log_receipt(nt_svc *svc, uint64_t index)
{
    struct nt_tlog *t = svc->tlog;
    if (t == NULL)
        return NULL;
    pthread_rwlock_rdlock(&t->rw);
    char *r = receipt_locked(t, index);
    pthread_rwlock_unlock(&t->rw);
    return r;
}

static json_t *entry_json(struct nt_tlog *t, uint64_t i)
{
    nt_log_entry e;
    if (nt_log_entry_decode(t->ent + t->off[i], (size_t)(t->off[i + 1] - t->off[i]), &e) != 0)
        return json_pack("{s:I, s:s}", "index", (json_int_t)i, "type", "unreadable");
    char at[NT_TIME_LEN];
    nt_time_utc(e.at_ms * 1000, at);
    return json_pack("{s:I, s:s, s:s, s:s}", "index", (json_int_t)i, "type", nt_log_type_name(e.type), "record_id", e.record_id,
                     "at", at);
}

json_t *nt_svc_log_receipts(nt_svc *svc, const nt_logged *l)
{
    json_t *a = json_array();
    struct nt_tlog *t = svc->tlog;
    if (t == NULL || l == NULL)
        return a;
    pthread_rwlock_rdlock(&t->rw);
    for (int k = 0; k < l->count; k++) {
        uint64_t i = (uint64_t)(l->first + k);
        if (i >= t->tree.size)
            break;
        json_t *o = entry_json(t, i);
        char *r = receipt_locked(t, i);
        json_object_set_new(o, "receipt", r ? json_string(r) : json_null());
        free(r);
        json_array_append_new(a, o);
    }
    pthread_rwlock_unlock(&t->rw);
    return a;
}

/* ---- redaction ---- */

static const nt_field redaction_spec[] = {
    {"record_id", NT_FT_STR, NT_F_REQUIRED, 1, NT_LOG_ID_MAX, 0},
    {"legal_basis", NT_FT_STR, NT_F_REQUIRED, 3, 500, 0},
    {"reason", NT_FT_STR, NT_F_NULLABLE, 0, 2000, 0},
};

static int redact_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    const char *const *a = arg; /* redaction id, record id, legal basis, reason */
    return st->ops->log_redact(st, w, a[0], a[1], a[2], a[3], err);
}

int nt_svc_redaction_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, redaction_spec, sizeof(redaction_spec) / sizeof(redaction_spec[0]), "", err) != 0)
        return NT_EINVAL;
    char id[NT_ID_LEN];
    nt_id_new("red_", id, sizeof(id));
    const char *record_id = nt_json_str(in, "record_id");
    json_t *res = json_pack("{s:s, s:s, s:s, s:s?, s:s}", "id", id, "record_id", record_id, "legal_basis",
                            nt_json_str(in, "legal_basis"), "reason", nt_json_str(in, "reason"), "at", w->at);
    const char *args[] = {id, record_id, nt_json_str(in, "legal_basis"), nt_json_str(in, "reason")};
    nt_tx tx = {.op = redact_op, .op_arg = args};
    nt_tx_answer(&tx, res, true);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc != 0) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return 0;
}

int nt_svc_redaction_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *rows = NULL;
    json_t *p = json_pack("[s, i]", after, limit);
    int rc = svc->store->ops->query(svc->store, "redactions.page", p, &rows);
    json_decref(p);
    return nt__svc_paged(rc, rows, limit, out, err);
}

/* ---- what the public may see of the records behind entries ---- */

/* Whether a row's record is public: a published decision (not yet delisted), or a sanction of one. */
static bool record_public(nt_svc *svc, const char *table, const json_t *live)
{
    json_t *decision = NULL;
    if (strcmp(table, "sanctions") == 0) {
        json_t *p = json_pack("[s]", nt_json_str(live, "decision_id"));
        json_t *rows = NULL;
        if (svc->store->ops->query(svc->store, "decision.get", p, &rows) == 0)
            decision = json_incref(json_array_get(rows, 0));
        json_decref(p);
        json_decref(rows);
    } else if (strcmp(table, "decisions") == 0) {
        decision = json_incref((json_t *)live);
    }
    bool pub = decision != NULL && json_integer_value(json_object_get(decision, "publish")) == 1;
    int64_t delist = nt_json_time(decision, "delist_at");
    if (pub && delist != 0 && delist <= nt_now_us())
        pub = false;
    json_decref(decision);
    return pub;
}

/* One entry's disclosure: {index, record_id, type, status[, salt, record]}. status is public (salt and
 * the record's RFC 8785 text given: anyone can recompute the commitment), private, redacted, or missing (the row is gone
 * though no redaction says so). A public record's latest entry shows the row as it stands now, so an
 * edit made behind the log's back shows as a commitment that no longer matches. */
static json_t *disclose(nt_svc *svc, const json_t *row)
{
    const char *table = nt_json_str(row, "record_table"), *key = nt_json_str(row, "record_key");
    json_t *o = json_pack("{s:O, s:O, s:O}", "index", json_object_get(row, "idx"), "record_id", json_object_get(row, "record_id"),
                          "type", json_object_get(row, "type"));
    const char *salt = nt_json_str(row, "salt");
    if (salt == NULL || salt[0] == '\0') { /* hex() of NULL is "" */
        json_object_set_new(o, "status", json_string("redacted"));
        return o;
    }
    if (strcmp(table, "decisions") != 0 && strcmp(table, "sanctions") != 0) {
        json_object_set_new(o, "status", json_string("private"));
        return o;
    }
    char *live = NULL;
    json_t *live_row = NULL;
    if (svc->store->ops->log_live_record(svc->store, table, key, &live) != 0) {
        json_object_set_new(o, "status", json_string("missing"));
        return o;
    }
    if ((live_row = json_loads(live, 0, NULL)) == NULL || !record_public(svc, table, live_row)) {
        json_decref(live_row);
        free(live);
        json_object_set_new(o, "status", json_string("private"));
        return o;
    }
    json_decref(live_row);
    json_t *p = json_pack("[s, s]", table, key), *latest = NULL;
    svc->store->ops->query(svc->store, "log.latest_of", p, &latest);
    json_decref(p);
    bool is_latest =
        json_integer_value(json_object_get(json_array_get(latest, 0), "idx")) == json_integer_value(json_object_get(row, "idx"));
    json_decref(latest);
    /* The canonical text itself, so that what a client hashes is exactly what was committed to. */
    char *canon = is_latest ? live : nt_xstrdup(nt_json_str(row, "record"));
    if (!is_latest)
        free(live);
    json_object_set_new(o, "status", json_string("public"));
    json_object_set(o, "salt", json_object_get(row, "salt"));
    json_object_set_new(o, "record", canon ? json_string(canon) : json_null());
    free(canon);
    return o;
}

static int disclose_rows(nt_svc *svc, const char *query, json_t *params, json_t **items, nt_err *err)
{
    json_t *rows = NULL;
    int rc = svc->store->ops->query(svc->store, query, params, &rows);
    json_decref(params);
    if (rc != 0)
        return nt_err_set(err, NT_EIO, "cannot read the log", "không đọc được nhật ký");
    *items = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) json_array_append_new(*items, disclose(svc, row));
    json_decref(rows);
    return 0;
}

int nt_svc_log_record(nt_svc *svc, const char *record_id, json_t **out, nt_err *err)
{
    json_t *items = NULL;
    int rc = disclose_rows(svc, "log.records_of", json_pack("[s]", record_id), &items, err);
    if (rc != 0)
        return rc;
    if (json_array_size(items) == 0) {
        json_decref(items);
        return nt_err_set(err, NT_ENOTFOUND, "no log entry for %s", "không có mục nhật ký nào cho %s", record_id);
    }
    *out = json_pack("{s:s, s:o}", "record_id", record_id, "entries", items);
    return 0;
}

int nt_svc_log_records(nt_svc *svc, uint64_t from, int limit, json_t **out, nt_err *err)
{
    json_t *items = NULL;
    int rc = disclose_rows(svc, "log.records_page", json_pack("[I, i]", (json_int_t)from, limit), &items, err);
    if (rc != 0)
        return rc;
    size_t n = json_array_size(items);
    json_int_t next = n == (size_t)limit ? json_integer_value(json_object_get(json_array_get(items, n - 1), "index")) + 1 : -1;
    *out = json_pack("{s:o}", "items", items);
    json_object_set_new(*out, "next_from", next >= 0 ? json_integer(next) : json_null());
    return 0;
}

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

static int verify_entry(void *arg, int64_t idx, const unsigned char *entry, size_t len)
{
    verifier *v = arg;
    uint64_t gap_from = v->expected;
    while (v->expected < (uint64_t)idx) { /* deleted rows: keep the slot, so later indexes stay right */
        say(v, true, "entry %llu: missing from the log_entries table", (unsigned long long)v->expected);
        unsigned char none = 0;
        if (add_entry(&v->t, &none, 0) != 0)
            return NT_ENOMEM;
        v->expected++;
    }
    nt_log_entry e;
    if (nt_log_entry_decode(entry, len, &e) != 0)
        say(v, true, "entry %lld: its bytes are not a valid log entry", (long long)idx);
    if (add_entry(&v->t, entry, len) != 0)
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
    svc->store->ops->query(svc->store, "log.record_at", p, &rows);
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
        v->rows_rc = v->svc->store->ops->query_each(v->svc->store, "log.unlogged", none, unlogged_cb, v);
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
    memset(res, 0, sizeof(*res));
    verifier v = {.svc = svc, .redacted = json_object(), .say = report, .arg = arg, .res = res};
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
    if (rc == 0)
        rc = svc->store->ops->log_each(svc->store, 0, verify_entry, &v);
    if (rc == 0)
        rc = svc->store->ops->log_records_each(svc->store, 0, verify_record, &v);
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
