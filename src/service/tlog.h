/* The transparency log as the services keep it: every entry the store appended,
 * in an in-memory tree (log/tree.h) with the latest signed checkpoint.
 *
 * Opening loads the entries, checks the stored tree against the latest stored
 * checkpoint (signature and root) and, if they differ, marks the log broken:
 * the server then refuses writes (503) and keeps serving what it has so that
 * monitors see the problem. After every logged write nt_svc_log_sync reads the
 * new entries and signs a checkpoint of the new size; checkpoints are only
 * ever signed for prefixes of the one tree held here, so no two are
 * inconsistent. */
#ifndef NT_SERVICE_TLOG_H
#define NT_SERVICE_TLOG_H
#include "log/entry.h"
#include "service/service.h"

/** Loads the log; idempotent. 0 even when the log is broken (see nt_svc_log_broken). */
int nt_svc_log_open(nt_svc *svc, nt_err *err);
/** Reads entries appended since, and signs a checkpoint covering them. */
int nt_svc_log_sync(nt_svc *svc, nt_err *err);
/** Whether the latest signed checkpoint covers the first size entries. */
bool nt_svc_log_covers(nt_svc *svc, int64_t size);
/** True (and why) when the stored tree does not match the latest checkpoint. */
bool nt_svc_log_broken(nt_svc *svc, char *why, size_t cap);

/** The latest signed checkpoint (malloc'd) and its size; NT_ENOTFOUND before the first entry. */
int nt_svc_log_checkpoint(nt_svc *svc, char **note, size_t *len, uint64_t *size);
/** The public key, in the signed-note verifier format (a line ending in a newline). */
const char *nt_svc_log_key(nt_svc *svc);
/** A C2SP signed note of text (ending in a newline) signed with the log's key, as checkpoints
 * are; malloc'd, NULL without the key. */
char *nt_svc_log_sign_note(nt_svc *svc, const char *text, size_t len);
/** The log's origin (its key's name), "" without the key. */
const char *nt_svc_log_origin(nt_svc *svc);
/** The bytes of tile (level, n) with `width` hashes (level -1: the entry bundle), as of the latest
 * checkpoint: NT_ENOTFOUND when that tile does not exist (yet). */
int nt_svc_log_tile(nt_svc *svc, int level, uint64_t n, unsigned width, unsigned char **out, size_t *len);

/** {index, size, leaf_hash, hashes, root, checkpoint}; size 0: the latest checkpoint's. */
int nt_svc_log_inclusion(nt_svc *svc, uint64_t index, uint64_t size, json_t **out, nt_err *err);
/** {from, to, hashes, from_root, to_root}; to 0: the latest checkpoint's size. */
int nt_svc_log_consistency(nt_svc *svc, uint64_t from, uint64_t to, json_t **out, nt_err *err);
/** A tlog-proof receipt of entry `index` against the latest checkpoint (malloc'd), or NULL. */
char *nt_svc_log_receipt(nt_svc *svc, uint64_t index);
/** [{index, type, record_id, at, receipt}] for the entries a write appended. */
json_t *nt_svc_log_receipts(nt_svc *svc, const nt_logged *l);
/** Checks a tlog-proof receipt against this log: {index, size, signed (by this log's key),
 * entry_readable, entry {type, record_id, at}, included (its inclusion proof), consistent (the log
 * now holds the same tree at the receipt's size), verified (all of them)}. NT_EINVAL when the text
 * is not a receipt at all. */
int nt_svc_log_receipt_check(nt_svc *svc, const char *text, size_t len, json_t **out, nt_err *err);
void nt_svc_log_free(nt_svc *svc);

/** Keeps the size of the latest signed checkpoint beside the database (log.size), so that a log
 * later found shorter is refused writes at the next start (the runtime calls it every round). */
void nt_svc_log_mark(nt_svc *svc);
#endif
