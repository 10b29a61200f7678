/* The transparency log's in-memory state and its use cases; see tlog.h. */
#include "core/alloc.h"
#include "service/tlog_int.h"
#include "service/commit.h"
#include "core/schema.h"
#include "core/util.h"
#include "log/entry.h"
#include "log/merkle.h"
#include "log/note.h"
#include "log/tiles.h"
#include "log/tree.h"
#include "log/jcs.h"
#include "service/query.h"
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nt__tlog_add_entry(struct nt_tlog *t, const unsigned char *e, size_t len)
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
    int rc = nt__tlog_add_entry(t, entry, len);
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
    __atomic_store_n(&svc->tlog, t, __ATOMIC_RELEASE);
    loading l = {t, false};
    int rc = svc->store->ops->log_each(svc->store, 0, load_one, &l);
    if (rc == NT_ENOMEM || rc < 0 || (rc != 0 && rc != 1))
        return nt_err_set(err, NT_EIO, "cannot read the log", "không đọc được nhật ký");
    check_stored(svc); /* even when broken: the stored checkpoint is what monitors must compare with */
    /* A checkpoint once signed here is a promise: a database whose log is now shorter (entries
     * and checkpoints deleted, or an old copy put back) must not take writes as if nothing had
     * happened. The promise's size is kept beside the database, outside it. */
    read_line(svc->log_mark_path, line, sizeof(line));
    char *end;
    unsigned long long mark = line[0] ? strtoull(line, &end, 10) : 0;
    t->mark = mark;
    if (!t->broken && mark > t->cp_size && mark > t->tree.size) {
        t->broken = true;
        snprintf(t->why, sizeof(t->why),
                 "the log was cut: a checkpoint of %llu entries was signed here, the database's log now has %llu "
                 "(entries removed, or an older copy restored; see OPERATIONS.md)",
                 mark, (unsigned long long)t->tree.size);
    }
    pthread_mutex_lock(&t->sync_lock);
    rc = sign(svc, err);
    pthread_mutex_unlock(&t->sync_lock);
    __atomic_store_n(&t->ready, true, __ATOMIC_RELEASE); /* loaded and checked: the runtime may mark it */
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

void nt_svc_log_mark(nt_svc *svc)
{
    struct nt_tlog *t = __atomic_load_n(&svc->tlog, __ATOMIC_ACQUIRE); /* another thread may be opening it */
    if (t == NULL || !__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&t->sync_lock); /* what signs checkpoints and marks the log broken holds it */
    uint64_t size = t->cp_size;
    bool broken = t->broken;
    pthread_mutex_unlock(&t->sync_lock);
    if (size <= t->mark || broken)
        return;
    char tmp[4200], text[32];
    snprintf(tmp, sizeof(tmp), "%s.tmp", svc->log_mark_path);
    int n = snprintf(text, sizeof(text), "%llu\n", (unsigned long long)size);
    FILE *f = fopen(tmp, "w");
    bool ok = f != NULL && fwrite(text, 1, (size_t)n, f) == (size_t)n;
    if (f != NULL)
        ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, svc->log_mark_path) == 0)
        t->mark = size; /* no fsync: after a crash the mark may lag the log, never lead it */
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

char *nt_svc_log_sign_note(nt_svc *svc, const char *text, size_t len)
{
    struct nt_tlog *t = svc->tlog;
    return t != NULL && t->have_signer ? nt_note_sign(&t->signer, text, len) : NULL;
}

const char *nt_svc_log_origin(nt_svc *svc)
{
    return svc->tlog != NULL && svc->tlog->have_signer ? svc->tlog->signer.name : "";
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

int nt_svc_log_receipt_check(nt_svc *svc, const char *text, size_t len, json_t **out, nt_err *err)
{
    nt_tlog_proof p;
    char why[256];
    if (nt_tlog_proof_parse(text, len, &p, why, sizeof(why)) != 0)
        return nt_err_set(err, NT_EINVAL, "not a receipt: %s", "không phải biên nhận: %s", why);
    /* Signed by this log's key? */
    nt_note_verifier v;
    size_t text_len = 0;
    char origin[256];
    uint64_t size = 0;
    nt_hash root, leaf;
    bool signed_ok = nt_note_verifier_parse(nt_svc_log_key(svc), &v) == 0 &&
                     nt_note_verify(&v, p.checkpoint, p.checkpoint_len, &text_len) == 0 &&
                     nt_checkpoint_parse(p.checkpoint, text_len, origin, sizeof(origin), &size, &root) == 0;
    nt_log_entry e;
    bool entry_ok = p.has_extra && nt_log_entry_decode(p.extra, p.extra_len, &e) == 0;
    bool included = false, consistent = false;
    if (signed_ok && entry_ok) {
        nt_merkle_leaf_hash(p.extra, p.extra_len, &leaf);
        included = nt_merkle_verify_inclusion(p.index, size, &leaf, p.proof, p.nproof, &root);
    }
    /* The log now holds the receipt's tree as it was: its root at that size is the same. */
    struct nt_tlog *t = svc->tlog;
    if (included && t != NULL) {
        pthread_rwlock_rdlock(&t->rw);
        if (size <= provable(t)) {
            nt_hash now;
            nt_mtree_root(&t->tree, size, &now);
            consistent = memcmp(now.b, root.b, NT_HASH_LEN) == 0;
        }
        pthread_rwlock_unlock(&t->rw);
    }
    *out = json_pack("{s:I, s:I, s:b, s:b, s:b, s:b}", "index", (json_int_t)p.index, "size", (json_int_t)size, "signed", signed_ok,
                     "entry_readable", entry_ok, "included", included, "consistent", consistent);
    if (entry_ok) {
        char at[NT_TIME_LEN];
        nt_time_utc(e.at_ms * 1000, at);
        json_object_set_new(*out, "entry",
                            json_pack("{s:s, s:s, s:s}", "type", nt_log_type_name(e.type), "record_id", e.record_id, "at", at));
    }
    json_object_set_new(*out, "verified", json_boolean(signed_ok && entry_ok && included && consistent));
    return 0;
}
