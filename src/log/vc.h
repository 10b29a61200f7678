/* Verifiable credentials: W3C Data Integrity proofs with the eddsa-jcs-2022 cryptosuite, did:key
 * Multikey identifiers, and Bitstring Status List bitstrings.
 *
 * A proof signs SHA-256(JCS(proof options)) || SHA-256(JCS(document without its proof)) with
 * Ed25519, and carries the signature as base58btc multibase ("z…") — the W3C Recommendation's
 * algorithm, checked against its published test vector. Canonical forms come from log/jcs.h
 * (RFC 8785, numbers included). Status lists are GZIP-compressed bitstrings in base64url
 * multibase ("u…"), bit 0 the most significant bit of the first byte. Pure functions: Ed25519
 * signing is deterministic and reads no clock (the caller says when a proof was created). */
#ifndef NT_LOG_VC_H
#define NT_LOG_VC_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NT_VC_MULTIKEY_LEN 50     /* "z6Mk" + base58btc of 34 bytes, and the NUL */
#define NT_VC_STATUS_MIN   131072 /* bits: the smallest list the specification allows */

/** base58btc (Bitcoin alphabet) of n bytes into out (cap bytes, NUL-terminated); its length, or 0
 * when it does not fit. */
size_t nt_b58_encode(const unsigned char *in, size_t n, char *out, size_t cap);
/** Decodes s; the number of bytes written, or -1 for a character outside the alphabet or no room. */
int nt_b58_decode(const char *s, unsigned char *out, size_t cap);

/** The Multikey of an Ed25519 public key: "z" base58btc(0xed 0x01 || key), "z6Mk…". */
void nt_vc_multikey(const unsigned char pk[32], char out[NT_VC_MULTIKEY_LEN]);
/** The key of a Multikey; -1 when it is not an Ed25519 Multikey. */
int nt_vc_multikey_parse(const char *mb, unsigned char pk[32]);
/** The key named by a did:key verification method ("did:key:z6Mk…#z6Mk…"); -1 otherwise. */
int nt_vc_did_key_parse(const char *vm, unsigned char pk[32]);

typedef enum nt_vc_result {
    NT_VC_VALID = 0,
    NT_VC_MALFORMED = -1,   /* not a JSON object with a proof, or its proof value unreadable */
    NT_VC_UNSUPPORTED = -2, /* a proof of another type or cryptosuite, or another purpose */
    NT_VC_BAD_CONTEXT = -3, /* the proof's @context is not where the document's begins */
    NT_VC_BAD_SIGNATURE = -4,
} nt_vc_result;

/** What a result means, in English. */
const char *nt_vc_result_text(nt_vc_result r);

/** Adds a DataIntegrityProof (eddsa-jcs-2022, assertionMethod) to doc, which has none: signed by sk
 * (libsodium's 64-byte secret key) for the verification method vm, created at `created` (RFC 3339).
 * 0, or NT_VC_MALFORMED when doc cannot be canonicalised. */
int nt_vc_sign(json_t *doc, const char *vm, const char *created, const unsigned char sk[64]);

/** The proof's verification method, or NULL. */
const char *nt_vc_proof_method(const json_t *doc);

/** Checks doc's proof with the Ed25519 key pk (found from its verification method by the caller). */
nt_vc_result nt_vc_verify(const json_t *doc, const unsigned char pk[32]);

/** The encodedList of a bitstring: "u" base64url (no padding) of its GZIP; malloc'd, NULL on failure. */
char *nt_vc_bitstring_encode(const unsigned char *bits, size_t nbytes);
/** The bitstring of an encodedList (malloc'd, its length in *nbytes; at most max bytes), or NULL. */
unsigned char *nt_vc_bitstring_decode(const char *encoded, size_t max, size_t *nbytes);
/** Bit idx of a bitstring (index 0: the first byte's most significant bit); -1 beyond its end. */
int nt_vc_bit(const unsigned char *bits, size_t nbytes, uint64_t idx);
#endif
