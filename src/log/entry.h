/* Log entries, checkpoints read back, and C2SP tlog-proof receipts.
 *
 * An entry (format version 1) is, byte for byte:
 *   version (1 byte, 0x01) | type (1 byte) | time (8 bytes, big-endian
 *   milliseconds since 1970-01-01T00:00:00Z) | id length n (1 byte, 1-64) |
 *   record id (n bytes of [A-Za-z0-9_-]) | commitment (32 bytes)
 * The commitment is SHA-256("niemtin/log/record/v1" || 0x00 || salt || record)
 * with a 32-byte random salt and the record's RFC 8785 JSON. The salt and the
 * record stay in the database, so the log carries no personal data and a
 * redacted record cannot be recovered from it. Pure functions. */
#ifndef NT_LOG_ENTRY_H
#define NT_LOG_ENTRY_H
#include "log/merkle.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NT_LOG_VERSION   1
#define NT_LOG_SALT_LEN  32
#define NT_LOG_ID_MAX    64
#define NT_LOG_ENTRY_MAX (11 + NT_LOG_ID_MAX + NT_HASH_LEN)
#define NT_LOG_DOMAIN    "niemtin/log/record/v1"
#define NT_LOG_PROOF_MAX 64 /* hashes in an inclusion or consistency proof of a tree of < 2^64 leaves */

typedef enum nt_log_type {
    NT_LOG_DECISION_ISSUED = 1,
    NT_LOG_DECISION_AMENDED = 2,
    NT_LOG_SANCTION_CREATED = 3,
    NT_LOG_SANCTION_LIFTED = 4,
    NT_LOG_SANCTION_SUSPENDED = 5,
    NT_LOG_SANCTION_REINSTATED = 6,
    NT_LOG_SANCTION_MODIFIED = 7,
    NT_LOG_APPEAL_FILED = 8,
    NT_LOG_APPEAL_REVIEW = 9,
    NT_LOG_APPEAL_RESOLVED = 10,
    NT_LOG_ACCOUNT_ATTESTED = 11,
    NT_LOG_ACCOUNT_UNLINKED = 12,
    NT_LOG_REDACTION = 13,
    NT_LOG_ADVERTISER_SUSPENDED = 14,
    NT_LOG_ADVERTISER_REINSTATED = 15,
    NT_LOG_PRODUCT_RECALLED = 16,
    NT_LOG_AD_REGISTERED = 17,
    NT_LOG_AD_SUSPENDED = 18,
    NT_LOG_AD_REINSTATED = 19,
    NT_LOG_PERSON_IDENTITY = 20, /* a person with a decision: legal name, birth year, gender or national ID changed */
    NT_LOG_ORG_SUSPENDED = 21,
    NT_LOG_ORG_REINSTATED = 22,
    NT_LOG_PRODUCT_RECALL_LIFTED = 23,
    NT_LOG_DECISION_DELISTED = 24,      /* a published decision withdrawn from publication before its delist_at */
    NT_LOG_PRODUCT_DOCUMENT_ADDED = 25, /* a document added to a product after its creation (a renewal) */
    NT_LOG_MEMBER_ADMITTED = 26,        /* the alliance admitted an organisation or a person */
    NT_LOG_MEMBER_STANDARDS_ACCEPTED = 27,
    NT_LOG_MEMBER_LEFT = 28,
    NT_LOG_MEMBER_REMOVED = 29,
    NT_LOG_CERTIFICATE_ISSUED = 30,
    NT_LOG_CERTIFICATE_SUSPENDED = 31, /* a restriction or advertising ban of its holder became active */
    NT_LOG_CERTIFICATE_REINSTATED = 32,
    NT_LOG_CERTIFICATE_REVOKED = 33, /* by a decision's certificate_revocation sanction */
    NT_LOG_CERTIFICATE_EXPIRED = 34,
    NT_LOG_CERTIFICATE_SUPERSEDED = 35, /* renewed: a new certificate takes its place */
    NT_LOG_NOTICE_PUBLISHED = 36,       /* a verified notice (docs/NOTICES.md) */
    NT_LOG_NOTICE_AMENDED = 37,
    NT_LOG_NOTICE_WITHDRAWN = 38,
    NT_LOG_TYPE_END
} nt_log_type;

/** "decision.issued", ...; NULL for a code that is not a type. */
const char *nt_log_type_name(int type);

typedef struct nt_log_entry {
    int type;
    int64_t at_ms;
    char record_id[NT_LOG_ID_MAX + 1];
    nt_hash commitment;
} nt_log_entry;

/** An entry made for appending: its bytes, and the salt its commitment used (which stays private,
 * with the record, outside the log). */
typedef struct nt_log_built {
    unsigned char bytes[NT_LOG_ENTRY_MAX];
    int len;
    unsigned char salt[NT_LOG_SALT_LEN];
} nt_log_built;

/** Makes the entry of a record: a fresh random salt, the commitment to the record's canonical
 * (RFC 8785) text, and the entry's bytes. 0, or -1 for a bad type or record id. The one function
 * here that is not pure: salts are random. */
int nt_log_build(int type, const char *record_id, int64_t at_ms, const char *canon, size_t len, nt_log_built *out);

/** The public id an entry of a stored row gets: an account keeps the random id ("acc_…") its first
 * entry got (prev; "" when it has none, and a new one is drawn), any other row its own key. */
void nt_log_record_id(const char *table, const char *key, const char *prev, char out[NT_LOG_ID_MAX + 1]);

/** SHA-256(domain || 0x00 || salt || record). */
void nt_log_commit(const unsigned char salt[NT_LOG_SALT_LEN], const void *record, size_t len, nt_hash *out);

/** Writes the entry's bytes into out (at least NT_LOG_ENTRY_MAX); their length, or -1 for a bad id or type. */
int nt_log_entry_encode(const nt_log_entry *e, unsigned char *out);
/** Reads entry bytes; 0, or -1 when they are not exactly one well-formed version-1 entry. */
int nt_log_entry_decode(const unsigned char *in, size_t len, nt_log_entry *out);

/** Reads a checkpoint's text (the part a signed note signs): 0 with origin (NUL-terminated, at
 * most cap - 1 bytes), size and root, or -1. Extension lines after the root are allowed. */
int nt_checkpoint_parse(const char *text, size_t len, char *origin, size_t cap, uint64_t *size, nt_hash *root);

/** A C2SP tlog-proof: "c2sp.org/tlog-proof@v1", optional "extra <base64>", "index <N>", the
 * inclusion proof's hashes in base64 one per line, an empty line, then the signed checkpoint.
 * Returns a malloc'd string, or NULL. */
char *nt_tlog_proof_format(uint64_t index, const nt_hash *proof, size_t nproof, const void *extra, size_t extra_len,
                           const char *checkpoint);

typedef struct nt_tlog_proof {
    uint64_t index;
    nt_hash proof[NT_LOG_PROOF_MAX];
    size_t nproof;
    unsigned char extra[NT_LOG_ENTRY_MAX * 4]; /* the logged entry, for our receipts */
    size_t extra_len;
    bool has_extra;
    const char *checkpoint; /* points into the parsed text */
    size_t checkpoint_len;
} nt_tlog_proof;

/** Parses a tlog-proof; 0, or -1 with the reason in why. */
int nt_tlog_proof_parse(const char *text, size_t len, nt_tlog_proof *out, char *why, size_t cap);
#endif
