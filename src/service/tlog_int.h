/* Internal to the log's services (tlog.c, log_verify.c): the log held in memory. */
#ifndef NT_SERVICE_TLOG_INT_H
#define NT_SERVICE_TLOG_INT_H
#include "log/merkle.h"
#include "log/note.h"
#include "log/tree.h"
#include "service/tlog.h"
#include <pthread.h>

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
    uint64_t mark; /* the size last written to log.size */
    bool ready;    /* opened: loaded, checked, signed */
    char why[512];
};

/** Appends an entry's bytes and its leaf; -1 when memory runs out. */
int nt__tlog_add_entry(struct nt_tlog *t, const unsigned char *e, size_t len);

#endif
